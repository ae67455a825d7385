"""Cleaning's fast paths give exactly what its plain method gives: the rules'
literal pre-filter (anchors first) and the duplicate rule's guard (letter
counts), on inputs drawn from the rules' own lists and the seeds."""
import random

from hypothesis import given, settings, strategies as st

from researchlib import clean
from samples import seed_texts, variants

RULES = (clean._SOCIAL_EMBED, clean._PASTED_POST, clean._PROMO, clean._CAPTION, clean._RELATED)


def _seed_paragraphs():
    return sorted({p.strip() for t in seed_texts() for p in t.split("\n") if p.strip()})


def _rule_words():
    """Every literal of every rule as listed, its words, and their variants."""
    lits = [lit for rule in RULES for lits, _ in rule.parts for lit in lits]
    return variants(sorted(set(lits) | {w for lit in lits for w in lit.split()})) + [
        ":", " ", "|", "/", "(", "@", "—", "2022", "#tag", "x", "John", "\n", "more", "you", "share"]


def _plain_may(rule, text):
    """The pre-filter as stated: the text (folded as the pattern's flags see
    it) holds one of the rule's literals (starts with one, for a prefix rule)."""
    folded = rule.fold(text)
    return folded.startswith(rule.literals) if rule.prefix else any(lit in folded for lit in rule.literals)


def test_every_literal_holds_its_anchor():
    for rule in RULES:
        for lit in rule.literals:
            anchor = clean._anchor(lit)
            assert anchor in lit and len(anchor) == min(4, len(lit)), (lit, anchor)
    assert clean._anchor("download") == "wnlo"       # w is the rarest letter of "down"+"l" starts
    assert clean._anchor("(reuters") == "(reu"       # "(" is rarer than any letter
    assert clean._anchor("t.me/") == ".me/"          # "." and "/" are rare; "." comes first among starts


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_rule_words()), max_size=10).map(
    lambda ws: "".join(w + ("" if i % 4 == 3 else " ") for i, w in enumerate(ws))))
def test_prefilter_with_anchors_equals_its_plain_statement(text):
    for rule in RULES:
        assert rule.may(text) == _plain_may(rule, text), (rule.parts, text)
        assert rule.fast_search(text) == rule.search(text), (rule.parts, text)


def test_prefilter_with_anchors_equals_its_plain_statement_on_seeds():
    answers = set()
    for p in _seed_paragraphs():
        for text in (p, p.upper(), p.lower()):
            for rule in RULES:
                assert rule.may(text) == _plain_may(rule, text), (rule.parts, text)
                answers.add(rule.may(text))
    assert answers == {True, False}


# ------------------------------------------------------------------ duplicate
LETTER_TEXT = st.lists(st.sampled_from(list("eEtTaAxX İıſ\u212aÉé’“”—_-.,\n\tΣΑßﬀ") + ["ΣΑ", "TEA", "Tea"]),
                       max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), LETTER_TEXT))
def test_letter_counts_are_those_of_the_duplicate_key(text):
    key = clean._duplicate_key(text)
    assert clean._letter_counts(text) == clean._letter_counts(key) == (key.count("e"), key.count("t"), key.count("a"))


def test_letter_counts_on_seed_paragraphs():
    for p in _seed_paragraphs():
        for text in (p, p.upper()):
            assert clean._letter_counts(text) == clean._letter_counts(clean._duplicate_key(text))
    assert clean._letter_counts("The Tea, at ten.") == (3, 4, 2)


def _cleaned(raw):
    c = clean.clean_text(raw)
    return (c.text, c.spans, list(c.meta.items()), c.warnings, c.line_keys, c.n_words, c.paragraph_languages)


