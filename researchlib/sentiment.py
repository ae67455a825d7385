"""Sentiment per sentence, aggregated honestly.

Methods (all offline; analysers built once per process):

* ``"vader"``: vaderSentiment's compound score (-1..1), its shipped lexicon
  (Hutto & Gilbert 2014).
* ``"textblob"``: TextBlob's pattern polarity (-1..1).
* ``"news"`` (optional extra ``researchlib[models]``): embedding + ridge head
  fitted on human ratings; on the human rating scale (about -3..+3), trained
  on US editorials (see :mod:`researchlib.news`).
* ``"blend"`` (the default, ``method=None``): 0.65 x VADER + 0.35 x TextBlob.
  The weights were chosen on the development half of the NYT editorial
  sentences (odd editorial ids; r = 0.511 vs VADER 0.496) and hold on both
  halves of it; they are fixed, not refitted per corpus.

Known limits: lexicon scores measure the words, not the stance: quoted speech,
irony and word choice ("war" -0.60 vs "invasion" 0.0 in VADER) move them.
Score per sentence, separate voices, mask naming terms, and read the intervals.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .lexicons import LEXICONS, lexicon_scores
from .match import Matcher, entry, matcher_for
from .resources import load_resource
from .stats import bootstrap_by_doc, bootstrap_mean, pearson_ci

__all__ = ["score_texts", "sentiment", "sentiment_by", "bootstrap_by_doc", "target_sentiment",
           "method_agreement", "validate", "term_scores", "METHODS", "DEFAULT_METHOD"]

METHODS = ("vader", "textblob", "blend", "news")   # "news" needs the extra researchlib[models]
DEFAULT_METHOD = "blend"
BLEND = {"vader": 0.65, "textblob": 0.35}
MASK_TOKEN = "thing"   # neutral in both lexicons


def _score(texts, method):
    if method in LEXICONS:      # exact re-implementations on verified versions, else the libraries
        return lexicon_scores(texts, method)
    if method == "blend":
        return BLEND["vader"] * _score(texts, "vader") + BLEND["textblob"] * _score(texts, "textblob")
    if method == "news":
        from .news import score_news
        return score_news(texts)
    raise ValueError(f"unknown sentiment method {method!r}; choose one of {METHODS} (or None for {DEFAULT_METHOD!r})")


def score_texts(texts, method=None) -> np.ndarray:
    """One score per text. ``method``: 'vader', 'textblob', 'blend' or None (the
    default, 'blend')."""
    if isinstance(texts, str):
        texts = [texts]
    return _score([str(t) for t in texts], method or DEFAULT_METHOD)


def _mask_matcher(mask_terms):
    """(matcher, exclusion matcher or None) of the words to mask, or None."""
    if mask_terms is None:
        return None
    from .terms import exclusion_matcher as _exclusion_matcher, term_groups
    excl = None
    if isinstance(mask_terms, (list, tuple)) and all(isinstance(t, str) for t in mask_terms):
        table = term_groups()
        if set(mask_terms) <= set(table["group"]):          # names of bundled groups
            table = table[table["group"].isin(mask_terms)]
            excl = _exclusion_matcher(None, only=list(mask_terms))
        else:                                               # the words themselves
            table = pd.DataFrame({"group": None, "variant": list(mask_terms), "case": None})
    else:
        table = term_groups(mask_terms)
        excl = _exclusion_matcher(mask_terms)
    rows = zip(table["group"], table["variant"], table["case"])
    return matcher_for(((g, v), v, c) for g, v, c in rows), excl


def _mask(text, matchers):
    """``text`` with every counted match replaced by ``MASK_TOKEN`` (a match
    inside its group's exclusion phrase, "Cold War", is not a naming term)."""
    from .terms import find_terms
    matcher, excl = matchers
    out, last = [], 0
    for s, e, _, _, x in find_terms(text, matcher, excl):
        if x is not None or s < last:
            continue
        out.append(text[last:s])
        out.append(MASK_TOKEN)
        last = e
    out.append(text[last:])
    return "".join(out)


def _voice_units(corpus, voice):
    """(doc_id, sent_id, text) per sentence restricted to a voice: quoted
    characters are cut out for 'narrative', only they are kept for 'quoted'."""
    s = corpus.sentences
    if voice == "all":
        return s[["doc_id", "sent_id", "text"]].copy()
    rows = []
    spans = corpus.quote_intervals()
    for d, sid, a, b, text in zip(s["doc_id"], s["sent_id"], s["start"], s["end"], s["text"]):
        iv = [(max(a, x) - a, min(b, y) - a) for x, y in spans.get(d, []) if x < b and y > a]
        if voice == "quoted":
            part = " ".join(text[x:y] for x, y in iv)
        else:
            keep, last = [], 0
            for x, y in sorted(iv):
                keep.append(text[last:x])
                last = y
            keep.append(text[last:])
            part = " ".join(keep)
        if sum(ch.isalpha() for ch in part) >= 3:
            rows.append((d, sid, part))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "text"])


