"""Errors that name what is wrong (file, line, reason) instead of a traceback."""


class ResearchlibError(Exception):
    """Base class: the CLI prints these as one readable line and exits 1."""


class CorpusError(ResearchlibError):
    """The corpus source or manifest cannot be read at all."""


class ResourceError(ResearchlibError):
    """A lexicon, codebook, speaker table or events file is malformed."""
