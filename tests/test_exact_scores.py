"""The fast lexicon scorers give the libraries' own numbers, bit for bit."""

import pytest
from hypothesis import given, settings, strategies as st
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from researchlib.paths import SEEDS
from researchlib.textblob_exact import textblob_polarity
from researchlib.vader_exact import vader_compound

SIA = SentimentIntensityAnalyzer()

EDGE = [
    "", " ", "!!!", "Not bad at all", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "It was good but not great, but fine.", "but but but good bad", "At least it isn't a horrible book.",
    "Roger Dodger is one of the least compelling variations on this theme.", "Without a doubt, excellent idea.",
    "The book was only kind of good.", "kind of", "He is kind", "Sentiment analysis has never been this good!",
    "no good, no bad, no or nor evil", "No", "no no no", "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Make sure you :) or :D today!", "Today only kinda sux! But I'll get by, lol", "the shit", "bus stop war",
    "a kiss of death for peace", "GREAT talks", "GREAT", "Why??? Why not?? good?", "'good'", "“good” ‘bad’",
    "He didn't, couldn't, won't support it; they'd rather fight.", "Mr. Putin's \"great\" war... really?",
    "U.S. officials said: (!) nice", "very very very good", "END-OF-SENTENCE good", "good\n\nbad", "good\r\n\r\nbad",
    "It's not really good", "not a good idea", "really not good", "really is a good", "so good!!", "(good)",
    ":-) happy", "xD good", "<3 love", "Dr. No's plan was bad.", "e.g. bad etc. good", "A. B. C. great",
    "never so good", "without doubt bad", "İstanbul is nice", "ΣΊΣΥΦΟΣ good", "\tgood\x1cbad\u2028fine",
    "VERY good", "very GOOD talks", "VERY GOOD", "EXTREMELY bad, SO good!", "I GREAT", "the talks were NOT good",
    "GOOD, said I.", "(VERY) good", "ÉTÉ very GOOD", "no,good", "NO good", "Kind of good", "KIND OF bad",
    "that plan was the bomb", "yeah right, great", "a good cake to die for", "the good of the bus stop", "for good",
    "it was sort of good", "just enough good food", "a beating heart, good", "so good", "this good", "a so good",
    "the peace kiss of death", "he was not so good", "never this bad", "at least good", "very least good",
    "we can't win", "WE CAN'T WIN", "no or good", "nor bad", "He said: more war", "the most good",
]


def seed_texts():
    out = []
    for p in sorted(SEEDS.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        out += [line for line in text.splitlines() if line.strip()]
        out += [s for s in text.replace("\n", " ").split(". ") if s.strip()]
    return out


def library_vader(texts):
    return [SIA.polarity_scores(t)["compound"] for t in texts]


def library_textblob(texts):
    return [TextBlob(t).sentiment.polarity for t in texts]


@pytest.mark.parametrize("texts", [EDGE, seed_texts()], ids=["edge cases", "seed lines and sentences"])
def test_vader_exact(texts):
    assert vader_compound(texts) == library_vader(texts)


@pytest.mark.parametrize("texts", [EDGE, seed_texts()], ids=["edge cases", "seed lines and sentences"])
def test_textblob_exact(texts):
    assert textblob_polarity(texts) == library_textblob(texts)


def test_hand_values():
    # VADER: "good" 1.9 -> 1.9 / sqrt(1.9^2 + 15) = 0.4404; "not good": 1.9 x -0.74 -> -0.3412
    assert vader_compound(["good", "not good"]) == [0.4404, -0.3412]
    # TextBlob: "good" 0.7; "not good" 0.7 x -0.5; "very good" min(0.7 x 1.3, 1) = 0.91
    assert textblob_polarity(["good", "not good", "very good"]) == [0.7, -0.35, 0.9099999999999999]


WORDS = ["good", "bad", "not", "no", "never", "very", "kind", "of", "but", "least", "at", "war", "peace",
         "GREAT", "really", "so", "this", "without", "doubt", "nor", "or", "isn't", "don't", "the", "shit",
         "sort", "hardly", "lol", "sux", "!", "?", ":)", ":-(", "(!)", "'", '"', "“", "”", "...", ".", ",",
         "U.S.", "Mr.", "e.g.", "VERY", "EXTREMELY", "I", "NO", "bomb", "die", "to", "for", "yeah", "right", "bus",
         "stop", "death", "kiss", "beating", "heart", "enough", "just", "more", "most", "can't", "it's", "they'd",
         "n't", "\n", "\n\n", "💘", "(", ")", "-", "kind-of", "'good'"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=25),
       st.lists(st.sampled_from([" ", "", "  ", "\t", "\n"]), min_size=25, max_size=25))
