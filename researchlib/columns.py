"""Column names: the canonical document fields and the table or manifest
columns that fill them (used by :mod:`researchlib.tables` and
:mod:`researchlib.readers`).

Method
------
An option such as ``text="body"`` names the column of a canonical field; a
field without an option is looked up among :data:`COLUMN_NAMES`, case-blind,
in order of preference (the canonical name first: ``date`` -> published,
``source`` -> outlet, ``headline`` -> title ...). A table with no text column
but a headline (or title) column uses it as the text. A missing date or
outlet column, and two columns that could both be one field, are warnings
in the read log (a :class:`researchlib.readers.ReadLog`).

Known limits
------------
Names are matched whole and case-blind: ``Body Text`` or ``article_body`` are
not recognised and need an option (``text="Body Text"``).
"""
from __future__ import annotations

__all__ = ["CANONICAL", "COLUMN_NAMES", "detect_columns"]

#: Canonical document columns a table's own columns can be mapped onto.
CANONICAL = ("text", "doc_id", "outlet", "published", "title", "url", "byline")
#: Column names recognised without an option (case-blind), in order of preference.
COLUMN_NAMES = {
    "text": ("text", "body", "content"),
    "doc_id": ("doc_id", "id"),
    "outlet": ("outlet", "source", "site", "media"),
    "published": ("published", "date", "pubdate", "publish_date", "datetime", "timestamp"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "byline": ("byline",),
}


def detect_columns(header, explicit, name, log, *, fields=CANONICAL) -> dict:
    """{canonical field: column} for ``fields``: ``explicit`` first, then
    :data:`COLUMN_NAMES`; warnings (``log.warn``, ``name``: the file) for
    missing outlet/date columns and for fields two columns could fill."""
    mapping = dict(explicit)
    used = set(mapping.values())
    for key in fields:
        if key in mapping:
            continue
        free = [h for h in header if h not in used]
        found = [h for alias in COLUMN_NAMES[key] for h in free if h.lower() == alias]
        if not found:
            continue
        mapping[key] = found[0]
        used.add(found[0])
        if len(found) > 1:
            others = ", ".join(repr(h) for h in found[1:])
            log.warn(name, f"columns {found[0]!r} and {others} could all be {key}; used {found[0]!r} "
                           f"(name the column to choose: {key}=COLUMN)", "column")
    if "text" in fields and "text" not in mapping and "title" in mapping:
        mapping["text"] = mapping.pop("title")      # headlines only: the headline is the text
    for key, what in (("outlet", "every outlet is '(unknown)'"), ("published", "no publication dates")):
        if key in fields and key not in mapping:
            log.warn(name, f"no {key} column (looked for {', '.join(COLUMN_NAMES[key])}, any case): {what}; "
                           f"name the column with {key}=COLUMN", "column")
    return mapping
