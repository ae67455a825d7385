#!/usr/bin/env python3
"""Benchmark `researchlib analyse` against the naive tutorial pipeline.

For each size, builds a corpus with ../shared/bench/make_corpus.py, then in the
same run times: the naive baseline (../shared/bench/naive_pipeline.py), a cold
`researchlib analyse` (empty cache) and a warm re-run (unchanged corpus).
Prints wall time, documents/s, peak memory (RSS summed over the process tree,
sampled every 0.1 s) and the ratios. A script that prints figures, not a test.

usage: python benchmarks/bench_pipeline.py [--sizes 1000 10000 100000] [--naive-max N] [--work DIR]
                                          [--baseline DIR]
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
BIN = Path(sys.executable).parent


def run(cmd):
    """(seconds, peak RSS in MB of the process tree, CPU seconds of the
    process tree: user + system time of the command and every process it
    waited for, which a loaded machine does not inflate as it does wall time)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc, peak = psutil.Process(p.pid), 0
    while p.poll() is None:
        try:
            rss = sum(x.memory_info().rss for x in [proc, *proc.children(recursive=True)])
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    if p.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr.read().decode()[-2000:]}")
    wall = time.perf_counter() - t
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, peak / 2**20, (now.ru_utime - cpu.ru_utime) + (now.ru_stime - cpu.ru_stime)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    a.add_argument("--naive-max", type=int, default=100000, help="skip the naive baseline above this size")
    a.add_argument("--work", default=None)
    a.add_argument("--baseline", type=Path, default=SHARED,
                   help="folder of make_corpus.py and naive_pipeline.py (default: ../shared/bench)")
    args = a.parse_args()
    shared = args.baseline
    work = Path(args.work or tempfile.mkdtemp(prefix="rl-bench-"))
    rows = []
    for n in args.sizes:
        corpus = work / f"corpus{n}"
        if not (corpus / "manifest.csv").exists():
            subprocess.run([sys.executable, shared / "make_corpus.py", ROOT / "seeds", corpus, str(n)], check=True,
                           stdout=subprocess.DEVNULL)
        cache, out = work / f"cache{n}", work / f"out{n}"
        shutil.rmtree(cache, ignore_errors=True)
        naive = run([sys.executable, shared / "naive_pipeline.py", corpus]) if n <= args.naive_max else (None, None, None)
        analyse = [BIN / "researchlib", "analyse", corpus, "--manifest", corpus / "manifest.csv", "--out", out,
                   "--cache", cache]
        cold = run(analyse)
        warm = run(analyse)
        rows.append((n, naive, cold, warm))
        nt = f"{naive[0]:8.1f} s {n / naive[0]:7.0f} docs/s {naive[1]:6.0f} MB" if naive[0] else "   (skipped)"
        print(f"{n:>7} docs | naive {nt} | cold {cold[0]:7.1f} s {n / cold[0]:7.0f} docs/s {cold[1]:6.0f} MB"
              f" | warm {warm[0]:6.1f} s | naive/cold {naive[0] / cold[0] if naive[0] else float('nan'):5.2f}x"
              f" | cold/warm {cold[0] / warm[0]:5.1f}x", flush=True)
        if naive[0]:
            print(f"{'':>7}      | CPU: naive {naive[2]:.1f} s, cold {cold[2]:.1f} s, warm {warm[2]:.1f} s"
                  f" | naive/cold CPU {naive[2] / cold[2]:5.2f}x | load average {os.getloadavg()[0]:.1f}", flush=True)
    colds = {n: c[0] for n, _, c, _ in rows}
    if 10000 in colds and 100000 in colds:
        print(f"scaling 100k/10k: {colds[100000] / colds[10000]:.1f}x (linear: 10x)")


if __name__ == "__main__":
    main()
