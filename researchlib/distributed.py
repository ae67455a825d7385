"""The analyse pipeline on a dask.distributed cluster (extra ``researchlib[dask]``).

The cluster runs :func:`researchlib.batches.analyse_batch`, the same function
the local process pool runs. A table source (CSV / Parquet) is read with
``dask.dataframe`` partition by partition on the workers; a folder of .txt
files is read by the client and sent in batches. Workers return the tables and
the client writes the Parquet parts, so no shared file system is needed (the
cache, when set, must be a path every worker can write, or None).

Point it at a cluster: start ``dask scheduler`` on one host and ``dask worker
tcp://HOST:8786`` on each machine (each with researchlib installed), then
``researchlib analyse SOURCE --out DIR --scheduler tcp://HOST:8786``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .batches import analyse_batch, parquet_bytes, planned_batches
from .corpus import read_records
from .errors import MissingExtra, ResearchlibError
from .outputs import write_bytes_atomic
from .readers import ReadLog
from .tables import read_table

__all__ = ["analyse_distributed"]


def _require():
    try:
        import dask.dataframe as dd  # noqa: F401
        from dask.distributed import Client  # noqa: F401
    except ImportError:
        raise MissingExtra("the Dask path needs the extra: pip install 'researchlib[dask]'") from None


def _partition_records(part: pd.DataFrame, name: str, columns: dict, offset: int):
    """Rows of one dask partition -> records, as the local reader makes them
    (the partition is written in the source's own format, so the reader, which
    picks the format by suffix, reads it as it reads the whole file)."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        if path.suffix.lower() == ".parquet":
            part.to_parquet(path, index=False)
        else:
            part.to_csv(path, index=False)
        log = ReadLog()
        records = read_table(path, columns, log, row_offset=offset)   # row ids count from the table start
    for r in records:   # line numbers are per partition: make them global
        line = int(r["_where"].rsplit(":", 1)[1]) + offset
        r["_where"] = f"{name}:{line}"
    return records, log


def _run_partition(index, part, name, columns, offset, opts):
    records, log = _partition_records(part, name, columns, offset)
    res = analyse_batch(index, records, {**opts, "out": None}) if records else {"summary": pd.DataFrame()}
    res["rejected"] = log.rejected
    return res


def _connect(Client, address):
    try:
        return Client(address)
    except (OSError, ValueError, TypeError) as e:     # timeout, refused, malformed address
        raise ResearchlibError(f"--scheduler {address}: cannot connect to a dask scheduler ({e})") from None


def analyse_distributed(source, manifest, columns, opts, scheduler, batch):
    _require()
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client
    out = Path(opts["out"])
    client = scheduler if not isinstance(scheduler, str) else _connect(Client, scheduler)
    log = ReadLog()
    src = Path(source)
    try:
        if src.is_file() and src.suffix.lower() in (".csv", ".parquet"):
            ddf = dd.read_csv(src, dtype=str, keep_default_na=False, blocksize="16MB") \
                if src.suffix.lower() == ".csv" else dd.read_parquet(src)
            sizes = ddf.map_partitions(len).compute()
            offsets = [0]
            for n in sizes[:-1]:
                offsets.append(offsets[-1] + int(n))
            parts = ddf.to_delayed()
            tasks = [dask.delayed(_run_partition)(i, p, src.name, columns, off, opts)
                     for i, (p, off) in enumerate(zip(parts, offsets))]
            futures = client.compute(tasks)
        else:
            records, log = read_records(source, manifest, **columns)
            futures = [client.submit(analyse_batch, i, b, {**opts, "out": None}, pure=False)
                       for i, b in enumerate(planned_batches(records, log.expected, batch))]
        partials = []
        for i, res in enumerate(client.gather(futures)):
            for r in res.pop("rejected", []):
                log.reject(r["source"], r["reason"])
            if not len(res["summary"]):
                continue
            partials.append(res.pop("summary"))
            for t, df in res.items():
                d = out / t
                d.mkdir(parents=True, exist_ok=True)
                write_bytes_atomic(d / f"part-{i:05d}.parquet", parquet_bytes(df))
    finally:
        if isinstance(scheduler, str):
            client.close()
    return partials, log
