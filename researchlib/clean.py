"""Cleaning: raw article text -> the outlet's own body text, with an audit trail.

Each rule is a small named function with one job. Nothing is edited in place:
``clean_text`` returns the clean text *and* a partition of the raw text into
labelled spans, so every input character is either kept, whitespace, or removed
by a named rule (``Cleaned.spans``). Metadata found on the way (title, byline,
dateline, headings, wire credits, URLs) is returned in ``Cleaned.meta``.

Method
------
**Paragraphs, from the document's own layout** (``Cleaned.layout``). Text comes
in two layouts: paragraphs separated by blank lines (the seeds, many feeds) and
one paragraph per line (what extractors such as trafilatura return, and many
CSV exports). Each document is judged on its own single line breaks (a newline
between two non-blank lines): ``"blank-line"`` when it has none; ``"wrapped"``
when at least a quarter of them fall mid-sentence (the line before ends without
punctuation and the next begins in lower case: hard-wrapped text), so
blank-line blocks are the paragraphs and their line breaks are spaces;
``"one-per-line"`` otherwise: every non-blank line is a paragraph.

**Units.** A rule removes the smallest unit that is boilerplate: a whole
paragraph (a line, in one-per-line text) when all of it is boilerplate, else
only the sentences that are (``promo``, ``interface``, ``non_english`` and
overlong ``social_embed`` paragraphs work sentence by sentence; "... for more
news. Download our app!" loses only its last sentence), or a prefix
(``date_header``, ``dateline``). A paragraph left without letters or digits
goes with the rule that emptied it.

**Language** (``Cleaned.language``, ``Cleaned.paragraph_languages``; method in
:mod:`researchlib.language`): a document is English unless the detector says
otherwise for the whole text, its English paragraphs hold less than a third
of its letters and the others at least ``MIN_LETTERS`` (20). The language is
the raw text's: ``clean_text(text, language=...)`` takes it as given. A
document in another language keeps its text: the
language rules (``non_english``) and the English-only furniture rules
(``interface``, ``menu``) do not run on it; the English-only measures skip it.

**Warnings** (``Cleaned.warnings``): a rule that removes more than half of a
document's words (or several that do together), and a document left without
words, naming the rules; ``load_corpus`` lists them in ``Corpus.warnings``.

Rules (in the order they run; see ``RULES``):

=================  =========================================================
date_header        the leading `` date YYYY-MM-DD`` header of the seed format
social_embed       embedded social posts: pic.twitter.com / status links, the
                   "— Name (@handle) Month D, YYYY" attribution line, "Embed:"
                   (a paragraph up to 400 characters, else the sentence)
pasted_post        text pasted from a social post without its embed, recognised
                   by tweet register ("While everyone is distracted with …",
                   "BREAKING:", trailing hashtags). A heuristic: see limits.
promo              app / subscription / comment-form / "Read More" promos
                   (sentence by sentence)
caption            photo captions and credits ("Name / AGENCY", "| Photo credit:")
related            "Related article: …", "Read also: …"
source_url         "Original url:" lines and paragraphs that are only a URL
signoff            wire sign-offs ("With reporting by Reuters, AP, and AFP")
byline             "By A and B for AFP" near the top
dateline           a paragraph that is only a date; a leading dateline prefix
                   ("Monday March 20, 2023 – ", "MOSCOW (Reuters) - ")
non_english        in an English document: sentences mostly in a non-Latin
                   script (over 30% of letters; all of them: the paragraph),
                   and Latin-script paragraphs of 8+ words without "the" or
                   "and", under 25% English function words, that the detector
                   calls another language with probability 0.9+
code               CSS / JavaScript / HTML left in the text (any language);
                   around prose, only the markup
interface          web-interface lines and sentences: skip links, comment
                   forms, sharing and subscription calls (English documents)
menu               menus and link lists: separator-delimited items, runs of 3+
                   short items (English documents)
repeated           lines repeated across documents of an outlet or the corpus
                   (given by :func:`researchlib.furniture.repeated_lines`)
title              a heading-like first paragraph (before a byline/dateline or
                   the body)
heading            short unpunctuated lines between body paragraphs
duplicate          a paragraph repeating an earlier one (quotes, case, spacing
                   and punctuation ignored)
=================  =========================================================

The features behind ``code``, ``interface``, ``menu`` and ``repeated`` are in
:mod:`researchlib.furniture`. Paragraphs broken mid-sentence ("… deepen
relations in the" / "face of …") are rejoined with a single space; the
whitespace between them is whitespace. ``menu`` and the body test of
``interface`` judge such fragments joined, as the clean text shows them (a
second clean sees one paragraph), so cleaning the clean text changes nothing.

Known limits
------------
``pasted_post`` only sees tweet-register cues, so a pasted post written like
news copy is kept as the outlet's text; sentence units come from a light
splitter (a full stop followed by a capital, abbreviations such as "Mr." and
"U.S." excepted), so a promo glued to body text without a full stop goes with
that sentence or stays; a foreign-language phrase inside an English sentence
stays; the ``repeated`` rule needs the whole corpus, so ``load_corpus`` runs it
(a second pass over the documents holding a repeated line) and the streaming
``researchlib analyse`` does not; the
layout is one per document (a document mixing hard-wrapped and one-per-line
parts is judged by its majority); see :mod:`researchlib.furniture` and
:mod:`researchlib.language` for theirs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import furniture
from .language import ENGLISH, MIN_WORDS, detect, has_non_latin, non_latin_share
from .text import (ASCII_NON_WORD_TO_SPACE, MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES, alternatives,
                   count_tokens, fold_like_re_i, normalize_quotes, trie_regex)

__all__ = ["Cleaned", "clean_text", "RULES", "LAYOUTS"]

LAYOUTS = ("blank-line", "one-per-line", "wrapped")
MIN_LETTERS = 20    # a document is called another language on at least 20 letters of it
_ALNUM = re.compile(r"[^\W_]")


@dataclass(eq=False)
class Para:
    """A paragraph of the raw text: ``raw[start:end]`` less its ``cuts``."""
    raw: str = field(repr=False)
    start: int
    end: int
    label: str = "keep"        # "keep" or the rule that removed it
    join_prev: bool = False    # continues the previous kept paragraph
    cuts: list = field(default_factory=list)   # parts removed inside it: (start, end, rule), sorted
    memo: dict = field(default_factory=dict)   # (rule, text) -> result (rules rerun to a fixed point)
    lang: str = ENGLISH
    pieces: list = field(default=None, repr=False)   # raw (start, end) of the kept parts, stripped
    text: str = field(default=None, repr=False)      # the kept parts joined by a space, line breaks as spaces
    folded: str = field(default=None, repr=False)    # fold_like_re_i(text), for the rules' pre-filters

    def __post_init__(self):
        self._update()

    def _update(self):
        out, pos = [], self.start
        for s, e, _ in [*self.cuts, (self.end, self.end, "")]:
            seg = self.raw[pos:s]
            a, b = pos + len(seg) - len(seg.lstrip()), pos + len(seg.rstrip())
            if b > a:
                out.append((a, b))
            pos = max(pos, e)
        self.pieces = out
        self.text = " ".join(self.raw[s:e] for s, e in out).replace("\n", " ")
        self.folded = fold_like_re_i(self.text)

    def raw_at(self, i: int) -> int:
        """Raw offset of position ``i`` of :attr:`text`."""
        t = 0
        for a, b in self.pieces:
            if i <= t + (b - a):
                return a + (i - t)
            t += b - a + 1
        return self.end

    def cut(self, s: int, e: int, rule: str):
        """Remove raw ``[s, e)`` (what is not removed yet) with ``rule``; a
        paragraph left without letters or digits goes with the rule."""
        new, pos = [], s
        for a, b, _ in self.cuts:
            if b <= pos or a >= e:
                continue
            if a > pos:
                new.append((pos, a, rule))
            pos = max(pos, b)
        if pos < e:
            new.append((pos, e, rule))
        if new:
            self.cuts = sorted(self.cuts + new)
            self._update()
            if not _ALNUM.search(self.text):
                self.label = rule


@dataclass
class Cleaned:
    text: str
    spans: list = field(default_factory=list)       # (raw_start, raw_end, label)
    paragraphs: list = field(default_factory=list)  # (start, end) in text
    meta: dict = field(default_factory=dict)
    layout: str = "blank-line"                      # one of LAYOUTS
    language: str = ENGLISH                         # ISO 639-1 code of the document
    paragraph_languages: list = field(default_factory=list)   # one per paragraph
    warnings: list = field(default_factory=list)    # sentences for Corpus.warnings
    line_keys: list = field(default_factory=list)   # kept lines that may be repeated furniture
    n_words: int = 0                                # word tokens (text.TOKEN) of ``text``

    @property
    def removed(self):
        """(rule, text) for every removed span (whitespace excluded)."""
        return [(label, raw) for (_, _, label, raw) in self._spans_text
                if label not in ("keep", "space")]

    _spans_text: list = field(default_factory=list, repr=False)


@dataclass
class _Ctx:
    meta: dict
    language: str = ENGLISH
    repeated: frozenset = frozenset()


_MONTH = "(?:" + alternatives([*MONTH_NAMES, *MONTH_ABBREVIATIONS]) + r")\.?"
_WEEKDAY = "(?:" + alternatives(WEEKDAY_NAMES) + ")"
_DATE_ONLY = re.compile(rf"^(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)$")
_DATELINE_PREFIX = re.compile(
    rf"^(?:(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"          # Monday March 20, 2023 –
    rf"|[A-Z][A-Z.'-]{{2,}}(?:\s+[A-Z][A-Z.'-]+)*(?:,\s*{_MONTH}\s+\d{{1,2}})?(?:\s*\([A-Za-z .]+\))?)"  # MOSCOW (Reuters) -
    r"\s*(?:–|—|--|-)\s+(?=[A-Z“\"])")
_HEADER = re.compile(r"^\s*date (\d{4}-\d\d-\d\d)[ \t]*")
_HEADER_PREFIX = re.compile(r"^date \d{4}-\d\d-\d\d[ \t]*")
_LINE = re.compile(r"[^\n]*\S[^\n]*")


# Patterns with their fast pre-filters, built from one list per rule. Each
# entry is (literals, template): the template's "<>" stands for the literals
# (any of them, escaped), so every match of the pattern holds one of them and
# a text without any (folded as case-insensitive matching sees it) is skipped
# before the pattern is tried. The cheap look goes first: a text without any
# literal's anchor (``_anchor``: a part of each that starts with a rare
# character) holds no literal; a text with one is searched for the literals.
# tests/test_fast_paths.py and tests/test_clean_fast_paths.py check this.
def _any_of(literals) -> str:
    """An alternation of ``literals`` as written (escaped, longest first)."""
    return "|".join(re.escape(lit) for lit in sorted(literals, key=len, reverse=True))


#: Characters from the most to the least common in English text (letters by
#: their frequency; other characters count as rarer than all of these).
_COMMON_FIRST = " etaoinsrhldcumfpgwybv,.kxjqz"


def _anchor(literal: str, n: int = 4) -> str:
    """The ``n`` characters of ``literal`` that start with its least common
    character (:data:`_COMMON_FIRST`), or the whole literal if it is shorter.
    Every text holding the literal holds its anchor, and a scan for anchors
    tries few positions: they start with rare characters."""
    if len(literal) <= n:
        return literal
    starts = range(len(literal) - n + 1)
    i = max(starts, key=lambda k: _COMMON_FIRST.index(literal[k]) if literal[k] in _COMMON_FIRST
            else len(_COMMON_FIRST))       # the first of the rarest
    return literal[i:i + n]


class _Rule:
    """A rule's pattern and its pre-filter, from one list of (literals, template)."""

    def __init__(self, parts, *, flags=re.I, prefix=False):
        self.parts = list(parts)
        self.pattern = re.compile("|".join(t.replace("<>", "(?:" + _any_of(lits) + ")")
                                           for lits, t in self.parts), flags)
        self.literals = tuple(dict.fromkeys(lit.lower() if flags & re.I else lit
                                            for lits, _ in self.parts for lit in lits))
        self.fold = fold_like_re_i if flags & re.I else str
        self.prefix = prefix          # every template starts "^<>": the text must start with a literal
        self._any = re.compile(trie_regex(self.literals))
        self._anchors = re.compile(trie_regex({_anchor(lit) for lit in self.literals}))

    def may(self, text, *, folded=None) -> bool:
        """False only when the pattern surely does not match ``text``
        (``folded``: ``fold_like_re_i(text)``, when known)."""
        if folded is None or self.fold is str:
            folded = self.fold(text)
        if self.prefix:
            return folded.startswith(self.literals)
        return self._anchors.search(folded) is not None and self._any.search(folded) is not None

    def search(self, text) -> bool:
        """The plain method: ``pattern.search(text)``."""
        return self.pattern.search(text) is not None

    def fast_search(self, text, *, folded=None) -> bool:
        """:meth:`search`, skipped when the pre-filter says no."""
        return self.may(text, folded=folded) and self.pattern.search(text) is not None

    def may_para(self, p) -> bool:
        """:meth:`may` on a paragraph's text (folded once for all rules)."""
        return self.may(p.text, folded=p.folded)


