"""Reading inputs, part two: a table (CSV / TSV / JSONL / JSON / Parquet) ->
records, one per row (bytes, CSV rows and the read log: :mod:`researchlib.readers`).

Method
------
* **Where**: every row is labelled ``file:line`` with the physical line it
  starts on (CSV/TSV, JSONL, and JSON arrays, whose objects are labelled with
  the line they start on); Parquet rows with their number from 1.
* **Columns** (:func:`researchlib.columns.detect_columns`): an option such
  as ``text="body"`` names the column of a canonical field; a field without
  an option is looked up among :data:`COLUMN_NAMES`, case-blind, the
  canonical name first (``date`` -> published, ``source`` -> outlet,
  ``headline`` -> title ...). A table with no text column but a headline (or
  title) column uses it as the text. The mapping chosen is kept (``Corpus.columns_used``, printed by
  ``researchlib check``); a missing date or outlet column, and two columns
  that could both be one field, are warnings. Other columns are metadata; a
  column named like one the loader computes (:data:`researchlib.readers.RESERVED`,
  or a canonical name that another column fills) is ignored with a warning.
* **Cells**: the text must be a string. Bytes (Parquet binary) are decoded as
  UTF-8 with a warning; objects, lists, numbers are rejected, never stored as
  their Python repr. The same holds for the other canonical fields (outlet,
  title, url, byline, doc_id), where numbers become their digits
  (``12.0`` from a Parquet integer column with nulls becomes ``"12"``).
* **Dates**: the published column is read as one column
  (:func:`researchlib.dates.parse_dates`: ISO first, one day/month order).
* **Ids**: an id column (``doc_id`` or ``id``, or ``doc_id=``) gives the ids;
  a repeated id is rejected, an empty one falls back to the row id with a
  warning. Without an id column the id is the data row's number:
  ``row000001`` for the first row (blank lines do not count), stable as long
  as rows are not inserted before it. Identical texts are both loaded and
  warned about as "duplicate text" (:func:`researchlib.corpus.iter_records`).

Known limits
------------
The separator is ``,`` for .csv and tab for .tsv (no sniffing of ``;``).
A JSON file must be one array of objects. Dates in a Parquet timestamp column
keep their wall time (the zone is dropped, as for text dates).
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .columns import CANONICAL, COLUMN_NAMES, detect_columns
from .errors import CorpusError
from .readers import RESERVED, ReadLog, csv_rows, decode_text

__all__ = ["CANONICAL", "COLUMN_NAMES", "TABLE_SUFFIXES", "detect_columns", "read_table", "row_id"]

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"}


def row_id(n: int) -> str:
    """The id of data row ``n`` (from 1) of a table without an id column."""
    return f"row{n:06d}"


# --------------------------------------------------------------------------- #
# rows of each format: (header, [(where, {column: value})])                    #
# --------------------------------------------------------------------------- #

def _union(rows):
    header = {}
    for _, _, r in rows:
        header.update(dict.fromkeys(r))
    return list(header)


def _jsonl_rows(text, name, log):
    rows, n = [], 0
    for i, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        n += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            log.reject(f"{name}:{i}", f"invalid JSON: {e.msg}", "row")
            continue
        if not isinstance(obj, dict):
            log.reject(f"{name}:{i}", "a JSON line must be an object", "row")
            continue
        rows.append((f"{name}:{i}", n, obj))
    return _union(rows), rows


_WS = re.compile(r"\s*")


def _json_rows(text, name, log):
    """The objects of a JSON array, each labelled with the line it starts on."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    line = lambda pos: bisect.bisect_right(newlines, pos - 1) + 1
    dec, rows, n = json.JSONDecoder(), [], 0
    pos = _WS.match(text).end()
    if not text.startswith("[", pos):
        raise CorpusError(f"{name}: a .json table must be one array of objects, one per article")
    pos = _WS.match(text, pos + 1).end()
    while not text.startswith("]", pos):
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise CorpusError(f"{name}:{e.lineno}: invalid JSON: {e.msg}") from None
        n += 1
        if isinstance(obj, dict):
            rows.append((f"{name}:{line(pos)}", n, obj))
        else:
            log.reject(f"{name}:{line(pos)}", "an array entry must be an object", "row")
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
        elif not text.startswith("]", pos):
            raise CorpusError(f"{name}:{line(pos)}: invalid JSON: expected ',' or ']'")
    return _union(rows), rows


def _parquet_rows(path, name):
    try:
        table = pd.read_parquet(path)
    except Exception as e:      # pyarrow raises its own types for a damaged or foreign file
        raise CorpusError(f"{name}: cannot read as Parquet: {type(e).__name__}: {e}") from None
    return [str(c) for c in table.columns], [(f"{name}:{i}", i, r) for i, r in
                                             enumerate(table.rename(columns=str).to_dict("records"), 1)]


