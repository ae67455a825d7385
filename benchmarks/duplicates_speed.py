#!/usr/bin/env python3
"""Time rl.duplicates on N synthetic articles (goal: 100,000 in <= 5 minutes
on 2 cores, without the models extra: method="words").

The articles come from /work/shared/bench/make_corpus.py (a word-bigram chain
trained on the seeds; or the copy in ../shared/bench beside the repository).
Into them 1% exact copies, 1% near copies (a paragraph cut, a new first
line) and 1% reworded copies (40% of the ordinary words of every sentence
replaced, names and numbers kept) are planted, so the run also reports how
many planted copies it found. Only duplicates() is timed, not the reading.

usage: python benchmarks/duplicates_speed.py [N] [--corpus DIR] (DIR: an
existing make_corpus.py output to reuse)
"""
import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import researchlib as rl
from researchlib.copies import _function_words

p = argparse.ArgumentParser()
p.add_argument("n", type=int, nargs="?", default=100_000)
p.add_argument("--corpus")
a = p.parse_args()

root = Path(__file__).resolve().parents[1]
if a.corpus:
    out = Path(a.corpus)
else:
    make = next(m for m in (Path("/work/shared/bench/make_corpus.py"), root.parent / "shared/bench/make_corpus.py")
                if m.exists())
    out = Path(tempfile.mkdtemp()) / "synthetic"
    subprocess.run([sys.executable, str(make), str(rl.paths.SEEDS), str(out), str(a.n)], check=True)
man = pd.read_csv(out / "manifest.csv", dtype=str).head(a.n)
texts = [re.sub(r"^\s*date \S+\s*", "", (out / f).read_text(encoding="utf-8")) for f in man["file"]]
docs = pd.DataFrame({"doc_id": [Path(f).stem for f in man["file"]], "text": texts,
                     "outlet": man["outlet"], "published": man["published"]})

rng = random.Random(11)
fw = _function_words()


def reword(text):
    def sub(m):
        w = m.group(0)
        if w[0].isupper() or w.isdigit() or w.lower() in fw or rng.random() > 0.4:
            return w
        return w[::-1]
    return re.sub(r"[A-Za-z]+", sub, text)


planted, rows = set(), []
sources = rng.sample(range(len(docs)), 3 * (len(docs) // 100))
for k, i in enumerate(sources):
    kind = ("exact", "near", "reworded")[k % 3]
    t = docs.at[i, "text"]
    if kind == "near":
        paras = t.split("\n\n")
        t = "\n\n".join(["Leaders meet as talks open"] + paras[:max(2, len(paras) - 1)])
    elif kind == "reworded":
        t = reword(t)
    cid = f"copy{k:06d}"
    rows.append({"doc_id": cid, "text": t, "outlet": "copier", "published": "2023-12-31"})
    planted.add((docs.at[i, "doc_id"], cid, kind))
docs = pd.concat([docs, pd.DataFrame(rows)], ignore_index=True)

t0, c0 = time.perf_counter(), time.process_time()
pairs = rl.duplicates(docs, method="words")
t1, c1 = time.perf_counter(), time.process_time()
found = dict(zip(zip(pairs["doc_id_a"], pairs["doc_id_b"]), pairs["kind"]))
print(f"{len(docs):,} articles ({len(planted)} planted copies): duplicates() {t1 - t0:.1f} s wall, "
      f"{c1 - c0:.1f} s CPU in the main process (goal <= 300 s wall on 2 cores)")
print(f"  pairs found by kind: {pairs['kind'].value_counts().to_dict()}")
for kind in ("exact", "near", "reworded"):
    got = [found.get((a, b), "missed") for a, b, k in planted if k == kind]
    print(f"  planted {kind}: " + ", ".join(f"{v} {n}" for v, n in pd.Series(got).value_counts().items()))
print("  (a light rewording that leaves half of the text's 5-word shingles intact is reported as near)")
