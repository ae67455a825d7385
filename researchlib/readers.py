"""Reading inputs, part one: bytes to text, CSV rows, a folder of ``.txt``
files and its manifest -> records (no cleaning). Tables: :mod:`researchlib.tables`.

Method
------
* **Every input is accounted for**: it becomes a record, or a row of
  ``rejected`` naming the file (and line) and the reason; what was read but
  altered is a row of ``warnings``. :class:`ReadLog` collects both.
* **Bytes to text** (:func:`decode_text`, the same for .txt files, tables and
  manifests): a byte-order mark decides UTF-8, UTF-16 or UTF-32 (and is
  dropped); otherwise UTF-8, and bytes that are not UTF-8 are decoded as
  U+FFFD with one warning naming the lines that hold them (and saying when the
  file reads as Windows-1252 / Latin-1). Without a BOM, NUL bytes or more than
  10% control bytes mean binary: rejected.
* **CSV** (:func:`csv_rows`, Python's ``csv`` module): every row keeps the
  physical line it starts on (a quoted cell may span lines). A row with more
  cells than the header (an unquoted comma in the text) or fewer is rejected,
  never shifted into other columns; extra cells that are all empty are
  allowed (spreadsheet exports). A quote that opens and never closes is an
  error naming its line. Header names are stripped; an empty one becomes
  ``unnamed_N``; a repeated one gets ``.1``, ``.2`` with a warning.
* **Folder** (:func:`list_folder`): every regular file whose name ends in
  ``.txt`` in any case (``B.TXT``), in sorted path order; the ``doc_id`` is
  the name without the extension. **Symbolic links are never followed**, with
  or without a manifest: a link named ``*.txt`` and a link to a folder are
  rejected, saying whether it is broken, points outside the corpus folder or
  inside it (where the target is read under its own name). A link inside a
  corpus can point anywhere (a private file would end up in a published
  report); copy the files or pass the real folder instead. A folder that
  cannot be listed and a file that cannot be read are rejected with the
  system's reason.
* **Manifest** (:func:`read_manifest`): a CSV with a ``file`` column (paths
  relative to the corpus folder, read lexically: ``..`` may not leave it) and
  metadata columns. Column names are detected as for tables (``date`` ->
  published, ``source`` -> outlet, see :data:`researchlib.columns.COLUMN_NAMES`);
  the dates of the column are read with one day/month order
  (:mod:`researchlib.dates`). A row naming a missing file, a folder, a file
  that is not ``.txt`` (``notes.md``) or a repeated file is rejected; a row
  naming a link is covered by the link's own rejection; a file without a row
  is rejected. Columns named like those the loader computes (``text``,
  ``text_raw``, ``n_words``, ``doc_id`` ..., see :data:`RESERVED`) are
  ignored with a warning: they never replace the article or its counts.

Known limits
------------
Files that are not ``.txt`` are not inputs and are not listed (a manifest row
naming one is rejected). UTF-16 without a BOM reads as binary. Names are
compared exactly: on a case-insensitive file system the manifest must still
use the case the folder lists.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import os
import posixpath
import sys
from pathlib import Path, PurePosixPath

from .columns import detect_columns
from .errors import CorpusError
from .web import fill_from_page, is_web_file, web_records

__all__ = ["ReadLog", "RESERVED", "decode_text", "csv_rows", "list_folder", "read_manifest", "folder_records"]

#: Column names the loader computes or uses itself: a manifest or table
#: column with one of these names is ignored (with a warning); so is any name
#: starting with "_".
RESERVED = frozenset({"doc_id", "file", "text", "text_raw", "month", "n_words", "n_sentences",
                      "dateline", "credits", "headings"})

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))   # articles longer than 128 KiB are cells too


class ReadLog:
    """Rejections and warnings of one read: dicts ``source, reason, kind``;
    ``inputs`` (path, sha256) of what was read; ``expected``: the number of
    input files or rows; ``columns_used``: canonical name -> where it came from."""

    def __init__(self):
        self.rejected, self.warnings, self.inputs = [], [], []
        self.expected = 0
        self.columns_used: dict = {}

    def reject(self, source, reason, kind=""):
        self.rejected.append({"source": str(source), "reason": reason, "kind": kind})

    def warn(self, source, reason, kind=""):
        self.warnings.append({"source": str(source), "reason": reason, "kind": kind})


# --------------------------------------------------------------------------- #
# bytes -> text                                                                #
# --------------------------------------------------------------------------- #

_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b < 32)
# UTF-32 first: its little-endian mark starts with UTF-16's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _bad_utf8_lines(data: bytes) -> list:
    bad = []
    for i, line in enumerate(data.split(b"\n"), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    return bad


def _lines(nums, k=5):
    shown = ", ".join(map(str, nums[:k]))
    return shown + (f" and {len(nums) - k} more" if len(nums) > k else "")


def decode_text(data: bytes, name: str, log: ReadLog) -> str | None:
    """The text of one input file, or None (rejected: empty or binary). See
    the module doc for the rule; warnings and rejections go to ``log``."""
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                text = data.decode(codec, errors="replace")
                log.warn(name, f"invalid {codec.upper()} at byte {e.start}; decoded with U+FFFD "
                               "replacement characters", "encoding")
            break
    else:
        if not data.strip():
            log.reject(name, "empty file", "empty")
            return None
        sample = data[:4096]
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if b"\x00" in data or controls > len(sample) * 0.1:
            log.reject(name, "binary content, not text", "binary")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            bad = _bad_utf8_lines(data)
            try:
                data.decode("cp1252")
                hint = "; the file reads as Windows-1252 (Latin-1): save it as UTF-8 to keep these characters"
            except UnicodeDecodeError:
                hint = "; save the file as UTF-8 to keep these characters"
            log.warn(f"{name}:{bad[0]}", f"invalid UTF-8 on {len(bad)} line{'s' if len(bad) > 1 else ''} "
                     f"({_lines(bad)}); decoded with U+FFFD replacement characters{hint}", "encoding")
            text = data.decode("utf-8", errors="replace")
    if not text.strip():
        log.reject(name, "empty file", "empty")
        return None
    return text


# --------------------------------------------------------------------------- #
# CSV                                                                          #
# --------------------------------------------------------------------------- #

def _header(names, name, log):
    out, seen = [], {}
    for i, h in enumerate(names, 1):
        h = h.strip() or f"unnamed_{i}"
        if h in seen:
            seen[h] += 1
            new = f"{h}.{seen[h]}"
            log.warn(name, f"the header repeats column {h!r}; the repeat is read as {new!r}", "column")
            h = new
        seen.setdefault(h, 0)
        out.append(h)
    return out


def csv_rows(text: str, name: str, log: ReadLog, *, sep=","):
    """(header, [(line, n, {column: cell})]) of a CSV text; ``line`` is the
    physical line the row starts on, ``n`` the data row's number (from 1,
    counting rejected rows, not blank lines). Bad rows are rejected into ``log``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header, rows, prev, start, n_row = None, [], 0, 0, 0
    try:
        for fields in reader:
            start, end = prev + 1, reader.line_num
            prev = end
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue            # blank line
            if header is None:
                header = _header(fields, name, log)
                continue
            n_row += 1
            n = len(header)
            if len(fields) > n and not any(f.strip() for f in fields[n:]):
                fields = fields[:n]
            if len(fields) != n:
                span = f" (the row runs to line {end})" if end > start else ""
                log.reject(f"{name}:{start}", f"row has {len(fields)} cells, the header has {n}{span}: an unquoted "
                           f"comma or quote in a cell? Quote cells that hold the separator; row not read", "row")
                continue
            rows.append((start, n_row, dict(zip(header, fields))))
    except csv.Error as e:
        raise CorpusError(f"{name}:{prev + 1}: cannot read as CSV: {e}") from None
    # a quote that never closes swallows the rest of the file into one cell:
    # the last row then spans lines and holds an odd number of quote marks
    if start and prev > start and "".join(itertools.islice(io.StringIO(text, newline=""), start - 1, None)).count('"') % 2:
        raise CorpusError(f"{name}:{start}: a quoted cell opened on this line never closes "
                          f"(the rest of the file, to line {prev}, would be one cell)")
    if header is None:
        raise CorpusError(f"{name}: no header row (the file holds no cells)")
    return header, rows


