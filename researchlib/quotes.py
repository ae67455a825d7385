"""Quotes and sources: who speaks, and which words are the outlet's own.

Method (rule-based, documented so a reader can predict it):

1. **Quote marks.** Curly, straight and mixed double quotes are normalised and
   paired left to right within a paragraph. An opening mark left unclosed at a
   paragraph's end runs to that paragraph's end (the news convention for a
   quote that continues in the next paragraph, which reopens with a mark).
   Single marks (‘…’ or '…') outside double quotes count when they open before
   a letter and close after a non-space, not inside a word ("Russia's" is an
   apostrophe), and hold two words or more (a one-word ‘scare quote’ does not
   count); an opening mark closes at the first mark after punctuation
   ("…,’" / "’,"), else at the first closing mark.
2. **Speech events.** Reporting cues are found outside quote marks: "X said",
   "said X", "X told reporters", "X wrote / tweeted / posted", "X stressed
   that", "according to X", participles ("…, saying", "warning"), "X quoted Y
   as saying" (speaker Y, channel X); "read" counts only with a document ("…,
   the statement read"), "posted" only next to a quote, a participle not after
   a preposition ("against adding fuel" is no speech). No speech is read from a
   question in the outlet's own words ("What did Putin and Xi say?"), and no
   reported speech from a headline (a one-sentence paragraph without end
   punctuation).
3. **Speakers** (researchlib.speaker_phrases): an alias of the speaker table
   ("Kremlin spokesman Dmitry Peskov", "the Russian leader"), a phrase headed by
   a speaker noun of resources/speaker_nouns.yaml ("the ministry", "the
   statement", "state media", "the paper", "the two sides"), or a capitalised
   name kept as written; aliases match by the one matcher's rules
   (:mod:`researchlib.match`: "CCTV" and "the US" only in capitals). Joint speakers ("China and Russia declared") are kept
   together as a list (``speaker`` "Chinese government; Russian government").
   Words between a speaker and the cue are skipped: adverbs ("Putin also
   said"), an interruption set off by commas ("Putin, during the call, said";
   "Hua Chunying, the spokesperson of ..., tweeted": the apposition makes an
   unknown name a person of that institution's group). "said X" reads X as the
   speaker only when X ends the clause ("…, said Putin."), so in "Xi, who has
   not met …, said China and Russia “firmly support …”" Xi speaks, not China.
   Pronouns take the last speaker of matching number before them: he / she the
   last person (or unknown name; failing that, the last person named in that
   sentence or the one before), they the last group or joint speakers, it the
   last institution or document.
4. **Attribution.** A quote takes the event that follows it directly ("…,” he
   said), else the nearest event before it in its sentence, else the nearest
   after it. "according to X" and news media are *channels*: when someone else
   speaks in the sentence ("According to X, Y said"), Y is the speaker and X
   the ``channel``. A quoted question or exclamation that ends its sentence
   takes the cue of the short sentence right after it ('"Why would we?"
   Peskov asked.'). A quote with no event that opens a sentence right after
   another quote continues that quote's speaker.
5. **Kind.** ``direct``: a quote that opens its sentence, follows a colon or a
   reporting verb, or runs over a sentence end; ``partial``: a quoted phrase
   inside the outlet's own sentence; ``indirect``: a sentence with a reporting
   cue and no quote marks (reported speech, in the outlet's words).
   ``speaker_kind``: person, institution (media included), document, group
   (plural or joint speakers) or unknown (a name the rules cannot type); empty
   when no speaker is found.

Voice: characters inside quote marks are *quoted*; everything else, reported
speech included, is the outlet's *narrative* voice (its own wording).

Coverage: ``quotes_by`` reports per unit the share of quotes in quote marks with
an identified speaker, its n and a document-bootstrap interval, since an
outlet whose attributions the rules read less well looks less sourced.

Speed: ``quotes(corpus, speakers=bundled + extra)`` on a corpus loaded with the
bundled table (``load_corpus`` without ``speakers``) reads again only the
documents in which an added name or alias occurs and keeps the stored quotes
of the others (equal to reading every document again: tested on the seeds and
at 10,000 articles). A corpus changed in place (``c.quotes.loc[...] = ...``)
after loading is not noticed; a table replaced is, and every document is read.
Within a text, :func:`find_quotes` runs the plain method
(:func:`find_quotes_reference`) with pre-filters built from the same lists as
the patterns (cue words found first, patterns anchored at a text's end
searched only near it, events chosen among those of nearby sentences); the
two are tested equal in tests/test_fast_paths.py.

Known limits: scare quotes in double marks and titles in quote marks count as
partial quotes with no speaker; a speaker named only in an earlier paragraph
without a pronoun is not found; pronouns ignore gender ("she" can take a man
named last); generic phrases are not linked to the institution they stand for
("the ministry" stays "the ministry"); single quotes nested in single quotes, or
a plural possessive ("leaders’ talks") inside a single-quoted phrase without
punctuation at its end, can end a quote early; "said" in the outlet's own
question is dropped with the question, even when the question reports speech.
"""
from __future__ import annotations

import bisect
import contextvars
import re
from functools import lru_cache

import pandas as pd

from .errors import ResourceError
from .match import Matcher, entry
from .language import english_only
from .resources import load_resource
from .signatures import keyword_options, renamed
from .speaker_phrases import PREPOSITIONS, STOP_CAPS, Phrase, PhraseReader
from .text import (ASCII_NON_WORD_TO_SPACE, WEEKDAY_NAMES, alternatives, fold_like_re_i, normalize_quotes,
                   sentence_at, trie_of_atoms, trie_regex)

__all__ = ["find_quotes", "find_quotes_reference", "quotes", "quotes_by", "voices", "speaker_table", "QUOTE_COLUMNS"]

QUOTE_COLUMNS = ["doc_id", "sent_id", "start", "end", "quote", "speaker", "speaker_group", "speaker_kind",
                 "cue", "kind", "channel", "speaker_text"]

SPEECH_CUES = ["said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "stressed",
               "stresses", "noted", "notes", "pointed out", "stated", "announced", "declared",
               "urged", "warned", "insisted", "argued", "claimed", "reported", "explained",
               "emphasized", "emphasised", "reiterated", "asked", "replied", "confirmed",
               "underlined", "affirmed", "acknowledged", "admitted", "remarked", "recalled",
               "tweeted", "tweets", "posted", "posts", "read", "reads"]
PARTICIPLES = ["saying", "adding", "warning", "noting", "stressing", "insisting", "telling",
               "calling", "describing", "urging", "claiming", "arguing", "accusing", "writing"]
