"""Copies and syndication: which articles are the same text, and who runs whose copy.

``duplicates(corpus)`` lists pairs of documents with ``kind``

- ``exact``: the same words after normalisation (case, quote marks,
  punctuation and spacing ignored);
- ``near``: the same text with edits (headline changed, paragraphs added or
  cut, a wire story run by two outlets);
- ``reworded``: the same article paraphrased sentence by sentence (content
  farms, "spun" copies);

and, where both dates are known and differ, which one is ``earlier``.
``copy_groups`` joins the pairs into groups and ``dedupe`` filters a corpus
by them (the aggregators' ``dedupe=`` option). Wire credits and who runs
whose copy: :mod:`researchlib.syndication`.

Method
------
Words are ``\\w+`` runs of the case-folded text (``documents.text``, the
cleaned text: quote marks, punctuation and spacing fall away).

1. exact: documents whose word sequences are equal (SHA-1 of the sequence);
   one representative per group goes on.
2. Candidates. Comparing every pair is quadratic, so two MinHash sketches of
   each document (128 permutations) are indexed with locality-sensitive
   hashing (datasketch's ``MinHashLSH``, tuned for Jaccard 0.25: 42 bands of
   3 rows; a pair is a candidate with probability 0.79 at Jaccard 0.33,
   0.996 at 0.5, 0.001 at 0.03; Broder 1997, "On the resemblance and
   containment of documents"; Leskovec, Rajaraman & Ullman, *Mining of
   Massive Datasets*, ch. 3): the set of the document's 5-word shingles, and
   the set of 3-item shingles of its *anchors*, the names and numbers in
   order (capitalised words that do not start a sentence, words that start
   with a digit). Paraphrase replaces ordinary words but keeps anchors and
   their order; anchor shingles found in more than 1% of the documents (at
   least 20) are dropped ("president xi jinping" is in every article).
3. near: a candidate pair whose exact shingle overlap coefficient
   ``|A & B| / min(|A|, |B|)`` is at least ``near`` (0.5): half of the
   shorter text recurs word for word in the other (headline changed,
   paragraphs cut or added, a wire story run by two outlets).
4. reworded: an anchor candidate that is not near is aligned sentence by
   sentence. A sentence (with 3+ content words: words not in
   ``resources/function_words.yaml``) of the document with fewer such
   sentences is matched when its best counterpart in the other reaches
   ``align``: Dice overlap of content-word sets ``2|S & T| / (|S| + |T|)``
   >= 0.5 (``method="words"``), or cosine >= 0.8 of all-MiniLM-L6-v2
   sentence embeddings (``method="embeddings"``, the ``models`` extra). The
   pair is ``reworded`` when at least ``reworded`` (half) of those
   sentences, and at least 3, are matched.

``similarity``: 1.0 for exact, the overlap coefficient for near, the matched
share for reworded; ``measure`` names it. ``exhaustive=True`` skips the LSH
index and compares every pair (the plain method the index must agree with;
tested equal on a generated corpus). The index's buckets are found by
sorting the sketches' bands (``_candidates``), tested equal to inserting
every sketch in datasketch's ``MinHashLSH`` and querying it
(``_candidates_index``); the sketches are datasketch's arithmetic done for
all documents at once in numpy (``_signatures``), tested equal to its
``MinHash``.

Known limits
------------
- The index works on Jaccard similarity of whole documents: a copy that is
  a short excerpt of a long article (a third or less) is a candidate with
  probability 0.8 or less. ``exhaustive=True`` finds it, slowly.
- Anchors need capitals: text in all capitals, or in scripts without case,
  gives few anchors, so rewordings there are found less often.
- Two independent reports that quote the same long statement share its
  shingles; the overlap coefficient stays low unless the quote is most of
  the shorter article.
- Translation is not detected (words are compared, not meanings across
  languages); with ``method="embeddings"`` the model is English-only.
- ``method="auto"`` makes results depend on whether the ``models`` extra is
  installed: ``measure`` says which was used; pass ``method="words"`` for
  results that are the same everywhere.
- Documents with fewer than ``min_words`` (30) words are compared for exact
  copies only.
- A copy is found only if its source (or another copy) is in the corpus;
  wire copy whose source is absent shows through its credits
  (:mod:`researchlib.syndication`).
"""
from __future__ import annotations

