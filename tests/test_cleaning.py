"""Cleaning on text that is not the seeds: extractor layout, other languages,
promos inside body paragraphs, web furniture (hand-written fixtures)."""
import hashlib
import re
import textwrap

import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as st

import researchlib as rl
from researchlib.clean import clean_text
from researchlib.language import detect, language_summary
from researchlib.paths import MANIFEST, SEEDS

# sha256 over "doc_id\0text\n" of load_corpus() (the seeds), sorted by doc_id,
# computed on the branch before the cleaning rework: the seeds' cleaned text
# must not change.
SEED_TEXT_SHA = "8b8a09d0e7ef2a7c00f93ae922a5f2743de3ace17f3f4318edd78a631a885614"


def _seed_hash(corpus):
    h = hashlib.sha256()
    for doc_id, text in sorted(zip(corpus.documents["doc_id"], corpus.documents["text"])):
        h.update(doc_id.encode() + b"\0" + text.encode() + b"\n")
    return h.hexdigest()


def test_seed_text_unchanged(corpus):
    assert _seed_hash(rl.load_corpus()) == SEED_TEXT_SHA
    assert _seed_hash(corpus) == SEED_TEXT_SHA          # with the manifest too
    assert set(corpus.removed["rule"]) <= {"date_header", "signoff", "dateline", "duplicate", "pasted_post", "promo",
                                           "byline", "caption", "heading", "related", "social_embed", "source_url",
                                           "title"}
    assert list(corpus.documents["language"]) == ["en"] * 5
    assert corpus.language_summary() == "All 5 articles are in English and were measured."


def test_seeds_are_blank_line_layout():
    for f in sorted(SEEDS.glob("*.txt")):
        assert clean_text(f.read_text(encoding="utf-8")).layout == "blank-line", f.name


def _seed_parts(raw):
    head = re.match(r"^\s*date \d{4}-\d\d-\d\d[ \t]*", raw)
    head = head.group(0) if head else ""
    return head, [p for p in re.split(r"\n\s*\n", raw[len(head):]) if p.strip()]


def test_seeds_in_other_layouts_clean_to_the_same_text():
    """The seeds rewritten one paragraph per line (as an extractor gives them)
    and hard-wrapped at 72 columns clean to the same text and removals."""
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_text(encoding="utf-8")
        want = clean_text(raw)
        head, paras = _seed_parts(raw)
        for layout, text in [("one-per-line", head + "\n".join(paras)),
                             ("wrapped", head + "\n\n".join(textwrap.fill(p, 72, break_on_hyphens=False,
                                                                          break_long_words=False) for p in paras))]:
            got = clean_text(text)
            assert got.layout == layout, f.name
            assert got.text == want.text, (f.name, layout)
            assert [r for r, _ in got.removed] == [r for r, _ in want.removed], (f.name, layout)


# ------------------------------------------------------------------ layouts
EXTRACTED = """Xi and Putin meet in Moscow
Chinese President Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin.
The two leaders called each other "dear friend" at the start of the meeting.
pic.twitter.com/AbCdEf1234
Russia and China have grown closer since the invasion of Ukraine.
The talks will continue on Tuesday, the Kremlin said."""
EXTRACTED_BODY = [
    "Chinese President Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin.",
    'The two leaders called each other "dear friend" at the start of the meeting.',
    "Russia and China have grown closer since the invasion of Ukraine.",
    "The talks will continue on Tuesday, the Kremlin said.",
]


def test_extractor_layout_keeps_every_body_sentence():
    c = clean_text(EXTRACTED)
    assert c.layout == "one-per-line"
    assert c.text == "\n\n".join(EXTRACTED_BODY)
    assert c.removed == [("title", "Xi and Putin meet in Moscow"), ("social_embed", "pic.twitter.com/AbCdEf1234")]
    assert c.warnings == []


def _cleaning_warnings(c):
    """The corpus's warnings without the loader's column notes (no manifest,
    no date column), which these made-up corpora all get."""
    return c.warnings[c.warnings["kind"] != "column"]


def test_extractor_layout_through_load_corpus(tmp_path):
    (tmp_path / "a.txt").write_text(EXTRACTED, encoding="utf-8")
    c = rl.load_corpus(tmp_path)
    d = c.documents.iloc[0]
    assert d["text"] == "\n\n".join(EXTRACTED_BODY) and d["title"] == "Xi and Putin meet in Moscow"
    assert list(c.sentences["text"]) == EXTRACTED_BODY
    assert d["language"] == "en" and len(_cleaning_warnings(c)) == 0


