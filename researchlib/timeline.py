"""Time: key events, dates mentioned in the text, time bins, event lags.

``dates_mentioned`` resolves, against each article's publication date:

* explicit dates: "February 24, 2022", "Feb. 24", "24 February 2022",
  "March 20" (year inferred: the year that puts the date closest to
  publication), "January 2020" (month), "in 1949" (year);
* relative dates: weekdays ("on Monday", "here Monday": the latest such day on
  or before publication, or the next one when the sentence speaks of the
  future: will, due, scheduled, to be followed), "Friday last week", "yesterday",
  "today", "tomorrow", "last year", "this year", "next year", "a year ago",
  "last month".

"today" after "is"/"are" ("where it is today") is read as "nowadays" and skipped.
Not resolved (documented limits): durations ("nearly two years", "10-month
war"), seasons ("in the spring"), "last week" alone, decades ("the 1990s"),
dates written only in numbers other than ISO (03/20/2023: ambiguous order).
"""
from __future__ import annotations

import re

import pandas as pd

from .errors import ResourceError

__all__ = ["load_events", "dates_mentioned", "time_bin", "event_lags", "MONTHS", "EVENT_COLUMNS"]

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
         "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_DATE_PATTERN = (
    rf"\b{_MON}\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>January|February|March|April|May|June|July|August|September|October|November|December)(?:,?\s+(?P<year2>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<mon3>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<year3>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b"
    r"|\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?P<lastweek>\s+(?:of\s+)?last\s+week)?\b"
    r"|\b(?P<rel>yesterday|(?<!is )(?<!are )today|tomorrow|last\s+year|this\s+year|next\s+year|a\s+year\s+ago|last\s+month)\b"
    r"|\b(?:in|since|of|until|by)\s+(?P<yr>(?:19|20)\d\d)\b(?![-\d])")
# The same pattern with one word-boundary test and the possible first
# characters checked before the alternatives are tried (2x faster scan).
_FIRST = "".join(sorted(set("januaryfebruarymarchaprilmayjunejulyaugustseptemberoctobernovemberdecember"
                            "mondaytuesdaywednesdaythursdayfridaysaturdaysundayyesterdaytodaytomorrow"
                            "lastthisnextainsinceofuntilby")))
_DATE_PATTERN = r"\b(?=[\d" + _FIRST + "])(?:" + _DATE_PATTERN + ")"
_DATE_RE = re.compile(_DATE_PATTERN, re.I)
# ``re.I`` is slow; on ASCII text the lower-cased pattern over the lower-cased
# text finds the same matches (offsets equal; values are read case-blind).
_DATE_RE_LOWER = re.compile(_DATE_PATTERN.lower().replace("(?p<", "(?P<"))
_AFTER_WEEKDAY = re.compile(r",?\s+" + _MON)
_FUTURE = re.compile(r"\b(?:will|shall|due to|is due|are due|scheduled|to be followed|next|expected to|plans? to|set to)\b", re.I)


def _month(s):
    s = s.lower().rstrip(".")
    return MONTHS.get(s) or _ABBR.get(s[:4] if s.startswith("sept") else s[:3])


def _closest_year(month, day, pub):
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            d = pd.Timestamp(year=y, month=month, day=day)
        except ValueError:
            continue
        if best is None or abs((d - pub).days) < abs((best - pub).days):
            best = d
    return best


def _resolve(m, pub, sentence):
    g = m.groupdict()
    try:
        if g["mon"] and g["day"]:
            month, day = _month(g["mon"]), int(g["day"])
            if g["year"]:
                return pd.Timestamp(year=int(g["year"]), month=month, day=day), "day", "explicit"
            return (_closest_year(month, day, pub), "day", "explicit") if pub is not None else None
        if g["day2"]:
            month, day = _month(g["mon2"]), int(g["day2"])
            if g["year2"]:
                return pd.Timestamp(year=int(g["year2"]), month=month, day=day), "day", "explicit"
            return (_closest_year(month, day, pub), "day", "explicit") if pub is not None else None
        if g["mon3"]:
            return pd.Timestamp(year=int(g["year3"]), month=_month(g["mon3"]), day=1), "month", "explicit"
        if g["iso"]:
            return pd.Timestamp(g["iso"]), "day", "explicit"
        if g["yr"]:
            return pd.Timestamp(year=int(g["yr"]), month=1, day=1), "year", "explicit"
    except ValueError:
        return None
    if pub is None:
        return None
    if g["wd"]:
        target = WEEKDAYS.index(g["wd"].lower())
        if g["lastweek"]:
            monday = pub - pd.Timedelta(days=pub.weekday())
            return monday - pd.Timedelta(days=7 - target), "day", "relative"
        back = (pub.weekday() - target) % 7
        if back and _FUTURE.search(sentence):
            return pub + pd.Timedelta(days=7 - back), "day", "relative"
        return pub - pd.Timedelta(days=back), "day", "relative"
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    if rel == "yesterday":
        return pub - pd.Timedelta(days=1), "day", "relative"
    if rel == "today":
        return pub, "day", "relative"
    if rel == "tomorrow":
        return pub + pd.Timedelta(days=1), "day", "relative"
    if rel in ("last year", "a year ago"):
        return pd.Timestamp(year=pub.year - 1, month=1, day=1), "year", "relative"
    if rel == "this year":
        return pd.Timestamp(year=pub.year, month=1, day=1), "year", "relative"
    if rel == "next year":
        return pd.Timestamp(year=pub.year + 1, month=1, day=1), "year", "relative"
    if rel == "last month":
        first = pd.Timestamp(year=pub.year, month=pub.month, day=1) - pd.Timedelta(days=1)
        return pd.Timestamp(year=first.year, month=first.month, day=1), "month", "relative"
    return None


