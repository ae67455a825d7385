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
    vader = rl.sentiment(c, methods="vader")
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
    changed = {p.relative_to(cache).parts[0] for p in new} - {"inputs"}   # the input index: written by either
    assert new and changed == {"frames", "summary"}                      # run, as the clock falls
    assert "frame_sentences:Gas" in s.columns


def _table_sources(tmp_path):
    """The same 24 articles as every table kind the loader reads."""
    csv = _corpus(tmp_path)
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    sources = {"csv": csv, "parquet": tmp_path / "docs.parquet", "tsv": tmp_path / "docs.tsv",
               "jsonl": tmp_path / "docs.jsonl", "ndjson": tmp_path / "docs.ndjson", "json": tmp_path / "docs.json"}
    table.to_parquet(sources["parquet"], index=False)
    table.to_csv(sources["tsv"], sep="\t", index=False)
    table.to_json(sources["jsonl"], orient="records", lines=True)
    table.to_json(sources["ndjson"], orient="records", lines=True)
    table.to_json(sources["json"], orient="records")
    return sources


def _web_folder(tmp_path):
    """Saved pages (.html, .htm, .html.gz) and a WARC crawl in one folder."""
    import shutil

    from test_web import FIXTURES, WARC_PAGES, _write_warc
    web = tmp_path / "web"
    web.mkdir()
    for page in FIXTURES.iterdir():
        shutil.copyfile(page, web / page.name)
    _write_warc(web / "crawl.warc.gz", WARC_PAGES[:2])
    return web


def test_dask_workers_in_other_processes_give_the_in_process_numbers(tmp_path):
    """Workers in other processes (tasks and tables pickled): CSV and Parquet
    read by dask.dataframe in partitions; TSV, JSON Lines and a folder read by
    the client. Every source kind through the CLI: the next test."""
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster
    sources = {k: v for k, v in _table_sources(tmp_path).items() if k in ("csv", "parquet", "tsv", "jsonl")}
    kw = dict(text="body", outlet="site", published="date", progress=False, cache=None)
    local = {k: analyse(src, out=tmp_path / f"l-{k}", jobs=1, batch=7, **kw) for k, src in sources.items()}
    docs = _folder_corpus(tmp_path)
    fkw = dict(manifest=docs / "manifest.csv", cache=None, progress=False, batch=3)
    local_folder = analyse(docs, out=tmp_path / "lf", jobs=1, **fkw)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as client:
        remote = {k: analyse(src, out=tmp_path / f"d-{k}", scheduler=client, **kw) for k, src in sources.items()}
        remote_folder = analyse(docs, out=tmp_path / "df", scheduler=client, **fkw)   # batches as batch_plan cuts them
    n_sentences = len(read_analysis(tmp_path / "l-csv")["sentences"])
    for k in sources:
        assert local[k]["n_docs"].sum() == 24, k
        _same(local[k], remote[k])
        assert len(read_analysis(tmp_path / f"d-{k}")["sentences"]) == n_sentences, k
    _same(local["csv"], local["parquet"])
    _same(local_folder, remote_folder)


def test_cli_scheduler_reads_every_source_kind(tmp_path, capsys):
    """``researchlib analyse SOURCE --scheduler ADDRESS`` as a user types it
    (issue 21: a Parquet source always failed there), on an in-process cluster,
    for every source kind the loader reads: each gives the in-process numbers."""
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    from researchlib.cli import main
    cols = ["--text", "body", "--outlet", "site", "--published", "date"]
    runs = {k: [str(src), *cols] for k, src in _table_sources(tmp_path).items()}
    docs, web = _folder_corpus(tmp_path), _web_folder(tmp_path)
    runs["txt_folder"] = [str(docs), "--manifest", str(docs / "manifest.csv")]
    runs["web_folder"] = [str(web)]
    n_docs = {"txt_folder": 8, "web_folder": 6}       # web: 4 saved articles (not the section index) + 2 crawled
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        for name, args in runs.items():
            out = tmp_path / f"cli-{name}"
            assert main(["analyse", *args, "--out", str(out), "--no-cache", "--scheduler",
                         cluster.scheduler_address]) == 0, name
            assert f"tables written to {out}/" in capsys.readouterr().out
    for name, args in runs.items():
        assert main(["analyse", *args, "--out", str(tmp_path / f"local-{name}"), "--no-cache", "--jobs", "1"]) == 0
        remote = read_analysis(tmp_path / f"cli-{name}")
        local = read_analysis(tmp_path / f"local-{name}")
        _same(remote["summary"], local["summary"])
        assert len(remote["sentences"]) == len(local["sentences"]), name
        assert remote["summary"]["n_docs"].sum() == n_docs.get(name, 24), name


