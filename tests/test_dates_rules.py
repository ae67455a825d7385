"""Date rules of researchlib.timeline (issue 20 item 4), on sentences written
for these tests; every expected date is counted by hand on the calendar."""
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import researchlib as rl
from researchlib.timeline import _sentence_dates
from samples import variants

TUE = pd.Timestamp("2023-03-21")        # a Tuesday: Mon 20, Wed 22, Thu 23 / Thu 16, Fri 17 / Fri 24, Sat 25


def _dates(text, pub=TUE, stamps=True):
    """{as written: (date, kind)} for one sentence published on ``pub``."""
    rows = _sentence_dates("d", 0, text, pub, stamps)
    return {r[2]: (None if r[3] is None else r[3].strftime("%Y-%m-%d"), r[5]) for r in rows}


# ------------------------------------------------------------- a weekday's clause decides its tense
def test_weekday_reads_its_clause_not_the_sentence():
    # "will" elsewhere in the sentence; "issued" governs Friday: the past Friday (the old rule gave Fri 24)
    got = _dates("Xi will be the first leader to meet Putin since the court issued an arrest warrant for him "
                 "on Friday.")
    assert got == {"Friday": ("2023-03-17", "relative")}
    got = _dates("The talks, which began on Monday, will end on Wednesday.")
    assert got == {"Monday": ("2023-03-20", "relative"), "Wednesday": ("2023-03-22", "relative")}
    got = _dates("Xi, who met Putin on Friday, will fly home on Saturday.")
    assert got == {"Friday": ("2023-03-17", "relative"), "Saturday": ("2023-03-25", "relative")}


def test_weekday_nearest_marker_and_passives():
    assert _dates("Putin met Xi on Monday and will fly to Beijing on Thursday.") == {
        "Monday": ("2023-03-20", "relative"), "Thursday": ("2023-03-23", "relative")}
    assert _dates("The talks will be held on Thursday.") == {"Thursday": ("2023-03-23", "relative")}   # be + held
    assert _dates("The vote was held on Thursday.") == {"Thursday": ("2023-03-16", "relative")}
    assert _dates("On Friday, the court issued a warrant.") == {"Friday": ("2023-03-17", "relative")}  # next clause
    assert _dates("The leaders meet again next Friday.") == {"Friday": ("2023-03-24", "relative")}
    assert _dates("The leaders met last Friday.") == {"Friday": ("2023-03-17", "relative")}
    assert _dates("Talks on Friday were cordial.") == {"Friday": ("2023-03-17", "relative")}      # "were": past
    assert _dates("The summit opens on Friday.") == {"Friday": ("2023-03-17", "relative")}       # no marker: past


# ------------------------------------------------------------- "today" and "now"
def test_today_only_when_it_names_a_day():
    day = ("2023-03-21", "relative")
    assert _dates("Today's meeting in the Kremlin lasted four hours.") == {"Today": day}
    assert _dates("Putin met Xi in the Kremlin today.") == {"today": day}
    assert _dates("Later today, the two leaders will dine together.") == {"today": day}
    assert _dates("Xi arrived today, Tuesday, for talks.") == {"today": day, "Tuesday": day}
    # a day named elsewhere in the sentence: "said on Monday ... today"
    got = _dates("Peskov said on Monday that the leaders would sign the deal today.")
    assert got == {"Monday": ("2023-03-20", "relative"), "today": day}
    # nowadays
    assert _dates("Today's world is more divided than ever.") == {}
    assert _dates("China today faces many problems at home.") == {}
    assert _dates("The relationship is where it is today.") == {}
    assert _dates("The leaders are now in Moscow for the summit.") == {}          # "now" is never a day


