"""Sentences, offline: NLTK's Punkt with hand-set parameters (no trained model,
so no ``nltk.download``).

Method
------
Punkt (Kiss & Strunk 2006) with :data:`ABBREVIATIONS` as its only parameters
(no training: no collocations, no frequent sentence starters, no orthographic
context). Sentences never cross a paragraph boundary: Punkt runs on each
paragraph. It runs on the quote-normalised text (same length), so a quote
ending ``,” he said.`` or ``.”`` is handled like its straight-quote twin and
offsets index the original text.

Abbreviations that never end a sentence here: titles (Mr, Mrs, Dr, Gen, ...),
initialisms (U.S., U.N., U.K., E.U.) and month abbreviations (Feb., Dec.).

:func:`sentence_spans_reference` is the plain method: NLTK's own tokenizer.
:func:`sentence_spans` gives the same spans faster (``tests/test_fast_paths.py``
compares them on the seeds, the web fixtures and generated text) with two
changes of machinery, not of method: Punkt's patterns compiled with the
standard ``re`` instead of the ``regex`` engine behind NLTK's time-out guard,
and Punkt's steps for these fixed parameters in one loop (:class:`_FixedPunkt`).
Both only on NLTK versions they were verified on (:mod:`researchlib.compat`);
otherwise, and for a text holding a character the two engines may read
differently, NLTK itself segments.

Known limits
------------
A sentence that really ends with one of the abbreviations ("... in the U.S.
Then ...") is not split. An initial before a capitalised word ("J. Smith")
never ends a sentence; a number with a period ("5.") does not before lower
case. A sentence ending without ``.``, ``?`` or ``!`` runs on to the end of
its paragraph.
"""
from __future__ import annotations

import re
from functools import lru_cache

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


# ------------------------------------------------------------ the plain method
def _params() -> PunktParameters:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return params


_PUNKT = PunktSentenceTokenizer(_params())


def sentence_spans_reference(text: str, paragraphs=None) -> list[tuple[int, int]]:
    """The plain method: NLTK's own Punkt with :data:`ABBREVIATIONS` on the
    quote-normalised text, paragraph by paragraph. :func:`sentence_spans`
    gives the same, faster."""
    return _spans(_PUNKT, normalize_quotes(text), paragraphs)


def _spans(punkt, norm, paragraphs):
    out = []
    for ps, pe in paragraphs if paragraphs is not None else [(0, len(norm))]:
        for s, e in punkt.span_tokenize(norm[ps:pe]):
            if e > s:
                out.append((ps + s, ps + e))
    return out


