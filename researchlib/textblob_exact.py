"""TextBlob's pattern polarity, computed faster and *exactly* as textblob 0.20.

``TextBlob(s).sentiment.polarity`` runs pattern's tokenizer (seven regular
expression passes for contractions, a Python loop over every token that
peels punctuation character by character, a sentence splitter) and then
scores the lower-cased tokens against the lexicon through a lazy dictionary
(two Python calls per lookup). This module keeps that algorithm but

* replaces the seven contraction passes by one equivalent pass (the patterns
  cannot overlap),
* lets a token through unchanged when neither end is punctuation (the
  library's loops would not touch it),
* skips the sentence splitter: the score only needs the token sequence, which
  the splitter does not change unless the text holds a paragraph break,
  the literal end-of-sentence marker, an emoticon or a sarcasm mark (those
  texts go to the library unchanged),
* looks words up in a plain dict built from the loaded lexicon,
* tests for emoticons with the library's faces written as a trie (one
  branch per position instead of every face),
* tokenises each distinct token once (a bounded cache per token).

Exactness is tested against the library (``tests/test_exact_scores.py``:
seeds, edge cases, random text via hypothesis).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .text import trie_of_atoms

__all__ = ["textblob_polarity"]

_CONTRACTION = re.compile(r"'d|'m|'s|'ll|'re|'ve|n't")


@lru_cache(maxsize=1)
def _state():
    from textblob import _text as T
    from textblob.en import sentiment as lexicon
    lexicon("good")                       # load the lazy lexicon
    table = {w: entry[None] for w, entry in dict.items(lexicon) if None in entry}
    modifiers = frozenset(w for w, entry in dict.items(lexicon) if any(m in entry for m in lexicon.modifiers))
    emoticons = {}
    for (_type, p), faces in T.EMOTICONS.items():    # first type wins, as in the library's loop
        for e in faces:
            emoticons.setdefault(e.lower(), p)
    lead = frozenset(T.PUNCTUATION.replace(".", ""))
    special = frozenset(lexicon.negations) | {"!", "(!)"} | emoticons.keys()   # unknown words that act
    return T, lexicon, table, modifiers, special, emoticons, lead, lead | {"."}, _emoticon_regex(T.EMOTICONS)


def _emoticon_regex(faces):
    """The library's ``RE_EMOTICONS`` (any face of ``faces``, a blank allowed
    between its characters, then a blank or the end) written as a trie: the
    same strings match, but ``re`` tries one branch per position instead of
    every face (tested equal in tests/test_exact_scores.py)."""
    faces = sorted({e for v in faces.values() for e in v})
    return re.compile("(?:" + trie_of_atoms([re.escape(e[0]), *(" ?" + re.escape(c) for c in e[1:])] for e in faces)
                      + r")(?:$|\s)")


def textblob_polarity(texts) -> list:
    """TextBlob polarity (-1..1) per text."""
    T, lexicon, table, modifiers, special, emoticons, lead, trail, faces = _state()
    out = []
    for text in texts:
        words = _words(str(text), T, lead, trail, faces)
        out.append(lexicon(text)[0] if words is None else _polarity(words, T, lexicon, table, modifiers, special, emoticons))
    return out


def _words(s, T, lead, trail, faces):
    """The lower-cased token sequence pattern scores, or None when the
    library must handle the text itself (``faces``: :func:`_emoticon_regex`)."""
    if "'" in s:
        s = _CONTRACTION.sub(lambda m: " " + m.group(0), s).replace("'", " ' ")
    if not s.isascii():          # the curly quotes are not ASCII
        s = s.replace("“", " “ ").replace("”", " ” ").replace("‘", " ‘ ").replace("’", " ’ ")
    if '"' in s:
        s = s.replace('"', ' " ')
    if "\r" in s:
        s = s.replace("\r\n", "\n")
    if "\n\n" in s or T.EOS in s:
        return None
    joined = " ".join(map(_token, s.split()))     # = " ".join(_tokens_plain(s, lead, trail))
    if T.RE_SARCASM.search(joined) or faces.search(joined):     # = T.RE_EMOTICONS.search(joined)
        return None
    return joined.lower().split()        # = [w.lower() for w in joined.split()]


def _tokens_plain(s, lead, trail) -> list:
    r"""pattern's tokens of ``s`` (contractions and quote marks already set
    apart): the text split at blanks (= ``re.sub(r"\s+", " ", s).split(" ")``
    without empty tokens), each token with punctuation at an end peeled."""
    tokens = []
    for t in s.split():
        if t[0] not in lead and t[-1] not in trail:
            tokens.append(t)
        else:
            tokens.extend(_peeled(t))
    return tokens


@lru_cache(maxsize=65_536)
def _token(t) -> str:
    """The tokens :func:`_tokens_plain` makes of one token ``t`` of the
    split text, joined by a space (remembered per token: news text repeats
    its words). Peeling never leaves nothing of a token (each step moves
    characters to the tokens or stops with some left), so joining these
    strings joins the same tokens (tested equal in tests/test_exact_scores.py)."""
    lead, trail = _state()[6:8]
    return t if t[0] not in lead and t[-1] not in trail else " ".join(_peeled(t))


def _peeled(t) -> tuple:
    """The tokens pattern makes of token ``t`` with punctuation at an end."""
    T, lead = _state()[0], _state()[6]
    tokens = []
    _peel(t, tokens, tuple(lead), T)
    return tuple(tokens)


def _peel(t, tokens, punctuation, T):
    """pattern's ``find_tokens`` loop for one token with punctuation at an end."""
    replace = T.replacements
    tail = []
    while t.startswith(punctuation) and t not in replace:
        if t.startswith(punctuation):
            tokens.append(t[0])
            t = t[1:]
    while t.endswith(punctuation + (".",)) and t not in replace:
        if t.endswith(punctuation):
            tail.append(t[-1])
            t = t[:-1]
        if t.endswith("..."):
            tail.append("...")
            t = t[:-3].rstrip(".")
        if t.endswith("."):
            if t in T.ABBREVIATIONS or T.RE_ABBR1.match(t) is not None or T.RE_ABBR2.match(t) is not None \
                    or T.RE_ABBR3.match(t) is not None:
                break
            tail.append(t[-1])
            t = t[:-1]
    if t != "":
        tokens.append(t)
    tokens.extend(reversed(tail))