# ------------------------------------------------------------- page stamps and datelines
def test_stamps_and_datelines_are_tagged():
    assert _dates("Published: Mar 19, 2023 Updated: Mar 20, 2023") == {
        "Mar 19, 2023": ("2023-03-19", "stamp"), "Mar 20, 2023": ("2023-03-20", "stamp")}
    assert _dates("Updated 10:32 GMT") == {"Updated 10:32 GMT": (None, "stamp")}
    assert _dates("Last updated: Tuesday 10:32 GMT, March 21, 2023") == {
        "Tuesday": ("2023-03-21", "stamp"), "March 21, 2023": ("2023-03-21", "stamp")}
    assert _dates("MOSCOW, March 20 (Reuters) - Xi met Putin in the Kremlin.") == {"March 20": ("2023-03-20", "stamp")}
    assert _dates("March 20, 2023 10:32 GMT") == {"March 20, 2023": ("2023-03-20", "stamp")}
    # a mention, not a stamp: "published" inside the sentence, a date that is not alone
    assert _dates("In an article published on March 19 in the paper, Xi praised ties.") == {
        "March 19": ("2023-03-19", "explicit")}
    assert _dates("March 20, 2023 was the first day of the visit.") == {"March 20, 2023": ("2023-03-20", "explicit")}
    assert _dates("Published: Mar 19, 2023", stamps=False) == {}


def test_dates_mentioned_leaves_stamps_out_unless_asked(tmp_path):
    text = ("Xi met Putin in Moscow on March 20. The leaders will meet again on Friday.\n\n"
            "BEIJING, March 21 (Xinhua) -- Chinese state media praised the visit. Published: March 21, 2023.")
    pd.DataFrame([{"text": text, "published": "2023-03-21", "outlet": "X"}]).to_csv(tmp_path / "a.csv", index=False)
    c = rl.load_corpus(tmp_path / "a.csv")
    d = rl.dates_mentioned(c)
    assert list(zip(d["text"], d["date"].dt.strftime("%Y-%m-%d"), d["kind"])) == [
        ("March 20", "2023-03-20", "explicit"), ("Friday", "2023-03-24", "relative")]
    d = rl.dates_mentioned(c, include_stamps=True)
    assert list(zip(d["text"], d["kind"])) == [("March 20", "explicit"), ("Friday", "relative"),
                                               ("March 21", "stamp"), ("March 21, 2023", "stamp")]


# ------------------------------------------------------------- the publication date only
def test_relative_dates_need_the_publication_date(tmp_path):
    text = "Xi met Putin on Friday and today. The treaty of July 16, 2001 was renewed last year on March 20."
    pd.DataFrame([{"text": text, "outlet": "X"}]).to_csv(tmp_path / "a.csv", index=False)
    c = rl.load_corpus(tmp_path / "a.csv")
    assert c.documents["published"].isna().all()
    d = rl.dates_mentioned(c)
    # no publication date: only the date that carries its year; never the clock of the machine
    assert list(zip(d["text"], d["date"].dt.strftime("%Y-%m-%d"))) == [("July 16, 2001", "2001-07-16")]


# ------------------------------------------------------------- fast path equals the plain pattern
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Published", "UPDATED", "poſted", "modİfied", "Created", "dated", "Date", "date",
                                 ":", "|", "\n", " ", "on", "at", "10:32", "9.05", "GMT", "pm", "March", "20",
                                 "Monday", ",", "last", "first", "x"]), max_size=10).map(" ".join))
def test_time_stamp_prefilter_never_skips_a_stamp(text):
    from researchlib.timeline import _STAMP_TIME, _time_stamps
    assert [m.span() for m in _time_stamps(text)] == [m.span() for m in _STAMP_TIME.finditer(text)]


def test_seed_dates_unchanged_by_the_clause_rule(corpus):
    d = rl.dates_mentioned(corpus)
    assert len(d) == 22 and set(d["kind"]) == {"explicit", "relative"}
    assert "today" not in set(d["text"].str.lower())             # "where it is today" (004)


# ------------------------------------------------------------- fast paths equal the plain method
def test_folding_keeps_what_the_date_pattern_reads():
    """The date scan reads the folded text (``fold_like_re_i``) with the
    lower-cased pattern: that is exact only if, for every character, the fold
    keeps its class (\\w, \\d, \\s) and turns it into exactly the ASCII
    character that ``re.I`` equates it with (checked over all of Unicode)."""
    import re
    import sys

    from researchlib.text import fold_like_re_i
    classes = [re.compile(p) for p in (r"\w", r"\d", r"\s")]
    ascii_i = re.compile(r"[\x00-\x7f]", re.I)
    for c in map(chr, range(sys.maxunicode + 1)):
        if "\ud800" <= c <= "\udfff":
            continue
        f = fold_like_re_i(c)
        assert [bool(p.match(c)) for p in classes] == [bool(p.match(f)) for p in classes], hex(ord(c))
        if c.isascii():
            continue
        if ascii_i.match(c) or f.isascii():
            assert f.isascii() and re.fullmatch(re.escape(f), c, re.I), hex(ord(c))


