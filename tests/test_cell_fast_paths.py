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
