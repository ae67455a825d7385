import os

import pytest
from hypothesis import settings

# The measure store (researchlib.store) is off for tests unless a test turns it on
# (tests/test_store.py): a test that patches a measure must see it computed. The
# notebooks that nbval runs in the same run (`make test`) inherit it: their kernels
# compute every measure, as on a fresh clone.
os.environ["RESEARCHLIB_STORE"] = "off"
# Two pytest-xdist workers share two cores: one thread each for torch/BLAS (set before they
# load; kernels and CLI runs inherit it), not two threads each spinning against the other
# worker. Results do not depend on it (the model tests compare within a tolerance).
if os.environ.get("PYTEST_XDIST_WORKER"):
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, "1")

# Hypothesis: the suite is reproducible (same inputs -> same results). The "ci" profile
# derandomizes the search (each property test draws the same examples on every run and
# machine) and keeps no example database. It is the default, and always used when the
# environment variable CI is set; HYPOTHESIS_PROFILE=explore pytest ... searches at random
# (new examples each run, failures remembered in .hypothesis/), for local exploration.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))

import researchlib as rl
from researchlib.paths import MANIFEST, SEEDS


def pytest_collection_modifyitems(items):
    """The files holding `slow` tests (full report builds) first, so that
    `make test` (two pytest-xdist workers, one file per worker at a time:
    `--dist loadfile --no-loadscope-reorder`) starts the longest work first
    and the short files fill in at the end. Each worker has its own session
    and temporary folders; servers bind port 0."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)        # stable: order within a file kept


@pytest.fixture(scope="session")
def corpus():
    return rl.load_corpus(SEEDS, manifest=MANIFEST)


def doc(corpus, prefix):
    d = corpus.documents
    return d[d["doc_id"].str.startswith(prefix)].iloc[0]
