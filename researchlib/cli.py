"""Command line: ``researchlib check | report | analyse | teach | fetch | init-study``.

Errors a user can fix (``ResearchlibError`` and its subclasses: a missing or
malformed input, a bad option or parameter) print as one readable line
(``researchlib: error: ...``) and exit 1. Anything else is a bug in
researchlib: a short message says so and names a file holding the full
traceback (exit 70, ``EX_SOFTWARE``); ``--debug`` shows the traceback
instead, for every error. Never a bare traceback, never a bug disguised as a
user error (the model: papermill's ``exceptions.py`` and ``cli.py``).
"""
from __future__ import annotations

import argparse
import sys

from .errors import ParameterError, ResearchlibError

EXIT_USER_ERROR, EXIT_BUG, EXIT_INTERRUPTED = 1, 70, 130

FORCE_HELP = ("also replace an output folder written before researchlib marked its outputs, or another "
              "command's output (never a folder holding anything else)")
COLUMN_OPTS = ("text", "doc_id", "outlet", "published", "title", "url", "byline")
COLUMN_HELP = {"text": "the column holding the article text (default: text, body, content, ...)",
               "doc_id": "the column holding a unique id per article (default: doc_id or id, else the row number)",
               "outlet": "the column naming the outlet (default: outlet, source, publication, ...)",
               "published": "the column holding the publication date (default: published, date, ...)",
               "title": "the column holding the headline (default: title, headline)",
               "url": "the column holding the article's address (default: url, link)",
               "byline": "the column holding the author line (default: byline, author)"}
MANIFEST_HELP = ("a CSV with one row per file of a .txt folder: file, outlet, published and any other "
                 "metadata (default: the study's manifest; none for a table)")


def _add_columns(p):
    g = p.add_argument_group("column options (tables: map our names to your columns)")
    for c in COLUMN_OPTS:
        g.add_argument(f"--{c.replace('_', '-')}", dest=f"col_{c}", metavar="COLUMN",
                       help=COLUMN_HELP[c])
    g.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                   help="read dates such as 04/02/2022 as 4 February (default: the order the column proves)")
    g.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                   help="read dates such as 04/02/2022 as April 2")


def _columns(a):
    out = {c: getattr(a, f"col_{c}") for c in COLUMN_OPTS if getattr(a, f"col_{c}")}
    if getattr(a, "dayfirst", None) is not None:
        out["dayfirst"] = a.dayfirst        # load_corpus(**columns) takes it as its own keyword
    return out


def cmd_check(a) -> int:
    from .corpus import load_corpus
    from .errors import printable as p      # names and cells come from the data: one line each
    c = load_corpus(a.source, a.manifest, **_columns(a))
    d = c.documents
    print(f"{p(a.source)}: {len(d)} documents loaded, {len(c.rejected)} rejected, {len(c.warnings)} warnings")
    if c.columns_used:
        order = [k for k in COLUMN_OPTS if k in c.columns_used] + [k for k in c.columns_used if k not in COLUMN_OPTS]
        print("  columns: " + ", ".join(f"{k} <- {p(c.columns_used[k])}" for k in order))
    if len(d):
        for outlet, g in d.groupby("outlet"):
            dates = g["published"].dropna()
            span = f"{dates.min():%Y-%m-%d}..{dates.max():%Y-%m-%d}" if len(dates) else "no date"
            print(f"  {p(outlet)}: {len(g)} documents, {int(g['n_words'].sum())} words, {span}")
        print(f"  cleaning removed {len(c.removed)} spans: "
              + ", ".join(f"{r} {n}" for r, n in c.removed["rule"].value_counts().items()))
    for title, table in (("REJECTED", c.rejected), ("WARNING", c.warnings)):
        for r in table.itertuples():
            print(f"{title}: {p(r.source)}: {p(r.reason)}")
    return 1 if len(c.rejected) or len(c.warnings) else 0


def cmd_report(a) -> int:
    from .parameters import from_cli
    from .report import build_report
    params = {}
    for key, value in a.param or []:
        if key in params:
            raise ParameterError(f"-p {key} given twice")
        params[key] = from_cli(value)          # JSON, else the plain text: never evaluated
    out = build_report(a.corpus, a.manifest, _columns(a), a.out, a.only, a.show_code, params, jobs=a.jobs,
                       force=a.force, study=a.study, keep_going=a.keep_going)
    print(f"report written to {out}/index.html")
    return 0


