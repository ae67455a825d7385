"""The report at scale (issue 18, items 3-5): a generated corpus of 300
articles from 30 outlets, built once with the CLI as a user runs it.

Checks what a reader meets: no page over the size limit, every figure also
as PNG and SVG and every table as CSV beside the page (linked from it), no
cell drawing the same figure twice, pages linking back to the index and to a
glossary that exists, the index linking the tables' zip and the inputs as a
CSV instead of listing them inline, and a quiet terminal (no kernel notice,
no library warning).
"""
import base64
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from researchlib.pages import MAX_PAGE_BYTES
from researchlib.paths import ROOT

GENERATORS = [Path("/work/shared/bench/make_corpus.py"), ROOT.parent / "shared" / "bench" / "make_corpus.py"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scale_report(tmp_path_factory):
    make = next((g for g in GENERATORS if g.exists()), None)
    if make is None:
        pytest.skip("the synthetic corpus generator (../shared/bench/make_corpus.py) is not here")
    tmp = tmp_path_factory.mktemp("scale")
    subprocess.run([sys.executable, str(make), "--outlets", "30", str(ROOT / "seeds"), str(tmp / "c"), "300"],
                   check=True, capture_output=True)
    out = tmp / "R"
    run = subprocess.run([str(Path(sys.executable).parent / "researchlib"), "report", "--study",
                          str(ROOT / "data" / "study.yaml"), "--corpus", str(tmp / "c"), "--manifest",
                          str(tmp / "c" / "manifest.csv"), "--out", str(out)],
                         capture_output=True, text=True, timeout=3600)
    assert run.returncode == 0, run.stderr[-3000:]
    return out, run


def _notebooks(out):
    return {p.stem: json.loads(p.read_text()) for p in sorted(out.glob("[0-9][0-9]_*.ipynb"))}


def test_the_corpus_is_at_scale(scale_report):
    out, _ = scale_report
    inputs = (out / "inputs.csv").read_text().splitlines()
    assert len(inputs) == 1 + 300 + 1          # header, 300 articles, the manifest


def test_no_page_over_the_size_limit(scale_report):
    out, _ = scale_report
    sizes = {p.name: p.stat().st_size for p in out.glob("*.html")}
    assert len(sizes) >= 8                                    # 7 notebooks, index, glossary
    assert max(sizes.values()) <= MAX_PAGE_BYTES, sizes


def test_every_figure_as_png_and_svg_and_every_table_as_csv(scale_report):
    out, _ = scale_report
    for name, nb in _notebooks(out).items():
        page = (out / f"{name}.html").read_text()
        figures = tables = 0
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                md = o.get("metadata", {})
                if "image/png" in o.get("data", {}):
                    figures += 1
                    assert "researchlib_figure" in md.get("image/png", {}), (name, cell["id"])
                if md.get("researchlib", {}).get("table"):
                    tables += 1
        pngs = sorted(out.glob(f"{name}-*-figure*.png"))
        assert len(pngs) == figures, (name, figures, [p.name for p in pngs])
        assert len(list(out.glob(f"{name}-*-table*.csv"))) == tables, name
        for png in pngs:
            assert png.with_suffix(".svg").exists(), png.name
            assert f'href="{png.name}"' in page and f'href="{png.with_suffix(".svg").name}"' in page
            assert _dpi(png) >= 150, png.name
        for csv in out.glob(f"{name}-*-table*.csv"):
            assert f'href="{csv.name}"' in page, csv.name
    assert sum(1 for _ in out.glob("*-figure*.png")) >= 10


def _dpi(png: Path) -> float:
    """The resolution written in a PNG's pHYs chunk (dots per inch)."""
    data = png.read_bytes()
    i = data.find(b"pHYs")
    x = int.from_bytes(data[i + 4:i + 8], "big")
    return x * 0.0254


def test_no_cell_draws_a_figure_twice(scale_report):
    out, _ = scale_report
    for name, nb in _notebooks(out).items():
        for cell in nb["cells"]:
            images = [base64.b64decode(o["data"]["image/png"]) for o in cell.get("outputs", [])
                      if "image/png" in o.get("data", {})]
            assert len(images) == len(set(images)), (name, cell["id"])


def test_long_tables_are_cut_and_linked(scale_report):
    out, _ = scale_report
    page = (out / "00_corpus.html").read_text()
    assert re.search(r"The first 30 of 300 rows; 270 more are in the full table", page)
    documents = next(out.glob("00_corpus-documents-table1.csv"))
    assert len(documents.read_text().splitlines()) == 301


def test_index_links_tables_inputs_and_glossary(scale_report):
    out, _ = scale_report
    index = (out / "index.html").read_text()
    for target in ("tables.zip", "inputs.csv", "glossary.html"):
        assert f'href="{target}"' in index
    assert index.count("<tr><td>") < 60                       # inputs are linked, not listed inline
    with zipfile.ZipFile(out / "tables.zip") as z:
        assert set(z.namelist()) == {p.name for p in out.glob("*.csv")}
    assert (out / "glossary.html").exists() and (out / "glossary.md").exists()
    for name in _notebooks(out):
        page = (out / f"{name}.html").read_text()
        assert 'href="index.html"' in page
        assert 'href="glossary.md"' not in page


def test_no_noise_in_the_terminal(scale_report):
    _, run = scale_report
    text = re.sub(r"notebooks:[^\r\n]*", "", run.stderr)        # the progress bar
    assert "without encryption" not in run.stderr
    assert "Warning" not in text and "WARNING" not in text, text[-2000:]


def test_figures_of_the_scale_report(scale_report):
    """Charts that scale: attention per period with at most 12 named series,
    sentiment over time as small multiples."""
    out, _ = scale_report
    nb = _notebooks(out)["04_timeline"]
    headline = next(c for c in nb["cells"] if c["id"] == "04-04")
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in headline["outputs"])
    assert "other (19 outlets)" in html                        # 11 named outlets + other


def test_per_outlet_numbers_equal_analyse(scale_report, tmp_path):
    """The report's per-outlet sentiment (02_sentiment, the blend of the
    study's voice 'all') and article counts are analyse's numbers on the same
    corpus: blend = 0.65 VADER + 0.35 TextBlob, and the mean of a weighted
    sum is the weighted sum of the means (same sentences in both)."""
    import pandas as pd
    from researchlib.cli import main
    out, _ = scale_report
    corpus = out.parent / "c"
    assert main(["analyse", str(corpus), "--manifest", str(corpus / "manifest.csv"), "--out", str(tmp_path / "A"),
                 "--cache", str(tmp_path / "cache")]) == 0
    summary = pd.read_csv(tmp_path / "A" / "summary.csv").set_index("outlet")
    report = pd.read_csv(out / "02_sentiment-method-table1.csv").set_index("outlet")
    assert len(report) == 30 and set(report.index) == set(summary.index)
    assert (report["n_docs"] == summary.loc[report.index, "n_docs"]).all()
    assert (report["n_sentences"] == summary.loc[report.index, "n_sentences"]).all()
    blend = 0.65 * summary["vader_mean"] + 0.35 * summary["textblob_mean"]
    assert (report["mean"] - blend.loc[report.index]).abs().max() < 0.0006     # the page rounds to 3 decimals