def test_hard_wrapped_text_keeps_its_paragraphs():
    raw = ("The two leaders met in the Chinese capital as their countries seek\n"
           "to deepen relations in the face of increasing criticism from the\n"
           "West, the Kremlin said.\n\n"
           "By Friday the two sides had agreed on a statement that\n"
           "Washington called a marriage of convenience.")
    c = clean_text(raw)
    assert c.layout == "wrapped"
    assert c.text == ("The two leaders met in the Chinese capital as their countries seek to deepen relations in the "
                      "face of increasing criticism from the West, the Kremlin said.\n\nBy Friday the two sides had "
                      "agreed on a statement that Washington called a marriage of convenience.")
    assert c.removed == []


def test_csv_export_one_paragraph_per_line(tmp_path):
    body = "Putin met Xi on Monday.\nThe talks lasted four hours.\nShare this article\nBoth sides praised the meeting."
    pd.DataFrame({"body": [body], "site": ["Example News"]}).to_csv(tmp_path / "x.csv", index=False)
    c = rl.load_corpus(tmp_path / "x.csv", text="body", outlet="site")
    assert c.documents["text"].iloc[0] == ("Putin met Xi on Monday.\n\nThe talks lasted four hours.\n\n"
                                           "Both sides praised the meeting.")
    assert list(map(tuple, c.removed[["rule", "text"]].itertuples(index=False))) == [("promo", "Share this article")]


# ------------------------------------------------------ promos, small units
def test_promo_sentence_inside_body_paragraph():
    raw = ("Putin met Xi in Moscow on Monday. The two leaders talked for four hours. Download our app for more news!"
           "\n\nA second paragraph of the article closes it.")
    c = clean_text(raw)
    assert c.text == ("Putin met Xi in Moscow on Monday. The two leaders talked for four hours.\n\n"
                      "A second paragraph of the article closes it.")
    assert c.removed == [("promo", "Download our app for more news!")]
    # the partition still holds: kept + removed + space = input
    assert "".join(raw[s:e] for s, e, _ in c.spans) == raw


def test_promo_in_the_middle_of_a_paragraph():
    raw = "Putin met Xi on Monday. Subscribe now to get our daily briefing. Both sides praised the talks."
    c = clean_text(raw)
    assert c.text == "Putin met Xi on Monday. Both sides praised the talks."
    assert c.removed == [("promo", "Subscribe now to get our daily briefing.")]


def test_whole_promo_paragraph_still_goes_whole():
    c = clean_text("Body sentence here about the summit.\n\nSubscribe now. Read more.\n\nLast body sentence.")
    assert c.text == "Body sentence here about the summit.\n\nLast body sentence."
    assert c.removed == [("promo", "Subscribe now. Read more.")]


def test_one_paragraph_article_is_never_silently_emptied(tmp_path):
    (tmp_path / "promo.txt").write_text("Subscribe now to read the full story of the summit.", encoding="utf-8")
    (tmp_path / "body.txt").write_text("Putin met Xi on Monday. Download our app for more news!", encoding="utf-8")
    c = rl.load_corpus(tmp_path)
    d = c.documents.set_index("doc_id")
    assert d.loc["body", "text"] == "Putin met Xi on Monday." and d.loc["body", "n_words"] == 5
    assert d.loc["promo", "n_words"] == 0
    w = dict(zip(_cleaning_warnings(c)["source"], _cleaning_warnings(c)["reason"]))
    assert w == {"promo.txt": "cleaning removed all 10 words of the text; removed by: promo (10 words)",
                 "body.txt": "cleaning rule 'promo' removed 6 of 11 words (55%)"}


def test_rule_removing_over_half_the_words_warns(tmp_path):
    raw = "Putin met Xi.\nSkip to content\nSkip to main menu\nSkip to more DW sites\nEnable JavaScript to comment"
    c = clean_text(raw)
    assert c.text == "Putin met Xi."
    assert c.warnings == ["cleaning rule 'interface' removed 16 of 19 words (84%)"]
    (tmp_path / "menu.txt").write_text(raw, encoding="utf-8")
    corpus = rl.load_corpus(tmp_path)
    assert list(zip(_cleaning_warnings(corpus)["source"], _cleaning_warnings(corpus)["reason"])) == [
        ("menu.txt", "cleaning rule 'interface' removed 16 of 19 words (84%)")]
    # several rules that together remove more than half: one warning naming them
    c = clean_text("Putin met Xi on Monday.\nShare on Facebook\nSkip to content\nSubscribe now")
    assert c.warnings == ["cleaning removed 8 of 13 words (62%); removed by: promo (5 words), interface (3 words)"]


