"""One measure store per corpus: the loaded corpus and its measures, computed
once and kept as Parquet, so that the report, the notebooks and repeated
calls read the same numbers instead of recomputing them.

Method
------
*Loading.* :func:`researchlib.load_corpus` reads the inputs (cheap), then
looks up the cleaned, segmented corpus (documents, sentences with voice,
quotes, removed, rejected, warnings, inputs) under a key made of every
record's raw text and metadata, the read log, the load options and the code
(:func:`corpus_key`). A hit skips cleaning, segmenting and quote finding.

*Measures.* The measure functions wear :func:`stored` (``sentiment``,
``target_sentiment``, ``term_hits``, ``token_counts``, ``frames``,
``dates_mentioned``). On a
corpus that has a store (one loaded with the cache on, or given one by
:func:`researchlib.prefill.measures`) a call is looked up under the corpus key, the measure's key
(:func:`researchlib.batches.measure_keys`), a hash of every package module
and bundled resource, and the call's parameters (a file parameter by its
content). A stored result is used only for exactly those parameters; any
other call computes with the plain function (the reference) and stores its
result. ``sentiment`` is stored per method, ``blend`` from the stored VADER
and TextBlob scores by the same formula and weights
(:data:`researchlib.sentiment.BLEND`, handed over by its decorator).

*Filling in parallel* (:mod:`researchlib.prefill`). ``fill`` computes a list of calls at once: the
corpus is cut into batches of at most :data:`BATCH` documents (as
``analyse`` does), each batch goes through the plain functions in a process
pool (workers that load the lexicons once and exit with the run, as
``analyse``'s), and the batches' tables are joined in corpus order
(``frames`` sorted as the plain function sorts). ``tests/test_store.py``
checks that this equals the plain functions on the whole corpus.

*Safety.* Every file is written under a temporary name and renamed into
place, with a record of its size and CRC-32; a file that does not match is
reported (``CacheWarning``) and recomputed. A table is stored only when its
Parquet copy reads back equal to it. Nothing is read with pickle.

The cache folder: ``$RESEARCHLIB_STORE`` (``off`` disables it), else
``.researchlib-cache`` in the repository (the folder ``analyse`` uses).

Known limits
------------
Entries are per corpus: one changed document recomputes every measure of
the corpus (``analyse`` caches per batch). A corpus changed in place after
loading (``c.sentences.loc[...] = ...``) is not noticed; a table replaced
(``c.sentences = ...``) is, and then nothing is read from the store. Old
entries are not removed: delete the folder to reclaim the space.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import io
import json
import os
import warnings
import zlib
from pathlib import Path

import pandas as pd

from .errors import CacheWarning
from .outputs import write_bytes_atomic

__all__ = ["cache_root", "corpus_key", "content_key", "load_core", "save_core", "stored", "store_of", "attach",
           "bind", "plain", "unique_calls", "method_list", "MeasureStore", "ENV", "BATCH", "PIN_ENV", "load_call",
           "remember_load", "pin_of", "pinned"]

ENV = "RESEARCHLIB_STORE"
OFF = {"", "0", "off", "no", "false", "none"}
BATCH = 500              # documents per batch sent to a worker (as in analyse)
CORE_FILES = ("documents", "sentences", "removed", "rejected", "warnings", "quotes", "inputs")
#: measure -> (module, function) of the function wearing :func:`stored`
REGISTRY = {"sentiment": ("sentiment", "sentiment"), "target_sentiment": ("sentiment", "target_sentiment"),
            "term_hits": ("terms", "term_hits"), "frames": ("frames", "frames"),
            "dates_mentioned": ("timeline", "dates_mentioned"), "token_counts": ("terms", "token_counts")}
#: libraries whose versions change the numbers (besides the package's own code and resources)
LIBRARIES = ("nltk", "regex", "vaderSentiment", "textblob", "numpy", "pandas", "pyarrow", "sentence-transformers",
             "onnxruntime")
#: measures that start with ``english_only``: the English view of a corpus gives the same table
ENGLISH_FIRST = {"sentiment", "target_sentiment", "term_hits", "frames", "token_counts"}


def cache_root(cache=None):
    """The cache folder: ``cache`` if given (False: none), else
    ``$RESEARCHLIB_STORE`` (``off``: none), else ``<repository>/.researchlib-cache``."""
    if cache is False:
        return None
    if cache is None:
        cache = os.environ.get(ENV)
        if cache is None:
            from .paths import ROOT
            return ROOT / ".researchlib-cache"
    if str(cache).strip().lower() in OFF:
        return None
    return Path(cache)


# --------------------------------------------------------------------------- #
# keys                                                                         #
# --------------------------------------------------------------------------- #

def _sha(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """Hash of every package module and bundled resource and of the versions
    of :data:`LIBRARIES`: a change to any of them is a new key. (The measure
    keys of :func:`researchlib.batches.measure_keys` hash parts of this, so
    that ``analyse`` recomputes only the measures a change touches; the store
    recomputes everything.)"""
    from importlib import metadata
    from .paths import PACKAGE, RESOURCES
    h = hashlib.sha256()
    files = sorted(PACKAGE.glob("*.py")) + sorted(p for p in RESOURCES.rglob("*") if p.is_file())
    for p in files:
        if "__pycache__" not in p.parts:
            h.update(str(p.relative_to(PACKAGE)).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    versions = []
    for d in ("researchlib", *LIBRARIES):
        try:
            versions.append((d, metadata.version(d)))
        except metadata.PackageNotFoundError:
            versions.append((d, None))
    return _sha(h.hexdigest(), json.dumps(versions))


def _function(measure):
    """The function of ``measure`` wearing :func:`stored` (imported when asked for)."""
    import importlib
    module, name = REGISTRY[measure]
    return getattr(importlib.import_module(f".{module}", __package__), name)


def plain(measure):
    """The plain function of ``measure`` (the reference the store caches)."""
    return _function(measure).plain_function


def method_list(methods) -> tuple:
    """The sentiment methods of a call, as :func:`researchlib.sentiment.sentiment` reads them."""
    if methods is None:
        return (_function("sentiment").per_method[0],)
    return (methods,) if isinstance(methods, str) else tuple(methods)


def corpus_key(records, log, options: dict) -> str:
    """The key of a loaded corpus: every record (raw text and metadata, in
    order), the read log, the load options and :func:`code_key`."""
    h = hashlib.sha256()
    for r in records:
        h.update(repr(sorted((k, repr(v)) for k, v in r.items())).encode("utf-8", "surrogatepass"))
    state = [log.rejected, log.warnings, log.inputs, sorted(getattr(log, "columns_used", {}).items())]
    return _sha(h.hexdigest(), repr(state), _canonical(options), code_key())


#: Set by ``researchlib report`` for its notebooks: the ``load_corpus`` call the
#: report made and the key of the corpus it loaded (:func:`pin_of`), so that a
#: notebook making the same call reads that corpus from the store at once
#: instead of reading and hashing every input again (:func:`pinned`): every
#: notebook of one report reads the corpus the report loaded.
PIN_ENV = "RESEARCHLIB_CORPUS_PIN"


def load_call(source, manifest, options: dict):
    """A ``load_corpus`` call as text: its paths made absolute, a file by its
    content; None when an option cannot be keyed."""
    def path(p):
        return os.path.abspath(os.fspath(p)) if p is not None else None
    try:
        return _canonical([path(source), path(manifest), options])
    except Unstorable:
        return None


def remember_load(corpus, call, root, key):
    """Note on ``corpus`` the call, cache folder and key it was loaded with."""
    corpus.__dict__["_load"] = (call, str(root), key)


def pin_of(corpus):
    """The value of :data:`PIN_ENV` for ``corpus`` (JSON), None when it was
    not loaded through the store."""
    load = getattr(corpus, "__dict__", {}).get("_load")
    if not load or load[0] is None or store_of(corpus) is None:
        return None
    return json.dumps(dict(zip(("call", "root", "key"), load)))


def pinned(call, root):
    """The key :data:`PIN_ENV` gives for ``call`` under the cache folder
    ``root``, else None."""
    raw = os.environ.get(PIN_ENV)
    if not raw or call is None or root is None:
        return None
    try:
        pin = json.loads(raw)
    except ValueError:
        return None
    if isinstance(pin, dict) and pin.get("call") == call and pin.get("root") == str(root):
        return pin.get("key")
    return None


def _file_hash(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Unstorable(Exception):
    """A parameter the store cannot key (a DataFrame, an object): compute."""


def _canonical(value) -> str:
    """JSON of a parameter value, a file named by it as its content hash."""
    def walk(v):
        if v is None or isinstance(v, (bool, int, float)):
            return v
        if isinstance(v, (str, os.PathLike)):
            s = os.fspath(v)
            try:
                if os.path.isfile(s):
                    return {"file": _file_hash(s)}
            except (OSError, ValueError):
                pass
            return s
        if isinstance(v, dict):
            return {"dict": [[walk(k), walk(x)] for k, x in v.items()]}
        if isinstance(v, (list, tuple)):
            return {type(v).__name__: [walk(x) for x in v]}
        raise Unstorable(type(v).__name__)
    return json.dumps(walk(value), sort_keys=True)


# --------------------------------------------------------------------------- #
# files: Parquet with a record of size and CRC-32                             #
# --------------------------------------------------------------------------- #

def _restore(df, dtypes):
    """Datetime columns back to their unit (Parquet keeps seconds as milliseconds)."""
    return df.astype(dtypes) if dtypes else df


def _parquet(df: pd.DataFrame):
    """(Parquet bytes of ``df``, the record of it: [size, CRC-32, datetime
    dtypes]), or None when its copy does not read back equal."""
    dtypes = {c: str(t) for c, t in df.dtypes.items() if str(t).startswith("datetime64")}
    buf = io.BytesIO()
    try:
        df.to_parquet(buf)
        data = buf.getvalue()
        pd.testing.assert_frame_equal(_restore(pd.read_parquet(io.BytesIO(data)), dtypes), df)
    except Exception:       # unwritable column, or a dtype Parquet does not keep
        return None
    return data, [len(data), zlib.crc32(data), dtypes]


def _damaged(path, why):
    warnings.warn(f"measure store entry {path} is damaged ({why}); recomputing it", CacheWarning, stacklevel=4)


def _read_checked(path: Path, record):
    """The DataFrame in ``path`` if it matches ``record`` ([size, crc]), else None."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        _damaged(path, "missing")
        return None
    except OSError as e:
        _damaged(path, e)
        return None
    if not isinstance(record, list) or [len(data), zlib.crc32(data)] != record[:2]:
        _damaged(path, "size or checksum differs from its record")
        return None
    try:
        return _restore(pd.read_parquet(io.BytesIO(data)), record[2] if len(record) > 2 else None)
    except Exception as e:
        _damaged(path, f"{type(e).__name__}: {e}")
        return None