EVALUATIVE = ["called", "described", "hailed", "criticized", "criticised", "denounced",
              "welcomed", "voiced", "touted", "boasted", "praised", "accused", "vowed",
              "pledged", "expressed", "slammed", "branded", "dubbed", "labelled", "labeled"]
_INVERTED = {"said", "says", "added", "adds", "wrote", "writes", "asked", "told", "stressed", "noted",
             "tweeted", "reported", "warned", "declared", "stated", "read", "reads"}
# Cues that name speech only in some company (see the module doc): the speaker
# kind "read" needs, and the cues that never make reported speech on their own.
_NEEDS_KIND = {"read": "document", "reads": "document"}
_ONLY_WITH_QUOTE = {"posted", "posts", "read", "reads"}


def _cue_pattern(cues):
    """The reporting cues as one pattern: "X quoted Y as saying", "according
    to X", and ``cues`` (longest first), with the object of "told"/"tells"."""
    return re.compile(
        r"\b(?P<quoted>quoted\s+(?P<qspk>[^,.;\"]{1,60}?)\s+as\s+saying)\b"
        r"|\b(?P<acc>according\s+to)\s+"
        r"|\b(?P<cue>" + ("|".join(sorted(cues, key=len, reverse=True)) or "(?!)")
        + r")\b(?P<obj>(?<=told)\s+(?:reporters|journalists|the\s+\w+|[A-Z]\w*|him|her|them|us)"
        r"|(?<=tells)\s+(?:reporters|[A-Z]\w*))?", re.I)


_CUE_RE = _cue_pattern(SPEECH_CUES + PARTICIPLES + EVALUATIVE)
# Case-insensitive matching is slow in ``re``: the first words of the cues
# are found first, after a space (a literal the engine jumps to), in a copy
# of the text folded as re.I folds it (text.fold_like_re_i) where every
# character but an ASCII letter, digit or "_" is a space (a non-ASCII one
# made "?" first; same offsets). A cue starts after a non-word character, so
# every match of the pattern starts at a word found so; a word found next to
# a non-ASCII letter is one the pattern's \b rejects. The full pattern is
# then tried only there, in its version with the cues that open with the
# word found (the others cannot match there).
_CUE_FIRST = sorted({w.split()[0] for w in SPEECH_CUES + PARTICIPLES + EVALUATIVE} | {"quoted", "according"},
                    key=len, reverse=True)
_CUE_AFTER_SPACE = re.compile(r" (?:" + trie_regex(_CUE_FIRST) + r")\b")
_CUE_AT = {w: _cue_pattern([c for c in SPEECH_CUES + PARTICIPLES + EVALUATIVE if c.split()[0] == w])
           for w in _CUE_FIRST}
_AFTER_CUE = re.compile(r"\b(?:" + "|".join(SPEECH_CUES + PARTICIPLES) + r")\b[\s,:]*$", re.I)
# Words between a speaker and the cue ("Putin also said", "Xi, for his part,
# said", "Peskov on Monday said"); the speaker is found before them.
ADVERBS = ["also", "has", "had", "have", "then", "later", "further", "again", "repeatedly", "previously",
           "earlier", "meanwhile", "in turn", "for his part", "for her part", "for its part", "for their part",
           "however", "once again", "recently", "reportedly", "publicly", "separately", "who", "which",
           "speaking"]
_DAY = "day"
_ON_DAY = rf"on\s+\w+{_DAY}"          # "on Monday", "on Tuesday", ...


def _adverb_rules(adverbs):
    """(pattern, pre-filter words, lower-case pattern, its characters) of the
    words skipped between a speaker and the cue, from one list: the pattern
    matches a run of them (or "on <weekday>") at the end of a text; a text can
    end with a match only if its last word is one of the pre-filter words or
    ends with "day". The lower-case pattern is the same one for lower-cased
    ASCII text, the words as a trie (``re.I`` tries every word at every space
    otherwise); it matches only characters of the last pattern (a run of them
    ends a text), so no match starts before that run."""
    pattern = re.compile(r"(?:[\s,]+(?:" + "|".join([alternatives(adverbs), _ON_DAY]) + r"))+[\s,]*$", re.I)
    trie = trie_of_atoms([r"\s+" if ch == " " else re.escape(ch) for ch in a.lower()] for a in adverbs)
    lower = re.compile(r"(?:[\s,]+(?:" + "|".join([trie, _ON_DAY]) + r"))+[\s,]*$")
    chars = re.compile(r"[\s,\w" + "".join(sorted({re.escape(c) for a in adverbs for c in a.lower()
                                                    if not re.match(r"[\s,\w]", c)})) + "]*")
    return pattern, frozenset(a.split()[-1].lower() for a in adverbs), lower, chars


_ADVERBS, _ADVERB_LAST, _ADVERBS_LOWER, _ADVERB_CHARS = _adverb_rules(ADVERBS)
#: Pronouns that stand for a speaker named before (see ``_SLOT``); the first
#: three also name a speaker where a name could stand ("he said", "said they").
PRONOUNS = ["he", "she", "they", "it"]
_SPEAKING_PRONOUNS = PRONOUNS[:3]
_PRONOUN_END = re.compile(r"\b(" + "|".join(PRONOUNS) + r")\s*$", re.I)
# Cheap necessary conditions tried before the anchored patterns above (which
# otherwise scan the whole text before a cue): the text must end with a word
# the pattern can end with, taken from the same lists (see _endings). Non-ASCII
# tails go to the pattern (case-insensitive matching folds e.g. "ſ" to "s").
_PRONOUN_START = re.compile(r"\s*(" + "|".join(_SPEAKING_PRONOUNS) + r")\b", re.I)
# "said X" names X as the speaker only when X ends the clause or a modifier follows.
_SAID_X_END = re.compile(r"\s*(?:$|[,.;:!?)\]—–]|-\s|(?:in|on|at|during|after|before|while|who|whose|which|"
                         r"according|adding|as|when|via|through|from|to|told|late|earlier|later|last|this|"
                         r"citing|speaking|wrote|tweeted|yesterday|today|tonight|"
                         + alternatives(WEEKDAY_NAMES) + r")\b)", re.I)
_INTRO = re.compile(r"^\s*(?:(?:In|On|At|During|After|Before|Ahead\s+of|Earlier|Later|Meanwhile|However|"
                    r"Separately|Also|Speaking)\b[^,\"]{0,80},\s*)")
_MARK = re.compile('"')
_WORDS = re.compile(r"[\w.'’-]+")
_PRONOUN = re.compile(r"\b(" + "|".join(_SPEAKING_PRONOUNS) + r")\s*$", re.I)
_CAPSEQ = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s*$")
_NP_AFTER = re.compile(r"^\s*((?:the\s+)?(?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3}|" + "|".join(_SPEAKING_PRONOUNS) + ")", re.I)

