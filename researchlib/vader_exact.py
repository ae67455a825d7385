"""VADER's compound score, computed faster and *exactly* as vaderSentiment 3.3.2.

``SentimentIntensityAnalyzer.polarity_scores`` spends most of its time on work
that does not change the compound score of a news sentence: a Python loop
over every character looking for emoji, and, for every lexicon word, three
to four fresh lower-cased copies of the whole sentence (negation and idiom
checks). This module runs the same rules in the same order on one
lower-cased word list and skips words that cannot score. Whatever it does not
reproduce line by line it hands back to the library: a sentence containing
an emoji, or the contrastive "but" rule (``_but_check``).

Exactness is a test, not a promise: ``tests/test_exact_scores.py`` compares
this function with the library on the seeds, on hand-written edge cases and
on random text (hypothesis); the benchmark corpus (100k documents, 1.6 M
sentences) gave identical scores.  The library version is part of the
cache key of the sentiment measure (:data:`researchlib.batches.MEASURES`).
"""
from __future__ import annotations

import string
from functools import lru_cache

__all__ = ["vader_compound"]


@lru_cache(maxsize=1)
def _state():
    from vaderSentiment import vaderSentiment as V
    sia = V.SentimentIntensityAnalyzer()
    emoji_chars = frozenset(k for k in sia.emojis if len(k) == 1)   # the library tests one character at a time
    # words of the multi-word idioms and boosters: a window without any of them
    # cannot change a valence in _special_idioms
    idiom_words = frozenset(w for k in [*V.SPECIAL_CASES, *(b for b in V.BOOSTER_DICT if " " in b)]
                            for w in k.split(" "))
    return V, sia, sia.lexicon, emoji_chars, frozenset(V.NEGATE), idiom_words, all(not c.isascii() for c in emoji_chars)


def vader_compound(texts) -> list:
    """VADER compound score (rounded to 4 places, as the library) per text."""
    V, sia, lex, emoji_chars, negate, idiom_words, emoji_non_ascii = _state()
    booster, punc, n_scalar, c_incr = V.BOOSTER_DICT, string.punctuation, V.N_SCALAR, V.C_INCR
    out = []
    for text in texts:
        if not (emoji_non_ascii and text.isascii()) and not emoji_chars.isdisjoint(text):
            out.append(sia.polarity_scores(text)["compound"])
            continue
        words = [w if len(s) <= 2 else s for w in text.split() for s in (w.strip(punc),)]
        lower = [w.lower() for w in words]
        if lex.keys().isdisjoint(lower):
            out.append(0.0)        # every word scores 0 -> compound 0.0
            continue
        n = len(words)
        caps = sum(map(str.isupper, words))
        cap_diff = 0 < n - caps < n
        sentiments = [0] * n       # boosters, "kind of" and words outside the lexicon score 0
        for i, lw in enumerate(lower):
            if lw in lex and lw not in booster and not (lw == "kind" and i < n - 1 and lower[i + 1] == "of"):
                sentiments[i] = _valence(V, lex, negate, words, lower, i, n, cap_diff, n_scalar, c_incr,
                                         booster, idiom_words)
        if "but" in lower:
            sentiments = V.SentimentIntensityAnalyzer._but_check(words, sentiments)
        sum_s = float(sum(sentiments))
        punct = sia._punctuation_emphasis(text)
        if sum_s > 0:
            sum_s += punct
        elif sum_s < 0:
            sum_s -= punct
        out.append(round(V.normalize(sum_s), 4))
    return out


def _negated(word, negate):
    word = word.lower()     # vaderSentiment.negated lower-cases again
    return word in negate or "n't" in word


def _valence(V, lex, negate, words, lower, i, n, cap_diff, n_scalar, c_incr, booster, idiom_words):
    """``SentimentIntensityAnalyzer.sentiment_valence`` for a lexicon word,
    on the shared lower-cased list (same operations, same order)."""
    item, il = words[i], lower[i]
    valence = lex[il]
    if il == "no" and i != n - 1 and lower[i + 1] in lex:
        valence = 0.0
    if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") \
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
        valence = lex[il] * n_scalar
    if item.isupper() and cap_diff:
        if valence > 0:
            valence += c_incr
        else:
            valence -= c_incr
    for start_i in range(0, 3):
        if i > start_i and lower[i - (start_i + 1)] not in lex:
            # scalar_inc_dec is 0.0 for a word that is not a booster
            s = V.scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff) \
                if lower[i - (start_i + 1)] in booster else 0.0
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(valence, lower, start_i, i, negate, n_scalar)
            if start_i == 2 and not idiom_words.isdisjoint(lower[i - 3:i + 3]):
                valence = _special_idioms(V, valence, lower, i)
    # _least_check
    if i > 1 and lower[i - 1] not in lex and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * n_scalar
    elif i > 0 and lower[i - 1] not in lex and lower[i - 1] == "least":
        valence = valence * n_scalar
    return valence


def _negation_check(valence, wl, start_i, i, negate, n_scalar):
    if start_i == 0:
        if _negated(wl[i - 1], negate):
            valence = valence * n_scalar
    if start_i == 1:
        if wl[i - 2] == "never" and (wl[i - 1] == "so" or wl[i - 1] == "this"):
            valence = valence * 1.25
        elif wl[i - 2] == "without" and wl[i - 1] == "doubt":
            pass
        elif _negated(wl[i - 2], negate):
            valence = valence * n_scalar
    if start_i == 2:
        if wl[i - 3] == "never" and (wl[i - 2] == "so" or wl[i - 2] == "this") or \
                (wl[i - 1] == "so" or wl[i - 1] == "this"):
            valence = valence * 1.25
        elif wl[i - 3] == "without" and (wl[i - 2] == "doubt" or wl[i - 1] == "doubt"):
            pass
        elif _negated(wl[i - 3], negate):
            valence = valence * n_scalar
    return valence


def _special_idioms(V, valence, wl, i):
    special, booster = V.SPECIAL_CASES, V.BOOSTER_DICT
    onezero = f"{wl[i - 1]} {wl[i]}"
    twoonezero = f"{wl[i - 2]} {wl[i - 1]} {wl[i]}"
    twoone = f"{wl[i - 2]} {wl[i - 1]}"
    threetwoone = f"{wl[i - 3]} {wl[i - 2]} {wl[i - 1]}"
    threetwo = f"{wl[i - 3]} {wl[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in special:
            valence = special[seq]
            break
    if len(wl) - 1 > i:
        zeroone = f"{wl[i]} {wl[i + 1]}"
        if zeroone in special:
            valence = special[zeroone]
    if len(wl) - 1 > i + 1:
        zeroonetwo = f"{wl[i]} {wl[i + 1]} {wl[i + 2]}"
        if zeroonetwo in special:
            valence = special[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in booster:
            valence = valence + booster[n_gram]
    return valence
