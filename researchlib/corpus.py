"""Loading: a folder of .txt files or a table (CSV / JSONL / Parquet) -> ``Corpus``.

Every input ends up either loaded or in ``Corpus.rejected`` with a reason that
names the file (and line); recoverable problems (invalid UTF-8, a header date
that disagrees with the manifest, an impossible date) load and are listed in
``Corpus.warnings``. Raw text is kept untouched in ``documents.text_raw``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from .clean import clean_text
from .errors import CorpusError
from .text import TOKEN

__all__ = ["Corpus", "load_corpus", "read_records", "iter_records", "process_document", "CANONICAL"]

#: Canonical document columns a table's own columns can be mapped onto.
CANONICAL = ("text", "doc_id", "outlet", "published", "title", "url", "byline")
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"}
PARALLEL_MIN_DOCS = 4000


@dataclass
class Corpus:
    """The loaded corpus: tidy tables keyed by ``doc_id`` (and ``sent_id``)."""
    documents: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame
    quotes: pd.DataFrame
    inputs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "sha256"]))
    source: str = ""

    def __repr__(self) -> str:
        d = self.documents
        span = ""
        if len(d) and d["published"].notna().any():
            span = f", {d['published'].min():%Y-%m-%d} to {d['published'].max():%Y-%m-%d}"
        return (f"<Corpus {len(d)} documents, {d['outlet'].nunique() if len(d) else 0} outlets"
                f"{span}; {len(self.sentences)} sentences; {len(self.rejected)} rejected, "
                f"{len(self.warnings)} warnings>")

    @property
    def hash(self) -> str:
        """sha256 over the input files' hashes (and the table rows' text)."""
        h = hashlib.sha256()
        for p, s in zip(self.inputs["path"], self.inputs["sha256"]):
            h.update(f"{p}\0{s}\n".encode())
        return h.hexdigest()

    def sentence_starts(self) -> dict:
        """doc_id -> array of sentence start offsets (sent_id order)."""
        cache = self.__dict__.setdefault("_starts", None)
        if cache is None:
            starts = self.sentences["start"].to_numpy()
            cache = {d: starts[i] for d, i in self.sentences.groupby("doc_id", sort=False).indices.items()}
            self.__dict__["_starts"] = cache
        return cache

    def quote_intervals(self) -> dict:
        """doc_id -> [(start, end), ...] of the text inside quote marks (direct
        and partial quotes; reported speech is the outlet's own words)."""
        q = self.quotes
        q = q[q["kind"] != "indirect"]
        out: dict = {}
        for d, s, e in zip(q["doc_id"].tolist(), q["start"].tolist(), q["end"].tolist()):
            out.setdefault(d, []).append((int(s), int(e)))
        return out

    def quoted_mask(self, doc_id) -> np.ndarray:
        """Boolean array over ``text`` of one document: True inside quote marks."""
        text = self.documents.loc[self.documents["doc_id"] == doc_id, "text"].iloc[0]
        mask = np.zeros(len(text), dtype=bool)
        for s, e in self.quote_intervals().get(doc_id, []):
            mask[s:e] = True
        return mask

    def subset(self, doc_ids) -> "Corpus":
        """The same corpus restricted to ``doc_ids`` (tables filtered alike)."""
        keep = set(doc_ids)
        f = lambda t: t[t["doc_id"].isin(keep)].reset_index(drop=True)
        return Corpus(f(self.documents), f(self.sentences), f(self.removed), self.rejected,
                      self.warnings, f(self.quotes), self.inputs, self.source)


# --------------------------------------------------------------------------- #
# one document: clean -> segment -> voice                                      #
# --------------------------------------------------------------------------- #

def process_document(raw: str, speakers=None) -> dict:
    """Clean, segment and find the quotes of one raw text (a pure function)."""
    from .quotes import find_quotes
    from .segment import sentence_spans   # imports NLTK: only when text is processed

    c = clean_text(raw)
    spans = sentence_spans(c.text, c.paragraphs)
    quotes = find_quotes(c.text, spans, c.paragraphs, speakers=speakers)
    return {"text": c.text, "meta": c.meta, "removed": c.removed,
            "sentences": spans, "quotes": quotes, "n_words": len(TOKEN.findall(c.text))}


def _process_batch(raws):
    return [process_document(r) for r in raws]


def _process_all(raws, n_jobs):
    if n_jobs is None:
        n_jobs = min(2, os.cpu_count() or 1) if len(raws) >= PARALLEL_MIN_DOCS else 1
    if n_jobs <= 1:
        return [process_document(r) for r in raws]
    size = max(200, len(raws) // (n_jobs * 8))
    batches = [raws[i:i + size] for i in range(0, len(raws), size)]
    with ProcessPoolExecutor(n_jobs) as ex:
        return [doc for batch in ex.map(_process_batch, batches) for doc in batch]


# --------------------------------------------------------------------------- #
# reading                                                                      #
# --------------------------------------------------------------------------- #

class _Log:
    def __init__(self):
        self.rejected, self.warnings, self.inputs = [], [], []
        self.expected = 0     # input files or rows (set by iter_records)

    def reject(self, source, reason):
        self.rejected.append({"source": str(source), "reason": reason})

    def warn(self, source, reason):
        self.warnings.append({"source": str(source), "reason": reason})


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b < 32)


def _decode(data: bytes, name: str, log: _Log) -> str | None:
    if not data.strip():
        log.reject(name, "empty file")
        return None
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or controls > len(sample) * 0.1:
        log.reject(name, "binary content, not text")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        log.warn(f"{name}:{line}", f"invalid UTF-8 at byte {e.start}; decoded with U+FFFD replacement characters")
        return data.decode("utf-8", errors="replace")


def _txt_files(root: Path) -> tuple[list[str], bool]:
    """Relative POSIX paths of the ``*.txt`` files under ``root`` (what
    ``os.walk`` finds: symlinked folders are not entered), in the order of
    ``sorted(root.rglob("*.txt"))``; and whether any entry below ``root`` is a
    symbolic link (then manifest paths are resolved one by one)."""
    found, linked = [], False
    stack = [("", os.fspath(root))]
    while stack:
        rel, d = stack.pop()
        try:
            entries = os.scandir(d)
        except OSError:
            continue
        with entries:
            for e in entries:
                link = e.is_symlink()
                linked = linked or link
                try:
                    is_dir = e.is_dir()
                    if is_dir:
                        if not link:
                            stack.append((f"{rel}{e.name}/", e.path))
                    elif e.name.endswith(".txt") and e.is_file():
                        found.append(rel + e.name)
                except OSError:
                    continue
    return sorted(found, key=lambda r: r.split("/")), linked


def _folder_records(root: Path, manifest, parts: dict):
    """Yield the records of a folder one file at a time (sorted paths), the
    manifest joined; rejections and warnings go to ``parts`` (see
    :func:`iter_records`)."""
    reads, mani = parts["reads"], parts["manifest"]
    files, linked = _txt_files(root)
    parts["expected"] = len(files)
    if not files:
        reads.reject(root, "no .txt files in the folder")
    rows = None if manifest is None else _manifest_rows(root, Path(manifest), mani, linked, set(files))
    top = os.fspath(root)
    for rel in files:
        with open(os.path.join(top, rel), "rb") as fh:
            data = fh.read()
        reads.inputs.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest()})
        raw = _decode(data, rel, reads)
        if raw is None:
            continue
        rec = {"doc_id": PurePosixPath(rel).stem, "file": rel, "_where": rel, "text_raw": raw}
        if rows is not None:
            if rel not in rows:
                parts["no_row"].append({"source": rel, "reason": "no manifest row for this file"})
                continue
            where, row = rows[rel]
            rec.update({k: v for k, v in row.items() if k != "file"})
            rec["_manifest_line"] = where
        yield rec


