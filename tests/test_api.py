"""One API grammar (issue 21 item 5): options keyword-only after the first
argument, the renamed functions' old names warn and give the same result,
``import researchlib.sentiment`` gives the module while ``rl.sentiment(c)``
still scores, tidy frames instead of tuples, codebook metadata in columns.
A corpus of three short articles from two outlets in one table, with other
column names than the seeds."""
import inspect
import math
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import researchlib as rl
from researchlib import findings, limits, stats

ROWS = [  # site, nation, date, body
    ("Alpha", "Freedonia", "2024-05-15", 'The war goes on. "We want peace talks," Putin said. The crisis deepens.'),
    ("Alpha", "Freedonia", "2024-05-20", "The war is a disaster for trade and security. Russia is isolated."),
    ("Beta", "Sylvania", "", "China praised the partnership. The crisis is a good chance for dialogue."),
]

#: Public functions whose second (and third) argument is required data, not an option.
DATA_ARGUMENTS = {"kwic": 2, "side_by_side": 2, "keyness": 2, "collocations": 2, "explore": 2, "fetch": 2,
                  "findings.corpus_finding": 3, "findings.count_of": 2, "limits.quotes": 2}
#: Not measures, aggregators or findings: loaders and text helpers.
NOT_MEASURES = {"load_corpus", "load_study", "load_events", "normalize_quotes", "tokenize", "codebook", "speaker_table",
                "term_groups", "term_exclusions", "validate_sentiment", "validation_summary"}


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    p = tmp_path_factory.mktemp("api") / "c.csv"
    pd.DataFrame(ROWS, columns=["site", "nation", "date", "body"]).to_csv(p, index=False)
    return rl.load_corpus(p, text="body", outlet="site", published="date")


def _public(module, own=None):
    out = {}
    for name in getattr(module, "__all__", None) or dir(module):
        f = getattr(module, name, None)
        if name.startswith("_") or not callable(f) or inspect.isclass(f):
            continue
        if own and getattr(inspect.unwrap(f), "__module__", "") != own:
            continue
        out[name] = f
    return out


def _options_by_position(f, name):
    """Parameters that can be passed by position past the allowed ones."""
    params = list(inspect.signature(f).parameters.values())
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional[DATA_ARGUMENTS.get(name, 1):]


def test_every_public_function_takes_its_options_by_keyword_only():
    funcs = {**{n: f for n, f in _public(rl).items()},
             **{f"findings.{n}": f for n, f in _public(findings, "researchlib.findings").items()},
             **{f"limits.{n}": f for n, f in _public(limits, "researchlib.limits").items()}}
    assert {"sentiment", "frames", "quotes", "term_hits_by", "findings.frame_finding", "limits.scores"} <= set(funcs)
    wrong = {n: _options_by_position(f, n) for n, f in funcs.items()
             if n not in NOT_MEASURES and _options_by_position(f, n)}
    assert wrong == {}


def test_signatures_read_as_documented():
    sig = inspect.signature
    assert str(sig(rl.term_hits_by)) == "(corpus, *, groups=None, by='outlet', voice='all', dedupe='keep') -> 'pd.DataFrame'"
    assert str(sig(rl.sentiment)).startswith("(corpus, *, methods=None, voice='all'")
    assert str(sig(rl.kwic)).startswith("(corpus, pattern, *, window=8")
    assert "jobs" in sig(rl.load_corpus).parameters and "n_jobs" not in sig(rl.load_corpus).parameters
    assert "jobs" in sig(rl.duplicates).parameters and "n_jobs" not in sig(rl.duplicates).parameters
    assert "confidence" in sig(stats.pearson_ci).parameters and "level" not in sig(stats.bootstrap_by_doc).parameters


@pytest.mark.parametrize("name", ["term_hits_by", "sentiment_by", "target_sentiment_by", "frames_by", "quotes_by",
                                  "keyness", "kwic", "event_lags", "method_agreement", "method_disagreements",
                                  "group_share", "explore"])