import hashlib
import os
import re
import zlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from .resources import load_resource
from .signatures import keyword_options, renamed_keywords

__all__ = ["duplicates", "copy_groups", "dedupe", "apply_dedupe", "embeddings_available", "KINDS", "DEDUPE"]

KINDS = ("exact", "near", "reworded")
DEDUPE = ("keep", "first", "drop")
COLUMNS = ["doc_id_a", "doc_id_b", "similarity", "kind", "earlier", "measure"]
_WORD = re.compile(r"\w+")
# sentence ends: . ! ? (and closing quotes/brackets) before a capital or digit; blank lines
_SENT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n")
# odd 64-bit multipliers that mix the word hashes of a shingle (positions differ)
_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                  0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F],
                 dtype=np.uint64)
#: LSH index tuning (datasketch picks 42 bands of 3 rows for 128 permutations):
#: P(candidate) is 0.79 at Jaccard 0.33, 0.996 at 0.5, 0.001 at 0.03
LSH_THRESHOLD = 0.25
PARALLEL_MIN_DOCS = 20_000


# --------------------------------------------------------------------------- #
# inputs                                                                       #
# --------------------------------------------------------------------------- #

def _documents(corpus) -> pd.DataFrame:
    docs = corpus.documents if hasattr(corpus, "documents") else corpus
    if not isinstance(docs, pd.DataFrame):
        raise TypeError("expected a Corpus or a documents DataFrame with doc_id and text columns")
    if "doc_id" not in docs.columns:
        raise KeyError(f"no doc_id column; columns are {list(docs.columns)}")
    text = "text" if "text" in docs.columns else "text_raw"
    if text not in docs.columns:
        raise KeyError(f"no text column; columns are {list(docs.columns)}")
    if docs["doc_id"].duplicated().any():
        raise ValueError(f"doc_id is not unique: {docs.loc[docs['doc_id'].duplicated(), 'doc_id'].iloc[0]!r}")
    out = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy(),
                        "text": docs[text].fillna("").astype(str).to_numpy()})
    out["published"] = pd.to_datetime(docs["published"], errors="coerce").to_numpy() \
        if "published" in docs.columns else pd.NaT
    out["outlet"] = docs["outlet"].to_numpy() if "outlet" in docs.columns else "(unknown)"
    return out


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


class _Hasher:
    """Stable 32-bit hashes of words (CRC-32 of UTF-8): the same word, the
    same hash, in any corpus and run."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, words) -> np.ndarray:
        cache = self.cache
        hashes = list(map(cache.get, words))
        if None in hashes:                              # new words: hash them once
            for w in set(words).difference(cache):
                cache[w] = zlib.crc32(w.encode("utf-8"))
            hashes = list(map(cache.__getitem__, words))
        return np.array(hashes, dtype=np.uint64)


def _shingles(h: np.ndarray, w: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the ``w``-word shingles of a document."""
    n = len(h) - w + 1
    if n <= 0:
        return np.unique(h.astype(np.uint32))
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(w):
        acc += h[k:k + n] * _MULT[k % len(_MULT)]      # wraps modulo 2**64
    return np.unique((acc >> np.uint64(32)).astype(np.uint32))


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0410-\u042f"
_ANCHOR = re.compile(rf"\b[{_UPPER}0-9]\w*")
# the same matches, opening with the class so that the regex engine skips ahead to a capital or a
# digit (a leading \b stops it): \b before a word character is "no word character before it".
# U+03A2, inside the Greek range, is unassigned and no word character: texts with it take _ANCHOR.
_ANCHOR_FAST = re.compile(rf"[{_UPPER}0-9](?<!\w.)\w*")
_SENT_START = re.compile(r"\A\W*|[.!?][\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*(?=\w)|\n\s*\n\W*(?=\w)")
# its last two branches opening with their first characters (the \A branch always matches at 0,
# then the scan goes on from its end), so the regex engine skips ahead to them; tested equal
_SENT_START_REST = re.compile(r"[.!?\n](?:(?<=[.!?])[\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*"
                              r"|(?<=\n)\s*\n\W*)(?=\w)")
