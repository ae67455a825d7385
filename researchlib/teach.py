"""``researchlib teach``: student and instructor editions and a course page.

* ``student/``: every study notebook with the cells tagged ``solution``
  removed and outputs cleared (cells tagged ``exercise`` stay: they run as
  given, with a ``...`` placeholder), plus ``glossary.md``.
* ``instructor/``: the full notebooks executed and rendered with code shown,
  by the report pipeline (:func:`researchlib.report.build_report`).
* ``index.html``: the course page, in teaching order, with each notebook's
  objectives, time and prerequisites, linking the rendered instructor edition
  and the student notebooks to download. Offline, no scripts.

The whole kit is built in a temporary sibling folder and swapped in when
complete, under the rules of :mod:`researchlib.outputs` (never replaces a
folder it did not write, nor one holding an input; one run at a time).
"""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat

from .outputs import OutputBuild
from .paths import MANIFEST, NOTEBOOKS, SEEDS
from .report import CSP, OUTPUT_FILES, build_report, notebook_list, notebook_title

__all__ = ["build_teaching_kit", "student_edition", "objectives"]


def student_edition(nb):
    """A copy of ``nb`` without solution cells and without outputs."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return nb


def objectives(nb) -> list[str]:
    """The bullet points under "What you will learn"."""
    for c in nb.cells:
        if c.cell_type == "markdown" and "What you will learn" in c.source:
            part = c.source.split("What you will learn", 1)[1]
            return [m.strip() for m in re.findall(r"^- (.+)$", part, re.M)]
    return []


#: Files of a kit (relative paths), for ``--force`` on a kit written before
#: output folders carried a marker.
KIT_FILES = rf"index\.html|student/[^/]+\.(?:ipynb|md)|instructor/(?:{OUTPUT_FILES})"


def build_teaching_kit(out="teaching", corpus=None, manifest=None, columns=None, notebooks=None,
                       progress=True, force=False, study=None) -> Path:
    """Write ``out/student``, ``out/instructor`` and ``out/index.html``;
    ``study``, ``corpus``, ``manifest``, ``columns``: as for
    :func:`researchlib.report.build_report`."""
    src = Path(notebooks or NOTEBOOKS)
    nbs = notebook_list(src)
    inputs = {"corpus": corpus or SEEDS, "manifest": manifest or (None if corpus else MANIFEST),
              "notebooks folder": src, **({"study file": study} if isinstance(study, (str, Path)) else {})}
    build = OutputBuild(out, command="teach", inputs=inputs, force=force, shape=KIT_FILES, required="index.html")
    with build as tmp:
        _write_kit(tmp, src, nbs, corpus, manifest, columns, progress, study)
    return build.out


def _write_kit(out, src, nbs, corpus, manifest, columns, progress, study=None):
    student = out / "student"
    student.mkdir()
    entries = []
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        nbformat.write(student_edition(nb), student / p.name)
        meta = nb.metadata.get("researchlib", {})
        entries.append({"name": p.stem, "title": notebook_title(nb), "objectives": objectives(nb),
                        "minutes": meta.get("minutes", ""), "prerequisites": meta.get("prerequisites", ""),
                        "order": meta.get("order", 99)})
    if (src / "glossary.md").exists():
        shutil.copy(src / "glossary.md", student / "glossary.md")
    build_report(corpus, manifest, columns, out / "instructor", show_code=True, notebooks=src, progress=progress,
                 study=study)
    entries.sort(key=lambda e: (e["order"], e["name"]))
    (out / "index.html").write_text(_course_page(entries), encoding="utf-8")


def _emphasis(escaped: str) -> str:
    """Markdown *italics* -> <em> in already-escaped text."""
    return re.sub(r"\*([^*<>]+)\*", r"<em>\1</em>", escaped)


def _course_page(entries) -> str:
    e = html.escape
    rows = []
    for i, x in enumerate(entries, 1):
        objs = "".join(f"<li>{_emphasis(e(o))}</li>" for o in x["objectives"])
        rows.append(f"""<section class="nb"><h2>{i}. {e(x['title'])}</h2>
<p class="meta">About {e(str(x['minutes']))} minutes · prerequisites: {e(str(x['prerequisites']))}</p>
<ul>{objs}</ul>
<p><a href="instructor/{e(x['name'])}.html">instructor edition (rendered, with solutions)</a> ·
<a href="student/{e(x['name'])}.ipynb" download>student notebook (download)</a></p></section>""")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP}<title>researchlib course</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 900px; margin: 2rem auto; padding: 0 1rem; }}
.nb {{ border-left: 4px solid #2471a3; padding: .2rem 1rem; margin: 1rem 0; background: #f7f9fb; }}
.meta {{ color: #555; font-size: .9rem; }}</style></head><body>
<h1>How outlets cover the same event: a course with researchlib</h1>
<p>Work through the notebooks in this order in JupyterLab. Each ends with exercises; the instructor
edition shows worked solutions. Terms are explained in the <a href="student/glossary.md">glossary</a>.</p>
{''.join(rows)}
</body></html>
"""
