"""Issue 16 item 2: notebook parameters are data, never code."""
import ast
import json
import math

import nbformat as nbf
import pytest
from hypothesis import given, settings, strategies as st

import researchlib.report as report
from researchlib.cli import main
from researchlib.errors import ParameterError
from researchlib.parameters import (check_literal_cell, check_parameters, check_value, declared_kind, from_cli,
                                    injected_cell, same_data)
from researchlib.paths import NOTEBOOKS

EXPLOIT = "('x\"+str(__import__(\"os\").system(\"id > {marker}\"))+\"',)"
HOSTILE = ['"', "'", '\\', '\\"', "\\'", '"""', "'''", 'x"""; import os; """', "x'''; import os; '''",
           "\n", "\r\n", "a\nimport os\nos.system('id')", "\\n", "\\\n", "\u2028", "\u2029", "\x85", "\x0b\x0c",
           "\x00", "__import__('os').system('id')", "{__import__('os')}", "f'{1}'", "# comment", "\t",
           '"+str(__import__("os").system("id"))+"', "\ufeff", "\u202e", "😀", "\\u0041", "\\x41", "\\N{DIGIT ONE}",
           "end\\", "}", "{", "{corpus}", EXPLOIT]
DECLARED = {"nb": {"by": {"default": '"outlet"', "inferred_type_name": "None"},
                   "methods": {"default": '["vader", "textblob"]', "inferred_type_name": "None"},
                   "groups": {"default": "None", "inferred_type_name": "None"},
                   "flag": {"default": "False", "inferred_type_name": "None"},
                   "n": {"default": "3", "inferred_type_name": "None"},
                   "share": {"default": "0.5", "inferred_type_name": "None"},
                   "columns": {"default": "{}", "inferred_type_name": "None"},
                   "label": {"default": "None", "inferred_type_name": "Optional[str]"}}}


def _cell_values(source):
    """Every statement is NAME = literal; return {name: value}."""
    out = {}
    for stmt in ast.parse(source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        assert not any(isinstance(n, (ast.Call, ast.Name, ast.Attribute, ast.JoinedStr, ast.BinOp, ast.Subscript,
                                      ast.Lambda)) for n in ast.walk(stmt.value))
        out[stmt.targets[0].id] = ast.literal_eval(stmt.value)
    return out


# ----------------------------------------------------------------- -p text
@pytest.mark.parametrize("text, value", [
    ("outlet", "outlet"), ('"outlet"', "outlet"), ("3", 3), ("-2.5", -2.5), ("true", True), ("null", None),
    ('["vader", "news"]', ["vader", "news"]), ('{"text": "body"}', {"text": "body"}),
    ("('a', 'b')", "('a', 'b')"), ("{'a': 1}", "{'a': 1}"), ("NaN", "NaN"), ("Infinity", "Infinity"),
    ("[1, 2", "[1, 2"), ("True", "True"), ("", ""), ("[" * 100_000, "[" * 100_000), ("1_000", "1_000")])
def test_cli_text_is_json_or_plain_string(text, value):
    assert same_data(from_cli(text), value)


def test_the_reported_exploit_is_a_plain_string():
    v = from_cli(EXPLOIT.format(marker="/tmp/PWNED"))
    assert v == EXPLOIT.format(marker="/tmp/PWNED")              # a string, not a tuple


# ------------------------------------------------------- the injected cell
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_stay_literals_in_the_injected_cell(text):
    params = {"by": text, "methods": [text, "x"], "columns": {text: text}, "groups": {"k": [text, None, 1.5, -3]}}
    source = injected_cell(params)
    assert same_data(_cell_values(source), params)
    check_literal_cell(source, params)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",))),
                                                                      children, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(lambda s: s not in
                       ("if", "in", "is", "or", "as", "def", "del", "for", "not", "and", "try", "with")),
                       json_values, min_size=1, max_size=4))
def test_any_json_value_is_a_literal_in_the_injected_cell(params):
    check_value("x", params)
    source = injected_cell(params)
    assert same_data(_cell_values(source), params)
    check_literal_cell(source, params)


def test_papermill_injects_exactly_that_cell(tmp_path):
    import papermill as pm
    nb = pm.iorw.load_notebook_node(str(NOTEBOOKS / "01_framing.ipynb"))      # as execute_notebook loads it
    params = {"by": '"""; import os; os.system("id") #', "codebook": "x'''\n__import__('os')\u2028",
              "columns": {"text": "b\\\"ody"}}
    nb = pm.parameterize.parameterize_notebook(nb, params, kernel_name="python3", language="python")
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and injected[0].source == injected_cell(params)
    assert same_data(_cell_values(injected[0].source), params)


def test_a_cell_with_code_is_refused():
    with pytest.raises(ParameterError, match="code"):
        check_literal_cell('by = "x" + str(__import__("os").system("id"))\n', {"by": "x0"})
    with pytest.raises(ParameterError, match="code"):
        check_literal_cell("by = float('nan')\n", {"by": math.nan})
    with pytest.raises(ParameterError, match="value given"):
        check_literal_cell("flag = 1\n", {"flag": True})                 # 1 is not True here
    with pytest.raises(ParameterError):
        check_literal_cell('by = ("x",)\n', {"by": ["x"]})               # tuples are not accepted


# ------------------------------------------------------ values and types
@pytest.mark.parametrize("value", [("a",), {"a"}, {1: "x"}, math.nan, math.inf, b"x", "\ud800", object(),
                                   [[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]], 10**200])
def test_only_json_like_values(value):
    with pytest.raises(ParameterError):
        check_value("p", value)


