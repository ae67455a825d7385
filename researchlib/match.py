"""The one matcher for words and phrases (terms, frame indicators, sentiment
masking, targets, speaker aliases): never two implementations of "does this
term occur here".

Counting rule (documented and tested):

* whole words: a match may not touch a letter, digit or underscore on either
  side;
* a hyphenated compound is one word: "war-torn" does not contain "war", and
  "post-war" does not either (list "cease-fire" and "ceasefire" as variants);
* a possessive 's (straight or curly apostrophe) after a term still counts:
  "Russia's" counts as "Russia"; plural forms must be listed ("wars");
* the words of a multi-word term match across any whitespace (line breaks too);
* curly and straight quotes/apostrophes inside a term are interchangeable;
* overlapping terms: one pass, leftmost match first, and at one position the
  longest term wins; a match is counted once ("war of aggression" is not also
  "war").

Case (:func:`word_rules`):

* an entry matches case-insensitively ("war" counts "War" and "WAR"), except
  a word written in capitals with two or more letters, an *acronym* (US, UN,
  EU, NATO, WHO, ICC, CCTV; dotted U.S., U.N.): it matches only in capitals,
  so "us", "who" and "it" are not US, WHO and IT. The clause holds word by
  word: in "US officials" only "US" must be in capitals ("US Officials" counts,
  "us officials" does not);
* an acronym matches with and without its dots: "US" counts "U.S." and "U.S."
  counts "US" (not a half-dotted "U.S" in the text);
* an entry may say otherwise: ``{term: NATO, case: insensitive}`` also counts
  "Nato" and "nato"; ``{term: Bill, case: sensitive}`` counts "Bill" but not
  "bill";
* text in capitals: a case-sensitive word also matches written wholly in
  capitals ("BILL"), so a headline in capitals ("US AND CHINA TALK TRADE")
  counts like any other text. In capitals the pronoun cannot be told from the
  country: "LET US TALK" counts US (a known limit; read the KWIC).

Exclusions (:func:`exclusion_at`): a term group or a codebook frame may list
exclusion phrases; a match that lies wholly inside a match of one of its own
exclusion phrases ("war" in "Cold War") is not counted. KWIC lists such
matches with ``excluded=True`` and the phrase, so a reader can check the rule.

Every table built on the matcher shows the text as written, so the rule can
be checked by reading: ``kwic`` ``match``, ``term_hits`` ``match``,
``frames`` ``matched``, ``target_sentiment`` ``matched``, ``quotes``
``speaker_text``.

Method. The plain method is one regular expression per matcher: the entries'
patterns as a longest-first alternation between word-boundary look-arounds,
compiled with ``re.I``, the case-sensitive words inside ``(?-i:...)``
(:attr:`Matcher.plain`, :meth:`Matcher.plain_finditer`). The fast path
(:meth:`Matcher.finditer`, :class:`MatcherSet`) is built from the same
entries: the case-folded forms as a trie, searched in a case-folded copy of
the text (same offsets); a candidate whose entry has case-sensitive words is
then checked against the entry's own pattern, and when it fails the plain
expression decides at that position. ``tests/test_fast_paths.py`` tests the
two equal on the bundled resource lists and the seeds.

Known limits: the rule sees spelling, not meaning: in capitals a pronoun is
read as the acronym ("LET US TALK" counts US); an outlet that writes an
acronym in lower case ("Nato", "Tass") is missed unless the entry says
``case: insensitive`` (the bundled speakers do for NATO and TASS); letters
that ``re.I`` equates beyond :func:`researchlib.text.fold_like_re_i` (e.g.
Greek final sigma) may differ between the plain method and the fast path.
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .errors import ResourceError
from .text import fold_like_re_i, normalize_quotes, trie_of_atoms

__all__ = ["Matcher", "MatcherSet", "matcher_for", "matcher_set_for", "term_pattern", "prepare",
           "entry", "is_acronym", "word_rules", "exclusion_at", "CASES"]

#: The values a resource entry's ``case`` may take (None: the rule decides).
CASES = ("sensitive", "insensitive")
_HEAD, _TAIL = r"(?<![\w])(?<![\w]-)(?:", r")(?=(?:'s)?(?![\w]|-\w))"
_NOTHING = r"(?!x)x"
_ACRONYM = re.compile(r"(?:[^\W\d_]\.?)+")


def prepare(text: str):
    """(quote-normalised text, its case-folded form of the same length): pass
    it to several matchers over the same text to do this once."""
    norm = normalize_quotes(text)
    return norm, fold_like_re_i(norm)


def _word(ch: str) -> bool:
    """``re``'s ``\\w`` for one character."""
    return ch.isalnum() or ch == "_"


