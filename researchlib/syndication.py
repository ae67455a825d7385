"""Syndication: wire credits in the text, and who runs whose copy.

``wire_credits(corpus)`` lists, per document, the news agencies its text
credits and how (``kind``): stated (the copy is the agency's: "MOSCOW
(Reuters) -", "By ... for AFP", "— AP", "Copyright 2023 The Associated
Press"), contributed ("With reporting by Reuters"), photo ("| Photo credit:
AP"), mention ("Xinhua reported"), style (an agency's house style, e.g.
Xinhua's "here Monday": evidence, not proof), and manifest (the researcher's
``wire`` column). ``copies_by_outlet`` joins these with the copy pairs of
:func:`researchlib.duplicates` into "who runs whose copy"; ``copied_share``
says how much of each outlet's material is not its own.

Method
------
Agencies, their aliases and the credit cues are data:
``resources/wires.yaml`` (definition and citation per entry). Each cue is a
regular expression around the alternation of all aliases (case-sensitive
whole words, so "AP" is not "ap" or "APEC"); cues run in the file's order
of priority and each mention of an agency is credited by the first cue that
covers it (a "Photo by AP" is a photo credit, not a byline). The search runs
on ``text_raw``, because captions and sign-offs carry the credits and the
cleaner removes them; offsets index ``text_raw``. Only texts that name an
agency are searched for cues, and a cue is tried only where a match can
begin: where an alias begins when it opens with ``{agency}``, where one of
its opening texts begins when the pattern has them (``photo|image|...``,
read from the parsed pattern; case-insensitive ones found in the text
lower-cased as the regex engine compares), everywhere otherwise; tested
equal to scanning every position. Shares per outlet carry
n and a 95% Wilson score interval (Wilson 1927, JASA 22:209-212).

Known limits
------------
- Only the agencies and cue shapes in the resource are seen; a credit in
  another language or an unlisted agency is missed (extend the YAML).
- A copy that names no agency and whose source is not in the corpus is not
  found at all.
- Style cues are weak: other agencies and outlets write "here Monday" too.
- A cue that opens with neither the agency nor fixed text (the sign-off's
  ``(?:^|[—–]|--|\\s-)``) is tried at every position: on long texts it is
  the slow one.
- Undated copy pairs give no direction: both documents count as copied
  (their text is not unique to either outlet).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .copies import KINDS, cached_pairs
from .resources import load_resource

__all__ = ["wire_credits", "copies_by_outlet", "copied_share"]


# --------------------------------------------------------------------------- #
# wire credits                                                                 #
# --------------------------------------------------------------------------- #

def _credit_patterns(wires):
    data = load_resource(wires, "wires", "wires")
    alias = {}
    for a in data["agencies"]:
        for name in a.get("aliases", [a["credit"]]):
            alias[name] = a
    alts = "|".join(re.escape(n) for n in sorted(alias, key=len, reverse=True))
    any_agency = re.compile(rf"\b(?:{alts})\b")
    cues = []
    for cue in data["cues"]:
        try:
            rx = re.compile(cue["pattern"].replace("{agency}", rf"\b(?:{alts})\b"))
        except re.error as e:
            from .errors import ResourceError
            raise ResourceError(f"wires: cue {cue.get('name')!r}: invalid pattern ({e})") from None
        # a cue that opens with the agency (no alias empty) can only match where an alias begins
        led = all(alias) and _agency_led(cue["pattern"])
        cues.append((cue, rx, _AGENCY if led else _openings(rx)))
    styles = [(a, s, rx, _openings(rx)) for a in data["agencies"] for s in a.get("style", [])
              for rx in [re.compile(s["pattern"])]]
    return alias, any_agency, re.compile(alts), cues, styles


_AGENCY = object()          # "the match begins where an alias begins"
# the characters the regex engine matches to an ASCII letter under IGNORECASE that str.lower()
# does not turn into it (checked for every character in tests/test_copies.py)
_SRE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _sre_parser():
    """Python's regular-expression parser (``re._parser``; ``sre_parse``
    before 3.11), or None."""
    try:
        from re import _parser
        return _parser
    except ImportError:
        try:
            import sre_parse
            return sre_parse
        except ImportError:
            return None


def _agency_led(pattern: str) -> bool:
    """Every match of the cue ``pattern`` begins with its ``{agency}``: the
    parsed pattern (``{agency}`` read as a literal) opens with a literal after
    zero-width assertions such as ``\\b``; an alternative of the whole pattern
    does not (``{agency} wire|Photo: {agency}`` is not agency-led). False when
    the parser is not available or reads the pattern in a way this does not
    know."""
    parser = _sre_parser()
    if parser is None or not pattern.removeprefix(r"\b").startswith(("{agency}", "(?:{agency})")):
        return False
    def opens_with_literal(items):
        # the parser inlines groups: an alternative of the whole pattern is a
        # BRANCH first (a prefix common to all of them is kept before it)
        items = [(op, av) for op, av in items if op is not parser.AT]
        if not items:
            return False
        op, av = items[0]
        return op is parser.LITERAL or op is parser.SUBPATTERN and opens_with_literal(av[3])
    try:
        return opens_with_literal(list(parser.parse(pattern.replace("{agency}", "\ue000"))))
    except Exception:                   # an unknown parser shape: no shortcut
        return False


def _openings(rx):
    """The literal texts one of which every match of ``rx`` begins with, as
    ``(text, ignore_case)`` pairs, or None when the pattern does not say
    (``\\bhere (?:on )?...`` -> ("here ", False); ``(?i:photo|image)s?`` ->
    ("photo", True), ("image", True)). Read from the parsed pattern: zero-width
    assertions are skipped, alternatives and optional parts give one opening
    each; anything else (a class, a repeat of one) ends the reading."""
    _parser = _sre_parser()
    if _parser is None:                                     # plain scans
        return None

    def first(items, ci):
        run = []
        for k, (op, av) in enumerate(items):
            if op is _parser.LITERAL:
                run.append(chr(av))
                continue
            if run:
                break
            if op is _parser.AT:
                continue
            if op is _parser.SUBPATTERN:
                add, drop = av[1], av[2]
                return first(av[3], (ci or bool(add & re.IGNORECASE)) and not drop & re.IGNORECASE)
            if op is _parser.BRANCH:
                alts = [first(alt, ci) for alt in av[1]]
                return None if None in alts else [o for alt in alts for o in alt]
            if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
                head = first(av[2], ci)
                if head is None or av[0] >= 1:
                    return head
                rest = first(items[k + 1:], ci)                 # the repeated part may be absent
                return None if rest is None else head + rest
            return None
        run = "".join(run)
        return [(run, ci)] if run and (run.isascii() or not ci) else None
    try:
        found = first(_parser.parse(rx.pattern, rx.flags), bool(rx.flags & re.IGNORECASE))
    except Exception:                   # an unknown parser shape: plain scans
        return None
    return tuple(dict.fromkeys(found)) if found else None


def _fold(text: str):
    """``text`` lower-cased as the regex engine compares it to ASCII literals
    under IGNORECASE, position by position (None when a character
    lower-cases to more than one)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_SRE_FOLDS)
    low = text.lower()
    return low if len(low) == len(text) else None


