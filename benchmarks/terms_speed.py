#!/usr/bin/env python3
"""Load + count a CSV of ~40k headlines (the term-usage speed goal: <= 5 s).

Headlines are drawn from the seed vocabulary (seeded, so the same file each
run). Prints load time, count time and their sum.

usage: python benchmarks/terms_speed.py [N]
"""
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import researchlib as rl
from researchlib.text import tokenize

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
rng = random.Random(7)
vocab = [w for p in sorted(rl.paths.SEEDS.glob("*.txt")) for w in tokenize(p.read_text(encoding="utf-8"))]
path = Path(tempfile.mkdtemp()) / "headlines.csv"
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "headline", "site", "date"])
    for i in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(6, 14))]
        w.writerow([i, " ".join(words).capitalize(), f"site{rng.randrange(25)}", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"])
t0 = time.perf_counter()
c = rl.load_corpus(path, text="headline", outlet="site", published="date")
t1 = time.perf_counter()
u = rl.term_hits_by(c)
t2 = time.perf_counter()
print(f"{len(c.documents)} headlines ({len(c.rejected)} rejected), {int(u['count'].sum())} term matches")
print(f"load {t1 - t0:.2f} s + count {t2 - t1:.2f} s = {t2 - t0:.2f} s (goal <= 5 s)")