def test_every_aggregator_takes_by(name):
    assert "by" in inspect.signature(getattr(rl, name)).parameters


@pytest.mark.parametrize("name", ["corpus_finding", "naming_finding", "sentiment_finding", "frame_finding",
                                  "voices_finding"])
def test_every_finding_about_units_takes_by(name):
    assert inspect.signature(getattr(findings, name)).parameters["by"].kind == inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("old, new, kwargs", [
    ("term_usage", "term_hits_by", {"by": "nation"}),
    ("frame_profile", "frames_by", {"by": "nation", "n_boot": 20}),
    ("voices", "quotes_by", {"by": "nation"}),
])
def test_old_names_warn_with_the_new_name_and_give_the_same_frame(c, old, new, kwargs):
    with pytest.warns(DeprecationWarning, match=f"researchlib.{old} is deprecated.*use researchlib.{new}"):
        got = getattr(rl, old)(c, **kwargs)
    pd.testing.assert_frame_equal(got, getattr(rl, new)(c, **kwargs))
    assert getattr(rl, old).__name__ == old


def test_old_positional_calls_still_work_for_one_release(c):
    groups = {"war": ["war"], "crisis": ["crisis"]}
    with pytest.warns(DeprecationWarning) as caught:
        old = rl.term_usage(c, groups, "nation")
    assert any("term_hits_by" in str(w.message) for w in caught)
    assert any("groups=..., by=..." in str(w.message) for w in caught)
    new = rl.term_hits_by(c, groups=groups, by="nation")
    pd.testing.assert_frame_equal(old, new)
    # hand count: "war" twice in Freedonia (one per article), "crisis" once in each nation
    counts = new.set_index(["nation", "term"])["count"]
    assert counts[("Freedonia", "war")] == 2 and counts[("Freedonia", "crisis")] == 1
    assert counts[("Sylvania", "war")] == 0 and counts[("Sylvania", "crisis")] == 1
    with pytest.warns(DeprecationWarning, match=r"frames\(\): pass options by keyword \(codebook=...\)"):
        by_position = rl.frames(c, "generic")
    pd.testing.assert_frame_equal(by_position, rl.frames(c, codebook="generic"))
    with pytest.warns(DeprecationWarning) as caught:
        v = rl.voices(c, "nation", "speaker")
    assert sorted(str(w.message).split()[0] for w in caught) == ["researchlib.voices", "voices():"]
    pd.testing.assert_frame_equal(v, rl.quotes_by(c, by="nation", level="speaker"))


def test_keyword_calls_do_not_warn(c):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        rl.term_hits_by(c, by="nation")
        rl.frames(c, codebook="generic")
        rl.sentiment(c, methods="vader")


def test_too_many_positional_options_and_duplicates_are_errors(c):
    with pytest.raises(TypeError, match="multiple values"):
        rl.frames(c, "generic", codebook="policy")
    with pytest.raises(TypeError, match="at most 2 options"):
        rl.frames(c, "generic", "all", "extra")


def test_n_jobs_is_now_jobs(tmp_path):
    p = tmp_path / "c.csv"
    pd.DataFrame(ROWS, columns=["outlet", "country", "published", "text"]).to_csv(p, index=False)
    with pytest.warns(DeprecationWarning, match="n_jobs= is deprecated.*use jobs="):
        old = rl.load_corpus(p, n_jobs=1)
    pd.testing.assert_frame_equal(old.documents, rl.load_corpus(p, jobs=1).documents)
    with pytest.raises(TypeError, match="both n_jobs= and jobs="):
        rl.load_corpus(p, n_jobs=1, jobs=1)


@pytest.mark.parametrize("name, member", [("sentiment", "score_texts"), ("frames", "codebook"),
                                          ("quotes", "find_quotes"), ("explore", "explore"), ("fetch", "fetch")])
