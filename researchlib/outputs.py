"""Output folders that are never destroyed: the one mechanism behind every
command that writes a folder (``report``, ``analyse``, ``teach``).

Method:

* **Inputs are off limits.** The output folder may not be, contain, or lie
  inside an input (corpus folder or file, manifest, notebooks, cache), and
  may not be or contain the current directory (``--out .``).
* **Only its own output is replaced.** A run that completes writes a marker
  file, ``.researchlib-output`` (JSON: command, time, the files written).
  An existing folder is replaced only when it is empty or holds nothing but
  what its marker lists, written by the same command. A non-empty folder
  without a marker is refused; ``force=True`` (``--force``) replaces it only
  when every file in it has the shape of that command's output (an output of
  a researchlib version older than the marker), or replaces a marked output
  of another command. Files a user added to an output are never deleted.
* **Built aside, swapped in when complete.** The run writes into a fresh
  sibling ``.NAME.researchlib-build-XXXX`` (normal permissions: the umask
  decides, as for ``mkdir``) and swaps it in with one atomic exchange
  (``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere). A failed
  run removes its build folder; a killed run's leftovers are removed by the
  next run (after restoring the previous output if a kill fell between the
  two renames).
* **One run per output.** The whole build holds an exclusive lock
  (``fcntl.flock``) on ``.NAME.researchlib-lock`` beside the output; a second
  run says it is waiting and waits. The lock file is removed on release.

Known limits: locks are advisory and need ``fcntl`` (Linux, macOS; without
it runs are not serialised) and a file system where ``flock`` works (not
some network file systems). Paths are compared after resolving symbolic
links; hard links to an input are not detected.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path

from .errors import ResearchlibError

__all__ = ["OutputBuild", "OutputError", "Lock", "MARKER", "write_bytes_atomic"]

MARKER = ".researchlib-output"
BUILDING = ".researchlib-build"


class OutputError(ResearchlibError):
    """The output folder cannot be written without risking the user's files."""


