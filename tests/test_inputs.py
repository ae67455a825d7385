"""Every input accounted for (issue 16 items 7, 8 and the wall clock of 3;
issue 17: column names, row ids). Each fixture is hand-written in tmp_path."""
import codecs
import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

import researchlib as rl
from researchlib import cli
from researchlib.dates import parse_dates

GOOD = "A sentence about the meeting in Moscow. Another one here."


def _folder(root: Path, files: dict) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def _check(capsys, *args):
    rc = cli.main(["check", *map(str, args)])
    out = capsys.readouterr()
    return rc, out.out + out.err


def _reasons(table):
    return dict(zip(table["source"], table["reason"]))


# --------------------------------------------------------------------------- #
# issue 16 item 7: folders                                                     #
# --------------------------------------------------------------------------- #

def test_upper_case_extensions_are_loaded(tmp_path):
    root = _folder(tmp_path / "c", {"a.txt": GOOD, "B.TXT": GOOD + " B", "c.Txt": GOOD + " C"})
    c = rl.load_corpus(root)
    assert sorted(c.documents["doc_id"]) == ["B", "a", "c"] and len(c.rejected) == 0


@pytest.mark.parametrize("with_manifest", [False, True])
def test_symbolic_links_are_rejected_alike_with_and_without_manifest(tmp_path, with_manifest):
    root = _folder(tmp_path / "c", {"a.txt": GOOD})
    _folder(tmp_path / "outside", {"secret.txt": "PRIVATE words. " + GOOD, "more/m.txt": "MORE words. " + GOOD})
    os.symlink(tmp_path / "outside" / "secret.txt", root / "link.txt")        # a .txt link pointing outside
    os.symlink(tmp_path / "outside" / "more", root / "linked")                # a symlinked subfolder
    os.symlink("nowhere.txt", root / "x.txt")                                 # a dangling link
    man = None
    if with_manifest:
        man = tmp_path / "m.csv"
        man.write_text("file,outlet,published\na.txt,A,2022-01-01\nlink.txt,B,2022-01-01\n"
                       "linked/m.txt,B,2022-01-01\nx.txt,B,2022-01-01\n")
    c = rl.load_corpus(root, man)
    assert list(c.documents["doc_id"]) == ["a"]
    assert "PRIVATE" not in " ".join(c.documents["text"]) and "MORE" not in " ".join(c.documents["text"])
    r = _reasons(c.rejected)
    assert set(r) == {"link.txt", "linked", "x.txt"}         # the manifest rows add nothing: same rule
    assert "outside the corpus folder" in r["link.txt"] and "never followed" in r["link.txt"]
    assert "a folder outside" in r["linked"]
    assert r["x.txt"].startswith("broken symbolic link")


def test_link_inside_the_folder_is_not_read_twice(tmp_path):
    root = _folder(tmp_path / "c", {"a.txt": GOOD})
    os.symlink("a.txt", root / "alias.txt")
    c = rl.load_corpus(root)
    assert list(c.documents["doc_id"]) == ["a"]
    assert "inside the corpus folder (a.txt)" in _reasons(c.rejected)["alias.txt"]


def test_manifest_rows_naming_non_txt_files_are_rejected(tmp_path):
    root = _folder(tmp_path / "c", {"a.txt": GOOD, "notes.md": "notes", "B.TXT": GOOD + " B", "sub/x.txt": GOOD + " x"})
    man = tmp_path / "m.csv"
    man.write_text("file,outlet\na.txt,A\nnotes.md,A\nb.txt,A\nB.TXT,A\nsub,A\nsub/x.txt,A\n")
    c = rl.load_corpus(root, man)
    assert sorted(c.documents["doc_id"]) == ["B", "a", "x"]
    r = _reasons(c.rejected)
    assert "not a .txt file" in r["m.csv:3"]
    assert "does not exist" in r["m.csv:4"] and "'B.TXT'" in r["m.csv:4"]       # case hint
    assert "is a folder" in r["m.csv:6"]
    assert len(r) == 3


def test_utf16_and_utf32_with_bom_are_decoded(tmp_path):
    text = "Café au lait in Moscow. Another sentence here."
    root = _folder(tmp_path / "c", {"a16.txt": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
                                    "b16.txt": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
                                    "c32.txt": text.encode("utf-32")})
    c = rl.load_corpus(root)
    assert len(c.rejected) == 0 and list(c.documents["text"]) == [text] * 3
    (tmp_path / "t.csv").write_bytes(("outlet,published,text\nA,2022-01-01," + text + "\n").encode("utf-16"))
    c = rl.load_corpus(tmp_path / "t.csv")
    assert list(c.documents["text"]) == [text] and c.documents["outlet"].iloc[0] == "A"


