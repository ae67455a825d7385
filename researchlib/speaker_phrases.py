"""Speaker phrases: the words that name who speaks, next to a reporting cue.

Method. :class:`PhraseReader` reads a speaker phrase at the end of the text
before a cue (``before``: "..., the Kremlin" said) or at the start of the text
after it (``after``: said "Kremlin spokesman Dmitry Peskov, ..."). A phrase is,
tried in this order on the words that end the text (at most 12 words with no
punctuation between them, within its last 160 characters):

1. an alias of the speaker table, longest first ("Kremlin spokesman Dmitry
   Peskov", "the Russian leader");
2. a noun phrase whose last word is a speaker noun (resources/speaker_nouns.yaml):
   "the ministry", "China's foreign ministry", "state media", "the two sides";
   up to four modifiers before the noun, an article ends it; a plural noun
   names several speakers (kind ``group``);
3. a capitalised name ("Hua Chunying", "Ministry of Foreign Affairs"): its kind
   comes from a speaker noun in it ("Foreign Ministry": institution; "Fox
   News": media), a title ("Mr", "President Macron") or a role word just before
   it ("spokesperson Hua Chunying"): person; otherwise ``unknown``.

A phrase right after a preposition is not the subject of the cue ("talks in
Moscow" said); after "of", "from", "for", "at" or "in" it completes the phrase
before it ("the spokesperson of the Chinese foreign ministry", "a statement
from the Kremlin", "Xi in Moscow"), which takes the group of an institution
named after "of"/"from"/"for". Joint speakers ("China and Russia", "Putin, Xi
and Lukashenko") count as one phrase of kind ``group`` when they open a clause
(sentence start, after a comma, quote mark, "that", "while", "both", "on
Monday" ...). An apposition ("Hua Chunying, the spokesperson of the Chinese
foreign ministry, ...") marks an unknown name as a person when it holds a role
word, and gives it the group of an institution named in it.

Speed: a reader remembers its alias look-ups (at most 65,536 strings per
memo; the plain reader, ``prefilter=False``, remembers none), and the words
that end a text are read in one match of the reversed text
(:func:`_final_run`, tested equal to :func:`_final_run_reference`). With its
pre-filters, built from the alias and noun tables, a reader looks up an
alias or a speaker noun only over as many words as one ending with the last
word has, and lists the words of a run only when its last word can end a
phrase (tests/test_quotes_rules.py: equal to the plain reader).

Known limits: the rules read word shapes, not syntax: a capitalised word that
is not a name ("Sadly Putin said" reads "Putin", but an unlisted sentence
adverb before an unknown name joins the name); modifiers are any four words
before a speaker noun; gender is not used.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .errors import ResourceError
from .resources import load_resource
from .text import MONTH_NAMES, WEEKDAY_NAMES, fold_like_re_i, normalize_quotes

__all__ = ["Phrase", "PhraseReader", "KINDS"]

#: speaker kinds as reported (``media`` is read as ``institution``).
KINDS = ("person", "institution", "document", "group", "unknown")
_NOUN_KINDS = ("person", "institution", "document")
ARTICLES = {"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this", "these", "those"}
# Prepositions (not those that also open a clause: "after Putin said", "since Xi arrived").
PREPOSITIONS = {"in", "at", "from", "to", "with", "by", "for", "of", "on", "into", "onto", "over", "under",
                "about", "against", "between", "among", "near", "toward", "towards", "via", "through",
                "during", "without", "within", "across", "behind", "beyond", "upon"}
ATTACH = {"of", "from", "for", "at", "in"}          # "the spokesperson of ...": one phrase
_GROUP_FROM = {"of", "from", "for"}                 # ... whose group the inner institution gives
FUNCTION_WORDS = PREPOSITIONS | {
    "and", "or", "but", "nor", "that", "which", "who", "whom", "whose", "what", "when", "where", "while",
    "as", "if", "than", "then", "so", "not", "no", "after", "before", "since", "until", "like", "is", "are", "was", "were", "be", "been", "being", "am",
    "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "it", "he", "she", "they", "we", "i", "you", "also", "later", "earlier", "again"}
NAME_CONNECTORS = {"of", "for", "the", "al", "bin", "de", "van", "von", "la", "le", "and"}
# Words that make the name they open a person's ("Mr Ivanov", "President Macron").
TITLES = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady", "prof", "prof.",
          "president", "minister", "premier", "chancellor", "secretary", "ambassador", "general", "gen.",
          "senator", "governor", "king", "queen", "prince", "pope", "judge", "spokesperson", "spokesman",
          "spokeswoman", "envoy", "prosecutor", "commander", "director", "chairman", "chairwoman"}
# Capitalised words that do not start a name (sentence openers, days, months).
STOP_CAPS = {"The", "In", "On", "At", "A", "An", "But", "And", "It", "This", "That", "As", "While", "During",
             "After", "Before", "Ahead", "With", "For", "From", "When", "His", "Her", "Its", "Their", "He", "She",
             "They", "We", "I", "Meanwhile", "However", "Also", "Separately", "Earlier", "Later", "Then", "Still",
             "Yet", "Now", "So", "Thus", "Instead", "Today", "Yesterday", "Speaking", "Both", "All", "Some",
             "Many", "Most", "Several", *WEEKDAY_NAMES, *MONTH_NAMES, "Sadly", "Indeed", "Moreover", "Asked",
             "Under", "Since", "Who", "What", "Why", "How", "Where", "Which"}
# Lower-cased as the first word of a generic phrase's name ("State media" -> "state media").
_COMMON_FIRST = {"state", "senior", "joint", "foreign", "official", "top", "local", "two", "both", "several",
                 "many", "some", "other", "three", "western", "unnamed", "government"}

_TOKEN = re.compile(r"\w[\w.'’-]*")
_TOKEN_CHARS = ".'’-_"                 # what a _TOKEN holds besides letters and digits


def _may_end_token(ch):
    """Can a ``_TOKEN`` end with ``ch``? (``\\w`` is ``isalnum`` or "_")."""
    return ch.isalnum() or ch in _TOKEN_CHARS


#: The longest alias looked up, in words.
_MAX_ALIAS_WORDS = 7
# Joint speakers: the separator before a member, and what may open the clause
# before the first. Both are anchored at the end of the text before a member
# and bounded in length (at most 13 and 17 characters), so a search of the
# last 24 / 40 characters finds what a search of the whole text finds.
_JOINT_SEP = re.compile(r"(?:\s{0,3},\s{0,3}and|\s{0,3},|\s{1,3}and|\s{0,3}&)\s{1,3}$")
_JOINT_SEP_WINDOW = 24
_JOINT_SEP_AFTER = re.compile(r"\s*(?:,\s*and|,|and|&)\s+")
_JOINT_START = re.compile(r"(?:[,;:\"(\[—–]|\b(?:that|while|as|when|after|before|but|because|since|both|where"
                          r"|whereas|then)|\bon\s{1,3}\w{1,6}day)\s{0,3}$", re.I)
_JOINT_START_WINDOW = 40
_APPOSITION = re.compile(r"\s*,\s*((?:the|a|an|its|their|his|her)\s+[^,.;:\"]{1,90}?)\s*(?=[,.;:\"]|$)", re.I)


def _tokens(text, lo, end):
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, lo, end)]


def _run_length(text, toks):
    """How many tokens end ``toks`` with only whitespace between them (at most 12)."""
    n = 1
    while n < len(toks) and n < 12 and not text[toks[-n - 1][1]:toks[-n][0]].strip():
        n += 1
    return n


def _final_run_reference(text, lo, end):
    """The tokens of ``text[lo:end]`` (a first one cut mid-word dropped) that
    end it with only whitespace between them, at most 12; None when no token
    ends at ``end``."""
    toks = _tokens(text, lo, end)
    if lo and toks and toks[0][0] == lo and text[lo - 1].isalnum():
        toks = toks[1:]                      # cut mid-word
    if not toks or toks[-1][1] != end:
        return None
    return toks[-_run_length(text, toks):]


# The run of :func:`_final_run_reference` read backwards in one match: the
# text reversed, a token is a run of token characters up to its last word
# character (its first one in reading order; atomic: no other split is
# tried), and the run goes on only over whitespace to the next token, at most
# twelve. A token that is not a whole whitespace-delimited chunk ("-Xi",
# "a,b") is not followed by whitespace in the reversed text: the run stops
# after it, as the reference's whitespace-only gap test does.
_RUN_REVERSED = re.compile(r"((?>[\w.'’-]*\w))(?:\s+(?>[\w.'’-]*\w)){0,11}")


def _final_run(text, lo, end, last_ok=None):
    """:func:`_final_run_reference`, faster: the run is matched at once on
    ``text[lo:end]`` reversed (``_RUN_REVERSED``); its tokens are its
    whitespace-delimited words (tested equal). ``last_ok(text, start, end)``:
    a test of the last token; when it fails, None at once."""
    m = _RUN_REVERSED.match(text[end - 1:lo - 1 if lo else None:-1])   # text[lo:end] reversed
    if m is None:
        return None                          # no token ends at ``end``
    if last_ok is not None and not last_ok(text, end - m.end(1), end):
        return None
    pos, toks = end - m.end(), []
    for w in text[pos:end].split():
        s = text.find(w, pos)
        pos = s + len(w)
        toks.append((s, pos, w))
    if lo and toks[0][0] == lo and text[lo - 1].isalnum():
        toks = toks[1:]                      # cut mid-word
    return toks or None


class Phrase(NamedTuple):
    """A speaker phrase: ``text[start:end]`` names ``name`` (canonical),
    of ``group`` and ``kind``; ``generic`` when no name is given ("the
    ministry"); ``members`` for joint speakers."""
    start: int
    end: int
    text: str
    name: str
    group: str
    kind: str
    generic: bool = False
    members: tuple = ()

    def shift(self, by):
        return Phrase(self.start + by, self.end + by, *self[2:])


def load_nouns(spec=None) -> dict:
    """The speaker-noun table: phrase (lower case) -> (kind, group, names_only).
    Plural forms have kind ``group``; nouns of the ``media`` group kind
    ``media``. Errors name the entry."""
    table = {}
    for i, e in enumerate(load_resource(spec, "speaker nouns", "speaker_nouns"), 1):
        if not isinstance(e, dict):
            raise ResourceError(f"speaker nouns entry {i}: expected a mapping, got {type(e).__name__}")
        label = e.get("label", f"entry {i}")
        kind = e.get("kind")
        if kind not in _NOUN_KINDS:
            raise ResourceError(f"speaker nouns entry {i} ({label}): kind {kind!r} is not one of {', '.join(_NOUN_KINDS)}")
        group = str(e.get("group") or "other")
        if group == "media" and kind == "institution":
            kind = "media"
        for key, k, only in (("singular", kind, False), ("plural", "group", False), ("names_only", kind, True)):
            words = e.get(key) or []
            if not isinstance(words, list):
                raise ResourceError(f"speaker nouns entry {i} ({label}): {key} must be a list")
            for w in words:
                table.setdefault(" ".join(str(w).lower().split()), (k, group, only))
    return table


class PhraseReader:
    """Reads speaker phrases with an alias resolver (``res.lookup``,
    ``res.last_words``), the speaker-noun table and words that end a phrase
    (the reporting cues). ``prefilter=False``: the plain method, every
    window of words looked up (see :meth:`aliases_in_reference`)."""

    def __init__(self, res, nouns=None, stop_words=(), *, prefilter=True):
        self.res = res
        self.prefilter = prefilter
        self.nouns = load_nouns(nouns)
        self.longest = max((len(k.split()) for k in self.nouns), default=1)
        # the most words of a speaker noun ending with each last word ("ministry":
        # "foreign ministry" -> 2): a noun of k words is looked up only over k tokens
        self.noun_reach = {}
        for k in self.nouns:
            words = k.split(" ")
            self.noun_reach[words[-1]] = max(self.noun_reach.get(words[-1], 0), len(words))
        self.stop = FUNCTION_WORDS | {w.lower() for w in stop_words}
        self.person_roles = {k for k, (kind, _, only) in self.nouns.items() if kind == "person" and not only}
        # The same words and phrases come back in text after text ("Putin",
        # "the Kremlin"): with the pre-filter, what they resolve to is
        # remembered (a pure function of the string; bounded memos).
        self.alias = lru_cache(maxsize=65536)(self._alias) if prefilter else self._alias
        if prefilter:
            self._alias_reach = lru_cache(maxsize=65536)(self._alias_reach)

    # ------------------------------------------------------------------ #
    def _alias(self, phrase):
        """(name, group, kind) of an alias, or None ("Xi." is "Xi");
        :meth:`alias` is this, remembered."""
        hit = self.res.lookup(phrase) or (self.res.lookup(phrase[:-1]) if phrase.endswith(".") else None)
        if not hit:
            return None
        name, group, typ = hit
        last = phrase.lower().split()[-1] if phrase.split() else ""
        if typ == "institution" and self.nouns.get(last, ("",))[0] == "group":
            typ = "group"                    # "Russian officials", "Western countries"
        return name, group, typ

    def _noun(self, words, names=False):
        """(n_words, kind, group) of the longest speaker noun ending ``words``
        (with the pre-filter, only as many words as a noun ending with the
        last one has: :attr:`noun_reach`)."""
        longest = self.longest if not self.prefilter or not words else self.noun_reach.get(words[-1].lower(), 0)
        for k in range(min(longest, len(words)), 0, -1):
            hit = self.nouns.get(" ".join(words[-k:]).lower())
            if hit and (names or not hit[2]):
                return k, hit[0], hit[1]
        return None

    def _may_end_alias(self, word):
        """False only when no alias ends with ``word`` ("Xi", "Xi's", "Xi.", "Xi's.")."""
        return self._alias_reach(word) > 0

    def _alias_reach(self, word):
        """The most words of an alias that ``word`` can end ("Xi", "Xi's",
        "Xi.", "Xi's."); 0 when none can, ``_MAX_ALIAS_WORDS`` without the pre-filter:
        ``res.last_words`` maps the last word of every alias, lower-cased or
        folded as case-insensitive matching folds it, to the most words of an
        alias ending with it (an alias of k words is looked up over k tokens)."""
        if not self.prefilter:
            return _MAX_ALIAS_WORDS
        last, low, reach = self.res.last_words, word.lower(), 0
        for w in (low,) if word.isascii() else (low, fold_like_re_i(normalize_quotes(word))):
            for v in (w, w[:-2], w[:-1], w[:-3]):       # "xi", "xi's", "xi.", "xi's."
                n = last.get(v, 0)
                if n > reach:
                    reach = n
        return min(reach, _MAX_ALIAS_WORDS)

    def aliases_in_reference(self, text):
        """The plain method: every alias in ``text`` as (start, end, as
        written, (name, group, type)), longest first, left to right: each
        window of up to seven words without punctuation inside, looked up
        (``res.lookup``: the alias table's own matching rule)."""
        return self._aliases_in(text, None)

    def aliases_in(self, text):
        """:meth:`aliases_in_reference`, faster: windows are looked up only
        where the last word can end an alias, and only as long as an alias
        ending with it (:meth:`_alias_reach`)."""
        return self._aliases_in(text, self._alias_reach)

    def _aliases_in(self, text, reach):
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        hits = []
        for j, (_, end, w) in enumerate(toks):
            k = _MAX_ALIAS_WORDS if reach is None else reach(w)
            if not k:
                continue
            for i in range(max(0, j - k + 1), j + 1):      # longest first
                if any(text[toks[k][1]:toks[k + 1][0]].strip() for k in range(i, j)):
                    continue                               # punctuation inside
                s = toks[i][0]
                hit = self.alias(text[s:end])
                if hit:
                    hits.append((s, end, text[s:end], hit))
                    break
        # "Kremlin spokesman Dmitry Peskov", not also "the Kremlin" inside it
        return [h for h in hits if not any(o is not h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]

    def _group_in(self, text, *, owner=False):
        """The group of the first institution alias named in ``text`` on its
        own ("the Chinese foreign ministry", "China's"; not "Russia" inside
        "the Carnegie Russia Eurasia Center"); with ``owner``, also of a
        person named in the possessive ("Putin's" spokesman)."""
        for probe in (text, "the " + text):
            for s, e, written, (_, group, typ) in self.aliases_in(probe):
                before, after = probe[:s].split()[-1:], probe[e:].split()[:1]
                possessive = written.endswith(("'s", "’s"))
                inside = (before and before[0][:1].isupper() and before[0].lower() not in ARTICLES) or (
                    after and after[0][:1].isupper() and not possessive)
                if not inside and (typ in ("institution", "media", "group") or owner and possessive):
                    return group
        return None

    # ------------------------------------------------------------------ #
    def before(self, text, depth=0):
        """The phrase that ends ``text`` (offsets into ``text``), or None."""
        end = len(text.rstrip())
        if not end or not _may_end_token(text[end - 1]):
            return None                      # no token ends the text (see below)
        toks = _final_run(text, max(0, end - 160), end, self._may_end_phrase if self.prefilter else None)
        if toks is None:
            return None
        p = self._alias_end(text, toks) or self._noun_end(text, toks) or self._name_end(text, toks)
        if p is None:
            return None
        j = len(toks) - 1
        while toks[j][0] != p.start:          # the phrase's first token (near the end)
            j -= 1
        prev = toks[j - 1][2].lower() if j else ""
        if prev not in PREPOSITIONS:
            return p
        if depth >= 2 or prev not in ATTACH:
            return None
        outer = self.before(text[:toks[j - 1][0]], depth + 1)
        if outer is None:
            return None
        group = outer.group
        if group == "other" and prev in _GROUP_FROM and p.kind in ("institution", "media", "group"):
            group = p.group
        whole = text[outer.start:p.end]
        return outer._replace(end=p.end, text=whole, group=group,
                              name=_normal(whole, self.nouns) if outer.generic else outer.name)

    def _may_end_phrase(self, text, start, end):
        """False only when none of :meth:`_alias_end`, :meth:`_noun_end` and
        :meth:`_name_end` can find a phrase ending with the token
        ``text[start:end]``: an alias can end with it ("'s" split off
        included), a speaker noun, or it is capitalised."""
        word = text[start:end]
        return (word[:1].isupper() or self._alias_reach(word) > 0 or word.lower() in self.noun_reach
                or word == "s" and text[start - 1:start] in ("'", "’"))

    def _alias_end(self, text, toks):
        start, _, word = toks[-1]
        split_possessive = word == "s" and text[start - 1:start] in ("'", "’")    # "AFP 's": the alias is AFP
        reach = _MAX_ALIAS_WORDS if split_possessive else self._alias_reach(word)
        if not reach:
            return None
        end = toks[-1][1]
        for k in range(min(reach, len(toks)), 0, -1):
            s = toks[-k][0]
            hit = self.alias(text[s:end])
            if hit:
                return Phrase(s, end, text[s:end], *hit)
        return None

    def _noun_end(self, text, toks):
        words = [t[2] for t in toks]
        hit = self._noun(words)
        if not hit:
            return None
        k, kind, group = hit
        i = len(toks) - k
        if words[-1][:1].isupper() and i and words[i - 1][:1].isupper() and words[i - 1].lower() not in ARTICLES:
            return None                      # "Foreign Ministry": a name
        mods = 0
        while i and mods < 4:
            w = words[i - 1].lower()
            if w in ARTICLES:
                i -= 1
                break
            if w in self.stop or w in TITLES:
                break
            i, mods = i - 1, mods + 1
        s, end = toks[i][0], toks[-1][1]
        inner = self._group_in(text[s:toks[-k][0]], owner=kind == "person") if len(toks) - k > i else None
        whole = text[s:end]
        group = inner if inner and group == "other" else group
        return Phrase(s, end, whole, _normal(whole, self.nouns), group, kind, generic=True)

    def _name_end(self, text, toks):
        if toks[-1][2] in STOP_CAPS:
            return None                      # "... Monday", "... March": no name ends so
        i = len(toks)
        while i and (toks[i - 1][2][:1].isupper() or (
                toks[i - 1][2].lower() in NAME_CONNECTORS and i < len(toks) and i > 1
                and toks[i - 2][2][:1].isupper())):
            i -= 1
        if i == len(toks):
            return None
        i = max(i, len(toks) - 6)
        while i < len(toks) and (toks[i][2] in STOP_CAPS or toks[i][2].lower() in NAME_CONNECTORS):
            i += 1
        if i == len(toks):
            return None
        words = [t[2] for t in toks[i:]]
        s, end = toks[i][0], toks[-1][1]
        kind, group = "unknown", "other"
        # the head: the last word, or the word before "of" ("Ministry of Foreign Affairs")
        cut = next((k for k, w in enumerate(words) if w.lower() in ("of", "for")), len(words))
        head = self.nouns.get(words[max(0, cut - 1)].lower().rstrip("."))
        if words[0].lower() in TITLES and len(words) > 1:
            kind = "person"                  # "Mr Ivanov", "President Macron"
        elif head and head[0] != "group":
            kind, group = head[0], head[1]
            if group == "other":
                group = self._group_in(text[s:end]) or group  # "China's Foreign Ministry"
        elif i and toks[i - 1][2].lower() in self.person_roles:
            kind = "person"                  # "spokesperson Hua Chunying"
            group = self._group_in(text[toks[0][0]:toks[i - 1][0]]) or "other"
        return Phrase(s, end, text[s:end], text[s:end], group, kind)

    # ------------------------------------------------------------------ #
    def joint_before(self, text, p):
        """``p`` widened to the joint speakers that end ``text`` with it
        ("China and Russia"), when they open a clause."""
        members, start = [p], p.start
        while len(members) < 6:
            lo = max(0, start - _JOINT_SEP_WINDOW)
            if self.prefilter and len(members) == 1 and text.find("and", lo, start) < 0 \
                    and text.find("&", lo, start) < 0:
                break                        # the first separator needs one (the test below)
            m = _JOINT_SEP.search(text, lo, start)
            if not m or (len(members) == 1 and "and" not in m.group(0) and "&" not in m.group(0)):
                break
            q = self.before(text[:m.start()])
            if q is None or q.start >= m.start():
                break
            members.insert(0, q)
            start = q.start
        if len(members) < 2 or not _opens_clause(text, start):
            return p
        return _joint(members, text[start:p.end], start, p.end)

    def after(self, text):
        """The phrase (joint speakers and apposition included) that opens
        ``text``, and where it ends; (None, 0) if none."""
        p = self._at_start(text)
        if p is None:
            return None, 0
        members, end, joined = [p], p.end, False
        while len(members) < 6 and not joined:
            m = _JOINT_SEP_AFTER.match(text, end)
            q = self._at_start(text[m.end():]) if m else None
            if q is None:
                break
            members.append(q.shift(m.end()))
            end = members[-1].end
            joined = "and" in m.group(0) or "&" in m.group(0)
        if joined:
            p = _joint(members, text[p.start:end], p.start, end)
        end = p.end
        m = _APPOSITION.match(text, end)
        if m:
            p = self.refine(p, m.group(1))
        return p, end

    def _at_start(self, text):
        """The phrase that opens ``text`` (no joint speakers), or None."""
        run = []
        for m in _TOKEN.finditer(text, 0, min(len(text), 200)):
            if text[run[-1].end() if run else 0:m.start()].strip():
                break                        # punctuation: the phrase ended
            w = m.group().lower()
            if w in ARTICLES and not run or (w in NAME_CONNECTORS and w != "and" and run
                                              and run[-1].group()[:1].isupper()):
                run.append(m)
                continue
            if w in self.stop:
                break
            run.append(m)
            if len(run) == 8:
                break
        while run and run[-1].group().lower() in NAME_CONNECTORS | ARTICLES:
            run.pop()
        for j in range(len(run), 0, -1):
            end, w = run[j - 1].end(), run[j - 1].group()
            if w.endswith(".") and w.count(".") == 1 and w.lower() not in TITLES and len(w) > 2:
                end -= 1                     # a full stop, not an abbreviation ("Xi." / "Mr.")
            p = self.before(text[:end])
            if p is not None and p.kind == "unknown" and any(t.group()[:1].islower() for t in run[j:]):
                return None                  # "Chinese customs data": a phrase, not the name "Chinese"
            if p is not None:
                if p.generic and p.group == "other":
                    m = re.match(r"\s+(?:of|from|for)\s+", text[p.end:])
                    inner = self._at_start(text[p.end + m.end():]) if m else None
                    if inner is not None and inner.kind in ("institution", "media", "group"):
                        p = p._replace(group=inner.group)
                return p
        return None

    def refine(self, p, apposition):
        """An unknown name described by a role ("the spokesperson of the
        Chinese foreign ministry") is a person of that institution's group."""
        words = [w.lower() for w in _TOKEN.findall(apposition)]
        if p.kind != "unknown" or not any(w in self.person_roles for w in words):
            return p
        group = p.group if p.group != "other" else (self._group_in(apposition) or "other")
        return p._replace(kind="person", group=group)

    def clause_subject(self, text):
        """A speaker opening the last clause of ``text`` and followed by a short
        modifier ("A document agreed by the countries" said, "Xi in a
        statement" said), or None."""
        cut = max(map(text.rfind, '.;:"—?!')) + 1
        clause = text[cut:]
        if "," in clause:
            return None
        p = self._at_start(clause)
        if p is None:
            return None
        rest = clause[p.end:].split()
        if not rest or len(rest) > 12 or any(w.lower() in ("that", "which", "who") for w in rest):
            return None
        w0, w1 = rest[0].lower(), rest[1].lower() if len(rest) > 1 else ""
        if w0 in ATTACH or w0 in ("by", "on", "after", "during", "with") or (
                w0.endswith("ed") and w1 in PREPOSITIONS | {"last", "earlier", "this", "jointly"}):
            return p.shift(cut)
        return None


def _opens_clause(text, start):
    """Does ``text[start:]`` open a clause (``_JOINT_START`` before it)?"""
    return not text[:start].strip() or bool(_JOINT_START.search(text, max(0, start - _JOINT_START_WINDOW), start))


def _normal(phrase, nouns):
    """A generic phrase as a name: one space, the first word lower-cased when
    it is an article, a speaker noun or a common modifier ("The ministry" ->
    "the ministry")."""
    words = phrase.split()
    if words and (words[0].lower() in ARTICLES or words[0].lower() in nouns or words[0].lower() in _COMMON_FIRST):
        words[0] = words[0].lower()
    return " ".join(words)


def _joint(members, text, start, end):
    names, groups, seen = [], [], set()
    for m in members:
        for name, group in (zip(m.name.split("; "), m.group.split("; "))):
            if name not in seen:
                seen.add(name)
                names.append(name)
                if group not in groups:
                    groups.append(group)
    if len(names) == 1:
        return members[-1]._replace(start=start, end=end, text=text)
    return Phrase(start, end, text, "; ".join(names), "; ".join(groups), "group",
                  members=tuple(names))
