"""Time: key events, dates mentioned in the text, time bins, event lags.

``dates_mentioned`` resolves, against each article's publication date (never
the clock of the machine running it; with no publication date, relative dates
are not resolved):

* explicit dates: "February 24, 2022", "Feb. 24", "24 February 2022",
  "March 20" (year inferred: the year that puts the date closest to
  publication), "January 2020" (month), "in 1949" (year);
* relative dates: weekdays ("on Monday", "here Monday"), "Friday last week",
  "yesterday", "today", "tomorrow", "last year", "this year", "next year",
  "a year ago", "last month".

Method for the ambiguous ones:

* **A weekday** is the latest such day on or before publication, or the next
  one when its *clause* speaks of the future. The clause is the stretch of the
  sentence between commas, semicolons, colons, dashes or brackets around the
  weekday (a clause that is only "On Friday" reads the next one). The tense
  marker nearest to the weekday in it decides, looking left first, then right:
  future markers (``FUTURE_WORDS``: will, due, scheduled, next, to be
  followed, ...) or past ones (``PAST_WORDS``: was, had, last, ago, ...; and
  past verb forms, ``PAST_VERBS`` and lower-case words ending in "-ed", unless
  be / been / being precedes them, which leaves the decision to the auxiliary
  before it: "will be held"). So in "Xi
  will be the first leader to meet Putin since the court issued a warrant for
  him on Friday", Friday is the past one ("issued"), whatever "will" says.
* **"today"** counts as a day only when the text says it means one:
  "today's" + an event noun (``TODAY_EVENTS``: meeting, talks, summit, ...),
  "earlier / later / as of / from today", "today, Monday" or "today (March
  20)", a weekday or a full date elsewhere in the sentence ("said on Tuesday
  ... today"), or a tense marker within six words in its clause ("Putin met Xi
  today"). "today's world", "where it is today", "China today faces" are
  "nowadays" and skipped. "now" never names a day and is not read.
* **Page stamps and datelines** ("Published: Mar 19, 2023", "Updated 10:32
  GMT", "MOSCOW, March 20 (Reuters) -", a line that is only a date and a time)
  are ``kind="stamp"``: when the page was made, not a date the text mentions.
  ``dates_mentioned`` leaves them out unless ``include_stamps=True``; a stamp
  with a time and no date has no ``date``.

Not resolved (documented limits): durations ("nearly two years", "10-month
war"), seasons ("in the spring"), "last week" alone, decades ("the 1990s"),
dates written only in numbers other than ISO (03/20/2023: ambiguous order).
The tense rule reads word forms, not syntax: a past participle used as an
adjective ("the agreed plan on Friday") counts as past, a present tense for a
scheduled event ("the summit opens on Monday") gives no verdict (so the past
day).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import ResourceError
from .signatures import keyword_options
from .store import stored
from .text import (MONTH_ABBREVIATIONS, MONTH_NAMES, QUOTE_TABLE, WEEKDAY_NAMES, alternatives, fold_like_re_i,
                   trie_of_atoms)

__all__ = ["load_events", "dates_mentioned", "time_bin", "attention", "event_lags", "MONTHS", "EVENT_COLUMNS"]

MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)}
_ABBR = {a.lower(): i for a, i in MONTH_ABBREVIATIONS.items()}
WEEKDAYS = [w.lower() for w in WEEKDAY_NAMES]
#: Relative dates, and the prepositions before a bare year ("in 1949").
RELATIVE = ["yesterday", "today", "tomorrow", "last year", "this year", "next year", "a year ago", "last month"]
YEAR_PREPOSITIONS = ["in", "since", "of", "until", "by"]
_MONTH_NAME = alternatives(MONTH_NAMES)
_MON = rf"(?P<mon>{_MONTH_NAME}|(?:{alternatives(MONTH_ABBREVIATIONS)})\.?)"
_DATE_ALTERNATIVES = (
    rf"\b{_MON}\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH_NAME})(?:,?\s+(?P<year2>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<mon3>{_MONTH_NAME})\s+(?P<year3>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b"
    rf"|\b(?P<wd>{alternatives(WEEKDAY_NAMES)})(?P<lastweek>\s+(?:of\s+)?last\s+week)?\b"
    rf"|\b(?P<rel>{alternatives(RELATIVE)})\b"
    rf"|\b(?:{alternatives(YEAR_PREPOSITIONS)})\s+(?P<yr>(?:19|20)\d\d)\b(?![-\d])")
#: The plain method: every date expression is a match of this pattern.
_DATE_PLAIN = re.compile(_DATE_ALTERNATIVES, re.I)
# The fast path, from the same lists: one word-boundary test and the possible
# first characters (a digit, or the first letter of a word above) checked
# before the alternatives are tried (2x faster scan).
_FIRST = "".join(sorted({w[0].lower() for w in (*MONTH_NAMES, *MONTH_ABBREVIATIONS, *WEEKDAY_NAMES, *RELATIVE,
                                                 *YEAR_PREPOSITIONS)}))
_DATE_PATTERN = r"\b(?=[\d" + _FIRST + "])(?:" + _DATE_ALTERNATIVES + ")"
_DATE_RE = re.compile(_DATE_PATTERN, re.I)
# ``re.I`` is slow; on ASCII text the lower-cased pattern over the lower-cased
# text finds the same matches (offsets equal; values are read case-blind).
_DATE_RE_LOWER = re.compile(_DATE_PATTERN.lower().replace("(?p<", "(?P<"))
_AFTER_WEEKDAY = re.compile(r",?\s+" + _MON)

# --- the tense of a weekday's clause ------------------------------------------
FUTURE_WORDS = ["will", "shall", "won't", "due to", "is due", "are due", "scheduled", "to be followed", "next",
                "expected to", "plans to", "plan to", "planned", "set to", "going to", "upcoming"]
PAST_WORDS = ["was", "were", "had", "has", "have", "did", "last", "ago"]
# irregular past forms; like the "-ed" words they decide only when no be / been / being precedes them
PAST_VERBS = ["met", "said", "held", "made", "took", "gave", "sent", "told", "began", "came", "went", "left",
              "spoke", "saw", "won", "lost", "flew", "wrote", "led", "struck", "got", "sought", "brought",
              "thought", "fought", "became", "ran", "kept", "felt", "found", "heard", "knew", "meant", "paid", "sat",
              "stood", "understood", "chose", "drew", "fell", "grew", "rose", "shook", "sold", "spent", "threw",
              "broke", "froze"]
_BE = {"be", "been", "being"}
# Words ending in "-ed" that are no past tense.
_NOT_PAST = {"need", "indeed", "speed", "seed", "feed", "proceed", "exceed", "succeed", "shed", "hundred", "embed",
             "breed", "greed", "deed", "heed", "bleed", "creed", "naked", "sacred", "wicked", "kindred", "red", "bed"}


def _tense_pattern(words):
    """The tense-marker pattern, with ``words`` writing a word list as a regex."""
    return re.compile(r"(?<![\w'’])(?:(?P<future>" + words(FUTURE_WORDS) + r"|\w+['’]ll)|(?P<past>"
                      + words(PAST_WORDS) + r")|(?P<verb>" + words(PAST_VERBS)
                      + r"|(?-i:[a-z]+ed)))(?![\w'’])", re.I)


def _trie(words):
    """``alternatives(words)`` written as a trie (a space: any run of whitespace)."""
    return trie_of_atoms([r"\s+" if ch == " " else re.escape(ch) for ch in w] for w in words)


#: The plain method: every tense marker is a match of this pattern.
_TENSE = _tense_pattern(alternatives)
# The fast path, from the same lists: each list a trie, so that ``re`` tries
# one branch per position instead of every word (same matches, tested equal).
_TENSE_FAST = _tense_pattern(_trie)
_CLAUSE_END = re.compile(r"[;:()\[\]—–]|,\s|\s-\s")
_PREVIOUS_WORD = re.compile(r"(\w+)\W*$")


def _clauses(sentence):
    """(start, end) of the clauses of ``sentence`` (see the module doc)."""
    cuts = [0] + [x for m in _CLAUSE_END.finditer(sentence) for x in (m.start(), m.end())] + [len(sentence)]
    return [(a, b) for a, b in zip(cuts[0::2], cuts[1::2])]


def _markers(sentence, a, b):
    """Tense markers in ``sentence[a:b]``: (start, end, "future" | "past")."""
    out = []
    for m in _TENSE_FAST.finditer(sentence, a, b):
        if m.group("verb"):
            prev = _PREVIOUS_WORD.search(sentence, a, m.start())
            if m.group(0).lower() in _NOT_PAST or (prev and prev.group(1).lower() in _BE):
                continue                    # "will be held": the auxiliary decides
        out.append((m.start(), m.end(), "future" if m.group("future") else "past"))
    return out


def _tense_at(sentence, start, end, *, within=None):
    """"future", "past" or None: the tense marker nearest to ``sentence[start:
    end]`` in its clause, left first (only markers ``within`` words of it when
    given)."""
    clauses = _clauses(sentence)
    k = next((i for i, (a, b) in enumerate(clauses) if a <= start < b), len(clauses) - 1)
    order = [clauses[k]]
    if within is None:
        order += clauses[k + 1:k + 2] + clauses[max(0, k - 1):k]    # "On Friday, the court issued"
    for n, (a, b) in enumerate(order):
        found = _markers(sentence, a, b)
        left = [x for x in found if x[1] <= start]
        right = [x for x in found if x[0] >= end]
        if n == 0:
            pick = left[-1:] + right[:1]
        else:
            pick = found[:1] if a >= end else found[-1:]
        for x in pick:
            gap = sentence[x[1]:start] if x[1] <= start else sentence[end:x[0]]
            if within is None or len(gap.split()) <= within:
                return x[2]
    return None


# --- "today" ------------------------------------------------------------------
TODAY_EVENTS = ["meeting", "meetings", "talks", "summit", "visit", "call", "session", "ceremony", "briefing",
                "conference", "vote", "parade", "announcement", "statement", "signing", "speech", "address",
                "remarks", "event", "rally", "trip", "hearing", "match", "election", "launch", "attack", "strike",
                "decision", "ruling", "deadline", "interview", "negotiations", "discussions", "edition", "game",
                "debate", "exercise", "exercises", "drills", "funeral", "inauguration"]
_TODAY_POSSESSIVE = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(" + alternatives(TODAY_EVENTS) + r")\b", re.I)
_TODAY_BEFORE = re.compile(r"\b(?:earlier|later|as\s+of|from)\s*$", re.I)
_TODAY_APPOSITION = re.compile(r"\s*(?:,\s*|\(\s*)(?:(?:" + alternatives(WEEKDAY_NAMES) + r")\b|" + _MON + r"\s+\d)", re.I)
_NOWADAYS_BEFORE = re.compile(r"\b(?:is|are|was|were|stands?|remains?|of)\s*$", re.I)


def _today_is_a_day(sentence, m, day_elsewhere):
    """Does "today" at ``m`` name a day (see the module doc)?"""
    after, before = sentence[m.end():], sentence[:m.start()]
    if after.startswith(("'s", "’s")):
        return bool(_TODAY_POSSESSIVE.match(after))       # "today's meeting", not "today's world"
    if _TODAY_BEFORE.search(before) or _TODAY_APPOSITION.match(after):
        return True
    if _NOWADAYS_BEFORE.search(before):
        return False                                      # "where it is today", "the world of today"
    return day_elsewhere or _tense_at(sentence, m.start(), m.end(), within=6) is not None


# --- page stamps and datelines ------------------------------------------------
STAMP_WORDS = ["published", "updated", "posted", "modified", "created", "dated", "date"]
_TIME = r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|BST|CET|CEST|MSK|EST|EDT|PST|[A-Z]{3})(?:[+-]\d{1,2})?)?"
_WEEKDAY = "(?:" + alternatives(WEEKDAY_NAMES) + ")"
_STAMP_HEAD = (r"(?:^|[|•·\n])\s*(?:(?:first|last)\s+)?(?:" + "|".join(STAMP_WORDS) + r")\b(?:\s+(?:on|at))?\s*:?\s*")
# the text between a stamp word and the date it stamps
_STAMP_BEFORE = re.compile(_STAMP_HEAD + r"(?:(?:" + _TIME + r"|" + _WEEKDAY + r")\s*,?\s*)*$", re.I)
# a stamp with a time and no date ("Updated 10:32 GMT")
_STAMP_TIME = re.compile(_STAMP_HEAD + _TIME + r"(?!\s*,?\s*(?:" + _WEEKDAY + r"|" + _MON + r"|\d))", re.I)
_DATELINE_BEFORE = re.compile(r"^\s*[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][\w.'’ -]{1,30}?)?,\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:--|[-–—:])")
_ONLY_DATE = re.compile(r"[\s,|•·:-]*(?:(?:" + _TIME + r"|" + _WEEKDAY + r")[\s,|•·:-]*)*", re.I)


def _is_stamp(sentence, m, since):
    """Is the date at ``m`` a page stamp or a dateline? ``since``: where the
    text after the previous stamp starts."""
    before = sentence[since:m.start()]
    if _STAMP_BEFORE.search(before):
        return True
    if m.group("wd") or m.group("rel") or m.group("yr"):
        return False
    if _DATELINE_BEFORE.match(before) and _DATELINE_AFTER.match(sentence, m.end()):
        return True                                        # "MOSCOW, March 20 (Reuters) -"
    rest = sentence[since:m.start()] + " " + sentence[m.end():]
    return bool(_ONLY_DATE.fullmatch(rest)) and bool(m.group("year") or m.group("year2") or m.group("iso"))


def _time_stamps(sentence):
    """``_STAMP_TIME.finditer(sentence)``, tried only where a stamp word occurs
    (in the text folded as case-insensitive matching sees it)."""
    low = fold_like_re_i(sentence)
    if not any(w in low for w in STAMP_WORDS):
        return []
    return list(_STAMP_TIME.finditer(sentence))


def _month(s):
    s = fold_like_re_i(s).rstrip(".")      # as re.I read it ("Auguſt")
    return MONTHS.get(s) or _ABBR.get(s[:4] if s.startswith("sept") else s[:3])


# Dates are built once per value (articles share their publication dates and
# the dates they mention): the same Timestamps, read from a bounded cache.
@lru_cache(maxsize=4096)
def _day(year, month, day):
    """``pd.Timestamp(year=year, month=month, day=day)``."""
    return pd.Timestamp(year=year, month=month, day=day)


# A Timestamp hashes and compares by its instant: the cache keys add its unit
# and time zone, which the results keep (one instant in two zones is two dates).
def _shift(pub, days):
    """``pub + pd.Timedelta(days=days)`` (in ``pub``'s own unit and zone)."""
    return _shift_cached(pub, pub.unit, pub.tz, days)


@lru_cache(maxsize=4096)
def _shift_cached(pub, unit, tz, days):
    return pub + pd.Timedelta(days=days)


def _closest_year(month, day, pub):
    """The date of ``month``/``day`` in the year before, of or after ``pub``
    closest to it."""
    return _closest_year_cached(month, day, pub, pub.unit, pub.tz)


@lru_cache(maxsize=4096)
def _closest_year_cached(month, day, pub, unit, tz):
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            d = _day(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - pub).days) < abs((best - pub).days):
            best = d
    return best