def entry(item, *, where="entry"):
    """``(term, case)`` of a resource entry: a string, or a mapping with
    ``term`` and an optional ``case`` ('sensitive' or 'insensitive')."""
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict) and isinstance(item.get("term"), str):
        case = item.get("case")
        if case is not None and case not in CASES:
            raise ResourceError(f"{where}, entry {item['term']!r}: case must be 'sensitive' or "
                                f"'insensitive', not {case!r}")
        return item["term"], case
    raise ResourceError(f"{where}: expected a word or phrase, or a mapping with 'term', not {item!r}")


def is_acronym(word: str) -> bool:
    """A word written in capitals with two or more letters, dots allowed
    after letters: "US", "NATO", "U.S.", "U.N." (not "I", "G7", "COVID-19")."""
    return (_ACRONYM.fullmatch(word) is not None and word.isupper()
            and sum(ch != "." for ch in word) >= 2)


def word_rules(term: str, case=None) -> list:
    """``(word, sensitive)`` for each word of an entry: acronyms are
    case-sensitive unless ``case`` says otherwise for the whole entry."""
    words = normalize_quotes(term).split()
    if case not in (None, *CASES):
        raise ValueError(f"case must be None, 'sensitive' or 'insensitive', not {case!r}")
    return [(w, case == "sensitive" or (case is None and is_acronym(w))) for w in words]


def _spellings(word: str, sensitive: bool) -> dict:
    """Folded form -> the spellings of ``word`` that match it: an acronym with
    and without dots; a case-sensitive word as written and in capitals."""
    forms = [word]
    if is_acronym(word):
        letters = word.replace(".", "")
        forms += [letters, "".join(ch + "." for ch in letters)]
    out: dict = {}
    for f in dict.fromkeys(forms):
        for sp in dict.fromkeys([f, f.upper()] if sensitive else [f]):
            out.setdefault(fold_like_re_i(sp), []).append(sp)
    return out


def _alternatives(term: str, case=None) -> list:
    """``(folded key, pattern, sensitive)`` for each form of an entry: one per
    combination of its words' folded forms ("US officials" has two: "us
    officials", "u.s. officials")."""
    per_word = []
    for w, sensitive in word_rules(term, case):
        opts = []
        for key, spellings in _spellings(w, sensitive).items():
            if sensitive:
                pat = "(?-i:" + "|".join(re.escape(s) for s in spellings) + ")"
            else:
                pat = re.escape(spellings[0])
            opts.append((key, pat, sensitive))
        per_word.append(opts)
    return [(" ".join(k for k, _, _ in combo), r"\s+".join(p for _, p, _ in combo), any(s for _, _, s in combo))
            for combo in itertools.product(*per_word)] if per_word else []


def term_pattern(term: str, case=None) -> str:
    """The regular expression of one entry (for ``re.I``), longest form first."""
    alts = sorted(_alternatives(term, case), key=lambda a: -len(a[0]))
    return "|".join(p for _, p, _ in alts)


def _atoms(key: str) -> list:
    """A folded term as regex atoms: one per character, ``\\s+`` between words."""
    out = []
    for i, w in enumerate(key.split(" ")):
        if i:
            out.append(r"\s+")
        out.extend(re.escape(ch) for ch in w)
    return out


def _unpack(item):
    """(label, term, case) from a (label, term) or (label, term, case) tuple
    (a missing value from a table, NaN, is no case)."""
    case = item[2] if len(item) > 2 else None
    return item[0], item[1], case if isinstance(case, str) else None


