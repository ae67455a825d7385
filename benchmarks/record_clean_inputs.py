"""pytest plugin: record every input the tests give ``clean_text``, for the
exact-output check of ``benchmarks/clean_speed.py`` (``--extra``).

    mkdir -p /tmp/clean-inputs
    CLEAN_INPUTS=/tmp/clean-inputs PYTHONPATH=.:benchmarks pytest -p record_clean_inputs tests/test_cleaning.py ...
    python benchmarks/clean_speed.py save REF.pkl CORPUS_DIR --extra /tmp/clean-inputs/*.pkl

Each process appends ``(raw, language, repeated)`` tuples (one pickle each) to
``$CLEAN_INPUTS/<pid>.pkl``. Every module attribute named ``clean_text`` that
is :func:`researchlib.clean.clean_text` is wrapped before each test (tests and
library modules import the function by name). A tool, not a test.
"""
import os
import pickle
import sys

OUT = os.environ.get("CLEAN_INPUTS", "/tmp/clean-inputs")


def _wrap(orig):
    def clean_text(raw, **kw):
        with open(os.path.join(OUT, f"{os.getpid()}.pkl"), "ab") as f:
            pickle.dump((raw, kw.get("language"), tuple(sorted(kw.get("repeated") or ()))), f)
        return orig(raw, **kw)
    clean_text.recorded = True
    clean_text.__module__ = "researchlib.clean"
    return clean_text


def _patch():
    for m in list(sys.modules.values()):
        f = getattr(m, "clean_text", None)
        if callable(f) and getattr(f, "__module__", "") == "researchlib.clean" and not getattr(f, "recorded", False):
            m.clean_text = _wrap(f)


def pytest_collection_finish(session):
    _patch()


def pytest_runtest_setup(item):
    _patch()


def pytest_runtest_call(item):
    _patch()
