"""Loading: a folder of .txt files or a table (CSV / JSONL / Parquet) -> ``Corpus``.

Method
------
Reading (no processing) is :mod:`researchlib.readers` (folders, manifests,
bytes to text, CSV rows) and :mod:`researchlib.tables` (tables, column
detection); dates are :mod:`researchlib.dates`. Every input ends up either
loaded or in ``Corpus.rejected`` with a reason that names the file (and line);
recoverable problems (invalid UTF-8, a header date that disagrees with the
manifest, an impossible date, identical texts) load and are listed in
``Corpus.warnings`` (``source, reason, kind``). Raw text is kept untouched in
``documents.text_raw``; the columns read are in ``Corpus.columns_used``.
Nothing depends on the day the corpus is loaded: no date is judged against
the wall clock.

Known limits
------------
Identical texts are found exactly (blanks around the text ignored); near
duplicates (syndicated copies with a changed line or spacing) are not.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import operator
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .clean import clean_text
from .dates import parse_date
from .errors import CorpusError
from .language import ENGLISH, english_only, language_summary
from .readers import ReadLog, folder_records
from .signatures import renamed_keywords
from .tables import CANONICAL, TABLE_SUFFIXES, read_table
from .workers import die_with_parent

__all__ = ["Corpus", "load_corpus", "read_records", "iter_records", "process_document", "assemble", "CANONICAL"]

LOG_COLUMNS = ["source", "reason", "kind"]
PARALLEL_MIN_DOCS = 4000


@dataclass
class Corpus:
    """The loaded corpus: tidy tables keyed by ``doc_id`` (and ``sent_id``)."""
    documents: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame
    quotes: pd.DataFrame
    inputs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "sha256"]))
    source: str = ""
    #: canonical field -> the column (or part of the input) it was read from
    columns_used: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<Corpus {self.describe()}>"

    def describe(self) -> str:
        """The corpus in words, e.g. "5 documents, 5 outlets, 2022-02-04 to
        2023-03-21; 97 sentences; 0 rejected, 0 warnings"."""
        d = self.documents
        span = ""
        if len(d) and d["published"].notna().any():
            span = f", {d['published'].min():%Y-%m-%d} to {d['published'].max():%Y-%m-%d}"
        def n(k, word):
            return f"{k} {word}" + ("" if k == 1 else "s")
        return (f"{n(len(d), 'document')}, {n(d['outlet'].nunique() if len(d) else 0, 'outlet')}"
                f"{span}; {n(len(self.sentences), 'sentence')}; {len(self.rejected)} rejected, "
                f"{n(len(self.warnings), 'warning')}")

    @property
    def hash(self) -> str:
        """sha256 over the input files' hashes (and the table rows' text)."""
        h = hashlib.sha256()
        for p, s in zip(self.inputs["path"], self.inputs["sha256"]):
            h.update(f"{p}\0{s}\n".encode())
        return h.hexdigest()

    def sentence_starts(self) -> dict:
        """doc_id -> list of sentence start offsets (sent_id order; a list:
        :func:`researchlib.text.sentence_at` bisects it)."""
        cache = self.__dict__.setdefault("_starts", None)
        if cache is None:
            starts = self.sentences["start"].to_numpy()
            cache = {d: starts[i].tolist() for d, i in self.sentences.groupby("doc_id", sort=False).indices.items()}
            self.__dict__["_starts"] = cache
        return cache

    def quote_intervals(self) -> dict:
        """doc_id -> [(start, end), ...] of the text inside quote marks (direct
        and partial quotes; reported speech is the outlet's own words)."""
        q = self.quotes
        q = q[q["kind"] != "indirect"]
        out: dict = {}
        for d, s, e in zip(q["doc_id"].tolist(), q["start"].tolist(), q["end"].tolist()):
            out.setdefault(d, []).append((int(s), int(e)))
        return out

    def quoted_mask(self, doc_id) -> np.ndarray:
        """Boolean array over ``text`` of one document: True inside quote marks."""
        text = self.documents.loc[self.documents["doc_id"] == doc_id, "text"].iloc[0]
        mask = np.zeros(len(text), dtype=bool)
        for s, e in self.quote_intervals().get(doc_id, []):
            mask[s:e] = True
        return mask

    def english(self) -> "Corpus":
        """The English documents: what the English-only measures read
        (:func:`researchlib.language.english_only`)."""
        return english_only(self)

    def language_summary(self) -> str:
        """"8 articles in other languages were not measured: ko 3, ja 2, ..." """
        return language_summary(self)

    def subset(self, doc_ids) -> "Corpus":
        """The same corpus restricted to ``doc_ids`` (tables filtered alike)."""
        keep = set(doc_ids)
        f = lambda t: t[t["doc_id"].isin(keep)].reset_index(drop=True)
        return Corpus(f(self.documents), f(self.sentences), f(self.removed), self.rejected,
                      self.warnings, f(self.quotes), self.inputs, self.source, dict(self.columns_used))


