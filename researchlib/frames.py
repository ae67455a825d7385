"""Framing with documented codebooks, evidence per sentence, and validation.

Method
------
A frame is found in a sentence when one of its indicator words or phrases
occurs there (rules of :mod:`researchlib.match`, acronyms in capitals
included) and the occurrence is not inside one of the frame's exclusion
phrases (:func:`researchlib.match.exclusion_at`, the same rule as for term
groups). An indicator or exclusion is a word or phrase, or ``{term, case}``. Each frame is matched on its own,
so one frame's phrases never hide another frame's words.

:func:`frames_by` scores frames by one of three methods
(:mod:`researchlib.frame_scores` explains them and what each can and cannot
see): ``"dictionary"`` (the indicator words), ``"embedding"`` (a zero-shot
sentence-embedding score from each frame's definition, indicators and
examples) and ``"combined"`` (the two in units of their spread, summed); the
default is ``"combined"`` when the ``models`` extra is installed, else
``"dictionary"``, and the output says which (``method``).
:func:`frame_evidence` lists the sentences behind each article's score, for
any method.

Decision rule for "this article uses this frame" (``present``): for the
dictionary, indicators in at least ``min_sentences`` sentences (default 2),
or in every sentence of an article shorter than that; for the embedding and
combined methods, one sentence at or above the frame's threshold, chosen on
a hand-coded sample (:func:`researchlib.frame_scores.calibrate`).

Known limits
------------
Dictionaries do not see negation ("not a partnership"), metaphor or irony,
and count an indicator the same in any context; the embedding sees topic,
not stance. Validate on your own data with :func:`coding_sheet` and
:func:`agreement`; ``rl.validation_summary()`` shows what the bundled
methods were checked against.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .copies import apply_dedupe
from .language import english_only
from .codebooks import as_codebook, codebook, indicator_matchers
from .match import exclusion_at, matcher_set_for
from .safe_text import neutralise_formulas, restore_formulas
from .signatures import keyword_options, renamed
from .stats import DocBootstrap, bootstrap_by_doc, cohen_kappa, krippendorff_alpha
from .store import stored
from .text import sentence_at

__all__ = ["codebook", "frames", "frames_by", "frame_profile", "frame_evidence", "coding_sheet", "agreement",
           "cohen_kappa", "krippendorff_alpha"]


@keyword_options
@stored("frames")
def frames(corpus, *, codebook="generic", voice="all") -> pd.DataFrame:
    """One row per sentence and frame found: ``doc_id, sent_id, frame,
    matched`` (the indicator words as written in the text, ``; ``-joined),
    ``n_matches``."""
    corpus = english_only(corpus)
    from .terms import check_voice
    check_voice(voice)
    book = as_codebook(codebook)
    matchers = indicator_matchers(book)
    quoted = corpus.quote_intervals() if voice != "all" else {}
    sent_starts = corpus.sentence_starts()
    rows = {}
    every = matcher_set_for(tuple(m for _, ind, exc in matchers for m in ((ind, exc) if exc else (ind,))))
    for doc_id, text in zip(corpus.documents["doc_id"].tolist(), corpus.documents["text"].tolist()):
        found = every.finditer_all(text)
        if not any(found):
            continue
        starts = sent_starts.get(doc_id, [0])
        iv = quoted.get(doc_id, [])
        found = iter(found)
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


@keyword_options
def frames_by(corpus, *, codebook="generic", by="outlet", voice="all", min_sentences=2,
              n_boot=2000, seed=0, min_docs=3, method=None, thresholds=None,
              dedupe="keep") -> pd.DataFrame:
    """Per unit and frame: ``method`` (the scoring method used), ``score``
    (the unit's mean sentence score by that method: higher = more of the
    frame; for the dictionary it is ``share``), ``share`` of the unit's
    sentences with an indicator of the frame (the dictionary's count, for
    every method), ``n_frame_sentences, n_sentences, n_docs``,
    ``docs_present`` (articles that use the frame by the method's decision
    rule), ``present`` (share of articles), a document-bootstrap ``ci_low,
    ci_high`` for ``share`` and ``score_ci_low, score_ci_high`` for
    ``score`` (NaN with one article) and ``low_n``. ``by="doc_id"`` gives
    article-level profiles.

    ``method``: 'dictionary', 'embedding', 'combined' or None (combined when
    the models extra is installed, else dictionary; see
    :mod:`researchlib.frame_scores`). ``min_sentences`` is the dictionary's
    rule; ``thresholds`` (a dict frame -> sentence threshold, or the frame
    of :func:`researchlib.frame_scores.calibrate`) replaces the stored ones
    of the other methods. ``dedupe``: "keep", "first" or "drop" copies first
    (:func:`researchlib.dedupe`)."""
    corpus = apply_dedupe(corpus, dedupe)
    from .frame_scores import check_method, sentence_frame_scores, thresholds as _thresholds
    method = check_method(method)
    corpus = english_only(corpus)
    by = [by] if isinstance(by, str) else list(by)
    book = as_codebook(codebook)
    hits = frames(corpus, codebook=codebook, voice=voice)
    sents = corpus.sentences[["doc_id", "sent_id"]]
    docs = corpus.documents[["doc_id", *[b for b in by if b != "doc_id"]]]
    base = sents.merge(docs, on="doc_id")
    n_sent_doc = sents.groupby("doc_id").size()
    if method != "dictionary":
        scored = sentence_frame_scores(corpus, codebook=book, method=method, voice=voice, hits=hits)
        cut = _thresholds(book, method, thresholds)
    rows, boot = [], {}
    for frame in book["frame"]:
        h = hits[hits["frame"] == frame][["doc_id", "sent_id"]].assign(hit=1)
        b = base.merge(h, on=["doc_id", "sent_id"], how="left")
        b["hit"] = b["hit"].fillna(0)
        per_doc = b.groupby("doc_id")["hit"].sum()
        if method == "dictionary":
            b["value"] = b["hit"]
            need = np.minimum(min_sentences, n_sent_doc.reindex(per_doc.index).to_numpy())
            present_doc = (per_doc.to_numpy() >= need) & (per_doc.to_numpy() > 0)
            present_doc = pd.Series(present_doc, index=per_doc.index)
        else:
            v = scored.loc[scored["frame"] == frame, ["doc_id", "sent_id", "score"]]
            b = b.merge(v.rename(columns={"score": "value"}), on=["doc_id", "sent_id"], how="left")
            present_doc = (b["value"] >= cut[frame]).groupby(b["doc_id"]).any()
        for key, g in b.groupby(by, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            ids = g["doc_id"].unique()
            if key not in boot:     # a unit's sentences are the same for every frame: draw its resamples once
                boot[key] = (DocBootstrap(g["doc_id"].to_numpy(), n_boot=n_boot, seed=seed),
                             present_doc.index.get_indexer(ids))
            unit_boot, at = boot[key]
            lo, hi = unit_boot.interval(g["hit"].to_numpy())     # = bootstrap_by_doc(g["doc_id"], g["hit"], ...)
            slo, shi = (lo, hi) if method == "dictionary" else bootstrap_by_doc(
                g["doc_id"], g["value"], n_boot=n_boot, seed=seed)
            rows.append({**dict(zip(by, key)), "frame": frame, "method": method, "score": g["value"].mean(),
                         "share": g["hit"].mean(),
                         "n_frame_sentences": int(g["hit"].sum()), "n_sentences": len(g),
                         "n_docs": len(ids), "docs_present": int(present_doc.to_numpy()[at].sum()),
                         "present": float(present_doc.to_numpy()[at].mean()), "ci_low": lo, "ci_high": hi,
                         "score_ci_low": slo, "score_ci_high": shi, "low_n": len(ids) < min_docs})
    out = pd.DataFrame(rows)
    out.attrs["method"] = method
    return out


frame_profile = renamed(frames_by, "frame_profile", positional=(
    "corpus", "codebook", "by", "voice", "min_sentences", "n_boot", "seed", "min_docs", "method", "thresholds",
    "dedupe"))


@keyword_options
def frame_evidence(corpus, *, codebook="generic", method=None, voice="all", top=3, thresholds=None) -> pd.DataFrame:
    """The sentences that contributed most to each article's score of each
    frame: ``doc_id, frame, method, rank, sent_id, score`` (the sentence's
    score; the article's score is the mean over its sentences), ``passes``
    (at or above the threshold of ``present``; for the dictionary: an
    indicator found), ``matched`` (the indicator words as written, empty when
    none) and ``text``; the ``top`` sentences per article and frame. For the
    dictionary only sentences with an indicator are listed (the others add
    nothing)."""
    from .frame_scores import check_method, sentence_frame_scores, thresholds as _thresholds
    method = check_method(method)
    book = as_codebook(codebook)
    found = frames(corpus, codebook=book, voice=voice)
    scored = sentence_frame_scores(corpus, codebook=book, method=method, voice=voice, hits=found)
    if method == "dictionary":
        scored = scored[scored["hit"] == 1]
        scored = scored.assign(passes=True)
    else:
        cut = _thresholds(book, method, thresholds)
        scored = scored.assign(passes=scored["score"].to_numpy() >= scored["frame"].map(cut).to_numpy())
    scored = scored.sort_values(["doc_id", "frame", "score", "sent_id"], ascending=[True, True, False, True])
    scored = scored.groupby(["doc_id", "frame"], sort=False).head(top).copy()
    scored["rank"] = scored.groupby(["doc_id", "frame"], sort=False).cumcount() + 1
    hits = found[["doc_id", "sent_id", "frame", "matched"]]
    out = scored.merge(hits, on=["doc_id", "sent_id", "frame"], how="left")
    out["matched"] = out["matched"].fillna("")
    out = out.merge(corpus.sentences[["doc_id", "sent_id", "text"]], on=["doc_id", "sent_id"], how="left")
    cols = ["doc_id", "frame", "method", "rank", "sent_id", "score", "passes", "matched", "text"]
    return out[cols].reset_index(drop=True)


@keyword_options
def coding_sheet(corpus, *, n=40, seed=0, codebook="generic", path=None) -> pd.DataFrame:
    """A random sample of ``n`` sentences for human coders: ``doc_id, sent_id,
    outlet, text`` and one empty column per frame (fill with 1 / 0). The
    dictionary's answers are not shown (coders stay blind). Written to
    ``path`` as CSV when given; in the file, text cells that a spreadsheet
    would run as a formula (starting with ``= + - @``, tab or carriage
    return) get a leading ``'`` (see ``safe_text.neutralise_formulas``);
    the returned frame keeps the text as it is."""
    corpus = english_only(corpus)
    book = as_codebook(codebook)
    s = corpus.sentences.merge(corpus.documents[["doc_id", "outlet"]], on="doc_id")
    sample = s.sample(n=min(n, len(s)), random_state=seed)[["doc_id", "sent_id", "outlet", "text"]]
    sample = sample.sort_values(["doc_id", "sent_id"]).reset_index(drop=True)
    for f in book["frame"]:
        sample[f] = pd.NA
    if path is not None:
        neutralise_formulas(sample).to_csv(path, index=False)
    return sample


def agreement(*sheets, corpus=None, codebook="generic") -> pd.DataFrame:
    """Agreement per frame between coded sheets (paths or frames from
    :func:`coding_sheet`, filled with 1/0), and with the dictionary when
    ``corpus`` is given. Returns ``frame, pair, cohen_kappa, n`` rows and one
    ``pair='all coders'`` row with Krippendorff's alpha. A sheet read from a
    file gets back the text ``coding_sheet`` wrote (its ``'`` guards against
    spreadsheet formulas are removed; doc_id stays text)."""
    coded = [s if isinstance(s, pd.DataFrame) else restore_formulas(pd.read_csv(s, dtype={"doc_id": str}))
             for s in sheets]
    names = [f"coder{i + 1}" for i in range(len(coded))]
    book = as_codebook(codebook)
    key = ["doc_id", "sent_id"]
    if corpus is not None:
        hits = frames(corpus, codebook=codebook)
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
