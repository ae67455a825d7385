import math

import numpy as np
import pandas as pd
import pytest
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import researchlib as rl
from researchlib.stats import bootstrap_by_doc, cohen_kappa, g2, krippendorff_alpha
from researchlib.match import Matcher
from researchlib.paths import VALIDATION


# ------------------------------------------------------------------- quotes
def _q(corpus, prefix):
    q = corpus.quotes
    return q[q["doc_id"].str.startswith(prefix)]


def test_direct_quotes_and_speakers(corpus):
    q = _q(corpus, "000")
    d = {r.quote[:30]: (r.speaker, r.kind) for r in q.itertuples() if r.kind != "indirect"}
    assert d["We hope that the strategic par"] == ("Xi Jinping", "direct")
    assert d["These are two countries that h"] == ("John Kirby", "direct")        # "he said" -> Kirby
    assert d["We are always open to negotiat"] == ("Vladimir Putin", "direct")
    assert d["We will certainly discuss all "] == ("Vladimir Putin", "direct")     # continuation
    assert d["The world should not be fooled"] == ("Antony Blinken", "direct")
    assert d["a marriage of convenience"] == ("John Kirby", "partial")
    assert d["detailed explanation"] == ("Dmitry Peskov", "partial")
    assert d["diplomatic cover"] == ("Antony Blinken", "partial")
    assert d["impartial"] == ("Xi Jinping", "partial")
    assert d["there has been an all-round es"] == ("Xi Jinping", "direct")
    assert len([k for k in q["kind"] if k != "indirect"]) == 15


def test_channel_and_next_paragraph(corpus):
    q = _q(corpus, "002").set_index("quote")
    r = q.loc["I have known President Xi Jinping for a long time,"]
    assert (r.speaker, r.channel, r.kind) == ("Vladimir Putin", "CCTV", "direct")
    r = q.loc["As good friends and politicians who share many common views on solving world problems, we have always maintained close communication."]
    assert r.speaker == "Vladimir Putin"
    assert q.loc["inject more vitality into China-Russia relations,"].speaker == "Xi Jinping"
    assert q.loc["unprecedented"].speaker == "Vladimir Putin"


def test_kenyan_quotes(corpus):
    q = _q(corpus, "001").set_index("quote")
    assert q.loc["We expect Beijing to use its influence on Moscow to make it put an end to the aggressive war against Ukraine,"].speaker == "Oleg Nikolenko"
    assert q.loc["China has created a very effective system for developing the economy and strengthening the state. It is much more effective than in many other countries,"].speaker == "Vladimir Putin"
    assert q.loc["clarifications"].speaker == "Kremlin"


def test_indirect_and_inverted(corpus):
    q = _q(corpus, "003")
    assert set(q["kind"]) == {"indirect"}
    first = q.iloc[0]
    assert first.speaker == "Vladimir Putin" and first.cue == "said"      # "..., said Putin, whose ..."


def test_hard_cases():
    from researchlib.corpus import process_document as c
    doc = c('Kremlin spokesman Dmitry Peskov said talks were "useful and frank." '
            '"We will see," the Russian leader told reporters.\n\n'
            'According to Mr. Xi, the talks were "candid". He said: "Peace is possible."')
    by_quote = {q["quote"]: q for q in doc["quotes"]}
    assert by_quote["useful and frank."]["speaker"] == "Dmitry Peskov"
    assert by_quote["We will see,"]["speaker"] == "Vladimir Putin"
    assert by_quote["Peace is possible."]["speaker"] == "Xi Jinping"
    assert by_quote["Peace is possible."]["kind"] == "direct"


def test_sentence_voice(corpus):
    s = corpus.sentences
    row = s[s["text"].str.startswith('"These are two countries')].iloc[0]
    assert row.voice == "quoted" and row.speaker == "John Kirby"
    assert row.quoted_chars == len("These are two countries that have long chafed at U.S. leadership around the world,")
    assert set(s["voice"]) <= {"narrative", "quoted", "mixed"}


