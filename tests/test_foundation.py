import hashlib

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import researchlib as rl
from researchlib.clean import clean_text
from researchlib.paths import ROOT, SEEDS
from researchlib.segment import sentence_spans
from conftest import doc

SHA = {
    "000_b599a76678e7731d.txt": "677e0c36a02d374e619cd961b0cb88c4fc461eb15627fffe891865976fd5d42c",
    "001_d449c3030cd0caa0.txt": "378d46a2831d0218d6716a55fd1ee8530d67a7e5608ef021882b8dac530f942a",
    "002_e7a4710bbe1cdd90.txt": "5e7a449e11a498f983c42957438427c982fd219934b666354bbe968450956a36",
    "003_9da2021daccc2bf8.txt": "2a01b98c5b0825483f6f0e5fd4b631d8b90e060fe3d63690a2d2132b7abb06dd",
    "004_79ad88eba1b6bebe.txt": "3b1b2506c46969f048b7c6ccf992f28f2b8d63ccc9a0108741ae1679fd4e165b",
}


def test_seeds_byte_for_byte():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SHA)
    for name, sha in SHA.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == sha


def test_manifest_outlets_and_dates(corpus):
    d = corpus.documents.set_index(corpus.documents["doc_id"].str[:3])
    assert d.loc["000", "outlet"] == "RFE/RL" and d.loc["000", "published"] == pd.Timestamp("2023-03-21")
    assert d.loc["001", "outlet"] == "The Kenyan DAILY POST" and d.loc["001", "published"] == pd.Timestamp("2023-03-20")
    assert d.loc["002", "outlet"] == "The Moscow Times" and d.loc["002", "published"] == pd.Timestamp("2022-02-04")
    assert d.loc["003", "outlet"] == "ExBulletin" and d.loc["003", "attribution"] == "inferred"
    assert d.loc["004", "outlet"] == "SHINE (Shanghai Daily)" and d.loc["004", "published"] == pd.Timestamp("2023-03-21")
    assert len(corpus.rejected) == 0 and len(corpus.warnings) == 0


BOILERPLATE = [
    ("promo", "Download our blog’s APP from Google Playstore using the link here>>>"),
    ("social_embed", "Embed:"),
    ("social_embed", "— HTB (@ntvru) February 4, 2022"),
    ("pasted_post", "While everyone is distracted with Trump’s impending arrest, President Xi just called Putin his “dear friend.”"),
    ("caption", "Alexei Druzhinin / TASS"),
    ("related", "Related article: Putin Slams Doping Sanctions Ahead of Olympics"),
    ("source_url", "Original url:"),
    ("signoff", "With reporting by Reuters, AP, and AFP"),
    ("title", "Xi Meets Putin as Tensions Rise With West"),
    ("byline", "By Jing Xuan Teng and Matthew Walsh for AFP"),
    ("dateline", "February 04, 2022"),
    ("heading", "Olympic host"),
    ("heading", "Historical logic for China-Russia ties"),
    ("date_header", " date 2023-03-21 "),
]


def test_boilerplate_removed_with_rule(corpus):
    removed = set(map(tuple, corpus.removed[["rule", "text"]].itertuples(index=False)))
    for rule, text in BOILERPLATE:
        assert (rule, text) in removed, (rule, text)
        if rule != "date_header":
            assert not corpus.documents["text"].str.contains(text, regex=False).any(), text
    assert any(r == "caption" and t.endswith("| Photo credit: AP") for r, t in removed)
    assert any(r == "social_embed" and "pic.twitter.com/JY8F2oQAQb" in t for r, t in removed)
    assert not corpus.documents["text"].str.contains("pic.twitter.com|Photo credit|[А-Яа-я]", regex=True).any()


def test_metadata_extracted(corpus):
    d = doc(corpus, "002")
    assert d["title"] == "Xi Meets Putin as Tensions Rise With West"
    assert d["byline"] == "Jing Xuan Teng and Matthew Walsh for AFP"
    assert d["dateline"] == "February 04, 2022"
    assert d["headings"] == "Olympic host"
    assert doc(corpus, "000")["credits"] == "AFP, AP, Reuters"
    assert doc(corpus, "004")["headings"].split(" | ")[0] == "Historical logic for China-Russia ties"


def test_duplicate_paragraph_dropped(corpus):
    t = doc(corpus, "001")["text"]
    assert t.count("detailed “clarifications”") == 1
    assert "detailed \"clarifications\"" not in t
    assert ("duplicate", 'On Monday, the Kremlin said Putin would provide Xi with detailed "clarifications" of Russia\'s position, without elaborating.') \
        in set(map(tuple, corpus.removed[["rule", "text"]].itertuples(index=False)))


