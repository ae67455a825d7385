"""Errors that name what is wrong (file, line, reason) instead of a traceback."""


class ResearchlibError(Exception):
    """Base class: the CLI prints these as one readable line and exits 1."""


class CorpusError(ResearchlibError):
    """The corpus source or manifest cannot be read at all. The message is
    one line: file names in it have their control characters escaped."""

    def __init__(self, message):
        super().__init__(printable(message))


class ResourceError(ResearchlibError):
    """A lexicon, codebook, speaker table or events file is malformed."""


class CacheWarning(UserWarning):
    """A cache entry was damaged (truncated, empty, unreadable) and is recomputed."""


def printable(text) -> str:
    """``text`` with control and format characters escaped (``\\n``, ``\\x1b``,
    ``\\u202e``), so a file name or cell printed on a terminal cannot start a
    new line, move the cursor or reorder what follows."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
