import os

import pytest

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