SOCIAL_EMBED = [
    (("pic.twitter.com/",), r"<>"),
    (("twitter.com/", "x.com/"), r"<>\w+/status"),
    (("instagram.com/p/", "instagram.com/reel/"), r"<>"),
    (("t.me/",), r"<>\w"),
    (("(@",), r"^[—–-]\s*.{1,80}<>\w{1,30}\)\s+.{0,20}\d{4}$"),
    (("embed",), r"^<>(?:ded)?(?: (?:tweet|post|video))?\s*:?$"),
    (("view this post on instagram",), r"^<>\s*:?$"),
]
POST_OPENERS = ("BREAKING", "JUST IN", "NEW", "WATCH", "THREAD")
POST_WHILE = ("While", "As")
PASTED_POST = [          # case-sensitive: tweet register
    (POST_WHILE, r"^<>\s+(?:every(?:one|body)|the (?:whole )?world|the media|we|you|they)"
                 r"(?:'re|’re|\s+is|\s+are|\s+was|\s+were)\s+(?:all\s+)?(?:distracted|busy|focused|obsessed|talking|looking)\b"),
    (POST_OPENERS, r"^<>\s*:"),
    (("#",), r"(?:\s<>\w+)+\s*$"),
]
PROMO = [
    (("download",), r"\b<> (?:our|the) .{0,60}\bapp\b"),
    (("using the link here",), r"\b<>\b"),
    (("leave a reply", "leave a comment"), r"^<>\b"),
    (("subscribe now",), r"\b<>\b"),
    (("subscribe",), r"^<>\b.{0,80}$"),
    (("support the", "support our", "support us"), r"^<>\b.{0,60}$"),
    (("read more",), r"^<>\b.{0,40}$"),
    (("loading comments",), r"^<>"),
    (("click here", "tap here"), r"^<>\b"),
    (("follow us on",), r"^<>\b"),
    (("sign up for", "sign up to"), r"^<>\b.{0,80}$"),
    (("share this", "share on"), r"^<>\b.{0,40}$"),
    (("advertisement",), r"^<>$"),
    (("you may also like",), r"^<>\b"),
    (("comment",), r"^\d*\s*<>s?$"),
]
_PICTURE = ("file photo", "photo", "image", "picture")
CAPTION = [
    (("|",), r"<>\s*(?:" + _any_of([*_PICTURE, "video"]) + r")(?: credit)?s?\s*:.{1,80}$"),
    (_PICTURE, r"^<>s?(?: credit)?\s*:.{1,80}$"),
    (("/",), r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*<>\s*(?:[A-Z][\w.&'’-]*)(?:\s+[A-Z][\w.&'’-]*){0,3}$"),
    (("(ap", "(afp", "(reuters", "(epa", "(getty"), r"<>[^)]{0,60}\)$"),
]
RELATED = [
    (("related",), r"^<>(?: article| story| stories| content| news)?\s*:"),
    (("read also", "also read", "see also", "more on this"), r"^<>\s*:"),
]
_SOCIAL_EMBED = _Rule(SOCIAL_EMBED)
_PASTED_POST = _Rule(PASTED_POST, flags=0)
_PROMO = _Rule(PROMO)
_CAPTION = _Rule(CAPTION)
_RELATED = _Rule(RELATED, prefix=True)
_SOURCE_URL = re.compile(r"^(?:Original url|Originally published (?:at|on)|Source url)\s*:\s*(\S*)$|^((?:https?://|www\.)\S+)$", re.I)
_SIGNOFF = re.compile(
    r"^(?:With (?:additional )?reporting by|Additional reporting by|Reporting by|Compiled by"
    r"|Edited by|Editing by|Writing by)\b.{0,200}$", re.I)
_BYLINE = re.compile(r"^By\s+[A-Z][^.!?\n]{1,150}$")
_WIRES = re.compile(r"\b(Reuters|AP|AFP|Xinhua|TASS|dpa|Bloomberg|RIA Novosti|Interfax|Kyodo|UPI|EFE|ANSA|Sputnik)\b")
_TERMINAL = tuple(".!?:;,\"'”’)…>")
_LETTER = re.compile(r"[^\W\d_]")


def _heading_like(text: str) -> bool:
    return (len(text) <= 90 and 0 < len(text.split()) <= 12 and text[:1].isupper()
            and not text.endswith(_TERMINAL) and '"' not in normalize_quotes(text))


def _kept(paras):
    return [p for p in paras if p.label == "keep"]


# --- units: sentences of a paragraph -----------------------------------------
# A sentence end: [.!?…]+ and closing quotes before a space, or [。！？]+ and
# closing quotes. Written to open with one character class (each branch then
# checks which class that character was in), so that ``re`` skips straight to
# the candidates; tests/test_clean_fast_paths.py checks it against the plain
# alternation, _SENT_END_PLAIN.
_SENT_END_PLAIN = r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？]+[」』”’)]*"
_SENT_END = re.compile(r"[.!?…。！？](?:(?<=[.!?…])[.!?…]*[\"'”’»)\]]*(?=\s)|(?<=[。！？])[。！？]*[」』”’)]*)")
_NO_BREAK_AFTER = {"Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Prof", "Jr", "Sr", "Lt", "Col",
                   "Capt", "No", "Nos", "Vol", "vs", "Inc", "Co", "Ltd", *MONTH_ABBREVIATIONS}


