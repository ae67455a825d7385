"""Term usage: which words name the events, per outlet and voice.

``term_hits`` (one row per match) and ``term_hits_by`` (counts per unit)
follow the rules of :mod:`researchlib.match` (acronyms such as "US" only in
capitals); a group may list exclusion phrases, and a term
inside one of them ("war" in "Cold War") is not counted (``kwic`` shows it,
marked ``excluded``). ``per_1k`` is per 1,000 word tokens
(``researchlib.text.TOKEN``) of the unit in the chosen voice.
``voice="narrative"`` counts only matches outside quote marks (the outlet's
own words, reported speech included), ``"quoted"`` only those inside.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .copies import apply_dedupe
from .errors import ResourceError
from .language import english_only
from .match import Matcher, entry, exclusion_at, matcher_for, matcher_set_for
from .resources import load_resource
from .stats import g2, g2_p
from .signatures import keyword_options, renamed
from .store import stored
from .text import TOKEN, sentence_at, tokenize

__all__ = ["term_groups", "term_exclusions", "term_hits", "term_hits_by", "term_usage", "group_share", "kwic", "keyness", "keyness_by",
           "collocations", "token_counts", "VOICES"]

VOICES = ("all", "narrative", "quoted")


def check_voice(voice):
    """Raise ValueError unless ``voice`` is one of :data:`VOICES`."""
    if voice not in VOICES:
        raise ValueError(f"voice must be one of {VOICES}, not {voice!r}")


def _group_specs(groups):
    """(group name, spec) pairs of a term-group resource."""
    data = load_resource(groups, "terms", "terms")
    if not isinstance(data, dict):
        raise ResourceError(f"term groups must be a mapping of group name to terms, not {type(data).__name__}")
    for g, spec in data.items():
        if isinstance(spec, list):          # {"group": ["t1", "t2"]} shorthand
            spec = {"terms": spec}
        if not isinstance(spec, dict):
            raise ResourceError(f"term group {g!r}: expected a list of terms or a mapping with 'terms', not {spec!r}")
        yield g, spec


def _rows(items, where):
    """One row per spelling of each entry: a word or phrase, or a mapping with
    ``term`` and optional ``variants``, ``case`` and ``note``."""
    for item in items or []:
        term, case = entry(item, where=where)
        note = item.get("note") if isinstance(item, dict) else None
        yield term, term, case, note
        for v in (item.get("variants") or [] if isinstance(item, dict) else []):
            vterm, vcase = entry(v, where=where)
            yield term, vterm, vcase if isinstance(v, dict) and "case" in v else case, note


def term_groups(groups=None) -> pd.DataFrame:
    """The term groups as a table: ``group, label, term, variant, case, note``
    (``case``: None, 'sensitive' or 'insensitive'; see :mod:`researchlib.match`)."""
    rows = []
    for g, spec in _group_specs(groups):
        for term, variant, case, note in _rows(spec.get("terms", []), f"term group {g!r}"):
            rows.append({"group": g, "label": spec.get("label", g), "term": term, "variant": variant,
                         "case": case, "note": note})
    return pd.DataFrame(rows, columns=["group", "label", "term", "variant", "case", "note"])


def term_exclusions(groups=None) -> pd.DataFrame:
    """The exclusion phrases of the term groups: ``group, exclusion, variant,
    case, note``. A match of a group's term inside one of its exclusion
    phrases ("war" in "Cold War") is not counted (:func:`researchlib.match.exclusion_at`)."""
    rows = []
    for g, spec in _group_specs(groups):
        for term, variant, case, note in _rows(spec.get("exclusions", []), f"exclusions of term group {g!r}"):
            rows.append({"group": g, "exclusion": term, "variant": variant, "case": case, "note": note})
    return pd.DataFrame(rows, columns=["group", "exclusion", "variant", "case", "note"])


def _matcher(table):
    return matcher_for(((r.group, r.term), r.variant, r.case) for r in table.itertuples())


def exclusion_matcher(groups, only=None):
    """Matcher of the groups' exclusion phrases (labels: group names), or
    None; ``only``: the names of the groups to keep. Used with
    :func:`find_terms` wherever term matches are counted or masked."""
    table = term_exclusions(groups)
    if only is not None:
        table = table[table["group"].isin(only)]
    return matcher_for((r.group, r.variant, r.case) for r in table.itertuples()) if len(table) else None


def _inside(intervals, pos):
    for s, e in intervals:
        if s <= pos < e:
            return True
    return False


def _count_inside(starts, intervals) -> int:
    """How many of the sorted positions ``starts`` lie inside any of
    ``intervals`` (half-open [s, e), possibly overlapping): ``sum(_inside(
    intervals, p) for p in starts)``, counted per interval of their union by
    bisection (tested equal)."""
    from bisect import bisect_left
    n, end = 0, None
    for s, e in sorted(iv for iv in intervals if iv[1] > iv[0]):     # empty ones hold nothing
        if end is not None and s <= end:        # overlaps or touches the run: extend it
            end = max(end, e)
            continue
        if end is not None:
            n += bisect_left(starts, end) - bisect_left(starts, start)
        start, end = s, e
    if end is not None:
        n += bisect_left(starts, end) - bisect_left(starts, start)
    return n


def find_terms(text, matcher, exclusions=None):
    """(start, end, (group, term), matched text, exclusion match or None) for
    every match of a term-group matcher in ``text``: the one place where term
    matches meet their groups' exclusion phrases."""
    if exclusions is None:
        hits, xs = matcher.finditer(text), []
    else:       # one scan for both: the matches of ``matcher.finditer`` and ``exclusions.finditer``
        hits, xs = matcher_set_for((matcher, exclusions)).finditer_all(text)
    for s, e, labels, matched in hits:
        for label in labels:
            yield s, e, label, matched, exclusion_at(s, e, xs, owner=label[0]) if xs else None