# Single quote marks: an opening mark before a letter and not after a word
# character or another mark; a closing mark after a non-space and not before a
# word character ("Russia's" is neither). A closing mark after punctuation or
# before it is "strong" (the end of a quotation, not a possessive).
_SQ_OPEN_PLAIN = re.compile(r"(?<![\w'])'(?=[^\W\d_])")
_SQ_CLOSE_PLAIN = re.compile(r"(?<=[^\s'])'(?!\w)")
# The same patterns with the mark first and the look-behind after it (over
# the mark and the character before it): ``re`` then jumps from mark to mark
# instead of trying the look-behind at every position (20x faster scan).
_SQ_OPEN = re.compile(r"'(?<![\w']')(?=[^\W\d_])")
_SQ_CLOSE = re.compile(r"'(?<=[^\s']')(?!\w)")
_SQ_STRONG_BEFORE = set(".,!?;:…")
_SQ_STRONG_AFTER = set(".,;:!?)]")
_KIND = {"media": "institution"}                       # internal type -> speaker_kind
_SLOT = {"he": "person", "she": "person", "they": "group", "it": "thing"}
_TERMINAL = tuple(".!?\"'”’…)")
# True inside find_quotes_reference: the pre-filters step aside (the plain method).
_PLAIN = contextvars.ContextVar("quotes_plain", default=False)


# --------------------------------------------------------------------------- #
# speakers                                                                     #
# --------------------------------------------------------------------------- #

def speaker_table(speakers=None) -> pd.DataFrame:
    """The speaker alias table as a frame (one row per alias): ``alias, name,
    role, group, type, case``. An alias is a word or phrase, or ``{term,
    case}``; it matches by the rules of :mod:`researchlib.match` (acronyms
    such as "CCTV" only in capitals)."""
    rows = []
    for item in load_resource(speakers, "speakers", "speakers"):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ResourceError(f"speaker entries need a 'name', not {item!r}")
        aliases = [entry(a, where=f"aliases of speaker {item['name']!r}") for a in item.get("aliases", [])]
        cases = dict(aliases)            # the name as an alias takes the case an alias gives it
        for term, case in [(item["name"], cases.get(item["name"])), *aliases]:
            rows.append({"alias": term, "name": item["name"], "role": item.get("role"),
                         "group": item.get("group", "other"), "type": item.get("type", "person"), "case": case})
    return pd.DataFrame(rows, columns=["alias", "name", "role", "group", "type", "case"]).drop_duplicates("alias")


@lru_cache(maxsize=1)
def _default_resolver():
    return _Resolver(None)


class _Resolver:
    """Speaker phrases -> (name, group, type) through the one matcher
    (:mod:`researchlib.match`), so aliases follow the same counting rule as
    terms and targets."""

    def __init__(self, speakers):
        table = speaker_table(speakers)
        self.matcher = Matcher(((r.name, r.group, r.type), r.alias, r.case) for r in table.itertuples())
        # an alias ends with one of these (folded, every spelling: "US" and "U.S."),
        # mapped to the most words of an alias ending with it
        self.last_words = {}
        for k in self.matcher.forms:
            words = k.split()
            if words:
                self.last_words[words[-1]] = max(self.last_words.get(words[-1], 0), len(words))

    def lookup(self, phrase):
        """(name, group, type) of the alias that is the whole ``phrase`` (a
        possessive 's dropped), or None."""
        key = " ".join(phrase.split())
        labels = self.matcher.fullmatch(key[:-2] if key.endswith(("'s", "’s")) else key)
        return labels[0] if labels else None

    def resolve_end(self, before):
        """Speaker phrase at the end of ``before`` -> (as written, name, group, type)."""
        before = before[-100:]
        before = _without_adverbs(before)
        if before[-1:].isspace() or before[-1:] in (",", ";"):
            before = before.rstrip()
        words = _WORDS.findall(before[-80:]) if before and not before[-1:] in '"' else []
        last = fold_like_re_i(normalize_quotes(words[-1])) if words else ""
        if words and before.endswith(words[-1]) and (
                last in self.last_words or (last.endswith("'s") and last[:-2] in self.last_words)):
            for k in range(min(7, len(words)), 0, -1):   # longest alias ending here
                hit = self.lookup(" ".join(words[-k:]))
                if hit:
                    return " ".join(words[-k:]), *hit
        tail = before.rstrip()
        m = _search_end(_PRONOUN, before, tail, _SPEAKING_END)
        if m:
            return m.group(1), "<pronoun>", None, "person"
        last = tail.rsplit(None, 1)[-1] if tail else ""
        m = _CAPSEQ.search(before) if last != last.lower() or _PLAIN.get() else None   # needs an A-Z in the last word
        if m:
            words = m.group(1).split()
            while words and words[0] in STOP_CAPS:
                words.pop(0)
            if words:
                phrase = " ".join(words)
                return phrase, phrase, "other", "person"
        return None

    def resolve_start(self, after):
        m = _NP_AFTER.match(after)
        if not m:
            return None
        phrase = m.group(1)
        hit = self.matcher.prefix(phrase) or self.matcher.prefix(re.sub(r"^the\s+", "", phrase, flags=re.I))
        if hit:
            return hit[2], *hit[1][0]
        if phrase.lower() in _SPEAKING_PRONOUNS:
            return phrase, "<pronoun>", None, "person"
        if phrase[:1].isupper() and phrase.split()[0] not in STOP_CAPS:
            return phrase, phrase, "other", "person"
        return None

    def first_person(self, text):
        for _, _, labels, written in self.matcher.finditer(text):
            name, group, typ = labels[0]
            if typ == "person":
                return written, name, group, typ
        return None


_TYPES = ("person", "institution", "media", "document", "group")


def _check_speakers(table):
    """Speaker names hold no ';' (it separates joint speakers); types are known."""
    for r in table.drop_duplicates("name").itertuples():
        if ";" in str(r.name):
            raise ResourceError(f"speaker {r.name!r}: a name cannot hold ';' (it separates joint speakers)")
        if r.type not in _TYPES:
            raise ResourceError(f"speaker {r.name!r}: type {r.type!r} is not one of {', '.join(_TYPES)}")
    return table


_CUE_WORDS = frozenset(w for c in SPEECH_CUES + PARTICIPLES + EVALUATIVE for w in c.split())


@lru_cache(maxsize=1)
def _default_reader():
    _check_speakers(speaker_table())
    return PhraseReader(_default_resolver(), None, _CUE_WORDS)


