#!/usr/bin/env python3
"""Time `researchlib report` on the seeds against the naive loop a user would
write: `papermill` CLI then `jupyter nbconvert --to html` CLI, one notebook
after another. Prints both times and the ratio (a script, not a timed test).

usage: python benchmarks/report_speed.py
"""
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmds):
    t = time.perf_counter()
    for c in cmds:
        subprocess.run(c, check=True, capture_output=True, cwd=ROOT / "notebooks")
    return time.perf_counter() - t


def main():
    tmp = Path(tempfile.mkdtemp())
    nbs = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    naive = []
    for nb in nbs:
        out = tmp / "naive" / nb.name
        out.parent.mkdir(exist_ok=True)
        naive.append([str(BIN / "papermill"), "--log-level", "ERROR", str(nb), str(out)])
        naive.append([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
    t_naive = timed(naive)
    t_ours = timed([[str(BIN / "researchlib"), "report", "--out", str(tmp / "ours")]])
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"notebooks: {len(nbs)}")
    print(f"naive loop (papermill CLI + nbconvert CLI, sequential): {t_naive:.1f} s")
    print(f"researchlib report (parallel, in-process render):      {t_ours:.1f} s")
    print(f"ratio: {t_naive / t_ours:.2f}x")


if __name__ == "__main__":
    main()
