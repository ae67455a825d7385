"""analyse's cache keys are derived from the code, resources and library
versions each measure depends on (researchlib.batches.MEASURES), never
bumped by hand (issue 21 item 4)."""
import pytest

import researchlib.batches as b


@pytest.fixture
def edited(monkeypatch):
    """edited(module): the measure keys when one byte of researchlib/<module>.py
    differs (the file itself is not touched)."""
    real = b._module_source

    def keys_with_edit(module):
        monkeypatch.setattr(b, "_module_source", lambda name: real(name) + (b"#" if name == module else b""))
        try:
            return b.measure_keys()
        finally:
            monkeypatch.setattr(b, "_module_source", real)
    return keys_with_edit


def _changed(before, after):
    return {m for m in before if before[m] != after[m]}


def test_keys_are_stable_and_name_the_package_version():
    from importlib.metadata import version
    keys = b.measure_keys()
    assert keys == b.measure_keys()
    assert set(keys) == {"core", "terms", "sentiment", "frames", "dates"}
    assert all(k.startswith(version("researchlib") + "-") for k in keys.values())
    assert len(set(keys.values())) == len(keys)


@pytest.mark.parametrize("module, expected", [
    ("timeline", {"dates"}),                               # only dates_mentioned lives there
    ("frames", {"frames"}),
    # the frame scores embed sentences through researchlib.news, whose features read the lexicons
    ("vader_exact", {"sentiment", "frames"}),
    ("lexicons", {"sentiment", "frames"}),
    ("terms", {"terms", "sentiment", "frames"}),           # sentiment masks and frames count with its matcher
    ("stats", {"core", "terms", "sentiment", "frames", "dates"}),   # quotes.voices (core) uses its bootstrap
    ("codebooks", {"frames"}),
    # shared by loading: every measure reads the core tables, so every key changes
    ("segment", {"core", "terms", "sentiment", "frames", "dates"}),
    ("clean", {"core", "terms", "sentiment", "frames", "dates"}),
    ("match", {"core", "terms", "sentiment", "frames", "dates"}),
    ("batches", {"core", "terms", "sentiment", "frames", "dates"}),
    # not used by any measure
    ("plots", set()),
    ("report", set()),
    ("analyse", set()),
])
def test_a_changed_byte_in_a_module_changes_exactly_the_keys_of_the_measures_using_it(edited, module, expected):
    assert _changed(b.measure_keys(), edited(module)) == expected


def test_a_changed_resource_changes_only_its_measure():
    from researchlib.resources import load_resource
    base = b.measure_keys()
    codebook = load_resource("study", "codebook", "study")
    codebook["frames"].popitem()
    assert _changed(base, b.measure_keys(codebook=codebook)) == {"frames"}
    groups = load_resource(None, "terms", "terms")
    groups.pop(next(iter(groups)))
    assert _changed(base, b.measure_keys(groups=groups)) == {"terms"}


def test_a_library_version_changes_only_the_measures_computed_with_it(monkeypatch):
    base = b.measure_keys()
    real = b._version
    monkeypatch.setattr(b, "_version", lambda d: "9.9.9" if d == "textblob" else real(d))
    assert _changed(base, b.measure_keys()) == {"sentiment"}
    monkeypatch.setattr(b, "_version", lambda d: "9.9.9" if d == "nltk" else real(d))
    assert _changed(base, b.measure_keys()) == set(base)      # Punkt makes the sentences every measure reads


def test_the_input_index_key_follows_the_reading_code(monkeypatch, tmp_path):
    from researchlib.input_index import input_state
    (tmp_path / "a.txt").write_text("Some text.")
    before = input_state(tmp_path, None, {}, 10)
    real = b._module_source
    monkeypatch.setattr(b, "_module_source", lambda name: real(name) + (b"#" if name == "readers" else b""))
    assert input_state(tmp_path, None, {}, 10)[0] != before[0]
    monkeypatch.setattr(b, "_module_source", lambda name: real(name) + (b"#" if name == "frames" else b""))
    assert input_state(tmp_path, None, {}, 10) == before