def test_unreadable_file_is_rejected(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    root = _folder(tmp_path / "c", {"a.txt": GOOD, "locked.txt": GOOD + " locked"})
    (root / "locked.txt").chmod(0)
    try:
        c = rl.load_corpus(root)
    finally:
        (root / "locked.txt").chmod(0o644)
    assert "cannot read" in _reasons(c.rejected)["locked.txt"]


# --------------------------------------------------------------------------- #
# issue 16 item 7: tables                                                      #
# --------------------------------------------------------------------------- #

def test_csv_row_with_an_extra_unquoted_comma_is_rejected_at_its_physical_line(tmp_path):
    (tmp_path / "x.csv").write_text(
        'outlet,published,text\n'
        'A,2022-01-01,"First article,\nover two lines."\n'        # lines 2-3
        'Hello, world,2022-01-02,Second article.\n'              # line 4: one comma too many
        'C,2022-01-03,Third article.\n')                          # line 5
    c = rl.load_corpus(tmp_path / "x.csv")
    assert list(c.documents["outlet"]) == ["A", "C"]             # never "Hello" as an index shift
    assert list(c.rejected["source"]) == ["x.csv:4"]
    assert "4 cells, the header has 3" in c.rejected["reason"].iloc[0]
    assert c.documents["text_raw"].tolist() == ["First article,\nover two lines.", "Third article."]


def test_physical_lines_after_a_quoted_newline(tmp_path):
    (tmp_path / "x.csv").write_text('outlet,published,text\nA,2022-01-01,"a\nb\nc"\nB,2023-02-30,Two.\n')
    c = rl.load_corpus(tmp_path / "x.csv")
    assert list(c.warnings["source"]) == ["x.csv:5"]              # not x.csv:3 (the third record)
    assert "2023-02-30" in c.warnings["reason"].iloc[0]
    man = tmp_path / "m.csv"
    _folder(tmp_path / "c", {"a.txt": GOOD})
    man.write_text('file,outlet,published,note\n"a.txt",A,2022-01-01,"multi\nline"\nnope.txt,B,2022-01-01,x\n')
    c = rl.load_corpus(tmp_path / "c", man)
    assert list(c.rejected["source"]) == ["m.csv:4"]


def test_unclosed_quote_is_an_error_naming_its_line(tmp_path, capsys):
    (tmp_path / "q.csv").write_text('outlet,text\nA,"never closed.\nB,Lost row.\nC,Lost too.\n')
    rc, out = _check(capsys, tmp_path / "q.csv")
    assert rc == 1 and "q.csv:2" in out and "never closes" in out and "Traceback" not in out


def test_latin1_and_mixed_encoding_csv_warn_with_lines(tmp_path):
    (tmp_path / "l.csv").write_bytes("outlet,text\nA,Café one.\nB,Fine two.\nC,Naïve three.\n".encode("latin-1"))
    c = rl.load_corpus(tmp_path / "l.csv")
    assert len(c.documents) == 3
    w = c.warnings[c.warnings["kind"] == "encoding"]
    assert list(w["source"]) == ["l.csv:2"] and "2 lines (2, 4)" in w["reason"].iloc[0]
    assert "Windows-1252" in w["reason"].iloc[0]
    mixed = "outlet,text\nA,Café one.\n".encode("utf-8") + "B,Café two.\n".encode("latin-1")
    (tmp_path / "m.csv").write_bytes(mixed)
    c = rl.load_corpus(tmp_path / "m.csv")
    assert c.documents["text"].iloc[0] == "Café one."                 # the UTF-8 line intact
    w = c.warnings[c.warnings["kind"] == "encoding"]
    assert list(w["source"]) == ["m.csv:3"] and "1 line (3)" in w["reason"].iloc[0]


def test_reserved_columns_never_replace_the_text(tmp_path):
    _folder(tmp_path / "c", {"a.txt": GOOD})
    (tmp_path / "m.csv").write_text("file,outlet,text_raw,n_words,_where\na.txt,A,FAKE TEXT,999,forged\n")
    c = rl.load_corpus(tmp_path / "c", tmp_path / "m.csv")
    d = c.documents.iloc[0]
    assert d["text_raw"] == GOOD and d["n_words"] == 10 and d["outlet"] == "A"
    ignored = [r for r in c.warnings["reason"] if "ignored" in r]
    assert len(ignored) == 3 and any("'text_raw'" in r for r in ignored)
    (tmp_path / "t.csv").write_text("body,text,text_raw,outlet\nReal text here.,Other text.,FAKE,A\n")
    c = rl.load_corpus(tmp_path / "t.csv", text="body")
    assert c.documents["text_raw"].iloc[0] == "Real text here."
    assert sum("ignored" in r for r in c.warnings["reason"]) == 2     # text and text_raw


def test_non_string_text_cells_are_rejected_or_decoded(tmp_path):
    rows = [{"text": "Good one.", "outlet": "A"}, {"text": {"a": 1}, "outlet": "B"},
            {"text": ["x", "y"], "outlet": "C"}, {"text": 5, "outlet": "D"}, {"text": "Also good.", "outlet": ["E"]}]
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    c = rl.load_corpus(tmp_path / "t.jsonl")
    assert list(c.documents["text"]) == ["Good one."]
    r = _reasons(c.rejected)
    assert "JSON object" in r["t.jsonl:2"] and "list" in r["t.jsonl:3"] and "number" in r["t.jsonl:4"]
    assert "outlet is a list" in r["t.jsonl:5"]
    assert not any(t.startswith(("{", "[", "b'")) for t in c.documents["text_raw"])
    pd.DataFrame({"text": [b"Bytes text here.", b"\xff\xfe\x00\x01"], "outlet": ["A", "B"]}).to_parquet(tmp_path / "b.parquet")
    c = rl.load_corpus(tmp_path / "b.parquet")
    assert list(c.documents["text"]) == ["Bytes text here."]
    assert "binary" in _reasons(c.rejected)["b.parquet:2"]
    assert any("stored as bytes" in r for r in c.warnings["reason"])
    pd.DataFrame({"text": [["a", "b"], ["c"]], "outlet": ["A", "B"]}).to_parquet(tmp_path / "l.parquet")
    c = rl.load_corpus(tmp_path / "l.parquet")
    assert len(c.documents) == 0 and all("is a list" in r for r in c.rejected["reason"])


def test_json_array_rows_are_labelled_by_their_line(tmp_path):
    (tmp_path / "a.json").write_text('[\n  {"text": "One article."},\n  {"text": ""},\n  3\n]\n')
    c = rl.load_corpus(tmp_path / "a.json")
    assert len(c.documents) == 1 and sorted(c.rejected["source"]) == ["a.json:3", "a.json:4"]


def test_names_with_control_characters_cannot_forge_check_lines(tmp_path, capsys):
    root = _folder(tmp_path / "c", {"a.txt": GOOD, "b\nREJECTED: forged.txt: fake.txt": b"",
                                    "c\x1b[2Jd.txt": b""})
    rc, out = _check(capsys, root)
    assert rc == 1
    assert not any(line.startswith("REJECTED: forged") for line in out.splitlines())
    assert "b\\nREJECTED: forged.txt: fake.txt: empty file" in out
    assert "\x1b" not in out and "c\\x1b[2Jd.txt" in out


# --------------------------------------------------------------------------- #
# issue 16 item 8: dates                                                       #
# --------------------------------------------------------------------------- #

def test_year_zero_negative_and_relative_words_are_reported_not_crashing(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("outlet,published,text\nA,0000-01-01,One.\nB,-0044-03-15,Two.\n"
                                    "C,now,Three.\nD,today,Four.\nE,2022-01-05,Five.\nF,0001-01-01,Six.\n")
    rc, out = _check(capsys, tmp_path / "d.csv")
    assert rc == 1 and "Traceback" not in out
    for line in (2, 3, 4, 5, 7):
        assert f"WARNING: d.csv:{line}: date " in out, line
    c = rl.load_corpus(tmp_path / "d.csv")
    assert c.documents["published"].isna().sum() == 5
    assert c.documents.set_index("outlet").loc["E", "published"] == pd.Timestamp("2022-01-05")
    assert "relative word" in _reasons(c.warnings)["d.csv:4"]
    root = _folder(tmp_path / "c", {"a.txt": " date 0000-01-01 " + GOOD})
    c = rl.load_corpus(root)
    assert c.documents["published"].isna().all() and "a.txt:1" in set(c.warnings["source"])


def test_a_zone_offset_keeps_the_local_calendar_date(tmp_path):
    (tmp_path / "z.csv").write_text("outlet,published,text\nA,2022-02-04T00:30:00+08:00,One.\n"
                                    "B,\"Fri, 04 Feb 2022 01:00:00 +0300\",Two.\nC,2022-02-04T23:30:00-05:00,Three.\n")
    c = rl.load_corpus(tmp_path / "z.csv")
    assert list(c.documents["published"].dt.strftime("%Y-%m-%d %H:%M")) == \
        ["2022-02-04 00:30", "2022-02-04 01:00", "2022-02-04 23:30"]
    ts = pd.Series(pd.to_datetime(["2022-02-04 00:30"]).tz_localize("Asia/Shanghai"))
    pd.DataFrame({"text": ["One."], "published": ts}).to_parquet(tmp_path / "z.parquet")
    assert rl.load_corpus(tmp_path / "z.parquet").documents["published"].iloc[0] == pd.Timestamp("2022-02-04 00:30")


def test_one_day_month_order_per_column(tmp_path):
    (tmp_path / "o.csv").write_text("outlet,date,text\nA,04.02.2022,One.\nB,13/02/2022,Two.\n")
    c = rl.load_corpus(tmp_path / "o.csv")
    assert list(c.documents["published"]) == [pd.Timestamp("2022-02-04"), pd.Timestamp("2022-02-13")]
    assert c.columns_used["published"] == "date (read day/month)"
    (tmp_path / "us.csv").write_text("outlet,date,text\nA,04/02/2022,One.\nB,02/13/2022,Two.\n")
    c = rl.load_corpus(tmp_path / "us.csv")                         # the column proves month first
    assert list(c.documents["published"]) == [pd.Timestamp("2022-04-02"), pd.Timestamp("2022-02-13")]
    (tmp_path / "a.csv").write_text("outlet,date,text\nA,04/02/2022,One.\nB,05/03/2022,Two.\nC,2022-06-01,Three.\n")
    c = rl.load_corpus(tmp_path / "a.csv")                          # nothing proves an order: warned
    w = c.warnings[c.warnings["reason"].str.contains("ambiguous day/month")]
    assert len(w) == 1 and "'04/02/2022' (a.csv:2)" in w["reason"].iloc[0] and "'05/03/2022' (a.csv:3)" in w["reason"].iloc[0]
    assert list(c.documents["published"]) == [pd.Timestamp("2022-02-04"), pd.Timestamp("2022-03-05"), pd.Timestamp("2022-06-01")]
    c = rl.load_corpus(tmp_path / "a.csv", dayfirst=False)           # an explicit choice: no warning
    assert list(c.documents["published"])[:2] == [pd.Timestamp("2022-04-02"), pd.Timestamp("2022-05-03")]
    assert not c.warnings["reason"].str.contains("day/month").any()
    (tmp_path / "x.csv").write_text("outlet,date,text\nA,13/02/2022,One.\nB,14/02/2022,Two.\nC,02/15/2022,Three.\n")
    c = rl.load_corpus(tmp_path / "x.csv")                          # proves both: majority, warned, the other reported
    r = _reasons(c.warnings)
    assert "mixed day/month order" in r["x.csv"] and "x.csv:4" in r and pd.isna(c.documents["published"].iloc[2])


def test_column_order_is_the_same_row_by_row_and_as_a_whole():
    values = ["04.02.2022", "13/02/2022", "2022-02-05", ""]
    dates, warnings, order = parse_dates(values, ["w:2", "w:3", "w:4", "w:5"], name="w")
    assert order == "day/month" and warnings == []
    assert dates[:3] == [pd.Timestamp("2022-02-04"), pd.Timestamp("2022-02-13"), pd.Timestamp("2022-02-05")]
    assert pd.isna(dates[3])


def test_manifest_dates_follow_the_same_rule(tmp_path, capsys):
    _folder(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD + " b"})
    (tmp_path / "m.csv").write_text("file,outlet,date\na.txt,A,04.02.2022\nb.txt,B,13.02.2022\n")
    c = rl.load_corpus(tmp_path / "c", tmp_path / "m.csv")
    assert list(c.documents["published"]) == [pd.Timestamp("2022-02-04"), pd.Timestamp("2022-02-13")]
    assert len(c.warnings) == 0
    rc, out = _check(capsys, tmp_path / "c", "--manifest", tmp_path / "m.csv")
    assert rc == 0 and "published <- m.csv: date (read day/month)" in out


# --------------------------------------------------------------------------- #
# issue 16 item 3: nothing depends on the wall clock                           #
# --------------------------------------------------------------------------- #

def test_dates_after_today_load_unchanged(tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    (tmp_path / "f.csv").write_text(f"outlet,published,text\nA,{tomorrow},They will meet tomorrow in Moscow.\n"
                                    "B,2200-01-01,A far date.\n")
    c = rl.load_corpus(tmp_path / "f.csv")
    assert len(c.warnings) == 0 and len(c.rejected) == 0                # no "future" judged against today
    assert list(c.documents["published"]) == [pd.Timestamp(tomorrow), pd.Timestamp("2200-01-01")]
    d = rl.dates_mentioned(c)                                      # relative to publication, not to today
    assert d.loc[d["text"] == "tomorrow", "date"].iloc[0] == pd.Timestamp(tomorrow + dt.timedelta(days=1))


def test_no_wall_clock_in_loading_or_measures():
    """The loader and the measures never read the clock (a result cached on
    one day must mean the same on the next); only report.py and outputs.py (the output marker) stamp the time of
    a build, and fetch.py the time of each download in its log."""
    pkg = Path(rl.__file__).parent
    clock = re.compile(r"date\.today\(|datetime\.now\(|datetime\.today\(|Timestamp\.(?:now|today)\(|\butcnow\(|"
                       r"to_datetime\([^)]*[\"'](?:now|today)[\"']")
    found = [f"{p.name}:{i}" for p in pkg.glob("*.py") if p.name not in ("report.py", "outputs.py", "fetch.py")
             for i, line in enumerate(p.read_text().splitlines(), 1) if clock.search(line)]
    assert found == []


# --------------------------------------------------------------------------- #
# issue 17: column names and ids                                               #
# --------------------------------------------------------------------------- #

def test_headline_source_date_table_loads(tmp_path, capsys):
    (tmp_path / "h.csv").write_text("headline,source,date\nXi meets Putin in Moscow,Reuters,2023-03-20\n"
                                    "Putin hails ties with China,TASS,2023-03-21\n")
    c = rl.load_corpus(tmp_path / "h.csv")
    d = c.documents
    assert list(d["text"]) == ["Xi meets Putin in Moscow", "Putin hails ties with China"]
    assert list(d["outlet"]) == ["Reuters", "TASS"]
    assert list(d["published"]) == [pd.Timestamp("2023-03-20"), pd.Timestamp("2023-03-21")]
    assert c.columns_used == {"text": "headline", "outlet": "source", "published": "date",
                              "doc_id": "row number (row000001, ...)"}
    assert len(c.warnings) == 0 and len(c.rejected) == 0
    rc, out = _check(capsys, tmp_path / "h.csv")
    assert rc == 0 and "columns: text <- headline, doc_id <- row number" in out and "outlet <- source" in out
    assert "no date" not in out and "Reuters: 1 documents, 5 words, 2023-03-20..2023-03-20" in out


@pytest.mark.parametrize("names,expect", [
    (("Body", "Site", "PubDate"), ("Body", "Site", "PubDate")),
    (("content", "media", "publish_date"), ("content", "media", "publish_date")),
    (("TEXT", "Outlet", "Timestamp"), ("TEXT", "Outlet", "Timestamp")),
])
def test_common_column_names_any_case(tmp_path, names, expect):
    t, o, p = names
    (tmp_path / "t.csv").write_text(f"{t},{o},{p},Link,Title\nArticle text here.,X,2022-01-02,https://x.example/1,A title\n")
    c = rl.load_corpus(tmp_path / "t.csv")
    assert {k: c.columns_used[k] for k in ("text", "outlet", "published")} == dict(zip(("text", "outlet", "published"), expect))
    d = c.documents.iloc[0]
    assert (d["outlet"], d["published"], d["url"], d["title"]) == ("X", pd.Timestamp("2022-01-02"), "https://x.example/1", "A title")
    assert len(c.warnings) == 0


def test_missing_date_or_outlet_column_and_two_candidates_warn(tmp_path):
    (tmp_path / "t.csv").write_text("text\nOne article.\n")
    c = rl.load_corpus(tmp_path / "t.csv")
    r = " ".join(c.warnings["reason"])
    assert "no outlet column" in r and "no published column" in r and len(c.warnings) == 2
    (tmp_path / "u.csv").write_text("text,outlet,date,timestamp\nOne article.,A,2022-01-01,2022-01-02\n")
    c = rl.load_corpus(tmp_path / "u.csv")
    assert c.columns_used["published"] == "date" and c.documents["published"].iloc[0] == pd.Timestamp("2022-01-01")
    assert "'date' and 'timestamp' could all be published" in c.warnings["reason"].iloc[0]
    assert c.documents["timestamp"].iloc[0] == "2022-01-02"           # kept as metadata


def test_folder_without_manifest_warns_that_outlets_are_unknown(tmp_path):
    c = rl.load_corpus(_folder(tmp_path / "c", {"a.txt": GOOD}))
    assert c.documents["outlet"].iloc[0] == "(unknown)" and "no manifest" in c.warnings["reason"].iloc[0]


def test_identical_texts_without_id_column_are_loaded_and_warned(tmp_path):
    (tmp_path / "d.csv").write_text("headline,source\nSame headline.,A\nOther headline.,B\n Same headline. ,C\n")
    c = rl.load_corpus(tmp_path / "d.csv")
    assert list(c.documents["doc_id"]) == ["row000001", "row000002", "row000003"] and len(c.rejected) == 0
    w = c.warnings[c.warnings["kind"] == "duplicate text"]
    assert list(w["source"]) == ["d.csv:4"]
    assert "d.csv:2" in w["reason"].iloc[0] and "'row000001'" in w["reason"].iloc[0] and "'row000003'" in w["reason"].iloc[0]


def test_row_ids_are_stable_when_a_row_before_is_rejected(tmp_path):
    (tmp_path / "a.csv").write_text("text,outlet\nOne.,A\nTwo.,B\nThree.,C\n")
    (tmp_path / "b.csv").write_text("text,outlet\nOne.,A\nTwo, broken.,B\nThree.,C\n")
    a, b = rl.load_corpus(tmp_path / "a.csv"), rl.load_corpus(tmp_path / "b.csv")
    assert a.documents.set_index("outlet").loc["C", "doc_id"] == b.documents.set_index("outlet").loc["C", "doc_id"] == "row000003"


def test_a_real_id_column_with_duplicates_is_still_rejected(tmp_path):
    (tmp_path / "i.csv").write_text("id,text,outlet\n7,First text.,A\n7,Second text.,B\n,Third text.,C\n")
    c = rl.load_corpus(tmp_path / "i.csv")
    assert list(c.documents["doc_id"]) == ["7", "row000003"]
    assert list(c.rejected["source"]) == ["i.csv:3"] and "duplicate doc_id '7'" in c.rejected["reason"].iloc[0]
    assert "empty id" in _reasons(c.warnings)["i.csv:4"]


def test_parquet_integer_ids_with_nulls_keep_their_digits(tmp_path):
    pd.DataFrame({"id": [12.0, 13.0], "text": ["One.", "Two."], "outlet": ["A", "B"]}).to_parquet(tmp_path / "p.parquet")
    assert list(rl.load_corpus(tmp_path / "p.parquet").documents["doc_id"]) == ["12", "13"]


def test_analyse_cache_holds_no_wall_clock_judgement(tmp_path):
    """A date one day ahead was cached as "future" (published emptied) and
    stayed so: now the cached tables hold the date itself, cold and warm."""
    from researchlib.analyse import analyse, read_analysis
    tomorrow = pd.Timestamp(dt.date.today() + dt.timedelta(days=1))
    (tmp_path / "f.csv").write_text(f"outlet,published,text\nA,{tomorrow:%Y-%m-%d},They will meet tomorrow in Moscow.\n")
    kw = dict(cache=tmp_path / "cache", jobs=1, progress=False)
    for out in ("cold", "warm"):
        analyse(tmp_path / "f.csv", out=tmp_path / out, **kw)
        t = read_analysis(tmp_path / out)
        assert list(t["documents"]["published"]) == [tomorrow]
        assert t["dates"]["date"].tolist() == [tomorrow + pd.Timedelta(days=1)]
        assert not pd.read_csv(tmp_path / out / "read_warnings.csv")["reason"].str.contains("future").any()