# ---------------------------------------------------------------- languages
KOREAN = ("시진핑 중국 국가주석이 20일 모스크바에 도착해 블라디미르 푸틴 러시아 대통령과 회담했다.\n"
          "두 정상은 서로를 '친애하는 친구'라고 불렀다.\n"
          "회담은 네 시간 넘게 이어졌으며, 양측은 에너지 협력을 논의했다.")
JAPANESE = ("習近平国家主席は20日、モスクワに到着し、プーチン大統領と会談した。\n"
            "両首脳は互いを「親愛なる友人」と呼び合った。\n"
            "会談は4時間以上に及び、エネルギー協力について話し合った。")
RUSSIAN = ("Председатель КНР Си Цзиньпин прибыл в Москву и провёл переговоры с Владимиром Путиным.\n\n"
           "Лидеры назвали друг друга дорогими друзьями.\n\n"
           "Переговоры продолжались более четырёх часов, сообщили в Кремле.")
PORTUGUESE = ("O presidente chinês, Xi Jinping, chegou a Moscou na segunda-feira para conversações com Vladimir Putin.\n"
              "Os dois líderes chamaram-se mutuamente de queridos amigos no início da reunião no Kremlin.")
ENGLISH = "Putin met Xi in Moscow on Monday. “We are old friends,” Putin said. The war in Ukraine was discussed."


def _paragraphs(text):
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    files = {"ko.txt": KOREAN, "ja.txt": JAPANESE, "ru.txt": RUSSIAN, "pt.txt": PORTUGUESE, "en.txt": ENGLISH}
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    man = root.parent / "mixed_manifest.csv"
    man.write_text("file,outlet,published\nko.txt,Hankyoreh,2023-03-21\nja.txt,NHK,2023-03-21\n"
                   "ru.txt,RIA,2023-03-21\npt.txt,Folha,2023-03-21\nen.txt,Example,2023-03-21\n")
    return rl.load_corpus(root, man)


def test_articles_in_other_languages_load_intact(mixed):
    d = mixed.documents.set_index("doc_id")
    assert dict(d["language"]) == {"ko": "ko", "ja": "ja", "ru": "ru", "pt": "pt", "en": "en"}
    for doc_id, raw in [("ko", KOREAN), ("ja", JAPANESE), ("ru", RUSSIAN), ("pt", PORTUGUESE)]:
        assert d.loc[doc_id, "text"] == _paragraphs(raw), doc_id
        assert d.loc[doc_id, "text_raw"] == raw
    assert set(mixed.removed["doc_id"]) == set() and len(_cleaning_warnings(mixed)) == 0


def test_english_only_measures_skip_other_languages(mixed):
    assert mixed.language_summary() == language_summary(mixed) == \
        "4 articles in other languages were not measured: ja 1, ko 1, pt 1, ru 1"
    assert list(mixed.english().documents["doc_id"]) == ["en"]
    assert set(rl.term_hits(mixed)["doc_id"]) == {"en"}              # "war"
    assert set(rl.sentiment(mixed, methods="vader")["doc_id"]) == {"en"}
    assert set(rl.quotes(mixed)["doc_id"]) == {"en"}
    assert set(mixed.quotes["doc_id"]) == {"en"}                     # no quote rules on other languages
    assert set(rl.frames(mixed, codebook="generic")["doc_id"]) <= {"en"}
    usage = rl.term_hits_by(mixed)
    assert set(usage["outlet"]) == {"Example"} and set(usage["n_docs"]) == {1}
    assert rl.kwic(mixed, "war")["doc_id"].tolist() == ["en"]


def test_language_summary_wording():
    docs = pd.DataFrame({"doc_id": list("abcdefgh"), "language": ["ko"] * 3 + ["ja"] * 2 + ["ru"] * 2 + ["pt"]})
    assert language_summary(rl.Corpus(docs, *[pd.DataFrame()] * 5)) == \
        "8 articles in other languages were not measured: ko 3, ja 2, ru 2, pt 1"
    one = pd.DataFrame({"doc_id": ["a", "b"], "language": ["en", "de"]})
    assert language_summary(rl.Corpus(one, *[pd.DataFrame()] * 5)) == \
        "1 article in another language was not measured: de 1"


def test_detector_on_short_and_long_texts():
    assert detect("War is here.")[0] == "en"          # too short to call: English
    assert detect(KOREAN)[0] == "ko" and detect(JAPANESE)[0] == "ja" and detect(RUSSIAN)[0] == "ru"
    assert detect(PORTUGUESE)[0] == "pt"