# -------------------------------------------------------------------- terms
def test_matcher_rules():
    m = Matcher([(t, t) for t in ["war", "war of aggression", "cease-fire", "ceasefire", "Ukraine issue", "Russia"]])
    text = "War-torn; post-war; war's end; a war of  aggression; Russia’s cease-fire, ceasefire; the Ukraine\nissue; wars"
    got = [(labs[0], txt) for _, _, labs, txt in m.finditer(text)]
    assert got == [("war", "war"), ("war of aggression", "war of  aggression"), ("Russia", "Russia"),
                   ("cease-fire", "cease-fire"), ("ceasefire", "ceasefire"), ("Ukraine issue", "Ukraine\nissue")]


def test_term_counts_by_hand(corpus):
    u = rl.term_hits_by(corpus).set_index(["outlet", "term"])
    assert u.loc[("RFE/RL", "war"), "count"] == 3              # war crimes, the war on, freeze the war
    assert u.loc[("RFE/RL", "war of aggression"), "count"] == 1
    assert u.loc[("RFE/RL", "invasion"), "count"] == 3
    assert u.loc[("RFE/RL", "crisis"), "count"] == 1
    assert u.loc[("SHINE (Shanghai Daily)", "Ukraine issue"), "count"] == 3
    assert u.loc[("SHINE (Shanghai Daily)", "war"), "count"] == 0
    assert u.loc[("ExBulletin", "crisis"), "count"] == 1
    assert u.loc[("RFE/RL", "war"), "tokens"] == 701
    assert u.loc[("RFE/RL", "war"), "per_1k"] == pytest.approx(3 * 1000 / 701)
    q = rl.term_hits_by(corpus, voice="quoted").set_index(["outlet", "term"])
    n = rl.term_hits_by(corpus, voice="narrative").set_index(["outlet", "term"])
    assert q.loc[("RFE/RL", "crisis"), "count"] == 1 and n.loc[("RFE/RL", "crisis"), "count"] == 0
    assert q.loc[("RFE/RL", "war"), "count"] == 1 and n.loc[("RFE/RL", "war"), "count"] == 2


def test_group_share_by_hand(corpus):
    g = rl.group_share(rl.term_hits_by(corpus), groups=["war", "crisis"]).set_index(["outlet", "group"])
    # RFE/RL: war 3 + invasion 3 + war of aggression 1 = 7; crisis 1 + issue 1 = 2
    assert g.loc[("RFE/RL", "war"), "count"] == 7 and g.loc[("RFE/RL", "crisis"), "count"] == 2
    assert g.loc[("RFE/RL", "war"), "share"] == pytest.approx(7 / 9)
    assert g.loc[("RFE/RL", "war"), "per_1k"] == pytest.approx(7000 / 701)


def test_kwic(corpus):
    k = rl.kwic(corpus, ["crisis"], window=3)
    row = k[k["outlet"] == "RFE/RL"].iloc[0]
    assert (row.left, row.match, row.right, row.voice) == ("of the Ukraine", "crisis", '."', "quoted")


def test_g2_by_hand():
    assert g2(10, 5, 1000, 1000) == pytest.approx(1.711584839710766)
    assert g2(5, 10, 1000, 1000) == pytest.approx(-1.711584839710766)


def test_keyness_checks(corpus):
    with pytest.raises(ValueError, match="not a value"):
        rl.keyness(corpus, "Nope")
    k = rl.keyness(corpus, "RFE/RL", min_count=3)
    row = k.set_index("word").loc["blinken"]
    assert (row.target_count, row.reference_count) == (3, 0)