def _resolve(m, pub, sentence, day_elsewhere=False):
    g = m.groupdict()
    try:
        if g["mon"] and g["day"]:
            month, day = _month(g["mon"]), int(g["day"])
            if g["year"]:
                return _day(int(g["year"]), month, day), "day", "explicit"
            return (_closest_year(month, day, pub), "day", "explicit") if pub is not None else None
        if g["day2"]:
            month, day = _month(g["mon2"]), int(g["day2"])
            if g["year2"]:
                return _day(int(g["year2"]), month, day), "day", "explicit"
            return (_closest_year(month, day, pub), "day", "explicit") if pub is not None else None
        if g["mon3"]:
            return _day(int(g["year3"]), _month(g["mon3"]), 1), "month", "explicit"
        if g["iso"]:
            return pd.Timestamp(g["iso"]), "day", "explicit"
        if g["yr"]:
            return _day(int(g["yr"]), 1, 1), "year", "explicit"
    except ValueError:
        return None
    if pub is None:
        return None
    if g["wd"]:
        target = WEEKDAYS.index(fold_like_re_i(g["wd"]))     # "Tueſday" too
        if g["lastweek"]:
            monday = _shift(pub, -pub.weekday())
            return _shift(monday, target - 7), "day", "relative"
        back = (pub.weekday() - target) % 7
        if back and _tense_at(sentence, m.start(), m.end()) == "future":
            return _shift(pub, 7 - back), "day", "relative"
        return _shift(pub, -back), "day", "relative"
    rel = re.sub(r"\s+", " ", fold_like_re_i(g["rel"]))
    if rel == "yesterday":
        return _shift(pub, -1), "day", "relative"
    if rel == "today":
        return (pub, "day", "relative") if _today_is_a_day(sentence, m, day_elsewhere) else None
    if rel == "tomorrow":
        return _shift(pub, 1), "day", "relative"
    if rel in ("last year", "a year ago"):
        return _day(pub.year - 1, 1, 1), "year", "relative"
    if rel == "this year":
        return _day(pub.year, 1, 1), "year", "relative"
    if rel == "next year":
        return _day(pub.year + 1, 1, 1), "year", "relative"
    if rel == "last month":
        first = pd.Timestamp(year=pub.year, month=pub.month, day=1) - pd.Timedelta(days=1)
        return pd.Timestamp(year=first.year, month=first.month, day=1), "month", "relative"
    return None