def _sentences(p):
    """Raw (start, end) of the sentences of a paragraph's kept pieces: a break
    after . ! ? … (closing quotes included) before a capital, a digit or an
    opening quote, except after a title, an initial or an initialism; and after
    。！？."""
    out = []
    for a, b in p.pieces:
        seg = p.raw[a:b]
        start = 0
        for m in _SENT_END.finditer(seg):
            rest = seg[m.end():]
            nxt = rest.lstrip()
            if not nxt:
                break
            if m.group(0)[0] not in "。！？":
                first = nxt.lstrip("\"'“‘«([")[:1]
                if not first or first.islower():
                    continue
                before = seg[start:m.start()].split()
                word = before[-1] if before else ""
                if word in _NO_BREAK_AFTER or "." in word or (len(word) == 1 and word.isupper()):
                    continue
            end = m.end()
            out.append((a + start, a + end))
            start = end + len(rest) - len(nxt)
        out.append((a + start, b))
    return out


def _cut_units(p, rule, test, max_len=1 << 30, variant=None, may=None):
    """Remove the sentences of ``p`` that pass ``test``; all of them: the
    paragraph. ``may``: a pre-filter on the paragraph (False: no sentence
    can pass); ``variant`` tells apart memoised results of different
    tests. Results are memoised per paragraph text (rules rerun)."""
    key = (rule, variant, "units", p.text)
    hits = p.memo.get(key)
    if hits is None:
        if may is not None and not may(p):
            hits = ((), False)
        else:
            units = _sentences(p)
            found = [(s, e) for s, e in units if e - s <= max_len and test(p.raw[s:e].replace("\n", " "))]
            hits = (found, len(found) == len(units))
        p.memo[key] = hits
    found, whole = hits
    if whole and found:
        p.label = rule
    else:
        for s, e in found:
            p.cut(s, e, rule)


