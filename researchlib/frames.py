"""Framing with documented codebooks, evidence per sentence, and validation.

A frame is found in a sentence when one of its indicator words or phrases
occurs there (rules of :mod:`researchlib.match`, acronyms in capitals
included) and the occurrence is not inside one of the frame's exclusion
phrases (:func:`researchlib.match.exclusion_at`, the same rule as for term
groups). An indicator or exclusion is a word or phrase, or ``{term, case}``. Each frame is matched on its own,
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

from .match import entry, exclusion_at, matcher_for, matcher_set_for
from .resources import load_resource
from .stats import bootstrap_by_doc, cohen_kappa, krippendorff_alpha
from .text import sentence_at

_ZERO = [0]

__all__ = ["codebook", "frames", "frame_profile", "coding_sheet", "agreement", "cohen_kappa",
           "krippendorff_alpha"]


def codebook(spec="study") -> pd.DataFrame:
    """A codebook as a table: ``frame, definition, indicators, exclusions,
    example`` plus the codebook ``citation`` in ``.attrs``."""
    data = load_resource(spec, "codebook", "study")
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


def _entries(items, where):
    """(label, term, case) of indicator or exclusion items (a word or phrase,
    or ``{term, case}``); the label is the term as listed."""
    return [(t, t, c) for t, c in (entry(i, where=where) for i in items)]


def _matchers(book):
    out = []
    for r in book.itertuples():
        if r.indicators:
            exc = matcher_for(_entries(r.exclusions, f"exclusions of frame {r.frame!r}")) if r.exclusions else None
            out.append((r.frame, matcher_for(_entries(r.indicators, f"indicators of frame {r.frame!r}")), exc))
    return out


def frames(corpus, codebook="study", voice="all") -> pd.DataFrame:
    """One row per sentence and frame found: ``doc_id, sent_id, frame,
    matched`` (the indicator words as written in the text, ``; ``-joined),
    ``n_matches``."""
    from .terms import check_voice as _check_voice
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
            excl = next(found) if exc else []
            for s, e, _, matched in hits:
                if excl and exclusion_at(s, e, excl):
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


def frame_profile(corpus, codebook="study", by="outlet", voice="all", min_sentences=2,
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


def coding_sheet(corpus, n=40, seed=0, codebook="study", path=None) -> pd.DataFrame:
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


def agreement(*sheets, corpus=None, codebook="study") -> pd.DataFrame:
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
