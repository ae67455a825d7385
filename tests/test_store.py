"""The measure store (issue 18): the numbers read from the store equal the
plain functions and ``analyse``'s summary; a stored result is used only for
the parameters it was computed with; damaged entries are recomputed."""
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import researchlib as rl
from researchlib import prefill, store
from researchlib.analyse import analyse
from researchlib.errors import CacheWarning
from researchlib.paths import MANIFEST, SEEDS

GENERATOR = Path("/work/shared/bench/make_corpus.py")
CALLS = [("sentiment", {"methods": ["vader", "textblob", "blend"], "voice": v}) for v in ("all", "narrative", "quoted")]
CALLS += [("sentiment", {"voice": "all", "mask_terms": ["war"]}), ("target_sentiment", {}),
          ("term_hits", {}), ("token_counts", {}), ("frames", {"voice": "all"}), ("frames", {"codebook": "policy", "voice": "quoted"}),
          ("dates_mentioned", {})]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """60 synthetic articles from 6 outlets (the benchmark's generator)."""
    if not GENERATOR.exists():
        pytest.skip(f"{GENERATOR} (the shared corpus generator) is not on this machine")
    out = tmp_path_factory.mktemp("gen") / "g60"
    subprocess.run([sys.executable, str(GENERATOR), str(SEEDS), str(out), "60", "--outlets", "6"], check=True,
                   capture_output=True)
    return out, out / "manifest.csv"


def _sources(generated):
    return {"seeds": (SEEDS, MANIFEST), "generated": generated}


def _plain(fn, corpus, kwargs):
    return store.plain(fn)(corpus, **kwargs)


def _stored(fn):
    module, name = store.REGISTRY[fn]
    return getattr(__import__(f"researchlib.{module}", fromlist=[name]), name)


@pytest.mark.parametrize("which", ["seeds", "generated"])
def test_store_equals_plain_functions(which, generated, tmp_path, monkeypatch):
    source, manifest = _sources(generated)[which]
    monkeypatch.setenv(store.ENV, "off")
    plain = rl.load_corpus(source, manifest)
    assert store.store_of(plain) is None
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    first = rl.load_corpus(source, manifest)          # cleans and stores the core tables
    again = rl.load_corpus(source, manifest)          # reads them
    assert store.store_of(again) is not None
    for name in store.CORE_FILES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(plain, name))
    assert (again.source, again.columns_used) == (plain.source, plain.columns_used)
    assert store.store_of(first).folder == store.store_of(again).folder
    st = prefill.fill(again, CALLS, jobs=2, batch=7, progress=False)        # batches of 7 documents, 2 processes
    for fn, kwargs in CALLS:
        computed = _plain(fn, plain, kwargs)
        hits = st.hits
        pd.testing.assert_frame_equal(_stored(fn)(again, **kwargs), computed, obj=f"{fn} {kwargs}")
        assert st.hits > hits, f"{fn} {kwargs} was not read from the store"
    # a measure built on the stored ones: the same aggregate
    pd.testing.assert_frame_equal(rl.sentiment_by(again, by="outlet"), rl.sentiment_by(plain, by="outlet"))
    pd.testing.assert_frame_equal(rl.term_hits_by(again, voice="quoted"), rl.term_hits_by(plain, voice="quoted"))