def _reader(speakers, nouns=None, *, prefilter=True):
    """The phrase reader of a speaker table and a speaker-noun table (None:
    the bundled ones)."""
    if speakers is None and nouns is None and prefilter:
        return _default_reader()
    if speakers is not None:
        _check_speakers(speaker_table(speakers))
    res = _default_resolver() if speakers is None else _Resolver(speakers)
    return PhraseReader(res, nouns, _CUE_WORDS, prefilter=prefilter)


def _strip_end(text, chars):
    """``text`` without trailing whitespace and ``chars`` (like the pattern
    ``[\\s<chars>]*$``)."""
    t = text.rstrip()
    while t and t[-1] in chars:
        t = t[:-1].rstrip()
    return t


def _endings(words):
    """(words lower-cased, the longest's length): what :func:`_tail_may_end_with` checks."""
    words = tuple(w.lower() for w in words)
    return words, max(map(len, words))


_AFTER_CUE_END = _endings(SPEECH_CUES + PARTICIPLES)
_PRONOUN_END_WORDS = _endings(PRONOUNS)
_SPEAKING_END = _endings(_SPEAKING_PRONOUNS)


def _tail_may_end_with(tail, ending):
    """False only when ``tail`` surely does not end with one of the words of
    ``ending`` (from :func:`_endings`; ASCII, case-insensitive)."""
    if _PLAIN.get():
        return True
    words, width = ending
    end = tail[-width:]
    return not end.isascii() or end.lower().endswith(words)


def _search_end(pattern, text, tail, ending):
    """``pattern.search(text)`` for a pattern that matches one of the words of
    ``ending`` (:func:`_endings`) ending ``tail`` (``text`` without what may
    follow the word): None when :func:`_tail_may_end_with` says no match, else
    searched only from where the longest word would start (no match starts
    before: case-insensitive matching keeps lengths)."""
    if not _tail_may_end_with(tail, ending):
        return None
    return pattern.search(text) if _PLAIN.get() else pattern.search(text, max(0, len(tail) - ending[1]))


def _may_end_with_adverb(text):
    """False only when ``_ADVERBS`` surely does not match at the end of ``text``."""
    if _PLAIN.get():
        return True
    t = _strip_end(text, ",")
    if not t:
        return False
    last = t.rsplit(None, 1)[-1].rsplit(",", 1)[-1]
    if not last.isascii():
        return True
    last = last.lower()
    return last in _ADVERB_LAST or last.endswith(_DAY)     # the end of _ON_DAY


def _after_cue(before):
    """``_AFTER_CUE.search(before)``, skipped when no cue word can end ``before``."""
    return _search_end(_AFTER_CUE, before, _strip_end(before, ",:"), _AFTER_CUE_END)


def _pronoun_at_end(text):
    """A pronoun ending ``text`` as a phrase, or None."""
    m = _search_end(_PRONOUN_END, text, text.rstrip(), _PRONOUN_END_WORDS)
    return Phrase(m.start(1), m.end(1), m.group(1), "<pronoun>", "", "pronoun") if m else None


def _without_adverbs(text):
    """``_ADVERBS.sub("", text)``: skipped when the pre-filter says no match;
    ASCII text is matched lower-cased by ``_ADVERBS_LOWER`` (same offsets),
    from the run of its characters that ends the text (``_ADVERB_CHARS``,
    matched on the text reversed: a blanked quotation before the cue is a
    long run of spaces, where a search from every space is slow)."""
    if not _may_end_with_adverb(text):
        return text
    if text.isascii() and not _PLAIN.get():
        low = text.lower()
        m = _ADVERBS_LOWER.search(low, len(low) - _ADVERB_CHARS.match(low[::-1]).end())
        return text[:m.start()] if m else text
    return _ADVERBS.sub("", text)


def _speaker_before(rd, before):
    """The speaker named at the end of ``before`` (the text before a cue):
    adverbs and an interruption set off by commas are skipped."""
    t = _without_adverbs(before).rstrip()
    if t.endswith(","):
        p = _interrupted(rd, t)
        if p is not None:
            return p
        t = t[:-1]
    p = _pronoun_at_end(t)
    if p is not None:
        return p
    p = rd.before(t)
    return rd.joint_before(t, p) if p is not None else rd.clause_subject(t)


def _interrupted(rd, before):
    """"Xi, who has not met …, said" / "Putin, during the call, said": the
    speaker before an interruption that ``before`` ends with (a comma)."""
    inner = before.rstrip()[:-1]
    lo = max(map(inner.rfind, '";:')) + 1
    commas, at = [], len(inner)                  # the last three commas after ``lo``, last first
    while len(commas) < 3 and (at := inner.rfind(",", lo, at)) >= 0:
        commas.append(at)
    for c in commas:
        aside = inner[c + 1:]
        if len(aside.split()) > 20:
            break
        head = _without_adverbs(inner[:c])
        p = _pronoun_at_end(head)
        if p is not None:
            return p
        p = rd.before(head)
        if p is not None:
            return rd.refine(rd.joint_before(head, p), aside)
    return None


def _speaker_after(rd, after):
    """"…, said Putin." : the speaker right after the cue, when it ends the
    clause (not "said China and Russia “firmly support …”")."""
    m = _PRONOUN_START.match(after)
    if m:
        if _SAID_X_END.match(after, m.end()):
            return Phrase(m.start(1), m.end(1), m.group(1), "<pronoun>", "", "pronoun")
        return None
    p, end = rd.after(after)
    return p if p is not None and _SAID_X_END.match(after, end) else None


def _participle_subject(rd, events, sid, before, ss):
    """"…, saying": the speaker of an earlier cue in the sentence, else the
    first person named in it, else the subject that opens it (offsets from
    the text start; ``before`` starts at ``ss``)."""
    for ev in reversed(events):
        if ev["sent"] != sid:
            break
        if ev["who"] is not None and ev["cue"] != "according to":
            return ev["_phrase"]
    hit = rd.res.first_person(before)
    if hit:
        pos = before.find(hit[0])
        p, _ = rd.after(before[pos:])
        p = p if p is not None and p.start == 0 else Phrase(0, len(hit[0]), *hit)
        return p.shift(ss + pos)
    m = _INTRO.match(before)
    cut = m.end() if m else 0
    p, _ = rd.after(before[cut:])
    if p is not None:
        return p.shift(ss + cut)
    p = _speaker_before(rd, before)
    return p.shift(ss) if p is not None else None


# --------------------------------------------------------------------------- #
# one document                                                                 #
# --------------------------------------------------------------------------- #

def _quote_spans(norm, paragraphs):
    """(inner_start, inner_end) for every pair of double quote marks."""
    spans, every = [], [m.start() for m in _MARK.finditer(norm)]
    for ps, pe in paragraphs:
        marks = every[bisect.bisect_left(every, ps):bisect.bisect_left(every, pe)]     # the paragraph's
        for a, b in zip(marks[0::2], marks[1::2]):
            if b > a + 1:
                spans.append((a + 1, b))
        if len(marks) % 2 and pe > marks[-1] + 1:
            spans.append((marks[-1] + 1, pe))   # runs on into the next paragraph
    return spans


