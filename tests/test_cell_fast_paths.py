"""Fast paths of the report's aggregate cells give exactly what their plain
methods give (word counts of keyness, quoted words of quotes_by, the
resampled AUC of the stance validation, frames_by per frame)."""
import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

CHUNK_BITS = ["U.S.", "10,000", "3.5", "no-limits", "China's", "CHINA'S", "Xi’s", "xi’S", "a.", "x_y", "cease-fire",
              "—", "3:15", "Путин", "e.g.", "'s", "’s", "İstanbul's", "ǅ", "ſ", "K", "war", "War", ",", ".", "\"",
              "(", ")", "é", "\u0301", "²", "Ⅻ", "٣", "中文"]
SEPARATORS = [" ", "", "\n", "\t", "\u00a0", "\x1c", "  "]
TEXTS = st.lists(st.lists(st.tuples(st.sampled_from(CHUNK_BITS), st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda ws: "".join(w + s for w, s in ws)), max_size=4)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_word_counts_by_chunk_equal_the_plain_count_in_value_and_order(texts):
    from researchlib.terms import _freqs, _freqs_plain
    pd.testing.assert_series_equal(_freqs(texts), _freqs_plain(texts))


def _lags_corpus(tmp_path, rows):
    import researchlib as rl
    p = tmp_path / "c.csv"
    pd.DataFrame(rows, columns=["outlet", "published", "text"]).to_csv(p, index=False)
    return rl.load_corpus(p)


def test_event_lags_fast_equals_the_plain_loop(corpus, tmp_path):
    """Events out of date order and two on one day (the later row wins),
    an article before every event, undated articles, the seeds."""
    import researchlib as rl
    from researchlib.timeline import _event_lags_plain
    ev = rl.load_events(pd.DataFrame({"date": ["2024-02-02", "2024-01-15", "2024-02-02", "2024-03-01"],
                                      "event": ["Talks", "Summit", "Visit", "Later"]}))
    rows = [("A", "2024-01-01", "Before every event."), ("B", "2024-01-15", "On the summit day."),
            ("A", "2024-02-02", "Two events that day."), ("C", "", "Undated."), ("B", "2024-02-20", "After."),
            ("C", "2024-04-01", "After the last.")]
    small = _lags_corpus(tmp_path, rows)
    cols = ["doc_id", "outlet", "published"]
    for c, events in ((small, ev), (corpus, ev), (corpus, rl.load_events(None)), (small, rl.load_events(None))):
        fast, plain = rl.event_lags(c, events=events, by="outlet"), _event_lags_plain(c, events, cols)
        assert fast.equals(plain) and list(fast.dtypes) == list(plain.dtypes)
    got = rl.event_lags(small, events=ev, by="outlet")
    assert list(got["event"]) == ["Summit", "Visit", "Visit", "Later"] and list(got["lag_days"]) == [0, 0, 18, 31]