def cmd_analyse(a) -> int:
    from .analyse import analyse
    from .study import load_study
    s = load_study(a.study, corpus=a.source, manifest=a.manifest, columns=_columns(a),
                   groups=a.groups, codebook=a.codebook)
    summary = analyse(s.corpus, s.manifest, a.out, jobs=a.jobs, cache=None if a.no_cache else a.cache,
                      groups=s.groups, codebook=s.codebook, scheduler=a.scheduler, force=a.force,
                      **s.columns)
    print(f"tables written to {a.out}/ (Parquet), summary: {a.out}/summary.csv")
    if len(summary):
        print(summary[["outlet", "n_docs", "n_sentences"]].to_string(index=False))
    return 0


def cmd_teach(a) -> int:
    from .teach import build_teaching_kit
    out = build_teaching_kit(a.out, a.corpus, a.manifest, _columns(a), force=a.force, study=a.study)
    print(f"course page written to {out}/index.html (student/, instructor/, reader/)")
    return 0


def cmd_fetch(a) -> int:
    from .fetch import fetch
    res = fetch(a.urls, a.out, url_column=a.url_column, delay=a.delay, timeout=a.timeout,
                retry_failed=a.retry_failed, progress=lambda r: print(f"{r['outcome']}: {r['url']} {r['reason']}"))
    n = res["outcome"].value_counts()
    print(f"{n.get('saved', 0)} saved, {n.get('failed', 0)} failed, {n.get('skipped', 0)} skipped "
          f"(log: {a.out}/fetch_log.csv); load with: researchlib check {a.out} --manifest {a.out}/manifest.csv")
    return 0


def cmd_init_study(a) -> int:
    from .study import write_template
    path = write_template(a.folder)
    print(f"study template written to {path}: edit it, then researchlib report --study {path}")
    return 0


PATH_OPTIONS = {"source": "SOURCE", "corpus": "--corpus", "manifest": "--manifest", "out": "--out",
                "cache": "--cache", "groups": "--groups", "codebook": "--codebook",
                "study": "--study"}


def _refused_user_path(e: OSError, a):
    """A one-line message when the OS refused a path the user gave (or a
    folder above it): no such folder, permission denied, disk full are the
    user's to fix. An error on a path the package chose stays a bug."""
    import os
    failed = [os.path.abspath(os.fsdecode(f)) for f in (e.filename, e.filename2)
              if isinstance(f, (str, bytes, os.PathLike))]
    for attr, option in PATH_OPTIONS.items():
        given = getattr(a, attr, None)
        if not isinstance(given, str) or not given:
            continue
        path = os.path.abspath(given)
        for f in failed:
            if path == f or path.startswith(f.rstrip(os.sep) + os.sep):
                return f"{option} {given}: {e.strerror or e}" + ("" if f == path else f" ({f})")
    return None


def _bug(e: BaseException, argv) -> int:
    """One short message for an unexpected exception, the traceback in a file."""
    import platform
    import tempfile
    import traceback
    from importlib import metadata
    text = "".join(traceback.format_exception(e))
    first = (str(e).strip().splitlines() or [""])[0][:300]
    try:
        version = metadata.version("researchlib")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        fd, path = tempfile.mkstemp(prefix="researchlib-traceback-", suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"researchlib {version}, Python {platform.python_version()}\n"
                    f"command: researchlib {' '.join(map(str, argv))}\n\n{text}")
        where = f"full traceback in {path}"
    except OSError:
        print(text, file=sys.stderr, end="")
        where = "traceback above"
    print(f"researchlib: internal error (a bug in researchlib, not in your input): {type(e).__name__}: {first}\n"
          f"researchlib: {where}; run again with --debug to see it here; please report it", file=sys.stderr)
    return EXIT_BUG


