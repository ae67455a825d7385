"""The notebooks are the source: people edit them in JupyterLab and commit them.
These checks keep the conventions every study notebook shares (design.md,
"Notebooks"), so an edit that breaks one fails here rather than in a report."""
import json
import re

import nbformat
import pytest

from researchlib.paths import NOTEBOOKS

STUDY = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if re.match(r"^\d\d_", p.name))
SHARED_PARAMETERS = {"corpus", "manifest", "columns", "by", "voice"}


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _tags(cell):
    return cell.metadata.get("tags", [])


@pytest.fixture(params=STUDY, ids=lambda p: p.stem)
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_study_notebooks():
    assert [p.stem[:2] for p in STUDY] == ["00", "01", "02", "03", "04", "05", "06"]


def test_valid_and_stored_without_outputs(nb):
    nbformat.validate(nb)
    for cell in _code(nb):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_first_code_cell_is_the_parameters_cell(nb):
    cells = _code(nb)
    assert "parameters" in _tags(cells[0])
    assert sum("parameters" in _tags(c) for c in nb.cells) == 1
    names = set(re.findall(r"^(\w+)\s*=", cells[0].source, re.M))
    assert SHARED_PARAMETERS <= names


def test_objectives_time_prerequisites_and_glossary(nb):
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "objectives" in _tags(first)
    assert re.search(r"^# \S", first.source, re.M)
    assert "## What you will learn" in first.source and re.search(r"^- \S", first.source, re.M)
    assert "(glossary.md)" in first.source
    meta = nb.metadata["researchlib"]
    assert {"title", "minutes", "prerequisites"} <= set(meta) and "order" not in meta    # order: from prerequisites
    assert isinstance(meta["prerequisites"], list)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_each_exercise_has_a_starter_and_a_solution(nb):
    cells = nb.cells
    prompts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and re.match(r"\*\*Exercise \d+\.\*\*", c.source)]
    assert prompts, "every study notebook ends with exercises"
    for i in prompts:
        assert "exercise" in _tags(cells[i + 1]) and cells[i + 1].cell_type == "code"
        assert "solution" in _tags(cells[i + 2]) and cells[i + 2].cell_type == "code"
    assert sum("exercise" in _tags(c) for c in cells) == len(prompts)
    assert sum("solution" in _tags(c) for c in cells if c.cell_type == "code") == len(prompts)


def test_cell_ids_are_present_and_unique():
    for path in STUDY:
        ids = [c["id"] for c in json.loads(path.read_text())["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), path.name