def _read_table(path: Path, columns: dict, log: _Log) -> list[dict]:
    data = path.read_bytes()
    log.inputs.append({"path": path.name, "sha256": hashlib.sha256(data).hexdigest()})
    suffix = path.suffix.lower()
    name = path.name
    try:
        if suffix in (".csv", ".tsv"):
            table = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                                keep_default_na=False, encoding_errors="replace")
            lines = list(range(2, len(table) + 2))
        elif suffix == ".parquet":
            table = pd.read_parquet(path)
            lines = list(range(1, len(table) + 1))
        elif suffix == ".json":
            table = pd.DataFrame(json.loads(data.decode("utf-8", errors="replace")))
            lines = list(range(1, len(table) + 1))
        else:  # jsonl
            rows, lines = [], []
            for i, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    log.reject(f"{name}:{i}", f"invalid JSON: {e.msg}")
                    continue
                if not isinstance(obj, dict):
                    log.reject(f"{name}:{i}", "a JSON line must be an object")
                    continue
                rows.append(obj)
                lines.append(i)
            table = pd.DataFrame(rows)
    except (ValueError, pd.errors.ParserError, OSError) as e:
        raise CorpusError(f"{name}: cannot read as a table: {e}") from None
    mapping = {k: v for k, v in columns.items() if v is not None}
    for key, col in mapping.items():
        if key not in CANONICAL:
            raise CorpusError(f"unknown column option {key}=; known: {', '.join(CANONICAL)}")
        if col not in table.columns:
            raise CorpusError(f"{name}: no column {col!r} (for {key}=); columns are {list(table.columns)}")
    if "doc_id" not in mapping and "id" in table.columns:
        mapping["doc_id"] = "id"
    for key in CANONICAL:   # same-named columns map themselves, unless already used
        if key not in mapping and key in table.columns and key not in mapping.values():
            mapping[key] = key
    if "text" not in mapping:
        raise CorpusError(f"{name}: no text column; columns are {list(table.columns)}; "
                          f"name the one holding the article text, e.g. text='body'")
    table = pd.DataFrame({**{k: table[v] for k, v in mapping.items()},
                          **{c: table[c] for c in table.columns if c not in mapping.values() and c not in mapping}})
    records, seen = [], {}
    for line, row in zip(lines, table.to_dict("records")):
        where = f"{name}:{line}"
        text = row.get("text")
        if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
            log.reject(where, "empty text")
            continue
        text = str(text)
        doc_id = row.get("doc_id")
        doc_id = str(doc_id) if doc_id not in (None, "") and not (isinstance(doc_id, float) and np.isnan(doc_id)) \
            else hashlib.sha1(text.encode()).hexdigest()[:16]
        if doc_id in seen:
            log.reject(where, f"duplicate doc_id {doc_id!r} (first at line {seen[doc_id]})")
            continue
        seen[doc_id] = line
        rec = {k: v for k, v in row.items() if k != "text"}
        rec.update(doc_id=doc_id, file=name, _where=where, text_raw=text)
        records.append(rec)
    return records


