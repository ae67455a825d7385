"""Frame scores per sentence by three methods, and the thresholds of ``present``.

Method
------
For every sentence ``s`` and frame ``f`` of a codebook:

* ``"dictionary"``: ``d = 1`` when one of the frame's indicators occurs in the
  sentence (:func:`researchlib.frames.frames`, the matcher's rules), else 0.
  An article's mean of ``d`` is its ``share``.
* ``"embedding"`` (zero-shot, extra ``researchlib[models]``): the sentence
  and the frame's own texts (its name and definition with the ``includes``
  gloss; its indicator words; its ``examples``, else its ``example``) are embedded with
  all-MiniLM-L6-v2 (:mod:`researchlib.news` loads it offline). The frame's
  prototype is the mean of those three parts (each the mean of its unit
  vectors); ``e`` is the sentence's cosine to the prototype minus the
  sentence's mean cosine over all frames of the codebook (centred per
  sentence across frames: what the sentence is about *more than* the other
  frames). No label is used.
* ``"combined"``: ``c = d / S_D + e / S_E``, the two scores in units of their
  spread, summed (no labels). ``S_D`` and ``S_E`` are fixed (the pooled
  standard deviation of ``d`` and ``e`` over the 97 seed sentences and the
  policy frames, stored in ``resources/frame_calibration.json``), so a score
  means the same in a corpus of one article as in one of thousands.

A unit's ``score`` is the mean over its sentences (higher = more of that
frame). Levels differ between frames (some prototypes sit nearer to news
prose than others): compare a frame's scores across units, not frames
within a unit.

``present`` (an article uses the frame) for the embedding and combined
methods: at least one sentence scores at or above the frame's threshold.
The thresholds were chosen per frame on a hand-coded sample
(``resources/validation/frames_policy_seeds.csv``, made with
:func:`researchlib.frames.coding_sheet`'s format) by :func:`calibrate`: the
threshold with the best F1 against the codes, for frames with at least
``MIN_POSITIVE`` coded sentences; the other frames, and every frame of
another codebook, use the pooled threshold (best F1 over all frames at
once). The dictionary keeps its own rule (indicators in ``min_sentences``
sentences).

What each method sees. The dictionary sees the listed words and nothing
else: not a synonym it lacks, not negation ("not a partnership"), not who
says it. The embedding sees what a sentence is about in general terms,
synonyms and paraphrase included, but only the first 128 word pieces (about
90 words) of a sentence, not negation or stance, and a frame only as well as
its definition and examples describe it; it can rank a sentence near a frame
whose topic it shares without using it. The combined score needs both to
agree to rank a sentence high.

Validation
----------
On the 97 hand-coded seed sentences (``rl.validation_summary()``; frames
with at least five coded sentences: Economic, Legality, Policy
prescription, Crime, Security, Cultural identity, Political, External),
the mean ROC AUC of the sentence score against the codes is 0.78 for the
dictionary, 0.84 for the embedding and 0.87 combined; the mean F1 of the
sentence decision behind ``present``, with the thresholds chosen on four
articles and tested on the fifth, is 0.67, 0.49 and 0.69. The dictionary's
indicators were partly written with this story in mind, so its figures
are optimistic; the four revised frames are too rare in the seeds to be
checked there.

Known limits
------------
One coder and 97 sentences of one story chose the thresholds (see
``rl.validation_summary()`` for the figures and their n); the pooled
threshold is all that another codebook gets. Sentences are scored alone,
without the article around them. The embedding model reads English.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import numpy as np
import pandas as pd

from .codebooks import as_codebook, indicator_matchers
from .memo import Memo
from .models import ModelsMissing, models_available
from .paths import RESOURCES

__all__ = ["METHODS", "default_method", "embedding_available", "frame_texts", "sentence_frame_scores",
           "text_frame_scores", "thresholds", "calibrate", "calibration"]

METHODS = ("dictionary", "embedding", "combined")
MIN_POSITIVE = 5
CALIBRATION = RESOURCES / "frame_calibration.json"
_INDICATORS_PER_TEXT = 12
#: (backend, text hash) -> unit vector (float32: 1.5 kB a text)
_VECTORS = Memo(maxsize=50_000)
#: The embedding backend of :func:`researchlib.news.embed` where it exists
#: (None: its default, the fast one); the thresholds were chosen on "torch",
#: the reference (scripts/calibrate_frames.py).
BACKEND = None


def embedding_available() -> bool:
    """True when the ``models`` extra (the MiniLM wheel and
    sentence-transformers) is installed."""
    return models_available()


def default_method() -> str:
    """``"combined"`` when the models extra is installed, else ``"dictionary"``."""
    return "combined" if embedding_available() else "dictionary"


def check_method(method):
    """The method to use (None: :func:`default_method`), validated."""
    method = default_method() if method is None else method
    if method not in METHODS:
        raise ValueError(f"unknown frame method {method!r}; choose one of {METHODS} (or None for the default)")
    if method != "dictionary" and not embedding_available():
        raise ModelsMissing(f"the {method!r} frame method needs the optional extra: pip install "
                            "'researchlib[models]' (or use method='dictionary')")
    return method


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The stored scales and thresholds (``resources/frame_calibration.json``)."""
    return json.loads(CALIBRATION.read_text(encoding="utf-8"))