def _with_repeats(raw, rng):
    """``raw`` with some of its paragraphs repeated later, changed as the key
    ignores (case, quotes, spacing, punctuation), or broken mid-sentence."""
    paras = [p for p in raw.split("\n\n") if p.strip()]
    out = list(paras)
    for _ in range(rng.randint(1, 3)):
        p = rng.choice(paras)
        p = rng.choice([p, p.upper(), p.replace("'", "’"), p.replace(", ", " , "), "“" + p + "”", p + "!",
                        p[:len(p) // 2]])
        out.insert(rng.randint(1, len(out)), p)
    return "\n\n".join(out)


def test_duplicate_guard_equals_the_plain_rule(monkeypatch):
    rng = random.Random(21)
    raws = seed_texts()
    raws += [_with_repeats(r, rng) for r in raws for _ in range(3)]
    raws += ["Putin met Xi in Moscow.\n\nThe talks ran late.\n\n“PUTIN met Xi in Moscow!”",
             "Short line\n\nA body paragraph that goes on\n\nlong enough.\n\nA body paragraph that goes on long enough."]
    fast = [_cleaned(r) for r in raws]
    said = []
    monkeypatch.setattr(clean, "_may_repeat", lambda paras: said.append(1) or True)   # the plain rule every time
    plain = [_cleaned(r) for r in raws]
    assert said and fast == plain
    removed = [rule for c in fast for *_, rule in c[1] if rule == "duplicate"]
    assert len(removed) > 10           # the repeats are found, through the guard too
    c = clean.clean_text(raws[-2])
    assert c.removed == [("duplicate", "“PUTIN met Xi in Moscow!”")]


def _paras(raw):
    blocks, _ = clean._paragraph_spans(raw, 0)
    return [clean.Para(raw, s, e) for s, e in blocks]


def test_duplicate_guard_answers_both_ways():

    assert not clean._may_repeat(_paras("Putin met Xi.\n\nThe talks ran late."))
    assert clean._may_repeat(_paras("Putin met Xi.\n\nThe talks ran late.\n\nputin, met XI!"))
    assert clean._may_repeat(_paras("Tea at ten.\n\nAt ten, tea."))       # same counts, other keys: the plain rule decides
    assert clean.clean_text("Tea at ten.\n\nAt ten, tea.").removed == []


# ------------------------------------------------------------------ scripts
SCRIPT_TEXT = st.lists(st.sampled_from(["Путин", "習近平", "모스크바", "مرحبا", "ελληνικά", "café", "Ærø", "ªº", "µ", "İ",
                                        "ſ", "Xi", "’", "“", "—", " ", "\n", "2023", "٣", "²", "_", "ǅ", "ɐ"]),
                       max_size=12).map("".join)


def _plain_non_latin_share(text):
    from researchlib.language import _LETTER, NON_LATIN
    letters = len(_LETTER.findall(text))
    return len(NON_LATIN.findall(text)) / letters if letters and NON_LATIN.search(text) else 0.0


@settings(max_examples=500, deadline=None)
@given(st.one_of(SCRIPT_TEXT, st.text(max_size=30)))
def test_non_latin_tests_read_on_non_ascii_equal_the_pattern(text):
    from researchlib.language import NON_LATIN, has_non_latin, non_latin_share
    assert has_non_latin(text) == (NON_LATIN.search(text) is not None)
    assert non_latin_share(text) == _plain_non_latin_share(text)


def test_non_latin_tests_on_seeds_and_by_hand():
    from researchlib.language import NON_LATIN, has_non_latin, non_latin_share
    for raw in seed_texts():
        for p in raw.split("\n"):
            assert has_non_latin(p) == (NON_LATIN.search(p) is not None)
            assert non_latin_share(p) == _plain_non_latin_share(p)
    assert not has_non_latin("Xi’s café — “Ærø”") and non_latin_share("Xi’s café") == 0.0
    assert has_non_latin("Xi 習近平") and non_latin_share("Xi 習近平") == 3 / 5
    assert non_latin_share("ª") == 1.0        # ª is a letter outside A-Z and À-ɏ


# ------------------------------------------------------------------ patterns opening with one character class
SCAN_TEXT = st.one_of(
    st.text(alphabet=list("aZ09.,:-'’_ \n\t\x1c\u00a0éЖ中\u0301²Ⅻ٣ſİ!?…。！？」』”)»]\"“«(["), max_size=60),
    st.lists(st.sampled_from(["U.S.", "10,000", "no-limits", "China's", "Xi’s", "a.", "x_y", "cease-fire", "—", "3:15",
                              "Путин", "e.g.", "Mr.", "said.", "“Yes!”", "Why?", "Wait…", "好。", "（注）", " ", "\n"]),
             max_size=20).map(" ".join))


@settings(max_examples=500, deadline=None)
@given(SCAN_TEXT)
def test_token_scan_equals_token(text):
    from researchlib.text import _TOKEN_SCAN, TOKEN
    assert [m.span() for m in _TOKEN_SCAN.finditer(text)] == [m.span() for m in TOKEN.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(SCAN_TEXT)
def test_sentence_end_scan_equals_the_plain_alternation(text):
    import re
    plain = re.compile(clean._SENT_END_PLAIN)
    assert [m.span() for m in clean._SENT_END.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_scans_on_seeds():
    import re

    from researchlib.text import _TOKEN_SCAN, TOKEN
    plain = re.compile(clean._SENT_END_PLAIN)
    n_ends = 0
    for raw in seed_texts():
        for text in (raw, raw.upper()):
            assert _TOKEN_SCAN.findall(text) == TOKEN.findall(text)
            ends = [m.span() for m in clean._SENT_END.finditer(text)]
            assert ends == [m.span() for m in plain.finditer(text)]
            n_ends += len(ends)
    assert n_ends > 0
    assert [m.group() for m in clean._SENT_END.finditer("Wait…” he said. 好。」 Done?! x.y")] == ["…”", ".", "。」", "?!"]
