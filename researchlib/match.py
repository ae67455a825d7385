"""The one matcher for words and phrases (terms, frame indicators, sentiment
masking, targets): never two implementations of "does this term occur here".

Counting rule (documented and tested):

* case-insensitive, whole words: a match may not touch a letter, digit or
  underscore on either side;
* a hyphenated compound is one word: "war-torn" does not contain "war", and
  "post-war" does not either (list "cease-fire" and "ceasefire" as variants);
* a possessive 's (straight or curly apostrophe) after a term still counts:
  "Russia's" counts as "Russia"; plural forms must be listed ("wars");
* the words of a multi-word term match across any whitespace (line breaks too);
* curly and straight quotes/apostrophes inside a term are interchangeable;
* overlapping terms: one pass, leftmost match first, and at one position the
  longest term wins; a match is counted once ("war of aggression" is not also
  "war").
"""
from __future__ import annotations

import re

from .text import normalize_quotes

__all__ = ["Matcher", "term_pattern", "prepare"]


def prepare(text: str):
    """(quote-normalised text, its lower-cased form): pass it to several
    matchers over the same text to do this once."""
    norm = normalize_quotes(text)
    return norm, norm.lower()


def _word(ch: str) -> bool:
    """``re``'s ``\\w`` for one character."""
    return ch.isalnum() or ch == "_"


def term_pattern(term: str) -> str:
    words = normalize_quotes(term.strip()).split()
    return r"\s+".join(re.escape(w) for w in words)


class Matcher:
    """Compile many labelled terms into one regular expression.

    ``entries``: iterable of (label, term) pairs; ``label`` is returned with
    every match (e.g. the canonical term, or a frame name).
    """

    def __init__(self, entries):
        self.labels: dict[str, object] = {}
        pats = []
        for label, term in entries:
            key = re.sub(r"\s+", " ", normalize_quotes(term.strip())).lower()
            if not key:
                continue
            if key in self.labels:
                if label not in self.labels[key]:
                    self.labels[key].append(label)
                continue
            self.labels[key] = [label]
            pats.append((len(key), term_pattern(term)))
        pats.sort(key=lambda p: -p[0])          # longest first at a position
        body = "|".join(p for _, p in pats) or r"(?!x)x"
        pattern = r"(?<![\w])(?<![\w]-)(?:" + body + r")(?=(?:'s)?(?![\w]|-\w))"
        # Matching lower-cased text without re.I is about twice as fast; the
        # re.I twin serves texts whose lower-casing changes their length.
        self.regex = re.compile(pattern.lower())
        self.regex_i = re.compile(pattern, re.I)
        # The same pattern without the leading look-behinds: ``re`` can then
        # skip every position whose character starts no term; the left
        # boundary is checked in Python (same result, several times faster).
        self._scan = re.compile((r"(?:" + body + r")(?=(?:'s)?(?![\w]|-\w))").lower())

    def finditer(self, text: str, prepared=None):
        """Yield (start, end, labels, matched text) for each match.
        ``prepared``: ``prepare(text)``, when several matchers read one text."""
        norm, low = prepared or prepare(text)
        labels = self.labels
        if len(low) != len(norm):
            for m in self.regex_i.finditer(norm):
                yield m.start(), m.end(), labels[re.sub(r"\s+", " ", m.group(0).lower())], text[m.start():m.end()]
            return
        search, pos = self._scan.search, 0
        while True:
            m = search(low, pos)
            if m is None:
                return
            s, e = m.span()
            if s and (_word(low[s - 1]) or (low[s - 1] == "-" and s > 1 and _word(low[s - 2]))):
                pos = s + 1          # (?<![\w])(?<![\w]-) fails here: try the next position
                continue
            key = m.group(0)
            if key not in labels:
                key = re.sub(r"\s+", " ", key)
            yield s, e, labels[key], text[s:e]
            pos = e

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))
