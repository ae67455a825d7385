"""Publication dates: one reading rule per column, never the wall clock.

Method
------
Each value of a date column (a table's ``published`` column, a manifest's, a
`` date YYYY-MM-DD`` header) is read by the first form that matches the whole
value (case-blind, surrounding blanks ignored):

1. ISO 8601, year first: ``2022-02-04``, ``2022/02/04``, ``2022-02-04T23:30``,
   ``2022-02-04 23:30:00.5+08:00``, ``...Z``;
2. numbers with a four-digit year last: ``04.02.2022``, ``4/2/2022``,
   ``04-02-2022`` (an optional time follows);
3. English month names: ``4 February 2022``, ``Feb. 4, 2022``,
   ``Fri, 04 Feb 2022 10:00:00 +0300`` (RFC 2822), ``4-Feb-2022``.

Day/month order (form 2) is decided once per column, never per row: the
``dayfirst`` argument when given; else the order the column proves (a first
number above 12 proves day/month, a second one above 12 month/day); a column
that proves both is read by the majority and warned about with examples; a
column that proves neither but holds values such as ``04/02/2022`` is read
day/month, with a warning listing examples. Values impossible under the
order used are reported one by one.

A time-zone offset or name is dropped: ``published`` is the outlet's local
date and time as printed (``2022-02-04T00:30+08:00`` stays 4 February; it is
not moved to the UTC day). Timestamps read from Parquet keep their wall time
for the same reason. Words ("now", "today", "yesterday") are not dates here:
what they mean depends on when they were written, which the table does not say.

Known limits
------------
Two-digit years, month names in other languages, Unix timestamps and dates
without a day ("March 2022") are not read (each is reported). Values must lie
in the years 1678-2261, the range pandas stores (``datetime64[ns]``); others
are reported, as are impossible ones (year 0, 30 February).
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

__all__ = ["parse_date", "parse_dates", "MIN_YEAR", "MAX_YEAR"]

MIN_YEAR, MAX_YEAR = 1678, 2261
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
# an optional time, then an optional zone (dropped: see the module doc)
_TIME = (r"(?:(?:t|\s+|,\s*)(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d\d)(?::(?P<S>\d\d)(?:[.,](?P<f>\d{1,9}))?)?"
         r"\s*(?P<ampm>[ap]\.?m\.?)?"
         r"(?:\s*(?:z|[+-]\d\d(?::?\d\d)?|\(?[a-z]{2,5}\)?(?:\s*[+-]\d\d(?::?\d\d)?)?))?)?")
_ISO = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})" + _TIME)
_NAMED = re.compile(_WEEKDAY + r"(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)(?:of\s+)?" + _MON + r",?(?:\s+|-)(?P<y>\d{4})"
                    r"|" + _MON.replace("mon>", "mon2>") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))"
                    + _TIME)
_RELATIVE = {"now", "today", "yesterday", "tomorrow", "tonight", "this morning"}


def _clock(m):
    """(hour, minute, second, microsecond) of a match's time part."""
    if not m.group("H"):
        return 0, 0, 0, 0
    h, mi, s = int(m.group("H")), int(m.group("M")), int(m.group("S") or 0)
    frac = int((m.group("f") or "0").ljust(6, "0")[:6])
    ampm = (m.group("ampm") or "").replace(".", "")
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError(f"hour {h} with {ampm}")
        h = h % 12 + (12 if ampm == "pm" else 0)
    return h, mi, s, frac


def _build(y, mo, d, m):
    """Timestamp or the reason it is not one."""
    if y == 0:
        return "year 0 does not exist"
    if not MIN_YEAR <= y <= MAX_YEAR:
        return f"the year {y} is outside {MIN_YEAR}-{MAX_YEAR}, the range researchlib stores"
    try:
        return pd.Timestamp(dt.datetime(y, mo, d, *_clock(m)))
    except ValueError as e:
        return str(e)