# --- rules: each labels paragraphs (or cuts parts of them) and may add metadata

def _label_where(paras, rule, pattern, max_len=400):
    """Label the kept paragraphs (up to ``max_len`` characters) where the
    :class:`_Rule` ``pattern`` matches; fragments broken mid-sentence (see
    ``join_broken``) also when it matches them joined, as the clean text
    shows them."""
    for p in _kept(paras):
        if len(p.text) <= max_len:
            key = (rule, p.text)
            hit = p.memo.get(key)
            if hit is None:
                hit = p.memo[key] = pattern.fast_search(p.text, folded=p.folded)
            if hit:
                p.label = rule
    for g in _fragment_groups(_kept(paras)):
        if len(g) == 1:
            continue
        text = _text(g)
        if len(text) <= max_len:
            key = (rule, "joined", text)
            hit = g[0].memo.get(key)
            if hit is None:
                hit = g[0].memo[key] = pattern.fast_search(text)
            if hit:
                for p in g:
                    p.label = rule


def social_embed(paras, ctx):
    """A post with its text (up to 400 characters) goes whole; in a longer
    paragraph only the sentences holding a post link or attribution go."""
    _label_where(paras, "social_embed", _SOCIAL_EMBED, max_len=400)
    for p in _kept(paras):
        if len(p.text) > 400:
            _cut_units(p, "social_embed", _SOCIAL_EMBED.fast_search, may=_SOCIAL_EMBED.may_para)