class Matcher:
    """Compile many labelled terms into one matcher.

    ``entries``: iterable of ``(label, term)`` or ``(label, term, case)``;
    ``label`` is returned with every match (e.g. the canonical term, or a
    frame name); ``case`` is None (the rule decides), 'sensitive' or
    'insensitive'.
    """

    def __init__(self, entries):
        # folded key -> groups [pattern, compiled pattern, sensitive, labels]
        self.forms: dict[str, list] = {}
        alts = []
        for item in entries:
            label, term, case = _unpack(item)
            for key, pat, sensitive in _alternatives(term, case):
                groups = self.forms.setdefault(key, [])
                g = next((g for g in groups if g[0] == pat), None)
                if g is None:
                    groups.append([pat, re.compile(pat, re.I), sensitive, [label]])
                    alts.append((key, pat))
                elif label not in g[3]:
                    g[3].append(label)
        alts.sort(key=lambda a: -len(a[0]))          # longest first at a position
        body = "|".join(p for _, p in alts) or _NOTHING
        #: The plain method: one longest-first alternation, case-sensitive words in (?-i:).
        self.plain = re.compile(_HEAD + body + _TAIL, re.I)
        # Keys matched case-insensitively by every entry need no check.
        self._free = {k: [lab for g in gs for lab in g[3]] for k, gs in self.forms.items()
                      if not any(g[2] for g in gs)}
        # A key some shorter key is a prefix of: when its case check fails,
        # the shorter one may still match at that position.
        self._shorter = {k: any(k[:i] in self.forms for i in range(1, len(k))) for k in self.forms}
        # Folded text is matched without re.I and the keys as a trie (same
        # candidates as the alternation, several times faster). Without the
        # leading look-behinds ``re`` can skip every position whose character
        # starts no term; the left boundary is then checked in Python.
        trie = trie_of_atoms(_atoms(k) for k in self.forms) if self.forms else _NOTHING
        self._scan = re.compile(r"(?:" + trie + _TAIL)

    @property
    def labels(self) -> dict:
        """Folded key -> labels of every entry with that form."""
        return {k: [lab for g in gs for lab in g[3]] for k, gs in self.forms.items()}

    def _left_ok(self, low, s):
        return not s or not (_word(low[s - 1]) or (low[s - 1] == "-" and s > 1 and _word(low[s - 2])))

    def _accept(self, key, written):
        """Labels of the entries of ``key`` whose case rule accepts ``written``."""
        labels = self._free.get(key)
        if labels is not None:
            return labels
        out = []
        for _, rx, sensitive, labs in self.forms.get(key, ()):
            if not sensitive or rx.fullmatch(written):
                out += [lab for lab in labs if lab not in out]
        return out

    def labels_of(self, written: str) -> list:
        """Labels of the entries that match ``written`` (a matched text) as a whole."""
        written = normalize_quotes(written)
        key = re.sub(r"\s+", " ", fold_like_re_i(written))
        if key in self.forms:
            return self._accept(key, written)
        if written.isascii():
            return []
        # a letter ``re.I`` equates that the fold does not (rare): ask every entry
        out = []
        for gs in self.forms.values():
            for _, rx, _, labs in gs:
                if rx.fullmatch(written):
                    out += [lab for lab in labs if lab not in out]
        return out

    def _at(self, norm, low, p, m=None):
        """(end, labels) of the match at ``p`` (left boundary already checked), or None."""
        m = m or self._scan.match(low, p)
        if m is None:
            return None
        e, key = m.end(), m.group(0)
        if key not in self.forms:
            key = re.sub(r"\s+", " ", key)
        labels = self._accept(key, norm[p:e])
        if labels:
            return e, labels
        if self._shorter[key]:                   # a shorter entry may pass its case check here
            m = self.plain.match(norm, p)
            if m:
                return m.end(), self.labels_of(m.group(0))
        return None

    def plain_finditer(self, text: str):
        """The plain method: (start, end, labels, matched text) for each match."""
        for m in self.plain.finditer(normalize_quotes(text)):
            yield m.start(), m.end(), self.labels_of(m.group(0)), text[m.start():m.end()]

    def finditer(self, text: str, prepared=None):
        """Yield (start, end, labels, matched text) for each match.
        ``prepared``: ``prepare(text)``, when several matchers read one text."""
        norm, low = prepared or prepare(text)
        search, pos, free = self._scan.search, 0, self._free
        while True:
            m = search(low, pos)
            if m is None:
                return
            s = m.start()
            if not self._left_ok(low, s):
                pos = s + 1          # no match starts here: go on from the next position
                continue
            labels = free.get(m.group(0))
            if labels is not None:   # the common case: no case check, no whitespace run
                pos = m.end()
                yield s, pos, labels, text[s:pos]
                continue
            hit = self._at(norm, low, s, m)
            if hit is None:
                pos = s + 1
                continue
            pos, labels = hit
            yield s, pos, labels, text[s:pos]

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))

    def fullmatch(self, text: str):
        """Labels of the entries that match all of ``text`` (outer whitespace
        ignored), or None: a dictionary look-up under the counting rule."""
        written = normalize_quotes(" ".join(text.split()))
        key = fold_like_re_i(written)
        if key in self.forms:
            return self._accept(key, written) or None
        return None if written.isascii() else (self.labels_of(written) or None)

    def prefix(self, text: str):
        """(end, labels, matched text) of the match that starts ``text``, or None."""
        norm, low = prepare(text)
        hit = self._at(norm, low, 0)
        return (hit[0], hit[1], text[:hit[0]]) if hit else None