def test_passages_in_other_languages_inside_english_articles():
    raw = ("Putin met Xi in Moscow on Monday and the two leaders talked for four hours.\n\n"
           "O presidente chinês chegou a Moscou na segunda-feira para conversações com Vladimir Putin.\n\n"
           "State television showed the meeting. Путин встретился с Си Цзиньпином в Москве. The talks ended late.")
    c = clean_text(raw)
    assert c.language == "en"
    assert c.text == ("Putin met Xi in Moscow on Monday and the two leaders talked for four hours.\n\n"
                      "State television showed the meeting. The talks ended late.")
    assert c.removed == [
        ("non_english", "O presidente chinês chegou a Moscou na segunda-feira para conversações com Vladimir Putin."),
        ("non_english", "Путин встретился с Си Цзиньпином в Москве.")]


def test_english_quote_in_russian_article_stays():
    raw = RUSSIAN + "\n\nThe talks were constructive, a spokesman said."
    c = clean_text(raw)
    assert c.language == "ru" and c.text == _paragraphs(raw) and c.removed == []
    assert c.paragraph_languages == ["ru", "ru", "ru", "en"]


# -------------------------------------------------------------- web furniture
def test_issue_examples_of_web_furniture_go():
    raw = """Skip to content
Skip to main menu
Skip to more DW sites
Putin hosts Xi for talks
Chinese leader Xi Jinping met Russian President Vladimir Putin in the Kremlin on Monday.
ADVERTISEMENT
.most-popular .layout-ratio{ padding-bottom: 79.13%; } @media (min-width: 768px) { .most-popular .layout-ratio{ padding-bottom: 56.25%; } }
The talks covered energy and trade, officials said.
Get unlimited access to our journalism for just $1 a week. Cancel anytime.
Leave a Reply
Your email address will not be published. Required fields are marked *"""
    c = clean_text(raw)
    assert c.text == ("Chinese leader Xi Jinping met Russian President Vladimir Putin in the Kremlin on Monday.\n\n"
                      "The talks covered energy and trade, officials said.")
    assert c.meta["title"] == "Putin hosts Xi for talks"
    rules = dict((t, r) for r, t in c.removed)
    assert rules["Skip to content"] == rules["Skip to more DW sites"] == "interface"
    assert rules["Your email address will not be published. Required fields are marked *"] == "interface"
    assert rules["ADVERTISEMENT"] == "promo" and rules[raw.splitlines()[6]] == "code"
    assert rules["Get unlimited access to our journalism for just $1 a week. Cancel anytime."] == "interface"


# A labelled set of web-page lines written for these tests: (is_furniture, line),
# in the order a page shows them. Body lines include words that furniture uses
# ("comment", "email", "share", "menu", "website", "support", "subscribers").
PAGES = [
    [(1, "Skip to content"), (1, "Skip to navigation"), (1, "Home | World | Europe | Asia | Business | Opinion"),
     (1, "News › World › Asia-Pacific"), (0, "Chinese President Xi Jinping arrived in Moscow on Monday for a three-day state visit."),
     (0, "Kremlin spokesman Dmitry Peskov declined to comment on the details of the talks."),
     (1, "Listen to this article"),
     (0, "The two leaders signed a joint statement on deepening their comprehensive partnership."),
     (1, "Advertisement - Scroll to continue"),
     (1, "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"),
     (0, "Putin said Russia would continue to support China's position on Taiwan."),
     (0, "Officials in Washington did not respond to a request for comment by email."),
     (0, "The share of Chinese goods in Russian imports rose to 40% last year."),
     (1, "Share on Facebook"), (1, "Share on Twitter"), (1, "Share via Email"), (1, "Print"),
     (0, "In a menu of options presented to Xi, Russia offered more oil and gas at a discount."),
     (1, "Tags: Russia, China, Xi Jinping, Vladimir Putin"),
     (1, "Leave a Reply"), (1, "Your email address will not be published. Required fields are marked *"),
     (1, "Comment"), (1, "Name"), (1, "Email"), (1, "Website"),
     (1, "© 2023 Example Media Group. All rights reserved.")],
    [(1, "We use cookies to improve your experience on our website. By continuing to browse, you agree to our use of cookies."),
     (1, "Accept all cookies"), (0, "Western governments have warned Beijing against supplying weapons to Moscow."),
     (0, "“Follow the money,” one European diplomat said of the energy deals."),
     (0, "The Kremlin's website published a transcript of the meeting late on Monday."),
     (1, "Subscribe to our newsletter to get the latest news delivered to your inbox."),
     (0, "Trade between the two countries reached a record $190 billion in 2022, customs data show."),
     (1, "Already a subscriber? Log in"),
     (0, "Many users shared the video of the meeting on social media, where it was viewed millions of times."),
     (0, "Subscribers to Russian state television saw the arrival live on Monday morning."),
     (1, "Support independent journalism. Donate now"),
     (0, "He said the two sides would sign up to a new framework for cooperation in the Arctic."),
     (1, "Please enable JavaScript to view the comments."),
     (1, "Most Popular"), (1, "Latest News"), (1, "Opinion"), (1, "Video"),
     (1, "Sign up for our daily briefing"), (1, "Follow us on Telegram")],
    [(1, "Menu"), (1, "Search"), (1, "Log in"), (1, "World | Politics | Business | Tech"),
     (0, "Russia restricted access to Facebook and Instagram in March 2022. Telegram was not blocked."),
     (0, "Xi, who has led China since 2012, last visited Russia in 2019."),
     (0, "The Chinese embassy posted a photo of the two leaders on its website and on WeChat."),
     (0, "Putin thanked Xi for his country's balanced position on Ukraine."),
     (0, "No date was set for a return visit."),
     (0, "Sanctions have cut Russia off from Western markets, pushing it towards Asia."),
     (0, "Beijing denies sending arms to either side."),
     (1, "Related Topics"), (1, "Russia-Ukraine war"), (1, "China-Russia relations"), (1, "Xi Jinping"),
     (0, "Both governments said the visit would strengthen their partnership for a new era."),
     (0, "The ruble has lost a third of its value against the yuan since 2022, according to central bank data."),
     (0, "Analysts at the Carnegie Endowment wrote that Beijing gains more from the relationship than Moscow."),
     (1, "This article is for subscribers only. Subscribe now for unlimited access."),
     (0, "Comments by Chinese officials after the meeting were more cautious."),
     (0, "Share prices of Russian energy companies rose on Tuesday."),
     (1, "Print this page"), (1, "Copy link")],
]


