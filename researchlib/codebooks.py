"""Frame codebooks: the table a codebook file becomes, and its matchers.

Method
------
A codebook (``resources/codebooks/*.yaml``, a path or a dict) lists frames,
each with a definition, indicator words or phrases, exclusion phrases and
examples. :func:`codebook` reads it into one row per frame;
:func:`indicator_matchers` builds one matcher per frame from its indicators
(and one from its exclusions), by the one counting rule of
:mod:`researchlib.match`. The dictionary method (:func:`researchlib.frames.frames`)
and the frame scores (:mod:`researchlib.frame_scores`) both start here, so
the two never read a codebook differently.

Known limits
------------
Each frame is matched on its own (one frame's phrases never hide another
frame's words); what the indicators cannot see is in :mod:`researchlib.frames`.
"""
from __future__ import annotations

import pandas as pd

from .match import entry, matcher_for
from .resources import load_resource

__all__ = ["codebook", "as_codebook", "indicator_matchers"]


def codebook(spec="generic") -> pd.DataFrame:
    """A codebook as a table: ``frame, definition, indicators, exclusions,
    example``, ``includes`` (a gloss of the definition, may be empty) and
    ``examples`` (more example sentences, may be empty), and on every row the
    ``codebook`` name and its ``citation`` (columns, so they survive merges
    and copies; also in ``.attrs``). ``spec``: a bundled name (generic,
    policy, study), a path or a dict."""
    data = load_resource(spec, "codebook", "generic")
    rows = [{"frame": f, "definition": v.get("definition", ""), "indicators": v.get("indicators") or [],
             "exclusions": v.get("exclusions") or [], "example": v.get("example", ""),
             "includes": v.get("includes", ""), "examples": v.get("examples") or []}
            for f, v in data["frames"].items()]
    out = pd.DataFrame(rows)
    out["codebook"] = data.get("name", str(spec))
    out["citation"] = data.get("citation", "")
    out.attrs["citation"] = data.get("citation", "")
    out.attrs["name"] = data.get("name", str(spec))
    return out


def as_codebook(spec) -> pd.DataFrame:
    """A codebook table from a spec (see :func:`codebook`), or the table itself."""
    return spec if isinstance(spec, pd.DataFrame) else codebook(spec)


def _entries(items, where):
    """(label, term, case) of indicator or exclusion items (a word or phrase,
    or ``{term, case}``); the label is the term as listed."""
    return [(t, t, c) for t, c in (entry(i, where=where) for i in items)]


def indicator_matchers(book) -> list:
    """``[(frame, indicator matcher, exclusion matcher or None)]`` for the
    frames of a codebook table that have indicators, in codebook order."""
    out = []
    for r in book.itertuples():
        if r.indicators:
            exc = matcher_for(_entries(r.exclusions, f"exclusions of frame {r.frame!r}")) if r.exclusions else None
            out.append((r.frame, matcher_for(_entries(r.indicators, f"indicators of frame {r.frame!r}")), exc))
    return out