@pytest.mark.parametrize("voice", ["all", "narrative"])
def test_keyness_by_equals_keyness_per_unit(corpus, voice):
    """One pass for every outlet gives what keyness gives outlet by outlet."""
    every = rl.keyness_by(corpus, min_count=3, voice=voice)
    assert set(every["outlet"]) == set(corpus.documents["outlet"])
    for outlet, got in every.groupby("outlet"):
        want = rl.keyness(corpus, outlet, min_count=3, voice=voice)
        pd.testing.assert_frame_equal(got.drop(columns="outlet").reset_index(drop=True), want)
    blinken = every[(every["outlet"] == "RFE/RL") & (every["word"] == "blinken")].iloc[0]
    if voice == "all":
        assert (blinken.target_count, blinken.reference_count) == (3, 0)


# ---------------------------------------------------------------- sentiment
def test_scores_match_libraries():
    t = "The world should not be fooled by any tactical move by Russia."
    assert rl.score_texts([t], method="vader")[0] == SentimentIntensityAnalyzer().polarity_scores(t)["compound"]
    assert rl.score_texts([t], method="textblob")[0] == TextBlob(t).sentiment.polarity
    assert rl.score_texts([t])[0] == pytest.approx(0.65 * rl.score_texts([t], method="vader")[0] + 0.35 * rl.score_texts([t], method="textblob")[0])
    with pytest.raises(ValueError, match="unknown sentiment method"):
        rl.score_texts([t], method="nope")


def test_masking_changes_only_crisis_sentences(corpus):
    a = rl.sentiment(corpus, methods="vader").set_index(["doc_id", "sent_id"])["score"]
    b = rl.sentiment(corpus, methods="vader", mask_terms=["crisis"]).set_index(["doc_id", "sent_id"])["score"]
    sid = corpus.sentences
    crisis = sid[sid["text"].str.contains(r"\bcris[ie]s\b", case=False)]
    changed = set(a[a != b].index)
    key = (crisis["doc_id"].iloc[0], crisis["sent_id"].iloc[0])
    rfe = [k for k in changed if k[0].startswith("000")]
    assert a.loc[("000_b599a76678e7731d", 24)] == pytest.approx(-0.6249)   # "... Ukraine crisis."
    assert b.loc[("000_b599a76678e7731d", 24)] == 0.0
    assert changed <= set(map(tuple, crisis[["doc_id", "sent_id"]].itertuples(index=False))) | set(
        map(tuple, sid[sid["text"].str.contains(r"\b(?:issue|issues|conflicts?|situation|tensions?|hostilities)\b", case=False)][["doc_id", "sent_id"]].itertuples(index=False)))
    assert key in set(a.index) and rfe


def test_bootstrap_contains_mean_and_shrinks():
    rng = np.random.default_rng(1)
    def make(k):
        ids = np.repeat(np.arange(k), 10)
        vals = rng.normal(0.2, 0.5, size=k * 10) + np.repeat(rng.normal(0, 0.2, size=k), 10)
        return ids, vals
    ids, vals = make(10)
    lo, hi = bootstrap_by_doc(ids, vals)
    assert lo < vals.mean() < hi
    ids2, vals2 = make(200)
    lo2, hi2 = bootstrap_by_doc(ids2, vals2)
    assert (hi2 - lo2) < (hi - lo) / 2
    assert math.isnan(bootstrap_by_doc([1, 1], [0.1, 0.2])[0])