def test_furniture_precision_and_recall_on_labelled_lines():
    tp = fp = fn = 0
    for page in PAGES:
        raw = "\n".join(line for _, line in page)
        c = clean_text(raw)
        assert c.layout == "one-per-line"
        kept = set(c.text.split("\n\n"))
        for furniture, line in page:
            removed = line not in kept          # wholly or in part
            tp += furniture and removed
            fp += (not furniture) and removed
            fn += furniture and not removed
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    n_furniture = sum(f for page in PAGES for f, _ in page)
    n_body = sum(1 - f for page in PAGES for f, _ in page)
    assert (n_furniture, n_body) == (42, 26) and (tp, fp, fn) == (42, 0, 0), (precision, recall)


# Written after the rules, in the style of three other site families, and
# measured once: 26 of 31 furniture lines went, no body line (then the copyright
# notice became evidence: 27 of 31). The misses are the known limits.
HELD_OUT = [
 [(1,"Jump to navigation"),(1,"Sections"),(1,"Newsletters"),(1,"Sign In"),
  (0,"MOSCOW — Chinese leader Xi Jinping and Russian President Vladimir Putin pledged on Tuesday to expand economic ties, as the two leaders wrapped up a summit closely watched in Washington."),
  (0,"The leaders signed a series of documents, including one on economic cooperation until 2030."),
  (1,"Get the latest headlines sent straight to your inbox."),
  (0,"Putin said Russia was ready to help Chinese businesses replace Western companies that left the Russian market."),
  (0,"\"We are ready to work together,\" Xi told Putin at the start of the talks."),
  (1,"RELATED STORIES"),(1,"Putin, Xi hail new era in ties"),(1,"What China wants from Russia"),(1,"Analysis: Beijing's balancing act"),
  (0,"The White House said it was watching the visit closely."),
  (1,"Copyright 2023 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission."),
  (1,"Report an error"),(1,"Editorial standards"),(1,"Contact us")],
 [(1,"Accessibility links"),(1,"Skip to main content"),(1,"Keyboard shortcuts for audio player"),
  (0,"Chinese President Xi Jinping left Moscow on Wednesday after a three-day visit."),
  (0,"During the trip he invited Putin to visit China later this year."),
  (1,"Image source, Getty Images"),(1,"Image caption, Xi and Putin at the Kremlin"),
  (0,"Ukraine's President Volodymyr Zelensky said he had invited China to talks but had received no answer."),
  (1,"More on this story"),(1,"View comments"),
  (0,"Russia's economy has come to depend heavily on China since the start of the war."),
  (1,"Follow BBC News on Twitter and Facebook"),(1,"Top Stories")],
 [(0,"Beijing and Moscow declared a partnership with no limits weeks before the invasion."),
  (1,"Click to share on Facebook (Opens in new window)"),(1,"Click to share on X (Opens in new window)"),(1,"Click to email a link to a friend (Opens in new window)"),
  (1,"Like this:"),(1,"Like Loading..."),
  (0,"The statement said both countries oppose unilateral sanctions."),
  (1,"You must be logged in to post a comment."),
  (1,"Posted in World | Tagged China, Russia, Xi Jinping | Leave a comment"),
  (0,"Xi also met Prime Minister Mikhail Mishustin."),
  (1,"Previous Post"),(1,"Next Post")],
]


