"""The statistics behind the measures, from the libraries that own them.

* Agreement: Cohen's kappa and Krippendorff's alpha (nominal) from NLTK's
  ``AnnotationTask`` (Artstein & Poesio 2008).
* Keyness: signed log-likelihood G2 of the 2x2 table (Dunning 1993),
  vectorised with ``scipy.special.xlogy``; p from the chi-square
  distribution with one degree of freedom, no continuity correction.
* Intervals: percentile bootstrap (``scipy.stats.bootstrap``) of a mean,
  resampling documents when sentences are clustered in them; Fisher-z
  interval of Pearson's r (``scipy.stats.pearsonr``).
* Many document bootstraps of one set of documents (:class:`DocBootstrap`,
  one per unit for every frame of a codebook): the resamples scipy draws
  for ``bootstrap_by_doc`` with the same seed (the same ``rng.integers``
  call), counted once per document, so each column's resampled sums are a
  matrix product (exact for whole-number values such as hit counts, which
  is when it is used; tested equal to ``bootstrap_by_doc``).

Known limits: the document bootstrap assumes documents are independent
(copies of one wire story are not: see :func:`researchlib.duplicates` where
available); with fewer than two units there is no interval (NaN).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["cohen_kappa", "krippendorff_alpha", "g2", "g2_p", "bootstrap_by_doc", "bootstrap_mean", "pearson_ci",
           "DocBootstrap"]


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def _task(rows):
    from nltk.metrics.agreement import AnnotationTask
    return AnnotationTask(data=rows)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa for two coders' labels of the same units (pairs with a
    missing label dropped): (p_o - p_e) / (1 - p_e). NaN when no pair is left
    or when chance agreement is 1 (both coders used one and the same label)."""
    pairs = [(x, y) for x, y in zip(a, b) if not _missing(x) and not _missing(y)]
    if not pairs or len({v for pair in pairs for v in pair}) == 1:    # p_e = 1: kappa undefined
        return float("nan")
    rows = [("a", i, x) for i, (x, _) in enumerate(pairs)] + [("b", i, y) for i, (_, y) in enumerate(pairs)]
    return float(_task(rows).kappa_pairwise("a", "b"))


def krippendorff_alpha(units) -> float:
    """Krippendorff's alpha, nominal, from a list of per-unit lists of values
    (one value per coder; missing values omitted; units with fewer than two
    values are not pairable and skipped). NaN without pairable units or
    without disagreement by chance (one category only)."""
    rows = []
    for i, vals in enumerate(units):
        vals = [v for v in vals if not _missing(v)]
        if len(vals) >= 2:
            rows += [(f"c{j}", i, v) for j, v in enumerate(vals)]
    if len({v for *_, v in rows}) < 2:
        return float("nan")
    return float(_task(rows).alpha())


def g2(a, b, n1, n2):
    """Signed log-likelihood G2 for words seen ``a`` times in ``n1`` target
    tokens and ``b`` times in ``n2`` reference tokens (scalars or arrays):
    2 * sum(O * ln(O / E)) over the four cells of the 2x2 table, positive when
    the word is relatively more frequent in the target."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    from scipy.special import xlogy
    n = n1 + n2
    cells = [(a, n1 * (a + b) / n), (b, n2 * (a + b) / n), (n1 - a, n1 * (n - a - b) / n),
             (n2 - b, n2 * (n - a - b) / n)]
    val = 2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in cells)
    signed = np.where(a / n1 >= b / n2, val, -val)
    return float(signed) if signed.ndim == 0 else signed


def g2_p(values):
    """p-values of G2 statistics (chi-square, 1 degree of freedom)."""
    from scipy.stats import chi2
    return chi2.sf(np.abs(np.asarray(values, dtype=float)), 1)


def bootstrap_mean(values, *, n_boot=2000, seed=0, confidence=0.95):
    """Percentile bootstrap interval of the mean of independent ``values``;
    (nan, nan) with fewer than two values."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2 or np.all(v == v[0]):
        return (float("nan"),) * 2 if len(v) < 2 else (float(v[0]), float(v[0]))
    from scipy.stats import bootstrap
    ci = bootstrap((v,), np.mean, n_resamples=n_boot, confidence_level=confidence, method="percentile",
                   random_state=np.random.default_rng(seed), vectorized=True).confidence_interval
    return float(ci.low), float(ci.high)


def bootstrap_by_doc(doc_ids, values, *, n_boot=2000, seed=0, confidence=0.95):
    """Percentile interval for the sentence-weighted mean, resampling whole
    documents (sentences of one article are not independent): each resample
    draws documents with replacement and takes sum(scores) / sum(sentences).
    Returns (low, high), or (nan, nan) with fewer than two documents."""
    g = pd.DataFrame({"d": doc_ids, "v": values}).groupby("d")["v"].agg(["sum", "count"])
    if len(g) < 2:
        return float("nan"), float("nan")
    sums, counts = g["sum"].to_numpy(dtype=float), g["count"].to_numpy(dtype=float)
    if np.allclose(sums / counts, sums[0] / counts[0]):
        return float(sums[0] / counts[0]), float(sums[0] / counts[0])
    from scipy.stats import bootstrap
    ci = bootstrap((sums, counts), lambda s, c, axis=-1: s.sum(axis=axis) / c.sum(axis=axis), paired=True,
                   vectorized=True, n_resamples=n_boot, confidence_level=confidence, method="percentile",
                   random_state=np.random.default_rng(seed)).confidence_interval
    return float(ci.low), float(ci.high)


