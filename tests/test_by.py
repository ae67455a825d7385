"""by= on every aggregator, plot and finding (issue 21: by="country" used to
empty the masked-sentiment comparison because plots and findings hard-coded
an ``outlet`` column). A corpus of four articles from four outlets in two
countries; every figure is checked for the country labels, every finding for
the country it names."""
import matplotlib
import pandas as pd
import pytest

import researchlib as rl
from researchlib import findings, limits, plots

matplotlib.use("Agg")

ROWS = [  # outlet, country, date, text
    ("Alpha", "Freedonia", "2024-02-01", 'The war goes on. "We want peace talks," Putin said. The crisis deepens.'),
    ("Beta", "Freedonia", "2024-02-02", "The war is a disaster. Russia is isolated."),
    ("Gamma", "Sylvania", "2024-02-03", 'China praised the partnership. "A great friend," Xi said of Putin.'),
    ("Delta", "Sylvania", "", "The crisis is a good chance for dialogue. China is happy."),
]


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    p = tmp_path_factory.mktemp("by") / "c.csv"
    pd.DataFrame(ROWS, columns=["outlet", "country", "published", "text"]).to_csv(p, index=False)
    return rl.load_corpus(p)


def _labels(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.get_yticklabels())


def test_sentiment_by_country_keeps_every_country_in_the_masked_comparison(c):
    agg = rl.sentiment_by(rl.sentiment(c), by="country", documents=c.documents)
    masked = rl.sentiment_by(rl.sentiment(c, mask_terms={"w": ["war", "crisis"]}), by="country", documents=c.documents)
    cmp = agg[["country", "method", "mean"]].merge(masked[["country", "method", "mean"]], on=["country", "method"])
    assert list(cmp["country"]) == ["Freedonia", "Sylvania"] and list(agg["n_docs"]) == [2, 2]
    assert "Freedonia" in _labels(plots.sentiment_points(agg, by="country"))
    f = findings.sentiment_finding(agg, by="country")
    assert f.startswith("By blend, ") and "Few articles per country" in f


def test_every_plot_and_finding_takes_by(c):
    docs = c.documents
    assert findings.corpus_finding(docs, c.removed, c.rejected, by="country").startswith("4 articles from 2 countries")
    assert "Sylvania" in _labels(plots.documents_bar(docs, by="country"))
    usage = rl.term_hits_by(c, groups={"war": ["war"], "crisis": ["crisis"]}, by="country")
    share = rl.group_share(usage, by="country", groups=["war", "crisis"])
    # Freedonia: war 2, crisis 1 -> 2/3; Sylvania: war 0, crisis 1 -> 0
    assert findings.naming_finding(share, by="country", group="war") == (
        "Freedonia uses 'war' rather than 'crisis' wording most (67% of 3 naming matches); Sylvania least (0% of 1).")
    assert "Freedonia" in _labels(plots.term_rates(share, by="country"))
    assert "Sylvania" in _labels(plots.naming_share(share, by="country", group="war"))
    profile = rl.frames_by(c, codebook="generic", by="country")
    assert set(profile["country"]) == {"Freedonia", "Sylvania"}
    assert "Sylvania" in _labels(plots.frame_heatmap(profile, by="country"))
    assert findings.frame_finding(profile, by="country").startswith("Leading frame per country — Freedonia: ")
    v = rl.quotes_by(c, by="country")
    assert "Freedonia" in _labels(plots.voices_bar(v, by="country"))
    assert findings.voices_finding(v, by="country").startswith("Most quoted per country — Freedonia: ")
    ev = rl.load_events(pd.DataFrame({"date": ["2024-01-31"], "event": ["Summit"]}))
    lags = rl.event_lags(c, events=ev, by="country")
    assert list(lags.columns[:2]) == ["doc_id", "country"] and list(lags["lag_days"]) == [1, 2, 3]
    fig = plots.coverage_timeline(docs, ev, by="country")
    assert "Sylvania" in _labels(fig) and "(1 undated not shown)" in fig.axes[0].get_title()
    assert "Freedonia" in _labels(plots.dispersion(rl.term_hits(c, groups={"war": ["war"]}), docs, by="country"))
    pair = rl.sentiment(c, methods=["vader", "textblob"])
    assert list(rl.method_agreement(pair, by="country", documents=docs)["country"]) == ["Freedonia", "Sylvania"]
    assert set(rl.method_disagreements(pair, by="country", documents=docs)["country"]) <= {"Freedonia", "Sylvania"}
    assert set(rl.kwic(c, "war", by="country")["country"]) == {"Freedonia"}
    assert set(rl.quotes(c, by="country")["country"]) == {"Freedonia", "Sylvania"}


def test_missing_unit_values_are_labelled(c):
    docs = c.documents.assign(country=[None, "Freedonia", "Sylvania", "Sylvania"])
    assert "(missing)" in _labels(plots.documents_bar(docs, by="country"))


def test_limits_say_why_in_one_sentence(c):
    one = c.subset(c.documents["doc_id"][:1])
    assert limits.keyness(one) == "Keyness needs at least two outlets; this corpus has one."
    assert limits.units(one.documents, by="country", need=2, what="This comparison") == \
        "This comparison needs at least two countries; this corpus has one."
    assert limits.keyness(c, by="country") is None
    assert limits.dates(c.documents.assign(published=pd.NaT)) == \
        "No article has a publication date, so nothing can be placed on a time axis."
    assert limits.events(rl.load_events(None)).startswith("No key events given")
    assert limits.targets(None).startswith("No sentiment targets given")
    none = rl.target_sentiment(c, targets={"Mars": {"aliases": ["Mars"]}})
    assert none.empty and "target" in none.columns and "score" in none.columns
    assert limits.target_mentions(none, spec={"Mars": {"aliases": ["Mars"]}}) == "No sentence mentions any of the targets (Mars)."
    assert limits.quotes(rl.quotes(one).iloc[0:0], one.documents) == "No quotation found in the 1 article."
    assert limits.term_matches(rl.term_hits(c, groups={"x": ["zebra"]}), groups=["x"]) == "No term of the groups 'x' occurs in the corpus."
    empty = rl.sentiment_by(rl.sentiment(c, voice="quoted").iloc[0:0], by="country", documents=c.documents)
    assert empty.empty and {"country", "method", "mean", "ci_low", "n_docs"} <= set(empty.columns)