def pasted_post(paras, ctx):
    _label_where(paras, "pasted_post", _PASTED_POST, max_len=280)


def _foreign_script(text):
    return non_latin_share(text) > 0.3


def _has_foreign_script(text):
    return has_non_latin(text)


def non_english(paras, ctx):
    """In an English document: paragraphs, else sentences, mostly in a
    non-Latin script; Latin-script paragraphs the detector calls another
    language (module doc)."""
    if ctx.language != ENGLISH:
        return
    for p in _kept(paras):
        _cut_units(p, "non_english", _foreign_script, may=lambda p: _has_foreign_script(p.text))
        if p.label == "keep" and _other_latin_language(p):
            p.label = "non_english"


_THE_AND = re.compile(r"\b(?:the|and)\b", re.I)


def _other_latin_language(p):
    """A Latin-script paragraph of MIN_WORDS+ words in another language. Only
    paragraphs without "the" or "and" and with under 25% English function
    words are sent to the detector (its first 400 characters)."""
    key = ("language", p.text)
    hit = p.memo.get(key)
    if hit is None:
        text = p.text
        hit = (not _THE_AND.search(text) and len(text.split(None, MIN_WORDS)) >= MIN_WORDS
               and furniture.function_share(text) < 0.25 and detect(text, max_chars=400)[0] != ENGLISH)
        p.memo[key] = hit
    return hit


def promo(paras, ctx):
    """Promos, sentence by sentence (max 300 characters each)."""
    for p in _kept(paras):
        _cut_units(p, "promo", _PROMO.search, max_len=300, may=_PROMO.may_para)


def caption(paras, ctx):
    _label_where(paras, "caption", _CAPTION, max_len=400)


def related(paras, ctx):
    _label_where(paras, "related", _RELATED, max_len=300)


def source_url(paras, ctx):
    for p in _kept(paras):
        m = _SOURCE_URL.match(p.text)
        if m:
            p.label = "source_url"
            url = m.group(1) or m.group(2)
            if url:
                ctx.meta.setdefault("urls", []).append(url)


def signoff(paras, ctx):
    for p in _kept(paras):
        if _SIGNOFF.match(p.text):
            p.label = "signoff"
            ctx.meta["signoff"] = p.text
            ctx.meta["credits"] = sorted(set(_WIRES.findall(p.text)))


def byline(paras, ctx):
    """"By ..." in the first five paragraphs (a fragment that continues the
    one before it, see ``join_broken``, does not count)."""
    n, prev = 0, None
    for p in _kept(paras):
        n += not (prev is not None and _continues(prev, p))
        prev = p
        if n > 5:
            break
        if _BYLINE.match(p.text) and len(p.text.split()) <= 16:
            p.label = "byline"
            ctx.meta.setdefault("byline", p.text[3:].strip())
            ctx.meta["credits"] = sorted(set(ctx.meta.get("credits", [])) | set(_WIRES.findall(p.text)))


def date_only(paras, ctx):
    for p in _kept(paras):
        if _DATE_ONLY.match(p.text):
            p.label = "dateline"
            ctx.meta.setdefault("dateline", p.text)


def code(paras, ctx):
    """CSS / JavaScript / HTML paragraphs (furniture.code_like); HTML markup
    around prose: only the markup (furniture.markup_spans)."""
    for p in _kept(paras):
        key = ("code", p.text)
        hit = p.memo.get(key)
        if hit is None:
            hit = p.memo[key] = furniture.code_like(p.text) and \
                [(p.raw_at(s), p.raw_at(e)) for s, e in furniture.markup_spans(p.text)]
        if hit is False:
            continue
        if not hit:
            p.label = "code"
        for s, e in hit:
            p.cut(s, e, "code")


