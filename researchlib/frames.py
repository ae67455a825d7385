"""Framing with documented codebooks, evidence per sentence, and validation.

A frame is found in a sentence when one of its indicator words or phrases
occurs there (rules of :mod:`researchlib.match`) and the occurrence is not
inside one of the frame's exclusion phrases. Each frame is matched on its own,
so one frame's phrases never hide another frame's words.

Decision rule for "this article uses this frame" (``present``): indicators in
at least ``min_sentences`` sentences (default 2), or in every sentence of an
article shorter than that. Known limits: dictionaries do not see negation
("not a partnership"), metaphor or irony, and count an indicator the same in
any context: validate on your own data with :func:`coding_sheet` and
:func:`agreement`.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .match import matcher_for, matcher_set_for
from .resources import load_resource
from .sentiment import bootstrap_by_doc
from .text import sentence_at

_ZERO = [0]

__all__ = ["codebook", "frames", "frame_profile", "coding_sheet", "agreement", "cohen_kappa",
           "krippendorff_alpha"]


def codebook(spec="generic") -> pd.DataFrame:
    """A codebook as a table: ``frame, definition, indicators, exclusions,
    example`` plus the codebook ``citation`` in ``.attrs``. ``spec``: a bundled
    name (generic, policy, study), a path or a dict."""
    data = load_resource(spec, "codebook", "generic")
    rows = [{"frame": f, "definition": v.get("definition", ""), "indicators": v.get("indicators") or [],
             "exclusions": v.get("exclusions") or [], "example": v.get("example", "")}
            for f, v in data["frames"].items()]
    out = pd.DataFrame(rows)
    out.attrs["citation"] = data.get("citation", "")
    out.attrs["name"] = data.get("name", str(spec))
    return out


def _book(spec):
    """A codebook table from a spec, or the table itself."""
    return spec if isinstance(spec, pd.DataFrame) else codebook(spec)


def _matchers(book):
    out = []
    for r in book.itertuples():
        if r.indicators:
            out.append((r.frame, matcher_for((w, w) for w in r.indicators),
                        matcher_for((w, w) for w in r.exclusions) if r.exclusions else None))
    return out


def frames(corpus, codebook="generic", voice="all") -> pd.DataFrame:
    """One row per sentence and frame found: ``doc_id, sent_id, frame,
    matched`` (the indicator words as written, ``; ``-joined), ``n_matches``."""
    from .terms import _check_voice
    _check_voice(voice)
    book = _book(codebook)
    matchers = _matchers(book)
    quoted = corpus.quote_intervals()
    sent_starts = corpus.sentence_starts()
    rows = {}
    every = matcher_set_for(tuple(m for _, ind, exc in matchers for m in ((ind, exc) if exc else (ind,))))
    for doc_id, text in zip(corpus.documents["doc_id"].tolist(), corpus.documents["text"].tolist()):
        starts = sent_starts.get(doc_id, _ZERO)
        iv = quoted.get(doc_id, [])
        found = iter(every.finditer_all(text))
        for frame, ind, exc in matchers:
            hits = next(found)
            excl = [(s, e) for s, e, _, _ in next(found)] if exc else []
            for s, e, _, matched in hits:
                if any(a <= s and e <= b for a, b in excl):
                    continue
                if voice != "all":
                    inq = any(a <= s < b for a, b in iv)
                    if (voice == "quoted") != inq:
                        continue
                sid = sentence_at(starts, s)
                rows.setdefault((doc_id, sid, frame), []).append(matched)
    out = pd.DataFrame([(d, s, f, "; ".join(m), len(m)) for (d, s, f), m in rows.items()],
                       columns=["doc_id", "sent_id", "frame", "matched", "n_matches"])
    return out.sort_values(["doc_id", "sent_id", "frame"]).reset_index(drop=True)


def frame_profile(corpus, codebook="generic", by="outlet", voice="all", min_sentences=2,
                  n_boot=2000, seed=0, min_docs=3) -> pd.DataFrame:
    """Per unit and frame: ``share`` of the unit's sentences with the frame,
    ``n_frame_sentences, n_sentences, n_docs``, ``docs_present`` (articles
    that use the frame by the decision rule), ``present`` (share of articles),
    a document-bootstrap ``ci_low, ci_high`` for ``share`` (NaN with one
    article) and ``low_n``. ``by="doc_id"`` gives article-level profiles."""
    by = [by] if isinstance(by, str) else list(by)
    book = _book(codebook)
    hits = frames(corpus, codebook, voice=voice)
    sents = corpus.sentences[["doc_id", "sent_id"]]
    docs = corpus.documents[["doc_id", *[b for b in by if b != "doc_id"]]]
    base = sents.merge(docs, on="doc_id")
    n_sent_doc = sents.groupby("doc_id").size()
    rows = []
    for frame in book["frame"]:
        h = hits[hits["frame"] == frame][["doc_id", "sent_id"]].assign(hit=1)
        b = base.merge(h, on=["doc_id", "sent_id"], how="left")
        b["hit"] = b["hit"].fillna(0)
        per_doc = b.groupby("doc_id")["hit"].sum()
        need = np.minimum(min_sentences, n_sent_doc.reindex(per_doc.index).to_numpy())
        present_doc = (per_doc.to_numpy() >= need) & (per_doc.to_numpy() > 0)
        present_doc = pd.Series(present_doc, index=per_doc.index)
        for key, g in b.groupby(by, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            ids = g["doc_id"].unique()
            lo, hi = bootstrap_by_doc(g["doc_id"], g["hit"], n_boot=n_boot, seed=seed)
            rows.append({**dict(zip(by, key)), "frame": frame, "share": g["hit"].mean(),
                         "n_frame_sentences": int(g["hit"].sum()), "n_sentences": len(g),
                         "n_docs": len(ids), "docs_present": int(present_doc[ids].sum()),
                         "present": float(present_doc[ids].mean()), "ci_low": lo, "ci_high": hi,
                         "low_n": len(ids) < min_docs})
    return pd.DataFrame(rows)


def coding_sheet(corpus, n=40, seed=0, codebook="generic", path=None) -> pd.DataFrame:
    """A random sample of ``n`` sentences for human coders: ``doc_id, sent_id,
    outlet, text`` and one empty column per frame (fill with 1 / 0). The
    dictionary's answers are not shown (coders stay blind). Written to
    ``path`` as CSV when given."""
    book = _book(codebook)
    s = corpus.sentences.merge(corpus.documents[["doc_id", "outlet"]], on="doc_id")
    sample = s.sample(n=min(n, len(s)), random_state=seed)[["doc_id", "sent_id", "outlet", "text"]]
    sample = sample.sort_values(["doc_id", "sent_id"]).reset_index(drop=True)
    for f in book["frame"]:
        sample[f] = pd.NA
    if path is not None:
        sample.to_csv(path, index=False)
    return sample


def cohen_kappa(a, b) -> float:
    """Cohen's kappa for two coders' labels (pairs with a missing label dropped)."""
    df = pd.DataFrame({"a": a, "b": b}).dropna()
    if df.empty:
        return float("nan")
    po = (df["a"] == df["b"]).mean()
    cats = set(df["a"]) | set(df["b"])
    pe = sum((df["a"] == c).mean() * (df["b"] == c).mean() for c in cats)
    return float("nan") if pe == 1 else float((po - pe) / (1 - pe))


def krippendorff_alpha(units) -> float:
    """Krippendorff's alpha, nominal, from a list of per-unit lists of values
    (missing values omitted; units with fewer than two values are skipped)."""
    o = {}
    for vals in units:
        vals = [v for v in vals if v is not None and not (isinstance(v, float) and np.isnan(v))]
        m = len(vals)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[(vals[i], vals[j])] = o.get((vals[i], vals[j]), 0) + 1 / (m - 1)
    if not o:
        return float("nan")
    cats = sorted({c for pair in o for c in pair}, key=str)
    n_c = {c: sum(v for (x, _), v in o.items() if x == c) for c in cats}
    n = sum(n_c.values())
    d_o = sum(v for (x, y), v in o.items() if x != y)
    d_e = sum(n_c[x] * n_c[y] for x in cats for y in cats if x != y)
    return float("nan") if d_e == 0 else float(1 - (n - 1) * d_o / d_e)


def agreement(*sheets, corpus=None, codebook="generic") -> pd.DataFrame:
    """Agreement per frame between coded sheets (paths or frames from
    :func:`coding_sheet`, filled with 1/0), and with the dictionary when
    ``corpus`` is given. Returns ``frame, pair, cohen_kappa, n`` rows and one
    ``pair='all coders'`` row with Krippendorff's alpha."""
    coded = [pd.read_csv(s) if not isinstance(s, pd.DataFrame) else s for s in sheets]
    names = [f"coder{i + 1}" for i in range(len(coded))]
    book = _book(codebook)
    key = ["doc_id", "sent_id"]
    if corpus is not None:
        hits = frames(corpus, codebook)
        dic = coded[0][key].copy()
        for f in book["frame"]:
            fh = set(map(tuple, hits.loc[hits["frame"] == f, key].itertuples(index=False)))
            dic[f] = [int((d, s) in fh) for d, s in zip(dic["doc_id"], dic["sent_id"])]
        coded.append(dic)
        names.append("dictionary")
    rows = []
    for f in book["frame"]:
        cols = []
        for name, sheet in zip(names, coded):
            if f in sheet.columns:
                cols.append((name, sheet.set_index(key)[f]))
        if len(cols) < 2:
            continue
        joined = pd.concat([c for _, c in cols], axis=1, keys=[n for n, _ in cols])
        joined = joined.apply(pd.to_numeric, errors="coerce")
        for (n1, _), (n2, _) in itertools.combinations(cols, 2):
            pair = joined[[n1, n2]].dropna()
            rows.append({"frame": f, "pair": f"{n1} vs {n2}", "cohen_kappa": cohen_kappa(pair[n1], pair[n2]),
                         "krippendorff_alpha": np.nan, "n": len(pair)})
        coders = [n for n, _ in cols if n != "dictionary"]
        if len(coders) >= 2:
            units = joined[coders].values.tolist()
            rows.append({"frame": f, "pair": "all coders", "cohen_kappa": np.nan,
                         "krippendorff_alpha": krippendorff_alpha(units), "n": len(joined)})
    return pd.DataFrame(rows)