_DIGIT = re.compile(r"\d")


def date_matches_reference(text):
    """The plain method: every match of the date pattern."""
    return _DATE_PLAIN.finditer(text)


# Every date expression without a digit holds a weekday or relative word whole
# (the last word of a phrase: "last year" may be broken by a line), looked for
# in the text folded as re.I sees it ("Tueſday" is a date to re.I): as the
# weekdays' common ending ("day", also ending "today" and "yesterday") and the
# words without it, five looks instead of thirteen.
_DAY = os.path.commonprefix([w[::-1] for w in WEEKDAYS])[::-1]
_DATE_WORDS = tuple(sorted({_DAY} | {w for w in (x.split()[-1].lower() for x in (*WEEKDAY_NAMES, *RELATIVE))
                                     if not w.endswith(_DAY)}))


def _date_matches(text):
    """The matches of :func:`date_matches_reference`, found faster: most
    sentences hold no digit and none of ``_DATE_WORDS`` and skip the scan."""
    low = fold_like_re_i(text)
    if not (_DIGIT.search(text) or any(map(low.__contains__, _DATE_WORDS))):
        return iter(())
    if text.isascii():
        return _DATE_RE_LOWER.finditer(low)
    # The folded text has the same matches (fold_like_re_i folds what re.I
    # equates); each is read again from the text as written, for its groups.
    return (_DATE_RE.match(text, m.start()) for m in _DATE_RE_LOWER.finditer(low))


