#!/usr/bin/env python3
"""Speed of the "news" sentiment method: the fast path (int8 ONNX) against the
PyTorch reference, in the same run, on the same sentences (issue 23 goal:
>= 5x the reference's sentences per second on 2 cores).

Both paths go through ``news.score_news(..., cache=False)``: the whole method
(distinct texts, embedding, VADER + TextBlob, head), nothing read from a
cache. Models are loaded (and the export built, if needed) before timing. On
a shared machine timings drift, so the paths alternate, round by round, in
the same process; the load average is printed with the figures, and
sentences per CPU second (process time, both threads) are printed beside the
wall-clock figures because they move less with other people's load.

The reference runs twice: as the package runs it (torch's default, one
thread per core) and pinned to one thread. On a machine shared with other
busy processes, threads inside one matrix product wait for each other and
the one-thread run is the faster; the speed-up is given against both.

usage: python benchmarks/news_speed.py [DEV_CSV] [--rounds N]
       (default: ../shared/validation/nyt_editorial_sentences_dev.csv)
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import researchlib as rl  # noqa: E402
from researchlib import news  # noqa: E402
from researchlib.news_onnx import cpu_count  # noqa: E402
from researchlib.paths import MANIFEST, SEEDS, VALIDATION  # noqa: E402

import torch  # noqa: E402

DEFAULT_THREADS = torch.get_num_threads()
#: label -> (backend, torch threads)
PATHS = {"reference (torch)": ("torch", DEFAULT_THREADS), "reference, 1 thread": ("torch", 1),
         "fast (onnx int8)": ("onnx", DEFAULT_THREADS)}
FAST = "fast (onnx int8)"


def timed(texts, backend, threads):
    torch.set_num_threads(threads)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        scores = news.score_news(texts, cache=False, backend=backend)
        return scores, time.perf_counter() - wall, time.process_time() - cpu
    finally:
        torch.set_num_threads(DEFAULT_THREADS)


def bench(name, texts, rounds):
    wall = dict.fromkeys(PATHS, 0.0)
    cpu = dict.fromkeys(PATHS, 0.0)
    scores = {}
    for r in range(rounds):
        order = list(PATHS) if r % 2 == 0 else list(PATHS)[::-1]      # no path always goes first
        for label in order:
            scores[label], w, c = timed(texts, *PATHS[label])
            wall[label] += w
            cpu[label] += c
    n = len(texts) * rounds
    print(f"\n{name}: {len(texts)} sentences ({len(set(texts))} distinct), {rounds} round(s)")
    for label in PATHS:
        print(f"  {label:20s} {n / wall[label]:8.1f} sentences/s   {n / cpu[label]:8.1f} per CPU second")
    ratios = []
    for label in PATHS:
        if label != FAST:
            ratios.append(wall[label] / wall[FAST])
            print(f"  fast / {label}: {ratios[-1]:.1f}x sentences/s ({cpu[label] / cpu[FAST]:.1f}x per CPU second)")
    ref, fast = scores["reference (torch)"], scores[FAST]
    print(f"  scores: r = {np.corrcoef(ref, fast)[0, 1]:.4f} between the paths, "
          f"largest difference {np.abs(ref - fast).max():.3f}, mean {np.abs(ref - fast).mean():.3f} "
          f"(human rating scale, about -3..+3)")
    return ratios


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="?", default=str(VALIDATION))
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    if not Path(a.dev).exists():
        sys.exit(f"news_speed: development sentences not found at {a.dev} (give the CSV's path)")
    dev = pd.read_csv(a.dev)["text"].astype(str).tolist()
    seeds = rl.load_corpus(SEEDS, manifest=MANIFEST).sentences["text"].tolist()
    print(f"cores for this process: {cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
    for backend in ("torch", "onnx"):                   # load models, build the export, warm up
        t = time.perf_counter()
        news.score_news(seeds[:8], cache=False, backend=backend)
        print(f"start-up {backend}: {time.perf_counter() - t:.1f} s")
    ratios = bench("development sentences (NYT editorials)", dev, a.rounds) + \
        bench("seed articles' sentences", seeds, max(a.rounds, 5))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}; fast path {min(ratios):.1f}-{max(ratios):.1f}x "
          f"the reference's sentences/s (goal >= 5x)")


if __name__ == "__main__":
    main()
