"""``researchlib analyse``: the full measurement pipeline at scale.

Documents are read once and streamed in batches (``batch_plan``: ``BATCH``
documents, smaller ones at the end; input order); each batch runs through the
same functions the notebooks use (clean, segment, quotes -> term hits, VADER
and TextBlob per sentence, frames, dates mentioned) in a process pool; each
batch's tables are written as Parquet parts (``OUT/<table>/part-NNNNN.parquet``)
as soon as they are done, so no process holds every intermediate.
Per-sentence tables use compact dtypes (categoricals, int32).

Cache: every measure's output for a batch is stored under a key made of the
batch's document keys (sha256 of each document's raw text and metadata), the
measure's code version and the hash of its resources (term groups, codebook,
speaker table). Re-running on an unchanged corpus reuses everything; a changed
codebook recomputes only frames; a changed document recomputes its batch.
Known limit: inserting documents shifts the batches after them, which then
recompute. An input state seen before (same files, sizes, change times and
manifest bytes) is not even read again: :mod:`researchlib.input_index`
records which batches a complete run produced.

Safety: the output folder is built aside and swapped in when complete, never
replacing a folder researchlib did not write or one holding an input
(:mod:`researchlib.outputs`; one run per output at a time). Every cache entry
and output part is written under a temporary name and renamed into place;
each batch's cache record lists the size and CRC-32 of every table it was
made from, and a warm run copies a cached table only when both match. A
damaged entry (truncated, empty, unreadable) is reported with a
``CacheWarning`` and recomputed. A batch's entries are computed by one run
at a time (a lock per batch: runs sharing a cache wait for each other's
batches instead of computing them twice). Pool workers exit when the run is
killed (:mod:`researchlib.workers`).

Beyond one machine: ``analyse(..., scheduler="tcp://host:8786")`` (extra
``researchlib[dask]``) sends the same batch function to a dask.distributed
cluster; a table source is read with ``dask.dataframe`` in partitions.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import Corpus, assemble, iter_records, process_document
from .outputs import Lock, OutputBuild, write_bytes_atomic
from .paths import SEEDS
from .readers import ReadLog
from .resources import load_resource, resource_hash

__all__ = ["analyse", "analyse_batch", "read_analysis", "VERSIONS", "BATCH", "CacheWarning"]

BATCH = 500
#: Code version of each measure: bump when its output changes.
VERSIONS = {"core": 2, "terms": 2, "sentiment": 1, "frames": 2, "dates": 1}   # 2: case rule, exclusions
CORE_TABLES = ("documents", "sentences", "quotes", "removed", "warnings")
#: Files of an analyse output (relative paths), for ``--force`` on an output
#: written before output folders carried a marker.
OUTPUT_FILES = r"(?:summary|rejected|read_warnings)\.csv|[a-z_]+/part-\d{5}\.parquet"
CATEGORICAL = {"outlet", "method", "voice", "frame", "group", "term", "kind", "rule", "speaker_group", "precision"}


def _measures(groups, codebook):
    from .frames import frames
    from .sentiment import sentiment
    from .terms import term_hits
    from .timeline import dates_mentioned
    return {
        "terms": lambda c: term_hits(c, groups),
        "sentiment": lambda c: sentiment(c, methods=("vader", "textblob")).drop(columns=["text", "masked"]),
        "frames": lambda c: frames(c, codebook),
        "dates": dates_mentioned,
    }


def measure_keys(groups=None, codebook="study") -> dict:
    """Cache key part per measure: code version + resource hash."""
    from importlib.metadata import version
    res = {"core": resource_hash(load_resource(None, "speakers", "speakers")),
           "terms": resource_hash(load_resource(groups, "terms", "terms")),
           "sentiment": f"{version('vaderSentiment')}-{version('textblob')}",
           "frames": resource_hash(load_resource(codebook, "codebook", "study")),
           "dates": "none"}
    return {m: f"v{VERSIONS[m]}-{res[m]}" for m in VERSIONS}


def _doc_key(rec) -> str:
    meta = repr([(k, str(v)) for k, v in sorted(rec.items()) if k != "text_raw" and not k.startswith("_")])
    return hashlib.sha256((rec["text_raw"] + "\0" + meta).encode()).hexdigest()


def _batch_key(records) -> str:
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


_MADE: set = set()


def _mkdir(path: Path, run=None, parents=True):
    """mkdir -p, once per folder, process and run of analyse (``run``: the
    run's id; folders may be deleted between runs). ``parents=False`` for the
    output's table folders: a worker outliving its run must not re-create a
    removed build folder."""
    if run is None or (run, path) not in _MADE:
        path.mkdir(parents=parents, exist_ok=True)
        if run is not None:
            _MADE.add((run, path))


class CacheWarning(UserWarning):
    """A cache entry was damaged (truncated, empty, unreadable) and is recomputed."""


def _damaged(path, why):
    warnings.warn(f"cache entry {path} is damaged ({why}); recomputing it", CacheWarning, stacklevel=3)


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


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


def _cache_files(cache, mkeys, bkey) -> dict:
    """{table: its file in the cache} for one batch."""
    core_dir = _cache_path(cache, "core", mkeys["core"], bkey)
    files = {t: core_dir / f"{t}.parquet" for t in CORE_TABLES}
    files.update({m: _cache_path(cache, m, mkeys[m], bkey).with_suffix(".parquet") for m in VERSIONS if m != "core"})
    return files


def analyse_batch(index, records, opts) -> dict:
    """Run every measure on one batch of records; returns {table: DataFrame}
    (and writes Parquet parts when ``opts['out']`` is set). With a cache, the
    batch's entries are computed by one run at a time: a run that finds
    another computing them waits, then copies them."""
    cache, bkey = opts.get("cache"), _batch_key(records)
    if not cache:
        return _compute_batch(index, records, opts, bkey)
    if opts.get("out"):
        hit = _copy_if_cached(index, bkey, opts)
        if hit is not None:
            return {"summary": hit}
    locks = Path(cache) / "locks"
    _mkdir(locks, opts.get("run"))
    with Lock(locks / f"{bkey}.lock") as lock:
        if lock.waited and opts.get("out"):
            hit = _copy_if_cached(index, bkey, opts)
            if hit is not None:
                return {"summary": hit}
        return _compute_batch(index, records, opts, bkey)


def _compute_batch(index, records, opts, bkey) -> dict:
    cache, mkeys, run = opts.get("cache"), opts["keys"], opts.get("run")
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
        data = {t: _parquet_bytes(df) for t, df in tables.items()}
        if cache:
            _mkdir(files["documents"].parent, run)
            for t in CORE_TABLES:
                write_bytes_atomic(files[t], data[t])
    corpus = None
    for name, fn in _measures(opts.get("groups"), opts.get("codebook", "study")).items():
        hit = _read_cached(files[name]) if cache else None
        if hit is not None:
            tables[name], data[name] = hit
            continue
        if corpus is None:
            corpus = Corpus(tables["documents"].assign(outlet=tables["documents"]["outlet"].astype(str)),
                            tables["sentences"], tables["removed"], pd.DataFrame(columns=["source", "reason"]),
                            tables["warnings"], tables["quotes"])
        tables[name] = _compact(fn(corpus))
        data[name] = _parquet_bytes(tables[name])
        if cache:
            _mkdir(files[name].parent, run)
            write_bytes_atomic(files[name], data[name])
    if opts.get("out"):
        for t, b in data.items():
            d = Path(opts["out"]) / t
            _mkdir(d, run, parents=False)
            write_bytes_atomic(d / f"part-{index:05d}.parquet", b)
    summary = _partial_summary(tables)
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
    _mkdir(path.parent)
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


def _copy_if_cached(index, bkey, opts):
    """Warm path: every table of batch ``bkey`` is cached and matches its
    recorded size and CRC-32 -> copy the files to ``opts['out']`` as part
    ``index``; returns its summary, else None. A file that does not match is
    reported and removed from the cache, so that it is recomputed."""
    cache, mkeys, out, run = opts["cache"], opts["keys"], Path(opts["out"]), opts.get("run")
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
        _mkdir(out / t, run, parents=False)
        write_bytes_atomic(out / t / f"part-{index:05d}.parquet", b)
    return pd.DataFrame(record["columns"], index=pd.Index(record["index"], name="outlet"))


def _partial_summary(t) -> pd.DataFrame:
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


def summarise(partials) -> pd.DataFrame:
    total = pd.concat(partials).fillna(0).groupby(level=0).sum()
    counts = [c for c in total.columns if not c.endswith("_sum")]
    total[counts] = total[counts].round().astype("int64")
    for m in ("vader", "textblob"):
        if f"{m}_sum" in total:
            total[f"{m}_mean"] = total[f"{m}_sum"] / total[f"{m}_n"]
    total.index.name = "outlet"
    return total.reset_index()


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


def _stream_batches(records, log, batch):
    """Consecutive batches of the record stream, sized by :func:`batch_plan`
    (known once the first record arrives); yields (batches planned, batch)."""
    it = iter(records)
    first = next(it, None)
    if first is None:
        return
    plan = batch_plan(max(log.expected, 1), batch)
    sizes = iter(plan)
    size, pending = next(sizes), [first]
    for rec in it:
        if len(pending) >= size:
            yield len(plan), pending
            size, pending = next(sizes, batch), []
        pending.append(rec)
    yield len(plan), pending


def analyse(source, manifest=None, out="analysis", jobs=None, cache=".researchlib-cache", groups=None,
            codebook="study", scheduler=None, progress=True, batch=BATCH, force=False, **columns) -> pd.DataFrame:
    """Run the full pipeline; write Parquet tables and ``summary.csv`` to
    ``out``; return the per-outlet summary. ``out`` is built aside and
    swapped in when complete; an existing ``out`` is replaced only when it
    holds nothing but a previous output (``force``: see
    :class:`researchlib.outputs.OutputBuild`)."""
    inputs = {"corpus": SEEDS if source is None else source, "manifest": manifest, "cache": cache,
              **{label: p for label, p in (("term groups file", groups), ("codebook file", codebook))
                 if isinstance(p, (str, os.PathLike)) and os.path.isfile(p)}}
    with OutputBuild(out, command="analyse", inputs=inputs, force=force, shape=OUTPUT_FILES,
                     required="summary.csv") as tmp:
        opts = {"out": str(tmp), "cache": str(Path(cache).resolve()) if cache else None, "groups": groups,
                "codebook": codebook, "keys": measure_keys(groups, codebook), "run": os.urandom(8).hex()}
        if scheduler:
            from .distributed import analyse_distributed
            partials, log = analyse_distributed(source, manifest, columns, opts, scheduler, batch)
        else:
            partials, log = _analyse_local(source, manifest, columns, opts, jobs, batch, progress)
        pd.DataFrame(log.rejected, columns=["source", "reason"]).to_csv(tmp / "rejected.csv", index=False)
        pd.DataFrame(log.warnings, columns=["source", "reason"]).to_csv(tmp / "read_warnings.csv", index=False)
        summary = summarise(partials) if partials else pd.DataFrame()
        summary.to_csv(tmp / "summary.csv", index=False)
    return summary


def _import_nltk_lean():
    """Import NLTK (Punkt; TextBlob imports it too) without its optional
    scikit-learn and SciPy integrations, which its ``__init__`` loads eagerly
    when installed (1.9 s instead of 0.4 s per process). Only for analyse
    workers: nothing there uses those integrations, and scikit-learn and SciPy
    stay importable afterwards."""
    import sys
    if "nltk" in sys.modules:
        return
    blocked = [m for m in ("sklearn", "scipy") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None          # makes ``import m`` raise ImportError
    try:
        import nltk.tokenize.punkt  # noqa: F401
        import textblob  # noqa: F401
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]


def warm_up():
    """Import and build what every batch needs (lexicons, tokenizer, speaker
    and term patterns) once per process."""
    _import_nltk_lean()
    from .quotes import _default_resolver
    from .textblob_exact import _state as textblob_state
    from .vader_exact import _state as vader_state
    _default_resolver()
    vader_state()
    textblob_state()
    process_document('Warm up. He said "yes" on Monday.')


def _worker_init():
    """Pool initializer: exit with the parent process (a killed run leaves no
    worker), warm up, then keep the cyclic garbage collector off
    the lexicons and tables loaded so far (gc.freeze) and let it run less
    often: batches allocate many short-lived objects and create few cycles."""
    import gc

    from .workers import die_with_parent
    die_with_parent()
    warm_up()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _analyse_local(source, manifest, columns, opts, jobs, batch, progress):
    from tqdm import tqdm
    import multiprocessing
    import time
    from .input_index import input_state, load_index, save_index
    jobs = jobs or min(2, os.cpu_count() or 1)
    started = time.time_ns()
    state = input_state(source, manifest, columns, batch) if opts["cache"] else None
    if state:   # inputs unchanged since a complete run: copy its batches without reading them
        found = _copy_indexed(load_index(opts["cache"], state[0]), opts)
        if found:
            return found
    # Workers load lexicons while this process reads the inputs, unless the
    # cache may hold this corpus: then the pool starts at the first batch to
    # compute (a warm run needs none).
    maybe_warm = opts["cache"] and (Path(opts["cache"]) / "core" / opts["keys"]["core"]).is_dir()
    pool = multiprocessing.Pool(jobs, initializer=_worker_init) if jobs > 1 and not maybe_warm else None
    log = ReadLog()
    try:
        partials, running, bkeys = {}, [], []
        bar = tqdm(desc="batches", unit="batch", disable=not progress)
        # batches go out while the inputs are still being read
        for i, (planned, b) in enumerate(_stream_batches(iter_records(source, manifest, log, **columns), log, batch)):
            bar.total = max(planned, i + 1)
            hit = None
            if opts["cache"]:   # warm path in this process: copy cached batches
                bkey = _batch_key(b)
                bkeys.append(bkey)
                hit = _copy_if_cached(i, bkey, opts)
            if hit is not None:
                partials[i] = hit
                bar.update()
            elif jobs > 1 and (planned > 1 or i > 0):
                pool = pool or multiprocessing.Pool(jobs, initializer=_worker_init)
                running.append((i, pool.apply_async(analyse_batch, (i, b, opts))))
            else:
                partials[i] = analyse_batch(i, b, opts)["summary"]
                bar.update()
        for i, r in running:
            partials[i] = r.get()["summary"]
            bar.update()
        bar.close()
    finally:
        if pool:
            pool.terminate()
    if state and not save_index(opts["cache"], state, started, bkeys, log):
        # inputs changed just before the run: if they are unchanged now, the
        # state seen at this later time is safe to record
        now = time.time_ns()
        if input_state(source, manifest, columns, batch) == state:
            save_index(opts["cache"], state, now, bkeys, log)
    return [partials[i] for i in sorted(partials)], log


def _copy_indexed(index, opts):
    """(partials, log) from a recorded run whose batches are all cached, else None."""
    if not index:
        return None
    partials = []
    for i, bkey in enumerate(index["batches"]):
        hit = _copy_if_cached(i, bkey, opts)
        if hit is None:
            return None
        partials.append(hit)
    log = ReadLog()
    log.rejected, log.warnings = index["rejected"], index["warnings"]
    return partials, log


def _read_parts(folder: Path) -> pd.DataFrame:
    """The Parquet parts of one table. A column that is empty (all None) in
    one batch has Arrow's null type there; when the parts' types differ they
    are read one by one and stacked (label columns stay categorical)."""
    import pyarrow as pa
    try:
        return pd.read_parquet(folder)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        parts = [pd.read_parquet(f) for f in sorted(folder.glob("*.parquet"))]
        out = pd.concat(parts, ignore_index=True)
        for c in {c for p in parts for c in p.columns if isinstance(p[c].dtype, pd.CategoricalDtype)}:
            out[c] = out[c].astype("category")
        return out


def read_analysis(out) -> dict:
    """The tables written by :func:`analyse`, as DataFrames."""
    out = Path(out)
    tables = {p.name: _read_parts(p) for p in sorted(out.iterdir()) if p.is_dir()}
    tables["summary"] = pd.read_csv(out / "summary.csv")
    return tables