def test_furniture_on_held_out_pages():
    tp = fn = 0
    missed = []
    for page in HELD_OUT:
        c = clean_text("\n".join(line for _, line in page))
        kept = set(c.text.split("\n\n"))
        for furniture, line in page:
            if furniture:
                tp += line not in kept
                fn += line in kept
                if line in kept:
                    missed.append(line)
            else:
                assert line in kept or line.startswith("MOSCOW — ") and line[9:] in kept, line   # dateline
    assert (tp, fn) == (27, 4)
    assert missed == ["Top Stories", "Like Loading...", "Posted in World | Tagged China, Russia, Xi Jinping | Leave a comment",
                      "Next Post"]


def test_headlines_and_short_lines_are_not_furniture(tmp_path):
    heads = ["Twitter bans Trump", "Putin greets Xi with a handshake", "Share prices fall in Moscow",
             "App downloads surge as Xi meets Putin"]
    pd.DataFrame({"headline": heads, "source": ["A", "B", "C", "D"]}).to_csv(tmp_path / "h.csv", index=False)
    c = rl.load_corpus(tmp_path / "h.csv", text="headline", outlet="source")
    assert list(c.documents["text"]) == heads
    assert len(c.removed) == 0 and len(_cleaning_warnings(c)) == 0


def test_furniture_rules_name_their_removals():
    c = clean_text("\n".join(line for _, line in PAGES[0]))
    rules = {t: r for r, t in c.removed}
    assert rules["Home | World | Europe | Asia | Business | Opinion"] == "menu"
    assert rules["Tags: Russia, China, Xi Jinping, Vladimir Putin"] == "menu"
    assert rules[PAGES[0][9][1]] == "code"
    assert rules["Name"] == "menu" and rules["Email"] == "interface"


def test_repeated_lines_across_an_outlets_documents(tmp_path):
    tagline = "The Daily Example is an independent newspaper based in Springfield"
    wire = ("Russia launched its full-scale invasion of Ukraine in February 2022, and China has since refused "
            "to condemn the war, presenting itself as a neutral party.")
    bodies = ["Putin met Xi on Monday.", "Trade rose by a third last year.", "The talks lasted four hours.",
              "Both sides praised the meeting.", "A joint statement was signed."]
    rows = [{"id": f"d{i}", "body": f"{b}\n{wire}\n{tagline}", "site": "Daily Example"} for i, b in enumerate(bodies)]
    rows.append({"id": "other", "body": f"Xi left Moscow on Wednesday.\n{tagline}", "site": "Other Site"})
    pd.DataFrame(rows).to_csv(tmp_path / "x.csv", index=False)
    c = rl.load_corpus(tmp_path / "x.csv", text="body", outlet="site")
    d = c.documents.set_index("doc_id")["text"]
    for i, b in enumerate(bodies):
        assert d[f"d{i}"] == f"{b}\n\n{wire}"          # the tagline goes, the background paragraph stays
    assert d["other"] == "Xi left Moscow on Wednesday."   # in 6 of the corpus's 6 documents: everywhere
    assert (c.removed["rule"] == "repeated").sum() == 6
    assert set(c.removed.loc[c.removed["rule"] == "repeated", "text"]) == {tagline}
    off = rl.load_corpus(tmp_path / "x.csv", text="body", outlet="site", repeated_lines=False)
    assert "repeated" not in set(off.removed["rule"])


def test_repeated_lines_per_outlet_and_corpus():
    from researchlib.furniture import repeated_lines
    docs = [("A", f"a{i}", ["tag a", f"line {i}"]) for i in range(4)] + \
           [("B", f"b{i}", ["tag b", f"other {i}"]) for i in range(20)] + [("B", "b0", ["tag a"])]
    found = repeated_lines(docs)
    assert found["A"] == {"tag a"}           # 4 of A's 4 documents
    assert found["B"] == {"tag b"}           # 20 of 20; "tag a": 4 of 24 documents is under a fifth
    copies = [("A", "same text", ["tag"])] * 5
    assert repeated_lines(copies) == {"A": frozenset()}    # one document copied five times


