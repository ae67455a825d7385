"""``researchlib teach``: student and instructor editions and a course page.

* ``student/``: every study notebook with the cells tagged ``solution``
  removed and outputs cleared (cells tagged ``exercise`` stay: they run as
  given, with a ``...`` placeholder), plus ``glossary.md``.
* ``instructor/``: the full notebooks executed and rendered with code shown,
  by the report pipeline (:func:`researchlib.report.build_report`).
* ``reader/``: the same executed notebooks rendered for readers (code
  hidden; each exercise is its question and worked answer), by
  :func:`researchlib.report.render_html`.
* ``index.html``: the course page, in teaching order, with each notebook's
  objectives, time and prerequisites, linking the rendered instructor edition
  and the student notebooks to download. Offline, no scripts.

Method
------
**Course order** (:func:`course_order`): each notebook declares the notebooks
it needs in its metadata (``researchlib.prerequisites``, a list of notebook
names); the order is a topological sort of that graph, stable by number (of
the notebooks whose prerequisites are all placed, the lowest-numbered comes
next; Kahn 1962). A cycle, or a prerequisite that names no notebook of the
folder, stops the build with a message naming them.

**Three renderings of an exercise.** An exercise is a markdown prompt
(``**Exercise N.**``, phrased as a question: it reads right in every
edition), a code cell tagged ``exercise`` (the starter: what the student
types is in place of ``...``, with the instruction as a comment) and cells
tagged ``solution`` (the worked answer: code, and optionally prose). The
student edition drops the ``solution`` cells; the instructor edition keeps
all; the reader report (code hidden) drops the ``exercise`` cells
(:func:`reader_edition`), so a reader sees the question, the prose answer and
the answer's table or figure.

Known limits
------------
The prose of a worked answer is written for any corpus (it says how to read
the table); the numbers are in the table the solution computes. A student
notebook keeps the question and starter of an exercise whose solution reads
variables of earlier cells: run the notebook from the top.

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

from .errors import ReportError
from .outputs import OutputBuild
from .paths import MANIFEST, NOTEBOOKS, SEEDS
from .report import CSP, OUTPUT_FILES, build_report, notebook_list, notebook_title, reader_edition, render_html

__all__ = ["build_teaching_kit", "student_edition", "reader_edition", "objectives", "prerequisites",
           "course_order", "TeachError"]


class TeachError(ReportError):
    """The notebooks' declared prerequisites do not give a course order."""


