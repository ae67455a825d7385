"""One batch of documents through every measure, with its cache (the work
unit of :mod:`researchlib.analyse` and :mod:`researchlib.distributed`).

Method
------
A batch (``BATCH`` documents; :func:`batch_plan` cuts a corpus) runs through
the same functions the notebooks use: clean, segment, quotes
(:func:`researchlib.corpus.process_document`), then each measure of
:func:`measures` (term hits, VADER and TextBlob per sentence, frames, dates
mentioned). Per-sentence tables use compact dtypes (categoricals, int32).
:func:`analyse_batch` returns the tables, or writes them as Parquet parts
(``OUT/<table>/part-NNNNN.parquet``) with a few additive figures per outlet
(:func:`partial_summary`) that :func:`researchlib.analyse.summarise` adds up.

Cache: every measure's output for a batch is stored under a key made of the
batch's document keys (sha256 of each document's raw text and metadata) and
the measure's key (:func:`measure_keys`). Re-running on an unchanged corpus
reuses everything; a changed codebook recomputes only frames; a changed
document recomputes its batch. Every cache entry is written under a
temporary name and renamed into place; each batch's record lists the size
and CRC-32 of every table it was made from, and a warm run copies a cached
table only when both match. A damaged entry (truncated, empty, unreadable)
is reported with a ``CacheWarning`` and recomputed. A batch's entries are
computed by one run at a time (a lock per batch: runs sharing a cache wait
for each other's batches instead of computing them twice).

Known limits
------------
Inserting documents shifts the batches after them, which then recompute.
The cache must be on a file system every process (and, with dask, every
worker) can write.
"""
from __future__ import annotations

import hashlib
import io
import json
import warnings
import zlib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .corpus import Corpus, assemble, process_document
from .errors import CacheWarning
from .outputs import Lock, write_bytes_atomic
from .resources import load_resource, resource_hash

__all__ = ["analyse_batch", "batch_plan", "planned_batches", "batch_key", "measure_keys", "measures", "source_hash", "MEASURES",
           "copy_if_cached", "core_cached", "parquet_bytes", "parquet_bytes_plain", "partial_summary", "BATCH", "CORE_TABLES", "CacheWarning"]

BATCH = 500
CORE_TABLES = ("documents", "sentences", "quotes", "removed", "warnings")
CATEGORICAL = {"outlet", "method", "voice", "frame", "group", "term", "kind", "rule", "speaker_group", "precision"}


class Depends(NamedTuple):
    """What a measure's output depends on besides the documents."""
    modules: tuple            # package modules whose code computes it (researchlib/<name>.py)
    resources: tuple | None   # ((kind, bundled default), ...) of the resources it reads
    libraries: tuple = ()     # distributions whose versions change its numbers


#: What each measure's output depends on, in one place. ``modules``: the
#: module of the measure and every package module it imports (shared ones
#: included; tests/test_boundaries.py checks the list against the import
#: graph). "core" is loading: clean, segment, quotes (the core tables); every
#: other measure reads the core tables, so its key includes the core key.
#: This module shapes every table (dtypes, summaries): it is in every key.
MEASURES = {
    "core": Depends(("corpus", "clean", "columns", "compat", "dates", "errors", "furniture", "language", "match",
                     "outputs", "paths", "quotes", "readers", "resources", "segment", "signatures", "speaker_phrases",
                     "stats", "store", "tables", "text", "web", "workers"),
                    (("speakers", "speakers"), ("speaker_nouns", "speaker_nouns")), ("nltk", "regex")),
    "terms": Depends(("terms", "copies", "errors", "furniture", "language", "match", "models", "outputs", "paths",
                      "resources", "signatures", "stats", "store", "text"),
                     (("terms", "terms"),)),
    "sentiment": Depends(("sentiment", "compat", "copies", "errors", "furniture", "language", "lexicons", "match",
                          "models", "news", "news_onnx", "outputs", "paths", "quotes", "resources", "signatures",
                          "speaker_phrases", "stance", "stats", "store", "terms", "text", "textblob_exact",
                          "vader_exact"),
                         None, ("vaderSentiment", "textblob")),
    "frames": Depends(("frames", "codebooks", "compat", "copies", "errors", "frame_scores", "furniture", "language",
                       "lexicons", "match", "memo", "models", "news", "news_onnx", "outputs", "paths", "quotes",
                       "resources", "safe_text", "sentiment", "signatures", "speaker_phrases", "stance", "stats",
                       "store", "terms", "text", "textblob_exact", "vader_exact"),
                      (("codebook", "generic"),)),
    "dates": Depends(("timeline", "errors", "findings", "outputs", "paths", "signatures", "store", "text"),
                     None),
}
COMMON = ("batches",)