@pytest.mark.parametrize("which", ["seeds", "generated"])
def test_store_agrees_with_analyse_per_outlet(which, generated, tmp_path, monkeypatch):
    source, manifest = _sources(generated)[which]
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    summary = analyse(source, manifest, out=tmp_path / "A", cache=None, jobs=1, progress=False).set_index("outlet")
    c = rl.load_corpus(source, manifest, repeated_lines=False)      # analyse cleans each document alone
    prefill.fill(c, [("sentiment", {"methods": ["vader", "textblob"]}), ("term_hits", {}), ("frames", {})],
               jobs=2, batch=7, progress=False)
    outlet = c.documents.set_index("doc_id")["outlet"]
    s = rl.sentiment(c, methods=["vader", "textblob"])
    means = s.groupby(["method", "outlet"])["score"].mean()
    hits = rl.term_hits(c)
    terms = hits.groupby([hits["group"], hits["doc_id"].map(outlet)]).size()
    fr = rl.frames(c)
    frames = fr.groupby([fr["frame"], fr["doc_id"].map(outlet)]).size()
    assert store.store_of(c).hits >= 4
    for o, row in summary.iterrows():
        assert row["vader_mean"] == pytest.approx(means["vader", o], rel=1e-12)
        assert row["textblob_mean"] == pytest.approx(means["textblob", o], rel=1e-12)
        assert row["n_docs"] == (outlet == o).sum()
        for g in hits["group"].unique():
            assert row.get(f"terms_{g}", 0) == terms.get((g, o), 0), (o, g)
        for f in fr["frame"].unique():
            assert row.get(f"frame_sentences:{f}", 0) == frames.get((f, o), 0), (o, f)


def _tiny(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "a.txt").write_text("Peace talks began on Monday. The war went on.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Nobody spoke of peace. Peace was far away.\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,outlet,published\na.txt,A,2023-03-01\nb.txt,B,2023-03-02\n")
    return folder, tmp_path / "m.csv"


def test_a_stored_result_is_used_only_for_its_parameters(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    folder, manifest = _tiny(tmp_path)
    book = tmp_path / "book.yaml"
    book.write_text("name: mine\ncitation: none\nframes:\n  Peace:\n    definition: talk of peace\n"
                    "    indicators: [peace]\n")
    c = rl.load_corpus(folder, manifest)
    first = rl.frames(c, codebook=str(book))
    # by hand: a.txt sentence 0 ("Peace talks"), b.txt sentences 0 and 1
    assert list(zip(first["doc_id"], first["sent_id"])) == [("a", 0), ("b", 0), ("b", 1)]
    assert rl.frames(c, codebook=str(book)).equals(first) and store.store_of(c).hits == 1
    book.write_text(book.read_text().replace("[peace]", "[war]"))      # same path, new content
    again = rl.frames(c, codebook=str(book))
    assert list(zip(again["doc_id"], again["sent_id"])) == [("a", 1)]
    assert len(rl.frames(c, codebook=str(book), voice="quoted")) == 0            # other parameters: computed
    c.sentences = c.sentences.iloc[:1]                                   # a table replaced: the store is left
    assert store.store_of(c) is None


def test_a_damaged_entry_is_reported_and_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    folder, manifest = _tiny(tmp_path)
    c = rl.load_corpus(folder, manifest)
    good = rl.sentiment(c, methods="vader")
    entries = sorted(store.store_of(c).folder.glob("*.parquet"))
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:40])
    with pytest.warns(CacheWarning, match="damaged"):
        pd.testing.assert_frame_equal(rl.sentiment(c, methods="vader"), good)
    core = next((tmp_path / "cache" / "corpus").rglob("sentences.parquet"))
    core.write_bytes(b"garbage")
    with pytest.warns(CacheWarning):
        again = rl.load_corpus(folder, manifest)
    pd.testing.assert_frame_equal(again.sentences, c.sentences)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rl.load_corpus(folder, manifest)          # stored again, read without a warning


def test_measures_gives_any_corpus_a_store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, "off")
    folder, manifest = _tiny(tmp_path)
    c = rl.load_corpus(folder, manifest)
    with pytest.raises(ValueError, match="cache is off"):
        prefill.measures(c)
    st = prefill.measures(c, cache=tmp_path / "c2", jobs=1, progress=False)
    assert set(st.entries()["measure"]) == {"sentiment", "term_hits", "token_counts", "frames", "dates_mentioned"}
    before = st.hits
    rl.sentiment(c, methods="blend", voice="narrative")
    assert st.hits == before + 1