def _occurrences(text: str, literal: str) -> list:
    """Every position where ``literal`` begins in ``text``, overlapping ones too."""
    out, k = [], text.find(literal)
    while k >= 0:
        out.append(k)
        k = text.find(literal, k + 1)
    return out


def _scan(rx, text: str, begins, alias_starts: list, folded):
    """``rx.finditer(text)``, tried only where a match can begin when that is
    known (``begins``: _AGENCY, the :func:`_openings` of ``rx``, or None for a
    plain scan; ``folded``: ``_fold(text)``)."""
    if begins is _AGENCY:
        return _finditer_at(rx, text, alias_starts)
    if begins is None or (folded is None and any(ci for _, ci in begins)):
        return rx.finditer(text)
    starts = {k for lit, ci in begins for k in (_occurrences(folded, lit.lower()) if ci else _occurrences(text, lit))}
    return _finditer_at(rx, text, sorted(starts))


def _alias_starts(aliases, text: str) -> list:
    """Every position where an alias begins (``aliases``: their alternation
    without word boundaries, which the regex engine scans fast), overlapping
    ones too."""
    out, m = [], aliases.search(text)
    while m:
        out.append(m.start())
        m = aliases.search(text, m.start() + 1) if m.start() < len(text) else None
    return out


def _finditer_at(rx, text: str, starts: list):
    """``rx.finditer(text)`` for a pattern whose matches are not empty and
    begin only at ``starts`` (sorted): the first match at or after the end of
    the last one is the first of ``starts`` there at which ``rx`` matches.
    (``match(text, pos)`` sees the text before ``pos`` as the scan does: word
    boundaries and lookbehinds agree.) Tested equal."""
    end = 0
    for s in starts:
        if s >= end and (m := rx.match(text, s)):
            yield m
            end = m.end()