def _single_quote_spans(norm, paragraphs, taken):
    """(inner_start, inner_end) of quotations in single marks, outside the
    double-quoted ``taken`` spans (see the module doc)."""
    if "'" not in norm:
        return []
    sq_open, sq_close = (_SQ_OPEN_PLAIN, _SQ_CLOSE_PLAIN) if _PLAIN.get() else (_SQ_OPEN, _SQ_CLOSE)
    if sq_open is _SQ_OPEN and not sq_open.search(norm) and not any(norm[e + 1:e + 2] == "'" for _, e in taken):
        # no opening mark (most texts: apostrophes only): blanking the double
        # quotes makes none, as it changes what precedes a mark only after a
        # blanked quotation
        return []
    free = _blank(norm, [(s - 1, e + 1) for s, e in taken])
    spans = []
    for ps, pe in paragraphs:
        if free.find("'", ps, pe) < 0:       # both patterns need a mark
            continue
        opens = [m.start() for m in sq_open.finditer(free, ps, pe)]
        if not opens:
            continue
        closes = [m.start() for m in sq_close.finditer(free, ps, pe)]
        for k, a in enumerate(opens):
            if spans and a < spans[-1][1]:
                continue                     # inside the quotation before
            nxt = opens[k + 1] if k + 1 < len(opens) else pe
            cands = closes[bisect.bisect_right(closes, a):bisect.bisect_left(closes, nxt)]
            strong = [c for c in cands if free[c - 1] in _SQ_STRONG_BEFORE
                      or free[c + 1:c + 2] in _SQ_STRONG_AFTER or not free[c + 1:pe].strip()]
            if cands:
                b = (strong or cands)[0]
                if len(free[a + 1:b].split()) >= 2:
                    spans.append((a + 1, b))
    return spans


def _blank(text, spans):
    """``text`` with the characters of ``spans`` replaced by spaces (same length)."""
    pieces, last = [], 0
    for s, e in spans:
        if e <= s:
            continue
        if s < last:                       # overlapping spans (not made by _quote_spans): per character
            chars = list(text)
            for a, b in spans:
                chars[a:b] = " " * (b - a)
            return "".join(chars)
        pieces += (text[last:s], " " * (e - s))
        last = max(last, e)
    pieces.append(text[last:])
    return "".join(pieces)


def _cue_matches(text, blank=()):
    """The matches of ``_CUE_RE.finditer(text)`` (the plain method), found
    faster: the pattern is tried only where a cue's first word starts
    (``_CUE_AFTER_SPACE``), and not inside the ``blank`` spans (sorted
    (start, end) spans that ``text`` holds only spaces in, each right after a
    quote mark: the quotes that :func:`_blank` blanked; no word starts or
    ends there)."""
    if _PLAIN.get():
        yield from _CUE_RE.finditer(text)
        return
    low = fold_like_re_i(text)
    if not low.isascii():
        low = low.encode("ascii", "replace").decode("ascii")       # one "?" a character
    spaced, end = " " + low.translate(ASCII_NON_WORD_TO_SPACE), 0     # spaced[i + 1] is text[i]
    for c in (c for a, b in _outside(blank, len(text)) for c in _CUE_AFTER_SPACE.finditer(spaced, a, b + 1)):
        if c.start() < end:                                        # the word starts at c.start() in text
            continue
        m = _CUE_AT[c.group()[1:]].match(text, c.start())
        if m:
            end = m.end()
            yield m


def _outside(spans, n):
    """The (start, end) stretches of ``range(n)`` outside the sorted ``spans``."""
    out, last = [], 0
    for s, e in spans:
        if e <= s:
            continue
        if s > last:
            out.append((last, s))
        last = max(last, e)
    if last < n or not out:
        out.append((last, n))
    return out


def _who(p):
    return None if p is None else (p.text, p.name, p.group, p.kind)


def _events(masked, sentences, rd, questions=frozenset(), blank=()):
    """Speech events: dicts with pos (cue start), end, sent, spk (speaker
    start), who = (as written, name, group, type), cue, channel. ``blank``:
    the quote spans blanked in ``masked`` (see :func:`_cue_matches`)."""
    events = []
    starts = [s for s, _ in sentences]
    for m0 in _cue_matches(masked, blank):
        sid = bisect.bisect_right(starts, m0.start()) - 1
        if sid < 0 or sid in questions:
            continue
        ss, se = sentences[sid]
        if m0.end() > se:
            continue
        sent = masked[ss:se]
        m = m0.re.match(sent, m0.start() - ss)        # _CUE_RE, or its version for the cue found
        if m is None:
            continue
        ev = {"sent": sid, "pos": ss + m.start(), "end": ss + m.end(), "channel": None, "inverted": False}
        if m.group("quoted"):
            p, _ = rd.after(m.group("qspk"))
            p = p.shift(ss + m.start("qspk")) if p is not None else None
            chan = _speaker_before(rd, sent[:m.start()])
            ev.update(cue="quoted as saying", channel=chan.name if chan is not None and chan.kind != "pronoun" else None)
        elif m.group("acc"):
            p, _ = rd.after(sent[m.end():])
            p = p.shift(ss + m.end()) if p is not None and p.kind != "pronoun" else None
            ev.update(cue="according to")
        else:
            cue = " ".join(m.group("cue").lower().split())
            before, after = sent[:m.start()], sent[m.end("cue"):]
            if cue == "told" and m.group("obj"):
                cue = "told " + m.group("obj").strip()
            if cue.split()[0] in PARTICIPLES:
                last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
                if last in PREPOSITIONS:
                    continue                                   # "against adding fuel to the fire"
                p = _participle_subject(rd, events, sid, before, ss)
            else:
                p, tail = None, _strip_end(before, "")[-1:]
                if tail == ",":
                    p = _interrupted(rd, before)               # "Xi, who …, said China …"
                if p is None and cue.split()[0] in _INVERTED and tail in ("", ",", ";", ":", '"', "'"):
                    p = _speaker_after(rd, after)              # "…, said Putin."
                    if p is not None:
                        p = p.shift(m.end("cue"))
                        ev["inverted"] = True
                if p is None:
                    p = _speaker_before(rd, before)
                p = p.shift(ss) if p is not None else None
            need = _NEEDS_KIND.get(cue)
            if need and p is not None and p.kind not in (need, "pronoun"):
                p = None
            ev["cue"] = cue
        ev["_phrase"] = p
        ev["who"] = _who(p)
        ev["spk"] = p.start if p is not None else ev["pos"]
        events.append(ev)
    return events