def test_random_text_matches_libraries(words, gaps):
    text = "".join(w + g for w, g in zip(words, gaps))
    assert vader_compound([text]) == library_vader([text])
    assert textblob_polarity([text]) == library_textblob([text])


def test_validation_sentences_match():
    import pandas as pd
    from researchlib.paths import VALIDATION     # shipped with the package
    texts = pd.read_csv(VALIDATION)["text"].astype(str).tolist()[:3000]
    assert vader_compound(texts) == library_vader(texts)
    assert textblob_polarity(texts) == library_textblob(texts)


def test_unverified_library_versions_fall_back_to_the_libraries(monkeypatch):
    """A vaderSentiment or TextBlob version the exact paths were not verified
    on: one warning, and the libraries' own scores."""
    from importlib import metadata

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    from textblob import TextBlob

    from researchlib import compat
    from researchlib.sentiment import score_texts
    real = metadata.version
    monkeypatch.setattr(compat.metadata, "version", lambda d: "9.9.9" if d in ("vaderSentiment", "textblob") else real(d))
    compat.verified.cache_clear()
    texts = ["A great and peaceful meeting.", "Terrible, cruel war!"]
    try:
        with pytest.warns(RuntimeWarning, match="not a version the fast path was verified on"):
            vader = score_texts(texts, method="vader")
        tb = score_texts(texts, method="textblob")
    finally:
        monkeypatch.undo()
        compat.verified.cache_clear()
    assert list(vader) == [SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in texts]
    assert list(tb) == [TextBlob(t).sentiment.polarity for t in texts]
    assert compat.verified("vaderSentiment") and compat.verified("textblob") and compat.verified("nltk")


def _vader_rule_words():
    """The words vader_exact's shortcut tests for, from the library's own lists,
    with lexicon words to act on, in three casings."""
    from vaderSentiment import vaderSentiment as V
    from researchlib import vader_exact
    words = sorted(vader_exact._acting(V, frozenset(V.NEGATE)))
    words += [w for k in [*V.SPECIAL_CASES, *V.BOOSTER_DICT] if " " in k for w in k.split(" ")]
    words += ["good", "bad", "war", "peace", "great", "kind", "can't", "ain't", "n't", ",", "!", "?"]
    return sorted({v for w in words for v in (w, w.upper(), w.title())})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_vader_rule_words()), max_size=14))
def test_vader_rule_windows_match_the_library(words):
    text = " ".join(words)
    assert vader_compound([text]) == library_vader([text])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS + ["...", "....", "a....", "U.S.,", "(Mr.", "'s", "((", "!?"]),
                          st.text(alphabet=".,;:!?()[]'\"-_ab", max_size=6)), max_size=20).map(" ".join))
def test_textblob_tokens_fast_equal_plain(text):
    """Each token's peeled tokens joined by a space (remembered per token)
    join to the plain token sequence: peeling never leaves nothing."""
    from researchlib import textblob_exact as X
    lead, trail = X._state()[6:8]
    assert " ".join(map(X._token, text.split())) == " ".join(X._tokens_plain(text, lead, trail))
    assert all(X._peeled(t) for t in text.split())


def _face_atoms():
    from textblob import _text as T
    return sorted({c for v in T.EMOTICONS.values() for e in v for c in e} | {" ", "  ", "\n", "a", "xD", "o.O"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_face_atoms()), max_size=12).map("".join))
def test_emoticon_trie_matches_the_library_pattern(text):
    from textblob import _text as T
    from researchlib import textblob_exact as X
    faces = X._state()[8]
    assert (T.RE_EMOTICONS.search(text) is None) == (faces.search(text) is None)
    assert (T.RE_EMOTICONS.search(" " + text + " ") is None) == (faces.search(" " + text + " ") is None)
