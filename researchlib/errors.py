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
    """The corpus source or manifest cannot be read at all. The message is
    one line: file names in it have their control characters escaped."""

    def __init__(self, message):
        super().__init__(printable(message))


class ResourceError(ResearchlibError):
    """A lexicon, codebook, speaker table or events file is malformed."""


class ReportError(ResearchlibError):
    """A report cannot be built: a notebook failed, an unknown notebook or parameter."""


class ParameterError(ReportError, ValueError):
    """A notebook parameter is not data of the type the notebook declares."""


class MissingExtra(ResearchlibError, ImportError):
    """An optional dependency (an extra such as ``researchlib[dask]``) is not installed."""


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