def wire_credits(corpus, *, wires=None, manifest="wire", manifest_evidence="evidence") -> pd.DataFrame:
    """Agency credits per document: ``doc_id, credit, agency, kind, cue,
    evidence, start, end, source``. Searched in ``text_raw`` (captions and
    sign-offs carry credits, and the cleaner removes them), with the cues of
    ``wires`` (default ``resources/wires.yaml``): each mention of an agency is
    credited by the first cue that covers it. ``kind``: stated (the copy is
    the agency's), contributed (the agency contributed reporting), photo,
    mention, style (house style: evidence, not proof), or manifest (the
    ``manifest`` column's entries, with ``manifest_evidence`` as evidence;
    ``start``/``end`` empty). Offsets index ``text_raw``."""
    docs = corpus.documents if hasattr(corpus, "documents") else corpus
    alias, any_agency, aliases, cues, styles = _credit_patterns(wires)
    col = "text_raw" if "text_raw" in docs.columns else "text"
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs[col].fillna("").astype(str)):
        claimed = []                                      # agency mentions already credited
        starts = _alias_starts(aliases, text)           # where an agency mention can begin
        # every credit is an agency mention inside a cue's match: a text that names no agency has none
        named = any(any_agency.match(text, s) for s in starts)
        folded = _fold(text)
        for cue, rx, begins in cues if named else ():
            for m in _scan(rx, text, begins, starts, folded):
                for a in any_agency.finditer(text, m.start(), m.end()):
                    if any(s < a.end() and a.start() < e for s, e in claimed):
                        continue
                    claimed.append(a.span())
                    agency = alias[a.group(0)]
                    rows.append((doc_id, agency["credit"], agency["name"], cue["kind"], cue["name"],
                                 m.group(0).strip(), m.start(), m.end(), col))
        for agency, style, rx, begins in styles:
            for m in _scan(rx, text, begins, starts, folded):
                rows.append((doc_id, agency["credit"], agency["name"], "style", "style", m.group(0),
                             m.start(), m.end(), col))
    if manifest and manifest in docs.columns:
        ev = docs[manifest_evidence] if manifest_evidence in docs.columns else pd.Series("", index=docs.index)
        for doc_id, value, evidence in zip(docs["doc_id"], docs[manifest], ev):
            if isinstance(value, str) and value.strip():
                for part in re.split(r",\s*(?![^()]*\))", value):
                    part = part.strip()
                    name = re.sub(r"\s*\(.*\)$", "", part)
                    agency = alias.get(name, {"credit": name, "name": name})
                    kind = "photo" if re.search(r"\((?:[^)]*\b)?(?:photo|picture|image)", part, re.I) else "manifest"
                    rows.append((doc_id, agency["credit"], agency["name"], kind, part,
                                 evidence if isinstance(evidence, str) else "", None, None, manifest))
    out = pd.DataFrame(rows, columns=["doc_id", "credit", "agency", "kind", "cue", "evidence", "start", "end",
                                      "source"])
    return out.astype({"start": "Int64", "end": "Int64"})


# --------------------------------------------------------------------------- #
# who copies whom                                                              #
# --------------------------------------------------------------------------- #

def _with_unit(corpus, by="outlet") -> pd.DataFrame:
    """The documents with the unit column ``by`` filled ("(unknown)" where
    missing; a missing ``outlet`` column is all unknown)."""
    docs = corpus.documents if hasattr(corpus, "documents") else corpus
    if not isinstance(by, str):
        raise TypeError(f"by={by!r}: copies are compared by one document column")
    if by not in docs.columns:
        if by != "outlet":
            raise KeyError(f"by={by!r} is not a document column; available: {list(docs.columns)}")
        docs = docs.assign(outlet="(unknown)")
    return docs.assign(**{by: docs[by].fillna("(unknown)")})


def _wilson(k, n, z=1.959964):
    """Wilson score interval for k successes out of n (Wilson 1927)."""
    if n == 0:
        return np.nan, np.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


_CREDIT_KINDS = ("stated", "style", "manifest")