def _read_record(path: Path):
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        _damaged(path, f"{type(e).__name__}: {e}")
        return None


def _core_dir(root, key) -> Path:
    return Path(root) / "corpus" / key[:2] / key


def save_core(root, key, corpus) -> bool:
    """Store a loaded corpus under ``key``; False when a table cannot be
    stored exactly (the corpus is then simply not cached)."""
    blobs, files = {}, {}
    for name in CORE_FILES:
        done = _parquet(getattr(corpus, name))
        if done is None:
            return False
        blobs[name], files[name] = done
    folder = _core_dir(root, key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in blobs.items():
            write_bytes_atomic(folder / f"{name}.parquet", data)
        record = {"source": corpus.source, "columns_used": corpus.columns_used,
                  "files": files}
        write_bytes_atomic(folder / "corpus.json", json.dumps(record).encode())    # last: the entry is complete
    except OSError as e:
        warnings.warn(f"the corpus could not be cached in {folder}: {e}", CacheWarning, stacklevel=3)
        return False
    return True


def load_core(root, key):
    """The tables of the corpus stored under ``key`` (the arguments of
    :class:`researchlib.Corpus`), or None."""
    folder = _core_dir(root, key)
    record = _read_record(folder / "corpus.json")
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None
    tables = {}
    for name in CORE_FILES:
        df = _read_checked(folder / f"{name}.parquet", record["files"].get(name, [-1, -1]))
        if df is None:
            return None
        tables[name] = df
    return {**tables, "source": record.get("source", ""), "columns_used": dict(record.get("columns_used") or {})}


# --------------------------------------------------------------------------- #
# the store of one corpus                                                      #
# --------------------------------------------------------------------------- #

def _shape(corpus):
    return (id(corpus.documents), id(corpus.sentences), len(corpus.documents), len(corpus.sentences))


class MeasureStore:
    """The stored measures of one corpus (``folder``); ``view``: "english"
    for the English-only view of the corpus (:func:`researchlib.language.english_only`)."""

    def __init__(self, folder, corpus, view=""):
        self.folder, self.view, self._shape = Path(folder), view, _shape(corpus)
        self.hits = self.misses = 0

    def __repr__(self):
        return f"<MeasureStore {self.folder} ({len(list(self.folder.glob('*.json')))} entries)>"

    def matches(self, corpus) -> bool:
        """True while ``corpus`` still has the tables the store was made for."""
        return _shape(corpus) == self._shape

    def for_view(self, view_corpus) -> "MeasureStore":
        st = MeasureStore(self.folder, view_corpus, "english")
        st.hits, st.misses = self.hits, self.misses
        return st

    def path(self, measure, params) -> Path:
        """The entry of ``measure`` called with ``params`` (raises Unstorable)."""
        view = "" if measure in ENGLISH_FIRST else self.view
        return self.folder / _sha(measure, code_key(), _canonical(params), view)[:32]

    def entries(self) -> pd.DataFrame:
        """What is stored: ``measure, params, rows, bytes``."""
        rows = []
        for p in sorted(self.folder.glob("*.json")):
            r = _read_record(p) or {}
            rows.append({"measure": r.get("measure"), "params": r.get("params"), "rows": r.get("rows"),
                         "bytes": (r.get("file") or [None])[0]})
        return pd.DataFrame(rows, columns=["measure", "params", "rows", "bytes"])

    def has(self, measure, params) -> bool:
        """True if an entry of ``measure`` with ``params`` is recorded (not read)."""
        try:
            return self.path(measure, params).with_suffix(".json").exists()
        except Unstorable:
            return False

    def read(self, measure, params):
        """The stored table of ``measure`` with ``params``, or None."""
        try:
            base = self.path(measure, params)
        except Unstorable:
            return None
        record = _read_record(base.with_suffix(".json"))
        if not isinstance(record, dict) or "file" not in record:
            return None
        return _read_checked(base.with_suffix(".parquet"), record["file"])

    def write(self, measure, params, df) -> bool:
        try:
            base = self.path(measure, params)
        except Unstorable:
            return False
        done = _parquet(df)
        if done is None:
            return False
        data, file = done
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(base.with_suffix(".parquet"), data)
            write_bytes_atomic(base.with_suffix(".json"), json.dumps(
                {"measure": measure, "params": _canonical(params), "rows": len(df),
                 "file": file}).encode())
        except OSError as e:
            warnings.warn(f"measure store {self.folder} not writable: {e}", CacheWarning, stacklevel=3)
            return False
        return True

    def get(self, measure, corpus, params: dict):
        """The table of ``measure(corpus, **params)``: stored, else computed
        by the plain function and stored."""
        if measure == "sentiment":
            return self._sentiment(corpus, params)
        df = self.read(measure, params)
        if df is not None:
            self.hits += 1
            return df
        self.misses += 1
        df = plain(measure)(corpus, **params)
        self.write(measure, params, df)
        return df

    def _sentiment(self, corpus, params):
        """Per method, so "blend" alone and ["vader", "textblob"] share entries;
        blend from the VADER and TextBlob entries by the plain formula."""
        blend = _function("sentiment").per_method[1]
        parts = []
        for m in method_list(params.get("methods")):
            one = {**params, "methods": m}
            df = self.read("sentiment", one)
            if df is not None:
                self.hits += 1
            elif m == "blend":
                v = self._sentiment(corpus, {**params, "methods": "vader"})
                t = self._sentiment(corpus, {**params, "methods": "textblob"})
                df = v.assign(method="blend", score=blend["vader"] * v["score"].to_numpy()
                              + blend["textblob"] * t["score"].to_numpy())
                self.write("sentiment", one, df)
            else:
                self.misses += 1
                df = plain("sentiment")(corpus, **one)
                self.write("sentiment", one, df)
            parts.append(df)
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def store_of(corpus):
    """The :class:`MeasureStore` of ``corpus`` if it has one that still fits it."""
    st = getattr(corpus, "__dict__", {}).get("_store")
    return st if st is not None and st.matches(corpus) else None


def attach(corpus, root, key):
    """Give ``corpus`` the store of ``key`` under the cache folder ``root``."""
    st = MeasureStore(Path(root) / "store" / key[:2] / key, corpus)
    corpus.__dict__["_store"] = st
    return st


def stored(measure, *, per_method=None):
    """Decorator: ``measure(corpus, ...)`` reads the corpus's store when it has
    one (the plain function stays as ``plain_function``). ``per_method``: (the
    default method, the blend weights) of a measure stored per method."""
    def deco(fn):
        sig = inspect.signature(fn)
        plain = any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values())

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            st = store_of(args[0]) if args and not plain else None
            if st is None:
                return fn(*args, **kwargs)
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)
            bound.apply_defaults()
            params = dict(bound.arguments)
            corpus = params.pop(next(iter(sig.parameters)))
            try:
                _canonical(params)
            except Unstorable:
                return fn(*args, **kwargs)
            return st.get(measure, corpus, params)
        wrapper.per_method = per_method
        wrapper.plain_function = fn       # kept through outer decorators (functools.wraps copies __dict__)
        return wrapper
    return deco