def sentiment(corpus, methods=("vader", "textblob"), voice="all", mask_terms=None) -> pd.DataFrame:
    """Per-sentence scores: ``doc_id, sent_id, method, score, outlet, voice,
    text`` (the text scored). ``voice``: 'all', 'narrative' (quoted words cut
    out) or 'quoted' (only quoted words). ``mask_terms``: term groups (names in
    the bundled terms file, a file, or a dict) whose words are replaced by a
    neutral word before scoring, separating tone from naming (by the counting
    rule: a word inside its group's exclusion phrase, "Cold War", is kept)."""
    if isinstance(methods, str):
        methods = (methods,)
    units = _voice_units(corpus, voice)
    matcher = _mask_matcher(mask_terms)
    texts = units["text"].tolist()
    if matcher is not None:
        texts = [_mask(t, matcher) for t in texts]
    frames = []
    for m in methods:
        f = units[["doc_id", "sent_id"]].copy()
        f["method"] = m
        f["score"] = score_texts(texts, m) if texts else np.array([], dtype=float)
        f["text"] = texts
        frames.append(f)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["doc_id", "sent_id", "method", "score", "text"])
    out = out.merge(corpus.documents[["doc_id", "outlet"]], on="doc_id", how="left")
    out["voice"] = voice
    out["masked"] = matcher is not None
    return out[["doc_id", "sent_id", "outlet", "method", "voice", "masked", "score", "text"]]


