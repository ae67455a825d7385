"""Where the bundled study lives. Defaults resolve against the repository (or
``$RESEARCHLIB_HOME``), never against the working directory, so notebooks run
the same from JupyterLab (cwd ``notebooks/``) and from papermill anywhere."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
RESOURCES = PACKAGE / "resources"


def repo_root() -> Path:
    env = os.environ.get("RESEARCHLIB_HOME")
    if env:
        return Path(env).resolve()
    here = PACKAGE.parent
    if (here / "seeds").is_dir() and (here / "data").is_dir():
        return here
    for p in (Path.cwd(), *Path.cwd().parents):
        if (p / "seeds").is_dir() and (p / "data").is_dir():
            return p
    return here


ROOT = repo_root()
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
MANIFEST = DATA / "manifest.csv"
STUDY = DATA / "study.yaml"         # the bundled study (load_study's default for the seeds)
NOTEBOOKS = ROOT / "notebooks"
#: Human-rated sentences shipped with the package (see resources/validation/README.md)
VALIDATION = RESOURCES / "validation" / "nyt_editorial_sentences_dev.csv"
