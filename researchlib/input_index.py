"""Skip re-reading unchanged inputs on a warm ``analyse`` run.

The cache keys of ``analyse`` are hashes of the document texts, so finding
them means reading and hashing every input. This index records, for one
input state, the batch keys and the read log of the last run, so an unchanged
corpus is not read again (the approach of git's index and DVC's state
database). The state of the inputs is:

* for a folder: every ``*.txt`` path below it with its size, modification and
  status-change times (ns) and inode, and the manifest's bytes;
* for a table: the table file's size, times and inode;
* the column options and the batch size;
* the source code that reads inputs and cuts them into batches (the core
  measure's modules, :mod:`researchlib.batches` and this module: see
  :data:`researchlib.batches.MEASURES`), so a changed reader reads again.

Any change to a file's content updates its status-change time (``ctime``),
which no user-level tool can set back. To stay safe with coarse file-system
clocks, an index is only written when every input was last changed more than
``RACY_SECONDS`` before a moment at which the inputs were seen in that state
(the start of the run, else its end); otherwise the next run reads the inputs
again. ``analyse(..., cache=None)`` or a fresh cache folder always
reads everything. The record is written under a temporary name and renamed
into place; one that cannot be read as a record is reported (``CacheWarning``)
and the inputs are read again.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from pathlib import Path

from .outputs import write_bytes_atomic

__all__ = ["input_state", "load_index", "save_index", "RACY_SECONDS"]

RACY_SECONDS = 3


def input_state(source, manifest, columns, batch):
    """(key, newest change time in ns) of the inputs, or None when they
    cannot be described (missing paths: the full run reports those)."""
    from .batches import COMMON, MEASURES, source_hash
    from .paths import MANIFEST, SEEDS
    from .tables import TABLE_SUFFIXES
    if source is None:
        source, manifest = SEEDS, manifest or MANIFEST
    src = Path(source)
    code = source_hash(MEASURES["core"].modules + COMMON + ("input_index",))
    h = hashlib.sha256(repr((code, os.path.realpath(src), sorted(columns.items()), batch)).encode())
    newest = 0
    try:
        if src.is_dir():
            files = _watched(src)
            top = os.fspath(src)
            for rel in files:
                st = os.stat(os.path.join(top, rel))
                h.update(repr((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)).encode())
                newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
            if manifest is not None:
                h.update(b"manifest\0" + os.fsencode(os.path.realpath(manifest)) + b"\0" + Path(manifest).read_bytes())
        elif src.is_file() and src.suffix.lower() in TABLE_SUFFIXES:
            st = src.stat()
            h.update(repr((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)).encode())
            newest = max(st.st_mtime_ns, st.st_ctime_ns)
        else:
            return None
    except OSError:
        return None
    return h.hexdigest(), newest


def _watched(root) -> list:
    """Every path below ``root`` that is an input or a rejected link (a link
    replaced by a file changes what is read), in the order read."""
    from .readers import list_folder
    files, rejected = list_folder(root)
    return sorted(files + [p for p, _ in rejected], key=lambda r: r.split("/"))


def _path(cache, key):
    return Path(cache) / "inputs" / f"{key}.json"


def load_index(cache, key):
    """{"batches": [batch keys], "rejected": [...], "warnings": [...]} or None
    (none recorded; a damaged record is reported and the inputs read again)."""
    path = _path(cache, key)
    try:
        index = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        index = e
    if isinstance(index, dict) and all(isinstance(index.get(k), list) for k in ("batches", "rejected", "warnings")):
        return index
    from .errors import CacheWarning
    warnings.warn(f"input index {path} is damaged ({index!r:.80}); reading the inputs again", CacheWarning)
    return None


def save_index(cache, state, started_ns, batches, log):
    """Record the batch keys and read log of a complete run, unless an input
    changed less than RACY_SECONDS before the run started."""
    key, newest = state
    if newest > started_ns - RACY_SECONDS * 1_000_000_000:
        return False
    path = _path(cache, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, json.dumps({"batches": batches, "rejected": log.rejected, "warnings": log.warnings,
                                         "written": time.strftime("%Y-%m-%dT%H:%M:%S")}).encode())
    return True
