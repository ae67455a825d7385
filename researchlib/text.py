"""Character-level helpers shared by every stage: quote normalisation and tokens.

Curly and straight quotes and apostrophes are made comparable by a
*same-length* translation, so offsets computed on the normalised text index the
original text unchanged (the original characters are never lost).
"""
from __future__ import annotations

import bisect
import re

__all__ = ["has_letters", "QUOTE_TABLE", "normalize_quotes", "fold_like_re_i", "TOKEN", "count_tokens", "tokenize", "token_spans", "sentence_at", "trie_regex", "trie_of_atoms",
           "alternatives", "MONTH_NAMES", "MONTH_ABBREVIATIONS", "WEEKDAY_NAMES", "ASCII_NON_WORD_TO_SPACE"]

#: English calendar words: the one list behind the date, dateline and
#: weekday patterns of cleaning, quotes and dates mentioned.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
#: Month abbreviations and the month each stands for.
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
                       "Oct": 10, "Nov": 11, "Dec": 12}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


QUOTE_TABLE = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
})


_PAIRS = [(k, v) for k, v in {chr(c): t for c, t in QUOTE_TABLE.items()}.items()]


def normalize_quotes(text: str) -> str:
    """Map curly/angled quotes and apostrophes to ASCII, one char for one char."""
    if text.isascii():
        return text
    for k, v in _PAIRS:          # str.replace runs in C: faster than translate
        if k in text:
            text = text.replace(k, v)
    return text


def fold_like_re_i(text: str) -> str:
    """``text`` lower-cased as case-insensitive ``re`` matching sees it, one
    character for one character (offsets stay valid): the four non-ASCII
    letters that ``re.I`` matches to ASCII ones fold too (İ ı -> i, ſ -> s,
    K -> k). A fast pre-filter can then look for ASCII literals in it."""
    if text.isascii():
        return text.lower()
    # İ is replaced first: lower() would make it two characters
    return text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")



#: ``str.translate`` table: every ASCII character that ``\w`` does not match
#: becomes a space (one for one: offsets stay valid). ASCII text translated
#: with it holds its words separated by spaces only.
ASCII_NON_WORD_TO_SPACE = str.maketrans({chr(i): " " for i in range(128) if not re.match(r"\w", chr(i))})

#: A word token: an initialism ("U.S."), a number ("10,000"), or a word whose
#: hyphenated or apostrophe'd parts stay together ("cease-fire", "no-limits",
#: "China's").  Case is folded and a trailing possessive 's is stripped by
#: :func:`tokenize`.
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+(?:[-'’][^\W_]+)*")
#: ``TOKEN`` written to open with the one character class every token opens
#: with (a letter or digit; each branch then checks which it was), so that
#: ``re`` skips straight to the candidates: the same matches, found faster
#: (tests/test_clean_fast_paths.py checks it against ``TOKEN``).
_TOKEN_SCAN = re.compile(r"[^\W_](?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|(?<=\d)\d*(?:[.,:]\d+)*|[^\W_]*(?:[-'’][^\W_]+)*)")
_POSSESSIVE = re.compile(r"['’]s$")


def count_tokens(text: str) -> int:
    """``len(TOKEN.findall(text))``, faster: no token holds whitespace, and a
    whitespace-delimited chunk made only of letters (``str.isalpha``, which
    ``[^\\W\\d_]`` matches) is exactly one token; ``TOKEN`` runs on the other
    chunks only (tests/test_fast_paths.py checks it against the pattern)."""
    chunks = text.split()
    rest = [c for c in chunks if not c.isalpha()]
    return len(chunks) - len(rest) + len(_TOKEN_SCAN.findall(" ".join(rest)))


def token_spans(text: str):
    """(start, end) of every word token."""
    return [m.span() for m in _TOKEN_SCAN.finditer(text)]


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; hyphenated compounds whole; possessive 's stripped.

    >>> tokenize("China's no-limits cease-fire, said Mr. Putin in the U.S.")
    ['china', 'no-limits', 'cease-fire', 'said', 'mr', 'putin', 'in', 'the', 'u.s.']
    """
    return [_POSSESSIVE.sub("", m.group(0).lower()) for m in _TOKEN_SCAN.finditer(text)]


def sentence_at(starts, pos: int) -> int:
    """Index of the sentence holding character ``pos``, given the sentences'
    sorted start offsets (0 for a position before the first sentence)."""
    return max(0, bisect.bisect_right(starts, pos) - 1)


def alternatives(words) -> str:
    """A regular-expression alternation of ``words``, longest first, a space
    in a phrase matching any run of whitespace ("last year" -> ``last\\s+year``)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def trie_regex(words) -> str:
    """One regular expression matching any of ``words``, written as a trie
    ("by |bus" -> "b(?:y\\ |us)"): ``re`` then tests one branch per position
    instead of every word, and a longer word wins over its prefix."""
    return trie_of_atoms([re.escape(ch) for ch in w] for w in words)


def trie_of_atoms(sequences) -> str:
    """:func:`trie_regex` over sequences of regex atoms (e.g. ``["w", "a",
    "r", r"\\s+", "o", "f"]``); at one position the longest sequence that
    matches wins, as in a longest-first alternation."""
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node):
        alts = [atom + emit(sub) for atom, sub in sorted(node.items()) if atom]
        if not alts:
            return ""
        group = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:       # a sequence ends here: what follows is optional
            return "(?:" + group + ")?"
        return group
    return emit(trie)


def has_letters(text: str, n: int = 3) -> bool:
    """Whether ``text`` holds at least ``n`` letters (characters for which
    ``str.isalpha`` is true); reads only as far as the n-th."""
    if n <= 0:
        return True
    for ch in text:
        if ch.isalpha():
            n -= 1
            if not n:
                return True
    return False