_LEAD = re.compile(r"\W*")


def _sentence_starts(text: str) -> set:
    """Where the matches of _SENT_START end: the starts of sentences."""
    lead = _LEAD.match(text).end()
    return {lead} | {m.end() for m in _SENT_START_REST.finditer(text, lead)}


def _anchors(text: str) -> list[str]:
    """The names and numbers of a text in order: capitalised words that do not
    start a sentence, and words that start with a digit (case-folded). Paraphrase
    replaces ordinary words; it keeps these, in their order. (Capitals:
    Latin, Greek and Cyrillic.)"""
    starts = _sentence_starts(text)
    anchor = _ANCHOR if "\u03a2" in text else _ANCHOR_FAST
    return [m.group(0).casefold() for m in anchor.finditer(text)
            if m.start() not in starts or not m.group(0)[0].isalpha()]


def _common_removed(sets: dict, share=0.01, floor=20) -> dict:
    """The sets without the items found in more than ``share`` of them (at
    least ``floor``): a run of names every article has ("president xi
    jinping") is not evidence that two articles are one."""
    if not sets:
        return sets
    joined = np.concatenate(list(sets.values()))
    values, counts = np.unique(joined, return_counts=True)
    common = values[counts > max(floor, share * len(sets))]
    if not len(common):
        return sets
    keep = ~np.isin(joined, common)                 # one look-up for all the sets, split back per set
    kept = np.concatenate(([0], np.cumsum(keep)))[np.cumsum([len(v) for v in sets.values()])]
    return dict(zip(sets, np.split(joined[keep], kept[:-1])))


def _function_words():
    data = load_resource(None, "function words", "function_words")
    return frozenset(str(w).casefold() for w in data["words"])


# --------------------------------------------------------------------------- #
# MinHash LSH (datasketch)                                                     #
# --------------------------------------------------------------------------- #

def _sketches(sets: dict, *, num_perm: int, seed: int) -> dict:
    """key -> datasketch MinHash of its set (sets that are empty have none)."""
    from datasketch import LeanMinHash, MinHash

    template = MinHash(num_perm=num_perm, seed=seed)
    sketches = {}
    for key, values in sets.items():
        if len(values) == 0:
            continue
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, permutations=template.permutations,
                    scheme=template.scheme)
        m.update_batch(values.tolist())
        sketches[key] = LeanMinHash(m)
    return sketches


