"""The full report on a large corpus: 20,000 documents (issue 17's largest
corpus kind; the smaller kinds are tests/test_any_corpus.py).

Builds a CSV of DOCS articles from ``--outlets`` outlets over a year, each made
of 8-15 sentences drawn (seeded) from the seed articles, so quotes, terms,
targets and dates occur as in real copy; then times
``build_report(study=data/study.yaml, corpus=that CSV)`` and prints the time
of each notebook (from the executed notebooks' papermill metadata).

usage: python benchmarks/report_any_corpus.py [--docs 20000] [--outlets 25] [--work DIR]
"""
import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import researchlib as rl  # noqa: E402
from researchlib.paths import STUDY  # noqa: E402
from researchlib.report import build_report  # noqa: E402


def make_corpus(path: Path, docs: int, outlets: int, seed=0) -> Path:
    sentences = rl.load_corpus().sentences["text"].tolist()
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "outlet", "published"])
        for i in range(docs):
            body = rng.sample(sentences, rng.randint(8, 15))
            cut = len(body) // 2
            text = " ".join(body[:cut]) + "\n\n" + " ".join(body[cut:])
            w.writerow([f"d{i:06d}", text, f"Outlet {rng.randrange(outlets):02d}",
                        f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
    return path


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--docs", type=int, default=20000)
    a.add_argument("--outlets", type=int, default=25)
    a.add_argument("--work", default=None, help="folder for the corpus and the report (default: a temp folder)")
    args = a.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="report-any-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(work / "corpus.csv", args.docs, args.outlets)
    started = time.perf_counter()
    out = build_report(corpus=corpus, study=STUDY, out=work / "report", progress=True)
    total = time.perf_counter() - started
    print(f"{args.docs} documents, {args.outlets} outlets: report in {total:.0f} s -> {out}/index.html")
    for nb in sorted(out.glob("*.ipynb")):
        meta = json.loads(nb.read_text())["metadata"].get("papermill", {})
        print(f"  {nb.stem}: {meta.get('duration', float('nan')):.0f} s")


if __name__ == "__main__":
    main()
