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


def test_doc_bootstrap_weights_drawn_once_equal_a_fresh_draw():
    """The resample counts shared between DocBootstraps (kept in uint8) give
    the same intervals as counts drawn afresh in float64, and as scipy's
    bootstrap_by_doc."""
    from researchlib import stats
    rng = np.random.default_rng(7)
    ids = rng.integers(0, 40, 300).astype(str)
    hits = (rng.random(300) < 0.3).astype(float)
    stats._kept_weights.cache_clear()
    first = stats.DocBootstrap(ids, n_boot=300, seed=2)
    assert first.interval(hits) == stats.bootstrap_by_doc(ids, hits, n_boot=300, seed=2)
    second = stats.DocBootstrap(ids, n_boot=300, seed=2)
    assert second.interval(hits * 3) == stats.bootstrap_by_doc(ids, hits * 3, n_boot=300, seed=2)
    assert second._resample_weights() is first._resample_weights() and first._weights.dtype == np.uint8
    i = np.random.default_rng(2).integers(0, 40, (300, 40))
    fresh = np.stack([np.bincount(row, minlength=40) for row in i]).astype(float)
    assert np.array_equal(fresh, first._weights)
    sums = np.bincount(pd.factorize(pd.Series(ids), sort=True)[0], weights=hits)
    assert np.array_equal(np.einsum("ij,j->i", fresh, sums), np.einsum("ij,j->i", first._weights, sums))


def test_doc_bootstrap_weights_cache_is_bounded(monkeypatch):
    """Draws are remembered up to KEPT_WEIGHTS_BYTES each (here 1,100:
    n = 10 and 11 at 100 resamples), larger ones drawn every time."""
    from researchlib import stats
    stats._kept_weights.cache_clear()
    monkeypatch.setattr(stats, "KEPT_WEIGHTS_BYTES", 1100)
    for n in (10, 11, 12, 12):
        stats.DocBootstrap(np.arange(n).repeat(2), n_boot=100).interval(np.tile([0.0, 1.0], n) * np.arange(2 * n))
    info = stats._kept_weights.cache_info()
    assert (info.currsize, info.maxsize) == (2, 32)
    stats._kept_weights.cache_clear()


def test_doc_bootstrap_seeds_that_are_not_numbers_are_drawn_every_time():
    """A generator seed advances between intervals and a list seed works, as
    in bootstrap_by_doc (nothing of them is remembered)."""
    from researchlib import stats
    ids = np.repeat(np.arange(8), 3).astype(str)
    v = np.tile([0.0, 1.0, 1.0], 8) * np.arange(24)
    a, b = np.random.default_rng(1), np.random.default_rng(1)
    for _ in range(2):
        assert stats.DocBootstrap(ids, n_boot=50, seed=a).interval(v) == \
            stats.bootstrap_by_doc(ids, v, n_boot=50, seed=b)
    assert stats.DocBootstrap(ids, n_boot=50, seed=[1, 2]).interval(v) == \
        stats.bootstrap_by_doc(ids, v, n_boot=50, seed=[1, 2])


def test_cluster_auc_interval_above_the_pair_matrix_limit_is_the_plain_one(monkeypatch):
    from researchlib import validation as V
    rng = np.random.default_rng(3)
    s, y, g = rng.normal(size=40), rng.random(40) < 0.5, rng.integers(0, 9, 40)
    expected = V._cluster_interval(lambda i: V.roc_auc(s[i], y[i]), g, n_boot=30)
    assert V._cluster_auc_interval(s, y, g, n_boot=30) == expected      # 40 items: the pair matrix
    plain, used = V._cluster_interval, []
    monkeypatch.setattr(V, "_cluster_interval", lambda *a, **k: used.append(1) or plain(*a, **k))
    monkeypatch.setattr(V, "PAIR_MATRIX_MAX_ITEMS", 39)
    assert V._cluster_auc_interval(s, y, g, n_boot=30) == expected and used == [1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([-1.0, -0.5, 0.0, 0.0, 0.25, 0.5, 1.0]), st.booleans(),
                          st.integers(0, 6)), min_size=1, max_size=30), st.integers(0, 3))
def test_cluster_auc_interval_equals_the_plain_resampled_roc_auc(items, seed):
    """Ties in the scores, groups of one class only, resamples with one class
    (NaN, dropped), a single group."""
    from researchlib.validation import _cluster_auc_interval, _cluster_interval, roc_auc
    s = np.array([x[0] for x in items])
    y = np.array([x[1] for x in items])
    g = np.array([x[2] for x in items])
    plain = _cluster_interval(lambda i: roc_auc(s[i], y[i]), g, n_boot=40, seed=seed)
    fast = _cluster_auc_interval(s, y, g, n_boot=40, seed=seed)
    assert np.array_equal(plain, fast, equal_nan=True)


def test_stance_validation_auc_interval_equals_the_plain_one(monkeypatch):
    from researchlib import validation as V
    got = V.stance_validation(methods=("vader", "blend"), n_boot=200)
    monkeypatch.setattr(V, "_cluster_auc_interval", lambda s, y, g, n_boot: V._cluster_interval(
        lambda i: V.roc_auc(s[i], y[i]), g, n_boot=n_boot))
    expected = V.stance_validation(methods=("vader", "blend"), n_boot=200)
    assert got.equals(expected) and got["ci_low"].notna().sum() == 4
