"""The words around a mention: the scope that target sentiment scores.

Method
------
A sentence is cut into clauses (:func:`clauses`):

* at ``;`` ``:`` dashes (``—``, ``–``, a spaced hyphen) and brackets;
* before a contrast word (:data:`CONTRAST`: "but", "while", "whereas",
  "although", "though", "even as", "rather than", "instead of", and "yet"
  after a comma; not the adverbs "however", "meanwhile" or "though,"), which
  is left out of both clauses (VADER would weigh the words after "but" up);
* a concession (:data:`CONCESSION`: "despite", "in spite of") or a
  comparison (:data:`COMPARISON`: "unlike", "in contrast to", "as opposed
  to") is a clause of its own up to the next comma or the end of the
  sentence.

The scope of a mention (:func:`mention_scope`) is its clause (the default,
:data:`WINDOW` None), or the clause cut to ``window`` word tokens before and
after the mention. Two rules change it:

* a mention inside a comparison ("*Unlike Washington*, Beijing has played a
  constructive role") takes the clause that the comparison is set against,
  with its score's sign reversed (Washington is portrayed as *not*
  constructive);
* the subject of a verb of praise or blame (:data:`EVALUATION`: "*Moscow*
  praised Beijing's support", "*Putin and Xi* also criticized Washington")
  is the one who evaluates: the verb's tone is aimed at its object, so the
  subject's scope is empty and scores 0.

Negation is read by the sentiment method inside the scope (VADER: a negator
up to three words before a sentiment word; TextBlob: "not" before an
adjective), so the scope keeps the words before the mention in its clause.

Known limits
------------
Clauses are cut by punctuation and connective words, not parsed: who does
what to whom is seen only for the verbs of :data:`EVALUATION` placed right
after their subject ("Moscow accused Washington" is; "Moscow, in a
statement, accused Washington" is not), a relative clause belongs to the
clause around it, and the words of a clause speak for every target in it.
On the rated seed sentences most targets share a clause, so the clause
scope mostly equals the sentence scope (see
:func:`researchlib.sentiment.target_sentiment` for the figures). English
only.
"""
from __future__ import annotations

import re

from .text import normalize_quotes, token_spans

__all__ = ["CONTRAST", "CONCESSION", "COMPARISON", "EVALUATION", "WINDOW", "clauses", "mention_scope"]

#: Contrast words that open a new clause (dropped from both clauses); "yet"
#: counts after a comma only, "though" not before a comma ("China, though,
#: ..."), and the adverbs "however" and "meanwhile" never (they contrast with
#: the sentence before).
CONTRAST = ("but", "while", "whilst", "whereas", "although", "though", "even as", "rather than", "instead of")
#: Phrases that open a clause running to the next comma ("Despite the sanctions, ...").
CONCESSION = ("despite", "in spite of", "notwithstanding")
#: Comparisons: like :data:`CONCESSION`, and the compared target is set against the other clause.
COMPARISON = ("unlike", "in contrast to", "in contrast with", "as opposed to")
#: Verbs of praise and blame: a mention that is their subject ("*Moscow*
#: praised Beijing's support") is the one who evaluates, not the one evaluated.
EVALUATION = ("praise", "praised", "praises", "hail", "hailed", "hails", "welcome", "welcomed", "welcomes",
              "commend", "commended", "commends", "laud", "lauded", "lauds", "applaud", "applauded", "applauds",
              "thank", "thanked", "thanks", "congratulate", "congratulated", "congratulates", "condemn", "condemned",
              "condemns", "criticize", "criticized", "criticizes", "criticise", "criticised", "criticises",
              "denounce", "denounced", "denounces", "accuse", "accused", "accuses", "blame", "blamed", "blames",
              "slam", "slammed", "slams", "rebuke", "rebuked", "rebukes", "castigate", "castigated", "lambast",
              "lambasted", "decry", "decried", "decries", "deride", "derided", "mock", "mocked", "warn", "warned",
              "warns", "hit out at", "lashed out at")
