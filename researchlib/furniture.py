"""Web furniture: evidence that a line of extracted web text is part of the page,
not of the article.

Text taken from web pages keeps pieces of the page around the article: skip
links and menus, sharing buttons, comment forms, subscription pitches, inline
CSS. Instead of one phrase per site, each unit (a line or paragraph; for
reader-facing pitches a sentence) is judged by features that generalise across
sites (Kohlschuetter et al. 2010; Pomikalek 2011):

- **code**: braces, ``;``, CSS units (``px``, ``%``), ``@media``, HTML tags or
  ``function(`` in a density no prose has (at least 3 marks, 0.15 per word, and
  a brace, tag, ``function(`` or ``=>``). When the code is HTML markup around
  prose ("<p>The summit ended.</p> <script>…</script>"), only the markup goes
  (tags, comments, script and style elements: :func:`markup_spans`).
- **menu**: a line of at least 3 short items (1-4 words) between separators
  (``|``, ``•``, ``·``, ``»``, ``›``, ``>``, ``/``) or a label and 4+
  capitalised items between commas ("Tags: Russia, China, ..."); or, in a
  document that has body text, a run of at least 3 consecutive short items
  (lines of at most 6 words, or of at most 12 words of which most are
  capitalised, none ending like a sentence), counting the neighbouring lines
  already removed as furniture.
- **interface**: a unit of at most 40 words with no quotation marks that (a)
  opens with an interface imperative ("Subscribe", "Sign up", "Skip to",
  "Follow us", "Listen to this", ...) or holds a copyright notice (``©``,
  "Copyright 2023"), or (b) holds an interface word (``interface_words`` in
  ``resources/web_furniture.yaml``: email, comment, subscribe, menu, ...) and
  addresses the reader ("your email address") or speaks of the page itself
  ("This article is for subscribers only"): strong evidence; or (c) is made of interface words and does not
  end like a sentence: two or more, at least a fifth of its words, or at most 6
  words of which at least 30% are: weak evidence, used only in a document that
  has body text, and never on its first paragraph (a title such as "Twitter
  bans Trump" stays).
- **repeated** (corpus level, :func:`repeated_lines`): a line found in at least
  ``min_docs`` documents and at least ``min_share`` of the documents of its
  outlet (or of the whole corpus), counting identical documents once. Lines that
  read like prose (:func:`prose_like`: 16 words or more, ending like a
  sentence) never count: a standard background paragraph or a wire copy
  repeats too.

Known limits: these rules run on English documents (function and interface
words are English; ``code`` runs on every document); a short list inside an
article (three unpunctuated lines of figures or names) is taken for a menu; CSS
that shares a line with article text stays with it; a pitch written as plain
prose ("Independent journalism needs money.") is kept unless it repeats.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from .errors import ResourceError
from .resources import load_resource
from .text import TOKEN, fold_like_re_i, normalize_quotes

__all__ = ["load_furniture_words", "code_like", "markup_spans", "menu_line", "short_item", "interface_evidence",
           "interface_like", "may_be_interface", "prose_like", "function_share", "repeated_lines", "MARKUP",
           "IMPERATIVES", "MIN_DOCS", "MIN_SHARE"]

MIN_DOCS = 3
MIN_SHARE = 0.2
_SENTENCE_END = tuple(".!?…\"'”’。！？")


@lru_cache(maxsize=4)
def _words_of(spec=None):
    data = load_resource(spec, "web furniture", "web_furniture")
    ui = data["interface_words"]
    lists = data["function_words"]["words"], ui["words"], ui["reader_address"]["words"]
    for words in lists:
        for w in words:
            if not isinstance(w, str):   # YAML reads bare no/on/off as booleans
                raise ResourceError(f"web furniture word list: {w!r} is not a word; quote it in the YAML file")
    return tuple(frozenset(w.lower() for w in words) for words in lists)


def load_furniture_words(spec=None):
    """(function words, interface words, reader-address words) as frozensets."""
    return _words_of(spec)


def _tokens(text):
    """Lower-cased word tokens (``text.TOKEN``), curly apostrophes straight."""
    return TOKEN.findall(text.lower().replace("’", "'"))


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


_WORD = re.compile(r"[^\W_]+")     # runs of letters and digits (apostrophes and hyphens split)


def function_share(text: str) -> float:
    """Share of the words of ``text`` (runs of letters and digits) that are
    English function words."""
    words = _WORD.findall(text.lower())
    return sum(map(_words_of()[0].__contains__, words)) / len(words) if words else 0.0


# --- code ------------------------------------------------------------------
_TAG = r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>"
_CODE_MARK = re.compile(r"[{};]|\d(?:px|em|rem|vh|vw|pt)\b|\d%|@media\b|@import\b|@font-face\b|!important"
                        r"|=>|" + _TAG + r"|\bfunction\s*\(|\b(?:var|const|let)\s+[\w$]+\s*=|\b(?:window|document)\.")
#: Strong code marks: (a literal every match holds, pattern). The pattern and
#: the pre-filter of :func:`code_like` are both built from this list.
CODE_STRONG = [("{", r"\{"), ("}", r"\}"), ("=>", "=>"), ("function", r"\bfunction\s*\("), ("<", _TAG)]
_CODE_STRONG = re.compile("|".join(pattern for _, pattern in CODE_STRONG))
_CODE_STRONG_LITERALS = tuple(lit for lit, _ in CODE_STRONG)


#: HTML markup inside text: script/style/noscript elements with their content,
#: comments, and single tags.
MARKUP = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->|" + _TAG, re.I | re.S)
_LETTERS = re.compile(r"[^\W\d_]")


def markup_spans(text: str) -> list:
    """(start, end) of the HTML markup in ``text`` when, without it, prose
    remains (letters that are not code); else [] (the whole unit is code)."""
    spans = [m.span() for m in MARKUP.finditer(text)]
    if not spans:
        return []
    rest, pos = [], 0
    for s, e in spans:
        rest.append(text[pos:s])
        pos = e
    rest = " ".join(rest + [text[pos:]])
    return spans if _LETTERS.search(rest) and not code_like(rest) else []


def may_be_code(text: str) -> bool:
    """False only if :func:`code_like` is: none of the literals of
    ``CODE_STRONG`` is in ``text`` (a substring test, far faster than the
    pattern; tests/test_fast_paths.py checks it)."""
    return any(lit in text for lit in _CODE_STRONG_LITERALS)


def code_like(text: str) -> bool:
    """CSS, JavaScript or HTML, by the density of code marks (see module doc)."""
    if not may_be_code(text) or not _CODE_STRONG.search(text):
        return False
    marks = len(_CODE_MARK.findall(text))
    return marks >= 3 and marks / max(1, len(text.split())) >= 0.15


# --- menus -----------------------------------------------------------------
_SEPARATOR = re.compile(r"\s*[|•·»›]\s*|\s+[>/]\s+")


def menu_line(text: str) -> bool:
    """A line of at least three short items between separators, or a label
    and four or more capitalised items between commas ("Tags: Russia, China, ...")."""
    if ends_sentence(text):
        return False
    items = _SEPARATOR.split(text)
    if len(items) >= 3 and all(1 <= len(i.split()) <= 4 for i in items):
        return True
    label, colon, rest = text.partition(":")
    items = [i.strip() for i in rest.split(",")] if colon and len(label.split()) <= 2 else []
    return len(items) >= 4 and all(0 < len(i.split()) <= 3 and i[:1].isupper() for i in items)


def short_item(text: str) -> bool:
    """A line that could be a menu or link-list item (see module doc)."""
    if ends_sentence(text):
        return False
    w = text.split()
    if not w or '"' in normalize_quotes(text):
        return False
    if len(w) <= 6:
        return True
    if len(w) > 12:
        return False
    capital = sum(x[:1].isupper() or not x[:1].isalpha() for x in w)
    return capital / len(w) >= 0.6


# --- interface -------------------------------------------------------------
#: Interface imperatives: (verb, what must follow it). The pattern and the
#: pre-filter of :func:`interface_evidence` are both built from this list.
IMPERATIVES = [
    ("subscribe", ""), ("sign", r"\s+(?:up|in)"), ("log", r"\s+(?:in|on)"), ("register", r"\s+(?:now|for|to|here)"),
    ("download", r"\s+(?:our|the|now)"), ("install", r"\s+(?:our|the)"), ("follow", r"\s+(?:us|me)"),
    ("share", r"\s+(?:this|on|via)"), ("click", ""), ("tap", r"\s+(?:here|to)"), ("join", r"\s+(?:us|our)"),
    ("donate", ""), ("support", r"\s+(?:us|our)"), ("skip", r"\s+to"), ("read", r"\s+(?:more|the full|next)"),
    ("watch", r"\s+(?:more|now|live|the video)"), ("listen", r"\s+to\s+(?:this|our)"),
    ("get", r"\s+(?:our|unlimited|full access|the (?:app|latest|best))"), ("accept", r"\s+(?:all|cookies)"),
    ("enable", r"\s+javascript"), ("continue", r"\s+reading"), ("contact", r"\s+us"),
    ("already", r"\s+a\s+(?:subscriber|member)"),
]
_IMPERATIVE = re.compile(r"^(?:please\s+)?(?:" + "|".join(v + rest for v, rest in IMPERATIVES) + r")\b", re.I)
_QUOTES = re.compile("[\"“”«»„]")
_COPYRIGHT = re.compile(r"©|\bcopyright\s+(?:©\s*)?(?:\(c\)\s*)?\d{4}\b", re.I)
_SELF = re.compile(r"\b(?:this|our)\s+(?:article|story|page|site|website|newsletter)\b", re.I)


@lru_cache(maxsize=1)
def _may_interface():
    """The words :func:`interface_evidence` looks for, split into runs of
    letters and digits as the pre-filter splits text."""
    _, ui_words, reader = _words_of()
    words = ui_words | reader | {v for v, _ in IMPERATIVES} | {"copyright"}
    return frozenset(part for w in words for part in _WORD.findall(w))


def may_be_interface(text: str, *, folded=None) -> bool:
    """False only if :func:`interface_evidence` is None: a fast pre-filter
    built from the same word lists (tests/test_cleaning.py). The words are
    runs of letters and digits: a whitespace-delimited chunk made only of them
    is one, so ``_WORD`` runs only when no such chunk is a listed word.
    ``folded``: ``fold_like_re_i(text)``, when known."""
    if "©" in text:
        return True
    words, chunks = _may_interface(), (fold_like_re_i(text) if folded is None else folded).split()
    return not words.isdisjoint(chunks) or not words.isdisjoint(
        _WORD.findall(" ".join([c for c in chunks if not c.isalnum()])))


def interface_evidence(text: str, *, prefiltered=False):
    """How a unit speaks to a site's user rather than a news reader: "strong"
    (an interface imperative, ``©``, an interface word addressed to the reader),
    "weak" (made of interface words, without sentence punctuation) or None.
    See the module doc. ``prefiltered``: :func:`may_be_interface` is known True."""
    if _QUOTES.search(text) or not (prefiltered or may_be_interface(text)):    # the cheaper test first
        return None
    w = _tokens(text)
    if not w or len(w) > 40:
        return None
    if _IMPERATIVE.match(text.lstrip(" \t-–—•*>")) or (_COPYRIGHT.search(text) and len(w) <= 30):
        return "strong"
    _, ui_words, reader = _words_of()
    ui = sum(x in ui_words for x in w)
    if not ui:
        return None
    if any(x in reader for x in w) or _SELF.search(text):
        return "strong"
    if ends_sentence(text):
        return None
    if (ui >= 2 and ui / len(w) >= 0.2) or (len(w) <= 6 and ui / len(w) >= 0.3):
        return "weak"
    return None


def interface_like(text: str) -> bool:
    """A unit addressed to a site's user (strong or weak evidence)."""
    return interface_evidence(text) is not None