# --------------------------------------------------------------------------- #
# a folder of .txt files                                                       #
# --------------------------------------------------------------------------- #

def _is_txt(name: str) -> bool:
    return name.lower().endswith(".txt")


def _is_input(name: str) -> bool:
    """A file read from a folder: ``.txt``, or a saved page / WARC crawl
    (:mod:`researchlib.web`)."""
    return _is_txt(name) or is_web_file(name)


def _link_reason(path: str, rootr: str, name: str):
    """Why the link at ``path`` is rejected, or None when it is not an input
    (a link to a file that is not .txt)."""
    target = os.path.realpath(path)
    if not os.path.exists(path):
        return "broken symbolic link (its target does not exist)" if _is_input(name) else None
    is_dir = os.path.isdir(path)
    if not (is_dir or _is_input(name)):
        return None
    what = "a folder" if is_dir else "a file"
    if target == rootr or target.startswith(rootr.rstrip("/") + "/"):
        rel = os.path.relpath(target, rootr).replace(os.sep, "/")
        return (f"symbolic link to {what} inside the corpus folder ({rel}): links are never followed; "
                "the target is read under its own name")
    return f"symbolic link to {what} outside the corpus folder: links are never followed (copy the files in)"


def list_folder(root) -> tuple[list, list]:
    """(relative POSIX paths of the ``.txt`` files below ``root`` in sorted
    path order, [(relative path, reason)] of what is rejected: links, folders
    that cannot be listed, entries that cannot be examined)."""
    top = os.fspath(root)
    rootr = os.path.realpath(top)
    found, rejected = [], []
    stack = [("", top)]
    while stack:
        rel, d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except OSError as e:
            rejected.append((rel or "./", f"cannot list the folder: {e.strerror or e}"))
            continue
        for e in entries:
            path = rel + e.name
            try:
                if e.is_symlink():
                    reason = _link_reason(e.path, rootr, e.name)
                    if reason:
                        rejected.append((path, reason))
                elif e.is_dir(follow_symlinks=False):
                    stack.append((path + "/", e.path))
                elif _is_input(e.name) and e.is_file(follow_symlinks=False):
                    found.append(path)
            except OSError as err:
                rejected.append((path, f"cannot examine: {err.strerror or err}"))
    return sorted(found, key=lambda r: r.split("/")), sorted(rejected, key=lambda r: r[0].split("/"))


