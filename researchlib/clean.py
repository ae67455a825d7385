"""Cleaning: raw article text -> the outlet's own body text, with an audit trail.

Each rule is a small named function with one job. A rule looks at the paragraphs
of a document (blocks separated by blank lines) and labels the ones it removes,
or trims a prefix off one. Nothing is edited in place: ``clean_text`` returns the
clean text *and* a partition of the raw text into labelled spans, so every input
character is either kept, whitespace between paragraphs, or removed by a named
rule (``Cleaned.spans``). Metadata found on the way (title, byline, dateline,
headings, wire credits, URLs) is returned in ``Cleaned.meta``.

Rules (in the order they run; see ``RULES``):

=================  =========================================================
date_header        the leading `` date YYYY-MM-DD`` header of the seed format
social_embed       embedded social posts: pic.twitter.com / status links, the
                   "— Name (@handle) Month D, YYYY" attribution line, "Embed:"
pasted_post        text pasted from a social post without its embed, recognised
                   by tweet register ("While everyone is distracted with …",
                   "BREAKING:", trailing hashtags). A heuristic: see limits.
non_english        paragraphs mostly in a non-Latin script (e.g. Cyrillic)
promo              app / subscription / comment-form / "Read More" promos
caption            photo captions and credits ("Name / AGENCY", "| Photo credit:")
related            "Related article: …", "Read also: …"
source_url         "Original url:" lines and paragraphs that are only a URL
signoff            wire sign-offs ("With reporting by Reuters, AP, and AFP")
byline             "By A and B for AFP" near the top
dateline           a paragraph that is only a date; a leading dateline prefix
                   ("Monday March 20, 2023 – ", "MOSCOW (Reuters) - ")
title              a heading-like first paragraph (before a byline/dateline or
                   the body)
heading            short unpunctuated lines between body paragraphs
duplicate          a paragraph repeating an earlier one (quotes, case, spacing
                   and punctuation ignored)
=================  =========================================================

Paragraphs broken mid-sentence ("… deepen relations in the" / "face of …")
are rejoined with a single space; the blank line between them is whitespace.

Known limits: rules work on whole paragraphs (a promo or a foreign-language
phrase inside a body paragraph stays); ``pasted_post`` only sees tweet-register
cues, so a pasted post written like news copy is kept as the outlet's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import fold_like_re_i, normalize_quotes, trie_regex

__all__ = ["Cleaned", "clean_text", "RULES"]


@dataclass
class Para:
    start: int
    end: int
    text: str
    label: str = "keep"        # "keep" or the rule that removed it
    join_prev: bool = False    # continues the previous kept paragraph
    cuts: list = field(default_factory=list)   # prefixes trimmed off: (start, end, rule)
    memo: dict = field(default_factory=dict)   # (rule, text) -> pattern found? (rules rerun to a fixed point)


@dataclass
class Cleaned:
    text: str
    spans: list = field(default_factory=list)       # (raw_start, raw_end, label)
    paragraphs: list = field(default_factory=list)  # (start, end) in text
    meta: dict = field(default_factory=dict)

    @property
    def removed(self):
        """(rule, text) for every removed span (whitespace excluded)."""
        return [(label, raw) for (_, _, label, raw) in self._spans_text
                if label not in ("keep", "space")]

    _spans_text: list = field(default_factory=list, repr=False)


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE_ONLY = re.compile(rf"^(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)$")
_DATELINE_PREFIX = re.compile(
    rf"^(?:(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"          # Monday March 20, 2023 –
    rf"|[A-Z][A-Z.'-]{{2,}}(?:\s+[A-Z][A-Z.'-]+)*(?:,\s*{_MONTH}\s+\d{{1,2}})?(?:\s*\([A-Za-z .]+\))?)"  # MOSCOW (Reuters) -
    r"\s*(?:–|—|--|-)\s+(?=[A-Z“\"])")
_HEADER = re.compile(r"^\s*date (\d{4}-\d\d-\d\d)[ \t]*")
_HEADER_PREFIX = re.compile(r"^date \d{4}-\d\d-\d\d[ \t]*")
_PARA = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")

_SOCIAL_EMBED = re.compile(
    r"pic\.twitter\.com/|(?:twitter|x)\.com/\w+/status|instagram\.com/(?:p|reel)/|t\.me/\w"
    r"|^[—–-]\s*.{1,80}\(@\w{1,30}\)\s+.{0,20}\d{4}$"
    r"|^(?:Embed(?:ded)?(?: (?:tweet|post|video))?|View this post on Instagram)\s*:?$",
    re.I)
_PASTED_POST = re.compile(
    r"^(?:While|As)\s+(?:every(?:one|body)|the (?:whole )?world|the media|we|you|they)"
    r"(?:'re|’re|\s+is|\s+are|\s+was|\s+were)\s+(?:all\s+)?(?:distracted|busy|focused|obsessed|talking|looking)\b"
    r"|^(?:BREAKING|JUST IN|NEW|WATCH|THREAD)\s*:"
    r"|(?:\s#\w+)+\s*$")
_PROMO = re.compile(
    r"\bdownload (?:our|the) .{0,60}\bapp\b|\busing the link here\b|^leave a (?:reply|comment)\b"
    r"|\bsubscribe now\b|^subscribe\b.{0,80}$|^support (?:the|our|us)\b.{0,60}$"
    r"|^read more\b.{0,40}$|^loading comments|^(?:click|tap) here\b|^follow us on\b"
    r"|^sign up (?:for|to)\b.{0,80}$|^share (?:this|on)\b.{0,40}$|^advertisement$"
    r"|^you may also like\b|^\d*\s*comments?$",
    re.I)
_CAPTION = re.compile(
    r"\|\s*(?:(?:file )?photo|image|picture|video)(?: credit)?s?\s*:.{1,80}$"
    r"|^(?:(?:file )?photo|image|picture)s?(?: credit)?\s*:.{1,80}$"
    r"|^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*/\s*(?:[A-Z][\w.&'’-]*)(?:\s+[A-Z][\w.&'’-]*){0,3}$"
    r"|\((?:AP|AFP|Reuters|EPA|Getty)[^)]{0,60}\)$",
    re.I)
_RELATED = re.compile(
    r"^(?:Related(?: article| story| stories| content| news)?|Read also|Also read|See also|More on this)\s*:", re.I)
_SOURCE_URL = re.compile(r"^(?:Original url|Originally published (?:at|on)|Source url)\s*:\s*(\S*)$|^((?:https?://|www\.)\S+)$", re.I)
_SIGNOFF = re.compile(
    r"^(?:With (?:additional )?reporting by|Additional reporting by|Reporting by|Compiled by"
    r"|Edited by|Editing by|Writing by)\b.{0,200}$", re.I)
_BYLINE = re.compile(r"^By\s+[A-Z][^.!?\n]{1,150}$")
_WIRES = re.compile(r"\b(Reuters|AP|AFP|Xinhua|TASS|dpa|Bloomberg|RIA Novosti|Interfax|Kyodo|UPI|EFE|ANSA|Sputnik)\b")
_TERMINAL = tuple(".!?:;,\"'”’)…>")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")   # letters outside Latin scripts
_LETTER = re.compile(r"[^\W\d_]")


# Fast pre-filters: a paragraph can match a rule's pattern only if its text,
# folded as case-insensitive matching sees it, holds one of the rule's literals
# (tests/test_fast_paths.py).
def _any_literal(*literals):
    rx = re.compile(trie_regex(literals))
    return lambda text: rx.search(fold_like_re_i(text)) is not None


_MAY = {
    "social_embed": _any_literal("twitter.com/", "x.com/", "instagram.com/", "t.me/", "(@", "embed", "view this post"),
    "pasted_post": lambda text: "#" in text or text.startswith(("While", "As", "BREAKING", "JUST IN", "NEW", "WATCH",
                                                                 "THREAD")),
    "promo": _any_literal("download", "using the link here", "leave a", "subscribe", "support", "read more",
                          "loading comments", "click here", "tap here", "follow us on", "sign up", "share",
                          "advertisement", "you may also like", "comment"),
    "caption": _any_literal("|", "/", "photo", "image", "picture", "(ap", "(afp", "(reuters", "(epa", "(getty"),
    "related": lambda text: fold_like_re_i(text).startswith(("related", "read also", "also read", "see also", "more on this")),
}


def _heading_like(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= 12 and len(text) <= 90 and text[:1].isupper()
            and not text.endswith(_TERMINAL) and '"' not in normalize_quotes(text))


def _kept(paras):
    return [p for p in paras if p.label == "keep"]


# --- rules: each labels paragraphs (or trims a prefix) and may add metadata ----

def _label_where(paras, rule, pattern, max_len=400):
    may = _MAY[rule]
    for p in _kept(paras):
        if len(p.text) <= max_len:
            key = (rule, p.text)
            hit = p.memo.get(key)
            if hit is None:
                hit = p.memo[key] = may(p.text) and pattern.search(p.text) is not None
            if hit:
                p.label = rule


def social_embed(paras, meta):
    _label_where(paras, "social_embed", _SOCIAL_EMBED, max_len=2000)


def pasted_post(paras, meta):
    _label_where(paras, "pasted_post", _PASTED_POST, max_len=280)


def non_english(paras, meta):
    for p in _kept(paras):
        if p.text.isascii() or not _NON_LATIN.search(p.text):
            continue
        letters = len(_LETTER.findall(p.text))
        if letters and len(_NON_LATIN.findall(p.text)) / letters > 0.3:
            p.label = "non_english"


def promo(paras, meta):
    _label_where(paras, "promo", _PROMO, max_len=300)


def caption(paras, meta):
    _label_where(paras, "caption", _CAPTION, max_len=400)


def related(paras, meta):
    _label_where(paras, "related", _RELATED, max_len=300)


def source_url(paras, meta):
    for p in _kept(paras):
        m = _SOURCE_URL.match(p.text)
        if m:
            p.label = "source_url"
            url = m.group(1) or m.group(2)
            if url:
                meta.setdefault("urls", []).append(url)


def signoff(paras, meta):
    for p in _kept(paras):
        if _SIGNOFF.match(p.text):
            p.label = "signoff"
            meta["signoff"] = p.text
            meta["credits"] = sorted(set(_WIRES.findall(p.text)))


def byline(paras, meta):
    for p in _kept(paras)[:5]:
        if _BYLINE.match(p.text) and len(p.text.split()) <= 16:
            p.label = "byline"
            meta.setdefault("byline", p.text[3:].strip())
            meta["credits"] = sorted(set(meta.get("credits", [])) | set(_WIRES.findall(p.text)))


def date_only(paras, meta):
    for p in _kept(paras):
        if _DATE_ONLY.match(p.text):
            p.label = "dateline"
            meta.setdefault("dateline", p.text)


def dateline(paras, meta):
    kept = _kept(paras)
    if not kept:
        return 0
    first = kept[0]
    while True:   # header and dateline prefixes of the first kept paragraph
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
            meta.setdefault("dateline", m.group(0).strip(" –—-"))
        first.cuts.append((first.start, first.start + cut, rule))
        first.start += cut
        first.text = first.text[cut:]


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


def title(paras, meta):
    groups = _groups(paras)
    if len(groups) >= 2 and _heading_like(_text(groups[0])) and groups[0][0].start < _first_body_start(groups):
        for p in groups[0]:
            p.label = "title"
        meta["title"] = _text(groups[0])


def _first_body_start(groups):
    """Raw offset of the first paragraph that is body text (not heading-like)."""
    for g in groups:
        if not _heading_like(_text(g)):
            return g[0].start
    return 1 << 62


def join_broken(paras, meta):
    kept = _kept(paras)
    for a, b in zip(kept, kept[1:]):
        if not a.text.endswith(_TERMINAL) and b.text[:1].islower():
            b.join_prev = True


def heading(paras, meta):
    for g in _groups(paras)[:-1]:
        if _heading_like(_text(g)):
            for p in g:
                p.label = "heading"
            if _text(g) not in meta.setdefault("headings", []):
                meta["headings"].append(_text(g))


_ASCII_NON_WORD = str.maketrans({chr(i): " " for i in range(128) if not re.match(r"\w", chr(i))})


def _duplicate_key(text):
    """Words only, lower-cased: ``re.sub(r"\\W+", " ", text).lower().strip()``."""
    text = normalize_quotes(text)
    if text.isascii():
        return " ".join(text.translate(_ASCII_NON_WORD).split()).lower()
    return re.sub(r"\W+", " ", text).lower().strip()


def duplicate(paras, meta):
    seen = set()
    for p in paras:   # a repeat of any earlier paragraph, kept or removed
        key = p.memo.get(("duplicate", p.text))
        if key is None:
            key = p.memo[("duplicate", p.text)] = _duplicate_key(p.text)
        if p.label == "keep" and key in seen and not p.join_prev and (len(key.split()) >= 3 or not p.cuts):
            p.label = "duplicate"
        seen.add(key)


RULES = [social_embed, pasted_post, non_english, promo, caption, related, source_url,
         signoff, byline, date_only, join_broken, title, heading, duplicate, dateline]


def clean_text(raw: str) -> Cleaned:
    """Clean one document. Never raises on any ``str``; see the module doc."""
    meta: dict = {}
    spans = []
    pos = 0
    m = _HEADER.match(raw)
    if m:
        meta["header_date"] = m.group(1)
        spans.append((0, m.end(), "date_header"))
        pos = m.end()
    paras = []
    for pm in _PARA.finditer(raw, pos):
        seg = pm.group(0)
        lead = len(seg) - len(seg.lstrip())
        s, e = pm.start() + lead, pm.start() + len(seg.rstrip())
        if e > s:
            paras.append(Para(s, e, raw[s:e]))
    for _ in range(20):   # to a fixed point: a second clean changes nothing
        before = [(p.label, p.start, p.join_prev) for p in paras]
        for p in paras:
            p.join_prev = False
        for rule in RULES:
            rule(paras, meta)
        if before == [(p.label, p.start, p.join_prev) for p in paras]:
            break
    # assemble text and the partition of raw
    out, paragraphs, length = [], [], 0
    cursor = pos
    for p in paras:
        first = p.cuts[0][0] if p.cuts else p.start
        if first > cursor:
            spans.append((cursor, first, "space"))
        spans.extend(p.cuts)
        if p.label == "keep":
            body = p.text
            if paragraphs and p.join_prev:
                out.append(" ")
                length += 1
                ps, _ = paragraphs.pop()
            else:
                if paragraphs:
                    out.append("\n\n")
                    length += 2
                ps = length
            out.append(body)
            length += len(body)
            paragraphs.append((ps, length))
            spans.append((p.start, p.end, "keep"))
        else:
            spans.append((p.start, p.end, p.label))
        cursor = max(cursor, p.end)
    if cursor < len(raw):
        spans.append((cursor, len(raw), "space"))
    spans.sort()
    cleaned = Cleaned("".join(out), spans, paragraphs, meta)
    cleaned._spans_text = [(s, e, lab, raw[s:e]) for s, e, lab in spans]
    return cleaned