def _manifest_rows(root: Path, manifest: Path, log: _Log, linked=True, files=()) -> dict:
    """The manifest rows by the relative path of their file: {path: (where,
    row)}; rows that escape the folder, repeat a file or name a missing file
    are rejected. ``files``: the files found under ``root`` (known to exist).
    ``linked=False`` (no symbolic link below ``root``): a path that stays
    inside ``root`` resolves lexically, without a system call per row."""
    try:
        data = manifest.read_bytes()
        man = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise CorpusError(f"{manifest}: cannot read the manifest: {e}") from None
    log.inputs.append({"path": f"manifest:{manifest.name}", "sha256": hashlib.sha256(data).hexdigest()})
    if "file" not in man.columns:
        raise CorpusError(f"{manifest}: no 'file' column; columns are {list(man.columns)}")
    rootr = os.path.realpath(root)
    prefix = rootr.rstrip("/") + "/"
    rows, first = {}, {}
    for i, row in enumerate(man.to_dict("records")):
        line, path = i + 2, row["file"].strip()
        where = f"{manifest.name}:{line}"
        norm = os.path.normpath(path)
        if not linked and not os.path.isabs(norm) and norm != ".." and not norm.startswith("../"):
            target = rootr if norm == "." else prefix + norm
        else:
            target = os.path.realpath(os.path.join(root, path))
        if not (target == rootr or target.startswith(prefix)):
            log.reject(where, f"path {path!r} escapes the corpus folder")
            continue
        key = "." if target == rootr else target[len(prefix):]
        if key in first:
            log.reject(where, f"duplicate manifest row for {path!r} (first at line {first[key]})")
            continue
        first[key] = line
        if key not in files and not os.path.isfile(target):
            log.reject(where, f"file {path!r} listed in the manifest does not exist")
            continue
        rows[key] = (where, row)
    return rows


_DATE_CACHE: dict = {}


def _to_timestamp(text, dayfirst=False):
    """(Timestamp or NaT, problem or None) for a date string; cached.
    ``dayfirst``: read 03/04/2023 as 3 April (ISO dates are unaffected)."""
    key = (text, dayfirst)
    if key in _DATE_CACHE:
        return _DATE_CACHE[key]
    try:
        ts = pd.Timestamp(dt.date.fromisoformat(text)) if len(text) == 10 else None
    except ValueError:
        ts = None
    if ts is None:
        ts = pd.to_datetime(text, errors="coerce", dayfirst=dayfirst)
        if pd.notna(ts) and ts.tz is not None:
            ts = ts.tz_convert(None)
    res = (pd.NaT, "impossible") if pd.isna(ts) else (ts, None)
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[key] = res
    return res