def _folder_corpus(tmp_path, n=8):
    """A folder of .txt files with a manifest (the seed bodies)."""
    c = rl.load_corpus()
    docs = tmp_path / "folder"
    docs.mkdir()
    lines = ["file,outlet,published"]
    for i in range(n):
        (docs / f"d{i}.txt").write_text(c.documents["text"].iloc[i % len(c.documents)] + "\n", encoding="utf-8")
        lines.append(f"d{i}.txt,outlet{i % 2},2023-03-{1 + i:02d}")
    (docs / "manifest.csv").write_text("\n".join(lines) + "\n")
    return docs


def test_unchanged_inputs_are_not_read_again_and_a_change_is_seen(tmp_path, monkeypatch):
    import researchlib.input_index as idx
    import researchlib.readers as readers_mod
    monkeypatch.setattr(idx, "RACY_SECONDS", 0)     # the files were written just now
    docs = _folder_corpus(tmp_path)
    kw = dict(manifest=docs / "manifest.csv", cache=tmp_path / "cache", jobs=1, progress=False, batch=3)
    cold = analyse(docs, out=tmp_path / "cold", **kw)
    assert len(list((tmp_path / "cache" / "inputs").glob("*.json"))) == 1
    reads = []
    real = readers_mod.decode_text

    def counting_decode(data, name, log):
        reads.append(name)
        return real(data, name, log)
    monkeypatch.setattr(readers_mod, "decode_text", counting_decode)
    warm = analyse(docs, out=tmp_path / "warm", **kw)
    assert reads == []                                   # nothing read: the index named every batch
    _same(cold, warm)
    for t in ("documents", "sentences", "sentiment", "frames"):
        pd.testing.assert_frame_equal(read_analysis(tmp_path / "cold")[t], read_analysis(tmp_path / "warm")[t])
    # same size, new words: the change time moves, the inputs are read, the result follows the text
    text = (docs / "d0.txt").read_text(encoding="utf-8")
    (docs / "d0.txt").write_text(text.replace("Putin", "Xuxin", 1), encoding="utf-8")
    changed = analyse(docs, out=tmp_path / "changed", **kw)
    assert "d0.txt" in reads
    assert "Xuxin" in " ".join(read_analysis(tmp_path / "changed")["sentences"]["text"])
    # a changed manifest is a new input state too
    (docs / "manifest.csv").write_text((docs / "manifest.csv").read_text().replace("outlet1", "outletB"))
    relabelled = analyse(docs, out=tmp_path / "relabelled", **kw)
    assert set(relabelled["outlet"]) == {"outlet0", "outletB"} and set(changed["outlet"]) == {"outlet0", "outlet1"}


def test_recently_changed_inputs_are_indexed_only_once_seen_settled(tmp_path, monkeypatch):
    import time

    import researchlib.input_index as idx
    docs = _folder_corpus(tmp_path, n=3)
    kw = dict(manifest=docs / "manifest.csv", cache=tmp_path / "cache", jobs=1, progress=False)
    monkeypatch.setattr(idx, "RACY_SECONDS", 3600)      # every file changed "just now"
    analyse(docs, out=tmp_path / "o", **kw)
    assert not (tmp_path / "cache" / "inputs").exists()  # read again next time
    # changed just before the run started, but unchanged and settled when it ends: recorded
    real, calls = time.time_ns, []

    def clock():                          # the first reading is now, every later one an hour on
        calls.append(1)
        return real() if len(calls) == 1 else real() + 3600 * 10**9
    monkeypatch.setattr(idx, "RACY_SECONDS", 60)
    monkeypatch.setattr(time, "time_ns", clock)
    analyse(docs, out=tmp_path / "o2", **kw)
    monkeypatch.setattr(time, "time_ns", real)
    assert len(list((tmp_path / "cache" / "inputs").glob("*.json"))) == 1