def _date_words():
    from researchlib.text import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES
    from researchlib.timeline import RELATIVE, YEAR_PREPOSITIONS
    words = [*MONTH_NAMES, *MONTH_ABBREVIATIONS, *(a + "." for a in MONTH_ABBREVIATIONS), *WEEKDAY_NAMES,
             *RELATIVE, *YEAR_PREPOSITIONS]
    words += [p for w in words for p in w.split()]
    out = set(variants(words)) | {w.replace("a", "á") for w in words}
    return sorted(out) + ["20", "3rd", "2023", "1949", "2023-03-20", "٢٠", "last", "week", "of", ",", "-", "\n",
                          "x", "said", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_date_words()), max_size=10).map(" ".join))
def test_date_scan_reads_the_groups_of_the_plain_pattern(text):
    """Same spans; the groups as written in a text that is not ASCII (the
    folded scan reads them again from the text), case-blind in ASCII text."""
    from researchlib.timeline import _date_matches, date_matches_reference
    fast, plain = list(_date_matches(text)), list(date_matches_reference(text))
    assert [m.span() for m in fast] == [m.span() for m in plain]
    if text.isascii():
        def blind(m):
            return {k: v and v.lower() for k, v in m.groupdict().items()}
        assert [blind(m) for m in fast] == [blind(m) for m in plain]
    else:
        assert [m.groupdict() for m in fast] == [m.groupdict() for m in plain]


def test_cached_dates_keep_the_unit_of_the_publication_date():
    """A relative date is the publication date moved in its own unit, also
    when the same day in another unit was resolved first (one process reads
    many corpora)."""
    from researchlib.timeline import _day, _shift
    for unit in ("ns", "s", "us", "ms", "ns"):
        pub = TUE.as_unit(unit)
        got = _shift(pub, -3)
        want = pub - pd.Timedelta(days=3)
        assert got == want and got.unit == want.unit
    assert _day(2024, 2, 29) == pd.Timestamp(year=2024, month=2, day=29)
    with pytest.raises(ValueError):
        _day(2023, 2, 29)



def test_cached_dates_keep_the_time_zone_of_the_publication_date():
    """One instant in two zones is two dates: midnight 2 January in Paris is
    23:00 on 1 January in UTC, so "yesterday" is 1 January in Paris and
    31 December in UTC, whichever was resolved first; the closest year of
    "31 December" is 2019 from both."""
    from researchlib.timeline import _closest_year, _shift
    paris = pd.Timestamp("2020-01-02 00:00", tz="Europe/Paris")
    utc = pd.Timestamp("2020-01-01 23:00", tz="UTC")
    assert paris == utc
    assert _shift(paris, -1) == pd.Timestamp("2020-01-01 00:00", tz="Europe/Paris")
    got = _shift(utc, -1)
    assert got == pd.Timestamp("2019-12-31 23:00", tz="UTC") and str(got.tz) == "UTC"
    assert _closest_year(12, 31, paris.tz_localize(None)) == pd.Timestamp("2019-12-31")
    assert _closest_year(12, 31, utc.tz_localize(None)) == pd.Timestamp("2019-12-31")

def test_date_prefilter_words_cover_every_weekday_and_relative_word():
    """Each word a date without a digit must hold contains one of the
    pre-filter's words (built from the same lists)."""
    from researchlib.text import WEEKDAY_NAMES
    from researchlib.timeline import _DATE_WORDS, RELATIVE
    for w in (*WEEKDAY_NAMES, *RELATIVE):
        last = w.split()[-1].lower()
        assert any(x in last for x in _DATE_WORDS), w
    assert len(_DATE_WORDS) < len({w.split()[-1] for w in (*WEEKDAY_NAMES, *RELATIVE)})


