"""What each measure was checked against, with the figure and its n.

Method
------
:func:`validation_summary` gathers one tidy table:

* sentiment: Pearson r (Fisher-z interval) of each lexicon method with the
  mean human rating of the NYT editorial sentences (Hutto & Gilbert 2014;
  the development half shipped with the package, :data:`researchlib.paths.VALIDATION`),
  "not available" when the file is missing;
* stance (:func:`stance_validation`): the hand-rated seed pairs
  (``resources/validation/stance_seeds.csv``): ROC AUC of the score for the
  pairs rated negative against the rest (95% interval resampling sentences),
  Spearman's rho with the rating, and the share of differently rated
  targets of one sentence put in the rater's order; clause and sentence
  scope;
* frames (:func:`frame_validation`): the hand-coded seed sentences
  (``resources/validation/frames_policy_seeds.csv``): macro ROC AUC of
  each method's sentence score against the codes, and macro F1 of the
  sentence decision behind ``present`` (for the embedding and combined
  methods with thresholds chosen on four articles and tested on the fifth,
  each article in turn), over the frames with at least
  :data:`researchlib.frame_scores.MIN_POSITIVE` coded sentences.

The embedding and combined figures need the models extra; without
``models=True`` they are read from ``resources/frame_calibration.json``,
where ``scripts/calibrate_frames.py`` stored them (``source`` says which).

Known limits
------------
The stance and frame samples are small, from one story, and rated or coded
by one person (no agreement figure); the NYT sentences are editorials, not
news reports. Read each figure with its n: it says how far to trust a
chart, not that the measure is right on another corpus.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .paths import RESOURCES, VALIDATION
from .signatures import keyword_options

__all__ = ["validation_summary", "stance_validation", "frame_validation", "sentiment_validation", "roc_auc",
           "STANCE_SAMPLE", "FRAME_SAMPLE"]

STANCE_SAMPLE = RESOURCES / "validation" / "stance_seeds.csv"
FRAME_SAMPLE = RESOURCES / "validation" / "frames_policy_seeds.csv"
COLUMNS = ["measure", "validated_against", "method", "variant", "statistic", "value", "ci_low", "ci_high", "n",
           "source", "note"]
_LEXICON = ("vader", "textblob", "blend")


def roc_auc(scores, labels) -> float:
    """Probability that a random positive scores above a random negative
    (ties count half): the Mann-Whitney U of the positives over n_pos x n_neg,
    from mid-ranks (``scipy.stats.rankdata``); NaN without both classes."""
    from scipy.stats import rankdata
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if not n1 or not n0:
        return float("nan")
    return float((rankdata(s)[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _percentile_interval(vals, confidence):
    """The percentile interval of the resampled statistics ``vals`` (NaN,
    from resamples where the statistic is undefined, left out)."""
    vals = np.asarray(vals, dtype=float)
    vals = vals[~np.isnan(vals)]
    if not len(vals):
        return float("nan"), float("nan")
    a = (1 - confidence) / 2
    return float(np.quantile(vals, a)), float(np.quantile(vals, 1 - a))


def _cluster_interval(stat, groups, n_boot=1000, seed=0, confidence=0.95):
    """Percentile interval of ``stat(index array)`` resampling whole groups."""
    groups = np.asarray(groups)
    ids = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in ids}
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        idx = np.concatenate([members[g] for g in rng.choice(ids, size=len(ids))])
        vals.append(stat(idx))
    return _percentile_interval(vals, confidence)


#: Items up to which :func:`_cluster_auc_interval` builds its n x n pair matrix
#: (2,000 items: 32 MB); more go to the plain rank-based interval.
PAIR_MATRIX_MAX_ITEMS = 2000


def _cluster_auc_interval(scores, labels, groups, n_boot=1000, seed=0, confidence=0.95):
    """``_cluster_interval(lambda i: roc_auc(scores[i], labels[i]), groups)``,
    faster: the same draws of groups; a resample is how often each item is in
    it (the number of times its group is drawn), and its U statistic is
    ``w_pos @ C @ w_neg`` with ``C[a, b]`` = 1 when item a scores above item
    b, 1/2 on a tie, 0 below (the pair count behind the mid-rank formula of
    :func:`roc_auc`; whole and half numbers, so exact in floating point, as
    is the rank sum). Tested equal to the plain interval. ``C`` takes n² floats:
    above :data:`PAIR_MATRIX_MAX_ITEMS` items the plain interval is used."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    groups = np.asarray(groups)
    if np.isnan(s).any() or len(s) > PAIR_MATRIX_MAX_ITEMS:
        return _cluster_interval(lambda i: roc_auc(s[i], y[i]), groups, n_boot=n_boot, seed=seed,
                                 confidence=confidence)
    ids = np.unique(groups)
    item_group = np.searchsorted(ids, groups)
    above = (s[:, None] > s[None, :]) + 0.5 * (s[:, None] == s[None, :])
    pos, neg = y.astype(float), (~y).astype(float)
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        drawn = np.bincount(np.searchsorted(ids, rng.choice(ids, size=len(ids))), minlength=len(ids))
        w = drawn[item_group].astype(float)
        wp, wn = w * pos, w * neg
        n1, n0 = int(wp.sum()), int(wn.sum())
        vals.append(float((wp @ above @ wn) / (n1 * n0)) if n1 and n0 else float("nan"))
    return _percentile_interval(vals, confidence)