def test_doc_bootstrap_equals_scipy_bootstrap_by_doc():
    """DocBootstrap (the resamples drawn once per unit, for every frame) gives
    bootstrap_by_doc's interval to the last bit for whole-number values."""
    from researchlib.stats import DocBootstrap
    rng = np.random.default_rng(7)
    for _ in range(25):
        n_docs = int(rng.integers(2, 300))
        ids = rng.choice([f"d{k:03d}" for k in range(n_docs)], size=int(rng.integers(3, 3000)))
        boot = DocBootstrap(ids, n_boot=500, seed=3)
        for p in (0.05, 0.4):
            hits = (rng.random(len(ids)) < p).astype(int)
            ref = bootstrap_by_doc(ids, hits, n_boot=500, seed=3)
            got = boot.interval(hits)
            assert got == ref or (math.isnan(ref[0]) and math.isnan(got[0]))
    # by hand: documents a (hits 1, 1: 2 sentences) and b (hits 0: 1 sentence); seed 0 draws
    # rng.integers(0, 2, (4, 2)) -> the resampled sums / sentences, then linear percentiles
    ids, hits = ["a", "a", "b"], [1, 1, 0]
    draw = np.random.default_rng(0).integers(0, 2, (4, 2))
    sums, counts = np.array([2.0, 0.0]), np.array([2.0, 1.0])
    theta = sums[draw].sum(axis=1) / counts[draw].sum(axis=1)
    assert DocBootstrap(ids, n_boot=4).interval(hits) == pytest.approx(tuple(np.percentile(theta, [2.5, 97.5])))
    assert DocBootstrap(ids, n_boot=4).interval(hits) == bootstrap_by_doc(ids, hits, n_boot=4)
    assert DocBootstrap(["a", "a", "b"]).interval([1, 0, 0.5]) == (0.5, 0.5)      # every document's mean is 0.5
    assert math.isnan(DocBootstrap(["a", "a"]).interval([1, 0])[0])                # one document: no interval
    frac = [0.25, 0.5, 0.0]                                                           # not whole numbers: scipy itself
    assert DocBootstrap(ids, n_boot=50).interval(frac) == bootstrap_by_doc(ids, frac, n_boot=50)

def test_sentiment_by_flags_low_n(corpus):
    agg = rl.sentiment_by(corpus)
    assert set(agg["n_docs"]) == {1} and agg["low_n"].all()
    assert agg["ci_basis"].str.contains("1 document").all()
    assert set(agg["method"]) == {"blend"}          # one default method everywhere
    rfe = agg[(agg["outlet"] == "RFE/RL") & (agg["method"] == "blend")].iloc[0]
    assert rfe.n_sentences == 25


@pytest.mark.skipif(not VALIDATION.exists(), reason="validation file not present")
def test_validation_file():
    v = rl.validate_sentiment(VALIDATION).set_index("method")
    assert v.loc["vader", "r"] == pytest.approx(0.496, abs=0.01)
    assert v.loc["blend", "r"] >= 0.50


def test_term_scores():
    t = rl.term_scores().set_index("term")
    assert t.loc["crisis", "vader"] == -0.6249 and t.loc["war", "vader"] == -0.5994
    assert t.loc["invasion", "vader"] == 0 and t.loc["special military operation", "vader"] == 0.4019


# ------------------------------------------------------------------- frames
def test_frame_hits_and_exclusions(corpus):
    f = rl.frames(corpus, codebook="study")
    hit = f[(f["doc_id"].str.startswith("002")) & (f["frame"] == "Economic and energy ties")]
    assert "gas" in ";".join(hit["matched"]).lower()
    book = {"frames": {"War": {"indicators": ["war"], "exclusions": ["cold war", "war era"]}}}
    hits = rl.frames(corpus, codebook=book)
    moscow = hits[hits["doc_id"].str.startswith("002")]
    assert moscow.empty          # 002 mentions only "Cold War era" and "Cold War ended"


def test_frame_profile_share(corpus):
    book = {"frames": {"Gas": {"indicators": ["natural gas"]}}}
    p = rl.frames_by(corpus, codebook=book, method="dictionary").set_index("outlet")   # the 2-sentence rule
    n = (corpus.sentences["doc_id"].str.startswith("002")).sum()
    assert p.loc["The Moscow Times", "share"] == pytest.approx(1 / n)
    assert p.loc["The Moscow Times", "docs_present"] == 0     # one sentence < 2
    assert p.loc["RFE/RL", "share"] == 0


