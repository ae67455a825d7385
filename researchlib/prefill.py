"""Filling the measure store (:mod:`researchlib.store`) ahead, in parallel:
what ``researchlib report`` runs before its notebooks and what
:func:`measures` gives a notebook.

Method
------
The corpus is cut into batches of at most :data:`researchlib.store.BATCH`
documents (as ``analyse`` does); each batch goes through the plain measure
functions in a process pool (workers that load the lexicons once and exit
with the run), and the batches' tables are joined in corpus order
(``frames`` sorted as the plain function sorts) and stored.
``tests/test_store.py`` checks that this equals the plain functions on the
whole corpus.

Known limits
------------
A batch holds a whole number of documents; the measures must be per
document (a corpus-level measure such as keyness is not filled here).
"""
from __future__ import annotations

import os

import pandas as pd

from .store import BATCH, ENV, MeasureStore, attach, bind, cache_root, content_key, method_list, plain, store_of, unique_calls

__all__ = ["fill", "measures", "report_calls", "DEFAULT_CALLS", "PARALLEL_MIN_DOCS"]

#: Below this many documents ``fill`` measures in this process by default:
#: starting workers and loading their lexicons (about 0.7 s each) costs more
#: than sharing the work saves (about 6 ms of measuring per article).
PARALLEL_MIN_DOCS = 200


def measure_batch(corpus, calls) -> list:
    """The plain measures of ``calls`` on one batch of documents."""
    return [plain(m)(corpus, **p) for m, p in calls]


def _cut(ids, batch, jobs) -> list:
    """``ids`` in consecutive batches of at most ``batch``, as many as a
    multiple of ``jobs`` and of equal size (give or take one), so that the
    workers finish together."""
    n = -(-len(ids) // batch)
    n = max(jobs, -(-n // jobs) * jobs) if len(ids) >= jobs else 1
    size, extra = divmod(len(ids), n)
    out, pos = [], 0
    for i in range(n):
        k = size + (i < extra)
        out.append(ids[pos:pos + k])
        pos += k
    return [b for b in out if b]


def _worker_init():
    """Pool initializer: exit with the parent process, load the lexicons once."""
    from .lexicons import warm_up
    from .workers import die_with_parent
    die_with_parent()
    warm_up()


def _join(measure, parts):
    parts = [p for p in parts if len(p)] or parts[:1]      # an empty batch's columns have no dtype to keep
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if measure == "frames":         # the plain function's order
        df = df.sort_values(["doc_id", "sent_id", "frame"]).reset_index(drop=True)
    return df


def fill(corpus, calls, *, jobs=None, batch=None, progress=True) -> MeasureStore:
    """Compute every call of ``calls`` ([(measure, kwargs), ...]) missing
    from the store of ``corpus``, batch by batch in a process pool, and store
    them. Returns the store (None when the corpus has none). ``jobs``: worker
    processes (default: up to 2, one below :data:`PARALLEL_MIN_DOCS`
    documents)."""
    import multiprocessing
    from tqdm import tqdm
    st = store_of(corpus)
    if st is None:
        return None
    todo = [(m, p) for m, p in unique_calls(calls) if not st.has(m, p)]
    if todo and len(corpus.documents):
        jobs = jobs or (min(2, os.cpu_count() or 1) if len(corpus.documents) >= PARALLEL_MIN_DOCS else 1)
        cut = _cut(corpus.documents["doc_id"].tolist(), batch or BATCH, jobs)
        jobs = min(jobs, len(cut))
        bar = tqdm(total=len(cut), desc="measures", unit="batch", disable=not progress)
        results = [None] * len(cut)
        if jobs > 1:
            with multiprocessing.Pool(jobs, initializer=_worker_init) as pool:
                running = [pool.apply_async(measure_batch, (corpus.subset(b), todo)) for b in cut]
                for i, r in enumerate(running):
                    results[i] = r.get()
                    bar.update()
        else:
            for i, b in enumerate(cut):
                results[i] = measure_batch(corpus.subset(b), todo)
                bar.update()
        bar.close()
        for j, (m, p) in enumerate(todo):
            st.write(m, p, _join(m, [r[j] for r in results]))
            for r in results:           # free each batch's table once stored
                r[j] = None
    for m, kwargs in calls:            # blend: from the VADER and TextBlob entries
        params = bind(m, kwargs)
        if m == "sentiment" and "blend" in method_list(params.get("methods")):
            blend = {**params, "methods": "blend"}
            if not st.has(m, blend):
                st.get(m, corpus, blend)
    return st


#: The calls :func:`measures` fills by default: every voice, the bundled resources.
DEFAULT_CALLS = ([("sentiment", {"methods": ("vader", "textblob", "blend"), "voice": v})
                  for v in ("all", "narrative", "quoted")]
                 + [("term_hits", {}), ("token_counts", {}), ("dates_mentioned", {})]
                 + [("frames", {"voice": v}) for v in ("all", "narrative", "quoted")])


def measures(corpus, *, calls=None, cache=None, jobs=None, progress=True):
    """The measure store of ``corpus``, filled with ``calls`` (default:
    :data:`DEFAULT_CALLS`) in parallel. A corpus loaded with the cache off
    gets a store keyed by its tables' content in ``cache`` (default: the
    cache folder). Afterwards ``rl.sentiment(corpus, ...)`` and the other
    stored measures read it."""
    if store_of(corpus) is None:
        root = cache_root(cache)
        if root is None:
            raise ValueError(f"the cache is off (${ENV}={os.environ.get(ENV)!r}): give cache=FOLDER")
        attach(corpus, root, content_key(corpus))
    return fill(corpus, DEFAULT_CALLS if calls is None else calls, jobs=jobs, progress=progress)


def report_calls(study, params=None, *, corpus=None) -> list:
    """The measure calls the report's notebooks make for ``study`` (a
    :class:`researchlib.study.Study`) and the notebook parameters ``params``
    (``methods``, ``method``): what ``researchlib report`` computes first."""
    params = params or {}
    methods, voice = params.get("methods"), study.voice
    voices = list(dict.fromkeys([voice, "all", "narrative", "quoted"]))
    calls = [("sentiment", {"methods": methods, "voice": v}) for v in voices]
    calls += [("dates_mentioned", {}), ("term_hits", {"groups": study.groups}), ("token_counts", {})]
    if study.groups is not None:
        calls.append(("sentiment", {"methods": methods, "voice": voice, "mask_terms": study.groups}))
    if study.targets is not None:
        calls.append(("target_sentiment", {"targets": study.targets, "methods": methods, "voice": voice}))
    other = "generic" if study.codebook != "generic" else "policy"
    calls += [("frames", {"codebook": study.codebook, "voice": v}) for v in voices]
    calls += [("frames", {"codebook": other, "voice": "all"})]
    from .limits import news_model
    if corpus is not None and news_model(corpus, wanted=params.get("news")) is None:
        calls.append(("sentiment", {"methods": ["news"], "voice": voice}))
    return calls
