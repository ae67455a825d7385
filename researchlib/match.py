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

__all__ = ["Matcher", "term_pattern"]


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

    def finditer(self, text: str):
        """Yield (start, end, labels, matched text) for each match."""
        norm = normalize_quotes(text)
        labels = self.labels
        low = norm.lower()
        rx = self.regex if len(low) == len(norm) else self.regex_i
        for m in rx.finditer(low if rx is self.regex else norm):
            key = m.group(0).lower()
            if key not in labels:
                key = re.sub(r"\s+", " ", key)
            yield m.start(), m.end(), labels[key], text[m.start():m.end()]

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))