# Characters besides ASCII that leave a sentence to the column pre-filter: the
# quote marks normalize_quotes maps, dashes, the ellipsis and the no-break
# space (no digit among them, and none that re.I reads as an ASCII letter).
_MARKS = "".join(sorted({chr(c) for c in QUOTE_TABLE} | set("\u2014\u2013\u2026\u00a0")))
_OTHER = re.compile(r"[^\x00-\x7f" + re.escape(_MARKS) + "]")


def _may_hold_a_date(texts, words):
    """Per sentence of ``texts`` (a column of strings), False where the
    pre-filter of :func:`_date_matches` certainly fails: text of ASCII and
    ``_MARKS`` with no digit and none of ``words`` in any case. Asked of the
    whole column at once when Arrow holds its strings (Arrow's regular
    expressions, one pass in C++); other text, and any other column, is left
    to the sentence-by-sentence test (True)."""
    dtype = texts.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return np.ones(len(texts), dtype=bool)
    found = texts.str.contains("[0-9]|" + "|".join(map(re.escape, words)), case=False, regex=True, na=True)
    other = texts.str.contains(_OTHER.pattern, case=True, regex=True, na=True)
    return (found | other).to_numpy(dtype=bool)


@stored("dates_mentioned")
def dates_mentioned(corpus, *, include_stamps=False) -> pd.DataFrame:
    """Every date expression in the text: ``doc_id, sent_id, text, date,
    precision`` (day / month / year; ``date`` is the first day of the month or
    year for coarser precision), ``kind`` (explicit / relative / stamp),
    ``published``. Page stamps and datelines are left out unless
    ``include_stamps`` (see the module doc)."""
    pub = {d: None if pd.isna(p) else pd.Timestamp(p).normalize()
           for d, p in zip(corpus.documents["doc_id"], corpus.documents["published"])}
    rows = []
    s = corpus.sentences[["doc_id", "sent_id", "text"]]
    s = s[_may_hold_a_date(s["text"], _DATE_WORDS + (tuple(STAMP_WORDS) if include_stamps else ()))]
    for d, sid, text in zip(s["doc_id"].tolist(), s["sent_id"].tolist(), s["text"].tolist()):
        rows += _sentence_dates(d, sid, text, pub.get(d), include_stamps)
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "date", "precision", "kind", "published"])
    out["date"] = pd.to_datetime(out["date"])
    return out