def measures(groups, codebook) -> dict:
    """{measure: function of a Corpus -> its table} for every measure but
    core (the corpus itself)."""
    from .frames import frames
    from .sentiment import sentiment
    from .terms import term_hits
    from .timeline import dates_mentioned
    return {
        "terms": lambda c: term_hits(c, groups=groups),
        "sentiment": lambda c: sentiment(c, methods=("vader", "textblob")).drop(columns=["text", "masked"]),
        "frames": lambda c: frames(c, codebook=codebook),
        "dates": dates_mentioned,
    }


def _module_source(name) -> bytes:
    """The source code of package module ``name``."""
    return (Path(__file__).parent / f"{name}.py").read_bytes()


def source_hash(modules) -> str:
    """sha256 (16 hex digits) of the source code of package ``modules``."""
    h = hashlib.sha256()
    for name in sorted(set(modules)):
        h.update(name.encode() + b"\0" + hashlib.sha256(_module_source(name)).digest())
    return h.hexdigest()[:16]


def _version(dist) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def measure_keys(groups=None, codebook="generic") -> dict:
    """The cache key of each measure (``{measure: "VERSION-HASH"}``):
    researchlib's version and a hash of the source code of the measure's
    modules (:data:`MEASURES`), of its resource (``groups`` for terms,
    ``codebook`` for frames, the bundled speakers for core), of the versions
    of its libraries and, but for core, of the core key. A change to any of
    them gives a new key (the old entries are not read), so no version is
    bumped by hand."""
    spec = {"terms": groups, "codebook": codebook}
    package = _version("researchlib")
    keys = {}
    for name, dep in MEASURES.items():
        parts = {"package": package, "code": source_hash(dep.modules + COMMON),
                 "resource": resource_hash([load_resource(spec.get(kind), kind, default)
                                            for kind, default in dep.resources]) if dep.resources else None,
                 "libraries": {d: _version(d) for d in dep.libraries},
                 "core": keys.get("core")}
        keys[name] = f"{package}-" + hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]
    return keys


def _doc_key(rec) -> str:
    meta = repr([(k, str(v)) for k, v in sorted(rec.items()) if k != "text_raw" and not k.startswith("_")])
    return hashlib.sha256((rec["text_raw"] + "\0" + meta).encode()).hexdigest()


def batch_key(records) -> str:
    return hashlib.sha256("".join(_doc_key(r) for r in records).encode()).hexdigest()


_INT32 = {"sent_id", "start", "end", "quoted_chars", "n_words", "n_sentences"}


def _compact(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals for label columns, int32 for offsets and counts, and
    datetimes in seconds as milliseconds (the unit Parquet stores them in), so
    that a table computed from cached tables is written byte for byte as one
    computed from the text."""
    conv = {c: "category" for c in df.columns if c in CATEGORICAL and not isinstance(df[c].dtype, pd.CategoricalDtype)}
    conv.update({c: "int32" for c in df.columns if c in _INT32 and df[c].dtype != "int32"})
    for c in df.columns:
        t = df[c].dtype
        if isinstance(t, pd.DatetimeTZDtype) and t.unit == "s":
            conv[c] = pd.DatetimeTZDtype("ms", t.tz)
        elif not isinstance(t, pd.api.extensions.ExtensionDtype) and t.kind == "M" and np.datetime_data(t)[0] == "s":
            conv[c] = "datetime64[ms]"
    return df.astype(conv) if conv else df.copy()


def _damaged(path, why):
    warnings.warn(f"cache entry {path} is damaged ({why}); recomputing it", CacheWarning, stacklevel=3)


def parquet_bytes_plain(df: pd.DataFrame) -> bytes:
    """``df`` as Parquet in memory: pandas' ``DataFrame.to_parquet``."""
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """The bytes of :func:`parquet_bytes_plain`, written through pyarrow in
    this thread: pandas' ``to_parquet`` is ``pyarrow.Table.from_pandas`` then
    ``pyarrow.parquet.write_table(compression="snappy")``, but from_pandas
    converts the columns of a table of more than 100 rows per column in a
    pool of threads, which costs a batch more CPU than it saves (tested byte
    for byte in tests/test_batches_tables.py). Frames pandas treats apart
    (``attrs``, column names that are not strings, time-zone-aware columns,
    another Parquet engine chosen) go the plain way."""
    if df.attrs or not all(isinstance(c, str) for c in df.columns) \
            or any(isinstance(t, pd.DatetimeTZDtype) for t in df.dtypes) \
            or pd.get_option("io.parquet.engine") not in ("auto", "pyarrow"):
        return parquet_bytes_plain(df)
    import pyarrow as pa
    import pyarrow.parquet as pq
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(df, nthreads=1), sink, compression="snappy")
    return sink.getvalue().to_pybytes()