def _marks():
    from researchlib.timeline import _MARKS
    return list(_MARKS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_date_words() + _marks() + ["Published", "UPDATED", "poſted", "modİfied",
                                                                     "10:32", "“Today”", "’s", "—"]),
                         max_size=8).map(" ".join), min_size=1, max_size=6))
def test_column_prefilter_never_skips_a_sentence_with_a_date(texts):
    """The one-pass pre-filter over the sentence column (Arrow strings) is
    False only where the per-sentence method finds no date and no stamp."""
    from researchlib.timeline import _DATE_WORDS, STAMP_WORDS, _date_matches, _may_hold_a_date, _time_stamps
    col = pd.Series(texts, dtype=pd.StringDtype("pyarrow"))
    for words, stamps in ((_DATE_WORDS, False), (_DATE_WORDS + tuple(STAMP_WORDS), True)):
        for text, may in zip(texts, _may_hold_a_date(col, words)):
            if not may:
                assert not list(_date_matches(text)) and not (stamps and _time_stamps(text)), text
    assert _may_hold_a_date(col.astype(object), _DATE_WORDS).all()        # other columns: every sentence is read


def test_column_prefilter_marks_are_no_digits_and_no_letters():
    """The characters besides ASCII the column pre-filter reads as it reads
    ASCII: no digit (``\\d``), nothing re.I reads as an ASCII character."""
    import re

    from researchlib.text import fold_like_re_i
    from researchlib.timeline import _MARKS, _DATE_WORDS, _may_hold_a_date
    for c in _MARKS:
        assert not re.match(r"[\d\w]", c) and not fold_like_re_i(c).isascii(), hex(ord(c))
        assert not re.match(r"[\x00-\x7f]", c, re.I), hex(ord(c))
    col = pd.Series(["“We agreed,” he said — …", "“On Friday”", "In 1949’s", "He ſaid", "Xi\u212a"],
                    dtype=pd.StringDtype("pyarrow"))
    assert _may_hold_a_date(col, _DATE_WORDS).tolist() == [False, True, True, True, True]


def _dates_read_sentence_by_sentence(monkeypatch, corpus, **kw):
    import researchlib.timeline as tl
    with monkeypatch.context() as m:
        m.setattr(tl, "_may_hold_a_date", lambda texts, words: [True] * len(texts))
        return rl.dates_mentioned(corpus, **kw)


@pytest.mark.parametrize("stamps", [False, True])
def test_dates_mentioned_equals_reading_every_sentence(corpus, monkeypatch, stamps):
    """On the seeds, as written, in capitals and with the letters re.I folds
    (so that many sentences are not ASCII), with Arrow and with Python strings."""
    from researchlib.corpus import Corpus
    assert corpus.sentences["text"].dtype.storage == "pyarrow"
    for change in (str, str.upper, lambda t: t.replace("s", "ſ").replace("day", "dAY")):
        s = corpus.sentences.assign(text=corpus.sentences["text"].map(change).astype(corpus.sentences["text"].dtype))
        for col in (s["text"], s["text"].astype(object)):
            c = Corpus(corpus.documents, s.assign(text=col), corpus.removed, corpus.rejected, corpus.warnings,
                       corpus.quotes)
            got = rl.dates_mentioned(c, include_stamps=stamps)
            pd.testing.assert_frame_equal(got, _dates_read_sentence_by_sentence(monkeypatch, c, include_stamps=stamps))
            if change is str:
                assert len(got) >= 22


def test_letters_re_i_folds_are_read_as_it_reads_them():
    """re.I finds "Tueſday" and "yeſterday" (long s); their value is read as
    re.I read it: the Tuesday and the day before (was: an error, and nothing)."""
    assert _dates("Xi met Putin on Tueſday.") == {"Tueſday": ("2023-03-21", "relative")}
    assert _dates("Xi met Putin on Monday and yeſterday.") == {"Monday": ("2023-03-20", "relative"),
                                                               "yeſterday": ("2023-03-20", "relative")}
    assert _dates("The treaty of Auguſt 2, 2001 holds.") == {"Auguſt 2, 2001": ("2001-08-02", "explicit")}