# --------------------------------------------------------------------------- #
# filling the store in parallel                                                #
# --------------------------------------------------------------------------- #

def bind(measure, kwargs) -> dict:
    """``kwargs`` of a call with every default applied (the corpus left out)."""
    sig = inspect.signature(plain(measure))
    bound = sig.bind_partial(**kwargs)
    bound.apply_defaults()
    return {k: v for k, v in bound.arguments.items() if k != next(iter(sig.parameters))}


def unique_calls(calls):
    """(measure, params) to compute, every parameter bound; sentiment split
    per method, blend as VADER and TextBlob."""
    out = []
    for measure, kwargs in calls:
        params = bind(measure, kwargs)
        if measure == "sentiment":
            ms = [x for m in method_list(params.get("methods")) for x in (("vader", "textblob") if m == "blend" else (m,))]
            out += [("sentiment", {**params, "methods": m}) for m in dict.fromkeys(ms)]
        else:
            out.append((measure, params))
    unique = {}
    for m, p in out:
        unique.setdefault(_canonical([m, p]), (m, p))
    return list(unique.values())


def content_key(corpus) -> str:
    """A key from the corpus's tables themselves (for a corpus not made by
    :func:`researchlib.load_corpus` with the cache on)."""
    h = hashlib.sha256()
    for name in ("documents", "sentences", "quotes"):
        df = getattr(corpus, name)
        h.update(name.encode() + repr(list(df.columns)).encode())
        h.update(pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy().tobytes())
    return _sha(h.hexdigest(), code_key())