_UNSET = object()


def _continues(a, b):
    """Whether kept paragraph ``b`` continues ``a`` (broken mid-sentence: see
    ``join_broken``)."""
    return not a.text.endswith(_TERMINAL) and b.text[:1].islower()


def _fragment_groups(kept):
    """``kept`` paragraphs grouped with the fragments that continue them, as
    the clean text will show them (``join_broken`` marks the same groups)."""
    groups = []
    for p in kept:
        if groups and _continues(groups[-1][-1], p):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _has_body(paras):
    """Whether some kept paragraph is body text (not a short or menu item,
    see ``_menu_items``)."""
    for g in _fragment_groups(_kept(paras)):
        if not (_menu_item(g[0]) if len(g) == 1 else _joined_menu_item(g))[1]:
            return True
    return False


def _menu_item(p):
    key = ("menu", p.text)
    hit = p.memo.get(key)
    if hit is None:
        line = furniture.menu_line(p.text)
        hit = p.memo[key] = (line, line or furniture.short_item(p.text))
    return hit


def _joined_menu_item(g):
    """:func:`_menu_item` of a paragraph's fragments joined."""
    text = _text(g)
    key = ("menu-joined", text)
    hit = g[0].memo.get(key)
    if hit is None:
        line = furniture.menu_line(text)
        hit = g[0].memo[key] = (line, line or furniture.short_item(text))
    return hit


def _menu_items(kept):
    """{id(p): (menu line, menu or short item)} of the ``kept`` paragraphs.
    A fragment that continues, or is continued by, another (``join_broken``)
    is judged with them, as the clean text shows them: it is an item when
    the joined paragraph is one, and a menu line when it is one or the joined
    paragraph is (so a second clean, which sees the joined paragraph, judges
    it the same way)."""
    out = {}
    for g in _fragment_groups(kept):
        if len(g) == 1:
            out[id(g[0])] = _menu_item(g[0])
            continue
        hit = _joined_menu_item(g)
        for p in g:
            line = _menu_item(p)[0] or hit[0]
            out[id(p)] = (line, line or hit[1])
    return out


def interface(paras, ctx):
    """Web-interface lines, else sentences (furniture.interface_evidence):
    weak evidence counts only in a document with body text, and not in its
    first paragraph."""
    if ctx.language != ENGLISH:
        return
    kept = _kept(paras)
    body = _has_body(paras)
    for i, p in enumerate(kept):
        levels = ("strong", "weak") if body and i > 0 else ("strong",)
        key = ("interface", p.text)
        ev = p.memo.get(key, _UNSET)
        if ev is _UNSET:     # False: no interface word at all
            ev = p.memo[key] = furniture.may_be_interface(p.text, folded=p.folded) and \
                furniture.interface_evidence(p.text, prefiltered=True)
        if ev in levels:
            p.label = "interface"
        elif ev is not False:
            _cut_units(p, "interface", lambda t: furniture.interface_evidence(t) in levels, variant=levels)


_FURNITURE = ("promo", "interface", "code", "menu", "repeated")


def menu(paras, ctx):
    """Separator-delimited menu lines; in a document with body text, runs of
    3+ short items, counting the neighbouring lines already removed as
    furniture (``_FURNITURE``) and passing over those removed by other rules
    (the clean text does not hold them); a paragraph broken mid-sentence is
    judged joined (``_menu_items``). The last item of a run stays when it is
    heading-like and the body follows it (the title after a menu)."""
    if ctx.language != ENGLISH:
        return
    # removed paragraphs other than furniture neither count nor break a run: the
    # clean text (and a second clean) does not hold them
    paras = [p for p in paras if p.label == "keep" or p.label in _FURNITURE]
    member = []
    items = _menu_items(_kept(paras))
    for p in paras:
        if p.label != "keep":
            member.append(True)
            continue
        line, item = items[id(p)]
        if line:
            p.label = "menu"
        member.append(item)
    if not _has_body(paras):
        return
    run = 0
    for i in range(len(paras) + 1):
        if i < len(paras) and member[i]:
            run += 1
            continue
        items = paras[i - run:i]
        if items and items[-1].label == "keep" and _heading_like(items[-1].text) and i < len(paras) \
                and paras[i].label == "keep":
            items = items[:-1]
        if len(items) >= 3:
            for p in items:
                if p.label == "keep":
                    p.label = "menu"
        run = 0


def repeated(paras, ctx):
    """Lines given as repeated across documents (furniture.repeated_lines)."""
    if not ctx.repeated:
        return
    for p in _kept(paras):
        if _key(p) in ctx.repeated:
            p.label = "repeated"