# --------------------------------------------------------------------------- #
# one document: clean -> segment -> voice                                      #
# --------------------------------------------------------------------------- #

def process_document(raw: str, speakers=None, repeated=frozenset()) -> dict:
    """Clean, segment and find the quotes of one raw text (a pure function).
    ``repeated``: lines repeated across the corpus, removed as furniture (see
    :func:`researchlib.furniture.repeated_lines`). Quote rules are English:
    a document in another language gets none."""
    from .quotes import find_quotes
    from .segment import sentence_spans   # imports NLTK: only when text is processed

    c = clean_text(raw, repeated=repeated)
    spans = sentence_spans(c.text, c.paragraphs)
    quotes = find_quotes(c.text, spans, c.paragraphs, speakers=speakers) if c.language == ENGLISH else []
    return {"text": c.text, "meta": c.meta, "removed": c.removed, "language": c.language,
            "warnings": c.warnings, "line_keys": c.line_keys,
            "sentences": spans, "quotes": quotes, "n_words": c.n_words}


def _process_batch(raws, speakers=None, repeated=None):
    return [process_document(r, speakers, repeated[i] if repeated else frozenset()) for i, r in enumerate(raws)]


def _process_all(raws, n_jobs, speakers=None, repeated=None):
    """process_document over ``raws`` (``repeated``: one key set per raw)."""
    if n_jobs is None:
        n_jobs = min(2, os.cpu_count() or 1) if len(raws) >= PARALLEL_MIN_DOCS else 1
    if n_jobs <= 1 or speakers is not None:
        return _process_batch(raws, speakers, repeated)
    size = max(200, len(raws) // (n_jobs * 8))
    starts = range(0, len(raws), size)
    batches = [raws[i:i + size] for i in starts]
    keys = [repeated[i:i + size] if repeated else None for i in starts]
    with ProcessPoolExecutor(n_jobs, initializer=die_with_parent) as ex:
        return [doc for batch in ex.map(_process_batch, batches, [None] * len(batches), keys) for doc in batch]


def _remove_repeated_lines(records, done, n_jobs, speakers):
    """The corpus-level ``repeated`` rule: lines repeated across documents of
    an outlet (or of the corpus) are furniture; the documents holding one are
    processed again without it."""
    from .furniture import repeated_lines

    def outlet(rec):
        o = rec.get("outlet")
        return o if isinstance(o, str) and o.strip() else None

    found = repeated_lines((outlet(r), d["text"], d["line_keys"]) for r, d in zip(records, done))
    redo = [i for i, (r, d) in enumerate(zip(records, done)) if found[outlet(r)].intersection(d["line_keys"])]
    if redo:
        again = _process_all([records[i]["text_raw"] for i in redo], n_jobs, speakers,
                             [found[outlet(records[i])] for i in redo])
        for i, d in zip(redo, again):
            done[i] = d
    return done


# --------------------------------------------------------------------------- #
# the entry point                                                              #
# --------------------------------------------------------------------------- #

def iter_records(source=None, manifest=None, log=None, *, dayfirst=None, **columns):
    """Yield the input records one by one, in the order :func:`read_records`
    returns them (a folder is read one file at a time). ``log`` (a
    :class:`~researchlib.readers.ReadLog`) receives the rejections and
    warnings when the iteration ends, in the order read_records gives them;
    ``log.expected`` is set before the first record: the number of input files
    or table rows. A repeated ``doc_id`` is rejected; a repeated text (blanks
    around it ignored) is loaded and warned about ("duplicate text")."""
    from .paths import SEEDS, MANIFEST
    if source is None:
        source, manifest = SEEDS, manifest or MANIFEST
    src = Path(source)
    if not src.exists():
        raise CorpusError(f"{source}: no such file or folder")
    if src.is_dir() and columns:
        raise CorpusError(f"column options ({', '.join(columns)}) apply to tables, not to a folder of .txt files")
    log = log if log is not None else ReadLog()
    parts = {"reads": ReadLog(), "manifest": ReadLog(), "no_row": [], "expected": 0}
    if src.is_dir():
        records = folder_records(src, manifest, parts, dayfirst=dayfirst)
    elif src.suffix.lower() in TABLE_SUFFIXES:
        records = read_table(src, columns, parts["reads"], dayfirst=dayfirst)
        parts["expected"] = len(records)
    else:
        raise CorpusError(f"{source}: not a folder or a table ({', '.join(sorted(TABLE_SUFFIXES))})")
    seen, texts, duplicates, same_text = {}, {}, [], []
    for rec in records:
        log.expected = parts["expected"]      # known once the folder is listed
        where = rec["_where"]
        if rec["doc_id"] in seen:
            duplicates.append({"source": str(where), "kind": "duplicate id",
                               "reason": f"duplicate doc_id {rec['doc_id']!r} (first: {seen[rec['doc_id']]})"})
            continue
        seen[rec["doc_id"]] = where
        key = hashlib.sha1(rec["text_raw"].strip().encode()).digest()
        if key in texts:
            first, first_id = texts[key]
            same_text.append({"source": str(where), "kind": "duplicate text",
                              "reason": f"duplicate text: the same text as {first} ({first_id!r}); both loaded "
                                        f"as {first_id!r} and {rec['doc_id']!r}"})
        else:
            texts[key] = (where, rec["doc_id"])
        yield rec
    log.expected = parts["expected"]
    reads, mani = parts["reads"], parts["manifest"]
    log.rejected += reads.rejected + mani.rejected + parts["no_row"] + duplicates
    log.warnings += reads.warnings + mani.warnings + same_text
    log.inputs += reads.inputs + mani.inputs
    log.columns_used.update({**mani.columns_used, **reads.columns_used})


def read_records(source=None, manifest=None, **options):
    """Read the inputs (no processing): one record per document with its raw
    text and metadata, and the log of rejections and warnings so far."""
    log = ReadLog()
    return list(iter_records(source, manifest, log, **options)), log


@renamed_keywords(n_jobs="jobs")
def load_corpus(source=None, manifest=None, *, jobs=None, speakers=None, dayfirst=None, repeated_lines=True,
                **columns) -> Corpus:
    """Load a corpus with its audit trail.

    Parameters
    ----------
    source : folder of ``.txt`` files (searched recursively, ``.txt`` in any
        case; symbolic links are never followed; an optional leading
        `` date YYYY-MM-DD`` header) and/or saved web pages (``.html``,
        ``.htm``, ``.html.gz``) and WARC crawls (``.warc``, ``.warc.gz``):
        article text and metadata extracted, see :mod:`researchlib.web`;
        or a ``.csv`` / ``.tsv`` / ``.jsonl`` /
        ``.json`` / ``.parquet`` table with one article per row. Defaults to
        the bundled seeds.
    manifest : CSV with a ``file`` column (paths relative to ``source``) and any
        metadata columns (outlet, published, ...). The source of metadata for a
        folder; the seeds' manifest is ``data/manifest.csv``.
    **columns : map canonical names onto a table's columns, e.g.
        ``text="body", outlet="Site", published="Date", doc_id="id"``. Fields
        not named are detected by common names (``date``, ``source``,
        ``headline`` ...: :data:`researchlib.columns.COLUMN_NAMES`); the
        mapping used is ``Corpus.columns_used``.
    dayfirst : how to read dates such as ``04/02/2022``: True (4 February),
        False (April 2), or None (default): the order the column proves, else
        day first with a warning listing examples (:mod:`researchlib.dates`).
    jobs : processes for cleaning/segmenting (default: 2 for large corpora).
    repeated_lines : remove lines repeated across many documents of an outlet
        or of the corpus as web furniture (the ``repeated`` cleaning rule).

    Returns a :class:`Corpus`; nothing is dropped silently: see ``rejected`` and
    ``warnings``.
    """
    from . import store
    root = store.cache_root()
    call = store.load_call(source, manifest, {"speakers": speakers, "dayfirst": dayfirst,
                                              "repeated_lines": repeated_lines, "columns": columns})
    key = store.pinned(call, root)        # in a report's notebook: the corpus the report loaded
    tables = store.load_core(root, key) if key is not None else None
    if tables is not None:
        return _stored_corpus(tables, root, key, call, speakers)
    records, log = read_records(source, manifest, dayfirst=dayfirst, **columns)
    if source is None:
        from .paths import SEEDS
        source = SEEDS
    key = None
    if root is not None:          # an unchanged input is cleaned and segmented once (researchlib.store)
        try:
            key = store.corpus_key(records, log, {"speakers": speakers, "repeated_lines": repeated_lines,
                                                  "source": str(source)})
        except store.Unstorable:  # a speaker table the cache cannot key
            root = None
    tables = store.load_core(root, key) if root is not None else None
    if tables is not None:
        return _stored_corpus(tables, root, key, call, speakers)
    done = _process_all([r["text_raw"] for r in records], jobs, speakers)
    if repeated_lines:
        done = _remove_repeated_lines(records, done, jobs, speakers)
    c = assemble(records, done, log=log, source=str(source))
    if root is not None and store.save_core(root, key, c):
        store.attach(c, root, key)
        store.remember_load(c, call, root, key)
    return _marked(c, speakers)


def _stored_corpus(tables, root, key, call, speakers):
    """The corpus read from the store under ``key``, given its store and the
    ``load_corpus`` call that found it."""
    from . import store
    c = Corpus(**tables)
    store.attach(c, root, key)
    store.remember_load(c, call, root, key)
    return _marked(c, speakers)


def _marked(corpus, speakers):
    """``corpus``, noted as having its quotes found with the bundled speaker
    table when ``speakers`` is None (:func:`researchlib.quotes.quotes` then
    finds them again only where added speakers occur)."""
    if speakers is None:
        from .quotes import mark_bundled_quotes
        mark_bundled_quotes(corpus)
    return corpus


def _published(rec, meta, log):
    """The publication date of one record: the manifest's or table's (read
    at load time, a Timestamp or NaT), else the text's `` date`` header."""
    where = rec.get("_manifest_line", rec["_where"])
    published = rec.get("published")
    if isinstance(published, str):          # a record not made by the readers
        published, problem = parse_date(published)
        if problem:
            log.warn(where, f"date {rec['published']!r} not read: {problem}; published left empty", "date")
    if not isinstance(published, pd.Timestamp):
        published = pd.NaT
    header = meta.get("header_date")
    if header:
        hdate, problem = parse_date(header)
        if problem:
            log.warn(f"{rec['_where']}:1", f"header date {header!r} not read: {problem}", "date")
        given = rec.get("_published_given", rec.get("published") not in (None, "") and not pd.isna(rec.get("published")))
        if pd.isna(published) and not given:
            published = hdate
        elif pd.notna(hdate) and pd.notna(published) and hdate.normalize() != published.normalize():
            log.warn(f"{rec['_where']}:1", f"header date {header} disagrees with published "
                     f"{published:%Y-%m-%d} ({where}); using the manifest", "date")
    return published


def assemble(records, processed, *, log=None, source="") -> Corpus:
    """The :class:`Corpus` of ``records`` (from :func:`iter_records`) and
    their :func:`process_document` results (``processed``, in the same
    order): one row per document, its sentences with their voice, the spans
    cleaning removed and the quotes; ``log`` (a
    :class:`~researchlib.readers.ReadLog`) gives the rejected rows and the
    warnings, and receives date warnings; ``source``: what was read."""
    log = log if log is not None else ReadLog()
    docs, sents, removed, quotes = [], [], [], []
    for rec, res in zip(records, processed):
        doc_id, meta = rec["doc_id"], res["meta"]
        published = _published(rec, meta, log)
        row = {k: v for k, v in rec.items() if not k.startswith("_") and k != "text_raw"}
        row.update(
            doc_id=doc_id, published=published,
            title=rec.get("title") or meta.get("title"),
            byline=rec.get("byline") or meta.get("byline"),
            dateline=meta.get("dateline"),
            url=rec.get("url") or (meta.get("urls") or [None])[0],
            credits=", ".join(meta.get("credits", [])) or None,
            headings=" | ".join(meta.get("headings", [])) or None,
            n_words=res["n_words"], n_sentences=len(res["sentences"]), language=res["language"],
            text_raw=rec["text_raw"], text=res["text"])
        docs.append(row)
        for reason in res["warnings"]:
            log.warn(rec["_where"], reason)
        sents.append((doc_id, res["text"], res["sentences"], _sentence_voice(res["sentences"], res["quotes"])))
        removed.extend((doc_id, rule, t) for rule, t in res["removed"])
        quotes.append((doc_id, res["quotes"]))
    documents = pd.DataFrame(docs)
    if len(documents):
        documents["published"] = pd.to_datetime(documents["published"])
        documents["month"] = documents["published"].dt.strftime("%Y-%m")
        documents["outlet"] = documents.get("outlet", pd.Series("(unknown)", index=documents.index))
        documents["outlet"] = documents["outlet"].replace("", "(unknown)").fillna("(unknown)")
        first = ["doc_id", "outlet", "published", "month", "title", "byline", "url", "n_words", "n_sentences"]
        documents = documents[first + [c for c in documents.columns if c not in first]]
    else:
        documents = pd.DataFrame(columns=["doc_id", "outlet", "published", "month", "title", "text_raw", "text", "n_words",
                                          "language"])
    return Corpus(
        documents=documents,
        sentences=_sentence_table(sents),
        removed=pd.DataFrame(removed, columns=["doc_id", "rule", "text"]),
        rejected=pd.DataFrame(log.rejected, columns=LOG_COLUMNS).fillna({"kind": ""}),
        warnings=pd.DataFrame(log.warnings, columns=LOG_COLUMNS).fillna({"kind": ""}),
        quotes=_quote_table(quotes),
        inputs=pd.DataFrame(log.inputs, columns=["path", "sha256"]),
        source=source, columns_used=dict(getattr(log, "columns_used", {})))


SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "quoted_chars", "quoted_share", "voice", "speaker"]
_INT32 = {"sent_id": "int32", "start": "int32", "end": "int32", "quoted_chars": "int32"}