# ------------------------------------------------------- property: layouts
LINE_BITS = ["Read More", "By A B", "Olympic host", "war.", "“Quote,” he said.", "Skip to content", "the",
             "face of it.", "Embed:", "Download our app!", "Putin met Xi.", "Путин.", "pic.twitter.com/x",
             "a{b:1px;}", "Share", "Menu", "Home | News | World"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINE_BITS), st.sampled_from(["\n", "\n", "\n", " ", "\n\n", "\r\n"])),
                max_size=25).map(lambda parts: "".join(a + b for a, b in parts)))
@example("the\nRead More\n\nwar.\nOlympic host\nthe\n\nShare\n")      # found by hypothesis: see below
@example("Putin met Xi in Moscow on Tuesday for talks.\n\nHome | World\n\nsport | Business\n")
@example("Putin met Xi.\n\nAlexei Druzhinin /\n\nwar.\n")
def test_cleaner_properties_one_line_per_paragraph(raw):
    c = clean_text(raw)
    assert "".join(raw[s:e] for s, e, _ in c.spans) == raw      # kept + removed + space = input
    assert all(raw[s:e].strip() == "" for s, e, lab in c.spans if lab == "space")
    kept = "".join(raw[s:e] for s, e, lab in c.spans if lab == "keep")
    assert kept.replace(" ", "").replace("\n", "") == c.text.replace(" ", "").replace("\n", "")
    assert clean_text(c.text, language=c.language).text == c.text   # the language is the raw text's
    assert len(c.paragraph_languages) == len(c.paragraphs)


def test_second_clean_changes_nothing_with_broken_paragraphs():
    """Fragments broken mid-sentence are judged joined, as the clean text
    (and so a second clean) shows them."""
    raw = "the\nRead More\n\nwar.\nOlympic host\nthe\n\nShare\n"
    c = clean_text(raw)
    # wrapped layout: 3 single line breaks, 1 mid-sentence ("host" / "the"): blocks
    # "the Read More" (3 words), "war. Olympic host the" (4) and "Share". The first two
    # are one paragraph ("Read More" / "war."), 7 words, 3 capitalised: not a short item,
    # so the document has body text and "Share" (not the first paragraph) is interface.
    assert c.layout == "wrapped"
    assert c.text == "the Read More war. Olympic host the"
    assert c.removed == [("interface", "Share")]
    assert c.spans == [(0, 13, "keep"), (13, 15, "space"), (15, 36, "keep"), (36, 38, "space"),
                       (38, 43, "interface"), (43, 44, "space")]
    again = clean_text(c.text, language=c.language)
    assert again.text == c.text and again.removed == []
    # two halves of a menu line, the second continuing the first: a menu line joined
    raw = "Putin met Xi in Moscow on Tuesday for talks.\n\nHome | World\n\nsport | Business\n"
    c = clean_text(raw)
    assert c.text == "Putin met Xi in Moscow on Tuesday for talks."
    assert c.removed == [("menu", "Home | World"), ("menu", "sport | Business")]
    assert clean_text(c.text, language=c.language).removed == []
    # a photo credit broken after its slash: a caption joined ("Name / AGENCY")
    raw = "Putin met Xi in Moscow on Tuesday for talks.\n\nAlexei Druzhinin /\n\nsputnik\n"
    c = clean_text(raw)
    assert c.text == "Putin met Xi in Moscow on Tuesday for talks."
    assert c.removed == [("caption", "Alexei Druzhinin /"), ("caption", "sputnik")]
    assert clean_text(c.text, language=c.language).removed == []



def test_menu_runs_pass_over_removed_paragraphs_that_are_not_furniture():
    """A caption or an embed between short items does not break their run:
    the clean text (and so a second clean) shows the items one after another."""
    raw = ("Putin met Xi in Moscow on Tuesday for talks.\n\nOlympic host,\n\nPhoto: AP\n\nWorld news,\n\n"
           "Embed:\n\nTop stories,\n")
    c = clean_text(raw)
    assert c.text == "Putin met Xi in Moscow on Tuesday for talks."
    assert c.removed == [("menu", "Olympic host,"), ("caption", "Photo: AP"), ("menu", "World news,"),
                         ("social_embed", "Embed:"), ("menu", "Top stories,")]
    assert clean_text(c.text, language=c.language).removed == []


IFACE_BITS = ["Subscribe", "ſubscribe", "SKIP", "to", "content", "your", "you’re", "You'll", "e-mail", "email's",
              "subscribers'", "©", "Copyright", "2023", "Menu", "Log", "in", "İnbox", "the", "Putin", "said", ".", "?",
              "*", "Already", "a", "subscriber", "Please", "enable", "JavaScript", "this", "article", "Share", "via",
              "\u212aremlin", "Get", "unlimited", "“quoted”", "-", "Listen", "our", "ad-free", "Donate"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(IFACE_BITS), max_size=10).map(" ".join))
