"""Sentiment per sentence, aggregated honestly.

Methods (all offline; analysers built once per process):

* ``"vader"``: vaderSentiment's compound score (-1..1), its shipped lexicon
  (Hutto & Gilbert 2014).
* ``"textblob"``: TextBlob's pattern polarity (-1..1).
* ``"news"`` (optional extra ``researchlib[models]``): embedding + ridge head
  fitted on human ratings; on the human rating scale (about -3..+3), trained
  on US editorials (see :mod:`researchlib.news`).
* ``"blend"`` (the default of every function here, ``methods=None``):
  0.65 x VADER + 0.35 x TextBlob.
  The weights were chosen on the development half of the NYT editorial
  sentences (odd editorial ids; r = 0.511 vs VADER 0.496) and hold on both
  halves of it; they are fixed, not refitted per corpus.

Known limits: lexicon scores measure the words, not the stance: quoted speech,
irony and word choice ("war" -0.60 vs "invasion" 0.0 in VADER) move them.
Score per sentence, separate voices, mask naming terms, and read the intervals.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .match import Matcher, matcher_for
from .resources import load_resource

__all__ = ["score_texts", "sentiment", "sentiment_by", "bootstrap_by_doc", "target_sentiment",
           "method_agreement", "validate", "term_scores", "METHODS", "DEFAULT_METHOD"]

METHODS = ("vader", "textblob", "blend", "news")   # "news" needs the extra researchlib[models]
DEFAULT_METHOD = "blend"
BLEND = {"vader": 0.65, "textblob": 0.35}
MASK_TOKEN = "thing"   # neutral in both lexicons


def _score(texts, method):
    # Both lexicon methods run through exact re-implementations that are
    # tested to give the libraries' own numbers (vader_exact, textblob_exact).
    if method == "vader":
        from .vader_exact import vader_compound
        return np.array(vader_compound(texts), dtype=float)
    if method == "textblob":
        from .textblob_exact import textblob_polarity
        return np.array(textblob_polarity(texts), dtype=float)
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
    if mask_terms is None:
        return None
    from .terms import term_groups
    if isinstance(mask_terms, (list, tuple)) and all(isinstance(t, str) for t in mask_terms):
        table = term_groups()
        table = table[table["group"].isin(mask_terms)] if set(mask_terms) <= set(table["group"]) else \
            pd.DataFrame({"variant": list(mask_terms)})
    else:
        table = term_groups(mask_terms)
    return matcher_for((v, v) for v in table["variant"])


def _mask(text, matcher):
    out, last = [], 0
    for s, e, _, _ in matcher.finditer(text):
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


SCORE_COLUMNS = ["doc_id", "sent_id", "outlet", "method", "voice", "masked", "score", "text"]
AGG_COLUMNS = ["method", "mean", "median", "share_positive", "share_negative", "n_sentences", "n_docs",
               "ci_low", "ci_high", "ci_basis", "low_n"]


def _methods(methods):
    if methods is None:
        return (DEFAULT_METHOD,)
    return (methods,) if isinstance(methods, str) else tuple(methods)


def sentiment(corpus, methods=None, voice="all", mask_terms=None) -> pd.DataFrame:
    """Per-sentence scores: ``doc_id, sent_id, outlet, method, voice, masked,
    score, text`` (the text scored). ``methods``: one name or a list (None:
    ``blend``). ``voice``: 'all', 'narrative' (quoted words cut
    out) or 'quoted' (only quoted words). ``mask_terms``: term groups (names in
    the bundled terms file, a file, or a dict) whose words are replaced by a
    neutral word before scoring, separating tone from naming."""
    methods = _methods(methods)
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
    return out[SCORE_COLUMNS]


def bootstrap_by_doc(doc_ids, values, n_boot=2000, seed=0, level=0.95):
    """Percentile interval for the sentence-weighted mean, resampling documents
    (sentences of one article are not independent). Returns (low, high), or
    (nan, nan) with fewer than two documents."""
    df = pd.DataFrame({"d": doc_ids, "v": values})
    g = df.groupby("d")["v"].agg(["sum", "count"])
    k = len(g)
    if k < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    w = rng.multinomial(k, np.full(k, 1 / k), size=n_boot)
    means = (w @ g["sum"].to_numpy()) / (w @ g["count"].to_numpy())
    a = (1 - level) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def _sentence_interval(values, n_boot=2000, seed=0, level=0.95):
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1)
    a = (1 - level) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def sentiment_by(scores_or_corpus, by="outlet", methods=None, voice="all",
                 min_docs=3, n_boot=2000, seed=0, threshold=0.05, documents=None) -> pd.DataFrame:
    """Aggregate sentence scores per unit and method: ``<by>, method, mean,
    median, share_positive, share_negative`` (beyond +-``threshold``),
    ``n_sentences, n_docs``, a 95% interval ``ci_low, ci_high`` from a
    bootstrap over *documents*, and ``low_n`` (fewer than ``min_docs``
    documents: read with care). With one document the document interval does
    not exist; then ``ci_basis`` says the interval shown resamples that
    article's sentences and understates the uncertainty about the unit.

    ``scores_or_corpus``: a frame from :func:`sentiment` (or
    :func:`target_sentiment`), or a corpus (scored with ``methods`` and
    ``voice``; None: ``blend``). ``by``: one document column or a list; a
    column the scores lack is taken from ``documents`` (the corpus's when a
    corpus is given). No scores: an empty frame with these columns."""
    if hasattr(scores_or_corpus, "sentences"):
        scores = sentiment(scores_or_corpus, methods=methods, voice=voice)
        documents = scores_or_corpus.documents if documents is None else documents
    else:
        scores = scores_or_corpus
    by = [by] if isinstance(by, str) else list(by)
    missing = [b for b in by if b not in scores.columns]
    if missing:
        if documents is None or any(b not in documents.columns for b in missing):
            where = list(documents.columns) if documents is not None else list(scores.columns)
            raise KeyError(f"by={missing} is not a column of the scores or the documents; available: {where}")
        scores = scores.merge(documents[["doc_id", *missing]], on="doc_id", how="left")
    rows = []
    for key, g in scores.groupby(by + ["method"], dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        n_docs = g["doc_id"].nunique()
        if n_docs >= 2:
            lo, hi = bootstrap_by_doc(g["doc_id"], g["score"], n_boot=n_boot, seed=seed)
            basis = "documents"
        else:
            lo, hi = _sentence_interval(g["score"], n_boot=n_boot, seed=seed)
            basis = "sentences of 1 document (understates uncertainty)"
        rows.append({**dict(zip(by + ["method"], key)), "mean": g["score"].mean(), "median": g["score"].median(),
                     "share_positive": (g["score"] > threshold).mean(), "share_negative": (g["score"] < -threshold).mean(),
                     "n_sentences": len(g), "n_docs": n_docs, "ci_low": lo, "ci_high": hi, "ci_basis": basis,
                     "low_n": n_docs < min_docs})
    return pd.DataFrame(rows, columns=by + AGG_COLUMNS)


def target_sentiment(corpus, targets=None, methods=None, voice="all") -> pd.DataFrame:
    """Scores of the sentences that mention each target (aliases from
    ``targets``: a file, a dict, or None for ``resources/targets.yaml``):
    per-sentence rows of :func:`sentiment` with a ``target`` column (none
    when no target is mentioned: an empty frame with these columns)."""
    matcher = Matcher(target_aliases(targets))
    s = corpus.sentences
    rows = []
    for d, sid, text in zip(s["doc_id"], s["sent_id"], s["text"]):
        for tgt in sorted({lab for _, _, labs, _ in matcher.finditer(text) for lab in labs}):
            rows.append((d, sid, tgt))
    mentions = pd.DataFrame(rows, columns=["doc_id", "sent_id", "target"])
    if mentions.empty:   # nothing to score
        return pd.DataFrame(columns=["doc_id", "sent_id", "target", *SCORE_COLUMNS[2:]])
    scores = sentiment(corpus.subset(mentions["doc_id"].unique()), methods=methods, voice=voice)
    return mentions.merge(scores, on=["doc_id", "sent_id"])


def target_aliases(targets=None):
    """(target, alias) pairs: a target's own aliases plus those of the speakers
    it names in the speaker table (one source for names shared by both)."""
    from .quotes import speaker_table
    spec = load_resource(targets, "targets", "targets")
    speakers = speaker_table()
    pairs = []
    for name, t in spec.items():
        names = t.get("speakers", [])
        pairs += [(name, a) for a in speakers.loc[speakers["name"].isin(names), "alias"]]
        pairs += [(name, a) for a in t.get("aliases", [])]
    return pairs


def method_agreement(scores: pd.DataFrame, by="outlet", a="vader", b="textblob", top=10, documents=None):
    """Pearson r between two methods per unit, and the sentences where they
    disagree most (a teaching table). Returns (correlations, disagreements):
    ``<by>, r, n_sentences`` and ``doc_id, sent_id, <by>, a, b, difference,
    text``. ``by`` missing from the scores is taken from ``documents``."""
    if by not in scores.columns:
        if documents is None or by not in documents.columns:
            raise KeyError(f"by={by!r} is not a column of the scores; pass documents= with it")
        scores = scores.merge(documents[["doc_id", by]], on="doc_id", how="left")
    missing = {a, b} - set(scores["method"])
    if missing or scores.empty:
        return (pd.DataFrame(columns=[by, "r", "n_sentences"]),
                pd.DataFrame(columns=["doc_id", "sent_id", by, a, b, "difference", "text"]))
    wide = scores.pivot_table(index=["doc_id", "sent_id", by, "text"], columns="method", values="score").reset_index()
    corr = wide.groupby(by).apply(lambda g: pd.Series({"r": g[a].corr(g[b]) if len(g) > 2 else np.nan,
                                                       "n_sentences": len(g)}), include_groups=False).reset_index()
    wide["difference"] = wide[a] - wide[b]
    worst = wide.reindex(wide["difference"].abs().sort_values(ascending=False).index).head(top)
    return corr, worst[["doc_id", "sent_id", by, a, b, "difference", "text"]].reset_index(drop=True)


def validate(path=None, methods=("vader", "textblob", "blend"), text="text", rating="mean_rating") -> pd.DataFrame:
    """Pearson r (with a 95% Fisher-z interval) between each method and human
    ratings in a labelled CSV (columns ``text`` and ``rating``). ``path``
    None: the bundled NYT editorial sentences (odd-id half, Hutto & Gilbert
    2014; ``researchlib/resources/validation``), on which the ``blend``
    weights were chosen: their r there is in-sample."""
    if path is None:
        from .paths import VALIDATION
        path = VALIDATION
    try:
        data = pd.read_csv(path)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: cannot read the rated file: {e}") from None
    for col in (text, rating):
        if col not in data.columns:
            raise KeyError(f"{path}: no column {col!r}; columns are {list(data.columns)}")
    rows = []
    for m in methods:
        pred = score_texts(data[text].astype(str).tolist(), m)
        r = float(np.corrcoef(pred, data[rating].astype(float))[0, 1])
        n = len(data)
        z, se = np.arctanh(r), 1 / np.sqrt(n - 3)
        rows.append({"method": m, "r": r, "ci_low": float(np.tanh(z - 1.96 * se)),
                     "ci_high": float(np.tanh(z + 1.96 * se)), "n": n})
    return pd.DataFrame(rows)


def term_scores(groups=None, methods=("vader", "textblob", "blend")) -> pd.DataFrame:
    """Each naming term scored on its own: word choice alone moves sentiment."""
    from .terms import term_groups
    t = term_groups(groups)[["group", "term"]].drop_duplicates()
    for m in methods:
        t[m] = score_texts(t["term"].tolist(), m)
    return t.reset_index(drop=True)