def _sentence_dates(d, sid, text, p, include_stamps):
    matches = [m for m in _date_matches(text)
               if not (m.group("wd") and _AFTER_WEEKDAY.match(text, m.end()))]   # "Monday, March 20": one date
    if not matches and not include_stamps:
        return []
    day_elsewhere = [bool(m.group("wd") or m.group("day") or m.group("day2") or m.group("iso")) for m in matches]
    rows, since = [], 0
    for i, m in enumerate(matches):
        others = any(day_elsewhere[:i] + day_elsewhere[i + 1:])
        res = _resolve(m, p, text, others)
        stamp = _is_stamp(text, m, since)
        if stamp:
            since = m.end()
        if res and res[0] is not None and (include_stamps or not stamp):
            rows.append((d, sid, text[m.start():m.end()], res[0], res[1], "stamp" if stamp else res[2], p))
    if include_stamps:
        rows += [(d, sid, t.group(0).strip(" |•·\n"), None, "time", "stamp", p) for t in _time_stamps(text)]
    return rows


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


@keyword_options
def time_bin(dates, *, bin=None) -> pd.DataFrame:
    """Bin dates into periods: one row per date (the index of ``dates`` kept),
    ``date`` (parsed), ``period`` (the first day of its bin; NaT for a
    missing date) and ``bin``, the bin used on every row: 'day' / 'week'
    (from Monday) / 'month', or None for auto by span (up to 31 days by day,
    up to a year by week, else by month)."""
    dates = pd.to_datetime(pd.Series(dates))
    if bin is None:
        span = (dates.max() - dates.min()).days if dates.notna().any() else 0
        bin = "day" if span <= 31 else "week" if span <= 366 else "month"
    if bin not in ("day", "week", "month"):
        raise ValueError(f"bin must be 'day', 'week', 'month' or None, not {bin!r}")
    freq = {"day": "D", "week": "W-SUN", "month": "M"}[bin]   # W-SUN: weeks ending Sunday start Monday
    period = dates.dt.normalize() if bin == "day" else dates.dt.to_period(freq).dt.start_time
    return pd.DataFrame({"date": dates, "period": period, "bin": bin}, index=dates.index)