# ------------------------------------------------------------ the fast path
def sentence_spans(text: str, paragraphs=None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``.

    ``paragraphs`` are (start, end) blocks that sentences may not cross
    (defaults to the whole text). The same spans as
    :func:`sentence_spans_reference`, faster (:class:`_FixedPunkt`).
    """
    norm = normalize_quotes(text)
    fixed = _fixed_punkt()
    if fixed is None or _has_unchecked(norm):
        return _spans(_PUNKT, norm, paragraphs)
    out = []
    para_spans = fixed.span_tokenize
    for ps, pe in paragraphs if paragraphs is not None else [(0, len(norm))]:
        for s, e in para_spans(norm[ps:pe]):
            if e > s:
                out.append((ps + s, ps + e))
    return out


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


class _Token(PunktToken):
    __slots__ = ()
    _RE_ELLIPSIS = _re(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _re(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _re(PunktToken._RE_INITIAL)
    _RE_ALPHA = _re(PunktToken._RE_ALPHA)


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
# The same test, faster (the pattern reads about 5 ns a character): the ASCII
# characters outside the set, taken from the pattern, are few; the pattern
# then reads only the non-ASCII characters (the UTF-8 bytes of the text
# without its ASCII bytes: a multi-byte sequence holds none).
_UNCHECKED_ASCII = tuple(c for c in map(chr, range(128)) if _UNCHECKED.match(c))
_ASCII_BYTES = bytes(range(128))


def _has_unchecked(text: str) -> bool:
    """``_UNCHECKED.search(text) is not None``, faster (tests/test_fast_paths.py)."""
    if any(c in text for c in _UNCHECKED_ASCII):
        return True
    if text.isascii():
        return False
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return _UNCHECKED.search(rest) is not None


class _FixedPunkt:
    """``PunktSentenceTokenizer.span_tokenize`` for a tokenizer whose only
    parameters are abbreviations, as one loop over the candidate breaks.

    Punkt finds each candidate ('.', '?' or '!' before other punctuation or
    before white space and a token), takes the word before it, the candidate
    and what follows as a short context, word-tokenizes and annotates that
    context (first pass: token types; second pass: the collocation,
    orthographic and sentence-starter heuristics) and breaks there if any
    token but the last ends a sentence; then it moves closing quotes and
    brackets after a break onto the sentence before (realignment). With no
    collocations, no sentence starters and no orthographic context the second
    pass can only take a break back (:meth:`_ends`). Patterns, abbreviations
    and punctuation are read from the tokenizer given.
    """

    def __init__(self, punkt: PunktSentenceTokenizer):
        params, lang = punkt._params, punkt._lang_vars
        if params.collocations or params.sent_starters or any(params.ortho_context.values()):
            raise ValueError("_FixedPunkt reproduces Punkt with abbreviations only (no trained parameters)")
        self._abbrevs = frozenset(params.abbrev_types)
        self._sent_end = frozenset(lang.sent_end_chars)
        self._punctuation = frozenset(punkt.PUNCTUATION)
        self._candidates = lang.period_context_re().finditer
        self._words = lang._word_tokenizer_re().findall
        self._realign = lang.re_boundary_realignment.match
        self._numeric = punkt._Token._RE_NUMERIC.sub
        self._initial = punkt._Token._RE_INITIAL.match
        # the decision depends on the context string alone, and news repeats
        # many ("said. The"): a bounded cache (see researchlib.memo)
        self._cached_breaks = lru_cache(maxsize=4096)(self._breaks)

    def _ends(self, tok: str, nxt: str) -> bool:
        """Whether token ``tok`` followed by token ``nxt`` ends a sentence
        (``_first_pass_annotation`` then ``_second_pass_annotation``)."""
        if tok in self._sent_end:                          # '.', '?', '!' alone
            return True
        if not tok.endswith(".") or tok.endswith(".."):     # ellipses and other tokens
            return False
        typ = tok[:-1].lower()
        if typ in self._abbrevs or typ.split("-")[-1] in self._abbrevs:
            return False            # an abbreviation: no orthographic context or starters to break after it
        initial = self._initial(tok)
        typ = self._numeric("##number##", tok.lower())
        if initial or (typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ) == "##number##":
            # the orthographic heuristic without context says "not a sentence
            # starter" before punctuation or lower case, "unknown" otherwise;
            # an initial before "unknown" upper case is taken back too
            if nxt in self._punctuation or nxt[0].islower() or (initial and nxt[0].isupper()):
                return False
        return True

    def _breaks(self, context: str) -> bool:
        """``PunktSentenceTokenizer.text_contains_sentbreak``: whether a
        token of ``context`` but the last ends a sentence."""
        words = self._words
        toks = [t for line in context.split("\n") if line.strip() for t in words(line)]
        ends = self._ends
        return any(ends(toks[i], toks[i + 1]) for i in range(len(toks) - 1))

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the sentences of ``text``, as Punkt's
        ``span_tokenize``."""
        cuts = []                            # _slices_from_text
        last_break = 0
        breaks = self._cached_breaks
        # the previous candidate (_match_potential_end_contexts): start of the
        # word before it, its offset, end of its context, start of the next
        # token (-1: punctuation follows)
        pw = pc = pa = pn = 0
        found = False
        for m in self._candidates(text):
            # the word before a candidate starts after the last (ASCII) white
            # space since the previous candidate; the previous candidate is
            # dropped when this word reaches back over it ("acting!!!": the
            # last '!' only)
            start = m.start()
            ws = _last_space(text, pc, start) - pc
            word = ws + pc + 1 if ws > 0 else pw
            if found and pc <= word and breaks(text[pw:pa]):
                cuts.append((last_break, pc + 1))
                last_break = pn if pn >= 0 else pc + 1
            pw, pc, pa, pn, found = word, start, m.end("after_tok"), m.start("next_tok"), True
        if found and breaks(text[pw:pa]):
            cuts.append((last_break, pc + 1))
            last_break = pn if pn >= 0 else pc + 1
        end = len(text.rstrip())
        if not cuts:
            return [(last_break, end)] if end > last_break else []
        cuts.append((last_break, end))
        out = []                             # _realign_boundaries
        realign = 0
        for (s1, e1), (s2, e2) in zip(cuts, cuts[1:]):
            m = self._realign(text[s2:e2])
            if m:
                out.append((s1 + realign, s2 + len(m.group(0).rstrip())))
                realign = m.end()
            else:
                if e1 > s1 + realign:        # NLTK drops an empty sentence here
                    out.append((s1 + realign, e1))
                realign = 0
        if end > last_break + realign:
            out.append((last_break + realign, end))
        return out


_SPACES = " \n\t\r\x0b\x0c"            # what Punkt's word before a candidate does not hold


def _last_space(text: str, lo: int, hi: int) -> int:
    """The offset of the last ``_SPACES`` character in ``text[lo:hi]`` (-1:
    none): the last space, unless a character after it is not printable
    (the others are not)."""
    at = text.rfind(" ", lo, hi)
    if text[at + 1 if at >= 0 else lo:hi].isprintable():
        return at
    return max(text.rfind(c, lo, hi) for c in _SPACES)


@lru_cache(maxsize=1)
def _fixed_punkt() -> _FixedPunkt | None:
    """The fast path, on the NLTK versions it was verified on
    (:mod:`researchlib.compat`: it uses NLTK's private pattern attributes and
    reproduces its private steps); None otherwise (NLTK itself segments)."""
    if not verified("nltk"):
        return None
    return _FixedPunkt(PunktSentenceTokenizer(_params(), lang_vars=_LangVars(), token_cls=_Token))
