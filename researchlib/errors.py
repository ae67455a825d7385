"""Errors that name what is wrong (file, line, reason) instead of a traceback.

The CLI prints exactly these (``ResearchlibError`` and its subclasses) as one
line and exits 1; any other exception is a bug: it keeps its traceback
(written to a file, or shown with ``--debug``). Raise these for what a user
can fix (a missing input, a bad option, a malformed file), as close to the
cause as possible.
"""


class ResearchlibError(Exception):
    """Base class: the CLI prints these as one readable line and exits 1."""


class CorpusError(ResearchlibError):
    """The corpus source or manifest cannot be read at all."""


class ResourceError(ResearchlibError):
    """A lexicon, codebook, speaker table or events file is malformed."""


class ReportError(ResearchlibError):
    """A report cannot be built: a notebook failed, an unknown notebook or parameter."""


class ParameterError(ReportError, ValueError):
    """A notebook parameter is not data of the type the notebook declares."""


class MissingExtra(ResearchlibError, ImportError):
    """An optional dependency (an extra such as ``researchlib[dask]``) is not installed."""
