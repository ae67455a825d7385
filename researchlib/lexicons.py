"""Lexicon scores per text: VADER's compound score and TextBlob's polarity.

The one place that chooses how a lexicon score is computed, used by the
sentiment measures (:mod:`researchlib.sentiment`) and by the features of the
"news" model (:mod:`researchlib.news`), so both get the same numbers.

Method
------
* ``"vader"``: vaderSentiment's compound score (-1..1, rounded to 4 places
  as the library does; Hutto & Gilbert 2014).
* ``"textblob"``: TextBlob's pattern polarity (-1..1).

On the library versions our exact re-implementations were verified on
(:data:`researchlib.compat.VERIFIED`) the scores come from
:mod:`researchlib.vader_exact` and :mod:`researchlib.textblob_exact` (the
libraries' rules, faster; tested equal in ``tests/test_exact_scores.py``);
on any other version from the libraries themselves, after one warning.

Known limits
------------
Lexicon scores measure the words, not the stance (see
:mod:`researchlib.sentiment`). The analysers are built once per process and
kept for its life.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .compat import verified

__all__ = ["LEXICONS", "lexicon_scores", "warm_up"]

#: method name -> the distribution whose lexicon and rules it uses
LEXICONS = {"vader": "vaderSentiment", "textblob": "textblob"}


def lexicon_scores(texts, method) -> np.ndarray:
    """One score (float) per text of the list ``texts``; ``method``: "vader"
    or "textblob"."""
    if method == "vader":
        if verified("vaderSentiment"):
            from .vader_exact import vader_compound
            return np.array(vader_compound(texts), dtype=float)
        return np.array([_vader_library().polarity_scores(t)["compound"] for t in texts], dtype=float)
    if method == "textblob":
        if verified("textblob"):
            from .textblob_exact import textblob_polarity
            return np.array(textblob_polarity(texts), dtype=float)
        from textblob import TextBlob
        return np.array([TextBlob(t).sentiment.polarity for t in texts], dtype=float)
    raise ValueError(f"unknown lexicon {method!r}; choose one of {tuple(LEXICONS)}")


@lru_cache(maxsize=1)
def _vader_library():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def warm_up(methods=tuple(LEXICONS)):
    """Load the lexicons and build the analysers of ``methods`` now (once
    per process), so that the first text scored does not pay for it."""
    for method in methods:
        lexicon_scores(["Warm up: a good start."], method)