def test_import_gives_the_module_in_a_fresh_interpreter(name, member):
    code = (f"import researchlib.{name} as m, inspect, types; assert isinstance(m, types.ModuleType), m; "
            f"assert inspect.isfunction(inspect.unwrap(m.{member})); "
            f"import researchlib as rl; assert rl.{name} is m; print(m.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"researchlib.{name}"


def test_the_module_is_callable_as_its_measure(c):
    import researchlib.sentiment as m
    assert m is rl.sentiment and callable(m.score_texts)
    pd.testing.assert_frame_equal(rl.sentiment(c, methods="vader"), m.sentiment(c, methods="vader"))
    assert str(inspect.signature(rl.frames)) == str(inspect.signature(rl.frames.frames))
    assert list(rl.quotes(c)["doc_id"]) == list(rl.quotes.quotes(c)["doc_id"])
    from researchlib import sentiment
    assert sentiment is m and "callable as researchlib.sentiment.sentiment" in repr(m)


def _scores():
    """Two methods on seven sentences of three documents in two outlets."""
    rows = []
    x, y = [1, 2, 3, 4], [1, 3, 2, 4]            # outlet A: r = 0.8 (by hand below)
    for i, (a, b) in enumerate(zip(x, y)):
        doc = "a1" if i < 2 else "a2"
        rows += [(doc, i, "A", "vader", a / 10, f"s{i}"), (doc, i, "A", "textblob", b / 10, f"s{i}")]
    for i, (a, b) in enumerate(zip([0, 1, 2], [2, 1, 0])):   # outlet B: r = -1
        rows += [("b1", i, "B", "vader", a / 10, f"t{i}"), ("b1", i, "B", "textblob", b / 10, f"t{i}")]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "outlet", "method", "score", "text"])


def test_method_agreement_is_one_tidy_frame_with_hand_checked_values():
    got = rl.method_agreement(_scores())
    assert isinstance(got, pd.DataFrame)
    assert list(got.columns) == ["outlet", "method_a", "method_b", "r", "ci_low", "ci_high", "n_sentences", "n_docs"]
    a, b = got.iloc[0], got.iloc[1]
    # A: dx = dy-ish = (-1.5, -.5, .5, 1.5) vs (-1.5, .5, -.5, 1.5): sum dxdy = 4, sum dx2 = sum dy2 = 5 -> r = 0.8;
    # Fisher z: tanh(atanh(0.8) -+ 1.96 / sqrt(4 - 3))
    assert (a["outlet"], a["method_a"], a["method_b"], a["n_sentences"], a["n_docs"]) == ("A", "vader", "textblob", 4, 2)
    assert a["r"] == pytest.approx(0.8)
    assert a["ci_low"] == pytest.approx(math.tanh(math.atanh(0.8) - 1.959964), abs=1e-4)
    assert a["ci_high"] == pytest.approx(math.tanh(math.atanh(0.8) + 1.959964), abs=1e-4)
    assert (b["outlet"], b["n_sentences"], b["n_docs"]) == ("B", 3, 1)
    assert b["r"] == pytest.approx(-1.0) and np.isnan(b["ci_low"]) and np.isnan(b["ci_high"])   # 3 sentences: no interval


def test_method_disagreements_lists_the_largest_differences_first():
    worst = rl.method_disagreements(_scores(), top=2)
    assert list(worst.columns) == ["doc_id", "sent_id", "outlet", "vader", "textblob", "difference", "text"]
    # B: 0 - .2 = -.2, .2 - 0 = .2 (the largest, first in corpus order); A: at most .1
    assert list(worst["text"]) == ["t0", "t2"]
    assert list(worst["difference"].round(3)) == [-0.2, 0.2]


def test_method_agreement_empty_and_by_from_documents():
    s = _scores().drop(columns="outlet")
    docs = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "nation": ["X", "X", "Y"]})
    got = rl.method_agreement(s, by="nation", documents=docs)
    assert list(got["nation"]) == ["X", "Y"] and list(got["n_sentences"]) == [4, 3]
    none = rl.method_agreement(_scores(), a="vader", b="news")
    assert none.empty and "r" in none.columns
    with pytest.raises(KeyError, match="pass documents="):
        rl.method_agreement(s, by="nation")