def write_bytes_atomic(path, data: bytes):
    """Write ``data`` to ``path`` under a temporary name, then rename it into
    place: readers see the old file or the whole new one, never a part."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        with open(tmp, "xb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _inside(path: str, folder: str) -> bool:
    return path != folder and path.startswith(folder.rstrip(os.sep) + os.sep)


def _entries(folder: Path):
    """(files and links, folders) below ``folder``, as relative POSIX paths."""
    files, dirs = set(), set()
    for top, subdirs, names in os.walk(folder):
        rel = Path(top).relative_to(folder)
        for d in list(subdirs):
            if os.path.islink(os.path.join(top, d)):   # not followed: a link is an entry like a file
                subdirs.remove(d)
                files.add((rel / d).as_posix())
            else:
                dirs.add((rel / d).as_posix())
        files.update((rel / n).as_posix() for n in names)
    return files, dirs


def _ancestors(files):
    return {p.as_posix() for f in files for p in Path(f).parents if p.as_posix() != "."}


def _read_marker(folder: Path):
    try:
        m = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return m if isinstance(m, dict) and isinstance(m.get("files"), list) else None
    except (OSError, ValueError):
        return None


def _listing(paths, n=5):
    paths = sorted(paths)
    return ", ".join(paths[:n]) + (f" and {len(paths) - n} more" if len(paths) > n else "")


class OutputBuild:
    """Build the output folder ``out`` of ``command`` aside and swap it in.

    ``inputs``: {label: path or None} the run reads; ``shape``: a regular
    expression every file of an unmarked earlier output of this command
    matches (relative POSIX path), ``required`` a file it always has.
    Use as a context manager (``with OutputBuild(...) as tmp:``) or call
    :meth:`start`, then :meth:`finish` or :meth:`abort`.
    """

    def __init__(self, out, *, command, inputs=None, force=False, shape=None, required=None):
        raw = Path(out)     # the folder's parent with links resolved (".." after a link means what the OS means)
        self.out = Path(os.path.realpath(raw)) if raw.name in ("", ".", "..") else \
            Path(os.path.realpath(raw.parent)) / raw.name
        self.command, self.force, self.shape, self.required = command, force, shape, required
        self.inputs = {k: v for k, v in (inputs or {}).items() if v is not None}
        self.tmp, self._lock = None, None

    # -- checks ---------------------------------------------------------------
    def check(self):
        """Raise OutputError when ``out`` may not be written (no side effects)."""
        out = self.out
        if not out.name:
            raise OutputError(f"output folder {str(out)!r} is the root of the file system; choose a new folder")
        if out.is_symlink():
            raise OutputError(f"output folder {str(out)!r} is a symbolic link; give the folder it points to, "
                              "or a new folder")
        real = os.path.realpath(out)
        cwd = os.path.realpath(os.getcwd())
        if real == cwd or _inside(cwd, real):
            raise OutputError(f"output folder {str(out)!r} is or contains the current directory; "
                              "choose a new folder (e.g. --out reports)")
        for label, path in self.inputs.items():
            p = os.path.realpath(path)
            if p == real:
                raise OutputError(f"output folder {str(out)!r} is the {label} {str(path)!r}; "
                                  "choose another output folder (nothing was changed)")
            if _inside(p, real):
                raise OutputError(f"output folder {str(out)!r} contains the {label} {str(path)!r}; writing it "
                                  "would replace the input: choose another output folder (nothing was changed)")
            if _inside(real, p):
                raise OutputError(f"output folder {str(out)!r} is inside the {label} {str(path)!r}; "
                                  "choose a folder outside the inputs (nothing was changed)")
        self._check_replaceable()

    def _check_replaceable(self):
        out = self.out
        if not os.path.lexists(out):
            return
        if not out.is_dir():
            raise OutputError(f"output {str(out)!r} exists and is not a folder; choose another output folder")
        files, dirs = _entries(out)
        if not files and not dirs:
            return
        marker = _read_marker(out)
        if marker is not None:
            listed = {f for f in marker["files"] if isinstance(f, str)} | {MARKER}
            extra = (files - listed) | (dirs - _ancestors(listed))
            if extra:
                raise OutputError(f"output folder {str(out)!r} holds files researchlib did not write "
                                  f"({_listing(extra)}); it is never replaced while it holds them: move them "
                                  "out, or choose another output folder")
            if marker.get("command") != self.command and not self.force:
                raise OutputError(f"output folder {str(out)!r} holds a researchlib {marker.get('command')!r} "
                                  f"output; use --force to replace it with a {self.command!r} output")
            return
        hint = (f"use --force only if it holds nothing but an output of an earlier researchlib {self.command!r}"
                if self.shape else "choose a new or empty folder")
        if not self.force:
            raise OutputError(f"output folder {str(out)!r} is not empty and was not written by researchlib "
                              f"(no {MARKER} file); nothing was changed. Choose a new or empty folder, or {hint}")
        if not self.shape:
            raise OutputError(f"output folder {str(out)!r} is not empty and was not written by researchlib; "
                              "--force cannot replace it")
        alien = {f for f in files if not re.fullmatch(self.shape, f)} | (dirs - _ancestors(files))
        if alien or (self.required and self.required not in files):
            what = (f"files that are not part of a researchlib {self.command!r} output ({_listing(alien)})" if alien
                    else f"no {self.required} (it is not a researchlib {self.command!r} output)")
            raise OutputError(f"output folder {str(out)!r} holds {what}; --force replaces only a folder that "
                              "holds nothing but a previous output. Nothing was changed")

    # -- build ----------------------------------------------------------------
    def _sibling(self, kind):
        return self.out.with_name(f".{self.out.name}.researchlib-{kind}-{os.urandom(6).hex()}")

    def _clean_stale(self):
        """Leftovers of killed runs (only folders this module made): restore a
        previous output caught between the two renames of a swap, remove
        unfinished builds."""
        prefix = f".{self.out.name}.researchlib-"
        stale = sorted(p for p in self.out.parent.iterdir() if p.name.startswith(prefix)
                       and p.name[len(prefix):].startswith(("build-", "old-")) and p.is_dir() and not p.is_symlink())
        for p in stale:
            if not ((p / MARKER).is_file() or (p / BUILDING).is_file()):
                continue                                    # not ours
            if p.name[len(prefix):].startswith("old-") and not os.path.lexists(self.out) and (p / MARKER).is_file():
                os.rename(p, self.out)
                continue
            shutil.rmtree(p, ignore_errors=True)

    def start(self) -> Path:
        """Check, lock, clean up after killed runs; returns the empty build folder."""
        self.check()
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = Lock(self.out.with_name(f".{self.out.name}.researchlib-lock"),
                              announce=f"writes {str(self.out)!r}")
        except PermissionError as e:
            raise OutputError(f"cannot write beside the output folder {str(self.out)!r}: {e.strerror} "
                              f"({e.filename}); choose a folder you can write") from None
        try:
            self._clean_stale()
            self.check()             # again, under the lock
            while True:
                tmp = self._sibling("build")
                try:
                    os.mkdir(tmp)    # mode 0o777 minus the umask (tempfile.mkdtemp would give 0o700)
                    break
                except FileExistsError:
                    continue
            self.tmp = tmp
            (tmp / BUILDING).write_text(json.dumps({"command": self.command, "pid": os.getpid()}))
        except BaseException:
            self._lock.release()
            raise
        return tmp

    def abort(self):
        """Remove the build folder and release the lock (the output is untouched)."""
        try:
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
        finally:
            if self._lock:
                self._lock.release()

    def finish(self) -> Path:
        """Write the marker and swap the build folder in; returns ``out``."""
        try:
            tmp = self.tmp
            files, _ = _entries(tmp)
            files.discard(BUILDING)
            write_bytes_atomic(tmp / MARKER, json.dumps(
                {"command": self.command, "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "researchlib": _version(), "files": sorted(files)}, indent=1).encode())
            (tmp / BUILDING).unlink()
            self._check_replaceable()
            if os.path.lexists(self.out):
                if not _exchange(tmp, self.out):
                    old = self._sibling("old")
                    os.rename(self.out, old)
                    os.rename(tmp, self.out)
                    tmp = old
                shutil.rmtree(tmp, ignore_errors=True)     # the previous output
            else:
                os.rename(tmp, self.out)
            self.tmp = None
        except BaseException:
            self.abort()
            raise
        self._lock.release()
        return self.out

    def __enter__(self) -> Path:
        return self.start()

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.finish()
        else:
            self.abort()
        return False


def _version():
    try:
        from importlib.metadata import version
        return version("researchlib")
    except Exception:       # not installed (source tree)
        return "unknown"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False
    where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    import errno
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class Lock:
    """Exclusive ``flock`` on ``path`` while held (``with Lock(path):`` or
    :meth:`release`); the file is removed on release. ``announce``: what the
    holder does, printed once when this process has to wait (``waited``)."""

    def __init__(self, path, *, announce=None):
        self.path, self.fd, self.waited = Path(path), None, False
        try:
            import fcntl
        except ImportError:      # no advisory locks on this platform: runs are not serialised
            return
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if announce and not self.waited:
                        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                        print(f"researchlib: waiting for another run (pid {holder}) that {announce}",
                              file=sys.stderr, flush=True)
                    self.waited = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                st = os.fstat(fd)
                try:
                    now = os.stat(self.path)
                except FileNotFoundError:
                    now = None
                if now is not None and (now.st_ino, now.st_dev) == (st.st_ino, st.st_dev):
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, str(os.getpid()).encode(), 0)
                    self.fd = fd
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)         # the previous holder removed this file: lock the new one

    def release(self):
        if self.fd is None:
            return
        import fcntl
        fd, self.fd = self.fd, None
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)    # also for copies of the descriptor in forked workers
        os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
        return False
