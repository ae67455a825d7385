#!/usr/bin/env python3
"""Check that a speed change leaves every table of ``analyse`` as it was, and print its CPU.

Runs :func:`researchlib.batches.analyse_batch` (batches of 400, no cache) on the
first N documents of a corpus folder (make_corpus.py layout) and on the seeds;
``--save`` pickles the tables as the reference, otherwise every table is
compared with the saved one (exact equality) and differences are printed. Run
it with ``--save`` on the old code, then on the new (PYTHONPATH chooses which
researchlib is imported). A script that prints figures, not a test.

usage: python benchmarks/tables_equal.py CORPUS_DIR REFERENCE.pkl [--save] [--n 2000]
"""
import argparse
import itertools
import pickle
import time

import pandas as pd

from researchlib.analyse import warm_up
from researchlib.batches import analyse_batch, measure_keys
from researchlib.corpus import iter_records
from researchlib.paths import SEEDS
from researchlib.readers import ReadLog


def tables(records, opts, first=0) -> dict:
    out = {}
    for i in range(0, len(records), 400):
        for name, df in analyse_batch(first + i // 400, records[i:i + 400], opts).items():
            out.setdefault(name, []).append(df)
    return out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("corpus")
    a.add_argument("reference")
    a.add_argument("--save", action="store_true")
    a.add_argument("--n", type=int, default=2000)
    args = a.parse_args()
    warm_up()
    recs = list(itertools.islice(iter_records(args.corpus, f"{args.corpus}/manifest.csv", ReadLog()), args.n))
    opts = {"out": None, "cache": None, "groups": None, "codebook": "generic", "keys": measure_keys(None, "generic")}
    t = time.process_time()
    res = tables(recs, opts)
    cpu = time.process_time() - t
    for name, dfs in tables(list(iter_records(SEEDS, None, ReadLog())), opts, first=10_000).items():
        res.setdefault(name, []).extend(dfs)
    res = {name: pd.concat(dfs, ignore_index=True) for name, dfs in res.items()}
    if args.save:
        with open(args.reference, "wb") as f:
            pickle.dump(res, f)
        print("saved", args.reference)
    else:
        with open(args.reference, "rb") as f:
            ref = pickle.load(f)
        bad = 0
        for name in sorted(set(ref) | set(res)):
            try:
                pd.testing.assert_frame_equal(res[name], ref[name], check_exact=True)
            except (AssertionError, KeyError) as e:
                bad += 1
                print("DIFFERENT:", name, str(e)[:500])
        print("all tables equal" if not bad else f"{bad} tables differ")
    print({name: len(df) for name, df in res.items()})
    print(f"CPU of the {len(recs)} documents: {cpu:.2f} s ({1e3 * cpu / len(recs):.3f} ms/doc)")


if __name__ == "__main__":
    main()