def _encode(texts) -> np.ndarray:
    """Unit-length sentence embeddings (rows), each distinct text once."""
    from . import news
    texts = [str(t) for t in texts]
    keys = [(BACKEND, hashlib.sha1(t.encode("utf-8")).hexdigest()) for t in texts]
    todo = dict(zip(keys, texts))
    todo = {k: todo[k] for k in _VECTORS.missing(keys)}
    fresh = {}
    if todo:
        emb = np.asarray(news.embed(list(todo.values()), backend=BACKEND), dtype=np.float64)
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        fresh = dict(zip(todo, emb.astype(np.float32)))
        _VECTORS.put(fresh)
    rows = [fresh[k] if k in fresh else _VECTORS.get(k) for k in keys]
    return np.array(rows, dtype=np.float64).reshape(len(keys), -1)


def frame_texts(book) -> dict:
    """frame -> (description texts, indicator texts, example texts) that the
    embedding method reads: the name, definition and ``includes``; the
    indicators in groups of twelve, each group prefixed by the frame's name;
    the ``examples`` list, or the single ``example`` when there is no list
    (the policy codebook's single examples come from the seeds and
    illustrate the study; its lists are written for the method)."""
    from .match import entry
    out = {}
    for r in book.itertuples():
        desc = f"{r.frame}: {r.definition}".strip()
        inc = getattr(r, "includes", "")
        if isinstance(inc, str) and inc.strip():
            desc += " " + inc.strip()
        words = [entry(i, where=f"indicators of frame {r.frame!r}")[0] for i in (r.indicators or [])]
        ind = [f"{r.frame}: " + ", ".join(words[i:i + _INDICATORS_PER_TEXT])
               for i in range(0, len(words), _INDICATORS_PER_TEXT)]
        ex = list(getattr(r, "examples", None) or []) or [r.example]
        ex = [e.strip() for e in ex if isinstance(e, str) and e.strip()]
        out[r.frame] = ((desc,), tuple(ind), tuple(dict.fromkeys(ex)))
    return out


def _prototypes(book) -> np.ndarray:
    """One unit vector per frame (rows, codebook order): the mean of the
    frame's description, indicator and example parts that it has."""
    rows = []
    for parts in frame_texts(book).values():
        vecs = []
        for texts in parts:
            if texts:
                v = _encode(texts).mean(axis=0)
                vecs.append(v / max(np.linalg.norm(v), 1e-12))
        p = np.mean(vecs, axis=0)
        rows.append(p / max(np.linalg.norm(p), 1e-12))
    return np.array(rows)


def embedding_scores(texts, book) -> np.ndarray:
    """Centred cosines (texts x frames): each text's cosine to each frame's
    prototype minus its mean cosine over the frames."""
    if not len(texts):
        return np.zeros((0, len(book)))
    sims = _encode(texts) @ _prototypes(book).T
    return sims - sims.mean(axis=1, keepdims=True)


def _scales() -> tuple:
    s = calibration()["scales"]
    return float(s["dictionary"]), float(s["embedding"])


def _combine(d, e):
    sd, se = _scales()
    return d / sd + e / se


def text_frame_scores(texts, codebook="generic", method=None) -> pd.DataFrame:
    """Sentence scores of loose texts (one row per text, one column per
    frame), each text scored as one sentence. The dictionary finds
    indicators anywhere in the text."""
    from .match import exclusion_at
    method = check_method(method)
    book = as_codebook(codebook)
    texts = [str(t) for t in texts]
    d = np.zeros((len(texts), len(book)))
    col = {f: j for j, f in enumerate(book["frame"])}
    for frame, ind, exc in indicator_matchers(book):
        for i, t in enumerate(texts):
            excl = list(exc.finditer(t)) if exc else []
            if any(not (excl and exclusion_at(s, e, excl)) for s, e, *_ in ind.finditer(t)):
                d[i, col[frame]] = 1.0
    if method == "dictionary":
        v = d
    else:
        e = embedding_scores(texts, book)
        v = e if method == "embedding" else _combine(d, e)
    return pd.DataFrame(v, columns=list(book["frame"]))