def test_interface_prefilter_never_skips_evidence(text):
    from researchlib.furniture import interface_evidence, may_be_interface
    if interface_evidence(text, prefiltered=True) is not None:
        assert may_be_interface(text)
    assert interface_evidence(text) == (interface_evidence(text, prefiltered=True) if may_be_interface(text) else None)


def test_word_lists_must_be_words():
    from researchlib.errors import ResourceError
    from researchlib.furniture import load_furniture_words
    fw, ui, reader = load_furniture_words()
    assert {"no", "on", "off", "the"} <= fw and "email" in ui and "your" in reader
    bad = {"function_words": {"words": ["the", False]}, "interface_words": {"words": [], "reader_address": {"words": []}}}
    with pytest.raises(ResourceError, match="quote it"):
        load_furniture_words(_Hashable(bad))


class _Hashable(dict):
    __hash__ = object.__hash__


def test_html_markup_around_prose_goes_alone():
    raw = ('The summit ended. <script>alert("pwned")</script> Officials said "<img src=x onerror=alert(2)>" '
           'was the phrase.\n<p>Putin met Xi.</p> <style>.a{color:red}</style>')
    c = clean_text(raw)
    assert c.text == 'The summit ended. Officials said " " was the phrase.\n\nPutin met Xi.'
    assert c.removed == [("code", '<script>alert("pwned")</script>'), ("code", "<img src=x onerror=alert(2)>"),
                         ("code", "<p>"), ("code", "</p>"), ("code", "<style>.a{color:red}</style>")]


def test_repeated_lines_in_parallel_equal_serial(tmp_path):
    tag = "The Daily Example is an independent newspaper based in Springfield"
    rows = [{"id": f"d{i}", "body": f"Putin met Xi on day {i} of the talks in Moscow.\n{tag}", "site": "AB"[i % 2]}
            for i in range(12)]
    pd.DataFrame(rows).to_csv(tmp_path / "p.csv", index=False)
    a = rl.load_corpus(tmp_path / "p.csv", text="body", outlet="site", jobs=1)
    b = rl.load_corpus(tmp_path / "p.csv", text="body", outlet="site", jobs=2)
    assert a.documents["text"].equals(b.documents["text"]) and a.removed.equals(b.removed)
    assert (a.removed["rule"] == "repeated").sum() == 12


@pytest.mark.parametrize("rule, text", [
    ("_PROMO", "Download our new app for the news"), ("_PROMO", "Join us using the link here"),
    ("_PROMO", "Leave a reply"), ("_PROMO", "Subscribe now"), ("_PROMO", "Subscribe to the newsletter"),
    ("_PROMO", "Support our journalism"), ("_PROMO", "Read more"), ("_PROMO", "Loading comments..."),
    ("_PROMO", "Tap here to listen"), ("_PROMO", "Follow us on X"), ("_PROMO", "Sign up for alerts"),
    ("_PROMO", "Share this"), ("_PROMO", "Advertisement"), ("_PROMO", "12 comments"),
    ("_PROMO", "You may also like these stories"),
    ("_CAPTION", "Xi and Putin | Photo credit: TASS"), ("_CAPTION", "File photo: the Kremlin"),
    ("_CAPTION", "Alexei Ivanov / AFP"), ("_CAPTION", "Leaders meet (AP Photo/Pavel Bednyakov)"),
    ("_RELATED", "Related stories: the summit"), ("_RELATED", "See also: the talks"),
    ("_SOCIAL_EMBED", "pic.twitter.com/abc"), ("_SOCIAL_EMBED", "https://x.com/user/status/1"),
    ("_SOCIAL_EMBED", "instagram.com/reel/abc"), ("_SOCIAL_EMBED", "t.me/channel"),
    ("_SOCIAL_EMBED", "— Jane Doe (@jane) March 20, 2023"), ("_SOCIAL_EMBED", "Embedded video"),
    ("_SOCIAL_EMBED", "View this post on Instagram"),
    ("_PASTED_POST", "While everyone is distracted with the summit"), ("_PASTED_POST", "BREAKING: talks end"),
    ("_PASTED_POST", "What a day #summit #Moscow"),
])
def test_every_entry_of_a_rule_list_still_matches_its_example(rule, text):
    """One example per entry of the rule lists (clean.PROMO, CAPTION, ...):
    a dropped or mistyped entry fails here, the pattern and its pre-filter alike."""
    import importlib
    r = getattr(importlib.import_module("researchlib.clean"), rule)
    assert r.search(text) and r.fast_search(text)