def dateline(paras, ctx):
    kept = _kept(paras)
    if not kept:
        return 0
    first = kept[0]
    while first.label == "keep":   # header and dateline prefixes of the first kept paragraph
        m = _HEADER_PREFIX.match(first.text)
        rule = "date_header"
        if not m:
            m, rule = _DATELINE_PREFIX.match(first.text), "dateline"
        if not m or not m.end():
            break
        rest = first.text[m.end():]
        cut = m.end() + len(rest) - len(rest.lstrip())
        if cut >= len(first.text):
            first.label = rule
            break
        if rule == "dateline":
            ctx.meta.setdefault("dateline", m.group(0).strip(" –—-"))
        first.cut(first.pieces[0][0], first.raw_at(cut), rule)


def _groups(paras):
    """Kept paragraphs grouped with the fragments that continue them."""
    groups = []
    for p in _kept(paras):
        if p.join_prev and groups:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _text(group):
    return " ".join(p.text for p in group)


def title(paras, ctx):
    groups = _groups(paras)
    if len(groups) >= 2 and _heading_like(_text(groups[0])) and groups[0][0].start < _first_body_start(groups):
        for p in groups[0]:
            p.label = "title"
        ctx.meta["title"] = _text(groups[0])


def _first_body_start(groups):
    """Raw offset of the first paragraph that is body text (not heading-like)."""
    for g in groups:
        if not _heading_like(_text(g)):
            return g[0].start
    return 1 << 62


def join_broken(paras, ctx):
    kept = _kept(paras)
    for a, b in zip(kept, kept[1:]):
        if _continues(a, b):
            b.join_prev = True


def heading(paras, ctx):
    for g in _groups(paras)[:-1]:
        if _heading_like(_text(g)):
            for p in g:
                p.label = "heading"
            if _text(g) not in ctx.meta.setdefault("headings", []):
                ctx.meta["headings"].append(_text(g))


def _duplicate_key(text):
    """Words only, lower-cased: ``re.sub(r"\\W+", " ", text).lower().strip()``."""
    text = normalize_quotes(text)
    if text.isascii():
        return " ".join(text.translate(ASCII_NON_WORD_TO_SPACE).split()).lower()
    return re.sub(r"\W+", " ", text).lower().strip()


def _key(p):
    key = p.memo.get(("duplicate", p.text))
    if key is None:
        key = p.memo[("duplicate", p.text)] = _duplicate_key(p.text)
    return key


_PREFIX_RULES = ("date_header", "dateline")


def _letter_counts(text):
    """How many letters e, t and a ``text`` holds, lower-cased: as many as its
    duplicate key (``_duplicate_key`` keeps every letter, lower-cased, and
    only E, T and A lower-case to e, t and a), so texts whose counts differ
    have different keys."""
    text = text.lower()
    return text.count("e"), text.count("t"), text.count("a")


def _may_repeat(paras):
    """False only when no paragraph can repeat another: the paragraphs and the
    groups of fragments joined (what ``duplicate`` compares) all differ in
    :func:`_letter_counts`, so their keys all differ (a fast path: most
    documents then compute no key)."""
    texts = [p.text for p in paras] + [_text(g) for g in _groups(paras) if len(g) > 1]
    return len({_letter_counts(t) for t in texts}) < len(texts)


def duplicate(paras, ctx):
    """A kept paragraph (with the fragments that continue it) repeating any
    earlier paragraph, kept or removed."""
    if not _may_repeat(paras):
        return
    seen = set()

    def check(group):
        key = _duplicate_key(_text(group)) if len(group) > 1 else _key(group[0])
        if key in seen and (len(key.split()) >= 3 or not any(r in _PREFIX_RULES for p in group for *_, r in p.cuts)):
            for p in group:
                p.label = "duplicate"
        seen.add(key)
        if len(group) > 1:
            seen.update(_key(p) for p in group)

    group, later = [], []     # later: removed paragraphs after the open group's start
    for p in paras:
        if p.label != "keep":
            if group:
                later.append(_key(p))
            else:
                seen.add(_key(p))
        elif p.join_prev and group:
            group.append(p)
        else:
            if group:
                check(group)
                seen.update(later)
                later = []
            group = [p]
    if group:
        check(group)


RULES = [social_embed, pasted_post, promo, caption, related, source_url, signoff, byline, date_only,
         non_english, code, interface, menu, repeated, join_broken, title, heading, duplicate, dateline]


# --- paragraphs and language of a document ------------------------------------

def _paragraph_spans(raw: str, pos: int):
    """(paragraph spans, layout): see "Paragraphs" in the module doc."""
    lines = []
    for m in _LINE.finditer(raw, pos):
        seg = m.group(0)
        lines.append((m.start() + len(seg) - len(seg.lstrip()), m.start() + len(seg.rstrip())))
    single = [i for i in range(len(lines) - 1) if raw.count("\n", lines[i][1], lines[i + 1][0]) < 2]
    if not single:
        return lines, "blank-line"
    mid = sum(1 for i in single
              if not raw[lines[i][0]:lines[i][1]].endswith(_TERMINAL) and raw[lines[i + 1][0]].islower())
    if mid * 4 < len(single):
        return lines, "one-per-line"
    joined, blocks = set(single), []
    for i, (s, e) in enumerate(lines):
        if i - 1 in joined:
            blocks[-1] = (blocks[-1][0], e)
        else:
            blocks.append((s, e))
    return blocks, "wrapped"