@pytest.mark.parametrize("name, value, ok", [
    ("by", "country", True), ("by", 2022, False), ("by", None, False), ("by", ["a"], False),
    ("methods", ["vader"], True), ("methods", "vader", False),
    ("groups", {"war": ["war"]}, True), ("groups", "terms.yaml", True), ("groups", None, True),
    ("flag", True, True), ("flag", "yes", False), ("flag", 1, False),
    ("n", 5, True), ("n", 5.5, False), ("n", True, False), ("share", 1, True), ("share", 0.25, True),
    ("columns", {"text": "body"}, True), ("columns", [], False),
    ("label", None, True), ("label", "x", True), ("label", 3, False)])
def test_values_checked_against_the_declared_parameter(name, value, ok):
    if ok:
        assert check_parameters({name: value}, DECLARED) == {name: value}
    else:
        with pytest.raises(ParameterError, match=f"parameter {name} of nb takes"):
            check_parameters({name: value}, DECLARED)


def test_declared_kinds_of_the_real_notebooks():
    import papermill as pm
    kinds = {n: declared_kind(s) for p in NOTEBOOKS.glob("0*.ipynb") for n, s in pm.inspect_notebook(str(p)).items()}
    sentiment = {n: declared_kind(s) for n, s in pm.inspect_notebook(str(NOTEBOOKS / "02_sentiment.ipynb")).items()}
    assert kinds["by"] is None and sentiment["methods"] is None and kinds["news_validation"] is bool
    assert kinds["columns"] is dict and kinds["corpus"] is None and kinds["groups"] is None


# ---------------------------------------------------------------- the CLI
@pytest.mark.parametrize("argv, needle", [
    (["-p", "by", "1"], "by=expected a non-empty text, got 1"),
    (["-p", "news_validation", "yes"], "takes true or false"),
    (["-p", "corpus", "other.csv"], "-p corpus is not accepted: use --corpus"),
    (["-p", "manifest", "m.csv"], "use --manifest"),
    (["-p", "columns", '{"text": "body"}'], "the column options --text"),
    (["-p", "by", "a", "-p", "by", "b"], "-p by given twice"),
    (["-p", "no_such", "1"], "unknown parameter")])
def test_cli_refuses_bad_parameters_in_one_line(argv, needle, tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path / "R"), *argv]) == 1
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "R").exists()


def _nb(path):
    nb = nbf.v4.new_notebook()
    p = nbf.v4.new_code_cell('corpus = None\nmanifest = None\ncolumns = {}\nby = "outlet"\ngroups = None\n'
                             'methods = ["vader"]')
    p.metadata["tags"] = ["parameters"]
    dump = nbf.v4.new_code_cell("import json, pathlib\npathlib.Path('seen.json').write_text("
                                "json.dumps({'by': by, 'groups': groups, 'methods': methods}))")
    nb.cells = [nbf.v4.new_markdown_cell("# Test"), p, dump]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, path)


def test_hostile_values_reach_the_notebook_as_data(tmp_path, monkeypatch, capsys):
    """End to end through the CLI: the reported exploit and other hostile
    values arrive in the kernel as the very strings given; nothing runs.
    The output folder's name holds braces (papermill formats paths)."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _nb(nbs / "01_dump.ipynb")
    monkeypatch.setattr(report, "NOTEBOOKS", nbs)
    monkeypatch.setattr(report, "STUDY_PARAMETERS", ())     # the study's own checks of by/groups are another layer
    marker = tmp_path / "PWNED"
    by = EXPLOIT.format(marker=marker)
    groups = {"k'''": ['"""\n__import__("os").system("id > %s")' % marker, "\\", "\u2028"]}
    methods = ["x\"+str(__import__('os').system('id > %s'))+\"" % marker, "{pm}"]
    out = tmp_path / "R{corpus}{pm}"
    rc = main(["report", "--out", str(out), "-p", "by", by, "-p", "groups", json.dumps(groups),
               "-p", "methods", json.dumps(methods)])
    assert rc == 0, capsys.readouterr().err
    assert not marker.exists()
    seen = json.loads((nbs / "seen.json").read_text())
    assert seen == {"by": by, "groups": groups, "methods": methods}
    assert (out / "index.html").exists() and (out / "01_dump.ipynb").exists()
    injected = [c for c in nbf.read(out / "01_dump.ipynb", as_version=4).cells
                if "injected-parameters" in c.metadata.get("tags", [])]
    assert _cell_values(injected[0].source)["by"] == by


def test_notebook_parameters_equal_papermills_and_see_annotated_ones():
    import papermill as pm
    """Our reading of each parameters cell gives papermill's entries for every
    parameter papermill sees, and also the annotated ones its line parser
    misses (02_sentiment's `news: bool | None = None`)."""
    from researchlib.parameters import notebook_parameters
    for p in sorted(NOTEBOOKS.glob("0*.ipynb")):
        theirs, ours = pm.inspect_notebook(str(p)), notebook_parameters(p)
        assert {k: ours[k] for k in theirs} == theirs, p.name
        missed = set(ours) - set(theirs)
        assert all(ours[k]["inferred_type_name"] != "None" for k in missed), (p.name, missed)
    news = notebook_parameters(NOTEBOOKS / "02_sentiment.ipynb")["news"]
    assert news == {"name": "news", "inferred_type_name": "bool | None", "default": "None",
                    "help": "run the news model (researchlib[models]); None: only up to 20,000 sentences, "
                            "True: always, False: never"}
    assert declared_kind(news) == (bool, type(None))
    assert check_parameters({"news": False}, {"02_sentiment": {"news": news}}) == {"news": False}
    with pytest.raises(ParameterError, match="news"):
        check_parameters({"news": "yes"}, {"02_sentiment": {"news": news}})
