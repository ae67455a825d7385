"""``researchlib report``: run every notebook with papermill, render each to a
self-contained HTML page with nbconvert, and write an index with provenance.

* Notebooks run in parallel (one worker process per core, each executing and
  rendering in-process: no CLI process per step).
* Parameters: the shared ones (study, corpus, manifest, columns) go to each
  notebook whose ``parameters`` cell names them; corpus, manifest and columns
  come only from ``--corpus``, ``--manifest`` and the column options (so the
  index, corpus hash and inputs table describe the corpus the notebooks read),
  the study from ``--study`` (or ``-p study FILE``). ``-p KEY VALUE`` must be
  accepted by at least one selected notebook and is data, never code: JSON-like
  values of the declared type only, and the injected parameters cell is
  checked to hold nothing but literals before anything runs (``parameters.py``).
  The study (:mod:`researchlib.study`: a file, or neutral defaults for a corpus
  given without one) is read and checked, and the corpus loaded, before any
  notebook runs: a corpus with no loadable document stops here with one message.
* The index is titled by the study (or, without one, by the corpus).
* Offline and safe: no script, stylesheet or font is fetched from the network
  (CDN references are removed) and a Content-Security-Policy forbids every
  script, so hostile article text cannot run; tables escape text.
* Atomic and safe for the user's files (:mod:`researchlib.outputs`): the
  report is built in a temporary sibling folder and swapped in only when every
  notebook succeeded (a failing or killed run leaves the previous report); it
  never replaces a folder it did not write, nor one holding an input; one run
  per output folder at a time. Workers (and their kernels) exit when the run
  is killed (:mod:`researchlib.workers`). With ``keep_going=True``
  (``--keep-going``) the report is swapped in anyway: a failed notebook's page
  says which cell failed and why, its executed notebook is kept for debugging,
  and ReportError is still raised.
* Pages stay small and their data reusable (:mod:`researchlib.pages`): every
  figure is also saved as PNG (150 dpi) and SVG and every table in full as
  CSV and Parquet, named after the section and linked under it; the index
  links ``tables.zip`` (every CSV) and ``inputs.csv``; every page links back
  to the index and to ``glossary.html``.
* Quiet: kernels log errors only (no "running over TCP" notice), and the
  notice a kernel logs when it is interrupted at shutdown
  (:func:`kernel_stderr`; every other line of a kernel's stderr still
  reaches the terminal); one progress bar counts the notebooks.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib import metadata
from pathlib import Path

from .errors import ParameterError, ReportError
from .outputs import OutputBuild
from .pages import write_glossary, write_tables_zip
from .safe_text import neutralise_formulas
from .parameters import check_literal_cell, check_parameters, injected_cell, notebook_parameters
from .paths import MANIFEST, NOTEBOOKS, ROOT, SEEDS
from .prefill import fill, report_calls
from .store import ENV, PIN_ENV, cache_root, pin_of
from .workers import die_with_parent

__all__ = ["build_report", "notebook_list", "render_html", "reader_edition", "ReportError", "ParameterError"]

CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "img-src data:; style-src 'unsafe-inline'; font-src data:\">")
SHARED = ("study", "corpus", "manifest", "columns")
SHARED_OPTIONS = {"corpus": "--corpus PATH (build_report(corpus=...))",
                  "manifest": "--manifest PATH (build_report(manifest=...))",
                  "columns": "the column options --text, --outlet, --published, ... (build_report(columns=...))"}
#: Parameters that name files: a relative path is resolved against the
#: working directory of the caller (notebooks run in notebooks/).
PATH_PARAMETERS = ("study", "events", "targets", "groups", "codebook", "speakers", "validation")
#: Notebook parameters that are also study settings (checked before any notebook runs).
STUDY_PARAMETERS = ("by", "voice", "codebook", "groups", "targets", "events", "speakers", "focus")
DEPENDENCIES = ["pandas", "numpy", "matplotlib", "nltk", "textblob", "vaderSentiment", "scipy",
                "papermill", "nbconvert", "nbformat", "pyyaml", "pyarrow"]
#: Inputs listed on the index page (all of them in inputs.csv).
INPUT_ROWS = 10
#: Files of a report (relative paths), for ``--force`` on a report written
#: before output folders carried a marker.
OUTPUT_FILES = r"[^/]+\.(?:html|ipynb|csv|parquet|png|svg)|provenance\.json|tables\.zip|glossary\.md"
#: Kernel options: log errors only (not the notice that the kernel talks over local TCP).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
#: How a bundled notebook's kernel stops: at once when its last cell has run (every output
#: has arrived by then: nbclient waits for each cell to finish) instead of being asked to
#: shut down and waited for (0.5-0.9 s per notebook, ~1.8 s of the seed report on two
#: workers). It keeps no state worth saving: its input history is off
#: (``HistoryManager.enabled``), and the bundled notebooks write files only through
#: researchlib, which closes them. A notebook from another folder (``notebooks=``) may
#: leave a file open or register an exit handler: its kernel is shut down gracefully.
KERNEL_SHUTDOWN = "immediate"
#: What a kernel writes to the terminal at every shutdown (jupyter_client interrupts the kernel
#: before it asks it to stop; ipykernel logs that as an error when a message is being handled):
#: not an error of the notebook, so it is not passed on. Every other line is.
SHUTDOWN_NOTICE = re.compile(r"^\[IPKernelApp\] ERROR \| KeyboardInterrupt caught in kernel\.?\s*$")


def notebook_list(folder=None, only=None):
    folder = Path(folder or NOTEBOOKS)
    nbs = sorted(p for p in folder.glob("*.ipynb") if re.match(r"^\d\d_", p.name))
    if only:
        wanted = set(only)
        picked = [p for p in nbs if p.stem in wanted or p.stem[3:] in wanted or p.stem[:2] in wanted]
        missing = wanted - {p.stem for p in picked} - {p.stem[3:] for p in picked} - {p.stem[:2] for p in picked}
        if missing:
            raise ReportError(f"--only: no notebook named {sorted(missing)}; notebooks: {[p.stem for p in nbs]}")
        nbs = picked
    return nbs


def _strip_network(page: str) -> str:
    page = re.sub(r"<script[^>]*\bsrc=[\"'](?:https?:)?//[^\"']*[\"'][^>]*>\s*</script>", "", page, flags=re.I)
    page = re.sub(r"<link[^>]*\bhref=[\"'](?:https?:)?//[^\"']*[\"'][^>]*>", "", page, flags=re.I)
    page = re.sub(r"@import\s+url\([\"']?(?:https?:)?//[^)]*\)\s*;?", "", page, flags=re.I)
    return page.replace("<head>", "<head>\n" + CSP, 1)


def reader_edition(nb):
    """A copy of ``nb`` for readers (code hidden): without the starter cells
    tagged ``exercise`` (their ``...`` placeholder means nothing to a reader;
    the question and the cells tagged ``solution`` stay)."""
    import nbformat
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if "exercise" not in c.metadata.get("tags", [])]
    return nb


def render_html(nb_node, show_code=False) -> str:
    """One executed notebook -> a self-contained HTML page."""
    from nbconvert import HTMLExporter
    exp = HTMLExporter(template_name="lab")
    exp.exclude_input = not show_code
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    if not show_code:       # readers: the question and its worked answer, without the student's starter cells
        nb_node = reader_edition(nb_node)
    for trait in ("mathjax_url", "require_js_url", "jquery_url", "widget_renderer_url"):
        if exp.has_trait(trait):
            setattr(exp, trait, "")
    body, _ = exp.from_notebook_node(nb_node)
    return _strip_network(body)


def _no_format(path) -> str:
    return str(path).replace("{", "{{").replace("}", "}}")


def _failure_banner(name, error, source):
    e = html.escape
    return (f'<div style="border:2px solid #c0392b;background:#fdecea;padding:.6rem 1rem;margin:1rem;'
            f'font-family:system-ui,sans-serif"><strong>This notebook failed.</strong> {e(error)}<br>'
            f'The cells after it did not run. The failing cell:<pre style="white-space:pre-wrap">{e(source)}</pre>'
            f'The executed notebook is kept for debugging: <a href="{e(name)}.ipynb">{e(name)}.ipynb</a></div>')


def _run_one(nb_path: str, out_dir: str, params: dict, show_code: bool, home: str, keep_going=False, pin=None):
    """Worker: execute one notebook and render it (runs in a child process).
    With ``keep_going`` a failed notebook is rendered too, with a banner."""
    import shutil
    import tempfile
    pending = tempfile.mkdtemp(prefix="researchlib-export-")
    try:
        return _execute_one(nb_path, out_dir, params, show_code, home, keep_going, Path(pending), pin)
    finally:
        shutil.rmtree(pending, ignore_errors=True)


def _page(nb, stem, pending, out_dir, show_code, banner=None):
    """Name and link the figure and table files, then render the page."""
    import nbformat
    from .pages import export_outputs, finish_page
    export_outputs(nb, stem, pending, out_dir)
    nbformat.write(nb, out_dir / f"{stem}.ipynb")
    page = finish_page(render_html(nb, show_code))
    if banner:
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, page, count=1)
    (out_dir / f"{stem}.html").write_text(page, encoding="utf-8")


def _quiet_worker():
    """Library notices (deprecations, papermill's and nbconvert's logging)
    are not the user's to act on: they stay out of the terminal; a failing
    notebook is reported by its exception."""
    import logging
    import warnings
    warnings.simplefilter("ignore")
    for name in ("papermill", "nbclient", "nbconvert", "traitlets", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextlib.contextmanager
def kernel_stderr(drop=SHUTDOWN_NOTICE):
    """While a notebook runs, what its kernel (a child process sharing this
    process's stderr) writes there is caught; afterwards every line but
    those matching ``drop`` (the shutdown notice) goes on to stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            lines = caught.read().decode("utf-8", "replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not drop.match(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


def _execute_one(nb_path, out_dir, params, show_code, home, keep_going, pending, pin=None):
    import nbformat
    import papermill as pm
    _quiet_worker()
    os.environ["RESEARCHLIB_STATIC"] = "1"
    os.environ["RESEARCHLIB_HOME"] = home
    # the kernel reads the corpus the report loaded (researchlib.store.PIN_ENV)
    if pin:
        os.environ[PIN_ENV] = pin
    else:
        os.environ.pop(PIN_ENV, None)
    os.environ["RESEARCHLIB_EXPORT"] = str(pending)
    nb_path, out_dir = Path(nb_path), Path(out_dir)
    out_nb = out_dir / nb_path.name
    try:
        # papermill runs str.format(**parameters) on both paths: escape braces so a
        # folder named "R{corpus}" stays that name (parameters never shape a path).
        # The executed notebook is written once, at the end or at the failing cell, not
        # validated and written again at every cell (~1 s of CPU per notebook): it goes to
        # the build folder, which replaces the report only when the whole build succeeds.
        with kernel_stderr():
            pm.execute_notebook(_no_format(nb_path), _no_format(out_nb), parameters=params, kernel_name="python3",
                                progress_bar=False, log_output=False, cwd=str(nb_path.parent),
                                extra_arguments=KERNEL_ARGUMENTS, request_save_on_cell_execute=False,
                                shutdown_kernel=_shutdown(nb_path))
    except pm.PapermillExecutionError as e:
        error = f"{nb_path.name}: cell {e.cell_index} (In [{e.exec_count}]) raised {e.ename}: {e.evalue}"
        failed = {"name": nb_path.stem, "ok": False, "error": error, "finding": "", "png": None, "title": ""}
        if keep_going and out_nb.exists():
            nb = nbformat.read(out_nb, as_version=4)
            _page(nb, nb_path.stem, pending, out_dir, show_code, banner=_failure_banner(nb_path.stem, error, e.source))
            failed.update(title=notebook_title(nb), rendered=True)
        return failed
    except Exception as e:  # kernel died, bad parameters, ...
        return {"name": nb_path.stem, "ok": False, "error": f"{nb_path.name}: {type(e).__name__}: {e}"}
    nb = nbformat.read(out_nb, as_version=4)
    _page(nb, nb_path.stem, pending, out_dir, show_code)
    return {"name": nb_path.stem, "ok": True, **_headline(nb), "title": notebook_title(nb),
            "meta": nb.metadata.get("researchlib", {})}


def _shutdown(nb_path: Path) -> str:
    """How the kernel of ``nb_path`` stops (:data:`KERNEL_SHUTDOWN` for a bundled notebook)."""
    return KERNEL_SHUTDOWN if nb_path.resolve().parent == Path(NOTEBOOKS).resolve() else "graceful"


def _last_duration(out: Path, name: str) -> float:
    """Seconds the notebook took in the previous report in ``out`` (0 if none)."""
    try:
        meta = json.loads((out / f"{name}.ipynb").read_text())["metadata"]["papermill"]
        return float(meta.get("duration") or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def _expected_duration(out: Path, path: Path) -> float:
    """The previous build's duration, else the notebook's own estimate
    (metadata researchlib.expected_seconds), else 0."""
    last = _last_duration(out, path.stem)
    if last:
        return last
    try:
        return float(json.loads(path.read_text())["metadata"]["researchlib"].get("expected_seconds", 0))
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def notebook_title(nb) -> str:
    """The first level-1 Markdown heading of a notebook ("" when none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


def _headline(nb):
    for cell in nb.cells:
        outs = cell.get("outputs", [])
        for i, o in enumerate(outs):
            finding = o.get("metadata", {}).get("researchlib", {}).get("headline")
            if finding:
                png = next((p["data"]["image/png"] for p in reversed(outs[:i]) if "image/png" in p.get("data", {})), None)
                return {"finding": finding, "png": png}
    return {"finding": "", "png": None}


def _versions():
    out = {"python": platform.python_version(), "researchlib": _version("researchlib")}
    out.update({d: _version(d) for d in DEPENDENCIES})
    return out


def _version(dist):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit():
    try:
        r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        return r.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _methods(params):
    m = params.get("methods") or ["blend"]
    m = [m] if isinstance(m, str) else list(m)
    return ", ".join(str(x) for x in m) + (" (0.65 VADER + 0.35 TextBlob)" if m == ["blend"] else "")


def _resolve_paths(params: dict) -> dict:
    """Relative file parameters -> absolute paths (the notebooks run in
    notebooks/, not where the command was typed)."""
    out = dict(params)
    for k in PATH_PARAMETERS:
        v = out.get(k)
        if isinstance(v, str) and Path(v).suffix and Path(v).exists():
            out[k] = str(Path(v).resolve())
    return out


def _index(results, corpus, params, out_names, build_time, show_code, study=None, has_tables=False,
           has_glossary=False):
    from .findings import count_of
    from .study import Study
    study = study or Study()
    d = corpus.documents
    e = html.escape
    span = (f"{d['published'].min():%Y-%m-%d} to {d['published'].max():%Y-%m-%d}"
            if len(d) and d["published"].notna().any() else "no dates")
    cards = []
    for r in results:
        img = (f'<img alt="headline figure" src="data:image/png;base64,{r["png"]}">' if r.get("png") else "")
        text = f'<p>{e(r["finding"])}</p>' if r["ok"] else f'<p class="failed"><strong>Failed:</strong> {e(r["error"])}</p>'
        read = f'<a href="{e(r["name"])}.html">read</a> · ' if r["ok"] or r.get("rendered") else ""
        cards.append(f'<section class="card"><h2><a href="{e(r["name"])}.html">{e(r["title"] or r["name"])}</a></h2>'
                     f'{img}{text}<p class="links">{read}'
                     f'<a href="{e(r["name"])}.ipynb">executed notebook</a></p></section>')
    question = f'<p class="question">{e(study.question)}</p>' if study.question else ""
    failed = [r for r in results if not r["ok"]]
    warning = (f'<p class="failed"><strong>{len(failed)} of {len(results)} notebooks failed</strong>; '
               "their pages say which cell failed and why.</p>" if failed else "")
    shown = corpus.inputs.head(INPUT_ROWS)
    inputs = "".join(f"<tr><td>{e(str(p))}</td><td><code>{e(str(s))}</code></td></tr>"
                     for p, s in zip(shown["path"], shown["sha256"]))
    more = len(corpus.inputs) - len(shown)
    inputs_note = (f'<p>{e(count_of(len(corpus.inputs), "input file"))}'
                   + (f"; the first {len(shown)} above, all" if more > 0 else "; also")
                   + ' in <a href="inputs.csv">inputs.csv</a>.</p>')
    links = ((['Every table of the report as CSV: <a href="tables.zip">tables.zip</a>'] if has_tables else [])
             + (['<a href="glossary.html">glossary</a>'] if has_glossary else []))
    tables = f'<p class="links">{" · ".join(links)}</p>' if links else ""
    versions = "".join(f"<tr><td>{e(k)}</td><td>{e(str(v))}</td></tr>" for k, v in _versions().items())
    names = sorted(map(str, d["outlet"].unique()))
    outlets = ", ".join(e(o) for o in names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP}
<title>{e(study.title_for(d))}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1rem; }}
.card {{ border: 1px solid #ddd; border-radius: 8px; padding: 0.8rem; background: #fafafa; }}
.card img {{ width: 100%; border: 1px solid #eee; background: white; }}
.card h2 {{ font-size: 1.05rem; margin: 0 0 .5rem; }}
table {{ border-collapse: collapse; font-size: .85rem; }} td, th {{ border: 1px solid #ddd; padding: 2px 6px; text-align: left; }}
.summary {{ background: #eef4fb; padding: .6rem 1rem; border-radius: 6px; }}
.question {{ font-style: italic; }} .failed {{ color: #a93226; }}
</style></head><body>
<h1>{e(study.title_for(d))}</h1>
{question}<p class="summary">{e(count_of(len(d), 'article'))} from {e(count_of(d['outlet'].nunique(), 'outlet'))} ({outlets}),
published {e(span)}; {e(count_of(len(corpus.rejected), 'input'))} rejected, {e(count_of(len(corpus.warnings), 'warning'))}.
Compared by: {e(str(study.by))}. Sentiment: {e(_methods(params))}.
View: {'full notebooks with code' if show_code else 'readers (code hidden)'}.</p>
{warning}<div class="cards">{''.join(cards)}</div>
{tables}
<h2>Provenance</h2>
<p>Built {e(build_time)} · git commit <code>{e(str(_git_commit()))}</code> · corpus hash <code>{e(corpus.hash)}</code>
· study file <code>{e(str(study.source or 'none (neutral defaults)'))}</code></p>
<h3>Parameters</h3><pre>{e(json.dumps(params, indent=2, sort_keys=True, default=str))}</pre>
<h3>Inputs (sha256)</h3><table><tr><th>file</th><th>sha256</th></tr>{inputs}</table>{inputs_note}
<h3>Versions</h3><table>{versions}</table>
<p>Pages: {' · '.join(f'<a href="{e(n)}.html">{e(n)}</a>' for n in out_names)}</p>
</body></html>
"""


def build_report(corpus=None, manifest=None, columns=None, out="reports", only=None, show_code=False,
                 params=None, jobs=None, notebooks=None, progress=True, force=False, study=None,
                 keep_going=False, cache=None):
    """Build the report; returns the output folder. Raises ReportError naming
    the failing notebook and cell (the previous report stays intact; with
    ``keep_going`` the report is written anyway and the error raised after),
    and OutputError when ``out`` is not researchlib's to replace (``force``:
    see :class:`researchlib.outputs.OutputBuild`).

    The corpus and its measures are computed first, in parallel, into the
    measure store (:mod:`researchlib.store`) under ``cache`` (None:
    ``$RESEARCHLIB_STORE`` or the repository's ``.researchlib-cache``; off:
    a temporary folder removed afterwards); the notebooks load the corpus and
    read the measures from it.

    ``study``: a study file (:func:`researchlib.load_study`); without one and
    without ``corpus``, the bundled study; with ``corpus`` only, neutral
    defaults. ``corpus``, ``manifest``, ``columns`` and the ``params`` that
    are study settings (by, voice, codebook, groups, ...) override the study's.
    """
    from tqdm import tqdm

    from .study import load_study
    nbs = notebook_list(notebooks, only)
    if not nbs:
        raise ReportError("no notebooks to run")
    columns = dict(columns or {})
    extra = _resolve_paths(params or {})
    refused = sorted(extra.keys() & set(SHARED_OPTIONS))
    if refused:
        raise ParameterError(f"-p {refused[0]} is not accepted: use {SHARED_OPTIONS[refused[0]]}, so that the "
                             "index, corpus hash and inputs table describe what the notebooks read")
    if "study" in extra:          # -p study FILE means --study FILE
        study = study or extra.pop("study")
    declared = {p.stem: notebook_parameters(p) for p in nbs}
    accepted = {n: set(d) for n, d in declared.items()}
    unknown = [k for k in extra if not any(k in a for a in accepted.values())]
    if unknown:
        raise ReportError(f"unknown parameter(s) {unknown}: no selected notebook accepts them; "
                          + "; ".join(f"{n}: {sorted(a)}" for n, a in accepted.items()))
    check_parameters(extra, declared)     # each -p value against its declared kind, before the study reads it
    study_obj = load_study(study, corpus=corpus, manifest=manifest, columns=columns,
                           **{k: extra[k] for k in STUDY_PARAMETERS if k in extra})
    shared = {"study": study_obj.source,
              "corpus": str(Path(corpus).resolve()) if corpus else None,
              "manifest": str(Path(manifest).resolve()) if manifest else None,
              "columns": columns}
    check_parameters({**shared, **extra}, declared)
    per_notebook = {}
    for p in nbs:
        ps = {k: v for k, v in {**shared, **extra}.items() if k in accepted[p.stem]}
        check_literal_cell(injected_cell(ps), ps)       # nothing but NAME = literal reaches the kernel
        per_notebook[p.stem] = ps
    inputs = {"corpus": study_obj.corpus or SEEDS,
              "manifest": study_obj.manifest or (None if study_obj.corpus else MANIFEST),
              "notebooks folder": Path(notebooks or NOTEBOOKS),
              **({"study file": study_obj.source} if study_obj.source else {})}
    build = OutputBuild(out, command="report", inputs=inputs, force=force, shape=OUTPUT_FILES, required="index.html")
    build.check()
    tmp = build.start()                       # the output folder's problems show before any measuring
    try:
        # the notebook workers (and their kernels) inherit RESEARCHLIB_STORE; they start now and
        # import papermill and nbconvert while this process loads the corpus and fills the store
        with _measure_store(cache), _notebook_pool(jobs, len(nbs)) as pool:
            corpus_obj = study_obj.load_corpus()      # no document: one message, before any notebook
            try:
                fill(corpus_obj, report_calls(study_obj, extra, corpus=corpus_obj), jobs=jobs, progress=progress)
            except Exception as e:    # a bad resource, ...: the notebook that uses it says so, in its cell
                print(f"researchlib: measures not computed ahead ({type(e).__name__}: {e}); the notebooks compute "
                      "them", file=sys.stderr)
            failed = _build(build.out, tmp, nbs, per_notebook, shared, extra, show_code, pool, progress, keep_going,
                            study_obj, corpus_obj)
    except BaseException:
        build.abort()
        raise
    out = build.finish()
    if failed:    # --keep-going: the report is written, the run still fails
        raise ReportError(f"report written to {out}/index.html, but {len(failed)} notebook(s) failed — "
                          + " | ".join(r["error"] for r in failed))
    return out


@contextlib.contextmanager
def _measure_store(cache):
    """Point $RESEARCHLIB_STORE at the store's folder while the report runs (a
    temporary one, removed afterwards, when the cache is off)."""
    root, tmp = cache_root(cache), None
    if root is None:
        tmp = tempfile.mkdtemp(prefix="researchlib-store-")
        root = Path(tmp)
    before = os.environ.get(ENV)
    os.environ[ENV] = str(Path(root).resolve())
    try:
        yield os.environ[ENV]
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _notebook_worker_init():
    """Notebook worker: exit with the run; import what every notebook's
    execution and page need and render a two-cell page (nbconvert loads and
    compiles its templates on the first page: ~0.3 s), while the run is still
    measuring."""
    die_with_parent()
    import papermill  # noqa: F401
    from nbformat import v4
    render_html(v4.new_notebook(cells=[
        v4.new_markdown_cell("# Warm *up*"),
        v4.new_code_cell("1", outputs=[v4.new_output("execute_result", {"text/plain": "1", "text/html": "<b>1</b>"},
                                                      execution_count=1)])]))


def _ready():
    return True


@contextlib.contextmanager
def _notebook_pool(jobs, n_notebooks):
    """The process pool that runs the notebooks, its workers started now.
    Spawned, not forked: a worker does not inherit the memory of the corpus
    and measures the run holds."""
    jobs = jobs or min(n_notebooks, os.cpu_count() or 1, 2)
    ex = ProcessPoolExecutor(jobs, initializer=_notebook_worker_init, mp_context=multiprocessing.get_context("spawn"))
    try:
        for _ in range(jobs):      # a worker process starts with each task submitted
            ex.submit(_ready)
        yield ex
    except BaseException:
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()


def _build(out, tmp, nbs, per_notebook, shared, extra, show_code, pool, progress, keep_going, study_obj,
           corpus_obj):
    """Run the notebooks (the corpus and its measures are in the store) into the build folder ``tmp``
    on ``pool`` and write the index; returns the failed notebooks (with ``keep_going``)."""
    from tqdm import tqdm
    build_time = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    home = str(ROOT)
    results = {}
    futs = {}
    pin = pin_of(corpus_obj)
    for p in sorted(nbs, key=lambda p: -_expected_duration(out, p)):   # longest first
        futs[pool.submit(_run_one, str(p), str(tmp), per_notebook[p.stem], show_code, home, keep_going, pin)] = p.stem
    bar = tqdm(total=len(futs), desc="notebooks", unit="nb", disable=not progress, file=sys.stderr)
    for f in as_completed(futs):
        r = f.result()
        results[r["name"]] = r
        bar.set_postfix_str(r["name"])
        bar.update()
    bar.close()
    failed = [r for r in results.values() if not r["ok"]]
    if failed and not keep_going:
        raise ReportError("notebook failed — " + " | ".join(r["error"] for r in failed))
    ordered = [results[p.stem] for p in nbs]
    all_params = {**shared, **extra, "show_code": show_code, "notebooks": [p.stem for p in nbs]}
    neutralise_formulas(corpus_obj.inputs).to_csv(tmp / "inputs.csv", index=False)
    has_tables = write_tables_zip(tmp) is not None
    has_glossary = write_glossary(Path(nbs[0]).parent / "glossary.md", tmp, CSP)
    (tmp / "index.html").write_text(
        _index(ordered, corpus_obj, all_params, [p.stem for p in nbs], build_time, show_code, study_obj,
               has_tables=has_tables, has_glossary=has_glossary),
        encoding="utf-8")
    (tmp / "provenance.json").write_text(json.dumps(
        {"parameters": all_params, "study": study_obj.to_dict(), "built": build_time, "git_commit": _git_commit(),
         "corpus_hash": corpus_obj.hash, "inputs": corpus_obj.inputs.to_dict("records"),
         "versions": _versions(), "failed": [r["error"] for r in failed]}, indent=2, default=str))
    return failed