def attention(documents, *, by="outlet", bin=None, top=11) -> pd.DataFrame:
    """Articles per period per unit, as in Media Cloud's attention chart:
    ``period, <by>, n_docs, total, share`` (``share`` = n_docs / total, the
    articles of that period). The ``top`` units with most articles keep
    their name, the rest are pooled as one "other (k outlets)" row per period,
    so a chart names at most ``top + 1`` series. Undated articles are left
    out (``attrs["undated"]`` counts them); ``attrs["bin"]``: the bin used
    (:func:`time_bin`). A missing unit is "(missing)"."""
    from .findings import count_of, unit_name
    cols = ["period", by, "n_docs", "total", "share"]
    d = documents.dropna(subset=["published"])
    unit = pd.Series(["(missing)" if pd.isna(v) else str(v) for v in d[by]], index=d.index, dtype=object)
    if d.empty:
        out = pd.DataFrame(columns=cols)
        out.attrs.update(bin=bin, undated=len(documents))
        return out
    bins = time_bin(d["published"], bin=bin)
    per, used = bins["period"], bins["bin"].iloc[0]
    n = unit.value_counts()
    names = sorted(n.index, key=lambda u: (-n[u], u))
    if len(names) > top + 1:
        unit = unit.where(unit.isin(names[:top]), f"other ({count_of(len(names) - top, unit_name(by))})")
    g = (pd.DataFrame({"period": per.to_numpy(), by: unit.to_numpy()})
         .groupby(["period", by]).size().rename("n_docs").reset_index())
    g["total"] = g.groupby("period")["n_docs"].transform("sum")
    g["share"] = g["n_docs"] / g["total"]
    g.attrs.update(bin=used, undated=len(documents) - len(d))
    return g[cols]


