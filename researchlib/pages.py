"""The report's pages: files beside each page, links, navigation, size.

Method
------
* **Files named after the section.** While a notebook runs in a report,
  :mod:`researchlib.plots` saves every figure shown (PNG at 150 dpi and SVG)
  and every :func:`~researchlib.plots.evidence` table in full (CSV with
  formula cells neutralised, and Parquet) under a pending name, and marks
  the output. :func:`export_outputs` walks the executed notebook, names each
  file after the notebook and the section it sits in
  (``03_terms-kwic-the-evidence-for-every-count-table1.csv``), moves it into
  the report folder and adds a link line under the figure or table.
* **Navigation.** :func:`finish_page` puts a bar at the top of every page
  (back to the index, the glossary) and points ``glossary.md`` links at the
  rendered glossary, which :func:`write_glossary` writes beside the pages
  (``glossary.html``, and ``glossary.md`` as it is).
* **Tables of the report.** :func:`write_tables_zip` zips every CSV of the
  report into ``tables.zip`` for the index to link.

Known limits
------------
Only tables shown with ``plots.evidence`` are exported; a DataFrame left as a
cell's value (exercise solutions) stays in the page only. Section names come
from the nearest Markdown heading above the cell.
"""
from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

__all__ = ["export_outputs", "finish_page", "write_glossary", "write_tables_zip", "MAX_PAGE_BYTES", "slug"]

#: No page of the report may be larger than this.
MAX_PAGE_BYTES = 5 * 1024 * 1024

NAV_STYLE = ("font-family:system-ui,sans-serif;font-size:.9rem;padding:.4rem 1rem;background:#eef4fb;"
             "border-bottom:1px solid #d0dbe8")
LINK_STYLE = "font-family:system-ui,sans-serif;font-size:.85rem;color:#555;margin:.2rem 0 1rem"


def slug(text: str, max_chars=40) -> str:
    """A file-name part from a heading: lower case words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > max_chars:
            break
        out = f"{out}-{w}" if out else w
    return out or "section"


def _heading(source: str):
    m = re.search(r"^#{1,6}\s+(.+)$", source, re.M)
    return m.group(1).strip() if m else None


def _link_output(kind, files):
    e = html.escape
    links = " · ".join(f'<a href="{e(f)}">{e(label)}</a>' for label, f in files)
    text = f'<p class="researchlib-files" style="{LINK_STYLE}">{kind}: {links}</p>'
    from nbformat import from_dict
    return from_dict({"output_type": "display_data", "metadata": {},
                      "data": {"text/html": text, "text/plain": f"{kind}: " + ", ".join(f for _, f in files)}})


def export_outputs(nb, stem: str, pending: Path, out: Path) -> dict:
    """Move the files the kernel saved under pending names into ``out``, named
    after ``stem`` and the section, and add a link line under each output.
    Returns {"figures": [...], "tables": [...]} (file names without suffix)."""
    pending, out = Path(pending), Path(out)
    section = "top"
    seen = Counter()
    done = {"figures": [], "tables": []}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            h = _heading(cell.source)
            if h:
                section = slug(h)
            continue
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            outputs.append(o)
            md = o.get("metadata", {}) or {}
            fig = (md.get("image/png") or {}).get("researchlib_figure")
            table = (md.get("researchlib") or {}).get("table")
            for kind, pend, suffixes, labels in (("figure", fig, (".png", ".svg"), ("PNG", "SVG")),
                                                 ("table", table, (".csv", ".parquet"), ("CSV", "Parquet"))):
                if not pend:
                    continue
                seen[(section, kind)] += 1
                name = f"{stem}-{section}-{kind}{seen[(section, kind)]}"
                files = []
                for suffix, label in zip(suffixes, labels):
                    src = pending / f"{pend}{suffix}"
                    if src.exists():
                        shutil.move(str(src), out / f"{name}{suffix}")
                        files.append((label, f"{name}{suffix}"))
                if files:
                    done[f"{kind}s"].append(name)
                    outputs.append(_link_output("This " + kind, files))
        cell["outputs"] = outputs
    return done


def finish_page(page: str, *, index="index.html", glossary="glossary.html") -> str:
    """A rendered page with a navigation bar and working glossary links."""
    e = html.escape
    nav = (f'<nav class="researchlib-nav" style="{NAV_STYLE}"><a href="{e(index)}">&larr; report index</a>'
           f' · <a href="{e(glossary)}">glossary</a></nav>')
    page = re.sub(r'href="(?:\./)?glossary\.md"', f'href="{e(glossary)}"', page)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, page, count=1)


def write_glossary(src: Path, out: Path, csp: str = "") -> bool:
    """``glossary.md`` copied as it is and rendered as ``glossary.html``."""
    src = Path(src)
    if not src.exists():
        return False
    import mistune
    text = src.read_text(encoding="utf-8")
    shutil.copy(src, Path(out) / "glossary.md")
    body = mistune.html(text)
    (Path(out) / "glossary.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{csp}<title>Glossary</title>'
        '<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;'
        'line-height:1.5;color:#222}</style></head><body>'
        '<p><a href="index.html">&larr; report index</a></p>' + body + "</body></html>\n", encoding="utf-8")
    return True


def write_tables_zip(out: Path, name="tables.zip") -> Path | None:
    """Every CSV of the report in one zip (None when there is none)."""
    out = Path(out)
    csvs = sorted(out.glob("*.csv"))
    if not csvs:
        return None
    path = out / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in csvs:
            z.write(f, f.name)
    return path
