"""``researchlib analyse``: the full measurement pipeline at scale.

Documents are read once and streamed in batches (:func:`researchlib.batches.batch_plan`:
``BATCH`` documents, smaller ones at the end; input order); each batch runs
through :func:`researchlib.batches.analyse_batch` (the same functions the
notebooks use, with a per-measure cache) in a process pool; each batch's
tables are written as Parquet parts (``OUT/<table>/part-NNNNN.parquet``) as
soon as they are done, so no process holds every intermediate, and its
per-outlet figures are added up into ``summary.csv``.

An input state seen before (same files, sizes, change times and manifest
bytes) is not even read again: :mod:`researchlib.input_index` records which
batches a complete run produced.

Safety: the output folder is built aside and swapped in when complete, never
replacing a folder researchlib did not write or one holding an input
(:mod:`researchlib.outputs`; one run per output at a time). Every output part
is written under a temporary name and renamed into place; cache entries are
checked before they are copied (:mod:`researchlib.batches`). Pool workers
exit when the run is killed (:mod:`researchlib.workers`).

Beyond one machine: ``analyse(..., scheduler="tcp://host:8786")`` (extra
``researchlib[dask]``) sends the same batch function to a dask.distributed
cluster; a table source is read with ``dask.dataframe`` in partitions.

Known limits: see :mod:`researchlib.batches` (inserted documents shift the
batches after them) and :mod:`researchlib.input_index` (file-system clocks).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .batches import (BATCH, CacheWarning, analyse_batch, batch_key, batch_plan, copy_if_cached, core_cached,
                      measure_keys)
from .corpus import iter_records, process_document
from .outputs import OutputBuild
from .paths import SEEDS
from .readers import ReadLog
from .safe_text import neutralise_formulas

__all__ = ["analyse", "analyse_batch", "read_analysis", "summarise", "warm_up", "BATCH", "CacheWarning"]

#: Files of an analyse output (relative paths), for ``--force`` on an output
#: written before output folders carried a marker.
OUTPUT_FILES = r"(?:summary|rejected|read_warnings)\.csv|[a-z_]+/part-\d{5}\.parquet"


def summarise(partials) -> pd.DataFrame:
    """The per-outlet summary of a run: the batches' partial summaries
    (:func:`researchlib.batches.partial_summary`) added up, with the mean
    VADER and TextBlob scores."""
    total = pd.concat(partials).fillna(0).groupby(level=0).sum()
    counts = [c for c in total.columns if not c.endswith("_sum")]
    total[counts] = total[counts].round().astype("int64")
    for m in ("vader", "textblob"):
        if f"{m}_sum" in total:
            total[f"{m}_mean"] = total[f"{m}_sum"] / total[f"{m}_n"]
    total.index.name = "outlet"
    return total.reset_index()


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
            codebook="generic", scheduler=None, progress=True, batch=BATCH, force=False, **columns) -> pd.DataFrame:
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
                "codebook": codebook, "keys": measure_keys(groups, codebook)}
        if scheduler:
            from .distributed import analyse_distributed
            partials, log = analyse_distributed(source, manifest, columns, opts, scheduler, batch)
        else:
            partials, log = _analyse_local(source, manifest, columns, opts, jobs, batch, progress)
        for name, rows in (("rejected.csv", log.rejected), ("read_warnings.csv", log.warnings)):
            neutralise_formulas(pd.DataFrame(rows, columns=["source", "reason"])).to_csv(tmp / name, index=False)
        summary = summarise(partials) if partials else pd.DataFrame()
        neutralise_formulas(summary).to_csv(tmp / "summary.csv", index=False)     # no cell runs as a formula
    return summary


def warm_up():
    """Import and build what every batch needs once per process: NLTK's
    Punkt, the speaker and term patterns (built by the first
    :func:`~researchlib.corpus.process_document`) and the VADER and TextBlob
    lexicons."""
    from .lexicons import warm_up as warm_lexicons
    process_document('Warm up. He said "yes" on Monday.')
    warm_lexicons()


def _worker_init():
    """Pool initializer: exit with the parent process (a killed run leaves no
    worker), then warm up.

    Measured and removed (issue 21): importing NLTK with scikit-learn and
    SciPy blocked through ``sys.modules`` (0.9 s CPU less per worker),
    ``gc.freeze`` with a higher GC threshold, and a per-run mkdir memo. On the
    10k synthetic corpus, cold runs interleaved with and without them took
    25.1-29.9 s and 27.4-31.7 s of CPU (process tree, 5 runs each): a mean
    gain of 1.7 s, inside the spread of single runs."""
    from .workers import die_with_parent
    die_with_parent()
    warm_up()


def _pool(jobs):
    """A pool of ``jobs`` workers. Forked workers start from this process
    warmed up (:func:`warm_up` runs here first: NLTK, the language model and
    the lexicons are loaded once, not once per worker: 1.4 s of CPU in this
    process instead of about that much in each worker; cold runs on the 10k
    synthetic corpus, 7 interleaved pairs: 2.3 s of process-tree CPU less on
    average, lower in 6 pairs of 7. The workers would spend that time warming
    up themselves, so they start computing no later). Workers of other start
    methods warm up on their own."""
    import multiprocessing
    if multiprocessing.get_start_method() == "fork":
        warm_up()
    return multiprocessing.Pool(jobs, initializer=_worker_init)


def _analyse_local(source, manifest, columns, opts, jobs, batch, progress):
    from tqdm import tqdm
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
    maybe_warm = opts["cache"] and core_cached(opts["cache"], opts["keys"])
    pool = _pool(jobs) if jobs > 1 and not maybe_warm else None
    log = ReadLog()
    try:
        partials, running, bkeys = {}, [], []
        bar = tqdm(desc="batches", unit="batch", disable=not progress)
        # batches go out while the inputs are still being read
        for i, (planned, b) in enumerate(_stream_batches(iter_records(source, manifest, log, **columns), log, batch)):
            bar.total = max(planned, i + 1)
            hit = None
            if opts["cache"]:   # warm path in this process: copy cached batches
                bkey = batch_key(b)
                bkeys.append(bkey)
                hit = copy_if_cached(i, bkey, opts)
            if hit is not None:
                partials[i] = hit
                bar.update()
            elif jobs > 1 and (planned > 1 or i > 0):
                pool = pool or _pool(jobs)
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
        hit = copy_if_cached(i, bkey, opts)
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
