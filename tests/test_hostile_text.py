"""Issue 16 item 6: text from data (outlet names, group and frame names,
event titles) is shown as text: never a Markdown link, never mathtext, never
a spreadsheet formula."""
import html
import re
import shutil

import matplotlib
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import researchlib as rl
from researchlib.paths import DATA, MANIFEST, SEEDS
from researchlib.safe_text import escape_markdown, neutralise_formulas, restore_formulas

matplotlib.use("Agg")

PHISH = "[Click to verify your account](https://evil.example/login)"
MATH = r"Price $\undefinedcommand{x}$ Daily"
FORMULA = '=HYPERLINK("https://evil.example","click")'
HIDDEN = "_Hidden Daily"          # matplotlib leaves labels starting with "_" out of legends
HOSTILE_MD = [PHISH, "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold** _it_ `code`",
              "https://evil.example/x www.evil.example", "<https://evil.example>", "![p](https://evil.example/p.png)",
              r"$\frac{1}{2}$ and \$ and \\", "# heading\n\n* item\n---", "a &amp; b &lt;i&gt;", "[x]: https://evil.example",
              "| a | b |\n|---|---|", "~~strike~~ \u2028line sep", MATH]


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    """Four seed articles whose outlets have hostile names."""
    root = tmp_path_factory.mktemp("hostile")
    man = pd.read_csv(MANIFEST).head(4)
    man["outlet"] = [PHISH, MATH, FORMULA, HIDDEN]
    for f in man["file"]:
        shutil.copy(SEEDS / f, root / f)
    man.to_csv(root / "manifest.csv", index=False)
    return rl.load_corpus(root, root / "manifest.csv")


# ------------------------------------------------------------------ Markdown
def _visible_text(rendered_html):
    return html.unescape(re.sub(r"<[^>]+>", "", rendered_html)).strip()


@pytest.mark.parametrize("text", HOSTILE_MD)
def test_escaped_markdown_renders_as_the_same_text(text):
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    md = escape_markdown(text)
    expected = re.sub(r"[\r\n]+", " ", text).strip()        # one line: line breaks become spaces
    for out in (markdown2html_mistune(md), MarkdownIt("commonmark").render(md)):   # report / JupyterLab-like
        assert re.fullmatch(r"<p>.*</p>", out.strip(), re.S), out          # one paragraph, no other element
        assert "<a" not in out and "<img" not in out and "<script" not in out and "<em" not in out
        assert _visible_text(out) == expected