def _read_file(top: str, rel: str) -> bytes:
    """The bytes of ``top/rel``, refusing a link swapped in after listing."""
    fd = os.open(os.path.join(top, rel), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def read_manifest(root, manifest, log: ReadLog, files, links=(), *, dayfirst=None) -> dict:
    """{relative path: (where, metadata)} for the manifest rows that name one
    of ``files`` (the listed .txt files); other rows are rejected (see the
    module doc). ``links``: rejected entries of the listing; rows naming them
    (or a file below a linked folder) are covered by those rejections."""
    from .dates import parse_dates
    manifest = Path(manifest)
    try:
        data = manifest.read_bytes()
    except OSError as e:
        raise CorpusError(f"{manifest}: cannot read the manifest: {e.strerror or e}") from None
    log.inputs.append({"path": f"manifest:{manifest.name}", "sha256": hashlib.sha256(data).hexdigest()})
    name = manifest.name
    probe = ReadLog()
    text = decode_text(data, name, probe)
    if text is None:
        raise CorpusError(f"{manifest}: cannot read the manifest: {probe.rejected[0]['reason']}")
    log.warnings += probe.warnings
    header, rows = csv_rows(text, name, log)
    fcol = "file" if "file" in header else next((h for h in header if h.lower() == "file"), None)
    if fcol is None:
        raise CorpusError(f"{manifest}: no 'file' column; columns are {header}")
    mapping = detect_columns([h for h in header if h != fcol], {}, name, log,
                             fields=("outlet", "published", "title", "url", "byline"))
    log.columns_used.update({k: f"{name}: {v}" for k, v in mapping.items()})
    used = set(mapping.values()) | {fcol}
    keep = []
    for h in header:
        if h in used:
            continue
        if h in RESERVED or h.startswith("_"):
            log.warn(name, f"column {h!r} ignored: the name is reserved for what researchlib computes", "column")
        else:
            keep.append(h)
    rootr = os.fspath(root)
    linked = [p for p, _ in links]
    lower = {f.lower(): f for f in files}
    out, first, dates = {}, {}, []
    for line, _, row in rows:
        where = f"{name}:{line}"
        path = row[fcol].strip()
        norm = posixpath.normpath(path.replace("\\", "/")) if path else ""
        if not path:
            log.reject(where, "empty file path", "manifest")
            continue
        if posixpath.isabs(norm) or norm == ".." or norm.startswith("../"):
            log.reject(where, f"path {path!r} escapes the corpus folder", "manifest")
            continue
        if norm in first:
            log.reject(where, f"duplicate manifest row for {path!r} (first at line {first[norm]})", "manifest")
            continue
        first[norm] = line
        if norm not in files:
            if any(norm == p or norm.startswith(p.rstrip("/") + "/") for p in linked):
                continue        # the link's own rejection accounts for it
            full = os.path.join(rootr, norm)
            if os.path.isdir(full):
                reason = f"{path!r} is a folder, not a file"
            elif os.path.lexists(full):
                reason = (f"{path!r} is not a .txt file: only .txt files, saved web pages and WARC crawls "
                          "are read from a folder")
            else:
                hint = f" (the folder has {lower[norm.lower()]!r})" if norm.lower() in lower else ""
                reason = f"file {path!r} listed in the manifest does not exist{hint}"
            log.reject(where, reason, "manifest")
            continue
        meta = {k: row[v] for k, v in mapping.items()}
        meta.update({h: row[h] for h in keep})
        out[norm] = (where, meta)
        dates.append(norm)
    if "published" in mapping:
        values, warnings, order = parse_dates([out[k][1]["published"] for k in dates],
                                              [out[k][0] for k in dates], name=name, dayfirst=dayfirst)
        for source, reason in warnings:
            log.warn(source, reason, "date")
        for k, v in zip(dates, values):
            meta = out[k][1]
            meta["_published_given"] = bool(str(meta["published"]).strip())
            meta["published"] = v
        if order:
            log.columns_used["published"] += f" (read {order})"
    return out


def folder_records(root, manifest, parts: dict, *, dayfirst=None):
    """Yield the records of a folder one file at a time (sorted paths), the
    manifest joined; rejections and warnings go to ``parts``: ``reads`` (file
    reads), ``manifest`` (manifest rows), ``no_row`` (files without a row),
    ``expected`` (number of files)."""
    reads, mani = parts["reads"], parts["manifest"]
    files, rejected = list_folder(root)
    parts["expected"] = len(files)
    for rel, reason in rejected:
        reads.reject(rel, reason, "link" if "link" in reason else "folder")
    if not files:
        reads.reject(root, "no .txt files (nor .html pages or .warc crawls) in the folder", "empty")
    mani.columns_used.update(text="the .txt files", doc_id="file name without .txt")
    if manifest is None:
        rows = None
        mani.columns_used["published"] = "' date YYYY-MM-DD' header lines"
        if any(map(_is_txt, files)):     # saved web pages carry their own site name and date
            mani.warn(root, "no manifest: every outlet of a .txt file is '(unknown)' and its date comes only from "
                            "' date YYYY-MM-DD' header lines; pass a manifest CSV (file, outlet, published)", "column")
    else:
        rows = read_manifest(root, manifest, mani, set(files), rejected, dayfirst=dayfirst)
    top = os.fspath(root)
    for rel in files:
        try:
            data = _read_file(top, rel)
        except OSError as e:
            reads.reject(rel, f"cannot read: {e.strerror or e}", "unreadable")
            continue
        reads.inputs.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest()})
        if is_web_file(rel):          # saved pages and WARC crawls: researchlib/web.py
            recs = web_records(data, rel, reads)
        else:
            raw = decode_text(data, rel, reads)
            if raw is None:
                continue
            recs = [{"doc_id": PurePosixPath(rel).stem, "file": rel, "_where": rel, "text_raw": raw}]
        for rec in recs:
            if rows is not None:
                if rel not in rows:
                    parts["no_row"].append({"source": rel, "reason": "no manifest row for this file",
                                            "kind": "manifest"})
                    break
                where, meta = rows[rel]
                rec.update(meta)
                rec["_manifest_line"] = where
            yield fill_from_page(rec, reads) if "_page" in rec else rec