@keyword_options
@stored("term_hits")
def term_hits(corpus, *, groups=None, excluded=False) -> pd.DataFrame:
    """Every counted match: ``doc_id, sent_id, start, end, group, term, match,
    voice, position`` (relative position of the match in the article, 0-1).
    ``excluded=True`` also returns the matches inside one of their group's
    exclusion phrases, with columns ``excluded`` and ``exclusion`` (the phrase
    as written)."""
    corpus = english_only(corpus)
    table = term_groups(groups)
    matcher = _matcher(table)
    exclusions = exclusion_matcher(groups)
    quoted = corpus.quote_intervals()
    sent_starts = corpus.sentence_starts()
    rows = []
    for doc_id, text in zip(corpus.documents["doc_id"].tolist(), corpus.documents["text"].tolist()):
        iv = quoted.get(doc_id, [])
        for s, e, (group, term), matched, x in find_terms(text, matcher, exclusions):
            if x is not None and not excluded:
                continue
            sid = sentence_at(sent_starts.get(doc_id, [0]), s)
            voice = "quoted" if iv and _inside(iv, s) else "narrative"
            row = (doc_id, sid, s, e, group, term, matched, voice, s / max(1, len(text)))
            rows.append(row + (x is not None, x[3] if x is not None else None) if excluded else row)
    cols = ["doc_id", "sent_id", "start", "end", "group", "term", "match", "voice", "position"]
    return pd.DataFrame(rows, columns=cols + ["excluded", "exclusion"] if excluded else cols)


@stored("token_counts")
def token_counts(corpus) -> pd.DataFrame:
    """Word tokens per document: ``doc_id, tokens_all, tokens_quoted, tokens_narrative``."""
    corpus = english_only(corpus)
    quoted = corpus.quote_intervals()
    rows = []
    for doc_id, text, n in zip(corpus.documents["doc_id"], corpus.documents["text"], corpus.documents["n_words"]):
        iv = quoted.get(doc_id)
        q = _count_inside([m.start() for m in TOKEN.finditer(text)], iv) if iv else 0
        rows.append((doc_id, int(n), q, int(n) - q))
    return pd.DataFrame(rows, columns=["doc_id", "tokens_all", "tokens_quoted", "tokens_narrative"])


def _by_list(by):
    return [by] if isinstance(by, str) else list(by)


