"""VADER's compound score, computed faster and *exactly* as vaderSentiment 3.3.2.

``SentimentIntensityAnalyzer.polarity_scores`` spends most of its time on work
that does not change the compound score of a news sentence: a Python loop
over every character looking for emoji, and, for every lexicon word, three
to four fresh lower-cased copies of the whole sentence (negation and idiom
checks). This module runs the same rules in the same order on one
lower-cased word list and skips words that cannot score. A lexicon word with
none of the words that can change its valence among the three before it
(:func:`_acting`, from the library's lists), not ALL CAPS and without all the
words of an idiom around it keeps its lexicon valence without running the
rules (most words of a news sentence); an idiom is looked for only when its
longest word is near. Each distinct word's library form (stripped, lower-cased)
is made once (a bounded cache). Whatever it does not reproduce line by
line it hands back to the library: a sentence containing an emoji, or the
contrastive "but" rule (``_but_check``).

Exactness is a test, not a promise: ``tests/test_exact_scores.py`` compares
this function with the library on the seeds, on hand-written edge cases and
on random text (hypothesis, also drawn from the rule words); the benchmark
corpus (100k documents, 1.6 M sentences) gave identical scores, and so did,
after the shortcut above, the 146,447 distinct sentences of the 10k
synthetic benchmark corpus.  The library version is part of the cache key
of the sentiment measure (:data:`researchlib.batches.MEASURES`).
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from itertools import compress

__all__ = ["vader_compound"]


@lru_cache(maxsize=1)
def _state():
    from vaderSentiment import vaderSentiment as V
    sia = V.SentimentIntensityAnalyzer()
    emoji_chars = frozenset(k for k in sia.emojis if len(k) == 1)   # the library tests one character at a time
    # the words of each multi-word idiom and booster: _special_idioms compares
    # 2- and 3-word sequences of the window around a word with them, so a
    # window that does not hold all the words of one of them cannot change
    # a valence there; a window without the longest word of any of them
    # ("death" of "kiss of death", not "of") is passed over at once
    idioms = tuple(frozenset(k.split(" ")) for k in [*V.SPECIAL_CASES, *V.BOOSTER_DICT] if " " in k)
    idioms = frozenset(max(sorted(k), key=len) for k in idioms), idioms
    return V, sia, sia.lexicon, emoji_chars, frozenset(V.NEGATE), idioms, all(not c.isascii() for c in emoji_chars)


def vader_compound(texts) -> list:
    """VADER compound score (rounded to 4 places, as the library) per text."""
    V, sia, lex, emoji_chars, negate, idioms, emoji_non_ascii = _state()
    booster, n_scalar, c_incr = V.BOOSTER_DICT, V.N_SCALAR, V.C_INCR
    in_lex = lex.__contains__
    acting = _acting(V, negate)
    out = []
    for text in texts:
        if not (emoji_non_ascii and text.isascii()) and not emoji_chars.isdisjoint(
                _NON_ASCII.findall(text) if emoji_non_ascii else text):
            out.append(sia.polarity_scores(text)["compound"])
            continue
        # the library's words (punctuation stripped from words of 3+ characters),
        # lower-cased; a word is ALL CAPS exactly when it is before its
        # punctuation is stripped (punctuation has no case)
        cased = text.split()
        lower = list(map(_lower_word, cased))
        n = len(lower)
        scored = list(compress(range(n), map(in_lex, lower)))
        if not scored:
            out.append(0.0)        # every word scores 0 -> compound 0.0
            continue
        sentiments = [0] * n       # boosters, "kind of" and words outside the lexicon score 0
        apostrophe = "'" in text
        for i in scored:
            lw = lower[i]
            if lw in booster or (lw == "kind" and i < n - 1 and lower[i + 1] == "of"):
                continue
            before = lower[i - 3:i] if i >= 3 else lower[:i]
            if lw != "no" and acting.isdisjoint(before) and not cased[i].isupper() \
                    and not (apostrophe and any("n't" in w for w in before)) \
                    and (i < 3 or not _idiom_near(idioms, lower[i - 3:i + 3])):
                sentiments[i] = lex[lw]     # no rule of _valence applies (see _acting)
            else:
                sentiments[i] = _valence(V, lex, negate, cased, lower, i, n, n_scalar, c_incr,
                                         booster, idioms)
        if "but" in lower:
            sentiments = V.SentimentIntensityAnalyzer._but_check(lower, sentiments)
        sum_s = float(sum(sentiments))
        # the library's "!" and "?" emphasis, 0 without either mark
        punct = sia._punctuation_emphasis(text) if "!" in text or "?" in text else 0
        if sum_s > 0:
            sum_s += punct
        elif sum_s < 0:
            sum_s -= punct
        out.append(round(V.normalize(sum_s), 4))
    return out


_NON_ASCII = re.compile("[^\x00-\x7f]")


@lru_cache(maxsize=65_536)
def _lower_word(w) -> str:
    """The library's word for ``w`` (a word of the text split at blanks),
    lower-cased: ``SentiText._strip_punc_if_word`` (the punctuation at its
    ends stripped unless 2 characters or fewer remain), then ``str.lower``
    (remembered per word: news text repeats its words)."""
    s = w.strip(string.punctuation)
    return w.lower() if len(s) <= 2 else s.lower()


@lru_cache(maxsize=1)
def _acting(V, negate) -> frozenset:
    """The words that, among the three before a lexicon word, can change its
    valence in :func:`_valence`: boosters (``scalar_inc_dec``), negations and
    "no" (also any word with "n't", tested apart), the words of the "never
    so / this", "without doubt", "so / this" and "no ... or / nor" rules, and
    "least". A lexicon word with none of them before it, not ALL CAPS, not
    "no" itself and with no idiom word around it keeps its lexicon valence
    (adding 0.0 changes no sum)."""
    return frozenset(V.BOOSTER_DICT) | negate | {"no", "never", "so", "this", "without", "doubt", "or", "nor", "least"}


def _idiom_near(idioms, window) -> bool:
    """Does ``window`` hold every word of one of the idioms? ``idioms``: (one
    word of each, the word set of each)."""
    if idioms[0].isdisjoint(window):
        return False
    words = set(window)
    return any(k <= words for k in idioms[1])


def _cap_diff(cased):
    """``vaderSentiment.allcap_differential``: some but not all words ALL CAPS
    (asked only when a word that counts is ALL CAPS)."""
    n = len(cased)
    return 0 < n - sum(map(str.isupper, cased)) < n


def _valence(V, lex, negate, cased, lower, i, n, n_scalar, c_incr, booster, idioms):
    """``SentimentIntensityAnalyzer.sentiment_valence`` for a lexicon word,
    on the shared lower-cased list (same operations, same order); ``cased``:
    the words as written, asked only whether they are ALL CAPS."""
    il = lower[i]
    valence = lex[il]
    if il == "no" and i != n - 1 and lower[i + 1] in lex:
        valence = 0.0
    if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") \
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
        valence = lex[il] * n_scalar
    if cased[i].isupper() and _cap_diff(cased):
        if valence > 0:
            valence += c_incr
        else:
            valence -= c_incr
    for start_i in range(0, 3):
        if i > start_i and lower[i - (start_i + 1)] not in lex:
            # vaderSentiment.scalar_inc_dec: 0.0 for a word that is not a booster
            j = i - (start_i + 1)
            s = 0.0
            if lower[j] in booster:
                s = booster[lower[j]]
                if valence < 0:
                    s *= -1
                if cased[j].isupper() and _cap_diff(cased):
                    if valence > 0:
                        s += c_incr
                    else:
                        s -= c_incr
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(valence, lower, start_i, i, negate, n_scalar)
            if start_i == 2 and _idiom_near(idioms, lower[i - 3:i + 3]):
                valence = _special_idioms(V, valence, lower, i)
    # _least_check
    if i > 1 and lower[i - 1] not in lex and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * n_scalar
    elif i > 0 and lower[i - 1] not in lex and lower[i - 1] == "least":
        valence = valence * n_scalar
    return valence


def _negation_check(valence, wl, start_i, i, negate, n_scalar):
    """``SentimentIntensityAnalyzer._negation_check`` on the lower-cased words
    (``vaderSentiment.negated([w])`` lower-cases ``w`` again, which changes
    no lower-cased string)."""
    if start_i == 0:
        if wl[i - 1] in negate or "n't" in wl[i - 1]:
            valence = valence * n_scalar
    if start_i == 1:
        if wl[i - 2] == "never" and (wl[i - 1] == "so" or wl[i - 1] == "this"):
            valence = valence * 1.25
        elif wl[i - 2] == "without" and wl[i - 1] == "doubt":
            pass
        elif wl[i - 2] in negate or "n't" in wl[i - 2]:
            valence = valence * n_scalar
    if start_i == 2:
        if wl[i - 3] == "never" and (wl[i - 2] == "so" or wl[i - 2] == "this") or \
                (wl[i - 1] == "so" or wl[i - 1] == "this"):
            valence = valence * 1.25
        elif wl[i - 3] == "without" and (wl[i - 2] == "doubt" or wl[i - 1] == "doubt"):
            pass
        elif wl[i - 3] in negate or "n't" in wl[i - 3]:
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