def test_finding_with_a_phishing_outlet_is_not_a_link(hostile_corpus, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    fig = rl.plots.documents_bar(hostile_corpus.documents)
    finding = rl.findings.frame_finding(rl.frames_by(hostile_corpus))
    assert PHISH in finding
    rl.plots.headline(fig, finding)
    md = shown[1][0].data
    assert shown[1][1]["metadata"]["researchlib"]["headline"] == finding      # raw text for the index (html-escaped there)
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    out = markdown2html_mistune(md)
    assert "<a" not in out and "evil.example/login" in out
    assert _visible_text(out) == "Finding: " + finding


# ----------------------------------------------------------------- mathtext
def _all_plots(c, tmp_path):
    from matplotlib.figure import Figure
    plots = rl.plots
    docs = c.documents
    share = rl.group_share(rl.term_hits_by(c))
    agg = rl.sentiment_by(c, methods=["vader"])
    profile = rl.frames_by(c).assign(frame=lambda d: d["frame"].where(d["frame"] != d["frame"].iloc[0], MATH))
    voices = rl.quotes_by(c)
    voices.loc[voices.index[0], "speaker_group"] = MATH
    voices.loc[voices.index[1], "speaker_group"] = "_hidden group"
    events = rl.load_events(DATA / "events.csv").head(2).assign(event=[MATH, PHISH])
    hits = rl.term_hits(c).query("group in ['war', 'crisis']").replace({"group": {"war": MATH, "crisis": "_crisis"}})
    over = share[share["group"] == "war"].assign(period=pd.Timestamp("2022-02-01"))
    drawn = {
        "documents_bar": plots.documents_bar(docs),
        "removed_bar": plots.removed_bar(c.removed.assign(rule=[MATH, "_rule"] * (len(c.removed) // 2)
                                                          + [MATH] * (len(c.removed) % 2)), docs),
        "term_rates": plots.term_rates(share, title=MATH),
        "naming_share": plots.naming_share(share),
        "sentiment_points": plots.sentiment_points(agg.replace({"method": {"vader": "_" + MATH}})),
        "frame_heatmap": plots.frame_heatmap(profile),
        "voices_bar": plots.voices_bar(voices),
        "coverage_timeline": plots.coverage_timeline(docs, events),
        "attention": plots.attention(rl.attention(docs.assign(outlet=[MATH, "_hidden"] * (len(docs) // 2)
                                                              + [MATH] * (len(docs) % 2))), events),
        "dispersion": plots.dispersion(hits, docs),
        "measure_over_time": plots.measure_over_time(over, "share", ylabel=MATH),
        "validation_points": plots.validation_points(pd.DataFrame(
            {"measure": ["sentiment"], "statistic": ["pearson_r"], "method": [MATH], "variant": [""],
             "value": [0.5], "ci_low": [0.4], "ci_high": [0.6], "n": [100], "source": [PHISH]})),
    }
    assert set(drawn) == {n for n in plots.__all__
                          if n not in ("outlet_colors", "category_colors", "use_units", "show", "headline", "evidence",
                                       "table_html", "STYLE")}
    for name, fig in drawn.items():
        assert isinstance(fig, Figure)
        fig.savefig(tmp_path / f"{name}.png")                           # draws: mathtext would raise here
        fig.savefig(tmp_path / f"{name}_tight.png", bbox_inches="tight", dpi=50)
    return drawn


def test_every_plot_draws_names_with_dollars_as_plain_text(hostile_corpus, tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    before = plt.rcParams["text.parse_math"]
    drawn = _all_plots(hostile_corpus, tmp_path)
    assert plt.rcParams["text.parse_math"] == before                  # the user's settings are untouched
    for name, fig in drawn.items():
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        assert texts and not any(t.get_parse_math() for t in texts), name
        shown = " ".join(t.get_text() for t in texts)
        if name in ("documents_bar", "term_rates", "naming_share", "sentiment_points", "coverage_timeline",
                    "measure_over_time", "voices_bar", "frame_heatmap", "dispersion"):
            assert "Price $" in shown, name                             # the name is there, as typed
        plt.close(fig)


def test_legends_list_names_starting_with_underscore(hostile_corpus, tmp_path):
    import matplotlib.pyplot as plt
    drawn = _all_plots(hostile_corpus, tmp_path)
    expected = {"removed_bar": {MATH, "_rule"}, "sentiment_points": {"_" + MATH},
                "voices_bar": {MATH, "_hidden group"}, "dispersion": {MATH, "_crisis"},
                "attention": {MATH, "_hidden"}}
    for name, names in expected.items():
        legend = drawn[name].axes[0].get_legend()
        shown = {t.get_text().lstrip("\u200b") for t in legend.get_texts()}
        assert names <= shown, (name, shown)
    # over time, one panel per unit, named in the panel's title (not a legend)
    panels = {ax.get_title(loc="left").rsplit(" (n=", 1)[0] for ax in drawn["measure_over_time"].axes if ax.get_visible()}
    assert {PHISH, MATH, FORMULA, HIDDEN} <= panels, panels
    for fig in drawn.values():
        plt.close(fig)


def test_a_figure_of_the_user_still_parses_math():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.set_title(r"$\alpha$")
    assert ax.title.get_parse_math()
    plt.close(fig)


# ------------------------------------------------------------ spreadsheets
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")      # a plain number is no formula
FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1:A2)", "\t=x", "\r=x", "=cmd|' /C calc'!A0", FORMULA]


def test_neutralise_formulas_cells_and_headers():
    df = pd.DataFrame({"text": FORMULAS + ["plain", "-3", "+1.5e3", "'quoted"],
                       "n": [-1, -2.5, 3, 4, 5, 6, 7, 8, 9, -10, 11, 12],
                       "c": pd.Categorical(["=x"] * 12)})
    df[FORMULA] = 1
    out = neutralise_formulas(df)
    assert list(out["text"]) == ["'" + f for f in FORMULAS] + ["plain", "-3", "+1.5e3", "''quoted"]
    assert out["n"].tolist() == df["n"].tolist() and out["n"].dtype == df["n"].dtype     # numbers stay numbers
    assert set(out["c"]) == {"'=x"}
    assert list(out.columns)[-1] == "'" + FORMULA
    assert df["text"].iloc[0] == "=1+1"                                 # the input frame is not changed
    back = restore_formulas(out)
    assert list(back.columns) == list(df.columns) and back["text"].tolist() == df["text"].tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r'a1. "), max_size=5), min_size=1, max_size=8))
def test_restore_undoes_neutralise(cells):
    df = pd.DataFrame({"t": cells})
    out = neutralise_formulas(df)
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) and not NUMBER.fullmatch(c) for c in out["t"])
    assert restore_formulas(out)["t"].tolist() == cells


def _cells_starting_a_formula(path):
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [c for row in rows for c in row if c[:1] in ("=", "+", "@", "\t", "\r")
            or (c[:1] == "-" and not re.fullmatch(r"-[\d.eE+-]+", c))]


def test_coding_sheet_csv_has_no_formula(hostile_corpus, tmp_path):
    book = {"frames": {"=cmd|' /C calc'!A0": {"definition": "d", "indicators": ["war"], "citation": "c"},
                       "Plain": {"definition": "d", "indicators": ["peace"], "citation": "c"}}}
    sheet = rl.coding_sheet(hostile_corpus, n=10, codebook=book, path=tmp_path / "sheet.csv")
    assert FORMULA in set(sheet["outlet"])                               # the returned frame keeps the data
    assert _cells_starting_a_formula(tmp_path / "sheet.csv") == []
    back = pd.read_csv(tmp_path / "sheet.csv")
    assert "'" + FORMULA in set(back["outlet"]) and "'=cmd|' /C calc'!A0" in back.columns
    assert back["sent_id"].dtype.kind == "i"


def test_coded_sheets_read_back_from_files_agree_as_in_memory(tmp_path):
    """doc_ids and frame names that start with '=' or '-' survive the round
    trip sheet -> CSV -> coder -> CSV -> rl.agreement."""
    pd.DataFrame({"id": ["=a", "-b", "001", "'c"], "outlet": [FORMULA, "-X", "Y", "Z"],
                  "text": ["The war goes on. Peace is far.", "Peace talks. War again.", "War. War.", "Peace."]}
                 ).to_csv(tmp_path / "t.csv", index=False)
    c = rl.load_corpus(tmp_path / "t.csv", doc_id="id")
    book = {"frames": {"=Conflict": {"definition": "d", "indicators": ["war"], "citation": "c"},
                       "Peace": {"definition": "d", "indicators": ["peace"], "citation": "c"}}}
    sheet = rl.coding_sheet(c, n=50, codebook=book, path=tmp_path / "sheet.csv")
    assert set(sheet["doc_id"]) == {"=a", "-b", "001", "'c"}
    coded = sheet.assign(**{"=Conflict": sheet["text"].str.contains("War|war").astype(int), "Peace": 1})
    on_disk = pd.read_csv(tmp_path / "sheet.csv", dtype=str)          # what a coder's spreadsheet holds
    on_disk["'=Conflict"] = coded["=Conflict"].values
    on_disk["Peace"] = 1
    on_disk.to_csv(tmp_path / "coder.csv", index=False)
    from_files = rl.agreement(tmp_path / "coder.csv", tmp_path / "coder.csv", corpus=c, codebook=book)
    in_memory = rl.agreement(coded, coded, corpus=c, codebook=book)
    pd.testing.assert_frame_equal(from_files, in_memory)
    dic = in_memory[(in_memory["frame"] == "=Conflict") & (in_memory["pair"] == "coder1 vs dictionary")]
    assert dic["cohen_kappa"].iloc[0] == 1 and dic["n"].iloc[0] == len(sheet)


def test_analyse_summary_csv_has_no_formula(tmp_path):
    from researchlib.analyse import analyse
    table = pd.DataFrame({"text": ["War and peace. The war goes on and on.", "A crisis here. A crisis there."],
                          "outlet": [FORMULA, "-Minus Daily"], "published": ["2022-02-01", "2022-02-02"]})
    table.to_csv(tmp_path / "in.csv", index=False)
    summary = analyse(tmp_path / "in.csv", out=tmp_path / "out", cache=None, jobs=1, progress=False)
    assert FORMULA in set(summary["outlet"])
    for name in ("summary.csv", "rejected.csv", "read_warnings.csv"):
        assert _cells_starting_a_formula(tmp_path / "out" / name) == [], name
    back = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert {"'" + FORMULA, "'-Minus Daily"} <= set(back["outlet"])
    assert back["n_docs"].dtype.kind == "i"
