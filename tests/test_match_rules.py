"""The counting rule's case and exclusion clauses (issues 25 and 17.6), on
hand-written sentences, through every user of the one matcher: targets,
speaker aliases, term groups, frame indicators, masking and KWIC."""
import pandas as pd
import pytest

import researchlib as rl
from researchlib.match import Matcher, is_acronym, word_rules
from researchlib.quotes import _Resolver

NOTHING = ["They offered to take a picture of us.", "Let us talk about trade, the visitor said.",
           "Who said the talks would fail?"]
ENTRIES = [("US", "US"), ("UN", "UN"), ("WHO", "WHO"), ("NATO", "NATO", "insensitive")]


def _found(matcher, text):
    fast = [(labs, written) for _, _, labs, written in matcher.finditer(text)]
    assert fast == [(labs, written) for _, _, labs, written in matcher.plain_finditer(text)]
    return fast


def test_lower_case_words_are_not_acronyms():
    m = Matcher(ENTRIES)
    for text in NOTHING:
        assert _found(m, text) == [], text


def test_acronyms_match_as_written_dotted_or_not():
    m = Matcher(ENTRIES)
    assert _found(m, "The US said the talks were useful.") == [(["US"], "US")]
    assert _found(m, "U.S. officials met their counterparts.") == [(["US"], "U.S.")]
    assert _found(m, "Diplomats gathered at the UN on Monday.") == [(["UN"], "UN")]
    assert _found(m, "NATO's expansion worries Moscow.") == [(["NATO"], "NATO")]
    assert _found(m, "The WHO warned; who knew?") == [(["WHO"], "WHO")]
    # a dotted entry accepts the undotted form too; a half-dotted or title-case one is no match
    dotted = Matcher([("U.S.", "U.S.")])
    assert _found(dotted, "US and U.S. but not us, Us or U.S-led") == [(["U.S."], "US"), (["U.S."], "U.S.")]


def test_override_in_either_direction():
    assert _found(Matcher(ENTRIES), "Nato expansion was discussed.") == [(["NATO"], "Nato")]
    assert _found(Matcher([("NATO", "NATO")]), "Nato expansion was discussed.") == []     # without the override
    bill = Matcher([("Bill", "Bill", "sensitive")])
    assert _found(bill, "Bill said the bill passed.") == [(["Bill"], "Bill")]
    assert _found(Matcher([("Bill", "Bill")]), "the bill") == [(["Bill"], "bill")]        # default: insensitive
    with pytest.raises(ValueError, match="case must be"):
        Matcher([("x", "x", "sometimes")])


def test_rule_word_by_word():
    assert [is_acronym(w) for w in ["US", "U.S.", "NATO", "CCTV", "I", "G7", "COVID-19", "Nato", "us"]] == \
        [True, True, True, True, False, False, False, False, False]
    assert word_rules("US officials") == [("US", True), ("officials", False)]
    m = Matcher([("US officials", "US officials")])
    assert [w for _, w in _found(m, "US Officials, U.S. officials, us officials")] == ["US Officials", "U.S. officials"]


def test_all_caps_headline_documented_rule():
    """In capitals a case-sensitive word also matches: the headline counts
    like other text, and a pronoun in capitals counts too (known limit)."""
    m = Matcher(ENTRIES + [("China", "China"), ("war", "war"), ("Bill", "Bill", "sensitive")])
    assert _found(m, "US AND CHINA TALK TRADE") == [(["US"], "US"), (["China"], "CHINA")]
    assert _found(m, "LET US TALK, SAYS ENVOY") == [(["US"], "US")]
    assert _found(m, "WHO WARNS OF WAR") == [(["WHO"], "WHO"), (["war"], "WAR")]
    assert _found(m, "SENATE PASSES BILL") == [(["Bill"], "BILL")]


