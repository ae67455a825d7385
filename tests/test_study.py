"""A study is a file: the bundled one, neutral defaults, checks that name the
file and key, the template, and no study-specific text in the library."""
import ast
import re

import pandas as pd
import pytest

import researchlib as rl
from researchlib.cli import main
from researchlib.paths import DATA, PACKAGE, STUDY
from researchlib.study import StudyError, default_title, load_study, write_template


def test_bundled_study_holds_what_was_hard_coded():
    s = load_study()                                   # no file, no corpus: the bundled study
    assert s.source == str(STUDY.resolve())
    assert s.title == "How outlets cover the Xi–Putin meetings"
    assert (s.codebook, s.groups, s.targets, s.focus, s.by, s.voice) == ("study", "terms", "targets", "Ukraine", "outlet", "all")
    assert s.compare == ["war", "crisis"] and s.naming_groups() == ["war", "crisis"]
    assert s.events == str(DATA / "events.csv") and s.manifest == str(DATA / "manifest.csv")
    assert len(s.load_corpus().documents) == 5


def test_neutral_defaults_for_a_corpus_without_a_study(tmp_path):
    (tmp_path / "a.csv").write_text("text,outlet,published\nOne.,A,2024-01-03\nTwo.,B,2024-03-30\nThree.,B,\n")
    s = load_study(None, corpus=tmp_path / "a.csv")
    assert (s.source, s.title, s.events, s.targets, s.groups, s.focus) == (None,) * 6
    assert (s.codebook, s.voice, s.by, s.compare, s.naming_groups()) == ("generic", "all", "outlet", [], [])
    c = s.load_corpus()
    assert s.title_for(c.documents) == "3 articles from 2 outlets, 2024-01-03 to 2024-03-30"


def test_default_title_by_hand():
    docs = pd.DataFrame({"outlet": ["A"], "published": [pd.NaT]})
    assert default_title(docs) == "1 article from 1 outlet, undated"
    docs = pd.DataFrame({"outlet": ["A", "A"], "published": pd.to_datetime(["2024-01-03", "2024-01-03"])})
    assert default_title(docs) == "2 articles from 1 outlet, 2024-01-03"


def test_overrides_and_relative_paths(tmp_path):
    (tmp_path / "ev.csv").write_text("date,event\n2024-01-02,Launch\n")
    (tmp_path / "s.yaml").write_text("title: T\nevents: ev.csv\ngroups: {a: [apple], b: [pear]}\ncompare: [b]\n")
    s = load_study(tmp_path / "s.yaml", voice="narrative")
    assert s.events == str(tmp_path / "ev.csv") and s.voice == "narrative" and s.naming_groups() == ["b"]
    s2 = load_study(s, groups={"c": ["plum"]})          # new groups: the file's comparison no longer applies
    assert s2.naming_groups() == ["c"] and s2.title == "T"


@pytest.mark.parametrize("text, message", [
    ("tittle: X\n", r"s.yaml: unknown key 'tittle'; known keys: title, question"),
    ("voice: inside\n", r"s.yaml: voice: expected one of all, narrative, quoted, got 'inside'"),
    ("events: nowhere.csv\n", r"s.yaml: events: nowhere.csv does not exist"),
    ("codebook: nosuch\n", r"s.yaml: codebook: no bundled codebook named 'nosuch'"),
    ("groups: {a: [apple]}\ncompare: [war]\n", r"s.yaml: compare: no term group 'war'; groups: a"),
    ("compare: [war]\n", r"s.yaml: compare: needs term groups"),
    ("focus: two words\n", r"s.yaml: focus: expected one word"),
    ("dayfirst: maybe\n", r"s.yaml: dayfirst: expected true or false, got 'maybe'"),
    ("columns: {body: text}\n", r"s.yaml: columns: unknown name 'body'"),
    ("title: [unclosed\n", r"s.yaml:2: not valid YAML"),
    ("- a list\n", r"s.yaml: a study file is a mapping"),
])
def test_errors_name_file_and_key(tmp_path, text, message):
    (tmp_path / "s.yaml").write_text(text)
    with pytest.raises(StudyError, match=message):
        load_study(tmp_path / "s.yaml")


def test_by_must_be_a_document_column(tmp_path):
    (tmp_path / "s.yaml").write_text("corpus: a.csv\nby: country\n")
    (tmp_path / "a.csv").write_text("text,outlet\nOne.,A\n")
    with pytest.raises(StudyError, match=r"s.yaml: by: 'country' is not a document column"):
        load_study(tmp_path / "s.yaml").load_corpus()


def test_template_loads_as_neutral_and_is_never_overwritten(tmp_path, capsys):
    assert main(["init-study", str(tmp_path / "new")]) == 0
    path = tmp_path / "new" / "study.yaml"
    assert "researchlib report --study" in capsys.readouterr().out
    s = load_study(path, corpus=PACKAGE)               # every key is commented out
    assert (s.title, s.codebook, s.groups) == (None, "generic", None)
    with pytest.raises(StudyError, match="exists; not overwritten"):
        write_template(tmp_path / "new")
    assert main(["init-study", str(tmp_path / "new")]) == 1


def _code_strings(path):
    """String constants of a module's code (docstrings left out: they may cite
    the bundled study as an example)."""
    tree = ast.parse(path.read_text())
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_library_code_holds_no_study_specific_text():
    study_words = re.compile(r"\bXi\b|Putin|Ukraine|Kremlin|\bcrisis\b|\bwar\b|Xi–Putin")
    hits = [f"{p.name}:{line}: {text!r}" for p in sorted(PACKAGE.glob("*.py"))
            for line, text in _code_strings(p) if study_words.search(text)]
    assert hits == []
    for p in sorted(PACKAGE.glob("*.py")):      # no bundled study resource as a default
        assert not re.search(r"codebook=\"study\"|\(\"war\", \"crisis\"\)|\bEVENTS\b", p.read_text()), p.name


def test_study_load_is_public():
    assert rl.load_study is load_study and rl.Study


def test_dayfirst_reads_the_date_order(tmp_path):
    (tmp_path / "a.csv").write_text("text,outlet,published\nOne article.,A,03/04/2023\n")
    (tmp_path / "s.yaml").write_text("corpus: a.csv\ndayfirst: true\n")
    assert load_study(tmp_path / "s.yaml").load_corpus().documents["published"][0] == pd.Timestamp("2023-04-03")
    assert load_study(None, corpus=tmp_path / "a.csv").load_corpus().documents["published"][0] == pd.Timestamp("2023-03-04")
