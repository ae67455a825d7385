"""The sentiment table built column by column is the plain concat-and-merge
table, frame for frame (values, dtypes, index)."""
import numpy as np
import pandas as pd
import pytest

from researchlib import sentiment as S


def _cases(corpus):
    docs = corpus.documents
    for voice in ("all", "narrative", "quoted"):
        units = S.voice_units(corpus, voice)
        for methods in (("vader", "textblob"), ("blend",), ()):
            for masked in (False, True):
                texts = [t.replace("a", "thing") for t in units["text"]] if masked else None
                scores = {m: np.arange(len(units), dtype=float) / 7 - i for i, m in enumerate(methods)}
                yield units, texts, scores, docs, voice


def test_score_table_fast_equals_plain_on_the_seeds(corpus):
    n = 0
    for units, texts, scores, docs, voice in _cases(corpus):
        plain = S._score_table_plain(units, texts, scores, docs, voice)
        pd.testing.assert_frame_equal(S._score_table(units, texts, scores, docs, voice), plain, check_exact=True)
        n += len(plain)
    assert n > 1000


def test_score_table_hostile_documents(corpus):
    """A unit whose document is missing (outlet NaN), a repeated document (the
    merge repeats rows), an index that is not 0..n-1, no units: still the plain frame."""
    units = S.voice_units(corpus, "all").iloc[:40]
    scores = {"vader": np.linspace(-1, 1, 40), "textblob": np.zeros(40)}
    docs = corpus.documents
    first = units["doc_id"].iloc[0]
    for d in (docs[docs["doc_id"] != first], pd.concat([docs, docs.iloc[:2]]), docs.iloc[::-1]):
        for u in (units, units.set_index(units.index * 3 + 5)):
            plain = S._score_table_plain(u, None, scores, d, "all")
            pd.testing.assert_frame_equal(S._score_table(u, None, scores, d, "all"), plain, check_exact=True)
    for other in ({"vader": np.linspace(-1, 1, 40).astype("float32")}, {"vader": list(np.zeros(40))},
                  {"vader": np.zeros(40, dtype="float32"), "textblob": np.ones(40)}):   # scores of other types
        pd.testing.assert_frame_equal(S._score_table(units, None, other, docs, "all"),
                                      S._score_table_plain(units, None, other, docs, "all"), check_exact=True)
    empty = units.iloc[:0]
    pd.testing.assert_frame_equal(S._score_table(empty, None, {"vader": np.array([])}, docs, "all"),
                                  S._score_table_plain(empty, None, {"vader": np.array([])}, docs, "all"))


def test_sentiment_rows_by_hand(corpus):
    """Two methods: every sentence twice, VADER rows first, with its document's outlet."""
    out = S.sentiment(corpus, methods=("vader", "textblob"))
    s = corpus.english().sentences
    assert len(out) == 2 * len(s)
    assert out["method"].tolist() == ["vader"] * len(s) + ["textblob"] * len(s)
    assert out["text"].tolist()[:len(s)] == s["text"].tolist()
    outlet = dict(zip(corpus.documents["doc_id"], corpus.documents["outlet"]))
    assert out["outlet"].tolist() == [outlet[d] for d in out["doc_id"]]
    assert not out["masked"].any() and set(out["voice"]) == {"all"}
    good = pd.DataFrame({"doc_id": ["x"], "sent_id": [0], "text": ["good"]})
    table = S._score_table(good, None, {"vader": np.array([0.4404])},
                           pd.DataFrame({"doc_id": ["x"], "outlet": ["Wire"]}), "all")
    assert table.iloc[0].tolist() == ["x", 0, "Wire", "vader", "all", False, 0.4404, "good"]