def _document_language(paras) -> str:
    """English unless the whole text is detected as another language, its
    English paragraphs hold less than a third of its letters and the others
    at least ``MIN_LETTERS``."""
    text = "\n".join(p.text for p in paras)
    code, _ = detect(text)
    if code == ENGLISH:
        return ENGLISH
    letters = {}
    for p in paras:
        p.lang = detect(p.text)[0]
        letters[p.lang] = letters.get(p.lang, 0) + len(_LETTER.findall(p.text))
    total = sum(letters.values())
    english = letters.get(ENGLISH, 0)
    if english * 3 >= total or total - english < MIN_LETTERS:
        for p in paras:
            p.lang = ENGLISH if p.lang == ENGLISH or not _foreign_script(p.text) else p.lang
        return ENGLISH
    return code


def _warnings(raw, spans, kept) -> list:
    """A rule that removed more than half of the words (or rules that did
    together); no words left. Words: ``TOKEN``, the date header not counted;
    ``kept``: the words of the clean text."""
    by_rule = {}
    for s, e, label in spans:
        if label not in ("keep", "space", "date_header"):
            n = count_tokens(raw[s:e])
            if n:
                by_rule[label] = by_rule.get(label, 0) + n
    removed = sum(by_rule.values())
    total = removed + kept
    rules = ", ".join(f"{r} ({n} words)" for r, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])))
    if removed == total:
        return [f"cleaning removed all {total} words of the text; removed by: {rules}"] if total else \
            ["the text holds no words"]
    out = [f"cleaning rule {r!r} removed {n} of {total} words ({100 * n / total:.0f}%)"
           for r, n in sorted(by_rule.items()) if n * 2 > total]
    if not out and removed * 2 > total:
        out.append(f"cleaning removed {removed} of {total} words ({100 * removed / total:.0f}%); removed by: {rules}")
    return out


def clean_text(raw: str, *, language: str | None = None, repeated=frozenset()) -> Cleaned:
    """Clean one document. Never raises on any ``str``; see the module doc.

    ``language``: the document's ISO 639-1 code if known (else detected);
    ``repeated``: line keys to remove as ``repeated`` (corpus-level furniture
    from :func:`researchlib.furniture.repeated_lines`).
    """
    meta: dict = {}
    spans = []
    pos = 0
    m = _HEADER.match(raw)
    if m:
        meta["header_date"] = m.group(1)
        spans.append((0, m.end(), "date_header"))
        pos = m.end()
    blocks, layout = _paragraph_spans(raw, pos)
    paras = [Para(raw, s, e) for s, e in blocks]
    ctx = _Ctx(meta, language or _document_language(paras), frozenset(repeated))
    for _ in range(20):   # to a fixed point: a second clean changes nothing
        before = [(p.label, len(p.cuts), p.join_prev) for p in paras]
        for p in paras:
            p.join_prev = False
        for rule in RULES:
            rule(paras, ctx)
        if before == [(p.label, len(p.cuts), p.join_prev) for p in paras]:
            break
    # assemble text and the partition of raw
    out, paragraphs, langs, line_keys, length = [], [], [], [], 0
    cursor = pos
    for p in paras:
        if p.start > cursor:
            spans.append((cursor, p.start, "space"))
        at = p.start
        for s, e, rule in [*p.cuts, (p.end, p.end, None)]:
            if s > at:
                seg = raw[at:s]
                a, b = at + len(seg) - len(seg.lstrip()), at + len(seg.rstrip())
                if b <= a:
                    a = b = s
                if a > at:
                    spans.append((at, a, "space"))
                if b > a:
                    spans.append((a, b, p.label))
                if s > b:
                    spans.append((b, s, "space"))
            if rule is not None and e > s:
                spans.append((s, e, rule))
            at = max(at, e)
        if p.label == "keep":
            if paragraphs and p.join_prev:
                out.append(" ")
                length += 1
                ps, _ = paragraphs.pop()
            else:
                if paragraphs:
                    out.append("\n\n")
                    length += 2
                ps = length
                langs.append(p.lang if ctx.language != ENGLISH else ENGLISH)
            out.append(p.text)
            length += len(p.text)
            paragraphs.append((ps, length))
            if _candidate(p.text, ctx.language):
                line_keys.append(_key(p))
        cursor = max(cursor, p.end)
    if cursor < len(raw):
        spans.append((cursor, len(raw), "space"))
    spans.sort()
    text = "".join(out)
    n_words = count_tokens(text)
    cleaned = Cleaned(text, spans, paragraphs, meta, layout, ctx.language, langs,
                      _warnings(raw, spans, n_words), line_keys, n_words)
    cleaned._spans_text = [(s, e, lab, raw[s:e]) for s, e, lab in spans]
    return cleaned


def _candidate(text, language):
    """A kept line that would go if repeated across documents: not prose
    (:func:`researchlib.furniture.prose_like`) in English, not ending like a
    sentence in other languages (words are not spaced in all of them)."""
    if language == ENGLISH:
        return not furniture.prose_like(text)
    return not furniture.ends_sentence(text)