# ------------------------------------------------------------- through the measures
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Three made-up articles, two outlets, an id column and other column names."""
    rows = [
        {"id": "a1", "site": "Daily A", "body": " ".join(NOTHING) + "\n\nThe US said the talks were useful. "
         "U.S. officials met their Chinese counterparts in Beijing."},
        {"id": "a2", "site": "Daily B", "body": "Diplomats gathered at the UN on Monday. NATO's expansion worries "
         "Moscow, analysts say. Nato expansion was discussed again.\n\nThe Cold War ended decades ago. "
         "The war in Ukraine dominated the agenda."},
        {"id": "a3", "site": "Daily B", "body": '"Sanctions will fail," the U.S. said on Tuesday. The WHO warned '
         'of a health crisis. US AND CHINA TALK TRADE. LET US TALK, SAYS ENVOY.'},
    ]
    path = tmp_path_factory.mktemp("rules") / "docs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return rl.load_corpus(path, text="body", outlet="site", doc_id="id")


def _sent(corpus, doc_id, start):
    s = corpus.sentences
    return int(s[(s["doc_id"] == doc_id) & s["text"].str.startswith(start)]["sent_id"].iloc[0])


def test_targets_follow_the_rule(small):
    ts = rl.target_sentiment(small, methods=("vader",))
    us = ts[ts["target"] == "US and the West"]
    got = {(d, sid): m for d, sid, m in zip(us["doc_id"], us["sent_id"], us["matched"])}
    assert got == {("a1", _sent(small, "a1", "The US")): "The US",
                   ("a1", _sent(small, "a1", "U.S. officials")): "U.S. officials",
                   ("a2", _sent(small, "a2", "NATO's")): "NATO",
                   ("a2", _sent(small, "a2", "Nato")): "Nato",          # speakers.yaml: {term: NATO, case: insensitive}
                   ("a3", 0): "the U.S.",
                   ("a3", _sent(small, "a3", "US AND")): "US",
                   ("a3", _sent(small, "a3", "LET US")): "US"}           # capitals: the documented limit


def test_speaker_aliases_follow_the_rule(small):
    res = _Resolver(None)
    assert res.lookup("the us") is None and res.lookup("cctv") is None and res.lookup("ap") is None
    assert res.lookup("the US")[0] == res.lookup("the U.S.")[0] == res.lookup("US officials")[0] == "US government"
    assert res.lookup("CCTV")[0] == "CCTV" and res.lookup("Nato")[0] == "Western governments"
    assert res.resolve_start("cctv footage") is None
    q = small.quotes
    assert not (q["speaker_text"].str.lower() == "who").any()          # "Who said the talks would fail?"
    direct = q[(q["doc_id"] == "a3") & (q["kind"] == "direct")].iloc[0]
    assert (direct.speaker, direct.speaker_text) == ("US government", "the U.S.")


def test_term_groups_frames_and_masking_follow_the_rule(small):
    groups = {"orgs": {"terms": ["WHO", "UN", "US"]}}
    u = rl.term_hits_by(small, groups=groups, by="doc_id").set_index(["doc_id", "term"])["count"]
    assert (u.loc[("a1", "WHO")], u.loc[("a1", "US")], u.loc[("a2", "UN")]) == (0, 2, 1)   # "Who said", "us" not
    assert (u.loc[("a3", "WHO")], u.loc[("a3", "US")]) == (1, 3)      # the U.S., US AND CHINA, LET US (capitals)
    hits = rl.term_hits(small, groups=groups)
    assert sorted(hits.loc[hits["doc_id"] == "a1", "match"]) == ["U.S.", "US"]
    book = {"frames": {"Health": {"indicators": ["WHO", "health"], "exclusions": []}}}
    f = rl.frames(small, codebook=book)
    assert f[f["doc_id"] == "a1"].empty
    assert f.loc[f["doc_id"] == "a3", "matched"].tolist() == ["WHO; health"]
    masked = rl.sentiment(small, methods="vader", mask_terms=groups).set_index(["doc_id", "sent_id"])["text"]
    assert masked.loc[("a1", 0)] == "They offered to take a picture of us."
    assert masked.loc[("a1", _sent(small, "a1", "The US"))] == "The thing said the talks were useful."


def test_cold_war_is_excluded_but_shown(small):
    u = rl.term_hits_by(small, by="doc_id").set_index(["doc_id", "term"])["count"]
    assert u.loc[("a2", "war")] == 1                                   # "the war in Ukraine", not "the Cold War"
    k = rl.kwic(small, "war", window=2)
    k = k[k["doc_id"] == "a2"]
    assert k[["left", "match", "excluded"]].values.tolist() == [["The Cold", "War", True], ["ago. The", "war", False]]
    assert k["exclusion"].iloc[0] == "Cold War" and pd.isna(k["exclusion"].iloc[1])
    from researchlib.explore import _tables
    counts = _tables(small, "war", None, "all")[0].set_index("outlet")
    assert (counts.loc["Daily B", "count"], counts.loc["Daily B", "excluded"]) == (1, 1)
    all_hits = rl.term_hits(small, excluded=True)
    assert all_hits["excluded"].sum() == 1 and len(rl.term_hits(small)) == len(all_hits) - 1
    # the same phrases in a dict of groups; exclusions belong to their own group only
    groups = {"a": {"terms": ["war"], "exclusions": ["cold war"]}, "b": {"terms": ["war"]}}
    g = rl.term_hits_by(small, groups=groups, by="doc_id").set_index(["doc_id", "group"])["count"]
    assert (g.loc[("a2", "a")], g.loc[("a2", "b")]) == (1, 2)
    assert rl.kwic(small, ["war"], exclusions=["Cold War"])["excluded"].tolist() == [True, False]


@pytest.mark.parametrize("text, n", [("the Cold War", 0), ("a new cold war", 0), ("World War II", 0),
                                     ("a war of words", 0), ("the US-China trade war", 0), ("a price war", 0),
                                     ("the war in Ukraine", 1), ("Cold War-era bases and the war", 1)])
def test_bundled_war_exclusions(tmp_path, text, n):
    path = tmp_path / "one.csv"
    pd.DataFrame([{"body": f"Analysts discussed {text} at length on Monday."}]).to_csv(path, index=False)
    c = rl.load_corpus(path, text="body")
    u = rl.term_hits_by(c)
    assert u.loc[u["term"] == "war", "count"].sum() == n


def test_bad_case_in_a_resource_names_the_entry():
    with pytest.raises(rl.ResourceError, match="term group 'g', entry 'Nato': case must be"):
        rl.term_groups({"g": {"terms": [{"term": "Nato", "case": "upper"}]}})


def test_matcher_set_reads_each_matcher_as_it_reads_itself():
    """One scan for several matchers (MatcherSet): at the start of the text,
    after a hyphen (not after "post-"), a longer term of one matcher over a
    shorter one of another, and a case-blind and a case-sensitive entry of
    the same word ("Nato" / "NATO") each as its own matcher counts them."""
    from researchlib.match import MatcherSet
    ms = [Matcher([("war", "war"), ("nato", "Nato", "insensitive")]),
          Matcher([("woa", "war of aggression"), ("NATO", "NATO")]),
          Matcher([("agg", "aggression"), ("us", "US")])]
    text = "War of aggression, post-war -war; NATO, Nato and nato; US us war\nof  aggression's end"
    got = MatcherSet(ms).finditer_all(text)
    assert got == [list(m.finditer(text)) for m in ms] == [list(m.plain_finditer(text)) for m in ms]
    assert [[w for *_, w in hits] for hits in got] == [
        ["War", "war", "NATO", "Nato", "nato", "war"],
        ["War of aggression", "NATO", "war\nof  aggression"],
        ["aggression", "US", "aggression"]]
