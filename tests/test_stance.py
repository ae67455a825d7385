"""Stance toward a target (issue 20 item 2): clause cuts, scopes and their
scores worked by hand on written sentences; the sentence scope unchanged;
per-target aggregation like sentiment_by; the validation figures in the
docstring recomputed."""
import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import researchlib as rl
from researchlib.sentiment import target_scores
from researchlib.stance import clauses, mention_scope
from researchlib.validation import roc_auc, stance_validation

VADER = SentimentIntensityAnalyzer()      # the library itself: an independent reference


def vader(text):
    return VADER.polarity_scores(text)["compound"]


def _parts(text):
    return [text[s:e].strip(" ,.") for s, e, _ in clauses(text)]


def test_clauses_are_cut_at_contrast_words_and_punctuation():
    assert _parts("Moscow praised Beijing's support while condemning Kyiv's attacks.") == [
        "Moscow praised Beijing's support", "condemning Kyiv's attacks"]
    assert _parts("Beijing agreed, but Washington refused; Kyiv waited.") == ["Beijing agreed", "Washington refused",
                                                                            "Kyiv waited"]
    assert _parts("Moscow welcomed it whereas Kyiv — and its allies — rejected it.") == [
        "Moscow welcomed it", "Kyiv", "and its allies", "rejected it"]
    assert _parts("It was late, yet Kyiv refused.") == ["It was late", "Kyiv refused"]
    # adverbs are not cuts: "however", "meanwhile", and "though" before a comma
    assert _parts("China, however, slowed.") == ["China, however, slowed"]
    assert _parts("Beijing, meanwhile said the warrant reflected double standards.") == [
        "Beijing, meanwhile said the warrant reflected double standards"]
    assert _parts("China, though, slowed though Russia grew.") == ["China, though, slowed", "Russia grew"]
    # a comparison or a concession runs to the next comma
    assert [k for *_, k in clauses("Unlike Washington, Beijing has played a constructive role.")] == [
        "comparison", "clause"]
    assert _parts("Despite the sanctions, Russia grew.") == ["the sanctions", "Russia grew"]


def test_scope_is_the_clause_or_a_window_of_it():
    t = "one two three four Xi five six seven eight"
    s, e, sign = mention_scope(t, 19, 21)
    assert (t[s:e], sign) == (t, 1)
    s, e, _ = mention_scope(t, 19, 21, window=2)
    assert t[s:e] == "three four Xi five six"


def test_the_acceptance_sentence_gives_opposite_signs():
    text = "Moscow praised Beijing's support while condemning Kyiv's attacks."
    got = target_scores([text], method="vader").set_index("target")
    assert got.loc["China", "matched"] == "Beijing" and got.loc["Ukraine", "matched"] == "Kyiv"
    assert got.loc["China", "scored"] == "Moscow praised Beijing's support"
    assert got.loc["China", "score"] == pytest.approx(vader("Moscow praised Beijing's support"))      # 0.7096
    assert got.loc["Ukraine", "score"] == pytest.approx(vader("condemning Kyiv's attacks."))          # -0.4404
    assert got.loc["China", "score"] > 0 > got.loc["Ukraine", "score"]
    assert got.loc["Russia", "score"] == 0 and got.loc["Russia", "scored"] == ""    # Moscow evaluates
    s = target_scores([text], method="blend").set_index("target")["score"]
    assert s["China"] > 0 > s["Ukraine"]
    # TextBlob's lexicon knows neither "praised", "support", "condemning" nor "attacks": 0 for both
    s = target_scores([text], method="textblob").set_index("target")["score"]
    assert s["China"] == 0 and s["Ukraine"] == 0


def test_the_acceptance_sentence_in_a_corpus(tmp_path):
    rows = [{"id": "d1", "site": "A", "body": "Moscow praised Beijing's support while condemning Kyiv's attacks."}]
    pd.DataFrame(rows).to_csv(tmp_path / "one.csv", index=False)
    c = rl.load_corpus(tmp_path / "one.csv", text="body", outlet="site", doc_id="id")
    ts = rl.target_sentiment(c, methods=("vader", "blend")).set_index(["method", "target"])
    for m in ("vader", "blend"):
        assert ts.loc[(m, "China"), "score"] > 0 > ts.loc[(m, "Ukraine"), "score"]
    assert (ts["scope"] == "clause").all()
    old = rl.target_sentiment(c, methods=("vader",), scope="sentence").set_index("target")["score"]
    assert old["China"] == old["Ukraine"] == pytest.approx(vader(c.sentences["text"].iloc[0]))


def test_comparison_reverses_the_sign_of_the_clause_it_is_set_against():
    got = target_scores(["Unlike Washington, Beijing has played a constructive role."], method="vader")
    got = got.set_index("target")
    assert got.loc["China", "score"] == pytest.approx(vader("Beijing has played a constructive role."))      # 0.34
    assert got.loc["US and the West", "score"] == pytest.approx(-vader("Beijing has played a constructive role."))
    assert bool(got.loc["US and the West", "reversed"]) and not bool(got.loc["China", "reversed"])


def test_negation_inside_the_scope_is_read():
    neg = target_scores(["Beijing did not praise Moscow."], method="vader").set_index("target")
    pos = target_scores(["Beijing did praise Moscow."], method="vader").set_index("target")
    assert neg.loc["Russia", "score"] == pytest.approx(vader("Beijing did not praise Moscow."))     # -0.4449
    assert pos.loc["Russia", "score"] == pytest.approx(vader("Beijing did praise Moscow."))         # 0.5574
    assert neg.loc["Russia", "score"] < 0 < pos.loc["Russia", "score"]


