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

Beyond one machine: ``analyse(..., scheduler="tcp://host:8786")`` (extra
``researchlib[dask]``) sends the same batch function to a dask.distributed
cluster; a table source is read with ``dask.dataframe`` in partitions.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from .corpus import Corpus, _assemble, _Log, iter_records, process_document
from .resources import load_resource, resource_hash

__all__ = ["analyse", "analyse_batch", "read_analysis", "VERSIONS", "BATCH"]

BATCH = 500
#: Code version of each measure: bump when its output changes.
VERSIONS = {"core": 1, "terms": 1, "sentiment": 1, "frames": 1, "dates": 1}
CORE_TABLES = ("documents", "sentences", "quotes", "removed", "warnings")
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


def measure_keys(groups=None, codebook="generic") -> dict:
    """Cache key part per measure: code version + resource hash."""
    from importlib.metadata import version
    res = {"core": resource_hash(load_resource(None, "speakers", "speakers")),
           "terms": resource_hash(load_resource(groups, "terms", "terms")),
           "sentiment": f"{version('vaderSentiment')}-{version('textblob')}",
           "frames": resource_hash(load_resource(codebook, "codebook", "generic")),
           "dates": "none"}
    return {m: f"v{VERSIONS[m]}-{res[m]}" for m in VERSIONS}


def _doc_key(rec) -> str:
    meta = repr([(k, str(v)) for k, v in sorted(rec.items()) if k != "text_raw" and not k.startswith("_")])
    return hashlib.sha256((rec["text_raw"] + "\0" + meta).encode()).hexdigest()


def _batch_key(records) -> str:
    return hashlib.sha256("".join(_doc_key(r) for r in records).encode()).hexdigest()


_INT32 = {"sent_id", "start", "end", "quoted_chars", "n_words", "n_sentences"}