def _polarity(words, T, lexicon, table, modifiers, special, emoticons):
    """pattern's ``Sentiment.assessments`` + average polarity, for pos=None."""
    negations, modifier = lexicon.negations, lexicon.modifier
    a = []
    m = None
    n = None
    for w in words:
        psi = table.get(w)
        if psi is None and n is None and m is None and w not in special:
            continue               # an unknown word with nothing pending changes nothing
        if psi is not None:
            p, s, i = psi
            if m is None:
                a.append([p, i, 1])
            else:
                last = a[-1]
                last[0] = max(-1.0, min(p * last[1], +1.0))
                last[1] = i
            if n is not None:
                a[-1][1] = 1.0 / a[-1][1]
                a[-1][2] = -1
            m = None
            n = None
            if w in modifiers:
                m = w
            if w in negations:
                n = w
        else:
            if w in negations:
                n = w
            elif n and len(w.strip("'")) > 1:
                n = None
            if n is not None and m is not None and modifier(m):
                a[-1][2] = -1
                n = None
            elif m and len(w) > 2:
                m = None
            if w == "!" and len(a) > 0:
                a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
            if w == "(!)":
                a.append([0.0, 1.0, 1])
            if w.isalpha() is False and len(w) <= 5 and w not in T.PUNCTUATION:
                p = emoticons.get(w)
                if p is not None:
                    a.append([p, 1.0, 1])
    total, count = 0, 0
    for p, _i, neg in a:
        total += 1 * (p * -0.5 if neg < 0 else p)
        count += 1
    return total / float(count or 1)