def _parse_date(value, where, log, today, dayfirst=False):
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return pd.NaT
    ts, problem = _to_timestamp(str(value).strip(), dayfirst)
    if problem:
        log.warn(where, f"impossible date {value!r}; published left empty")
        return pd.NaT
    if ts.normalize() > today:
        log.warn(where, f"date {value!r} is in the future; published left empty")
        return pd.NaT
    return ts


# --------------------------------------------------------------------------- #
# the entry point                                                              #
# --------------------------------------------------------------------------- #

def iter_records(source=None, manifest=None, log=None, **columns):
    """Yield the input records one by one, in the order :func:`read_records`
    returns them (a folder is read one file at a time). ``log`` (a ``_Log``)
    receives the rejections and warnings when the iteration ends, in the order
    read_records gives them; ``log.expected`` is set before the first record:
    the number of input files or table rows."""
    from .paths import SEEDS, MANIFEST
    if source is None:
        source, manifest = SEEDS, manifest or MANIFEST
    src = Path(source)
    if not src.exists():
        raise CorpusError(f"{source}: no such file or folder")
    if src.is_dir() and columns:
        raise CorpusError(f"column options ({', '.join(columns)}) apply to tables, not to a folder of .txt files")
    log = log if log is not None else _Log()
    parts = {"reads": _Log(), "manifest": _Log(), "no_row": [], "expected": 0}
    if src.is_dir():
        records = _folder_records(src, manifest, parts)
    elif src.suffix.lower() in TABLE_SUFFIXES:
        records = _read_table(src, columns, parts["reads"])
        parts["expected"] = len(records)
    else:
        raise CorpusError(f"{source}: not a folder or a table ({', '.join(sorted(TABLE_SUFFIXES))})")
    seen, duplicates = {}, []
    for rec in records:
        log.expected = parts["expected"]      # known once the folder is listed
        if rec["doc_id"] in seen:
            duplicates.append({"source": str(rec["_where"]),
                               "reason": f"duplicate doc_id {rec['doc_id']!r} (first: {seen[rec['doc_id']]})"})
            continue
        seen[rec["doc_id"]] = rec["_where"]
        yield rec
    log.expected = parts["expected"]
    reads, mani = parts["reads"], parts["manifest"]
    log.rejected += reads.rejected + mani.rejected + parts["no_row"] + duplicates
    log.warnings += reads.warnings + mani.warnings
    log.inputs += reads.inputs + mani.inputs


def read_records(source=None, manifest=None, **columns):
    """Read the inputs (no processing): one record per document with its raw
    text and metadata, and the log of rejections and warnings so far."""
    log = _Log()
    return list(iter_records(source, manifest, log, **columns)), log


def load_corpus(source=None, manifest=None, *, n_jobs=None, speakers=None, dayfirst=False, **columns) -> Corpus:
    """Load a corpus with its audit trail.

    Parameters
    ----------
    source : folder of ``.txt`` files (searched recursively; an optional leading
        `` date YYYY-MM-DD`` header), or a ``.csv`` / ``.tsv`` / ``.jsonl`` /
        ``.json`` / ``.parquet`` table with one article per row. Defaults to the
        bundled seeds.
    manifest : CSV with a ``file`` column (paths relative to ``source``) and any
        metadata columns (outlet, published, ...). The source of metadata for a
        folder; the seeds' manifest is ``data/manifest.csv``.
    **columns : map canonical names onto a table's columns, e.g.
        ``text="body", outlet="Site", published="Date", doc_id="id"``.
    n_jobs : processes for cleaning/segmenting (default: 2 for large corpora).
    dayfirst : read dates such as 03/04/2023 as day first (3 April).

    Returns a :class:`Corpus`; nothing is dropped silently: see ``rejected`` and
    ``warnings``.
    """
    records, log = read_records(source, manifest, **columns)
    if source is None:
        from .paths import SEEDS
        source = SEEDS
    done = _process_all([r["text_raw"] for r in records], n_jobs) if speakers is None else \
        [process_document(r["text_raw"], speakers) for r in records]
    return _assemble(records, done, log, str(source), dayfirst=dayfirst)