def _compact(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals for label columns, int32 for offsets and counts."""
    conv = {c: "category" for c in df.columns if c in CATEGORICAL and not isinstance(df[c].dtype, pd.CategoricalDtype)}
    conv.update({c: "int32" for c in df.columns if c in _INT32 and df[c].dtype != "int32"})
    return df.astype(conv) if conv else df.copy()


_MADE: set = set()


def _mkdir(path: Path, run=None):
    """mkdir -p, once per folder, process and run of analyse (``run``: the
    run's id; folders may be deleted between runs)."""
    if run is None or (run, path) not in _MADE:
        path.mkdir(parents=True, exist_ok=True)
        if run is not None:
            _MADE.add((run, path))


def _cache_path(cache, measure, mkey, bkey):
    return Path(cache) / measure / mkey / bkey[:2] / bkey


def analyse_batch(index, records, opts) -> dict:
    """Run every measure on one batch of records; returns {table: DataFrame}
    (and writes Parquet parts when ``opts['out']`` is set)."""
    cache, mkeys = opts.get("cache"), opts["keys"]
    bkey = _batch_key(records)
    tables = {}
    core_dir = _cache_path(cache, "core", mkeys["core"], bkey) if cache else None
    if cache and opts.get("out"):
        hit = _copy_if_cached(index, bkey, opts)
        if hit is not None:
            return {"summary": hit}
    cached = {}        # table -> its Parquet file in the cache (copied to out, not re-encoded)
    if core_dir and all((core_dir / f"{t}.parquet").exists() for t in CORE_TABLES):
        for t in CORE_TABLES:
            cached[t] = core_dir / f"{t}.parquet"
            tables[t] = pd.read_parquet(cached[t])
    else:
        log = _Log()
        corpus = _assemble(records, [process_document(r["text_raw"]) for r in records], log, "")
        tables = {"documents": corpus.documents.drop(columns=["text_raw"]), "sentences": corpus.sentences,
                  "quotes": corpus.quotes, "removed": corpus.removed, "warnings": corpus.warnings}
        tables = {k: _compact(v) for k, v in tables.items()}
        if core_dir:
            _mkdir(core_dir, opts.get("run"))
            for t, df in tables.items():
                cached[t] = core_dir / f"{t}.parquet"
                df.to_parquet(cached[t])
    corpus = None
    for name, fn in _measures(opts.get("groups"), opts.get("codebook", "generic")).items():
        path = _cache_path(cache, name, mkeys[name], bkey).with_suffix(".parquet") if cache else None
        if path and path.exists():
            tables[name] = pd.read_parquet(path)
            cached[name] = path
            continue
        if corpus is None:
            corpus = Corpus(tables["documents"].assign(outlet=tables["documents"]["outlet"].astype(str)),
                            tables["sentences"], tables["removed"], pd.DataFrame(columns=["source", "reason"]),
                            tables["warnings"], tables["quotes"])
        tables[name] = _compact(fn(corpus))
        if path:
            _mkdir(path.parent, opts.get("run"))
            tables[name].to_parquet(path)
            cached[name] = path
    if opts.get("out"):
        for t, df in tables.items():
            d = Path(opts["out"]) / t
            _mkdir(d, opts.get("run"))
            if t in cached:
                shutil.copyfile(cached[t], d / f"part-{index:05d}.parquet")
            else:
                df.to_parquet(d / f"part-{index:05d}.parquet")
    summary = _partial_summary(tables)
    if cache:
        _write_summary(summary, _summary_path(cache, mkeys, bkey))
    return {"summary": summary, **({} if opts.get("out") else tables)}


def _summary_path(cache, mkeys, bkey):
    key = hashlib.sha256(json.dumps(mkeys, sort_keys=True).encode()).hexdigest()[:16]
    return Path(cache) / "summary" / key / bkey[:2] / f"{bkey}.json"


# Partial summaries are a few numbers per outlet: JSON (floats round-trip
# exactly) reads faster than Parquet on the warm path.
def _write_summary(summary, path):
    _mkdir(path.parent)
    path.write_text(json.dumps({"index": summary.index.tolist(), "columns": summary.to_dict("list")}))


def _read_summary(path) -> pd.DataFrame:
    data = json.loads(path.read_text())
    return pd.DataFrame(data["columns"], index=pd.Index(data["index"], name="outlet"))


def _copy_if_cached(index, bkey, opts):
    """Warm path: every table of batch ``bkey`` is cached -> copy the files to
    ``opts['out']`` as part ``index``; returns its summary, else None."""
    cache, mkeys, out, run = opts["cache"], opts["keys"], Path(opts["out"]), opts.get("run")
    core_dir = _cache_path(cache, "core", mkeys["core"], bkey)
    files = {t: core_dir / f"{t}.parquet" for t in CORE_TABLES}
    files.update({m: _cache_path(cache, m, mkeys[m], bkey).with_suffix(".parquet") for m in VERSIONS if m != "core"})
    summary = _summary_path(cache, mkeys, bkey)
    if not summary.exists() or not all(f.exists() for f in files.values()):
        return None
    for t, f in files.items():
        _mkdir(out / t, run)
        shutil.copyfile(f, out / t / f"part-{index:05d}.parquet")
    return _read_summary(summary)


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
            codebook="generic", scheduler=None, progress=True, batch=BATCH, **columns) -> pd.DataFrame:
    """Run the full pipeline; write Parquet tables and ``summary.csv`` to
    ``out``; return the per-outlet summary."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    opts = {"out": str(out.resolve()), "cache": str(Path(cache).resolve()) if cache else None, "groups": groups,
            "codebook": codebook, "keys": measure_keys(groups, codebook), "run": os.urandom(8).hex()}
    if scheduler:
        from .distributed import analyse_distributed
        partials, log = analyse_distributed(source, manifest, columns, opts, scheduler, batch)
    else:
        partials, log = _analyse_local(source, manifest, columns, opts, jobs, batch, progress)
    pd.DataFrame(log.rejected, columns=["source", "reason"]).to_csv(out / "rejected.csv", index=False)
    pd.DataFrame(log.warnings, columns=["source", "reason"]).to_csv(out / "read_warnings.csv", index=False)
    summary = summarise(partials) if partials else pd.DataFrame()
    summary.to_csv(out / "summary.csv", index=False)
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
    """Pool initializer: warm up, then keep the cyclic garbage collector off
    the lexicons and tables loaded so far (gc.freeze) and let it run less
    often: batches allocate many short-lived objects and create few cycles."""
    import gc
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
    log = _Log()
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
    log = _Log()
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