def test_rejoined_paragraph_is_one_sentence(corpus):
    s = corpus.sentences
    assert "The two leaders met in the Chinese capital as their countries seek to deepen relations in the face of increasing criticism from the West." in set(s["text"])


def test_no_split_after_titles_and_initialisms(corpus):
    for t in corpus.sentences["text"]:
        assert not t.endswith(("Mr.", "U.S.", "U.N.", "Feb.", "Dec.")), t
    texts = set(corpus.sentences["text"])
    assert '"These are two countries that have long chafed at U.S. leadership around the world," he said.' in texts


def test_sentence_rules_constructed():
    t = 'Mr. Putin met Mr Xi in the U.S. on Feb. 4. “We are open,” he said. “We will talk. Of course.” Dec. 30 came.'
    got = [t[s:e] for s, e in sentence_spans(t)]
    assert got == ["Mr. Putin met Mr Xi in the U.S. on Feb. 4.", "“We are open,” he said.",
                   "“We will talk.", "Of course.”", "Dec. 30 came."]


def test_offsets_index_clean_text(corpus):
    d = corpus.documents.set_index("doc_id")["text"]
    for r in corpus.sentences.itertuples():
        assert d[r.doc_id][r.start:r.end] == r.text


def test_tokens():
    assert rl.tokenize("China's no-limits cease-fire, said Mr. Putin in the U.S.") == \
        ["china", "no-limits", "cease-fire", "said", "mr", "putin", "in", "the", "u.s."]


def test_non_english_paragraph_removed():
    c = clean_text("An English paragraph here.\n\nЭто первая очная беседа лидеров России и Китая.\n\nMore English text.")
    assert ("non_english", "Это первая очная беседа лидеров России и Китая.") in c.removed
    assert c.text == "An English paragraph here.\n\nMore English text."


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400) |
       st.lists(st.sampled_from(["Read More", "By A B", "Olympic host", "war.", "“Quote,” he said.",
                                 "\n\n", "\n", " ", "date 2022-01-01", "the", "face of it.", "Embed:"]),
                max_size=30).map("".join))
def test_cleaner_properties(raw):
    c = clean_text(raw)                                   # never raises
    assert "".join(raw[s:e] for s, e, _ in c.spans) == raw   # kept + removed + space = input
    assert all(raw[s:e].strip() == "" for s, e, lab in c.spans if lab == "space")
    kept = "".join(raw[s:e] for s, e, lab in c.spans if lab == "keep")
    assert kept.replace(" ", "").replace("\n", "") == c.text.replace(" ", "").replace("\n", "")
    assert clean_text(c.text).text == c.text             # idempotent


# ----------------------------------------------------------------- bad input
def _check(*args):
    """``researchlib check ARGS`` in this process: (returncode, stdout, stderr)."""
    import contextlib
    import io
    import types

    from researchlib.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *map(str, args)])
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def _corpus(tmp_path, files, manifest=None):
    root = tmp_path / "c"
    root.mkdir()
    for name, data in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
    if manifest is not None:
        (tmp_path / "m.csv").write_text(manifest)
        return root, tmp_path / "m.csv"
    return root, None


GOOD = "A sentence about the meeting in Moscow. Another one here."


def _assert_fails(r, name):
    assert r.returncode == 1, r.stdout + r.stderr
    assert name in r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_check_seeds_ok():
    r = _check(SEEDS, "--manifest", ROOT / "data" / "manifest.csv")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "5 documents loaded, 0 rejected, 0 warnings" in r.stdout


