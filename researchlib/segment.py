"""Sentences, offline: NLTK's Punkt with hand-set parameters (no trained model,
so no ``nltk.download``).

Sentences never cross a paragraph boundary. Punkt runs on the quote-normalised
text (same length), so a quote ending ``,” he said.`` or ``.”`` is handled like
its straight-quote twin and offsets index the original text.

Abbreviations that never end a sentence here: titles (Mr, Mrs, Dr, Gen, ...),
initialisms (U.S., U.N., U.K., E.U.) and month abbreviations (Feb., Dec.).
Known limit: a sentence that really ends with one of these ("... in the U.S.
Then ...") is not split.
"""
from __future__ import annotations

import re

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer, PunktToken

from .compat import verified
from .text import MONTH_ABBREVIATIONS, normalize_quotes

__all__ = ["ABBREVIATIONS", "sentence_spans", "sentence_spans_reference"]

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm",
    "gov", "sen", "rep", "rev", "st", "jr", "sr", "messrs", "amb", "pres",
    "u.s", "u.n", "u.k", "e.u", "u.s.a", "u.a.e",
    *(a.lower() for a in MONTH_ABBREVIATIONS),
    "inc", "corp", "co", "ltd", "vs", "etc", "e.g", "i.e", "approx", "dept", "est",
}


# NLTK >= 3.9 compiles Punkt's patterns with the third-party ``regex`` engine
# behind a time-out guard (``nltk.redos``), which makes the segmenter three
# times slower. The same patterns compiled with the standard ``re`` (as NLTK
# did before) give the same sentences wherever the two engines agree on the
# character classes the patterns use (\s, \w, \d). They disagree on some
# characters (e.g. U+001C-U+001F are \s only in ``re``; combining marks are \w
# only in ``regex``), so a text holding any character outside the set checked
# below goes through NLTK's own tokenizer (tests/test_fast_paths.py).
def _re(pattern, flags=0):
    return re.compile(getattr(pattern, "pattern", pattern), flags)


class _LangVars(PunktLanguageVars):
    re_boundary_realignment = _re(PunktLanguageVars.re_boundary_realignment, re.MULTILINE)

    def __init__(self):
        super().__init__()
        # NLTK compiles these on first use and keeps them on the instance; the
        # same patterns on ``re`` take their place
        flags = re.UNICODE | re.VERBOSE
        self._re_word_tokenizer = _re(PunktLanguageVars()._word_tokenizer_re(), flags)
        self._re_period_context = _re(PunktLanguageVars().period_context_re(), flags)


_NON_PUNCT = re.compile(r"[^\W\d]")


class _Token(PunktToken):
    __slots__ = ()
    _RE_ELLIPSIS = _re(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _re(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _re(PunktToken._RE_INITIAL)
    _RE_ALPHA = _re(PunktToken._RE_ALPHA)

    @property
    def is_non_punct(self):
        return _NON_PUNCT.search(self.type)


def _tokenizer(fast=True) -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    if not fast:
        return PunktSentenceTokenizer(params)
    return PunktSentenceTokenizer(params, lang_vars=_LangVars(), token_cls=_Token)


_PUNKT = _tokenizer(fast=False)
# the fast tokenizer sets NLTK's private pattern attributes: only on the NLTK
# versions it was verified on (researchlib.compat), else NLTK's own
_FAST_PUNKT = _tokenizer(fast=True) if verified("nltk") else _PUNKT


def _checked_chars() -> str:
    """Characters on which ``re`` and ``regex`` agree for \\s, \\w and \\d
    (ASCII, Latin, Greek, Cyrillic, general punctuation), as a class body."""
    import regex
    classes = [(re.compile(c), regex.compile(c, regex.V0)) for c in (r"\s", r"\w", r"\d")]
    ranges = [(0, 0x530), (0x1E00, 0x1F00), (0x2000, 0x20D0), (0x2100, 0x2150)]
    ok = [chr(i) for a, b in ranges for i in range(a, b)
          if all(bool(r.match(chr(i))) == bool(x.match(chr(i))) for r, x in classes)]
    return "".join(re.escape(c) for c in ok)


_UNCHECKED = re.compile("[^" + _checked_chars() + "]")


def sentence_spans_reference(text: str, paragraphs=None) -> list[tuple[int, int]]:
    """The plain method: NLTK's own Punkt with :data:`ABBREVIATIONS` on the
    quote-normalised text. :func:`sentence_spans` gives the same, faster."""
    return _spans(_PUNKT, normalize_quotes(text), paragraphs)


def sentence_spans(text: str, paragraphs=None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``.

    ``paragraphs`` are (start, end) blocks that sentences may not cross
    (defaults to the whole text). The fast path: Punkt's patterns on the
    standard ``re`` where it is checked to agree with NLTK's engine.
    """
    norm = normalize_quotes(text)
    return _spans(_PUNKT if _UNCHECKED.search(norm) else _FAST_PUNKT, norm, paragraphs)


def _spans(punkt, norm, paragraphs):
    out = []
    for ps, pe in paragraphs if paragraphs is not None else [(0, len(norm))]:
        for s, e in punkt.span_tokenize(norm[ps:pe]):
            if e > s:
                out.append((ps + s, ps + e))
    return out