def _sentence_table_plain(docs) -> pd.DataFrame:
    """The sentences table of ``docs``: (doc_id, text, sentence spans, their
    :func:`_sentence_voice`) per document; one row per sentence."""
    rows = [(doc_id, i, s, e, text[s:e], *voice[i])
            for doc_id, text, spans, voice in docs for i, (s, e) in enumerate(spans)]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype(_INT32)


def _sentence_table(docs) -> pd.DataFrame:
    """:func:`_sentence_table_plain` built column by column (pandas infers
    each column's type as it does from the rows; the offsets are int32
    arrays at once). No sentence: the plain way (an empty column is typed
    differently)."""
    ids, sent_id, starts, ends, texts, chars, share, label, speaker = [], [], [], [], [], [], [], [], []
    for doc_id, text, spans, voice in docs:
        if not spans:
            continue
        ids += [doc_id] * len(spans)
        sent_id += range(len(spans))
        first, last = zip(*spans)
        starts += first
        ends += last
        texts += [text[s:e] for s, e in spans]
        c, sh, la, sp = zip(*voice)
        chars += c
        share += sh
        label += la
        speaker += sp
    if not ids:
        return _sentence_table_plain(docs)
    int32 = lambda v: np.array(v, dtype=np.int64).astype(np.int32)
    return pd.DataFrame({"doc_id": ids, "sent_id": int32(sent_id), "start": int32(starts), "end": int32(ends),
                         "text": texts, "quoted_chars": int32(chars), "quoted_share": share, "voice": label,
                         "speaker": speaker})