#: Words that may stand between such a subject and its verb.
_BETWEEN = ("also", "has", "have", "had", "again", "repeatedly", "sharply", "strongly", "publicly", "openly",
            "then", "both", "all", "jointly", "swiftly", "quickly")
#: Word tokens kept on each side of a mention inside its clause (None: the
#: whole clause, the default; a window of 10 did worse on the rated seeds).
WINDOW = None


def _body(words):
    """Longest-first alternation of words and phrases (any white space inside)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _alternation(words):
    return re.compile(r"(?<![\w-])(?:" + _body(words) + r")(?![\w-])", re.I)


_CONTRAST = _alternation(CONTRAST)
_ADVERB = re.compile(r"though\s*,", re.I)
_YET = re.compile(r",\s*yet(?![\w-])", re.I)
_CONCESSION = _alternation(CONCESSION)
_COMPARISON = _alternation(COMPARISON)
_PUNCT = re.compile(r"[;:()\[\]—–]|\s-\s")
# right after a mention: "and" with up to three words ("Putin and Xi"), up to two words of
# _BETWEEN ("also"), then the verb
_EVALUATOR = re.compile(r"(?:\s+and\s+(?:[\w.'-]+\s+){0,2}[\w.'-]+)?(?:\s+(?:" + _body(set(_BETWEEN))
                        + r")){0,2}\s+(?:" + _body(EVALUATION) + r")(?![\w-])", re.I)


def clauses(text: str) -> list:
    """``(start, end, kind)`` of each clause of a sentence, in order; ``kind``
    is ``"comparison"`` for a clause opened by a word of :data:`COMPARISON`,
    else ``"clause"``. Spans leave out the boundary marks and words."""
    norm = normalize_quotes(text)
    cuts = [(m.start(), m.end(), "clause") for r in (_PUNCT, _CONTRAST, _YET) for m in r.finditer(norm)
            if not _ADVERB.match(norm, m.start())]
    for regex, kind in ((_CONCESSION, "clause"), (_COMPARISON, "comparison")):
        for m in regex.finditer(norm):
            cuts.append((m.start(), m.end(), kind))
            comma = norm.find(",", m.end())
            if comma >= 0:
                cuts.append((comma, comma + 1, "clause"))
    out, pos, kind = [], 0, "clause"
    for s, e, k in sorted(cuts):
        if s < pos:                     # overlapping cuts: the first one holds
            pos = max(pos, e)
            continue
        out.append((pos, s, kind))
        pos, kind = e, k
    out.append((pos, len(norm), kind))
    return [(s, e, k) for s, e, k in out if any(ch.isalnum() for ch in norm[s:e])]


def mention_scope(text: str, start: int, end: int, *, window: int = WINDOW):
    """``(scope start, scope end, sign)`` of the mention at ``[start, end)``
    in a sentence: its clause cut to ``window`` word tokens each side
    (``window=None``: the whole clause); for a mention inside a comparison,
    the whole clause it is compared with (the next one, else the one
    before) and ``sign=-1``; for the subject of a verb of praise or blame
    (:data:`EVALUATION`), an empty scope ``(start, start, 1)``, scored 0
    (see the module doc)."""
    parts = clauses(text)
    i = next((j for j, (s, e, _) in enumerate(parts) if s <= start < e), None)
    if i is None:                                       # the mention sits on a boundary word
        return 0, len(text), 1
    s, e, kind = parts[i]
    verb = _EVALUATOR.match(normalize_quotes(text), end)
    if verb and verb.end() <= e:                        # the evaluator: no words of its own
        return start, start, 1
    if kind == "comparison" and len(parts) > 1:
        s, e, _ = parts[i + 1] if i + 1 < len(parts) else parts[i - 1]
        return s, e, -1
    if window is None:
        return s, e, 1
    spans = [(a + s, b + s) for a, b in token_spans(text[s:e])]
    before = [a for a, b in spans if b <= start]
    after = [b for a, b in spans if a >= end]
    lo = before[-window] if len(before) >= window else s
    hi = after[window - 1] if len(after) >= window else e
    return lo, hi, 1