def test_time_bin_is_a_frame_with_hand_checked_weeks_and_months():
    dates = pd.Series(["2024-05-15", "2024-05-20", None, "2024-07-01"], index=[10, 11, 12, 13])
    got = rl.time_bin(dates, bin="week")
    assert list(got.columns) == ["date", "period", "bin"] and list(got.index) == [10, 11, 12, 13]
    # 15 May 2024 is a Wednesday: its week starts Monday 13 May; 20 May and 1 July are Mondays
    assert [str(p.date()) if pd.notna(p) else None for p in got["period"]] == ["2024-05-13", "2024-05-20", None,
                                                                             "2024-07-01"]
    assert set(got["bin"]) == {"week"}
    assert rl.time_bin(dates)["bin"].iat[0] == "week"                  # 47 days: auto picks weeks
    months = rl.time_bin(dates, bin="month")["period"].dropna()
    assert [str(p.date()) for p in months] == ["2024-05-01", "2024-05-01", "2024-07-01"]
    assert rl.time_bin(["2024-05-15", "2024-05-16"])["bin"].iat[0] == "day"
    with pytest.raises(ValueError, match="bin must be"):
        rl.time_bin(dates, bin="fortnight")


def test_codebook_name_and_citation_are_columns_that_survive_a_merge():
    book = rl.codebook("generic")
    assert {"codebook", "citation"} <= set(book.columns)
    assert book["codebook"].nunique() == 1 and book["citation"].iat[0] == book.attrs["citation"] != ""
    merged = book[["frame", "codebook", "citation"]].merge(pd.DataFrame({"frame": book["frame"]}), on="frame")
    assert merged.attrs == {} and merged["codebook"].iat[0] == book["codebook"].iat[0]
    own = rl.codebook({"name": "mine", "citation": "Me 2024", "frames": {"f": {"definition": "d", "indicators": ["x"]}}})
    assert list(own[["frame", "codebook", "citation"]].itertuples(index=False, name=None)) == [("f", "mine", "Me 2024")]


def test_confidence_names_the_interval_level():
    v = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    lo90, hi90 = stats.bootstrap_mean(v, confidence=0.90)
    lo99, hi99 = stats.bootstrap_mean(v, confidence=0.99)
    assert lo99 <= lo90 < 2.5 < hi90 <= hi99
    with pytest.raises(TypeError):
        stats.bootstrap_mean(v, level=0.9)


def test_copies_compare_any_unit(tmp_path):
    """by= on the syndication tables and their finding (issue 21 item 1): two
    nations, the later of two identical articles is the copy."""
    text = ("The leaders met in the capital on Tuesday and signed a long agreement on energy, trade and security "
            "cooperation that both sides called a new chapter in relations between the two countries today.")
    rows = [("Alpha", "Freedonia", "2024-05-15", text), ("Beta", "Sylvania", "2024-05-16", text),
            ("Gamma", "Sylvania", "2024-05-17", "A different story about the weather, with nothing copied at all.")]
    p = tmp_path / "c.csv"
    pd.DataFrame(rows, columns=["outlet", "nation", "published", "text"]).to_csv(p, index=False)
    c = rl.load_corpus(p)
    share = rl.copied_share(c, by="nation")
    assert list(share.columns[:3]) == ["nation", "n_docs", "n_copied"]
    assert share.set_index("nation")[["n_docs", "n_copied"]].to_dict("index") == {
        "Freedonia": {"n_docs": 1, "n_copied": 0}, "Sylvania": {"n_docs": 2, "n_copied": 1}}
    assert findings.copies_finding(share, by="nation") == (
        "No nation's articles are mostly copied or wire text (highest: Sylvania, 1 of 2 articles).")
    who = rl.copies_by_outlet(c, by="nation")
    assert list(who[["nation", "source", "basis", "n_docs"]].itertuples(index=False, name=None)) == [
        ("Sylvania", "Freedonia", "copy of earlier article", 1)]
    with pytest.raises(KeyError, match="by='region' is not a document column"):
        rl.copied_share(c, by="region")