def _row(**kw):
    return {c: kw.get(c, np.nan if c in ("value", "ci_low", "ci_high", "n") else "") for c in COLUMNS}


def sentiment_validation(path=None) -> pd.DataFrame:
    """Pearson r of VADER, TextBlob and blend with the NYT editorial ratings."""
    from .sentiment import validate
    path = path or _nyt_file()
    against = "NYT editorial sentences, mean of 20 raters (Hutto & Gilbert 2014), development half"
    if path is None:
        return pd.DataFrame([_row(measure="sentiment", validated_against=against, method=m, statistic="pearson_r",
                                  source="not available", note=f"rated file missing ({VALIDATION})")
                             for m in _LEXICON], columns=COLUMNS)
    r = validate(path, methods=_LEXICON)
    return pd.DataFrame([_row(measure="sentiment", validated_against=against, method=x.method, variant="sentence",
                              statistic="pearson_r", value=x.r, ci_low=x.ci_low, ci_high=x.ci_high, n=x.n,
                              source="computed now") for x in r.itertuples()], columns=COLUMNS)


def _nyt_file():
    for p in (VALIDATION, RESOURCES / "validation" / VALIDATION.name):
        if p.exists():
            return p
    return None


@keyword_options
def stance_validation(path=None, *, methods=_LEXICON, n_boot=1000) -> pd.DataFrame:
    """Target scores (clause and sentence scope) against the hand-rated seed
    pairs: ``auc_negative`` (rated -1 vs the rest, interval resampling
    sentences), ``spearman_rho`` and ``contrast_pairs_ordered`` (targets of
    one sentence rated differently, put in the rater's order; n = pairs)."""
    from scipy.stats import spearmanr

    from .sentiment import target_scores
    rated = pd.read_csv(path or STANCE_SAMPLE)
    texts = rated["text"].drop_duplicates().tolist()
    sent = {t: i for i, t in enumerate(texts)}
    rows = []
    against = f"{len(rated)} seed (sentence, target) pairs rated -1/0/+1 by one rater ({len(texts)} sentences)"
    for scope in ("clause", "sentence"):
        for m in methods:
            sc = target_scores(texts, method=m, scope=scope)
            sc["text"] = [texts[i] for i in sc["text_id"]]
            j = rated.merge(sc[["text", "target", "score"]], on=["text", "target"], how="left")
            j["score"] = j["score"].fillna(0.0)
            y, s, g = (j["rating"] < 0).to_numpy(), j["score"].to_numpy(), j["text"].map(sent).to_numpy()
            auc = roc_auc(-s, y)                        # lower score = portrayed more negatively
            lo, hi = _cluster_auc_interval(-s, y, g, n_boot=n_boot)   # = _cluster_interval of roc_auc(-s[i], y[i])
            common = dict(measure="stance", validated_against=against, method=m, variant=f"scope={scope}",
                          source="computed now")
            rows.append(_row(**common, statistic="auc_negative", value=auc, ci_low=lo, ci_high=hi, n=len(j)))
            rows.append(_row(**common, statistic="spearman_rho", value=float(spearmanr(s, j["rating"]).statistic),
                             n=len(j)))
            right = wrong = total = 0
            for _, grp in j.groupby("text"):
                v = grp[["rating", "score"]].to_numpy()
                for a in range(len(v)):
                    for b in range(a + 1, len(v)):
                        if v[a, 0] != v[b, 0]:
                            total += 1
                            order = np.sign(v[a, 1] - v[b, 1]) * np.sign(v[a, 0] - v[b, 0])
                            right, wrong = right + (order > 0), wrong + (order < 0)
            rows.append(_row(**common, statistic="contrast_pairs_ordered", value=right / total if total else np.nan,
                             n=total, note=f"{right} right, {wrong} reversed, {total - right - wrong} tied"))
    return pd.DataFrame(rows, columns=COLUMNS)


