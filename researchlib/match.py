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
from functools import lru_cache

from .text import normalize_quotes, trie_of_atoms

__all__ = ["Matcher", "MatcherSet", "matcher_for", "matcher_set_for", "term_pattern", "prepare"]


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


def _atoms(key: str) -> list:
    """A normalised lower-case term as regex atoms: one per character, ``\\s+``
    between words."""
    out = []
    for i, w in enumerate(key.split(" ")):
        if i:
            out.append(r"\s+")
        out.extend(re.escape(ch) for ch in w)
    return out


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
        head, tail = r"(?<![\w])(?<![\w]-)(?:", r")(?=(?:'s)?(?![\w]|-\w))"
        # The re.I twin serves texts whose lower-casing changes their length.
        self.regex_i = re.compile(head + body + tail, re.I)
        # Lower-cased text is matched without re.I and the terms as a trie
        # (same matches as the longest-first alternation, several times faster).
        trie = trie_of_atoms(_atoms(k) for k in self.labels) if self.labels else r"(?!x)x"
        self.regex = re.compile(head + trie + tail)
        # Without the leading look-behinds ``re`` can skip every position whose
        # character starts no term; the left boundary is then checked in Python.
        self._scan = re.compile(r"(?:" + trie + tail)

    def _left_ok(self, low, s):
        return not s or not (_word(low[s - 1]) or (low[s - 1] == "-" and s > 1 and _word(low[s - 2])))

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
            if not self._left_ok(low, s):
                pos = s + 1          # the look-behinds fail here: go on from the next position
                continue
            key = m.group(0)
            if key not in labels:
                key = re.sub(r"\s+", " ", key)
            yield s, e, labels[key], text[s:e]
            pos = e

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))


@lru_cache(maxsize=128)
def _matcher_cached(entries: tuple) -> "Matcher":
    return Matcher(entries)


def matcher_for(entries) -> "Matcher":
    """The :class:`Matcher` of these (label, term) pairs, compiled once per
    process (measures run batch after batch with the same term lists). Labels
    must be hashable; the matcher is shared: do not modify it."""
    return _matcher_cached(tuple(entries))


@lru_cache(maxsize=32)
def matcher_set_for(matchers: tuple) -> "MatcherSet":
    """A :class:`MatcherSet` over these matchers, built once per process."""
    return MatcherSet(matchers)


class MatcherSet:
    """Several matchers read one text in one scan (e.g. the frames of a
    codebook). Each matcher gets exactly the matches of its own
    :meth:`Matcher.finditer`: terms of different matchers may overlap."""

    def __init__(self, matchers):
        self.matchers = list(matchers)
        keys = {k for m in self.matchers for k in m.labels}
        # Positions not preceded by a word character where some term occurs
        # (right boundary unchecked: a superset of the match starts); the
        # longest term found there names the matchers to try: every term that
        # matches at that position is a prefix of it.
        self._any = re.compile(r"(?<!\w)(?:" + trie_of_atoms(_atoms(k) for k in keys) + ")" if keys else r"(?!x)x")
        self._owners = {k: [i for i, m in enumerate(self.matchers) if any(k.startswith(x) for x in m.labels)]
                        for k in keys}

    def finditer_all(self, text: str) -> list:
        """One list of (start, end, labels, matched text) per matcher."""
        norm, low = prepare(text)
        if len(low) != len(norm):
            return [list(m.finditer(text, (norm, low))) for m in self.matchers]
        out = [[] for _ in self.matchers]
        ends = [0] * len(self.matchers)
        search, pos, owners = self._any.search, 0, self._owners
        left_ok = Matcher._left_ok
        while True:
            c = search(low, pos)
            if c is None:
                return out
            p = pos = c.start()
            pos += 1
            if not left_ok(None, low, p):
                continue
            longest = c.group(0)
            for i in owners.get(longest) or owners[re.sub(r"\s+", " ", longest)]:
                if p < ends[i]:
                    continue            # inside this matcher's previous match
                mt = self.matchers[i]
                m = mt._scan.match(low, p)
                if m:
                    e = ends[i] = m.end()
                    key = m.group(0)
                    if key not in mt.labels:
                        key = re.sub(r"\s+", " ", key)
                    out[i].append((p, e, mt.labels[key], text[p:e]))
