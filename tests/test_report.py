import re

import nbformat as nbf
import pytest

from researchlib.errors import CorpusError
from researchlib.report import ReportError, build_report
from researchlib.paths import NOTEBOOKS

HOSTILE = ('The summit ended. <script>alert("pwned")</script> Officials said "<img src=x onerror=alert(2)>" '
           'was the phrase. Putin said the war was a crisis.\n\nXi said peace talks matter.')


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "c").mkdir()
    (tmp / "c" / "evil.txt").write_text(HOSTILE)
    (tmp / "c" / "good.txt").write_text("Xi met Putin in Moscow. The Kremlin said talks were useful.")
    (tmp / "m.csv").write_text("file,outlet,published\nevil.txt,<b>Evil</b> Outlet,2023-03-20\ngood.txt,Good,2023-03-21\n")
    out = build_report(tmp / "c", tmp / "m.csv", out=tmp / "R", only=["00_corpus", "05_sources"], progress=False)
    return out


def test_index_links_every_page_and_provenance(hostile_report):
    index = (hostile_report / "index.html").read_text()
    for name in ("00_corpus", "05_sources"):
        assert f'href="{name}.html"' in index
        assert (hostile_report / f"{name}.html").exists() and (hostile_report / f"{name}.ipynb").exists()
    assert "Provenance" in index and "sha256" in index and "evil.txt" in index and "papermill" in index
    assert re.search(r"[0-9a-f]{64}", index)


def test_hostile_text_escaped_and_offline(hostile_report):
    for page in hostile_report.glob("*.html"):
        html = page.read_text()
        assert '<script>alert("pwned")</script>' not in html, page.name
        assert "<img src=x onerror" not in html, page.name
        assert "Content-Security-Policy" in html and "script-src" not in html.split("Content-Security-Policy")[1][:120]
        assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=[\"'](?:https?:)?//", html), page.name
    assert "&lt;script&gt;" in (hostile_report / "00_corpus.html").read_text()
    assert "&lt;b&gt;Evil&lt;/b&gt;" in (hostile_report / "index.html").read_text()


def _nb(path, source):
    nb = nbf.v4.new_notebook()
    p = nbf.v4.new_code_cell("corpus = None\nmanifest = None\ncolumns = {}")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbf.v4.new_markdown_cell("# Test"), p, nbf.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, path)


def test_failure_keeps_previous_report(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _nb(nbs / "01_ok.ipynb", "print('fine')")
    out = build_report(out=tmp_path / "R", notebooks=nbs, progress=False)
    before = (out / "index.html").read_text()
    _nb(nbs / "02_bad.ipynb", "raise ValueError('boom')")
    with pytest.raises(ReportError, match=r"02_bad.ipynb: cell \d+ \(In \[\d+\]\) raised ValueError: boom"):
        build_report(out=tmp_path / "R", notebooks=nbs, progress=False)
    assert (out / "index.html").read_text() == before
    assert not (out / "02_bad.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".R")] == []


def test_a_user_notebooks_kernel_stops_gracefully(tmp_path):
    """Bundled notebooks' kernels are stopped at once after their last cell;
    a notebook from another folder may leave a file open or register an exit
    handler, so its kernel is shut down and waited for: nothing it writes is
    lost (found by review: with an immediate stop both files stayed empty)."""
    from researchlib.paths import NOTEBOOKS
    from researchlib.report import _shutdown
    assert _shutdown(NOTEBOOKS / "00_corpus.ipynb") == "immediate"
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    assert _shutdown(nbs / "01_files.ipynb") == "graceful"
    left_open, at_exit = tmp_path / "left_open.txt", tmp_path / "at_exit.txt"
    _nb(nbs / "01_files.ipynb", f"import atexit\nf = open({str(left_open)!r}, 'w')\nf.write('data')\n"
                                f"atexit.register(lambda: open({str(at_exit)!r}, 'w').write('bye'))")
    build_report(out=tmp_path / "R", notebooks=nbs, progress=False)
    assert left_open.read_text() == "data" and at_exit.read_text() == "bye"


def test_unknown_parameter_is_an_error(tmp_path):
    with pytest.raises(ReportError, match="unknown parameter"):
        build_report(out=tmp_path / "R", params={"no_such_param": 1}, progress=False)


def test_notebooks_stored_clean_with_parameters():
    for p in NOTEBOOKS.glob("*.ipynb"):
        nb = nbf.read(p, as_version=4)
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), p.name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), p.name


def test_keep_going_builds_the_report_and_says_where_it_failed(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _nb(nbs / "01_ok.ipynb", "print('fine')")
    _nb(nbs / "02_bad.ipynb", "x = 1\nraise ValueError('boom')")
    with pytest.raises(ReportError, match=r"report written to .*02_bad.ipynb: cell \d+ \(In \[\d+\]\) raised ValueError: boom"):
        build_report(out=tmp_path / "R", notebooks=nbs, progress=False, keep_going=True)
    out = tmp_path / "R"
    index = (out / "index.html").read_text()
    assert "1 of 2 notebooks failed" in index and "Failed:" in index and 'href="01_ok.html"' in index
    page = (out / "02_bad.html").read_text()
    assert "This notebook failed." in page and "raised ValueError: boom" in page
    assert "raise ValueError(&#x27;boom&#x27;)" in page          # the failing cell's code, escaped
    executed = nbf.read(out / "02_bad.ipynb", as_version=4)     # kept for debugging, with the error
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))


def test_zero_documents_stop_before_any_notebook(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_text("")
    (tmp_path / "c" / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(CorpusError) as err:
        build_report(tmp_path / "c", out=tmp_path / "R", progress=False)
    assert str(err.value) == (f"no document loaded from {tmp_path / 'c'}: 2 inputs rejected — "
                              "bin.txt: binary content, not text; empty.txt: empty file")
    assert not (tmp_path / "R").exists() and list(tmp_path.glob(".R-build-*")) == []


def test_kernel_shutdown_notice_stays_out_of_the_terminal(capfd):
    """What a kernel (a child process) writes to stderr passes on, except the
    notice ipykernel logs when jupyter_client interrupts it at shutdown."""
    import subprocess
    import sys
    from researchlib.report import kernel_stderr
    script = ("import sys; sys.stderr.write('[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.\\n'"
              "'Traceback: a real error\\n[IPKernelApp] ERROR | Exception in message handler:\\n')")
    with kernel_stderr():
        subprocess.run([sys.executable, "-c", script], check=True)
    err = capfd.readouterr().err
    assert "KeyboardInterrupt caught in kernel" not in err
    assert err == "Traceback: a real error\n[IPKernelApp] ERROR | Exception in message handler:\n"
