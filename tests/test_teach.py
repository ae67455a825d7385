import nbformat
import pytest

from researchlib.paths import NOTEBOOKS
from researchlib.report import build_report
from researchlib.teach import build_teaching_kit, objectives

ANALYSIS = ["01_framing", "02_sentiment", "03_terms", "04_timeline", "05_sources"]


def test_every_analysis_notebook_has_objectives_and_exercises():
    for name in ANALYSIS:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert 3 <= len(objectives(nb)) <= 5, name
        tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
        assert tags.count("exercise") >= 2 and tags.count("solution") >= 2, name
        assert any("glossary.md" in c.source for c in nb.cells if c.cell_type == "markdown"), name
        assert any(c.source.strip() == "## Exercises" for c in nb.cells if c.cell_type == "markdown"), name


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return build_teaching_kit(tmp_path_factory.mktemp("kit") / "T", progress=False)


def test_student_edition_has_no_solutions_and_runs(kit, tmp_path):
    students = sorted((kit / "student").glob("*.ipynb"))
    assert [p.stem for p in students] == sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for p in students:
        nb = nbformat.read(p, as_version=4)
        tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
        assert "solution" not in tags and "exercise" in tags, p.name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert (kit / "student" / "glossary.md").exists()
    build_report(out=tmp_path / "run", notebooks=kit / "student", progress=False)   # executes every student notebook


def test_instructor_edition_and_course_page(kit):
    index = (kit / "index.html").read_text()
    for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"):
        assert (kit / "instructor" / f"{p.stem}.html").exists()
        assert f'href="instructor/{p.stem}.html"' in index and f'href="student/{p.stem}.ipynb"' in index
    assert index.index("Framing") < index.index("Sentiment") < index.index("Timeline")
    executed = nbformat.read(kit / "instructor" / "03_terms.ipynb", as_version=4)
    sol = [c for c in executed.cells if "solution" in c.metadata.get("tags", [])]
    assert sol and all(c.get("outputs") is not None for c in sol)
    assert "Content-Security-Policy" in index and "http" not in index.split("<body>")[1].replace("href=\"instructor", "")