def _read_cached(path):
    """(DataFrame, its Parquet bytes) of one cache entry; None when it is
    absent, or damaged (reported, then recomputed and replaced)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        _damaged(path, e)
        return None
    try:
        return pd.read_parquet(io.BytesIO(data)), data
    except Exception as e:      # truncated or garbled Parquet: ArrowInvalid, OSError, ...
        _damaged(path, f"{type(e).__name__}: {e}")
        return None


def _cache_path(cache, measure, mkey, bkey):
    return Path(cache) / measure / mkey / bkey[:2] / bkey


def core_cached(cache, mkeys) -> bool:
    """True if ``cache`` holds batches under the current core key (a warm
    run may need no computation)."""
    return (Path(cache) / "core" / mkeys["core"]).is_dir()


def _cache_files(cache, mkeys, bkey) -> dict:
    """{table: its file in the cache} for one batch."""
    core_dir = _cache_path(cache, "core", mkeys["core"], bkey)
    files = {t: core_dir / f"{t}.parquet" for t in CORE_TABLES}
    files.update({m: _cache_path(cache, m, mkeys[m], bkey).with_suffix(".parquet") for m in MEASURES if m != "core"})
    return files


def analyse_batch(index, records, opts) -> dict:
    """Run every measure on one batch of records; returns {table: DataFrame}
    (and writes Parquet parts when ``opts['out']`` is set). With a cache, the
    batch's entries are computed by one run at a time: a run that finds
    another computing them waits, then copies them."""
    cache, bkey = opts.get("cache"), batch_key(records)
    if not cache:
        return _compute_batch(index, records, opts, bkey)
    if opts.get("out"):
        hit = copy_if_cached(index, bkey, opts)
        if hit is not None:
            return {"summary": hit}
    locks = Path(cache) / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with Lock(locks / f"{bkey}.lock") as lock:
        if lock.waited and opts.get("out"):
            hit = copy_if_cached(index, bkey, opts)
            if hit is not None:
                return {"summary": hit}
        return _compute_batch(index, records, opts, bkey)


def _compute_batch(index, records, opts, bkey) -> dict:
    cache, mkeys = opts.get("cache"), opts["keys"]
    files = _cache_files(cache, mkeys, bkey) if cache else {}
    tables, data = {}, {}     # table -> DataFrame, its Parquet bytes (cached bytes are copied, not re-encoded)
    for t in CORE_TABLES if cache else ():
        hit = _read_cached(files[t])
        if hit is None:
            break
        tables[t], data[t] = hit
    if len(tables) < len(CORE_TABLES):
        corpus = assemble(records, [process_document(r["text_raw"]) for r in records])
        tables = {"documents": corpus.documents.drop(columns=["text_raw"]), "sentences": corpus.sentences,
                  "quotes": corpus.quotes, "removed": corpus.removed, "warnings": corpus.warnings}
        tables = {k: _compact(v) for k, v in tables.items()}
        data = {t: parquet_bytes(df) for t, df in tables.items()}
        if cache:
            files["documents"].parent.mkdir(parents=True, exist_ok=True)
            for t in CORE_TABLES:
                write_bytes_atomic(files[t], data[t])
    corpus = None
    for name, fn in measures(opts.get("groups"), opts.get("codebook", "generic")).items():
        hit = _read_cached(files[name]) if cache else None
        if hit is not None:
            tables[name], data[name] = hit
            continue
        if corpus is None:
            corpus = Corpus(tables["documents"].assign(outlet=tables["documents"]["outlet"].astype(str)),
                            tables["sentences"], tables["removed"], pd.DataFrame(columns=["source", "reason"]),
                            tables["warnings"], tables["quotes"])
        tables[name] = _compact(fn(corpus))
        data[name] = parquet_bytes(tables[name])
        if cache:
            files[name].parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(files[name], data[name])
    if opts.get("out"):
        for t, b in data.items():
            d = Path(opts["out"]) / t
            d.mkdir(exist_ok=True)      # not parents: a worker outliving its run must not re-create its build folder
            write_bytes_atomic(d / f"part-{index:05d}.parquet", b)
    summary = partial_summary(tables)
    if cache:
        _write_summary(summary, {t: _checksum(b) for t, b in data.items()}, _summary_path(cache, mkeys, bkey))
    return {"summary": summary, **({} if opts.get("out") else tables)}


def _checksum(data: bytes) -> list:
    """[size, CRC-32] of one cached table."""
    return [len(data), zlib.crc32(data)]


def _summary_path(cache, mkeys, bkey):
    key = hashlib.sha256(json.dumps(mkeys, sort_keys=True).encode()).hexdigest()[:16]
    return Path(cache) / "summary" / key / bkey[:2] / f"{bkey}.json"


# Partial summaries are a few numbers per outlet: JSON (floats round-trip
# exactly) reads faster than Parquet on the warm path. The record also holds
# [size, CRC-32] of every table of the batch, checked before a copy.
def _write_summary(summary, files, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, json.dumps({"index": summary.index.tolist(), "columns": summary.to_dict("list"),
                                         "files": files}).encode())


def _read_record(path):
    """The batch record (summary and checksums), or None when absent, written
    by a version without checksums, or damaged (reported)."""
    try:
        record = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        _damaged(path, f"{type(e).__name__}: {e}")
        return None
    if not (isinstance(record, dict) and isinstance(record.get("index"), list)
            and isinstance(record.get("columns"), dict)):
        _damaged(path, "not a batch record")
        return None
    return record if isinstance(record.get("files"), dict) else None


def copy_if_cached(index, bkey, opts):
    """Warm path: every table of batch ``bkey`` is cached and matches its
    recorded size and CRC-32 -> copy the files to ``opts['out']`` as part
    ``index``; returns its summary, else None. A file that does not match is
    reported and removed from the cache, so that it is recomputed."""
    cache, mkeys, out = opts["cache"], opts["keys"], Path(opts["out"])
    record = _read_record(_summary_path(cache, mkeys, bkey))
    if record is None:
        return None
    blobs = {}
    for t, f in _cache_files(cache, mkeys, bkey).items():
        try:
            blobs[t] = f.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            _damaged(f, e)
            return None
        if _checksum(blobs[t]) != record["files"].get(t):
            _damaged(f, f"{len(blobs[t])} bytes, CRC-32 {zlib.crc32(blobs[t])}; recorded [size, CRC-32]: "
                        f"{record['files'].get(t)}")
            f.unlink(missing_ok=True)
            return None
    for t, b in blobs.items():
        (out / t).mkdir(exist_ok=True)
        write_bytes_atomic(out / t / f"part-{index:05d}.parquet", b)
    return pd.DataFrame(record["columns"], index=pd.Index(record["index"], name="outlet"))


def partial_summary(t) -> pd.DataFrame:
    """Additive per-outlet figures of one batch (sums and counts), one row per
    outlet; a count an outlet lacks is 0."""
    from collections import Counter
    d = t["documents"]
    outlets = d["outlet"].astype(str).tolist()
    outlet_of = dict(zip(d["doc_id"], outlets))
    cols = {"n_docs": Counter(outlets), "n_words": Counter(), "n_sentences": Counter()}
    for o, w, n in zip(outlets, d["n_words"].tolist(), d["n_sentences"].tolist()):
        cols["n_words"][o] += w
        cols["n_sentences"][o] += n
    s = t["sentiment"]
    if len(s):
        g = s.groupby([s["method"].astype(str).to_numpy(), s["outlet"].astype(str).to_numpy()])["score"]
        sums, sizes = g.sum(), g.size()      # pandas' (compensated) sum, as in every other path
        for m in sorted(set(sums.index.get_level_values(0))):
            cols[f"{m}_sum"] = sums.loc[m].to_dict()
            cols[f"{m}_n"] = sizes.loc[m].to_dict()
    for table, column, prefix in ((t["terms"], "group", "terms_"), (t["frames"], "frame", "frame_sentences:")):
        c = Counter(zip(table[column].astype(str).tolist(), map(outlet_of.__getitem__, table["doc_id"].tolist())))
        for key in sorted({k for k, _ in c}):
            cols[prefix + key] = {o: n for (k, o), n in c.items() if k == key}
    cols["n_quotes"] = Counter(map(outlet_of.__getitem__, t["quotes"]["doc_id"].tolist()))
    index = sorted(set(outlets))
    out = pd.DataFrame({c: [v.get(o) for o in index] for c, v in cols.items()},
                       index=pd.Index(index, name="outlet"))
    return out.fillna(0)


def _batches(records, size):
    return [records[i:i + size] for i in range(0, len(records), size)]


def batch_plan(expected: int, batch: int = BATCH) -> list:
    """Batch sizes for ``expected`` documents: ``batch`` each, shrinking over
    the last quarter-batches (a quarter of what is left, at least batch // 4)
    so that the workers finish together instead of one waiting for the
    other's last full batch. Depends only on the number of inputs, so the same
    corpus gives the same batches (and cache keys)."""
    sizes, left = [], expected
    while left > 0:
        size = min(left, batch, max(batch // 4, -(-left // 4)))
        sizes.append(size)
        left -= size
    return sizes


def planned_batches(records, expected, batch=BATCH) -> list:
    """``records`` cut as :func:`batch_plan` says (what analyse sends out)."""
    out, pos = [], 0
    for size in batch_plan(max(expected, 1), batch):
        if pos < len(records):
            out.append(records[pos:pos + size])
            pos += size
    if pos < len(records):
        out += _batches(records[pos:], batch)
    return out