def sentiment_by(scores_or_corpus, by="outlet", methods=("vader", "textblob"), voice="all",
                 min_docs=3, n_boot=2000, seed=0, threshold=0.05) -> pd.DataFrame:
    """Aggregate sentence scores per unit and method: ``mean, median,
    share_positive, share_negative`` (beyond +-``threshold``), ``n_sentences,
    n_docs``, a 95% interval ``ci_low, ci_high`` from a bootstrap over
    *documents*, and ``low_n`` (fewer than ``min_docs`` documents: read with
    care). With one document the document interval does not exist; then
    ``ci_basis`` says the interval shown resamples that article's sentences and
    understates the uncertainty about the outlet."""
    if hasattr(scores_or_corpus, "sentences"):
        scores = sentiment(scores_or_corpus, methods=methods, voice=voice)
        docs = scores_or_corpus.documents
    else:
        scores, docs = scores_or_corpus, None
    by = [by] if isinstance(by, str) else list(by)
    if docs is not None and any(b not in scores.columns for b in by):
        scores = scores.merge(docs[["doc_id", *[b for b in by if b not in scores.columns]]], on="doc_id")
    rows = []
    for key, g in scores.groupby(by + ["method"], dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        n_docs = g["doc_id"].nunique()
        if n_docs >= 2:
            lo, hi = bootstrap_by_doc(g["doc_id"], g["score"], n_boot=n_boot, seed=seed)
            basis = "documents"
        else:
            lo, hi = bootstrap_mean(g["score"], n_boot=n_boot, seed=seed)
            basis = "sentences of 1 document (understates uncertainty)"
        rows.append({**dict(zip(by + ["method"], key)), "mean": g["score"].mean(), "median": g["score"].median(),
                     "share_positive": (g["score"] > threshold).mean(), "share_negative": (g["score"] < -threshold).mean(),
                     "n_sentences": len(g), "n_docs": n_docs, "ci_low": lo, "ci_high": hi, "ci_basis": basis,
                     "low_n": n_docs < min_docs})
    return pd.DataFrame(rows)


def target_sentiment(corpus, targets=None, methods=("vader", "textblob"), voice="all") -> pd.DataFrame:
    """Scores of the sentences that mention each target (aliases from
    ``resources/targets.yaml``, matched by the rules of
    :mod:`researchlib.match`: "US" is not "us"): per-sentence rows with a
    ``target`` column and ``matched``, the aliases as written in the sentence
    (``; ``-joined)."""
    matcher = Matcher(target_aliases(targets))
    s = corpus.sentences
    rows = []
    for d, sid, text in zip(s["doc_id"], s["sent_id"], s["text"]):
        found = {}
        for _, _, labs, written in matcher.finditer(text):
            for lab in labs:
                found.setdefault(lab, []).append(written)
        rows += [(d, sid, tgt, "; ".join(found[tgt])) for tgt in sorted(found)]
    mentions = pd.DataFrame(rows, columns=["doc_id", "sent_id", "target", "matched"])
    scores = sentiment(corpus, methods=methods, voice=voice)
    return mentions.merge(scores, on=["doc_id", "sent_id"])


def target_aliases(targets=None):
    """(target, alias, case) triples: a target's own aliases plus those of the
    speakers it names in the speaker table (one source for names shared by
    both). An alias is a word or phrase, or ``{term, case}``."""
    from .quotes import speaker_table
    spec = load_resource(targets, "targets", "targets")
    speakers = speaker_table()
    out = []
    for name, t in spec.items():
        known = speakers[speakers["name"].isin(t.get("speakers", []))]
        out += [(name, a, c) for a, c in zip(known["alias"], known["case"])]
        out += [(name, *entry(a, where=f"aliases of target {name!r}")) for a in t.get("aliases", [])]
    return out


def method_agreement(scores: pd.DataFrame, by="outlet", a="vader", b="textblob", top=10):
    """Pearson r between two methods per unit, and the sentences where they
    disagree most (a teaching table). Returns (correlations, disagreements)."""
    wide = scores.pivot_table(index=["doc_id", "sent_id", by, "text"], columns="method", values="score").reset_index()
    corr = wide.groupby(by).apply(lambda g: pd.Series({"r": g[a].corr(g[b]) if len(g) > 2 else np.nan,
                                                       "n_sentences": len(g)}), include_groups=False).reset_index()
    wide["difference"] = wide[a] - wide[b]
    worst = wide.reindex(wide["difference"].abs().sort_values(ascending=False).index).head(top)
    return corr, worst[["doc_id", "sent_id", by, a, b, "difference", "text"]].reset_index(drop=True)


def validate(path, methods=("vader", "textblob", "blend"), text="text", rating="mean_rating") -> pd.DataFrame:
    """Pearson r (with a 95% Fisher-z interval) between each method and human
    ratings in a labelled CSV (columns ``text`` and ``rating``)."""
    data = pd.read_csv(path)
    for col in (text, rating):
        if col not in data.columns:
            raise KeyError(f"{path}: no column {col!r}; columns are {list(data.columns)}")
    rows = []
    for m in methods:
        pred = score_texts(data[text].astype(str).tolist(), m)
        r, lo, hi, n = pearson_ci(pred, data[rating].astype(float))
        rows.append({"method": m, "r": r, "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows)


def term_scores(groups=None, methods=("vader", "textblob")) -> pd.DataFrame:
    """Each naming term scored on its own: word choice alone moves sentiment."""
    from .terms import term_groups
    t = term_groups(groups)[["group", "term"]].drop_duplicates()
    for m in methods:
        t[m] = score_texts(t["term"].tolist(), m)
    return t.reset_index(drop=True)
