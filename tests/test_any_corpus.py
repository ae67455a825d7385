"""Every notebook runs on every valid corpus: the full report (all notebooks,
default parameters) on corpora of each shape, generated here. Each section
either computes or says in one sentence why it cannot.

Ten corpus shapes used to get a report each (70 notebook runs, most of the
suite's time). A report runs every notebook on one corpus, so shapes that do
not interfere are combined into one corpus: four reports cover every shape and
every sentence the ten checked.

* ``single_undated_folder``: one .txt file, no manifest, no quotation
  (shapes one_document, no_manifest, no_quotes): the title says "1 article
  from 1 outlet, undated"; the outlet is "(unknown)"; keyness needs two
  outlets; no publication date; no quotation; no sentiment targets given.
* ``fifty_outlets_mapped``: a table with headline/source/date columns mapped
  by the user, 100 articles from 50 outlets (shapes fifty_outlets,
  headline_source_date, one_outlet's "no key events"): the title counts
  articles, outlets and the date range through the mapping; no key events.
* ``study_no_match_undated``: the bundled study on three undated outlets whose
  articles name none of its targets and use none of its terms (shapes
  no_target, no_terms, no_dates): one sentence each, with the target and group
  names.
* ``by_country``: the bundled study on another folder compared by country: the
  masked comparison keeps every country (issue 21 item 1).

The two neutral reports also check that nothing of the bundled study shows
and that the generic codebook is used. Heavy (a full report per case, about
20-40 s each on two cores); the 20,000-document case is
benchmarks/report_any_corpus.py.
"""
import csv
import html
import re
import time

import nbformat
import pytest

from researchlib.paths import STUDY
from researchlib.report import build_report, notebook_list

pytestmark = pytest.mark.slow

PAGES = [p.stem for p in notebook_list()]      # every study notebook, 06_validation included

# sentences without any bundled term, target alias, quote mark or reporting cue
PLAIN = ["The new bridge opened to traffic in the morning.", "Shops along the river had more visitors.",
         "The council approved the budget for the coming year.", "Rain delayed the football match by an hour.",
         "Farmers expect a good harvest after a mild spring.", "The museum will extend its opening hours."]
QUOTED = ['"We will repair the roads before winter," the mayor said.',
          'Residents told reporters that "the buses are always late".']


def _text(i, extra=()):
    """Two paragraphs of plain sentences, ``extra`` opening the second; unique per ``i``."""
    body = [PLAIN[(i + k) % len(PLAIN)] for k in range(4)]
    return " ".join(body[:2]) + f" Edition {i} went to print early.\n\n" + " ".join([*extra, *body[2:]])


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _case(kind, tmp):
    """(build_report keyword arguments, expectations) for one corpus shape."""
    if kind == "single_undated_folder":
        folder = tmp / "folder"
        folder.mkdir()
        (folder / "a0.txt").write_text(_text(0), encoding="utf-8")
        return {"corpus": folder}, {"title": "1 article from 1 outlet, undated",
                                    "00_corpus": "(unknown)",
                                    "02_sentiment": "No sentiment targets given",
                                    "03_terms": "Keyness needs at least two outlets; this corpus has one.",
                                    "04_timeline": "No article has a publication date",
                                    "05_sources": "No quotation found in the 1 article."}
    if kind == "fifty_outlets_mapped":   # acceptance: a table named as people name columns
        rows = [[_text(i, QUOTED[i % 2:i % 2 + 1]), f"Source {i % 50:02d}", f"2024-{1 + i % 3:02d}-{1 + i % 28:02d}"]
                for i in range(100)]
        p = _write_csv(tmp / "headlines.csv", ["headline", "source", "date"], rows)
        return ({"corpus": p, "columns": {"text": "headline", "outlet": "source", "published": "date"}},
                {"title": "100 articles from 50 outlets, 2024-01-01 to 2024-03-28",
                 "04_timeline": "no key events given to compare with",
                 "02_sentiment": "No sentiment targets given"})
    if kind == "study_no_match_undated":   # the bundled study's targets and term groups, named nowhere
        rows = [[_text(i, QUOTED[:1]), f"Outlet {'ABC'[i % 3]}"] for i in range(6)]
        p = _write_csv(tmp / "no_match.csv", ["text", "outlet"], rows)
        return {"study": STUDY, "corpus": p}, {
            "02_sentiment": "No sentence mentions any of the targets (Russia, China, US and the West, Ukraine).",
            "03_terms": "No term of the groups 'war', 'crisis' occurs in the corpus.",
            "04_timeline": "No article has a publication date, so nothing can be placed on a time axis."}
    if kind == "by_country":      # the bundled study on another folder, compared by country
        folder = tmp / "countries"
        folder.mkdir()
        lines = ["file,outlet,country,outlet_type,published"]
        spec = [("Alpha", "Freedonia", "public"), ("Beta", "Freedonia", "private"), ("Gamma", "Sylvania", "public"),
                ("Delta", "Sylvania", "private"), ("Eps", "Ruritania", "public"), ("Zeta", "Ruritania", "private")]
        for i, (outlet, country, kind_) in enumerate(spec):
            named = ["Russia called the war a special military operation.", "China urged dialogue to end the crisis."]
            (folder / f"{outlet}.txt").write_text(_text(i, [*named, QUOTED[i % 2]]), encoding="utf-8")
            lines.append(f"{outlet}.txt,{outlet},{country},{kind_},2024-02-1{i}")
        (tmp / "countries.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return ({"study": STUDY, "corpus": folder, "manifest": tmp / "countries.csv", "params": {"by": "country"}},
                {"masked_units": {"Freedonia", "Sylvania", "Ruritania"}})
    raise ValueError(kind)


KINDS = ["single_undated_folder", "fifty_outlets_mapped", "study_no_match_undated", "by_country"]


def _text_of(page):
    """What a reader sees: tags, styles and scripts removed, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("kind", KINDS)
def test_full_report_on_any_corpus(kind, tmp_path):
    kwargs, expect = _case(kind, tmp_path)
    started = time.perf_counter()
    out = build_report(out=tmp_path / "R", progress=False, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{kind}: {seconds:.0f} s")
    index = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<section class="card">(.*?)</section>', index, re.S)
    assert len(cards) == len(PAGES) and "Failed" not in index
    assert "0 inputs rejected" in index
    assert all(re.search(r"<p>\S[^<]*</p>", c) for c in cards), "every card states a finding"
    if "title" in expect:
        assert f"<h1>{expect['title']}</h1>" in index
    if "study" not in kwargs:          # neutral defaults: nothing of the bundled study
        assert "Xi" not in _text_of(index) and "Putin" not in _text_of(index)
        book = next(c for c in nbformat.read(out / "01_framing.ipynb", as_version=4).cells if c.get("id") == "01-04")
        assert "Semetko" in book.outputs[0]["text"]      # the generic codebook's citation
    for name in PAGES:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        problem = re.search(r".{0,200}(?:Traceback|Error\b).{0,200}", _text_of(page))
        assert problem is None, (name, problem and problem.group(0))
        if name in expect:
            assert expect[name] in _text_of(page), (name, expect[name])
    if "masked_units" in expect:       # by=country: the masked comparison keeps every country
        nb = nbformat.read(out / "02_sentiment.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.get("id") == "02-10")
        shown = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        assert all(u in shown for u in expect["masked_units"]), shown[:500]
