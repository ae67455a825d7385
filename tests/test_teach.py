import nbformat
import pytest

from researchlib.paths import NOTEBOOKS
from researchlib.report import build_report
from researchlib.teach import TeachError, build_teaching_kit, course_order, objectives, prerequisites, reader_edition, student_edition

ANALYSIS = ["01_framing", "02_sentiment", "03_terms", "04_timeline", "05_sources"]


def test_every_analysis_notebook_has_objectives_and_exercises():
    for name in ANALYSIS:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert 3 <= len(objectives(nb)) <= 5, name
        tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
        assert tags.count("exercise") >= 2 and tags.count("solution") >= 2, name
        assert any("glossary.md" in c.source for c in nb.cells if c.cell_type == "markdown"), name
        assert any(c.source.strip() == "## Exercises" for c in nb.cells if c.cell_type == "markdown"), name


def _declared():
    return {p.stem: prerequisites(nbformat.read(p, as_version=4)) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}


def test_course_order_honours_the_declared_prerequisites():
    declared = _declared()
    # 01_framing compares the narrative and the quoted voice (taught in 05_sources); 02_sentiment masks the
    # term groups of 03_terms; 06_validation checks the figures of 01 and 02: all declared.
    assert declared["01_framing"] == ["00_corpus", "05_sources"] and declared["02_sentiment"] == ["00_corpus", "03_terms"]
    order = course_order(declared)
    assert order == ["00_corpus", "03_terms", "02_sentiment", "04_timeline", "05_sources", "01_framing", "06_validation"]
    for name, pre in declared.items():
        assert all(order.index(p) < order.index(name) for p in pre), name


def test_course_order_fails_on_a_cycle_or_an_unknown_prerequisite():
    with pytest.raises(TeachError, match=r"cycle: 01_a needs 02_b; 02_b needs 01_a"):
        course_order({"00_x": [], "01_a": ["02_b"], "02_b": ["01_a"]})
    with pytest.raises(TeachError, match=r"01_a needs '09_missing', which is not a notebook here"):
        course_order({"00_x": [], "01_a": ["09_missing"]})
    assert course_order({"01_b": [], "00_a": ["01_b"]}) == ["01_b", "00_a"]     # the prerequisite first


def test_student_and_reader_editions_of_an_exercise():
    nb = nbformat.read(NOTEBOOKS / "01_framing.ipynb", as_version=4)
    student, reader = student_edition(nb), reader_edition(nb)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert not any("exercise" in c.metadata.get("tags", []) for c in reader.cells)
    prompts = [c.source for c in nb.cells if c.source.startswith("**Exercise")]
    assert prompts and all("..." not in p and "replace" not in p.lower() for p in prompts)    # questions, in every edition


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return build_teaching_kit(tmp_path_factory.mktemp("kit") / "T", progress=False)


@pytest.mark.slow
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


@pytest.mark.slow
def test_instructor_edition_and_course_page(kit):
    index = (kit / "index.html").read_text()
    for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"):
        assert (kit / "instructor" / f"{p.stem}.html").exists()
        assert f'href="instructor/{p.stem}.html"' in index and f'href="student/{p.stem}.ipynb"' in index
    order = course_order(_declared())
    assert [index.index(f'id="{n}"') for n in order] == sorted(index.index(f'id="{n}"') for n in order)
    assert "prerequisites: <a href=\"#00_corpus\">1. The corpus" in index
    for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"):       # the reader edition: questions and worked answers
        page = (kit / "reader" / f"{p.stem}.html").read_text()
        assert f'href="reader/{p.stem}.html"' in index
        exercises = page[page.index('id="Exercises"'):]
        assert "Exercise 1." in exercises and "Exercise 2." in exercises, p.stem
        for raw in ("Replace `", "in place of ...", "dtype:", "array([", "Ellipsis", "Name: "):
            assert raw not in exercises, (p.stem, raw)
    executed = nbformat.read(kit / "instructor" / "03_terms.ipynb", as_version=4)
    sol = [c for c in executed.cells if "solution" in c.metadata.get("tags", [])]
    assert sol and all(c.get("outputs") is not None for c in sol)
    assert "Content-Security-Policy" in index and "http" not in index.split("<body>")[1].replace("href=\"instructor", "")


def test_a_cycle_stops_the_build_before_anything_is_written(tmp_path):
    import json
    src = tmp_path / "nbs"
    src.mkdir()
    for name, pre in (("00_a", ["01_b"]), ("01_b", ["00_a"])):
        nb = nbformat.v4.new_notebook(metadata={"researchlib": {"title": name, "minutes": 5, "prerequisites": pre}})
        (src / f"{name}.ipynb").write_text(json.dumps(nb))
    with pytest.raises(TeachError, match="cycle: 00_a needs 01_b; 01_b needs 00_a"):
        build_teaching_kit(tmp_path / "T", notebooks=src, progress=False)
    assert not (tmp_path / "T").exists()