def prose_like(text: str) -> bool:
    """Reads like article prose: 16 words or more, ending like a sentence."""
    return ends_sentence(text) and len(text.split(None, 16)) >= 16     # 16 splits tell 16+ words


# --- lines repeated across documents --------------------------------------

def repeated_lines(docs, *, min_docs=MIN_DOCS, min_share=MIN_SHARE) -> dict:
    """Lines repeated across documents: ``docs`` is an iterable of ``(group,
    text, keys)`` per document (group: its outlet or None; text: its cleaned
    text, to count identical documents once; keys: the line keys it could lose,
    see ``Cleaned.line_keys``). Returns {group: frozenset of keys} of the lines
    to remove in that group's documents (the whole-corpus ones included)."""
    seen = set()
    counts_of: dict = {}     # group -> {key: documents}
    present: dict = {}       # group -> keys its documents hold (copies included)
    corpus: dict = {}
    n_group: dict = {}
    n_all = 0
    for group, text, keys in docs:
        keys = set(keys)
        present.setdefault(group, set()).update(keys)
        counts = counts_of.setdefault(group, {})
        h = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
        if h in seen:
            continue
        seen.add(h)
        n_all += 1
        n_group[group] = n_group.get(group, 0) + 1
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
            corpus[k] = corpus.get(k, 0) + 1

    def frequent(counts, n):
        return {k for k, c in counts.items() if c >= min_docs and c >= min_share * n}

    everywhere = frequent(corpus, n_all)
    return {g: frozenset(frequent(c, n_group.get(g, 0)) | (everywhere & present[g])) for g, c in counts_of.items()}
