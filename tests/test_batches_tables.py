"""A batch's tables: the fast Parquet writer gives pandas' bytes, byte for byte
(the cache and the CRC-32 records rely on it)."""

import io

import numpy as np
import pandas as pd
import pytest

from researchlib.batches import analyse_batch, measure_keys, parquet_bytes, parquet_bytes_plain
from researchlib.corpus import iter_records
from researchlib.paths import MANIFEST, SEEDS
from researchlib.readers import ReadLog


@pytest.fixture(scope="module")
def seed_tables():
    records = list(iter_records(SEEDS, MANIFEST, ReadLog()))
    opts = {"out": None, "cache": None, "groups": None, "codebook": "generic", "keys": measure_keys(None, "generic")}
    tables = analyse_batch(0, records, opts)
    tables.pop("summary")
    return tables


def test_parquet_bytes_equal_pandas_on_every_seed_table(seed_tables):
    assert set(seed_tables) == {"documents", "sentences", "quotes", "removed", "warnings", "terms", "sentiment",
                                "frames", "dates"}
    for name, df in seed_tables.items():
        assert parquet_bytes(df) == parquet_bytes_plain(df), name
        assert parquet_bytes(df.iloc[:0]) == parquet_bytes_plain(df.iloc[:0]), name


@pytest.mark.filterwarnings("ignore:The DataFrame has column names of mixed type")
def test_parquet_bytes_frames_pandas_treats_apart():
    base = pd.DataFrame({"doc_id": ["a", "b", None], "n": np.array([1, 2, 3], dtype="int32"),
                         "x": [0.5, np.nan, -1.0], "outlet": pd.Categorical(["Wire", "Daily", "Wire"]),
                         "when": pd.to_datetime(["2022-02-04", None, "2023-03-21"]).as_unit("ms"),
                         "flag": [True, False, True], "none": [None, None, None]})
    with_attrs = base.copy()
    with_attrs.attrs["codebook"] = "generic"
    tz = base.assign(when=base["when"].dt.tz_localize("UTC"))
    other_index = base.set_index(pd.Index([10, 11, 12]))
    for df in (base, with_attrs, tz, other_index, base.rename(columns={"n": 7}), pd.DataFrame(),
               pd.DataFrame({"a": range(1000)})):
        assert parquet_bytes(df) == parquet_bytes_plain(df)
    assert pd.read_parquet(io.BytesIO(parquet_bytes(with_attrs))).attrs == {"codebook": "generic"}
