import pandas as pd
import pytest

import researchlib as rl
from researchlib.analyse import analyse, read_analysis
from researchlib.paths import MANIFEST, SEEDS


def _corpus(tmp_path, n=24):
    """A small CSV corpus made of the seed paragraphs (several outlets)."""
    c = rl.load_corpus()
    rows = []
    for i in range(n):
        d = c.documents.iloc[i % len(c.documents)]
        paras = d["text"].split("\n\n")
        rows.append({"id": f"d{i}", "body": "\n\n".join(paras[i % 3:] or paras), "site": f"outlet{i % 3}",
                     "date": f"2023-03-{1 + i % 20:02d}"})
    path = tmp_path / "docs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _same(a, b):
    pd.testing.assert_frame_equal(a.sort_values("outlet").reset_index(drop=True),
                                  b.sort_values("outlet").reset_index(drop=True), check_like=True)


def test_analyse_matches_the_notebook_functions(tmp_path):
    s = analyse(SEEDS, MANIFEST, out=tmp_path / "A", cache=None, jobs=1, progress=False)
    t = read_analysis(tmp_path / "A")
    c = rl.load_corpus()
    assert len(t["documents"]) == 5 and len(t["sentences"]) == len(c.sentences)
    assert t["sentences"]["sent_id"].dtype == "int32" and str(t["sentiment"]["method"].dtype) == "category"
    rfe = s.set_index("outlet").loc["RFE/RL"]
    vader = rl.sentiment(c, "vader")
    assert rfe["vader_mean"] == pytest.approx(vader[vader.outlet == "RFE/RL"]["score"].mean())
    hits = rl.term_hits(c).merge(c.documents[["doc_id", "outlet"]], on="doc_id")
    assert rfe["terms_war"] == ((hits.outlet == "RFE/RL") & (hits.group == "war")).sum()
    assert rfe["n_quotes"] == (c.quotes.merge(c.documents[["doc_id", "outlet"]]).outlet == "RFE/RL").sum()


def test_serial_parallel_cached_equal(tmp_path):
    src = _corpus(tmp_path)
    kw = dict(text="body", outlet="site", published="date", progress=False, batch=5)
    serial = analyse(src, out=tmp_path / "s", cache=None, jobs=1, **kw)
    parallel = analyse(src, out=tmp_path / "p", cache=None, jobs=2, **kw)
    cold = analyse(src, out=tmp_path / "c", cache=tmp_path / "cache", jobs=2, **kw)
    warm = analyse(src, out=tmp_path / "w", cache=tmp_path / "cache", jobs=2, **kw)
    for other in (parallel, cold, warm):
        _same(serial, other)
    a, b = read_analysis(tmp_path / "s"), read_analysis(tmp_path / "w")
    for t in ("sentences", "terms", "frames", "dates"):
        assert len(a[t]) == len(b[t]), t


def test_changed_codebook_recomputes_only_frames(tmp_path):
    src = _corpus(tmp_path, n=10)
    kw = dict(text="body", outlet="site", published="date", progress=False, batch=5, jobs=1)
    cache = tmp_path / "cache"
    analyse(src, out=tmp_path / "a", cache=cache, **kw)
    before = {p for p in cache.rglob("*") if p.is_file()}
    book = {"frames": {"Gas": {"indicators": ["gas", "natural gas"]}}}
    s = analyse(src, out=tmp_path / "b", cache=cache, codebook=book, **kw)
    new = {p for p in cache.rglob("*") if p.is_file()} - before
    assert new and {p.relative_to(cache).parts[0] for p in new} == {"frames", "summary"}
    assert "frame_sentences:Gas" in s.columns


def test_dask_path_equals_in_process(tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster
    src = _corpus(tmp_path)
    kw = dict(text="body", outlet="site", published="date", progress=False)
    local = analyse(src, out=tmp_path / "l", cache=None, jobs=1, batch=7, **kw)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as client:
        remote = analyse(src, out=tmp_path / "d", cache=None, scheduler=client, **kw)
    _same(local, remote)
    assert len(read_analysis(tmp_path / "d")["sentences"]) == len(read_analysis(tmp_path / "l")["sentences"])