def exclusion_at(start: int, end: int, exclusions, owner=None):
    """The first exclusion match (a ``(start, end, labels, text)`` tuple from
    :meth:`Matcher.finditer`) that contains ``[start, end)``, or None. With
    ``owner``, only exclusions labelled with it count (a term group's own
    phrases). The one rule for exclusion phrases: term groups and codebooks."""
    for x in exclusions:
        if x[0] <= start and end <= x[1] and (owner is None or owner in x[2]):
            return x
    return None


@lru_cache(maxsize=128)
def _matcher_cached(entries: tuple) -> "Matcher":
    return Matcher(entries)


def matcher_for(entries) -> "Matcher":
    """The :class:`Matcher` of these entries, compiled once per process
    (measures run batch after batch with the same term lists). Labels must
    be hashable; the matcher is shared: do not modify it."""
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
        keys = {k for m in self.matchers for k in m.forms}
        # Positions not preceded by a word character where some term occurs
        # whole (right boundary as in each matcher's scan); the longest term
        # found there names the matchers to try: every term that matches at
        # that position is a prefix of it. A matcher whose case-blind term it
        # is matches exactly that term there (no longer term of its own does).
        # The scan reads the non-word character before the term (the text is
        # given a leading space), so that ``re`` can skip ahead to the next
        # one instead of testing a look-behind at every position.
        self._any = re.compile(r"\W(?:" + trie_of_atoms(_atoms(k) for k in keys) + _TAIL if keys else _NOTHING)
        self._owners = {k: [(i, m._free) for i, m in enumerate(self.matchers) if any(k.startswith(x) for x in m.forms)]
                        for k in keys}

    def finditer_all(self, text: str) -> list:
        """One list of (start, end, labels, matched text) per matcher."""
        norm, low = prepare(text)
        out = [[] for _ in self.matchers]
        ends = [0] * len(self.matchers)
        search, pos, owners = self._any.search, 0, self._owners
        left_ok = Matcher._left_ok
        padded = " " + low          # padded[p + 1] is low[p]
        while True:
            c = search(padded, pos)
            if c is None:
                return out
            p = c.start()           # where the term starts in ``low``
            pos = p + 1
            if not left_ok(None, low, p):
                continue
            longest = padded[pos:c.end()]
            for i, free in owners.get(longest) or owners[re.sub(r"\s+", " ", longest)]:
                if p < ends[i]:
                    continue            # inside this matcher's previous match
                labels = free.get(longest)
                if labels is not None:  # the common case: no case check, no whitespace run
                    e = c.end() - 1
                else:
                    hit = self.matchers[i]._at(norm, low, p)
                    if not hit:
                        continue
                    e, labels = hit
                ends[i] = e
                out[i].append((p, e, labels, text[p:e]))