def test_the_subject_of_praise_or_blame_scores_zero():
    got = target_scores(["Putin and Xi also criticized Washington's policies."], method="vader").set_index("target")
    assert got.loc["Russia", "score"] == 0 and got.loc["China", "score"] == 0
    assert got.loc["US and the West", "score"] == pytest.approx(vader("Putin and Xi also criticized Washington's policies."))
    assert got.loc["US and the West", "score"] < 0


def test_sentence_scope_keeps_the_earlier_scores(corpus):
    for voice in ("all", "narrative"):
        ts = rl.target_sentiment(corpus, methods=("vader", "textblob"), voice=voice, scope="sentence")
        s = rl.sentiment(corpus, methods=("vader", "textblob"), voice=voice)
        j = ts.merge(s, on=["doc_id", "sent_id", "method"], suffixes=("", "_s"))
        assert len(j) == len(ts) and np.allclose(j["score"], j["score_s"]) and (j["text"] == j["text_s"]).all()
    with pytest.raises(ValueError, match="scope"):
        rl.target_sentiment(corpus, scope="paragraph")


def test_voice_cuts_quoted_words_from_the_scope(tmp_path):
    rows = [{"id": "d1", "site": "A", "body": 'Officials called Beijing "a wonderful partner" on Monday. '
             'Moscow praised the plan.'}]
    pd.DataFrame(rows).to_csv(tmp_path / "q.csv", index=False)
    c = rl.load_corpus(tmp_path / "q.csv", text="body", outlet="site", doc_id="id")
    every = rl.target_sentiment(c, methods=("vader",)).iloc[0]
    told = rl.target_sentiment(c, methods=("vader",), voice="narrative").iloc[0]
    assert every["target"] == told["target"] == "China"
    assert every["score"] == pytest.approx(vader('Officials called Beijing "a wonderful partner" on Monday.'))
    assert every["score"] > 0
    assert "wonderful" not in told["text"] and told["score"] == 0
    # Moscow evaluates (scope empty, score 0) in the narrative voice; the quoted voice has no row for it
    told = rl.target_sentiment(c, methods=("vader",), voice="narrative")
    assert told.loc[told["target"] == "Russia", "score"].tolist() == [0.0]
    quoted = rl.target_sentiment(c, methods=("vader",), voice="quoted")
    assert quoted["target"].tolist() == ["China"] and "wonderful" in quoted["text"].iloc[0]


def test_per_target_per_outlet_like_sentiment_by(tmp_path):
    rows = [{"id": "a1", "site": "A", "body": "Beijing won praise. Kyiv suffered terrible losses."},
            {"id": "a2", "site": "A", "body": "Beijing failed badly."},
            {"id": "b1", "site": "B", "body": "Beijing helped a great deal."}]
    pd.DataFrame(rows).to_csv(tmp_path / "by.csv", index=False)
    c = rl.load_corpus(tmp_path / "by.csv", text="body", outlet="site", doc_id="id")
    by = rl.target_sentiment_by(c, methods=("vader",), n_boot=200).set_index(["target", "outlet"])
    assert by.loc[("China", "A"), "n_sentences"] == 2 and by.loc[("China", "A"), "n_docs"] == 2
    assert by.loc[("China", "A"), "mean"] == pytest.approx((vader("Beijing won praise.") + vader("Beijing failed badly.")) / 2)
    assert by.loc[("Ukraine", "A"), "n_docs"] == 1 and bool(by.loc[("China", "B"), "low_n"])
    ts = rl.target_sentiment(c, methods=("vader",))
    same = rl.sentiment_by(ts, by=["target", "outlet"], n_boot=200).set_index(["target", "outlet"])
    pd.testing.assert_frame_equal(by, same)
    with pytest.raises(KeyError, match="country"):
        rl.target_sentiment_by(c, by="country")


def test_roc_auc_by_hand():
    # positives 0.35, 0.8 against negatives 0.1, 0.4: 0.8 beats both, 0.35 beats 0.1 only: 3 of 4
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert roc_auc([1, 1, 1], [0, 1, 0]) == 0.5                       # ties count half
    assert np.isnan(roc_auc([1, 2], [1, 1]))


def test_the_docstring_figures_are_what_the_rated_set_gives():
    v = stance_validation(n_boot=200).set_index(["method", "variant", "statistic"])
    auc = v["value"].xs("auc_negative", level="statistic")
    assert auc[("blend", "scope=clause")] == pytest.approx(0.644, abs=0.0015)
    assert auc[("blend", "scope=sentence")] == pytest.approx(0.644, abs=0.0015)
    assert auc[("vader", "scope=clause")] == pytest.approx(0.638, abs=0.0015)
    assert auc[("textblob", "scope=clause")] == pytest.approx(0.556, abs=0.0015)
    pairs = v.loc[("blend", "scope=clause", "contrast_pairs_ordered")]
    assert (pairs["n"], pairs["note"]) == (61, "2 right, 6 reversed, 53 tied")
    assert v.loc[("blend", "scope=sentence", "contrast_pairs_ordered"), "note"] == "0 right, 0 reversed, 61 tied"
    assert (v["n"].xs("auc_negative", level="statistic") == 115).all()