def _quote_table_plain(docs) -> pd.DataFrame:
    """The quotes table of ``docs``: (doc_id, its quotes) per document."""
    from .quotes import QUOTE_COLUMNS
    return pd.DataFrame([{"doc_id": doc_id, **q} for doc_id, quotes in docs for q in quotes], columns=QUOTE_COLUMNS)


def _quote_table(docs) -> pd.DataFrame:
    """:func:`_quote_table_plain` from rows in column order (a quote without
    every column: the plain way, which leaves the cell empty)."""
    from .quotes import QUOTE_COLUMNS
    row = operator.itemgetter(*QUOTE_COLUMNS[1:])
    try:
        rows = [(q.get("doc_id", doc_id), *row(q)) for doc_id, quotes in docs for q in quotes]
    except KeyError:
        return _quote_table_plain(docs)
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def _sentence_voice_plain(spans, quotes):
    """Per sentence: quoted characters, their share, voice label, main speaker
    (the quote with the largest overlap; the first one on a tie). Quotes in
    quote marks count (direct and partial), reported speech does not."""
    direct = [q for q in quotes if q["kind"] != "indirect"]
    out = []
    for s, e in spans:
        best, chars, speaker = 0, 0, None
        for q in direct:
            ov = min(e, q["end"]) - max(s, q["start"])
            if ov > 0:
                chars += ov
                if ov > best:
                    best, speaker = ov, q["speaker"]
        share = chars / max(1, e - s)
        voice = "narrative" if chars == 0 else ("quoted" if share >= 0.5 else "mixed")
        out.append((chars, round(share, 4), voice, speaker))
    return out


_NARRATIVE = (0, 0.0, "narrative", None)


def _sentence_voice(spans, quotes):
    """:func:`_sentence_voice_plain`, trying only the quotes that can overlap
    each sentence when the quotes are in text order (those starting before
    its end whose running maximum end passes its start; tested equal in
    tests/test_corpus_tables.py); a sentence no quote overlaps is narrative."""
    direct = [q for q in quotes if q["kind"] != "indirect"]
    starts = [q["start"] for q in direct]
    ends = [q["end"] for q in direct]
    reach = list(itertools.accumulate(ends, max))   # max end so far
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))
    out = []
    for s, e in spans:
        lo, hi = (bisect.bisect_right(reach, s), bisect.bisect_left(starts, e)) if ordered else (0, len(direct))
        best, chars, speaker = 0, 0, None
        for k in range(lo, hi):
            ov = min(e, ends[k]) - max(s, starts[k])
            if ov > 0:
                chars += ov
                if ov > best:
                    best, speaker = ov, direct[k]["speaker"]
        if not chars:
            out.append(_NARRATIVE)
            continue
        share = chars / max(1, e - s)
        out.append((chars, round(share, 4), "quoted" if share >= 0.5 else "mixed", speaker))
    return out