def test_kappa_alpha_by_hand():
    a = [1, 1, 0, 0, 1, 0, 1, 0]
    b = [1, 0, 0, 0, 1, 0, 1, 1]
    # po = 6/8; pe = .5*.5 + .5*.5 = .5 -> kappa = .5
    assert cohen_kappa(a, b) == pytest.approx(0.5)
    # Krippendorff (nominal, 2 coders, 8 units): o01 = o10 = 2, o00 = o11 = 6; n0 = n1 = 8, n = 16
    # alpha = 1 - (n-1) * 4 / (2 * 8 * 8) = 1 - 15*4/128
    assert krippendorff_alpha(list(zip(a, b))) == pytest.approx(1 - 15 * 4 / 128)


def test_coding_round_trip(corpus, tmp_path):
    sheet = rl.coding_sheet(corpus, n=12, seed=3, codebook="study", path=tmp_path / "s.csv")
    coded = sheet.copy()
    for f in rl.codebook("study")["frame"]:
        coded[f] = 0
    r = rl.agreement(coded, coded, corpus=corpus, codebook="study")
    alpha = r[r["pair"] == "all coders"]
    assert len(alpha) == 8 and (alpha["n"] == 12).all()


# ------------------------------------------------------------------ timeline
def test_dates_resolved(corpus):
    d = rl.dates_mentioned(corpus)
    got = {(r.doc_id[:3], r.text): (r.date.strftime("%Y-%m-%d"), r.precision) for r in d.itertuples()}
    assert got[("001", "Friday last week")] == ("2023-03-17", "day")
    assert got[("001", "last month")] == ("2023-02-01", "month")
    assert got[("001", "last year")] == ("2022-01-01", "year")
    assert got[("003", "February 24, 2022")] == ("2022-02-24", "day")
    assert got[("003", "December 30")] == ("2022-12-30", "day")
    assert got[("002", "January 2020")] == ("2020-01-01", "month")
    assert got[("002", "Thursday")] == ("2022-02-03", "day")
    assert got[("004", "Monday")] == ("2023-03-20", "day")
    assert got[("000", "March 19")] == ("2023-03-19", "day")


def test_year_end_inference(tmp_path):
    (tmp_path / "t.csv").write_text('text,published\n"They met on Dec. 30 and will meet Jan. 3. Last year was hard.",2023-01-02\n')
    d = rl.dates_mentioned(rl.load_corpus(tmp_path / "t.csv"))
    got = dict(zip(d["text"], d["date"].dt.strftime("%Y-%m-%d")))
    assert got["Dec. 30"] == "2022-12-30" and got["Jan. 3"] == "2023-01-03" and got["Last year"] == "2022-01-01"


def test_events_validation(tmp_path):
    ev = rl.load_events(rl.load_study().events)          # the bundled study's events
    assert ev["date"].min() == pd.Timestamp("2022-02-04") and len(ev) >= 7
    none = rl.load_events(None)                            # no events: an empty table with its columns
    assert none.empty and list(none.columns) == ["date", "end_date", "event", "description", "url"]
    (tmp_path / "e.csv").write_text("date,event\n2023-02-30,Bad\n")
    with pytest.raises(rl.ResourceError, match="e.csv:2"):
        rl.load_events(tmp_path / "e.csv")


def test_g2_vectorised_and_p_by_hand():
    from researchlib.stats import g2_p
    # a=10 of 1000, b=5 of 1000: E = 7.5 each; G2 = 2 (10 ln(10/7.5) + 5 ln(5/7.5) + 990 ln(990/992.5) + 995 ln(995/992.5))
    by_hand = 2 * (10 * math.log(10 / 7.5) + 5 * math.log(5 / 7.5) + 990 * math.log(990 / 992.5)
                   + 995 * math.log(995 / 992.5))
    assert list(g2([10, 5, 0], [5, 10, 0], 1000, 1000)) == pytest.approx([by_hand, -by_hand, 0.0])
    assert g2_p([3.841458820694124])[0] == pytest.approx(0.05)