def _resolve_pronouns(events, masked, sentences, rd):
    """he / she -> the last person (or unknown name) speaking before, else the
    last person named in this sentence or the one before; they -> the last
    group or joint speakers, else the last names joined by "and" there; it ->
    the last institution or document."""
    last = {}
    for ev in events:
        who = ev["who"]
        if who is None:
            continue
        if who[1] == "<pronoun>":
            slot = _SLOT[fold_like_re_i(who[0])]       # "ſhe" matches as "she"
            target = last.get(slot)
            if target is None and slot != "thing":
                lo = sentences[max(0, ev["sent"] - 1)][0]
                named = _last_person_named if slot == "person" else _last_joint_named
                target = named(rd, masked[lo:ev["spk"]])
            ev["who"] = (who[0], *target[1:]) if target else None
        else:
            last[{"person": "person", "unknown": "person", "group": "group"}.get(who[3], "thing")] = who


def _last_person_named(rd, text):
    people = [(w, *hit) for _, _, w, hit in rd.aliases_in(text) if hit[2] == "person"]
    return people[-1] if people else None


def _last_joint_named(rd, text):
    """The last names joined by "and" in ``text`` ("Putin and Xi"), as joint speakers."""
    found, run, end = None, [], None
    for s, e, written, hit in rd.aliases_in(text):
        sep = text[end:s] if end is not None else ""
        if end is None or not _JOINED.fullmatch(sep):
            run = []
        run.append((written, *hit))
        end = e
        if len(run) > 1 and "and" in sep:
            names = list(dict.fromkeys(r[1] for r in run))
            groups = list(dict.fromkeys(r[2] for r in run))
            found = (" and ".join(r[0] for r in run), "; ".join(names), "; ".join(groups), "group")
    return found


_JOINED = re.compile(r"\s*(?:,\s*and|,|and|&)\s+")


def _channel_like(ev):
    """"according to X" and news media pass speech on: channels when someone
    else speaks in the sentence."""
    return ev["cue"] == "according to" or (ev["who"] is not None and "media" in (ev["who"][2], ev["who"][3]))


def _choose(q, events, sids, masked="", sentences=()):
    """The speech event that speaks quote ``q`` (see the module doc, 4), of
    ``events``; ``sids``: the first and last sentence of the quote."""
    qs, qe = q
    sids = set(sids)
    best = None
    for ev in events:
        if ev["who"] is None:
            continue
        if ev["sent"] not in sids:
            # '"Why would we?" Peskov asked.': the sentence ends inside the
            # quote at "?" or "!"; a cue right after it, ending its own short
            # sentence, still speaks it
            if ev["sent"] != max(sids) + 1 or masked[qs:qe].rstrip()[-1:] not in ("?", "!") \
                    or masked[qe + 1:min(ev["spk"], ev["pos"])].strip() \
                    or len(masked[ev["end"]:sentences[ev["sent"]][1]].split()) > 4:
                continue
        if ev["pos"] >= qe:
            dist = (ev["spk"] if ev["spk"] >= qe else ev["pos"]) - qe
            prio = 0 if dist < 60 else 2
            if prio == 2 and ev["cue"] != "according to":
                continue
        elif ev["end"] <= qs:
            prio, dist = 1, qs - ev["end"]
        else:
            continue
        key = (_channel_like(ev), prio, dist)
        if best is None or key < best[0]:
            best = (key, ev)
    return best[1] if best else None


def _events_near(events):
    """``near(lo, hi)``: the events of sentences ``lo`` to ``hi`` (the only
    ones :func:`_choose` can take for a quote in sentences ``lo`` to
    ``hi - 1``, and :func:`_channel` for an event of sentence ``lo == hi``),
    in order; every event in the plain method. ``events`` are in text order,
    so their sentences are sorted."""
    if _PLAIN.get():
        return lambda lo, hi: events
    sents = [ev["sent"] for ev in events]
    return lambda lo, hi: events[bisect.bisect_left(sents, lo):bisect.bisect_right(sents, hi)]


def _channel(ev, events):
    """The channel of a speech event: "CCTV quoted X as saying", or "according
    to" / a medium in the same sentence when ``ev`` is someone else's."""
    if ev["channel"] or _channel_like(ev):
        return ev["channel"]
    for e2 in events:
        if e2 is not ev and e2["sent"] == ev["sent"] and e2["who"] and _channel_like(e2):
            return e2["who"][1]
    return None


def _speaker_cols(who):
    if who is None:
        return {"speaker": None, "speaker_group": None, "speaker_kind": None, "speaker_text": None}
    return {"speaker": who[1], "speaker_group": who[2], "speaker_kind": _KIND.get(who[3], who[3]),
            "speaker_text": who[0]}


# What opens the reported clause after a cue ("said on Monday that ...").
_THAT_CLAUSE = re.compile(r"[\s,]*(?:(?:\w+\s+){0,4}?that\b)?[\s,]*")


def _questions_and_headlines(masked, sentences, paragraphs):
    """Sentence ids of questions in the outlet's own words (the question mark
    is outside quote marks) and of headlines (a one-sentence paragraph with no
    end punctuation)."""
    questions, headlines = set(), set()
    para_spans = {(a, b) for a, b in paragraphs}
    for i, (s, e) in enumerate(sentences):
        if masked.find("?", s, e) < 0 and (s, e) not in para_spans:
            continue                         # neither can hold (the tests below, cheaper)
        t = masked[s:e].rstrip().rstrip(")]")
        if t.endswith("?"):
            questions.add(i)
        elif (s, e) in para_spans and t and not masked[s:e].rstrip().endswith(_TERMINAL):
            headlines.add(i)
    return questions, headlines


def find_quotes_reference(text: str, sentences, paragraphs, speakers=None, nouns=None) -> list[dict]:
    """The plain method: :func:`find_quotes` with every pre-filter off (each
    pattern tried everywhere, every window of words looked up as an alias).
    Slower; gives the same quotes (tests/test_fast_paths.py)."""
    token = _PLAIN.set(True)
    try:
        return _find_quotes(text, sentences, paragraphs, _reader(speakers, nouns, prefilter=False))
    finally:
        _PLAIN.reset(token)


def find_quotes(text: str, sentences, paragraphs, speakers=None, nouns=None, *, reader=None) -> list[dict]:
    """All quotations of one clean text (see the module doc for the method).
    ``reader``: the phrase reader of ``speakers`` and ``nouns``, built once
    by a caller that reads many texts."""
    return _find_quotes(text, sentences, paragraphs, reader or _reader(speakers, nouns))


