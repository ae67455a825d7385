import os

import pytest

# The measure store (researchlib.store) is off for tests unless a test turns it on
# (tests/test_store.py): a test that patches a measure must see it computed.
os.environ["RESEARCHLIB_STORE"] = "off"

import researchlib as rl
from researchlib.paths import MANIFEST, SEEDS


@pytest.fixture(scope="session")
def corpus():
    return rl.load_corpus(SEEDS, manifest=MANIFEST)


def doc(corpus, prefix):
    d = corpus.documents
    return d[d["doc_id"].str.startswith(prefix)].iloc[0]