def test_fisher_z_interval_by_hand():
    from researchlib.stats import pearson_ci
    x, y = [1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5]          # r = 0.8286 (by hand: cov 2.9 / var 3.5)
    r, lo, hi, n = pearson_ci(x, y)
    z, se = math.atanh(r), 1 / math.sqrt(6 - 3)
    assert r == pytest.approx(2.9 / 3.5) and n == 6
    assert (lo, hi) == pytest.approx((math.tanh(z - 1.959964 * se), math.tanh(z + 1.959964 * se)), abs=1e-5)


def test_kappa_undefined_when_both_coders_use_one_label():
    assert math.isnan(cohen_kappa([1, 1, 1], [1, 1, 1]))
    assert math.isnan(krippendorff_alpha([[1, 1], [1, 1]]))


def test_has_letters_counts_letters_to_the_threshold():
    from researchlib.text import has_letters
    assert has_letters("abc") and has_letters("a b c") and has_letters("«Да»!", 2)
    assert not has_letters("a1 b2 --") and not has_letters("") and not has_letters("12 345", 1)
    assert has_letters("", 0)
    for text in ("", "a", "ab", "a.b.c", "Ж 1 é", "x" * 50, "1 2 3 ä"):
        for n in range(5):
            assert has_letters(text, n) == (sum(ch.isalpha() for ch in text) >= n), (text, n)


def test_word_counts_fast_equal_plain(corpus):
    """keyness's word counts (Counter over TOKEN matches) equal the plain
    count over text.tokenize, in value and in order, on the seeds and on
    hand-made edge cases (possessives in both apostrophes and in capitals,
    a lone 's, dotted and hyphenated tokens, numbers, letters that change
    length when lower-cased)."""
    from researchlib.terms import _freqs, _freqs_plain
    edge = ["JOHN'S dog and Mary’S cat; it's 's ’s", "U.S. no-limits 3.5,000 İstanbul's ǅ", "", "\n\n'\u2019"]
    for texts in (list(corpus.documents["text"]), edge):
        pd.testing.assert_series_equal(_freqs(texts), _freqs_plain(texts))
    assert _freqs(["JOHN'S john’s John"]).to_dict() == {"john": 3}


def test_quotes_with_added_speakers_equal_finding_every_document_again(corpus):
    """rl.quotes with the bundled speaker table plus entries (the 05_sources
    exercise) finds quotes again only where an added name or alias occurs;
    the table equals finding them in every document again."""
    from researchlib.resources import load_resource
    bundled = load_resource(None, "speakers", "speakers")
    new_name = "Kirby"          # an alias of John Kirby already: the bundled entry keeps it
    extras = [[{"name": "Economist Intelligence Unit", "aliases": ["Economist Intelligence Unit", "Democracy Index"],
                "group": "research institutes", "type": "institution"}],
              [{"name": new_name, "aliases": [new_name], "group": "test group", "type": "person"}],
              [{"name": "Peskov's office", "aliases": ["the two countries", "Nikolenko"], "group": "test group",
                "type": "institution"}],
              []]
    for extra in extras:
        table = bundled + extra
        fast = rl.quotes(corpus, speakers=table)
        mark = corpus.__dict__.pop("_bundled_quotes")             # without the mark: every document again
        try:
            plain = rl.quotes(corpus, speakers=table)
        finally:
            corpus.__dict__["_bundled_quotes"] = mark
        pd.testing.assert_frame_equal(fast, plain)
    eiu = rl.quotes(corpus, speakers=bundled + extras[0])
    assert (eiu["speaker"] == "Economist Intelligence Unit").sum() >= 1          # the exercise's answer changes a row
    assert (rl.quotes(corpus, speakers=bundled + extras[2])["speaker_group"] == "test group").any()
    changed = corpus.subset(list(corpus.documents["doc_id"]))                # a new corpus object: no mark
    assert "_bundled_quotes" not in changed.__dict__