def test_the_report_notebooks_read_the_store(tmp_path, monkeypatch):
    """The report fills the store, then its notebooks load the stored corpus
    and find every measure they ask for: the kernel adds no entry."""
    from researchlib.report import build_report
    cache = tmp_path / "cache"
    monkeypatch.setenv(store.ENV, str(cache))
    study = rl.load_study()
    c = study.load_corpus()
    st = prefill.fill(c, prefill.report_calls(study, corpus=c), jobs=1, progress=False)
    before = sorted(p.name for p in st.folder.glob("*.json"))
    monkeypatch.setenv(store.ENV, "off")
    build_report(out=tmp_path / "R", only=["02_sentiment"], progress=False, cache=cache)
    assert len(list((cache / "corpus").glob("*/*/corpus.json"))) == 1      # the kernel loaded the stored corpus
    assert sorted(p.name for p in st.folder.glob("*.json")) == before      # and computed no measure itself


def test_a_table_with_other_columns_one_outlet_and_no_dates_is_stored_exactly(tmp_path, monkeypatch):
    rows = [{"Body": '=cmd|"/c calc"!A1 He said "we will <script>alert(1)</script> fight on, whatever the war '
                     'brings" on 3 March 2023. The war goes on for the people of the region.', "Site": "Only",
             "ident": "x1"},
            {"Body": "Plain text with no dates, \u202e reversed. The crisis deepened as the talks failed.",
             "Site": "Only", "ident": "x2"}]
    pd.DataFrame(rows).to_csv(tmp_path / "t.csv", index=False)
    kw = dict(text="Body", outlet="Site", doc_id="ident")
    monkeypatch.setenv(store.ENV, "off")
    plain = rl.load_corpus(tmp_path / "t.csv", **kw)
    assert plain.documents["published"].isna().all()          # no dates: a datetime column in seconds
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    rl.load_corpus(tmp_path / "t.csv", **kw)
    again = rl.load_corpus(tmp_path / "t.csv", **kw)
    assert store.store_of(again) is not None
    for name in store.CORE_FILES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(plain, name))
    hits = rl.dates_mentioned(again)          # computed, stored ...
    pd.testing.assert_frame_equal(rl.dates_mentioned(again), hits)     # ... and read
    assert list(hits["date"].dt.strftime("%Y-%m-%d")) == ["2023-03-03"] and store.store_of(again).hits == 1


def test_a_report_notebook_reads_the_corpus_the_report_loaded(tmp_path, monkeypatch):
    """researchlib report pins its corpus (store.PIN_ENV): the same load_corpus
    call in a notebook reads the stored tables without reading any input; any
    other call, or no pin, reads the inputs."""
    import researchlib.corpus as corpus_module
    monkeypatch.setenv(store.ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(store.PIN_ENV, raising=False)
    first = rl.load_corpus(SEEDS, MANIFEST)
    pin = store.pin_of(first)
    assert pin is not None
    reads = []
    real = corpus_module.read_records
    monkeypatch.setattr(corpus_module, "read_records", lambda *a, **k: reads.append(a) or real(*a, **k))
    monkeypatch.setenv(store.PIN_ENV, pin)
    again = rl.load_corpus(SEEDS, MANIFEST)
    assert reads == []                                  # not one input read
    for name in store.CORE_FILES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
    assert again.hash == first.hash and store.store_of(again).folder == store.store_of(first).folder
    rl.load_corpus(SEEDS, MANIFEST, repeated_lines=False)    # another call: read
    rl.load_corpus(SEEDS)                                     # another manifest argument: read
    assert len(reads) == 2
    monkeypatch.setenv(store.PIN_ENV, "not json")
    rl.load_corpus(SEEDS, MANIFEST)
    assert len(reads) == 3
    monkeypatch.setenv(store.ENV, "off")                      # no store: the pin means nothing
    monkeypatch.setenv(store.PIN_ENV, pin)
    rl.load_corpus(SEEDS, MANIFEST)
    assert len(reads) == 4