@keyword_options
def event_lags(corpus, *, events=None, by="outlet") -> pd.DataFrame:
    """For each dated article, the latest event on or before its publication
    date and the lag in days: ``doc_id, <by>, published, event, event_date,
    lag_days`` (empty without events or dates)."""
    ev = load_events(events)
    cols = list(dict.fromkeys(["doc_id", by, "published"]))
    if not pd.api.types.is_datetime64_any_dtype(corpus.documents["published"]):
        return _event_lags_plain(corpus, ev, cols)
    # fast path: one comparison per event over all articles, not one filter of the events per article
    latest = np.full(len(corpus.documents), -1)
    try:
        for i, date in enumerate(ev["date"]):       # a later row of the table wins, as iloc[-1] in the plain method
            latest[(corpus.documents["published"] >= date).to_numpy()] = i
    except TypeError:       # dates that cannot be compared (time zone against none): the plain method says so
        return _event_lags_plain(corpus, ev, cols)
    event_rows = {}
    rows = []
    for r, i in zip(corpus.documents[cols].itertuples(index=False), latest):
        if i < 0:
            continue
        e = event_rows[i] if i in event_rows else event_rows.setdefault(i, ev.iloc[i])
        rows.append((*r, e["event"], e["date"], (r[-1] - e["date"]).days))
    return pd.DataFrame(rows, columns=cols + ["event", "event_date", "lag_days"])


def _event_lags_plain(corpus, ev, cols):
    """:func:`event_lags`, one article at a time (the reference of the fast path; tested equal)."""
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