@keyword_options
def term_hits_by(corpus, *, groups=None, by="outlet", voice="all", dedupe="keep") -> pd.DataFrame:
    """Counts of every term per unit: ``<by>, group, term, count, docs, tokens,
    per_1k`` (+ ``n_docs`` of the unit and ``voice``). Zero counts are kept.
    ``dedupe``: "keep", "first" or "drop" copies first (:func:`researchlib.dedupe`)."""
    corpus = english_only(corpus)
    check_voice(voice)
    corpus = apply_dedupe(corpus, dedupe)
    by = _by_list(by)
    docs = corpus.documents
    missing = [b for b in by if b not in docs.columns]
    if missing:
        raise KeyError(f"by={missing} are not document columns; available: {list(docs.columns)}")
    hits = term_hits(corpus, groups=groups)
    if voice != "all":
        hits = hits[hits["voice"] == voice]
    hits = hits.merge(docs[["doc_id", *[b for b in by if b != "doc_id"]]], on="doc_id")
    tok = token_counts(corpus).merge(docs[["doc_id", *[b for b in by if b != "doc_id"]]], on="doc_id")
    units = tok.groupby(by, dropna=False).agg(tokens=(f"tokens_{voice}", "sum"),
                                              n_docs=("doc_id", "nunique")).reset_index()
    counts = hits.groupby(by + ["group", "term"], dropna=False).agg(
        count=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()
    terms = term_groups(groups)[["group", "term"]].drop_duplicates()
    grid = units.merge(terms, how="cross")
    out = grid.merge(counts, on=by + ["group", "term"], how="left")
    out[["count", "docs"]] = out[["count", "docs"]].fillna(0).astype(int)
    out["per_1k"] = np.where(out["tokens"] > 0, out["count"] * 1000 / out["tokens"].where(out["tokens"] > 0, 1), np.nan)
    out["voice"] = voice
    return out[by + ["group", "term", "count", "docs", "tokens", "per_1k", "n_docs", "voice"]]


term_usage = renamed(term_hits_by, "term_usage", positional=("corpus", "groups", "by", "voice", "dedupe"))


@keyword_options
def group_share(usage: pd.DataFrame, *, by="outlet", groups=None) -> pd.DataFrame:
    """Per unit and term group (from :func:`term_hits_by`): ``count`` of matches,
    ``tokens`` and ``n_docs`` of the unit, ``per_1k`` (matches per 1,000 words),
    ``total`` matches of the listed ``groups`` (None: every group in
    ``usage``) and each group's ``share`` of them (e.g. "war" vs "crisis"
    wording)."""
    by = _by_list(by)
    u = usage if groups is None else usage[usage["group"].isin(list(groups))]
    g = u.groupby(by + ["group"], dropna=False).agg(
        count=("count", "sum"), tokens=("tokens", "first"), n_docs=("n_docs", "first")).reset_index()
    if groups is not None:          # rows in the order the groups were given
        order = {name: i for i, name in enumerate(groups)}
        g = g.sort_values(by + ["group"], key=lambda c: c.map(order) if c.name == "group" else c,
                          kind="stable").reset_index(drop=True)
    g["per_1k"] = g["count"] * 1000 / g["tokens"].where(g["tokens"] > 0)
    g["total"] = g.groupby(by, dropna=False)["count"].transform("sum")
    g["share"] = g["count"] / g["total"].where(g["total"] > 0)
    return g


@keyword_options
def kwic(corpus, pattern, *, window=8, by=None, voice="all", groups=None, exclusions=None) -> pd.DataFrame:
    """Keyword in context: ``doc_id, outlet, sent_id, voice, term, left,
    match, right, excluded, exclusion``.

    ``pattern``: a term, a list of terms (strings or ``{term, case}``
    mappings), or the name of a term group; matched with the same rules as
    :func:`term_hits_by`. ``window`` words either side. ``match`` is the text as
    written (so a reader can check the case rule). Matches inside an exclusion
    phrase are listed with ``excluded=True`` and the phrase in ``exclusion``
    (they are not counted by :func:`term_hits_by`); ``exclusions``: phrases to
    use instead of the group's own (for a list of terms, the only ones).
    """
    corpus = english_only(corpus)
    check_voice(voice)
    table = term_groups(groups)
    group = pattern if isinstance(pattern, str) and pattern in set(table["group"]) else None
    if group is not None:
        rows = table[table["group"] == group]
        entries = [((group, r.term), r.variant, r.case) for r in rows.itertuples()]
        excl = exclusion_matcher(groups, only=[group])
    else:
        items = [pattern] if isinstance(pattern, (str, dict)) else pattern
        entries = [((None, t), t, c) for t, c in (entry(p, where="kwic pattern") for p in items)]
        excl = None
    if exclusions is not None:
        excl = matcher_for((group, t, c) for t, c in (entry(x, where="kwic exclusion") for x in exclusions)) \
            if len(exclusions) else None
    matcher = Matcher(entries)
    quoted = corpus.quote_intervals()
    sent_starts = corpus.sentence_starts()
    cols = ["doc_id", "outlet"] + ([b for b in _by_list(by) if b not in ("doc_id", "outlet")] if by else [])
    rows = []
    for rec in corpus.documents[cols + ["text"]].itertuples(index=False):
        text = rec.text
        iv = quoted.get(rec.doc_id, [])
        last = None
        for s, e, (_, term), matched, x in find_terms(text, matcher, excl):
            if (s, e) == last:
                continue                 # one row per match (a spelling listed under two terms)
            last = (s, e)
            v = "quoted" if iv and _inside(iv, s) else "narrative"
            if voice != "all" and v != voice:
                continue
            left = " ".join(text[max(0, s - 400):s].split()[-window:])
            right = " ".join(text[e:e + 400].split()[:window])
            sid = sentence_at(sent_starts.get(rec.doc_id, [0]), s)
            rows.append({**{c: getattr(rec, c) for c in cols}, "sent_id": sid, "voice": v, "term": term,
                         "left": left, "match": matched, "right": right, "excluded": x is not None,
                         "exclusion": x[3] if x is not None else None})
    return pd.DataFrame(rows, columns=cols + ["sent_id", "voice", "term", "left", "match", "right",
                                              "excluded", "exclusion"])


def _freqs_plain(texts):
    """Word counts of ``texts`` (:func:`researchlib.text.tokenize`), in order of first occurrence."""
    counts = {}
    for t in texts:
        for w in tokenize(t):
            counts[w] = counts.get(w, 0) + 1
    return pd.Series(counts, dtype="int64")


def _freqs(texts):
    """:func:`_freqs_plain`, faster: the same tokens (``TOKEN`` matches,
    lower-cased, a final 's or ’s cut: the possessive rule of ``tokenize``),
    counted in the same order of first occurrence. No token holds whitespace,
    so the text's whitespace-delimited chunks are counted first (by
    ``collections.Counter``, in C) and each distinct chunk is tokenised once:
    a chunk of letters only (``str.isalpha``) is one token, the others go
    through ``TOKEN``. Taking the distinct chunks in order of first occurrence
    keeps each word's first occurrence in order. Tested equal."""
    from collections import Counter
    chunks = Counter()
    for t in texts:
        chunks.update(t.split())
    counts = {}
    for chunk, n in chunks.items():
        for w in ((chunk,) if chunk.isalpha() else TOKEN.findall(chunk)):
            w = w.lower()
            if w.endswith(_POSSESSIVE_ENDS):
                w = w[:-2]
            counts[w] = counts.get(w, 0) + n
    return pd.Series(counts, dtype="int64")


_POSSESSIVE_ENDS = ("'s", "\u2019s")


@keyword_options
def keyness(corpus, target, *, reference=None, by="outlet", min_count=3, voice="all") -> pd.DataFrame:
    """Keyness of words in ``target`` (a value of ``by``) against ``reference``
    (another value, a list, or None = all other units).

    Log-likelihood G2 (Dunning 1993) from the 2x2 table of the word's count and
    all other tokens in target and reference, signed negative when the word is
    relatively rarer in the target; p from chi-square with 1 df (no Williams
    correction); effect size: log ratio, log2 of the ratio of relative
    frequencies (Hardie 2014), with 0.5 added to a zero count. Words with fewer
    than ``min_count`` occurrences in target and reference together are dropped.
    Returns ``word, target_count, reference_count, target_per_1k,
    reference_per_1k, g2, p, log_ratio`` sorted by G2.
    """
    corpus = english_only(corpus)
    docs = corpus.documents
    if by not in docs.columns:
        raise KeyError(f"by={by!r} is not a document column")
    values = set(docs[by].dropna())
    if target not in values:
        raise ValueError(f"target {target!r} is not a value of {by!r}; values: {sorted(map(str, values))}")
    tmask = docs[by] == target
    if reference is None:
        rmask = ~tmask
    else:
        ref = [reference] if isinstance(reference, str) else list(reference)
        rmask = docs[by].isin(ref)
    if not rmask.any():
        raise ValueError("the reference is empty: target cannot be all the documents")
    texts = _voice_texts(corpus, voice)
    return _keyness_table(_freqs(texts[tmask.values]), _freqs(texts[rmask.values]), min_count)


def _keyness_table(t, r, min_count) -> pd.DataFrame:
    """The keyness table (see :func:`keyness`) of target word counts ``t``
    against reference counts ``r`` (Series indexed by word)."""
    words = t.index.union(r.index)
    a = t.reindex(words, fill_value=0).astype(float)
    b = r.reindex(words, fill_value=0).astype(float)
    n1, n2 = a.sum(), b.sum()
    keep = (a + b) >= min_count
    a, b = a[keep], b[keep]
    out = pd.DataFrame({"word": a.index, "target_count": a.values.astype(int), "reference_count": b.values.astype(int)})
    out["target_per_1k"] = a.values * 1000 / n1
    out["reference_per_1k"] = b.values * 1000 / n2
    out["g2"] = g2(a.values, b.values, n1, n2)
    out["p"] = g2_p(out["g2"])
    out["log_ratio"] = np.log2(((np.where(a.values == 0, 0.5, a.values)) / n1) /
                               ((np.where(b.values == 0, 0.5, b.values)) / n2))
    return out.sort_values("g2", ascending=False).reset_index(drop=True)


@keyword_options
def keyness_by(corpus, *, by="outlet", min_count=3, voice="all", top=None) -> pd.DataFrame:
    """:func:`keyness` of every unit of ``by`` against all the other units,
    in one pass over the texts (each document tokenised once, not once per
    unit): ``<by>, word, target_count, ...`` as :func:`keyness`, sorted by
    unit then G2; ``top``: the first ``top`` words of each unit. Equal to
    calling :func:`keyness` per unit (tests/test_measures.py)."""
    corpus = english_only(corpus)
    docs = corpus.documents
    if by not in docs.columns:
        raise KeyError(f"by={by!r} is not a document column")
    texts = _voice_texts(corpus, voice)
    units = docs[by].to_numpy(dtype=object)
    per_unit = {u: _freqs(texts[units == u]) for u in sorted(set(docs[by].dropna()), key=str)}
    total = pd.concat(per_unit.values(), axis=1).fillna(0).sum(axis=1).astype("int64") if per_unit else None
    missing = docs[by].isna().to_numpy()
    if missing.any():             # documents without a unit are in every unit's reference
        extra = _freqs(texts[missing])
        total = extra if total is None else total.add(extra, fill_value=0).astype("int64")
    parts = []
    for u, t in per_unit.items():
        if len(per_unit) < 2 and not missing.any():
            break
        r = total.sub(t, fill_value=0)
        k = _keyness_table(t, r[r > 0], min_count)
        parts.append((k if top is None else k.head(top)).assign(**{by: u}))
    cols = [by, "word", "target_count", "reference_count", "target_per_1k", "reference_per_1k", "g2", "p", "log_ratio"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def _voice_texts(corpus, voice):
    """Document texts with the other voice blanked out (same offsets)."""
    check_voice(voice)
    texts = corpus.documents["text"].to_numpy(dtype=object).copy()
    if voice == "all":
        return texts
    quoted = corpus.quote_intervals()
    for i, doc_id in enumerate(corpus.documents["doc_id"]):
        text = texts[i]
        keep = np.zeros(len(text), dtype=bool)
        for s, e in quoted.get(doc_id, []):
            keep[s:e] = True
        if voice == "narrative":
            keep = ~keep
        texts[i] = "".join(ch if k else " " for ch, k in zip(text, keep))
    return texts


@keyword_options
def collocations(corpus, term, *, window=5, measure="llr", min_count=2, top=20, voice="all") -> pd.DataFrame:
    """Words that co-occur with ``term`` within ``window`` tokens, scored with
    NLTK's association measures: ``llr`` (likelihood ratio), ``pmi`` or
    ``t`` (Student's t). Returns ``term, word, count, score, measure``."""
    corpus = english_only(corpus)
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
    measures = {"llr": BigramAssocMeasures.likelihood_ratio, "pmi": BigramAssocMeasures.pmi,
                "t": BigramAssocMeasures.student_t}
    if measure not in measures:
        raise ValueError(f"measure must be one of {sorted(measures)}")
    words = []
    for text in _voice_texts(corpus, voice):
        words.extend(tokenize(text))
        words.extend(["<doc>"] * window)   # no window crosses two articles
    key = tokenize(term)
    if len(key) != 1:
        raise ValueError("collocations take a single word term")
    key = key[0]
    finder = BigramCollocationFinder.from_words(words, window_size=window)
    finder.apply_word_filter(lambda w: w == "<doc>")
    finder.apply_freq_filter(min_count)
    finder.apply_ngram_filter(lambda w1, w2: key not in (w1, w2))
    rows = []
    for (w1, w2), score in finder.score_ngrams(measures[measure]):
        other = w2 if w1 == key else w1
        rows.append({"term": key, "word": other, "count": finder.ngram_fd[(w1, w2)], "score": score})
    out = pd.DataFrame(rows, columns=["term", "word", "count", "score"])
    out = out.groupby(["term", "word"], as_index=False).agg(count=("count", "sum"), score=("score", "max"))
    out["measure"] = measure
    return out.sort_values("score", ascending=False).head(top).reset_index(drop=True)
