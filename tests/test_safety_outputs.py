"""Issue 16 items 1, 3, 4, 5: output folders are never destroyed, caches are
verified, one run per output at a time, a killed run leaves no orphans."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat as nbf
import pandas as pd
import pytest

from researchlib.analyse import CacheWarning, analyse, read_analysis
from researchlib.cli import main
from researchlib.outputs import MARKER, OutputBuild, OutputError
from researchlib.paths import MANIFEST, ROOT, SEEDS

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _folder(tmp_path, name="src"):
    """Three seed articles with their manifest rows (a folder corpus)."""
    src = tmp_path / name
    src.mkdir()
    files = sorted(SEEDS.glob("*.txt"))[:3]
    for f in files:
        shutil.copyfile(f, src / f.name)
    rows = pd.read_csv(MANIFEST)
    rows[rows["file"].isin([f.name for f in files])].to_csv(src / "manifest.csv", index=False)
    return src


def _csv(path, n):
    """``n`` articles made of seed paragraphs, three outlets (a table corpus)."""
    texts = [f.read_text().split("\n\n") for f in sorted(SEEDS.glob("*.txt"))]
    rows = [{"id": f"d{i}", "body": "\n\n".join(texts[i % 5][i % 3:] or texts[i % 5]) + f" Item {i}.",
             "site": f"outlet{i % 3}", "date": f"2023-03-{1 + i % 20:02d}"} for i in range(n)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


CSV_COLS = ["--text", "body", "--outlet", "site", "--published", "date", "--doc-id", "id"]


def _snapshot(folder):
    """{relative path: bytes} of every file below ``folder``."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent, name):
    return sorted(p.name for p in Path(parent).iterdir() if p.name.startswith(f".{name}.researchlib-"))


def _error(capsys):
    return capsys.readouterr().err


# -- 1. output folders are never destroyed ------------------------------------

def test_analyse_refuses_its_input_the_cache_and_the_current_directory(tmp_path, monkeypatch, capsys):
    src = _folder(tmp_path)
    before = _snapshot(tmp_path)
    m = str(src / "manifest.csv")
    assert main(["analyse", str(src), "--manifest", m, "--out", str(src), "--no-cache"]) == 1
    assert "is the corpus" in _error(capsys)
    assert main(["analyse", str(src), "--manifest", m, "--out", str(src / "out"), "--no-cache"]) == 1
    assert "is inside the corpus" in _error(capsys)
    assert main(["analyse", str(src), "--out", str(tmp_path / "A"), "--cache", str(tmp_path / "A" / "c")]) == 1
    assert "contains the cache" in _error(capsys)
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "src", "--manifest", m, "--out", ".", "--no-cache"]) == 1
    assert "current directory" in _error(capsys)
    monkeypatch.chdir(src)
    assert main(["analyse", ".", "--manifest", m, "--out", ".", "--force", "--no-cache"]) == 1
    assert _snapshot(tmp_path) == before          # every input file still there, nothing added