def _f1(pred, y):
    tp = int((pred & y).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@keyword_options
def frame_validation(path=None, *, codebook="policy", methods=("dictionary", "embedding", "combined"),
                     detail=False) -> pd.DataFrame:
    """Sentence scores and decisions against the hand-coded seed sentences:
    ``macro_auc`` (no fitting) and ``macro_f1_held_out`` (the decision rule of
    ``present``; thresholds of embedding/combined chosen without the article
    tested) over frames with at least ``MIN_POSITIVE`` coded sentences.
    ``detail=True``: per-frame ``auc`` and ``f1_held_out`` rows instead."""
    from .frame_scores import MIN_POSITIVE, calibrate, text_frame_scores
    from .frames import codebook as _codebook
    coded = pd.read_csv(path or FRAME_SAMPLE)
    book = _codebook(codebook)
    frames_ = [f for f in book["frame"] if f in coded.columns and coded[f].sum() >= MIN_POSITIVE]
    against = (f"{len(coded)} seed sentences coded 1/0 for the {book['codebook'].iat[0]} frames by one coder "
               f"({len(frames_)} frames with >= {MIN_POSITIVE} coded sentences)")
    rows = []
    for m in methods:
        v = text_frame_scores(coded["text"], book, method=m)
        pred = pd.DataFrame(False, index=coded.index, columns=frames_)
        if m == "dictionary":
            pred[:] = text_frame_scores(coded["text"], book, method="dictionary")[frames_].to_numpy() >= 1
        else:
            for d in coded["doc_id"].unique():
                test = (coded["doc_id"] == d).to_numpy()
                cut = calibrate(coded[~test], book, methods=(m,)).set_index("frame")["threshold"]
                for f in frames_:
                    pred.loc[test, f] = v.loc[test, f] >= cut[f]
        aucs = {f: roc_auc(v[f], coded[f].astype(bool)) for f in frames_}
        f1s = {f: _f1(pred[f].to_numpy(), coded[f].astype(bool).to_numpy()) for f in frames_}
        common = dict(measure="frames", validated_against=against, method=m, source="computed now")
        if detail:
            for f in frames_:
                npos = int(coded[f].sum())
                rows.append(_row(**common, variant=f, statistic="auc", value=aucs[f], n=len(coded),
                                 note=f"{npos} coded sentences"))
                rows.append(_row(**common, variant=f, statistic="f1_held_out", value=f1s[f], n=len(coded),
                                 note=f"{npos} coded sentences"))
        else:
            rows.append(_row(**common, variant="sentences", statistic="macro_auc", value=np.mean(list(aucs.values())),
                             n=len(coded), note=f"mean over {len(frames_)} frames"))
            rows.append(_row(**common, variant="sentences", statistic="macro_f1_held_out",
                             value=np.mean(list(f1s.values())), n=len(coded),
                             note=f"mean over {len(frames_)} frames; " + (
                                 "an indicator in the sentence" if m == "dictionary" else
                                 "thresholds chosen on the other four articles")))
    return pd.DataFrame(rows, columns=COLUMNS)


def _stored_frame_rows(methods):
    from .frame_scores import calibration
    stored = pd.DataFrame(calibration().get("validation", []), columns=COLUMNS)
    for c in ("value", "ci_low", "ci_high", "n"):
        stored[c] = pd.to_numeric(stored[c], errors="coerce")
    return stored[stored["method"].isin(methods)].assign(
        source="stored by scripts/calibrate_frames.py (models=True recomputes)")


def validation_summary(*, models=False, sentiment_file=None) -> pd.DataFrame:
    """One tidy table of every validation figure: ``measure,
    validated_against, method, variant, statistic, value, ci_low, ci_high,
    n, source, note``. ``models=True`` recomputes the embedding and combined
    frame figures (needs the models extra and about a minute); otherwise they
    are the ones stored when the thresholds were chosen. ``sentiment_file``:
    another rated CSV (columns ``text`` and ``mean_rating``)."""
    from .frame_scores import embedding_available
    parts = [sentiment_validation(sentiment_file), stance_validation(), frame_validation(methods=("dictionary",))]
    if models:
        if not embedding_available():
            from .models import ModelsMissing
            raise ModelsMissing("models=True needs the optional extra: pip install 'researchlib[models]'")
        parts.append(frame_validation(methods=("embedding", "combined")))
    else:
        parts.append(_stored_frame_rows(("embedding", "combined")))
    return pd.concat(parts, ignore_index=True)
