"""The sentences and quotes tables built column by column (or from rows in
column order) are the plain tables, frame for frame: values, dtypes, index."""
import pandas as pd
import pytest

from researchlib import corpus as K
from researchlib.corpus import iter_records, process_document
from researchlib.paths import MANIFEST, SEEDS
from researchlib.readers import ReadLog


@pytest.fixture(scope="module")
def seed_docs():
    records = list(iter_records(SEEDS, MANIFEST, ReadLog()))
    return records, [process_document(r["text_raw"]) for r in records]


def _parts(records, processed):
    sents = [(r["doc_id"], p["text"], p["sentences"], K._sentence_voice(p["sentences"], p["quotes"]))
             for r, p in zip(records, processed)]
    return sents, [(r["doc_id"], p["quotes"]) for r, p in zip(records, processed)]


def _same(sents, quotes):
    pd.testing.assert_frame_equal(K._sentence_table(sents), K._sentence_table_plain(sents), check_exact=True)
    pd.testing.assert_frame_equal(K._quote_table(quotes), K._quote_table_plain(quotes), check_exact=True)


def test_tables_fast_equal_plain_on_the_seeds(seed_docs):
    sents, quotes = _parts(*seed_docs)
    assert sum(len(s[2]) for s in sents) == 97 and sum(len(q[1]) for q in quotes) > 10
    _same(sents, quotes)
    for i in range(len(sents)):                 # one document at a time, and every prefix
        _same(sents[i:i + 1], quotes[i:i + 1])
        _same(sents[:i], quotes[:i])


def test_tables_hostile_inputs(seed_docs):
    sents, quotes = _parts(*seed_docs)
    q = quotes[0][1][0] if quotes[0][1] else next(x[1][0] for x in quotes if x[1])
    no_speaker = [(d, t, sp, [(c, s, v, None) for c, s, v, _ in vo]) for d, t, sp, vo in sents]
    cases = [
        ([], []),                                                    # nothing at all
        ([("a", "", [], [])], [("a", [])]),                          # a document without sentences
        (sents[:2] + [("z", "", [], [])] + sents[2:3], quotes[:3]),  # ... between others
        (no_speaker, quotes),                                        # no sentence has a speaker
        ([(7, "Good. Bad.", [(0, 5), (6, 10)], [(0, 0.0, "narrative", None)] * 2)],    # a number as doc_id
         [(7, [q])]),
        (sents[:1], [("a", [{k: v for k, v in q.items() if k != "speaker"}])]),        # a quote missing a column
        (sents[:1], [("a", [{**q, "doc_id": "other", "extra": 1}])]),                   # its own doc_id, extra keys
    ]
    for s, qs in cases:
        _same(s, qs)


def test_sentence_rows_by_hand():
    table = K._sentence_table([("d1", "Good. Bad news.", [(0, 5), (6, 15)],
                                [(0, 0.0, "narrative", None), (9, 1.0, "quoted", "Xi Jinping")])])
    assert table.iloc[:, :8].values.tolist() == [["d1", 0, 0, 5, "Good.", 0, 0.0, "narrative"],
                                                 ["d1", 1, 6, 15, "Bad news.", 9, 1.0, "quoted"]]
    assert table["speaker"].isna().tolist() == [True, False] and table["speaker"][1] == "Xi Jinping"
    assert table["start"].dtype == "int32" and table["quoted_share"].dtype == "float64"


def test_sentence_voice_fast_equals_plain(seed_docs):
    import random
    for p in seed_docs[1]:
        assert K._sentence_voice(p["sentences"], p["quotes"]) == K._sentence_voice_plain(p["sentences"], p["quotes"])
    rnd = random.Random(0)
    for _ in range(2000):                       # overlapping, nested, touching, unordered quotes
        n = rnd.randrange(60)
        cuts = sorted(rnd.sample(range(n + 1), rnd.randrange(min(n + 1, 8)))) if n else []
        spans = list(zip([0] + cuts, cuts + [n]))
        quotes = []
        for _ in range(rnd.randrange(6)):
            a = rnd.randrange(n + 1)
            quotes.append({"start": a, "end": min(n, a + rnd.randrange(30)), "speaker": rnd.choice(["A", "B", None]),
                           "kind": rnd.choice(["direct", "partial", "indirect"])})
        if rnd.random() < 0.7:
            quotes.sort(key=lambda q: q["start"])
        assert K._sentence_voice(spans, quotes) == K._sentence_voice_plain(spans, quotes), (spans, quotes)