def _assemble(records, done, log, source, *, dayfirst=False) -> Corpus:
    today = pd.Timestamp(dt.date.today())
    docs, sents, removed, quotes = [], [], [], []
    for rec, res in zip(records, done):
        doc_id, meta = rec["doc_id"], res["meta"]
        where = rec.get("_manifest_line", rec["_where"])
        published = _parse_date(rec.get("published"), where, log, today, dayfirst)
        header = meta.get("header_date")
        if header:
            hdate = _parse_date(header, f"{rec['_where']}:1", log, today, dayfirst)
            if pd.isna(published) and not rec.get("published"):
                published = hdate
            elif pd.notna(hdate) and pd.notna(published) and hdate.normalize() != published.normalize():
                log.warn(f"{rec['_where']}:1", f"header date {header} disagrees with published "
                         f"{published:%Y-%m-%d} ({where}); using the manifest")
        row = {k: v for k, v in rec.items() if not k.startswith("_") and k != "text_raw"}
        row.update(
            doc_id=doc_id, published=published,
            title=rec.get("title") or meta.get("title"),
            byline=rec.get("byline") or meta.get("byline"),
            dateline=meta.get("dateline"),
            url=rec.get("url") or (meta.get("urls") or [None])[0],
            credits=", ".join(meta.get("credits", [])) or None,
            headings=" | ".join(meta.get("headings", [])) or None,
            n_words=res["n_words"], n_sentences=len(res["sentences"]),
            text_raw=rec["text_raw"], text=res["text"])
        docs.append(row)
        text = res["text"]
        voice = _sentence_voice(res["sentences"], res["quotes"])
        for i, (s, e) in enumerate(res["sentences"]):
            sents.append((doc_id, i, s, e, text[s:e], *voice[i]))
        removed.extend((doc_id, rule, t) for rule, t in res["removed"])
        quotes.extend({"doc_id": doc_id, **q} for q in res["quotes"])
    documents = pd.DataFrame(docs)
    if len(documents):
        documents["published"] = pd.to_datetime(documents["published"])
        documents["month"] = documents["published"].dt.strftime("%Y-%m")
        documents["outlet"] = documents.get("outlet", pd.Series("(unknown)", index=documents.index))
        documents["outlet"] = documents["outlet"].replace("", "(unknown)").fillna("(unknown)")
        first = ["doc_id", "outlet", "published", "month", "title", "byline", "url", "n_words", "n_sentences"]
        documents = documents[first + [c for c in documents.columns if c not in first]]
    else:
        documents = pd.DataFrame(columns=["doc_id", "outlet", "published", "month", "title", "text_raw", "text", "n_words"])
    sentences = pd.DataFrame(sents, columns=["doc_id", "sent_id", "start", "end", "text",
                                             "quoted_chars", "quoted_share", "voice", "speaker"])
    sentences = sentences.astype({"sent_id": "int32", "start": "int32", "end": "int32", "quoted_chars": "int32"})
    from .quotes import QUOTE_COLUMNS
    return Corpus(
        documents=documents,
        sentences=sentences,
        removed=pd.DataFrame(removed, columns=["doc_id", "rule", "text"]),
        rejected=pd.DataFrame(log.rejected, columns=["source", "reason"]),
        warnings=pd.DataFrame(log.warnings, columns=["source", "reason"]),
        quotes=pd.DataFrame(quotes, columns=QUOTE_COLUMNS),
        inputs=pd.DataFrame(log.inputs, columns=["path", "sha256"]),
        source=source)


def _sentence_voice(spans, quotes):
    """Per sentence: quoted characters, their share, voice label, main speaker
    (the quote with the largest overlap; the first one on a tie)."""
    out = []
    direct = [q for q in quotes if q["kind"] != "indirect"]
    starts = [q["start"] for q in direct]
    reach = list(itertools.accumulate((q["end"] for q in direct), max))   # max end so far
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))
    for s, e in spans:
        best, chars, speaker = 0, 0, None
        # only quotes that can overlap: start < e, and not all ends so far <= s
        hi = bisect.bisect_left(starts, e) if ordered else len(direct)
        for k in range(bisect.bisect_right(reach, s) if ordered else 0, hi):
            q = direct[k]
            ov = min(e, q["end"]) - max(s, q["start"])
            if ov > 0:
                chars += ov
                if ov > best:
                    best, speaker = ov, q["speaker"]
        share = chars / max(1, e - s)
        voice = "narrative" if chars == 0 else ("quoted" if share >= 0.5 else "mixed")
        out.append((chars, round(share, 4), voice, speaker))
    return out