def build_parser() -> argparse.ArgumentParser:
    """The command line: every option of every subcommand has a help text."""
    p = argparse.ArgumentParser(prog="researchlib", description="How news outlets cover the same event.")
    p.add_argument("--debug", action="store_true", help="show the full traceback of any error")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="load a corpus and list what was loaded, rejected and warned about; "
                                     "exit 1 when anything was rejected or warned")
    c.add_argument("source", help="a folder of .txt files or a table (CSV, TSV, JSONL, JSON, Parquet)")
    c.add_argument("--manifest", help=MANIFEST_HELP)
    _add_columns(c)
    c.set_defaults(func=cmd_check)
    r = sub.add_parser("report", help="run every notebook and write a self-contained HTML report")
    r.add_argument("--study", help="a study file (YAML; default: data/study.yaml for the bundled seeds, "
                                   "neutral defaults when --corpus is given)")
    r.add_argument("--corpus", help="folder of .txt or a table (default: the study's corpus, else the bundled seeds)")
    r.add_argument("--manifest", help=MANIFEST_HELP)
    r.add_argument("--out", default="reports", help="the output folder (default: reports); replaced only when "
                                                     "researchlib wrote it, and only when every notebook succeeded")
    r.add_argument("--only", nargs="+", metavar="NAME",
                   help="run only these notebooks, by name, number or both (e.g. 02 terms 04_timeline)")
    r.add_argument("--show-code", action="store_true", help="render code cells too (teaching view)")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help="a notebook parameter; VALUE is JSON (3, true, null, [\"vader\"], {\"a\": 1}) or else "
                        "plain text, checked against the notebook's declared parameter, never evaluated; "
                        "corpus, manifest and columns come from --corpus, --manifest and the column options")
    r.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of cores, at most 2)")
    r.add_argument("--force", action="store_true", help=FORCE_HELP)
    r.add_argument("--keep-going", action="store_true",
                   help="write the report even when a notebook fails (its page says where and why); exit 1")
    _add_columns(r)
    r.set_defaults(func=cmd_report)
    an = sub.add_parser("analyse", help="run every measure over a large corpus; write Parquet tables")
    an.add_argument("source", nargs="?", help="folder or table (default: the study's corpus)")
    an.add_argument("--study", help="a study file (YAML): corpus, manifest, columns, term groups, codebook")
    an.add_argument("--manifest", help=MANIFEST_HELP)
    an.add_argument("--out", required=True, help="the output folder for the Parquet tables and summary.csv")
    an.add_argument("--jobs", type=int, help="worker processes (default: the number of cores)")
    an.add_argument("--cache", default=".researchlib-cache",
                    help="folder of per-document results reused by the next run (default: .researchlib-cache)")
    an.add_argument("--no-cache", action="store_true", help="compute everything again and keep nothing")
    an.add_argument("--groups", help="term groups YAML (default: the study's, else the bundled ones)")
    an.add_argument("--codebook", help="codebook name or YAML (default: the study's, else generic)")
    an.add_argument("--scheduler", help="dask.distributed scheduler address, e.g. tcp://host:8786")
    an.add_argument("--force", action="store_true", help=FORCE_HELP)
    _add_columns(an)
    an.set_defaults(func=cmd_analyse)
    t = sub.add_parser("teach", help="write student and instructor editions and a course page")
    t.add_argument("--out", default="teaching", help="the output folder (default: teaching)")
    t.add_argument("--study", help="a study file (YAML), as for report")
    t.add_argument("--corpus", help="folder of .txt or a table for the instructor edition "
                                    "(default: the study's corpus, else the bundled seeds)")
    t.add_argument("--manifest", help=MANIFEST_HELP)
    t.add_argument("--force", action="store_true", help=FORCE_HELP)
    _add_columns(t)
    t.set_defaults(func=cmd_teach)
    f = sub.add_parser("fetch", help="download the pages of a URL list politely into a corpus folder")
    f.add_argument("urls", help="CSV with a URL column; its other columns go to the manifest")
    f.add_argument("--out", required=True, help="the corpus folder to write (pages, manifest.csv, fetch_log.csv)")
    f.add_argument("--url-column", default="url", help="the column of the CSV holding the URLs (default: url)")
    f.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host")
    f.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer")
    f.add_argument("--retry-failed", action="store_true", help="also retry URLs that failed for good")
    f.set_defaults(func=cmd_fetch)
    i = sub.add_parser("init-study", help="write a commented study template (study.yaml) into a folder")
    i.add_argument("folder", help="where to write study.yaml (created if missing)")
    i.set_defaults(func=cmd_init_study)
    for command in (c, r, an, t, f, i):
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show the full traceback of any error")
    return p


def main(argv=None) -> int:
    p = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    a = p.parse_args(argv)
    try:
        return a.func(a)
    except ResearchlibError as e:
        if a.debug:
            raise
        print(f"researchlib: error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        if a.debug:
            raise
        print("researchlib: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:
        if a.debug:
            raise
        message = _refused_user_path(e, a) if isinstance(e, OSError) else None
        if message:
            print(f"researchlib: error: {message}", file=sys.stderr)
            return EXIT_USER_ERROR
        return _bug(e, argv)


if __name__ == "__main__":
    sys.exit(main())