def _paragraph_finder(paragraphs):
    """pos -> index of the first paragraph holding it (-1: none): a scan, or
    a bisection when the paragraphs are sorted and disjoint (the same answer)."""
    starts = [a for a, _ in paragraphs]
    if all(a <= b for a, b in paragraphs) and all(b <= a for (_, b), a in zip(paragraphs, starts[1:])):
        return lambda pos: _paragraph_at(paragraphs, starts, pos)
    return lambda pos: next((i for i, (a, b) in enumerate(paragraphs) if a <= pos < b), -1)


def _paragraph_at(paragraphs, starts, pos):
    """Index of the paragraph holding ``pos`` (-1: none), paragraphs sorted
    and not overlapping; ``starts``: their start offsets."""
    i = bisect.bisect_right(starts, pos) - 1
    return i if i >= 0 and pos < paragraphs[i][1] else -1


def _find_quotes(text, sentences, paragraphs, rd):
    norm = normalize_quotes(text)
    dspans = _quote_spans(norm, paragraphs)
    qspans = sorted(dspans + _single_quote_spans(norm, paragraphs, dspans))
    masked = _blank(norm, qspans)
    questions, headlines = _questions_and_headlines(masked, sentences, paragraphs)
    events = _events(masked, sentences, rd, questions, qspans)
    _resolve_pronouns(events, masked, sentences, rd)
    starts = [s for s, _ in sentences]
    sent_of = lambda pos: sentence_at(starts, pos)   # noqa: E731
    para_of = _paragraph_finder(paragraphs)
    near = _events_near(events)
    out, used_sents, prev = [], set(), None
    for qs, qe in qspans:
        sid, last_sid = sent_of(qs), sent_of(max(qs, qe - 1))
        ss, se = sentences[sid] if sentences else (0, len(text))
        before = norm[ss:qs - 1]
        ev = _choose((qs, qe), near(sid, last_sid + 1), (sid, last_sid), norm, sentences)
        inner = text[qs:qe]
        opens = not before.strip() or before.rstrip().endswith(":")
        spans_sentences = last_sid != sid
        upper = inner.strip()[:1].isupper()
        kind = "direct" if (opens and upper) or spans_sentences \
            or (_after_cue(before) and (upper or len(inner.split()) >= 6)) else "partial"
        para = para_of(qs)
        if ev is not None:
            who, cue, channel = ev["who"], ev["cue"], _channel(ev, near(ev["sent"], ev["sent"]))
        elif prev is not None and not before.strip() and prev["speaker"] and \
                para - prev["_para"] in (0, 1) and kind == "direct":
            who, cue, channel = prev["_who"], "(continued)", prev["channel"]
        else:
            who, cue, channel = None, None, None
        row = {"sent_id": sid, "start": qs, "end": qe, "quote": " ".join(inner.split()), **_speaker_cols(who),
               "cue": cue, "kind": kind, "channel": channel, "_para": para, "_who": who}
        out.append(row)
        used_sents.update(range(sid, last_sid + 1))
        if ev is not None:
            used_sents.add(ev["sent"])
        if kind == "direct" or row["speaker"]:
            prev = row
    # reported speech: cue sentences with no quote marks (a person's cue before "according to")
    for ev in sorted(events, key=lambda e: (e["sent"], _channel_like(e), e["pos"])):
        sid = ev["sent"]
        if sid in used_sents or sid in headlines or ev["who"] is None or ev["cue"].split()[0] in EVALUATIVE \
                or ev["cue"] in _ONLY_WITH_QUOTE:
            continue
        ss, se = sentences[sid]
        if ev["pos"] - ss < 3 and ev["cue"] in _INVERTED:
            continue
        who = ev["who"]
        after = text[ev["end"]:se]
        after = after[_THAT_CLAUSE.match(after).end():]
        if ev["cue"] == "according to":          # "According to X, <clause>" / "<clause>, according to X"
            after = text[ev["_phrase"].end:se].lstrip(" ,") if text[ss:ev["pos"]].strip() == "" else ""
        if ev["inverted"] or len(after.split()) < 3:
            clause = text[ss:ev["pos"]]
            clause = re.sub(r"[\s,]*" + re.escape(who[0]) + r"[\s,]*$", "", clause) if not ev["inverted"] else clause
        else:
            clause = after
        clause = _strip_end(clause, ",")
        if len(clause.split()) < 3:
            clause = text[ss:se]
        out.append({"sent_id": sid, "start": ss, "end": se, "quote": clause.strip(), **_speaker_cols(who),
                    "cue": ev["cue"], "kind": "indirect", "channel": _channel(ev, near(sid, sid)), "_para": -1})
        used_sents.add(sid)
    for row in out:
        row.pop("_para", None)
        row.pop("_who", None)
    out.sort(key=lambda r: (r["start"], r["kind"] == "indirect"))
    return out


# --------------------------------------------------------------------------- #
# corpus level                                                                 #
# --------------------------------------------------------------------------- #

@keyword_options
def quotes(corpus, *, speakers=None, kind=None, by="outlet", nouns=None) -> pd.DataFrame:
    """One row per quotation: ``doc_id, sent_id, start, end, quote, speaker,
    speaker_group, speaker_kind, cue, kind, channel, speaker_text`` plus the
    outlet and the ``by`` document column(s). Joint speakers are one row whose
    ``speaker`` and ``speaker_group`` list them, separated by "; ".

    ``speakers``: a speaker file/list to use instead of the bundled table,
    ``nouns``: a speaker-noun file/list instead of resources/speaker_nouns.yaml
    (either re-runs detection); ``kind``: keep only 'direct', 'partial' or
    'indirect'.
    """
    added = _added_speakers(corpus, speakers, nouns)
    corpus = english_only(corpus)
    if speakers is None and nouns is None:
        table = corpus.quotes.copy()
    elif added is not None:
        table = _quotes_with_added(corpus, speakers, added)
    else:
        table = _detect(corpus, _reader(speakers, nouns))
    if kind is not None:
        table = table[table["kind"] == kind]
    extra = [b for b in ([by] if isinstance(by, str) else list(by)) if b not in ("doc_id", "outlet")]
    outlets = corpus.documents[["doc_id", "outlet", *extra]]
    return table.merge(outlets, on="doc_id", how="left").reset_index(drop=True)