def _draw_weights(n, n_boot, seed):
    """How often each of ``n`` documents is in each of ``n_boot`` resamples,
    from the draw of scipy.stats.bootstrap (paired: indices of the
    documents). Whole numbers, held in the smallest unsigned type: multiply
    them with float64 values (an integer product could wrap around)."""
    i = np.random.default_rng(seed).integers(0, n, (n_boot, n))
    flat = (i + n * np.arange(n_boot)[:, None]).ravel()
    w = np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n)
    w = w.astype(np.min_scalar_type(int(w.max(initial=0))))
    w.flags.writeable = False
    return w


#: The weights depend only on (n, n_boot, seed): a notebook that profiles
#: the same units several times (every frame, every voice, another codebook)
#: draws them once. Kept: the last 32 draws of up to KEPT_WEIGHTS_BYTES
#: each (a larger one is drawn every time).
KEPT_WEIGHTS_BYTES = 4 * 2 ** 20


@lru_cache(maxsize=32)
def _kept_weights(n, n_boot, seed):
    return _draw_weights(n, n_boot, seed)


def _weights(n, n_boot, seed):
    """:func:`_draw_weights`, remembered when small enough and ``seed`` is a
    number (a generator, a list of numbers or None is drawn from every time,
    as :func:`bootstrap_by_doc` does)."""
    keep = isinstance(seed, (int, np.integer)) and n * n_boot <= KEPT_WEIGHTS_BYTES
    return (_kept_weights if keep else _draw_weights)(n, n_boot, seed)


class DocBootstrap:
    """:func:`bootstrap_by_doc` for many value columns over the same
    sentences (``doc_ids``): the resampled documents are drawn once.

    ``DocBootstrap(ids).interval(values)`` equals ``bootstrap_by_doc(ids,
    values)`` (same ``n_boot``, ``seed`` and ``confidence``) to the last bit
    when ``values`` are whole numbers (0/1 hits, counts): scipy draws
    ``rng.integers(0, n, (n_boot, n))`` from ``np.random.default_rng(seed)``
    over the documents in sorted order; here the same draw is turned into how
    often each document is in each resample, and a resample's sum is that
    count times the document's sum (whole numbers: exact in floating point,
    whatever the order of the sum; the counts are kept in a small integer
    type, and the product is computed in float64). The counts depend only on
    the number of documents, ``n_boot`` and ``seed``: they are drawn once per
    process and shared (:func:`_weights`). Other values go to
    :func:`bootstrap_by_doc` itself."""

    def __init__(self, doc_ids, *, n_boot=2000, seed=0, confidence=0.95):
        self.doc_ids = np.asarray(doc_ids)
        self.n_boot, self.seed, self.confidence = n_boot, seed, confidence
        self._codes, docs = pd.factorize(pd.Series(self.doc_ids), sort=True)
        self.n_docs = len(docs)
        self.counts = np.bincount(self._codes, minlength=self.n_docs).astype(float)
        self._weights = self._denominators = None

    def _resample_weights(self):
        if self._weights is None:
            self._weights = _weights(self.n_docs, self.n_boot, self.seed)
        return self._weights

    def interval(self, values):
        """(low, high) of the sentence-weighted mean of ``values``."""
        v = np.asarray(values, dtype=float)
        if self.n_docs < 2:
            return float("nan"), float("nan")
        if not np.all(np.isfinite(v) & (v == np.round(v))):
            return bootstrap_by_doc(self.doc_ids, v, n_boot=self.n_boot, seed=self.seed, confidence=self.confidence)
        sums = np.bincount(self._codes, weights=v, minlength=self.n_docs)
        counts = self.counts
        if np.allclose(sums / counts, sums[0] / counts[0]):
            return float(sums[0] / counts[0]), float(sums[0] / counts[0])
        from scipy.stats import quantile
        w = self._resample_weights()
        if self._denominators is None:
            self._denominators = np.einsum("ij,j->i", w, counts)
        # einsum, not BLAS: a matrix-vector product over threads is slower on a busy machine
        theta = np.einsum("ij,j->i", w, sums) / self._denominators
        alpha = (1 - self.confidence) / 2
        ci = quantile(theta, np.array([alpha, 1 - alpha], dtype=theta.dtype), axis=-1)
        return float(ci[0]), float(ci[1])


def pearson_ci(x, y, *, confidence=0.95):
    """Pearson's r with its Fisher-z interval: (r, low, high, n)."""
    from scipy.stats import pearsonr
    res = pearsonr(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    ci = res.confidence_interval(confidence_level=confidence)
    return float(res.statistic), float(ci.low), float(ci.high), len(x)