_DIGIT = re.compile(r"\d")


def _date_matches(text):
    """The matches of ``_DATE_RE.finditer(text)``. Every date expression holds
    a digit or one of "day", "year", "month", "tomorrow" (none of whose
    letters re.I folds to a non-ASCII one), so most sentences skip the scan."""
    low = text.lower()
    if not ("day" in low or "year" in low or "month" in low or "tomorrow" in low or _DIGIT.search(text)):
        return iter(())
    return _DATE_RE_LOWER.finditer(low) if text.isascii() else _DATE_RE.finditer(text)


def dates_mentioned(corpus) -> pd.DataFrame:
    """Every date expression in the text: ``doc_id, sent_id, text, date,
    precision`` (day / month / year; ``date`` is the first day of the month or
    year for coarser precision), ``kind`` (explicit / relative), ``published``."""
    pub = {d: None if pd.isna(p) else pd.Timestamp(p).normalize()
           for d, p in zip(corpus.documents["doc_id"], corpus.documents["published"])}
    rows = []
    s = corpus.sentences
    for d, sid, text in zip(s["doc_id"].tolist(), s["sent_id"].tolist(), s["text"].tolist()):
        p = pub.get(d)
        for m in _date_matches(text):
            if m.group("wd") and _AFTER_WEEKDAY.match(text, m.end()):
                continue   # "Monday, March 20": the explicit date is enough
            res = _resolve(m, p, text)
            if res and res[0] is not None:
                rows.append((d, sid, text[m.start():m.end()], res[0], res[1], res[2], p))
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "date", "precision", "kind", "published"])
    out["date"] = pd.to_datetime(out["date"])
    return out


EVENT_COLUMNS = ["date", "end_date", "event", "description", "url"]


def load_events(path=None) -> pd.DataFrame:
    """Key events: CSV with ``date, event`` and optional ``end_date,
    description, url`` (a path or a DataFrame). ``None``: no events (an empty
    table with these columns). Errors name the file and line."""
    if path is None:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if "date" in c else object) for c in EVENT_COLUMNS})
    if isinstance(path, pd.DataFrame):
        ev = path.copy()
        name = "events"
    else:
        name = str(path)
        try:
            ev = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as e:
            raise ResourceError(f"{name}: cannot read events file: {e}") from None
    for col in ("date", "event"):
        if col not in ev.columns:
            raise ResourceError(f"{name}: no {col!r} column; columns are {list(ev.columns)}")
    if "end_date" not in ev.columns:
        ev["end_date"] = ""
    for i, row in enumerate(ev.itertuples(), 2):
        for col in ("date", "end_date"):
            v = getattr(row, col)
            if (col == "date" or v) and pd.isna(pd.to_datetime(v, errors="coerce", format="%Y-%m-%d")):
                raise ResourceError(f"{name}:{i}: {col} {v!r} is not a date (YYYY-MM-DD)")
        if not str(row.event).strip():
            raise ResourceError(f"{name}:{i}: empty event name")
    ev["date"] = pd.to_datetime(ev["date"])
    ev["end_date"] = pd.to_datetime(ev["end_date"].replace("", None)).fillna(ev["date"])
    return ev.sort_values("date").reset_index(drop=True)


def time_bin(dates, bin=None):
    """Bin dates into periods; ``bin`` 'day' / 'week' / 'month' or None (auto by
    span: up to 31 days by day, up to a year by week, else by month).
    Returns (binned timestamps, bin used)."""
    dates = pd.to_datetime(pd.Series(dates))
    if bin is None:
        span = (dates.max() - dates.min()).days if dates.notna().any() else 0
        bin = "day" if span <= 31 else "week" if span <= 366 else "month"
    freq = {"day": "D", "week": "W-MON", "month": "M"}[bin]
    if bin == "day":
        return dates.dt.normalize(), bin
    return dates.dt.to_period(freq).dt.start_time, bin


def event_lags(corpus, events=None, by="outlet") -> pd.DataFrame:
    """For each dated article, the latest event on or before its publication
    date and the lag in days: ``doc_id, <by>, published, event, event_date,
    lag_days`` (empty without events or dates)."""
    ev = load_events(events)
    cols = list(dict.fromkeys(["doc_id", by, "published"]))
    rows = []
    for r in corpus.documents[cols].itertuples(index=False):
        pub = r[-1]
        if pd.isna(pub):
            continue
        prior = ev[ev["date"] <= pub]
        if prior.empty:
            continue
        e = prior.iloc[-1]
        rows.append((*r, e["event"], e["date"], (pub - e["date"]).days))
    return pd.DataFrame(rows, columns=cols + ["event", "event_date", "lag_days"])