def _detect(corpus, rd, doc_ids=None) -> pd.DataFrame:
    """The quotes of every document (or of ``doc_ids``) found with the reader ``rd``."""
    rows = []
    sents = corpus.sentences
    at = sents.groupby("doc_id", sort=False).indices
    starts, ends = sents["start"].to_numpy(), sents["end"].to_numpy()
    docs = corpus.documents if doc_ids is None else corpus.documents[corpus.documents["doc_id"].isin(doc_ids)]
    for doc in docs.itertuples():
        i = at.get(doc.doc_id, [])
        spans = list(zip(starts[i].tolist(), ends[i].tolist()))
        paras = _paragraphs(doc.text)
        rows += [{"doc_id": doc.doc_id, **q} for q in find_quotes(doc.text, spans, paras, reader=rd)]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def mark_bundled_quotes(corpus):
    """Record that ``corpus.quotes`` was found with the bundled speaker and
    noun tables (:func:`researchlib.load_corpus` without ``speakers``), for
    as long as the corpus keeps those tables."""
    corpus.__dict__["_bundled_quotes"] = _tables_id(corpus)
    return corpus


def _tables_id(corpus):
    return id(corpus.documents), id(corpus.sentences), id(corpus.quotes), len(corpus.documents), len(corpus.quotes)


def _added_speakers(corpus, speakers, nouns):
    """The entries a speaker table adds to the bundled one, when ``corpus``'s
    quotes were found with the bundled tables and ``speakers`` is the bundled
    table followed by those entries (as ``load_resource(None, "speakers",
    "speakers") + extra`` makes it); else None."""
    if nouns is not None or speakers is None or getattr(corpus, "__dict__", {}).get("_bundled_quotes") != _tables_id(corpus):
        return None
    try:
        table = load_resource(speakers, "speakers", "speakers")
    except Exception:           # the plain path reports a bad table
        return None
    bundled = load_resource(None, "speakers", "speakers")
    if not isinstance(table, list) or table[:len(bundled)] != bundled:
        return None
    return table[len(bundled):]


def _quotes_with_added(corpus, speakers, added) -> pd.DataFrame:
    """:func:`_detect` with the bundled table plus ``added`` entries, found
    again only in the documents where an added entry's name or alias occurs
    (by the matcher's rules, :class:`_Resolver`); the other documents keep
    ``corpus.quotes`` (found with the bundled table). Every speaker phrase is
    read from the document's own words, so a phrase can resolve to an added
    speaker only where that speaker's alias is in the text; the rows are those
    of finding every document again (tested equal on the seeds and at 10,000
    articles)."""
    rd = _reader(speakers, None)
    if not added:
        return corpus.quotes.copy()
    gate = _Resolver(added).matcher
    redo = [d for d, t in zip(corpus.documents["doc_id"], corpus.documents["text"]) if next(gate.finditer(t), None)]
    if not redo:
        return corpus.quotes.copy()
    fresh = _detect(corpus, rd, redo)
    kept = corpus.quotes[~corpus.quotes["doc_id"].isin(redo)]
    out = pd.concat([kept, fresh.astype(kept.dtypes.to_dict(), errors="ignore")] if len(fresh) else [kept],
                    ignore_index=True)
    order = {d: k for k, d in enumerate(corpus.documents["doc_id"])}
    out = out.iloc[out["doc_id"].map(order).argsort(kind="stable")].reset_index(drop=True)
    return out


def _paragraphs(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]


@keyword_options
def quotes_by(corpus, *, by="outlet", level="speaker_group", speakers=None, nouns=None,
              split_joint=True) -> pd.DataFrame:
    """Who is quoted per unit: quotes and quoted words per speaker (group).

    Returns ``by, <level>, n_quotes, n_direct, n_partial, n_indirect,
    quoted_words, share_of_quoted_words`` (share of the unit's words inside
    quote marks), plus, per unit, ``n_docs``, ``words`` and the speaker
    coverage: ``quotes_in_marks`` (direct and partial quotes: the n),
    ``share_identified`` (the share of them with an identified speaker) and
    its 95% interval ``identified_ci_low, identified_ci_high`` (percentile
    bootstrap over documents, 2,000 resamples: quotes of one article are not
    independent). Read the per-speaker counts against that coverage: an outlet
    whose speakers the rules find less often looks less sourced than it is.
    Unattributed quotes appear as "(unknown)". With ``split_joint`` a quote
    of joint speakers ("China and Russia declared") counts once for each of
    them, so the counts of a unit can add up to more than its quotes.
    """
    from .stats import bootstrap_by_doc
    corpus = english_only(corpus)
    from .text import count_tokens      # = len(tokenize(t)), without building the tokens
    by = [by] if isinstance(by, str) else list(by)
    q = quotes(corpus, speakers=speakers, nouns=nouns)
    docs = corpus.documents
    q = q.drop(columns=[c for c in by if c in q.columns and c != "doc_id"]).merge(
        docs[["doc_id", *[b for b in by if b != "doc_id"]]], on="doc_id", how="left")
    q["words"] = [count_tokens(t) if k != "indirect" else 0 for t, k in zip(q["quote"].tolist(), q["kind"].tolist())]
    marks = q[q["kind"] != "indirect"].assign(identified=lambda d: d["speaker"].notna().astype(float))
    per_unit = marks.groupby(by, dropna=False)
    cover = per_unit.agg(quotes_in_marks=("identified", "size"), share_identified=("identified", "mean"))
    ci = [bootstrap_by_doc(g["doc_id"], g["identified"]) for _, g in per_unit]
    cover["identified_ci_low"], cover["identified_ci_high"] = [c[0] for c in ci], [c[1] for c in ci]
    cover = cover.reset_index()
    q[level] = q[level].fillna("(unknown)")
    if split_joint and level in ("speaker", "speaker_group"):
        q[level] = q[level].str.split("; ")
        q = q.explode(level)
    g = q.groupby(by + [level], dropna=False)
    out = g.agg(n_quotes=("kind", "size"),
                n_direct=("kind", lambda k: int((k == "direct").sum())),
                n_partial=("kind", lambda k: int((k == "partial").sum())),
                n_indirect=("kind", lambda k: int((k == "indirect").sum())),
                quoted_words=("words", "sum")).reset_index()
    units = docs.groupby(by, dropna=False).agg(n_docs=("doc_id", "nunique"), words=("n_words", "sum")).reset_index()
    out = out.merge(units, on=by, how="left").merge(cover, on=by, how="left")
    out["quotes_in_marks"] = out["quotes_in_marks"].fillna(0).astype(int)
    out["share_of_quoted_words"] = out["quoted_words"] / out["words"]
    first = [*by, level, "n_quotes", "n_direct", "n_partial", "n_indirect", "quoted_words", "n_docs", "words",
             "share_of_quoted_words"]
    out = out[first + [c for c in out.columns if c not in first]]
    return out.sort_values(by + ["n_quotes"], ascending=[True] * len(by) + [False]).reset_index(drop=True)


voices = renamed(quotes_by, "voices", positional=("corpus", "by", "level", "speakers"))