def copies_by_outlet(corpus, *, by="outlet", pairs=None, credits=None, kinds=KINDS, **options) -> pd.DataFrame:
    """Who runs whose copy: one row per unit (``by``, default ``outlet``; any
    document column), ``source`` and ``basis``
    (``copy of earlier article`` from dated pairs, ``shares text`` for
    undated pairs, ``wire credit``: stated, style or manifest), ``n_docs``
    (the unit's documents on that basis), ``outlet_docs`` (all the unit's
    documents), ``share`` with a 95% Wilson interval ``ci_low, ci_high``, ``kinds`` and a ``summary``
    sentence ("SHINE runs Xinhua copy: 1 of 1 articles (style)")."""
    docs = _with_unit(corpus, by)
    outlet = dict(zip(docs["doc_id"], docs[by]))
    totals = docs[by].value_counts()
    pairs = cached_pairs(corpus, pairs, **options)
    pairs = pairs[pairs["kind"].isin(kinds)]
    credits = wire_credits(corpus) if credits is None else credits
    links: dict = {}                                    # (outlet, source, basis) -> {doc_id: kinds}
    for a, b, kind, earlier in zip(pairs["doc_id_a"], pairs["doc_id_b"], pairs["kind"], pairs["earlier"]):
        if earlier is None or pd.isna(earlier):
            for x, y in ((a, b), (b, a)):
                links.setdefault((outlet[x], outlet[y], "shares text"), {}).setdefault(x, set()).add(kind)
        else:
            late = b if earlier == a else a
            links.setdefault((outlet[late], outlet[earlier], "copy of earlier article"), {}) \
                .setdefault(late, set()).add(kind)
    for d, credit, kind in zip(credits["doc_id"], credits["credit"], credits["kind"]):
        if kind in _CREDIT_KINDS and d in outlet:
            links.setdefault((outlet[d], credit, "wire credit"), {}).setdefault(d, set()).add(kind)
    order = {k: i for i, k in enumerate(KINDS + _CREDIT_KINDS)}
    rows = []
    for (o, src, basis), ds in sorted(links.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]), kv[0][2])):
        n, total = len(ds), int(totals.get(o, 0))
        lo, hi = _wilson(n, total)
        ks = sorted(set().union(*ds.values()), key=order.get)
        if src == o and basis != "wire credit":
            says = f"{o} repeats its own text"
        elif basis == "wire credit":
            says = f"{o} runs {src} copy"
        else:
            says = f"{o} {'shares text with' if basis == 'shares text' else 'runs copy of'} {src}"
        rows.append({by: o, "source": src, "basis": basis, "n_docs": n, "outlet_docs": total,
                     "share": n / total if total else np.nan, "ci_low": lo, "ci_high": hi,
                     "kinds": ", ".join(ks), "summary": f"{says}: {n} of {total} articles ({', '.join(ks)})"})
    return pd.DataFrame(rows, columns=[by, "source", "basis", "n_docs", "outlet_docs", "share", "ci_low",
                                       "ci_high", "kinds", "summary"])


def copied_share(corpus, *, by="outlet", pairs=None, credits=None, kinds=KINDS, mostly=0.5,
                 **options) -> pd.DataFrame:
    """Per unit (``by``, default ``outlet``), how much of its material is not
    its own: ``<by>, n_docs, n_copied, share, ci_low, ci_high,
    mostly_copied``. A document counts as
    copied when it is the later one of a dated copy pair, in an undated pair
    (its text is not unique to it), or carries a stated, style or manifest
    wire credit. ``mostly_copied``: share above ``mostly`` — figures for that
    outlet rest mostly on copied text."""
    docs = _with_unit(corpus, by)
    pairs = cached_pairs(corpus, pairs, **options)
    pairs = pairs[pairs["kind"].isin(kinds)]
    credits = wire_credits(corpus) if credits is None else credits
    copied = set(credits.loc[credits["kind"].isin(_CREDIT_KINDS), "doc_id"])
    for a, b, earlier in zip(pairs["doc_id_a"], pairs["doc_id_b"], pairs["earlier"]):
        if earlier is None or pd.isna(earlier):
            copied.update((a, b))
        else:
            copied.add(b if earlier == a else a)
    rows = []
    for o, g in docs.groupby(by, sort=True):
        n, k = len(g), int(g["doc_id"].isin(copied).sum())
        lo, hi = _wilson(k, n)
        rows.append({by: o, "n_docs": n, "n_copied": k, "share": k / n, "ci_low": lo, "ci_high": hi,
                     "mostly_copied": k / n > mostly})
    return pd.DataFrame(rows, columns=[by, "n_docs", "n_copied", "share", "ci_low", "ci_high",
                                       "mostly_copied"])