def _classify(text):
    """('ts', Timestamp) | ('num', (a, b, y, match)) | ('bad', reason)."""
    low = text.lower()
    if len(low) == 10 and low[4] == "-" and low[7] == "-":
        try:    # the common case, fast
            d = dt.date.fromisoformat(low)
        except ValueError:
            pass
        else:
            res = _build(d.year, d.month, d.day, _NO_TIME)
            return ("ts", res) if isinstance(res, pd.Timestamp) else ("bad", res)
    m = _ISO.fullmatch(low)
    if m:
        res = _build(int(m.group("y")), int(m.group("m")), int(m.group("d")), m)
        return ("ts", res) if isinstance(res, pd.Timestamp) else ("bad", res)
    m = _NUMERIC.fullmatch(low)
    if m:
        return "num", (int(m.group("a")), int(m.group("b")), int(m.group("y")), m)
    m = _NAMED.fullmatch(low)
    if m:
        mon = m.group("mon") or m.group("mon2")
        day, year = (m.group("d"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("y2"))
        res = _build(int(year), _MONTHS[mon[:3]], int(day), m)
        return ("ts", res) if isinstance(res, pd.Timestamp) else ("bad", res)
    if low in _RELATIVE:
        return "bad", "a relative word, not a date (it depends on when it was written)"
    return "bad", "not a date form researchlib reads (2022-02-04, 04.02.2022, 4 February 2022)"


class _NoTime:
    def group(self, name):
        return None


_NO_TIME = _NoTime()


def _scalar(value):
    """('ts', Timestamp) | ('text', str) | ('empty', None) | ('bad', reason) for a cell."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return "empty", None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return "empty", None
        if ts.tz is not None:
            ts = ts.tz_localize(None)      # keep the wall time as printed
        if not MIN_YEAR <= ts.year <= MAX_YEAR:
            return "bad", f"the year {ts.year} is outside {MIN_YEAR}-{MAX_YEAR}, the range researchlib stores"
        return "ts", ts
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return "bad", "binary data, not a date"
    if not isinstance(value, str):
        return "bad", f"a value of type {type(value).__name__}, not a date"
    value = value.strip()
    return ("empty", None) if not value else ("text", value)


def parse_date(value, *, dayfirst=True):
    """(Timestamp or NaT, problem or None) for one value (see the module doc)."""
    kind, v = _scalar(value)
    if kind != "text":
        return (v, None) if kind == "ts" else (pd.NaT, v if kind == "bad" else None)
    kind, v = _classify(v)
    if kind == "num":
        a, b, y, m = v
        v = _build(y, *((b, a) if dayfirst else (a, b)), m)
        kind = "ts" if isinstance(v, pd.Timestamp) else "bad"
    return (v, None) if kind == "ts" else (pd.NaT, v)


def _examples(cells, idx, wheres, k=3):
    return ", ".join(f"{cells[i]!r} ({wheres[i]})" for i in idx[:k]) + (f" and {len(idx) - k} more" if len(idx) > k else "")


def parse_dates(values, wheres, *, name="", dayfirst=None):
    """Read one column of dates with one day/month order.

    ``values``: the cells; ``wheres``: a ``file:line`` label per cell;
    ``name``: the source named by column-level warnings. Returns
    ``(dates, warnings, order)``: a Timestamp or NaT per cell, a list of
    ``(source, reason)``, and the day/month order used (``"day/month"``,
    ``"month/day"``, or None when no value needed one).
    """
    cells, kinds, memo = [], [], {}
    for v in values:
        kind, s = _scalar(v)
        if kind == "text":
            if s not in memo:
                memo[s] = _classify(s)
            kind, s2 = memo[s]
            cells.append(s)
            kinds.append((kind, s2))
        else:
            cells.append(v)
            kinds.append((kind, s))
    nums = [i for i, (k, _) in enumerate(kinds) if k == "num"]
    day_proof = [i for i in nums if kinds[i][1][0] > 12 >= kinds[i][1][1]]
    month_proof = [i for i in nums if kinds[i][1][1] > 12 >= kinds[i][1][0]]
    ambiguous = [i for i in nums if kinds[i][1][0] <= 12 and kinds[i][1][1] <= 12 and kinds[i][1][0] != kinds[i][1][1]]
    warnings = []
    how = "pass dayfirst=True or dayfirst=False to load_corpus (--dayfirst or --monthfirst) to choose"
    if dayfirst is None and nums:
        if day_proof and month_proof:
            dayfirst = len(day_proof) >= len(month_proof)
            warnings.append((name, f"mixed day/month order in the date column: day first in "
                             f"{_examples(cells, day_proof, wheres)}; month first in {_examples(cells, month_proof, wheres)}; "
                             f"read {'day/month' if dayfirst else 'month/day'} (the majority); {how}"))
        elif month_proof:
            dayfirst = False
        else:
            dayfirst = True
            if ambiguous and not day_proof:
                warnings.append((name, f"ambiguous day/month order in the date column ({len(ambiguous)} values such as "
                                 f"{_examples(cells, ambiguous, wheres)}); read day/month; {how}"))
    order = None if not nums else ("day/month" if dayfirst else "month/day")
    out = []
    for i, (kind, v) in enumerate(kinds):
        if kind == "num":
            a, b, y, m = v
            v = _build(y, *((b, a) if dayfirst else (a, b)), m)
            kind = "ts" if isinstance(v, pd.Timestamp) else "bad"
            if kind == "bad":
                v = f"{v} (read {order})"
        if kind == "ts":
            out.append(v)
        else:
            out.append(pd.NaT)
            if kind == "bad":
                warnings.append((wheres[i], f"date {cells[i]!r} not read: {v}; published left empty"))
    return out, warnings, order
