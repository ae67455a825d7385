"""Command line: ``researchlib check | report | analyse | teach | init-study``.

Errors print as one readable line (``researchlib: error: ...``) and exit 1;
never a bare traceback.
"""
from __future__ import annotations

import argparse
import sys

from .errors import ResearchlibError

COLUMN_OPTS = ("text", "doc_id", "outlet", "published", "title", "url", "byline")


def _add_columns(p):
    g = p.add_argument_group("column options (tables: map our names to your columns)")
    for c in COLUMN_OPTS:
        g.add_argument(f"--{c.replace('_', '-')}", dest=f"col_{c}", metavar="COLUMN")


def _columns(a):
    return {c: getattr(a, f"col_{c}") for c in COLUMN_OPTS if getattr(a, f"col_{c}")}


def cmd_check(a) -> int:
    from .corpus import load_corpus
    c = load_corpus(a.source, a.manifest, **_columns(a))
    d = c.documents
    print(f"{a.source}: {len(d)} documents loaded, {len(c.rejected)} rejected, {len(c.warnings)} warnings")
    if len(d):
        for outlet, g in d.groupby("outlet"):
            dates = g["published"].dropna()
            span = f"{dates.min():%Y-%m-%d}..{dates.max():%Y-%m-%d}" if len(dates) else "no date"
            print(f"  {outlet}: {len(g)} documents, {int(g['n_words'].sum())} words, {span}")
        print(f"  cleaning removed {len(c.removed)} spans: "
              + ", ".join(f"{r} {n}" for r, n in c.removed["rule"].value_counts().items()))
    for title, table in (("REJECTED", c.rejected), ("WARNING", c.warnings)):
        for r in table.itertuples():
            print(f"{title}: {r.source}: {r.reason}")
    return 1 if len(c.rejected) or len(c.warnings) else 0


def cmd_report(a) -> int:
    from .report import build_report
    params = {}
    for key, value in a.param or []:
        params[key] = _literal(value)
    out = build_report(a.corpus, a.manifest, _columns(a), a.out, a.only, a.show_code, params, jobs=a.jobs,
                       study=a.study, keep_going=a.keep_going)
    print(f"report written to {out}/index.html")
    return 0


def cmd_analyse(a) -> int:
    from .analyse import analyse
    from .study import load_study
    s = load_study(a.study, corpus=a.source, manifest=a.manifest, columns=_columns(a),
                   groups=a.groups, codebook=a.codebook)
    summary = analyse(s.corpus, s.manifest, a.out, jobs=a.jobs, cache=None if a.no_cache else a.cache,
                      groups=s.groups, codebook=s.codebook, scheduler=a.scheduler, **s.columns)
    print(f"tables written to {a.out}/ (Parquet), summary: {a.out}/summary.csv")
    if len(summary):
        print(summary[["outlet", "n_docs", "n_sentences"]].to_string(index=False))
    return 0


def cmd_teach(a) -> int:
    from .teach import build_teaching_kit
    out = build_teaching_kit(a.out, a.corpus, a.manifest, _columns(a), study=a.study)
    print(f"course page written to {out}/index.html (student/, instructor/)")
    return 0


def cmd_init_study(a) -> int:
    from .study import write_template
    path = write_template(a.folder)
    print(f"study template written to {path}: edit it, then researchlib report --study {path}")
    return 0


def _literal(value):
    import ast
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="researchlib", description="How news outlets cover the same event.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="load a corpus and list what was loaded, rejected and warned about; "
                                     "exit 1 when anything was rejected or warned")
    c.add_argument("source")
    c.add_argument("--manifest")
    _add_columns(c)
    c.set_defaults(func=cmd_check)
    r = sub.add_parser("report", help="run every notebook and write a self-contained HTML report")
    r.add_argument("--study", help="a study file (YAML; default: data/study.yaml for the bundled seeds, "
                                   "neutral defaults when --corpus is given)")
    r.add_argument("--corpus", help="folder of .txt or a table (default: the study's corpus, else the bundled seeds)")
    r.add_argument("--manifest")
    r.add_argument("--out", default="reports")
    r.add_argument("--only", nargs="+", metavar="NAME")
    r.add_argument("--show-code", action="store_true", help="render code cells too (teaching view)")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"))
    r.add_argument("--jobs", type=int)
    r.add_argument("--keep-going", action="store_true",
                   help="write the report even when a notebook fails (its page says where and why); exit 1")
    _add_columns(r)
    r.set_defaults(func=cmd_report)
    an = sub.add_parser("analyse", help="run every measure over a large corpus; write Parquet tables")
    an.add_argument("source", nargs="?", help="folder or table (default: the study's corpus)")
    an.add_argument("--study", help="a study file (YAML): corpus, manifest, columns, term groups, codebook")
    an.add_argument("--manifest")
    an.add_argument("--out", required=True)
    an.add_argument("--jobs", type=int)
    an.add_argument("--cache", default=".researchlib-cache")
    an.add_argument("--no-cache", action="store_true")
    an.add_argument("--groups", help="term groups YAML (default: the study's, else the bundled ones)")
    an.add_argument("--codebook", help="codebook name or YAML (default: the study's, else generic)")
    an.add_argument("--scheduler", help="dask.distributed scheduler address, e.g. tcp://host:8786")
    _add_columns(an)
    an.set_defaults(func=cmd_analyse)
    t = sub.add_parser("teach", help="write student and instructor editions and a course page")
    t.add_argument("--out", default="teaching")
    t.add_argument("--study", help="a study file (YAML), as for report")
    t.add_argument("--corpus")
    t.add_argument("--manifest")
    _add_columns(t)
    t.set_defaults(func=cmd_teach)
    i = sub.add_parser("init-study", help="write a commented study template (study.yaml) into a folder")
    i.add_argument("folder")
    i.set_defaults(func=cmd_init_study)
    a = p.parse_args(argv)
    try:
        return a.func(a)
    except (ResearchlibError, OSError, ValueError, KeyError, ImportError) as e:
        print(f"researchlib: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