BAD_INPUTS = {
    "empty_folder": ({}, None, "no .txt files"),
    "empty_file": ({"a.txt": GOOD, "empty.txt": ""}, None, "empty.txt"),
    "binary": ({"a.txt": GOOD, "bin.txt": b"\x00\x01\x02PNG\x00\x00"}, None, "bin.txt"),
    "utf8": ({"a.txt": GOOD, "latin.txt": "caf\xe9 line one\nbad".encode("latin-1")}, None, "latin.txt:1"),
    "missing_file": ({"a.txt": GOOD}, "file,outlet,published\na.txt,X,2022-01-01\nnope.txt,Y,2022-01-02\n", "nope.txt"),
    "no_row": ({"a.txt": GOOD, "b.txt": GOOD + " B"}, "file,outlet,published\na.txt,X,2022-01-01\n", "b.txt"),
    "bad_date": ({"a.txt": GOOD}, "file,outlet,published\na.txt,X,2023-02-30\n", "m.csv:2"),
    "future": ({"a.txt": GOOD}, "file,outlet,published\na.txt,X,2999-01-01\n", "m.csv:2"),
    "escape": ({"a.txt": GOOD}, "file,outlet,published\na.txt,X,2022-01-01\n../secret.txt,Y,2022-01-01\n", "escapes"),
    "dup_ids": ({"a.txt": GOOD, "sub/a.txt": GOOD + " again"}, None, "duplicate doc_id"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_inputs(name, tmp_path):
    files, manifest, needle = BAD_INPUTS[name]
    root, man = _corpus(tmp_path, files, manifest)
    args = [root] if man is None else [root, "--manifest", man]
    _assert_fails(_check(*args), needle)


def test_invalid_utf8_loads_with_warning(tmp_path):
    root, _ = _corpus(tmp_path, {"latin.txt": "caf\xe9 here. The end.".encode("latin-1")})
    c = rl.load_corpus(root)
    assert len(c.documents) == 1 and "\ufffd" in c.documents["text"].iloc[0]
    assert c.warnings["source"].iloc[0] == "latin.txt:1" and "invalid UTF-8" in c.warnings["reason"].iloc[0]


def test_tables(tmp_path):
    (tmp_path / "x.csv").write_text("id,Site,Date,body\n1,A,2022-01-02,War is here.\n1,B,2022-01-03,Dup id.\n2,B,2022-01-03,\n")
    c = rl.load_corpus(tmp_path / "x.csv", text="body", outlet="Site", published="Date")
    assert list(c.documents["doc_id"]) == ["1"] and c.documents["outlet"].iloc[0] == "A"
    assert sorted(c.rejected["source"]) == ["x.csv:3", "x.csv:4"]
    (tmp_path / "n.csv").write_text("a,b\n1,2\n")
    r = _check(tmp_path / "n.csv")
    _assert_fails(r, "no text column")
    (tmp_path / "y.jsonl").write_text('{"text": "One article.", "outlet": "Z"}\n{not json\n')
    c = rl.load_corpus(tmp_path / "y.jsonl")
    assert len(c.documents) == 1 and c.rejected["source"].iloc[0] == "y.jsonl:2"


def test_header_date_disagreement_warns(tmp_path):
    root, man = _corpus(tmp_path, {"a.txt": " date 2022-01-05 " + GOOD}, "file,outlet,published\na.txt,X,2022-01-01\n")
    c = rl.load_corpus(root, man)
    assert c.documents["published"].iloc[0] == pd.Timestamp("2022-01-01")
    assert "disagrees" in c.warnings["reason"].iloc[0]


def test_generic_boilerplate_rules():
    raw = ("Body sentence one about the summit.\n\nLeave a Reply\n\nSUBSCRIBE NOW\n\nSupport The Moscow Times!\n\n"
           "Read More\n\nLoading comments...\n\nSee also: Another story\n\nPhoto: Reuters / Someone\n\n"
           "BREAKING: Xi lands in Moscow #Russia #China\n\nLast body sentence here.")
    c = clean_text(raw)
    assert c.text == "Body sentence one about the summit.\n\nLast body sentence here."
    rules = dict((t, r) for r, t in c.removed)
    assert rules["Leave a Reply"] == rules["SUBSCRIBE NOW"] == rules["Support The Moscow Times!"] == "promo"
    assert rules["Read More"] == rules["Loading comments..."] == "promo"
    assert rules["See also: Another story"] == "related"
    assert rules["Photo: Reuters / Someone"] == "caption"
    assert rules["BREAKING: Xi lands in Moscow #Russia #China"] == "pasted_post"


def test_wire_dateline_prefix():
    c = clean_text("MOSCOW (Reuters) - Putin met Xi on Monday. They talked.")
    assert c.text == "Putin met Xi on Monday. They talked."
    assert ("dateline", "MOSCOW (Reuters) - ") in c.removed


def test_corpus_describes_itself_in_words(tmp_path):
    """The seeds: five files, five outlets, dates 2022-02-04 .. 2023-03-21 in
    data/manifest.csv; one document of two sentences says "1 document", and
    its one warning (no manifest: outlet unknown) "1 warning"."""
    assert rl.load_corpus().describe() == ("5 documents, 5 outlets, 2022-02-04 to 2023-03-21; 97 sentences; "
                                           "0 rejected, 0 warnings")
    (tmp_path / "a.txt").write_text("The harbour flooded on Tuesday. Engineers were called in.\n")
    one = rl.load_corpus(tmp_path)
    assert one.warnings["reason"].str.startswith("no manifest").tolist() == [True]
    assert one.describe() == "1 document, 1 outlet; 2 sentences; 0 rejected, 1 warning"
    assert repr(one) == "<Corpus 1 document, 1 outlet; 2 sentences; 0 rejected, 1 warning>"
