"""The raw and the clean text of one article, side by side, with every
removed span marked with the cleaning rule that removed it.

``rl.side_by_side(corpus, doc_id)`` returns a :class:`SideBySide`: in a
notebook it shows as an HTML table of two columns (raw on the left, with each
removed span struck through and labelled with its rule; on the right what
cleaning kept of the same line); ``str()`` of it is the same view as plain
text (two columns wrapped at word boundaries, removed spans written
``[-rule: text-]``).

Method
------
The document's raw text (``documents.text_raw``) is cleaned again with
:func:`researchlib.clean.clean_text` (in the document's language), which
partitions the raw text into labelled spans: kept, whitespace, or removed by a
named rule. The corpus-level ``repeated`` rule needs the whole corpus, so its
spans are taken from ``Corpus.removed`` and found in the raw text. One row per
raw line (blank lines skipped). Article text is untrusted: every piece of it
is HTML-escaped, and the HTML holds no script.

Known limits
------------
Rows follow the raw lines, so a hard-wrapped article shows one row per line;
the right column is what was kept of each line, before broken paragraphs are
rejoined (``documents.text`` is the exact clean text). A word longer than the
column (a URL) overflows in the plain-text view rather than being cut.
"""
from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field
from itertools import zip_longest

from .clean import clean_text

__all__ = ["side_by_side", "SideBySide"]

_CELL = "vertical-align:top;width:50%;white-space:pre-wrap;overflow-wrap:break-word;word-break:normal;" \
        "text-align:left;padding:2px 8px;border-top:1px solid #eee;font-size:.85rem"
_REMOVED = "background:#fdecea;color:#7b241c;text-decoration:line-through"
_RULE = "background:#a93226;color:white;border-radius:3px;padding:0 3px;margin-right:2px;font-size:.75rem;" \
        "text-decoration:none;display:inline-block"


@dataclass
class SideBySide:
    """Rows of ``(segments, kept)``: ``segments`` the raw line as a list of
    ``(text, rule)`` (rule ``None`` for kept text), ``kept`` what cleaning kept
    of it. ``_repr_html_`` and ``str()`` render it; ``width`` is the column
    width of the plain-text view, in characters."""
    doc_id: str
    rows: list = field(default_factory=list)
    width: int = 60

    @property
    def removed(self) -> list:
        """``(rule, text)`` of every removed span, in raw order."""
        return [(rule, t) for segs, _ in self.rows for t, rule in segs if rule]

    def caption(self) -> str:
        rules = sorted({r for r, _ in self.removed})
        chars = sum(len(t) for _, t in self.removed)
        return (f"{self.doc_id}: {len(self.removed)} removed span{'s' if len(self.removed) != 1 else ''}, "
                f"{chars:,} characters" + (f" (rules: {', '.join(rules)})" if rules else ""))

    def _repr_html_(self) -> str:
        e = html.escape
        body = []
        for segs, kept in self.rows:
            left = "".join(e(t) if not rule else
                           f'<span title="removed by {e(rule)}"><span style="{_RULE}">{e(rule)}</span>'
                           f'<del style="{_REMOVED}">{e(t)}</del></span>' for t, rule in segs)
            body.append(f'<tr><td style="{_CELL}">{left}</td><td style="{_CELL}">{e(kept)}</td></tr>')
        return (f'<table style="border-collapse:collapse;table-layout:fixed;width:100%">'
                f'<caption style="text-align:left;font-size:.85rem">{e(self.caption())}</caption>'
                f'<tr><th style="{_CELL}">raw text (removed spans struck through, labelled with their rule)</th>'
                f'<th style="{_CELL}">clean text</th></tr>{"".join(body)}</table>')

    def __str__(self) -> str:
        w = self.width
        out = [self.caption(), f"{'raw (removed: [-rule: text-])':<{w}} | clean", f"{'-' * w}-+-{'-' * w}"]
        for segs, kept in self.rows:
            left = "".join(t if not rule else f"[-{rule}: {t}-]" for t, rule in segs)
            for a, b in zip_longest(_wrap(left, w), _wrap(kept, w), fillvalue=""):
                out.append(f"{a:<{w}} | {b}".rstrip())
        return "\n".join(out)

    __repr__ = __str__


def _wrap(text: str, width: int) -> list:
    """Lines of at most ``width`` characters, broken at spaces only (a longer
    word stays whole on its own line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def rows_from_spans(raw: str, spans) -> list:
    """``spans`` ((start, end, label) partitioning ``raw``, labels "keep",
    "space" or a rule) -> rows of ``(segments, kept)``, one per non-blank line."""
    rows, segs = [], []

    def close():
        if any(t.strip() for t, _ in segs):
            kept = " ".join("".join(t for t, r in segs if not r).split())
            rows.append((_merged(segs), kept))
        segs.clear()

    for s, e, label in spans:
        rule = None if label in ("keep", "space") else label
        parts = raw[s:e].split("\n")
        for i, part in enumerate(parts):
            if i:
                close()
            if part:
                segs.append((part, rule))
    close()
    return rows


def _merged(segs):
    """Neighbouring segments of the same rule as one; a removed segment's
    surrounding whitespace stays outside its mark."""
    out = []
    for t, rule in segs:
        if rule and not t.strip():
            rule = None
        if out and out[-1][1] == rule:
            out[-1] = (out[-1][0] + t, rule)
        else:
            out.append((t, rule))
    final = []
    for t, rule in out:
        if rule:
            lead, core = t[:len(t) - len(t.lstrip())], t.strip()
            trail = t[len(t.rstrip()):]
            final += [(x, None) for x in [lead] if x] + [(core, rule)] + [(x, None) for x in [trail] if x]
        else:
            final.append((t, None))
    return final


def _with_repeated(raw: str, spans, texts):
    """Relabel as ``repeated`` the kept spans holding one of ``texts`` (the
    corpus-level rule, recorded in ``Corpus.removed``)."""
    for text in texts:
        for i, (s, e, label) in enumerate(spans):
            at = raw.find(text, s, e) if label == "keep" else -1
            if at >= 0:
                parts = [(s, at, "keep"), (at, at + len(text), "repeated"), (at + len(text), e, "keep")]
                spans[i:i + 1] = [p for p in parts if p[1] > p[0]]
                break
    return spans


def side_by_side(corpus, doc_id, *, width: int = 60) -> SideBySide:
    """The raw and the clean text of document ``doc_id`` of ``corpus`` side by
    side, each removed span marked with its rule (see the module doc).

    ``width``: the column width of the plain-text view (``print(view)``).

    Example: ``rl.side_by_side(c, c.documents.doc_id.iloc[0])``.
    """
    docs = corpus.documents
    if not isinstance(width, int) or width < 10:
        raise ValueError(f"width must be a whole number of characters, at least 10; got {width!r}")
    match = docs.index[docs["doc_id"].astype(str) == str(doc_id)]
    if not len(match):
        some = ", ".join(map(str, docs["doc_id"].head(3)))
        raise KeyError(f"no document with doc_id {doc_id!r} in the corpus (for example: {some})")
    row = docs.loc[match[0]]
    raw = row["text_raw"]
    lang = row.get("language") if isinstance(row.get("language"), str) else None
    spans = list(clean_text(raw, language=lang).spans)
    rem = corpus.removed
    repeated = rem.loc[(rem["doc_id"].astype(str) == str(doc_id)) & (rem["rule"] == "repeated"), "text"]
    spans = _with_repeated(raw, spans, list(repeated))
    return SideBySide(str(doc_id), rows_from_spans(raw, spans), width)