def student_edition(nb):
    """A copy of ``nb`` without solution cells and without outputs."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return nb


def prerequisites(nb) -> list[str]:
    """The notebook names in ``metadata.researchlib.prerequisites`` (a list;
    a comma-separated string and "none" are read too)."""
    pre = nb.metadata.get("researchlib", {}).get("prerequisites", [])
    if isinstance(pre, str):
        pre = [] if pre.strip().lower() in ("", "none") else pre.split(",")
    return [str(p).strip() for p in pre if str(p).strip()]


def course_order(declared: dict) -> list[str]:
    """Notebook names in an order that honours ``declared`` ({name: [names it
    needs]}): a topological sort, stable by name (the notebooks are numbered).
    Raises TeachError on an unknown prerequisite or a cycle."""
    unknown = sorted({(n, p) for n, pre in declared.items() for p in pre if p not in declared})
    if unknown:
        raise TeachError("unknown prerequisite: " + "; ".join(f"{n} needs {p!r}, which is not a notebook here"
                                                          for n, p in unknown)
                         + f" (notebooks: {', '.join(sorted(declared))})")
    order, placed = [], set()
    while len(order) < len(declared):
        ready = sorted(n for n, pre in declared.items() if n not in placed and set(pre) <= placed)
        if not ready:
            left = {n: sorted(set(pre) - placed) for n, pre in declared.items() if n not in placed}
            raise TeachError("the prerequisites form a cycle: " + "; ".join(f"{n} needs {', '.join(p)}"
                                                                          for n, p in sorted(left.items()))
                             + ". Fix metadata.researchlib.prerequisites of these notebooks")
        order.append(ready[0])
        placed.add(ready[0])
    return order


def objectives(nb) -> list[str]:
    """The bullet points under "What you will learn"."""
    for c in nb.cells:
        if c.cell_type == "markdown" and "What you will learn" in c.source:
            part = c.source.split("What you will learn", 1)[1]
            return [m.strip() for m in re.findall(r"^- (.+)$", part, re.M)]
    return []


#: Files of a kit (relative paths), for ``--force`` on a kit written before
#: output folders carried a marker.
KIT_FILES = rf"index\.html|student/[^/]+\.(?:ipynb|md)|instructor/(?:{OUTPUT_FILES})|reader/[^/]+\.html"


def build_teaching_kit(out="teaching", corpus=None, manifest=None, columns=None, notebooks=None,
                       progress=True, force=False, study=None) -> Path:
    """Write ``out/student``, ``out/instructor``, ``out/reader`` and ``out/index.html``;
    ``study``, ``corpus``, ``manifest``, ``columns``: as for
    :func:`researchlib.report.build_report`."""
    src = Path(notebooks or NOTEBOOKS)
    nbs = notebook_list(src)
    declared = {p.stem: prerequisites(nbformat.read(p, as_version=4)) for p in nbs}
    order = course_order(declared)       # a cycle or an unknown prerequisite stops here, before anything runs
    inputs = {"corpus": corpus or SEEDS, "manifest": manifest or (None if corpus else MANIFEST),
              "notebooks folder": src, **({"study file": study} if isinstance(study, (str, Path)) else {})}
    build = OutputBuild(out, command="teach", inputs=inputs, force=force, shape=KIT_FILES, required="index.html")
    with build as tmp:
        _write_kit(tmp, src, nbs, corpus, manifest, columns, progress, study, declared, order)
    return build.out


def _write_kit(out, src, nbs, corpus, manifest, columns, progress, study, declared, order):
    student = out / "student"
    student.mkdir()
    entries = []
    rank = {n: i for i, n in enumerate(order)}
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        nbformat.write(student_edition(nb), student / p.name)
        meta = nb.metadata.get("researchlib", {})
        entries.append({"name": p.stem, "title": notebook_title(nb), "objectives": objectives(nb),
                        "minutes": meta.get("minutes", ""), "prerequisites": declared[p.stem],
                        "order": rank[p.stem]})
    if (src / "glossary.md").exists():
        shutil.copy(src / "glossary.md", student / "glossary.md")
    build_report(corpus, manifest, columns, out / "instructor", show_code=True, notebooks=src, progress=progress,
                 study=study)
    reader = out / "reader"
    reader.mkdir()
    for p in nbs:      # the executed notebooks again, code hidden: no second run
        executed = nbformat.read(out / "instructor" / p.name, as_version=4)
        (reader / f"{p.stem}.html").write_text(render_html(executed, show_code=False), encoding="utf-8")
    entries.sort(key=lambda e: e["order"])
    (out / "index.html").write_text(_course_page(entries), encoding="utf-8")


def _emphasis(escaped: str) -> str:
    """Markdown *italics* -> <em> in already-escaped text."""
    return re.sub(r"\*([^*<>]+)\*", r"<em>\1</em>", escaped)


def _course_page(entries) -> str:
    e = html.escape
    rows = []
    titles = {x["name"]: f'{i}. {x["title"] or x["name"]}' for i, x in enumerate(entries, 1)}
    for i, x in enumerate(entries, 1):
        objs = "".join(f"<li>{_emphasis(e(o))}</li>" for o in x["objectives"])
        pre = ", ".join(f'<a href="#{e(p)}">{e(titles.get(p, p))}</a>' for p in x["prerequisites"]) or "none"
        minutes = f"About {e(str(x['minutes']))} minutes · " if x["minutes"] else ""
        rows.append(f"""<section class="nb" id="{e(x['name'])}"><h2>{i}. {e(x['title'])}</h2>
<p class="meta">{minutes}prerequisites: {pre}</p>
<ul>{objs}</ul>
<p><a href="instructor/{e(x['name'])}.html">instructor edition (rendered, with solutions)</a> ·
<a href="reader/{e(x['name'])}.html">reader edition (code hidden, worked answers)</a> ·
<a href="student/{e(x['name'])}.ipynb" download>student notebook (download)</a></p></section>""")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP}<title>researchlib course</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 900px; margin: 2rem auto; padding: 0 1rem; }}
.nb {{ border-left: 4px solid #2471a3; padding: .2rem 1rem; margin: 1rem 0; background: #f7f9fb; }}
.meta {{ color: #555; font-size: .9rem; }}</style></head><body>
<h1>How outlets cover the same event: a course with researchlib</h1>
<p>Work through the notebooks in this order in JupyterLab (it follows the prerequisites each notebook
declares). Each ends with exercises; the instructor
edition shows worked solutions. Terms are explained in the <a href="student/glossary.md">glossary</a>.</p>
{''.join(rows)}
</body></html>
"""