def _candidates_index(sets: dict, *, threshold: float, num_perm: int, seed: int) -> set:
    """Pairs (i, j), i < j, of keys whose sets collide in a MinHash LSH index
    built for Jaccard ``threshold``. ``sets``: key -> array of uint32.
    The plain method: datasketch's index, every sketch inserted and queried."""
    from datasketch import MinHashLSH

    sketches = _sketches(sets, num_perm=num_perm, seed=seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for key, m in sketches.items():
            session.insert(key, m, check_duplication=False)
    pairs = set()
    for key, m in sketches.items():
        pairs.update((key, other) for other in lsh.query(m) if other > key)
    return pairs


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (Appleby 2011), the mix datasketch's
    ``affine32`` scheme applies to each value before its permutations."""
    for shift, mult in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        h = (h ^ (h >> np.uint32(shift))) * np.uint32(mult)      # wraps modulo 2**32
    return h ^ (h >> np.uint32(16))


def _signatures(sets: dict, *, num_perm: int, seed: int):
    """The keys with a non-empty set (sorted) and the ``hashvalues`` of their
    :func:`_sketches` as one matrix, one row per key: the same arithmetic as
    datasketch's ``MinHash.update_batch`` (value -> fmix32 -> ``a * h + b``
    modulo 2**32 per permutation, minimum over the set) without a MinHash
    object per set; tested equal."""
    from datasketch import MinHash

    keys = sorted(k for k, v in sets.items() if len(v))
    template = MinHash(num_perm=num_perm, seed=seed)
    if template.scheme != "affine32" or not keys:          # another datasketch: its own objects
        sketches = _sketches(sets, num_perm=num_perm, seed=seed)
        return keys, np.array([sketches[k].hashvalues for k in keys]).reshape(len(keys), num_perm)
    a, b = (np.asarray(p, dtype=np.uint32) for p in template.permutations)
    sig = np.empty((len(keys), num_perm), dtype=np.uint32)
    for row, k in enumerate(keys):
        sig[row] = (_fmix32(sets[k].astype(np.uint32))[:, None] * a + b).min(axis=0)
    return keys, sig


def _candidates(sets: dict, *, threshold: float, num_perm: int, seed: int) -> set:
    """The pairs of :func:`_candidates_index` without the index: the same
    MinHash signatures (:func:`_signatures`) and the bands datasketch picks
    for ``threshold`` (``MinHashLSH(...).hashranges``); two keys are a pair
    when any band of their signatures is equal, which is what a bucket of the
    index holds. The equal bands are found by sorting each band's rows (numpy)
    instead of a dictionary insert and lookup per key and band. Tested equal."""
    from datasketch import MinHashLSH

    pairs: set = set()
    keys, sig = _signatures(sets, num_perm=num_perm, seed=seed)
    if len(keys) < 2:
        return pairs
    keys = np.array(keys)
    for start, end in MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges:
        band = np.ascontiguousarray(sig[:, start:end])
        rows = band.view(np.dtype((np.void, band.dtype.itemsize * band.shape[1]))).ravel()
        order = np.argsort(rows, kind="stable")
        same = rows[order][1:] == rows[order][:-1]             # neighbours in sorted order with equal bands
        if not same.any():
            continue
        starts = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)) == 1)
        ends = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)) == -1)
        for a, b in zip(starts.tolist(), ends.tolist()):      # a bucket: order[a .. b]
            members = np.sort(keys[order[a:b + 1]]).tolist()
            pairs.update((x, y) for n, x in enumerate(members) for y in members[n + 1:])
    return pairs


# --------------------------------------------------------------------------- #
# sentence alignment                                                           #
# --------------------------------------------------------------------------- #

def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


def _dice_best(a: list, b: list) -> np.ndarray:
    """For each content-word set in ``a``, its best Dice overlap
    ``2|S & T| / (|S| + |T|)`` with a set in ``b``."""
    return np.array([max(2 * len(s & t) / (len(s) + len(t)) for t in b) for s in a])


def _sentence_units(text: str, fw) -> list:
    """(sentence, its content-word set) for the sentences with 3+ content words."""
    out = []
    for sent in _sentences(text):
        c = frozenset(_WORD.findall(sent.casefold())).difference(fw)
        if len(c) >= 3:
            out.append((sent, c))
    return out


def _embedder():
    try:
        from .models import sentence_model
        model = sentence_model()
    except ImportError:
        return None
    cache: dict = {}

    def encode(sentences):
        todo = [s for s in dict.fromkeys(sentences) if s not in cache]
        if todo:
            vecs = model.encode(todo, batch_size=64, show_progress_bar=False, convert_to_numpy=True,
                                normalize_embeddings=True)
            cache.update(zip(todo, vecs))
        return np.array([cache[s] for s in sentences])
    return encode


def embeddings_available() -> bool:
    """True when the ``models`` extra (sentence-transformers + the bundled
    MiniLM weights) is installed."""
    from .models import models_available
    return models_available()


# --------------------------------------------------------------------------- #
# duplicates                                                                   #
# --------------------------------------------------------------------------- #

@renamed_keywords(n_jobs="jobs")
def duplicates(corpus, *, near=0.5, reworded=0.5, align=None, method="words", shingle=5, anchor=3,
               num_perm=128, min_words=30, seed=1, exhaustive=False, jobs=None) -> pd.DataFrame:
    """Pairs of copies: ``doc_id_a, doc_id_b, similarity, kind, earlier,
    measure`` (see the module doc for the method and its references).

    ``corpus``: a Corpus or a documents frame (``doc_id``, ``text``, and
    ``published`` / ``outlet`` when known). ``near``: overlap coefficient of
    shingles for a near copy; ``reworded``: share of matched sentences;
    ``align``: the sentence match threshold (default 0.5 Dice for words, 0.8
    cosine for embeddings); ``method``: "words" (default: the same results
    everywhere), "embeddings" or "auto" (embeddings when the models extra is
    installed). ``exhaustive=True`` compares every pair instead of the LSH
    candidates (the plain method; quadratic, for small corpora and tests).
    ``jobs``: processes for the word features and the two indexes (default:
    2 from 20,000 documents on). ``doc_id_a`` comes before ``doc_id_b`` in the corpus; ``earlier`` is the
    doc_id published first (None when a date is missing or both are equal).

    Example: ``rl.duplicates(corpus).query("kind == 'near'")``.
    """
    if method not in ("auto", "words", "embeddings"):
        raise ValueError(f"method={method!r}; use 'words', 'embeddings' or 'auto'")
    for name, v in (("near", near), ("reworded", reworded)):
        if not 0 < v <= 1:
            raise ValueError(f"{name}={v!r} must be in (0, 1]")
    docs = _documents(corpus)
    if method == "auto":
        method = "embeddings" if embeddings_available() else "words"
    encode = _embedder() if method == "embeddings" else None
    if method == "embeddings" and encode is None:
        raise ImportError("method='embeddings' needs the models extra: pip install 'researchlib[models]'")
    align = (0.8 if method == "embeddings" else 0.5) if align is None else align

    texts = docs["text"].tolist()
    jobs = (min(2, os.cpu_count() or 1) if len(texts) >= PARALLEL_MIN_DOCS else 1) if jobs is None else jobs
    pool = ProcessPoolExecutor(jobs) if jobs > 1 else None
    try:
        if pool is None:
            feats = _features(texts, shingle, anchor)
        else:
            size = -(-len(texts) // (4 * jobs))
            parts = pool.map(_features, [texts[k:k + size] for k in range(0, len(texts), size)],
                             [shingle] * (4 * jobs), [anchor] * (4 * jobs))
            feats = [f for part in parts for f in part]
        # 1. exact: equal word sequences; one representative per group goes on
        groups: dict = {}
        for i, (digest, n_words, _, _) in enumerate(feats):
            if n_words:
                groups.setdefault(digest, []).append(i)
        members = {g[0]: g for g in groups.values()}
        pairs = {}                                          # (i, j) -> (similarity, kind, measure)
        for g in groups.values():
            for x in range(len(g)):
                for y in range(x + 1, len(g)):
                    pairs[(g[x], g[y])] = (1.0, "exact", "same normalised words")
        reps = sorted(i for i in members if feats[i][1] >= min_words)
        # candidates: shared shingles (near) or shared runs of names and numbers (reworded)
        shingles = {i: feats[i][2] for i in reps}
        anchors = _common_removed({i: feats[i][3] for i in reps})
        if exhaustive:      # the plain method: every pair of representatives is compared
            near_cand = anchor_cand = {(i, j) for x, i in enumerate(reps) for j in reps[x + 1:]}
        else:
            lsh = dict(threshold=LSH_THRESHOLD, num_perm=num_perm, seed=seed)
            if pool is None:
                near_cand, anchor_cand = _candidates(shingles, **lsh), _candidates(anchors, **lsh)
            else:           # the two indexes are built side by side
                a = pool.submit(_candidates, anchors, **lsh)
                near_cand, anchor_cand = _candidates(shingles, **lsh), a.result()
    finally:
        if pool is not None:
            pool.shutdown()
    found, fw, units = {}, _function_words(), {}
    for i, j in sorted(near_cand | anchor_cand):
        a, b = shingles[i], shingles[j]
        overlap = np.intersect1d(a, b, assume_unique=True).size / max(1, min(len(a), len(b)))
        if overlap >= near:
            found[(i, j)] = (round(float(overlap), 4), "near", f"{shingle}-word shingle overlap coefficient")
        elif (i, j) in anchor_cand:
            for k in (i, j):
                if k not in units:
                    units[k] = _sentence_units(texts[k], fw)
            short, long_ = sorted((units[i], units[j]), key=len)
            if not short:
                continue
            if encode is None:
                best = _dice_best([c for _, c in short], [c for _, c in long_])
            else:
                best = (encode([t for t, _ in short]) @ encode([t for t, _ in long_]).T).max(axis=1)
            hit = int((best >= align).sum())
            if hit / len(short) >= reworded and hit >= min(3, len(short)):
                measure = ("sentences matched by MiniLM cosine" if encode is not None
                           else "sentences matched by content-word Dice") + f" >= {align:g}"
                found[(i, j)] = (round(hit / len(short), 4), "reworded", measure)
    # expand representatives to their exact groups
    for (i, j), value in found.items():
        for a in members[i]:
            for b in members[j]:
                pairs[(min(a, b), max(a, b))] = value
    return _pair_frame(docs, pairs)


def _features(texts, shingle, anchor) -> list:
    """Per text: (SHA-1 of its word sequence, number of words, sorted unique
    hashes of its word shingles, of its anchor shingles). A pure function,
    so batches can go to worker processes."""
    hasher, out = _Hasher(), []
    for text in texts:
        words = _words(text)
        out.append((hashlib.sha1(" ".join(words).encode("utf-8")).digest(), len(words),
                     _shingles(hasher(words), shingle), _shingles(hasher(_anchors(text)), anchor)))
    return out


def _pair_frame(docs, pairs) -> pd.DataFrame:
    if not pairs:
        return pd.DataFrame(columns=COLUMNS)
    ids, dates = docs["doc_id"].tolist(), docs["published"].tolist()
    rows = []
    for (i, j) in sorted(pairs, key=lambda p: (KINDS.index(pairs[p][1]), p)):
        sim, kind, measure = pairs[(i, j)]
        earlier = None
        if pd.notna(dates[i]) and pd.notna(dates[j]) and dates[i] != dates[j]:
            earlier = ids[i] if dates[i] < dates[j] else ids[j]
        rows.append((ids[i], ids[j], sim, kind, earlier, measure))
    return pd.DataFrame(rows, columns=COLUMNS)


def cached_pairs(corpus, pairs=None, **options):
    """duplicates(corpus) computed once per corpus object and options."""
    if pairs is not None:
        return pairs
    store = corpus.__dict__.setdefault("_duplicates", {}) if hasattr(corpus, "documents") else {}
    docs = _documents(corpus)
    key = (hashlib.sha1("\0".join(docs["doc_id"].astype(str) + "\1" + docs["text"]).encode()).hexdigest(),
           tuple(sorted(options.items())))
    if key not in store:
        store[key] = duplicates(corpus, **options)
    return store[key]


# --------------------------------------------------------------------------- #
# groups and dedupe                                                            #
# --------------------------------------------------------------------------- #

def copy_groups(corpus, *, pairs=None, kinds=KINDS, **options) -> pd.DataFrame:
    """Documents joined by copy pairs (connected components): ``doc_id,
    group, size, first`` (``first``: the earliest published member; ties and
    missing dates: the first in corpus order), ``kinds`` of the group's pairs.
    Documents without copies are not listed."""
    docs = _documents(corpus)
    pairs = cached_pairs(corpus, pairs, **options)
    pairs = pairs[pairs["kind"].isin(kinds)]
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in zip(pairs["doc_id_a"], pairs["doc_id_b"]):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=str)] = min(ra, rb, key=str)
    if not parent:
        return pd.DataFrame(columns=["doc_id", "group", "size", "first", "kinds"])
    order = {d: k for k, d in enumerate(docs["doc_id"])}
    date = dict(zip(docs["doc_id"], docs["published"]))
    members: dict = {}
    for d in parent:
        members.setdefault(find(d), []).append(d)
    kinds_of: dict = {}
    for a, k in zip(pairs["doc_id_a"], pairs["kind"]):
        kinds_of.setdefault(find(a), set()).add(k)
    rows = []
    for n, root in enumerate(sorted(members, key=lambda r: min(order[d] for d in members[r])), 1):
        ds = sorted(members[root], key=order.get)
        first = min(ds, key=lambda d: (pd.isna(date[d]), date[d] if pd.notna(date[d]) else 0, order[d]))
        ks = ", ".join(k for k in KINDS if k in kinds_of.get(root, ()))
        rows.extend({"doc_id": d, "group": n, "size": len(ds), "first": first, "kinds": ks} for d in ds)
    return pd.DataFrame(rows)


@keyword_options
def dedupe(corpus, *, how="first", kinds=KINDS, pairs=None, **options):
    """The corpus without its copies: ``how="first"`` keeps the earliest
    document of each copy group (see :func:`copy_groups`), ``"drop"`` removes
    every document that has a copy, ``"keep"`` changes nothing. The documents
    left out are listed in the result's ``rejected`` with the reason, so
    nothing goes silently. Returns a new Corpus."""
    if how not in DEDUPE:
        raise ValueError(f"dedupe={how!r}; use one of {', '.join(map(repr, DEDUPE))}")
    if how == "keep":
        return corpus
    groups = copy_groups(corpus, pairs=pairs, kinds=kinds, **options)
    if how == "first":
        out = groups[groups["doc_id"] != groups["first"]]
        reasons = [f"dedupe='first': copy of {f} (group {g}: {k})" for f, g, k in
                   zip(out["first"], out["group"], out["kinds"])]
    else:
        out = groups
        reasons = [f"dedupe='drop': one of {n} copies (group {g}: {k})" for n, g, k in
                   zip(out["size"], out["group"], out["kinds"])]
    gone = set(out["doc_id"])
    docs = corpus.documents
    result = corpus.subset([d for d in docs["doc_id"] if d not in gone])
    files = docs["file"] if "file" in docs.columns else docs["doc_id"]
    unique = files.is_unique          # a table's rows share its file name: name the doc_id too
    where = {d: str(f) if unique else f"{f} (doc_id {d})" for d, f in zip(docs["doc_id"], files)}
    extra = pd.DataFrame({"source": [where[d] for d in out["doc_id"]], "reason": reasons})
    result.rejected = pd.concat([corpus.rejected, extra], ignore_index=True)
    return result


def apply_dedupe(data, how):
    """``dedupe(data, how)`` for the aggregators' ``dedupe=`` option: a Corpus
    is filtered; "keep" passes anything through."""
    if how == "keep":
        return data
    if not hasattr(data, "documents"):
        raise ValueError(f"dedupe={how!r} needs the corpus (to find the copies), not a table of scores")
    return dedupe(data, how=how)
