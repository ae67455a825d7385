"""Issue 16 item 9: a user error is one line; a bug is never disguised as a
user error (short message + traceback file, or the traceback with --debug)."""
import re
import sys

import pytest

import researchlib.corpus
from researchlib.cli import EXIT_BUG, main
from researchlib.errors import CorpusError, MissingExtra, ResearchlibError


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))      # traceback files land here
    (tmp_path / "tmp").mkdir()
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Xi met Putin in Moscow. The talks went on.")
    return tmp_path


def _one_line(err):
    assert err.count("\n") == 1 and err.startswith("researchlib: error: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("args, needle", [
    (["check", "{d}/nope"], "nope: no such file or folder"),
    (["check", "{d}/c", "--manifest", "{d}/nope.csv"], "nope.csv: cannot read the manifest"),
    (["check", "{d}/c", "--manifest", "{d}/c"], "cannot read the manifest"),
    (["report", "--corpus", "{d}/nope", "--out", "{d}/R"], "nope does not exist"),
    (["report", "--only", "nope", "--out", "{d}/R"], "--only: no notebook named"),
    (["analyse", "{d}/c", "--out", "{d}/A", "--codebook", "{d}/nope.yaml"], "codebook="),
    (["analyse", "{d}/c", "--out", "{d}/A", "--groups", "{d}/nope.yaml"], "groups="),
    (["analyse", "{d}/c", "--out", "{d}/A", "--scheduler", "nonsense://x"], "cannot connect to a dask scheduler"),
])
def test_user_errors_are_one_line(args, needle, folder, capsys):
    assert main([a.replace("{d}", str(folder)) for a in args]) == 1
    assert needle in _one_line(capsys.readouterr().err)
    assert list((folder / "tmp").iterdir()) == []                      # no traceback file for a user error


def test_an_os_error_on_a_path_the_user_gave_is_one_line(folder, capsys):
    (folder / "file").write_text("x")
    assert main(["report", "--out", str(folder / "file" / "R"), "--only", "00_corpus"]) == 1
    err = _one_line(capsys.readouterr().err)
    assert f"--out {folder / 'file' / 'R'}: " in err


def test_a_missing_extra_is_one_line(folder, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)          # import raises ImportError
    assert main(["analyse", str(folder / "c"), "--out", str(folder / "A"), "--scheduler", "tcp://127.0.0.1:1"]) == 1
    assert "pip install 'researchlib[dask]'" in _one_line(capsys.readouterr().err)
    assert issubclass(MissingExtra, ImportError) and issubclass(MissingExtra, ResearchlibError)


BUGS = [KeyError("documents"), ValueError("cannot reindex on an axis with duplicate labels"),
        TypeError("unsupported operand"), FileNotFoundError(2, "No such file or directory", "/opt/internal/x.yaml"),
        ImportError("cannot import name 'x'"), AttributeError("'NoneType' object has no attribute 'text'")]


@pytest.mark.parametrize("bug", BUGS, ids=lambda e: type(e).__name__)
def test_a_bug_says_so_and_keeps_its_traceback(bug, folder, capsys, monkeypatch):
    def broken(*a, **k):
        raise bug
    monkeypatch.setattr(researchlib.corpus, "load_corpus", broken)
    assert main(["check", str(folder / "c")]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 2
    assert f"internal error (a bug in researchlib, not in your input): {type(bug).__name__}" in err
    path = re.search(r"full traceback in (\S+);", err).group(1)
    assert path.startswith(str(folder / "tmp"))
    text = open(path).read()
    assert "Traceback (most recent call last)" in text and "in broken" in text and "raise bug" in text
    assert "command: researchlib check" in text
    assert "--debug" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(where, folder, monkeypatch):
    def broken(*a, **k):
        raise KeyError("documents")
    monkeypatch.setattr(researchlib.corpus, "load_corpus", broken)
    argv = ["--debug", "check", str(folder / "c")] if where == "before" else ["check", str(folder / "c"), "--debug"]
    with pytest.raises(KeyError, match="documents"):
        main(argv)
    assert list((folder / "tmp").iterdir()) == []                      # shown, not written
    monkeypatch.undo()
    with pytest.raises(CorpusError, match="no such file"):               # user errors too, with --debug
        main(["check", str(folder / "nope"), "--debug"])


def test_interrupt_is_one_line(folder, capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(researchlib.corpus, "load_corpus", interrupted)
    assert main(["check", str(folder / "c")]) == 130
    assert capsys.readouterr().err == "researchlib: interrupted\n"
