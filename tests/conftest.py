import pytest

import researchlib as rl
from researchlib.paths import MANIFEST, SEEDS


@pytest.fixture(scope="session")
def corpus():
    return rl.load_corpus(SEEDS, manifest=MANIFEST)


def doc(corpus, prefix):
    d = corpus.documents
    return d[d["doc_id"].str.startswith(prefix)].iloc[0]