def _rows(path: Path, log: ReadLog):
    data = path.read_bytes()
    log.inputs.append({"path": path.name, "sha256": hashlib.sha256(data).hexdigest()})
    suffix, name = path.suffix.lower(), path.name
    if suffix == ".parquet":
        return _parquet_rows(path, name)
    text = decode_text(data, name, log)
    if text is None:
        return None
    if suffix in (".csv", ".tsv"):
        header, rows = csv_rows(text, name, log, sep="\t" if suffix == ".tsv" else ",")
        return header, [(f"{name}:{line}", n, r) for line, n, r in rows]
    if suffix == ".json":
        return _json_rows(text, name, log)
    return _jsonl_rows(text, name, log)


# --------------------------------------------------------------------------- #
# cells                                                                        #
# --------------------------------------------------------------------------- #

def _string(value, field, where, as_bytes):
    """(string or None, problem or None) for a cell of a canonical field;
    ``as_bytes``: {field: [where, ...]} of cells decoded from bytes."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bytes):
        try:
            s = value.decode("utf-8")
        except UnicodeDecodeError:
            return None, f"{field} is binary data, not text"
        as_bytes.setdefault(field, []).append(where)
        return s, None
    if isinstance(value, dict):
        return None, f"{field} is a JSON object, not a string"
    if isinstance(value, (list, tuple, np.ndarray)):
        return None, f"{field} is a list, not a string"
    if isinstance(value, (bool, np.bool_)):
        return None, f"{field} is true/false, not a string"
    if field == "text":
        what = "a number" if isinstance(value, (int, float, np.integer, np.floating)) else type(value).__name__
        return None, f"text is {what}, not a string"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value)), None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(value), None
    return None, f"{field} is of type {type(value).__name__}, not a string"


def read_table(path, columns, log: ReadLog, *, dayfirst=None, row_offset=0) -> list:
    """The records of a table (see the module doc). ``columns``: canonical
    field -> column (options); ``row_offset``: rows before this part of the
    table (for row ids of a table read in parts)."""
    from .dates import parse_dates
    path = Path(path)
    columns = dict(columns)
    dayfirst = columns.pop("dayfirst", dayfirst)
    name = path.name
    explicit = {k: v for k, v in columns.items() if v is not None}
    for key, col in explicit.items():
        if key not in CANONICAL:
            raise CorpusError(f"unknown column option {key}=; known: {', '.join(CANONICAL)}")
    read = _rows(path, log)
    if read is None:        # empty or binary: rejected
        return []
    header, rows = read
    for key, col in explicit.items():
        if col not in header:
            raise CorpusError(f"{name}: no column {col!r} (for {key}=); columns are {header}")
    mapping = detect_columns(header, explicit, name, log)
    if "text" not in mapping:
        sep = next((c for c in ";\t|" if len(header) == 1 and c in header[0]), None)
        hint = f"; the header holds {sep!r}: save the table with ',' between cells (or as .tsv)" if sep else ""
        raise CorpusError(f"{name}: no text column; columns are {header}; "
                          f"name the one holding the article text, e.g. text='body'{hint}")
    used = set(mapping.values())
    meta_cols = []
    for h in header:
        if h in used:
            continue
        if h in RESERVED or h in CANONICAL or h.startswith("_"):
            log.warn(name, f"column {h!r} ignored: the name is reserved for what researchlib computes "
                           f"or reads from another column", "column")
        else:
            meta_cols.append(h)
    log.columns_used.update(mapping)
    if "doc_id" not in mapping:
        log.columns_used["doc_id"] = "row number (row000001, ...)"
    records, seen, as_bytes = [], {}, {}
    for where, n, row in rows:
        n += row_offset
        rec, problem = {}, None
        for key, col in mapping.items():
            rec[key], problem = (row.get(col), None) if key == "published" else _string(row.get(col), key, where, as_bytes)
            if problem:
                break
        if problem:
            log.reject(where, problem + "; row not read", "cell")
            continue
        if not (rec["text"] or "").strip():
            log.reject(where, "empty text", "empty")
            continue
        doc_id = rec.get("doc_id")
        if "doc_id" in mapping and not (doc_id or "").strip():
            log.warn(where, f"empty id; using the row id {row_id(n)!r}", "id")
        doc_id = doc_id if doc_id and doc_id.strip() else row_id(n)
        if doc_id in seen:
            log.reject(where, f"duplicate doc_id {doc_id!r} (first at {seen[doc_id]})", "duplicate id")
            continue
        seen[doc_id] = where
        text = rec.pop("text")
        rec.update({c: row.get(c) for c in meta_cols})
        rec.update(doc_id=doc_id, file=name, _where=where, text_raw=text)
        records.append(rec)
    for field, wheres in as_bytes.items():
        log.warn(wheres[0], f"{field} stored as bytes in {len(wheres)} row{'s' if len(wheres) > 1 else ''}; "
                            "decoded as UTF-8", "cell")
    if "published" in mapping:
        values, warnings, order = parse_dates([r["published"] for r in records], [r["_where"] for r in records],
                                              name=name, dayfirst=dayfirst)
        for source, reason in warnings:
            log.warn(source, reason, "date")
        for r, v in zip(records, values):
            raw = r["published"]
            r["_published_given"] = pd.notna(raw) and str(raw).strip() != "" if np.ndim(raw) == 0 else True
            r["published"] = v
        if order:
            log.columns_used["published"] += f" (read {order})"
    return records