def sentence_frame_scores(corpus, *, codebook="generic", method=None, voice="all", hits) -> pd.DataFrame:
    """Tidy sentence scores: ``doc_id, sent_id, frame, method, hit`` (an
    indicator found: the dictionary's 0/1) and ``score`` (the method's
    sentence score, see the module doc). ``hits``: the dictionary's
    findings for this codebook and voice (:func:`researchlib.frames.frames`,
    which calls this with them). With ``voice`` 'narrative' or 'quoted' the
    embedding reads only the sentence's words in that voice; a sentence with
    none (fewer than three letters) scores 0."""
    from .sentiment import voice_units
    method = check_method(method)
    book = as_codebook(codebook)
    sents = corpus.sentences[["doc_id", "sent_id"]].reset_index(drop=True)
    names = list(book["frame"])
    pos = pd.Series(np.arange(len(sents)), index=pd.MultiIndex.from_frame(sents))
    d = np.zeros((len(sents), len(names)))
    if len(hits):
        rows = pos.reindex(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]])).to_numpy()
        cols = pd.Index(names).get_indexer(hits["frame"])
        d[rows, cols] = 1.0
    if method == "dictionary":
        v = d
    else:
        units = voice_units(corpus, voice)
        e = np.zeros_like(d)
        if len(units):
            rows = pos.reindex(pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])).to_numpy()
            e[rows] = embedding_scores(units["text"].tolist(), book)
        v = e if method == "embedding" else _combine(d, e)
    n, k = d.shape
    return pd.DataFrame({"doc_id": np.repeat(sents["doc_id"].to_numpy(), k),
                         "sent_id": np.repeat(sents["sent_id"].to_numpy(), k),
                         "frame": np.tile(np.array(names, dtype=object), n), "method": method,
                         "hit": d.ravel().astype(int), "score": v.ravel()})


def thresholds(book, method, given=None) -> dict:
    """frame -> the sentence threshold of ``present`` for ``method``
    ('embedding' or 'combined'): ``given`` (a dict, or a frame from
    :func:`calibrate`) first, then the stored calibration of the codebook,
    then the pooled threshold."""
    if isinstance(given, pd.DataFrame):
        given = dict(zip(given.loc[given["method"] == method, "frame"],
                         given.loc[given["method"] == method, "threshold"]))
    stored = calibration()["thresholds"][method]
    own = stored["frames"] if book.attrs.get("name") == calibration()["codebook"] else {}
    out = {}
    for f in book["frame"]:
        if given and f in given:
            out[f] = float(given[f])
        elif f in own:
            out[f] = float(own[f])
        else:
            out[f] = float(stored["pooled"])
    return out


def _best_threshold(scores, labels):
    """(threshold, precision, recall, f1) with the best F1 over thresholds
    halfway between neighbouring distinct scores; ties: the highest."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    u = np.unique(s)
    cands = np.concatenate([[u[0] - 1e-9], (u[:-1] + u[1:]) / 2]) if len(u) > 1 else u
    best = (np.nan, np.nan, np.nan, -1.0)
    for t in cands:
        pred = s >= t
        tp = (pred & y).sum()
        p = tp / pred.sum() if pred.sum() else 0.0
        r = tp / y.sum() if y.sum() else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 >= best[3]:
            best = (float(t), float(p), float(r), float(f1))
    return best


def calibrate(sheet, codebook="policy", methods=("embedding", "combined"), min_positive=MIN_POSITIVE) -> pd.DataFrame:
    """Per frame and method, the sentence threshold with the best F1 against
    a hand-coded sheet (:func:`researchlib.frames.coding_sheet`'s format,
    a path or a frame; columns ``text`` and one 1/0 column per frame):
    ``method, frame, threshold, basis`` ('own' with at least
    ``min_positive`` coded sentences, else 'pooled': the best threshold
    over all frames' sentence scores at once), ``n_coded, n_positive,
    precision, recall, f1`` on the sheet itself (in-sample)."""
    coded = pd.read_csv(sheet) if not isinstance(sheet, pd.DataFrame) else sheet
    book = as_codebook(codebook)
    frames_ = [f for f in book["frame"] if f in coded.columns]
    rows = []
    for m in methods:
        v = text_frame_scores(coded["text"].tolist(), book, method=m)
        y = coded[frames_].apply(pd.to_numeric, errors="coerce")
        flat_s = np.concatenate([v[f].to_numpy()[y[f].notna()] for f in frames_])
        flat_y = np.concatenate([y[f].dropna().to_numpy() for f in frames_])
        pooled = _best_threshold(flat_s, flat_y)
        rows.append({"method": m, "frame": "(pooled)", "threshold": pooled[0], "basis": "pooled",
                     "n_coded": len(flat_y), "n_positive": int(flat_y.sum()), "precision": pooled[1],
                     "recall": pooled[2], "f1": pooled[3]})
        for f in frames_:
            ok = y[f].notna().to_numpy()
            s, lab = v[f].to_numpy()[ok], y[f].to_numpy()[ok].astype(int)
            own = lab.sum() >= min_positive
            t = _best_threshold(s, lab)[0] if own else pooled[0]
            pred = s >= t
            tp = int((pred & (lab == 1)).sum())
            p = tp / pred.sum() if pred.sum() else np.nan
            r = tp / lab.sum() if lab.sum() else np.nan
            rows.append({"method": m, "frame": f, "threshold": t, "basis": "own" if own else "pooled",
                         "n_coded": int(ok.sum()), "n_positive": int(lab.sum()), "precision": p, "recall": r,
                         "f1": 2 * p * r / (p + r) if p and r and p + r else (0.0 if lab.sum() else np.nan)})
    return pd.DataFrame(rows)