def test_report_refuses_the_folder_holding_the_corpus(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    _csv(data / "articles.csv", 4)
    (data / "notes.txt").write_text("my notes")
    before = _snapshot(tmp_path)
    for force in ([], ["--force"]):
        code = main(["report", "--corpus", str(data / "articles.csv"), *CSV_COLS, "--out", str(data),
                     "--only", "00_corpus", *force])
        assert code == 1
        assert "contains the corpus" in _error(capsys)
    assert _snapshot(tmp_path) == before


def test_a_folder_researchlib_did_not_write_is_refused_even_with_force(tmp_path, capsys):
    src = _folder(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.txt").write_text("keep me")
    args = ["analyse", str(src), "--manifest", str(src / "manifest.csv"), "--jobs", "1", "--no-cache", "--out"]
    assert main([*args, str(notes)]) == 1
    err = _error(capsys)
    assert "not empty and was not written by researchlib" in err and MARKER in err
    assert main([*args, str(notes), "--force"]) == 1
    assert "n.txt" in _error(capsys)
    (tmp_path / "afile").write_text("x")
    assert main([*args, str(tmp_path / "afile")]) == 1
    assert "not a folder" in _error(capsys)
    (tmp_path / "link").symlink_to(notes)
    assert main([*args, str(tmp_path / "link")]) == 1
    assert "symbolic link" in _error(capsys)
    assert (notes / "n.txt").read_text() == "keep me" and (tmp_path / "afile").read_text() == "x"


def test_force_rules_and_normal_permissions(tmp_path, capsys):
    src = _folder(tmp_path)
    out = tmp_path / "A"
    args = ["analyse", str(src), "--manifest", str(src / "manifest.csv"), "--jobs", "1", "--no-cache",
            "--out", str(out)]
    old_umask = os.umask(0o022)
    try:
        out.mkdir()                                    # an empty folder is fine
        assert main(args) == 0
        assert out.stat().st_mode & 0o777 == 0o755     # not mkdtemp's 0o700
        assert (out / "summary.csv").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old_umask)
    marker = json.loads((out / MARKER).read_text())
    assert marker["command"] == "analyse" and "summary.csv" in marker["files"] and marker["created"]
    assert main(args) == 0                             # its own output is replaced without --force
    (out / MARKER).unlink()                            # an output of a version without markers
    assert main(args) == 1
    assert "--force" in _error(capsys)
    assert main([*args, "--force"]) == 0               # holds nothing but an earlier output
    assert (out / MARKER).exists()
    (out / "documents" / "my_notes.txt").write_text("mine")
    for force in ([], ["--force"]):                    # a user's file in an output: never deleted
        assert main([*args, *force]) == 1
        assert "documents/my_notes.txt" in _error(capsys)
    (out / "documents" / "my_notes.txt").unlink()
    assert main(["teach", "--out", str(out)]) == 1    # another command's output needs --force
    assert "'analyse' output" in _error(capsys)
    assert _leftovers(tmp_path, "A") == []


def test_failed_run_keeps_previous_output_and_cleans_up(tmp_path, monkeypatch):
    src = _folder(tmp_path)
    out = tmp_path / "A"
    analyse(src, src / "manifest.csv", out=out, cache=None, jobs=1, progress=False)
    before = _snapshot(out)
    monkeypatch.setattr("researchlib.analyse.summarise", lambda partials: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        analyse(src, src / "manifest.csv", out=out, cache=None, jobs=1, progress=False)
    assert _snapshot(out) == before and _leftovers(tmp_path, "A") == []


def test_leftovers_of_killed_runs_are_removed_or_restored(tmp_path):
    out = tmp_path / "R"
    with OutputBuild(out, command="test") as tmp:
        (tmp / "a.txt").write_text("first")
    dead = tmp_path / ".R.researchlib-build-dead"      # a killed build
    dead.mkdir()
    (dead / ".researchlib-build").write_text("{}")
    (dead / "part").write_text("stray")
    alien = tmp_path / ".R.researchlib-build-alien"    # same name pattern, not ours: left alone
    alien.mkdir()
    (alien / "x").write_text("x")
    out.rename(tmp_path / ".R.researchlib-old-1")      # killed between the two renames of a swap
    build = OutputBuild(out, command="test")
    build.start()
    assert not dead.exists() and alien.exists()
    assert (out / "a.txt").read_text() == "first"      # the previous output restored
    build.abort()
    assert (out / "a.txt").read_text() == "first"
    assert _leftovers(tmp_path, "R") == [alien.name]


# -- 3. caches are verified ----------------------------------------------------

def test_damaged_cache_entries_are_recomputed_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("researchlib.input_index.RACY_SECONDS", 0)     # index inputs written just now
    src = _csv(tmp_path / "docs.csv", 12)
    kw = dict(cache=tmp_path / "cache", jobs=1, progress=False, batch=4, text="body", outlet="site",
              published="date", doc_id="id")
    analyse(src, out=tmp_path / "A", **kw)
    clean = read_analysis(tmp_path / "A")
    parts = sorted((tmp_path / "cache").rglob("*.parquet"))
    sentences = [p for p in parts if p.name == "sentences.parquet"]
    terms = [p for p in parts if p.parent.parent.parent.name == "terms"]
    good = sentences[0].read_bytes()
    sentences[0].write_bytes(good[: len(good) // 2])   # truncated
    terms[1].write_bytes(b"")                          # 0 bytes, as after a full disk
    index = next((tmp_path / "cache" / "inputs").glob("*.json"))
    index.write_text(index.read_text()[:40])           # a torn input index
    with pytest.warns(CacheWarning) as caught:
        analyse(src, out=tmp_path / "B", **kw)
    text = " ".join(str(w.message) for w in caught)
    assert str(sentences[0]) in text and str(terms[1]) in text and "input index" in text
    again = read_analysis(tmp_path / "B")
    for t in clean:
        pd.testing.assert_frame_equal(clean[t], again[t], obj=t)
    assert sentences[0].read_bytes() == good and terms[1].stat().st_size > 0    # repaired
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    # the same fault seen by the compute path (no batch record to check against)
    for record in (tmp_path / "cache" / "summary").rglob("*.json"):
        record.unlink()
    sentences[0].write_bytes(b"PAR1")
    with pytest.warns(CacheWarning, match="sentences.parquet"):
        analyse(src, out=tmp_path / "C", **kw)
    pd.testing.assert_frame_equal(clean["sentences"], read_analysis(tmp_path / "C")["sentences"])


# -- 4. one run per output at a time ---------------------------------------------

def test_a_second_build_of_one_output_waits_for_the_first(tmp_path, capfd):
    out, order = tmp_path / "R", []
    first_started, release = threading.Event(), threading.Event()

    def first():
        with OutputBuild(out, command="test") as tmp:
            first_started.set()
            release.wait(10)
            (tmp / "who").write_text("first")
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    first_started.wait(10)
    def second():
        build = OutputBuild(out, command="test")
        build.start()
        order.append("second in")
        build.abort()

    second = threading.Thread(target=second)
    second.start()
    time.sleep(0.5)
    assert order == [] and "waiting for another run" in capfd.readouterr().err
    release.set()
    t.join(10)
    second.join(10)
    assert order == ["first done", "second in"]


def test_a_batch_being_computed_by_another_run_is_waited_for_and_copied(tmp_path, monkeypatch):
    import researchlib.batches as an
    from researchlib.corpus import read_records
    from researchlib.outputs import Lock
    src = _csv(tmp_path / "docs.csv", 6)
    cols = dict(text="body", outlet="site", published="date", doc_id="id")
    analyse(src, out=tmp_path / "A", cache=tmp_path / "cache", jobs=1, progress=False, batch=3, **cols)
    records, log = read_records(src, **cols)
    batch = an.planned_batches(records, log.expected, 3)[0]
    bkey = an.batch_key(batch)
    opts = {"out": str(tmp_path / "out"), "cache": str(tmp_path / "cache"), "keys": an.measure_keys(), "run": "t"}
    (tmp_path / "out").mkdir()
    record = an._summary_path(opts["cache"], opts["keys"], bkey)
    saved = record.read_bytes()
    monkeypatch.setattr(an, "_compute_batch", lambda *a: pytest.fail("computed twice"))
    result = {}
    with Lock(tmp_path / "cache" / "locks" / f"{bkey}.lock"):     # another run is computing this batch
        record.unlink()
        t = threading.Thread(target=lambda: result.update(an.analyse_batch(0, batch, opts)))
        t.start()
        time.sleep(0.5)
        assert t.is_alive() and not result                        # waits for it
        record.write_bytes(saved)                                 # ... which finishes the entry
    t.join(10)
    assert "summary" in result
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / "sentences" / "part-00000.parquet"),
                                  pd.read_parquet(tmp_path / "A" / "sentences" / "part-00000.parquet"))


# Real processes on purpose below: two runs into one output must be told apart by the
# operating system's file locks, and a run killed with SIGKILL must leave no workers behind;
# neither can be shown inside one test process. Every other CLI test calls cli.main in-process.

def _run_all(cmds, cwd):
    procs = [subprocess.Popen(c, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in cmds]
    return [(p.wait(300), p.stderr.read()) for p in procs]


def test_concurrent_analyse_runs_into_one_output_are_serialised(tmp_path):
    src = _csv(tmp_path / "docs.csv", 30)
    cmd = [sys.executable, "-m", "researchlib.cli", "analyse", str(src), *CSV_COLS, "--jobs", "1",
           "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "A")]
    results = _run_all([cmd] * 2, tmp_path)        # two runs at once: the second waits
    assert [code for code, _ in results] == [0, 0], results
    assert any("waiting for another run" in err for _, err in results)
    t = read_analysis(tmp_path / "A")
    assert int(t["summary"]["n_docs"].sum()) == 30
    assert len(t["documents"]) == 30 and t["documents"]["doc_id"].is_unique
    assert _leftovers(tmp_path, "A") == []


def test_concurrent_report_runs_into_one_folder_are_serialised(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nb = nbf.v4.new_notebook()
    p = nbf.v4.new_code_cell("corpus = None\nmanifest = None\ncolumns = {}")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbf.v4.new_markdown_cell("# Test"), p, nbf.v4.new_code_cell("import time; time.sleep(1)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, nbs / "01_ok.ipynb")
    code = (f"from researchlib.report import build_report; build_report(out={str(tmp_path / 'R')!r}, "
            f"notebooks={str(nbs)!r}, progress=False)")
    results = _run_all([[sys.executable, "-c", code]] * 2, tmp_path)
    assert [c for c, _ in results] == [0, 0], results
    assert any("waiting for another run" in err for _, err in results)
    assert {p.name for p in (tmp_path / "R").iterdir()} == {MARKER, "index.html", "provenance.json",
                                                           "01_ok.html", "01_ok.ipynb", "inputs.csv", "tables.zip"}
    assert _leftovers(tmp_path, "R") == []


# -- 5. a killed run leaves no orphans --------------------------------------------

def _descendants(pid):
    import psutil
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(procs):
    import psutil
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def _kill_when(cmd, cwd, ready, timeout=120):
    """Start ``cmd``; once ``ready(descendants)`` holds, SIGKILL it (only it)
    and return the descendants it had."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen, start = {}, time.time()
    try:
        while time.time() - start < timeout:
            seen.update({p.pid: p for p in _descendants(proc.pid)})
            if ready(list(seen.values())):
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the run never reached the point to kill it")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return list(seen.values())


def _assert_all_exit(procs, within=10):
    deadline = time.time() + within
    while _alive(procs) and time.time() < deadline:
        time.sleep(0.1)
    survivors = _alive(procs)
    for p in survivors:              # do not leave them to the other tests
        p.kill()
    assert not survivors, [p.cmdline() for p in survivors]


def test_killed_analyse_leaves_previous_output_no_workers_and_reruns_equal(tmp_path):
    pytest.importorskip("psutil")
    src = _csv(tmp_path / "docs.csv", 900)
    out, cache = tmp_path / "A", tmp_path / "cache"
    args = ["analyse", str(src), *CSV_COLS, "--jobs", "2", "--out", str(out)]
    assert main([*args, "--no-cache"]) == 0            # the previous, clean output
    clean = _snapshot(out)

    def building():
        return next((p for p in tmp_path.glob(".A.researchlib-build-*")), None)

    def first_part_written(kids):
        b = building()
        return len(kids) >= 2 and b is not None and any(b.glob("sentences/part-*.parquet"))

    kids = _kill_when([sys.executable, "-m", "researchlib.cli", *args, "--cache", str(cache)], tmp_path,
                      first_part_written)
    parts = sorted(building().rglob("part-*"))
    _assert_all_exit(kids, within=5)
    time.sleep(0.5)
    assert sorted(building().rglob("part-*")) == parts  # nobody writes after the kill
    assert _snapshot(out) == clean                      # previous output intact
    assert main([*args, "--cache", str(cache)]) == 0    # restart: stray parts ignored and removed
    assert _leftovers(tmp_path, "A") == []
    rerun = _snapshot(out)
    assert rerun.keys() == clean.keys()
    assert {k: v for k, v in rerun.items() if k != MARKER} == {k: v for k, v in clean.items() if k != MARKER}


def test_killed_report_leaves_previous_output_no_workers_or_kernels(tmp_path):
    pytest.importorskip("psutil")
    src = _folder(tmp_path)
    out = tmp_path / "R"
    args = ["report", "--corpus", str(src), "--manifest", str(src / "manifest.csv"), "--only", "00_corpus",
            "--out", str(out)]
    assert main(args) == 0
    clean = _snapshot(out)

    def kernel_started(kids):
        return any("ipykernel" in " ".join(_cmdline(p)) for p in kids)

    kids = _kill_when([sys.executable, "-m", "researchlib.cli", *args], tmp_path, kernel_started)
    _assert_all_exit(kids, within=10)                   # workers and their kernels
    assert _snapshot(out) == clean
    assert len(_leftovers(tmp_path, "R")) >= 1           # the killed run's build folder...
    assert main(args) == 0
    assert _leftovers(tmp_path, "R") == []               # ...removed by the next run
    assert set(_snapshot(out)) == set(clean)


def _cmdline(p):
    try:
        return p.cmdline()
    except Exception:
        return []
