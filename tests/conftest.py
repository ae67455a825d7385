import os

import pytest
from hypothesis import settings

# The measure store (researchlib.store) is off for tests unless a test turns it on
# (tests/test_store.py): a test that patches a measure must see it computed.
os.environ["RESEARCHLIB_STORE"] = "off"

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


@pytest.fixture(scope="session")
def corpus():
    return rl.load_corpus(SEEDS, manifest=MANIFEST)


def doc(corpus, prefix):
    d = corpus.documents
    return d[d["doc_id"].str.startswith(prefix)].iloc[0]
