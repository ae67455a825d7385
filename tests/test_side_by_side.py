"""rl.side_by_side: raw and clean text in two columns, removed spans marked
with their rule, article text escaped, plain text wrapped at word boundaries."""
import re

import pandas as pd
import pytest

import researchlib as rl
from researchlib.side_by_side import SideBySide, rows_from_spans


def _corpus(tmp_path, text):
    p = tmp_path / "one.csv"
    pd.DataFrame({"body": [text], "source": ["Hostile <b>Gazette</b>"]}).to_csv(p, index=False)
    return rl.load_corpus(p, text="body", outlet="source")


HOSTILE = ("Officials <script>alert('x')</script> & partners met on Tuesday to discuss trade and energy.\n\n"
           "Download our app from Google Playstore using the link here>>>\n\n"
           "The talks, described as \"warm\" by both sides, lasted three hours and ended with a statement.")


def test_escapes_article_text_and_marks_each_removed_span_with_its_rule(tmp_path):
    c = _corpus(tmp_path, HOSTILE)
    doc = c.documents.doc_id.iloc[0]
    view = rl.side_by_side(c, doc)
    page = view._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&amp; partners" in page
    # every span the audit lists is marked, with its rule, in raw order
    audit = c.removed[c.removed.doc_id == doc]
    assert [r for r, _ in view.removed] == list(audit.rule) and "promo" in list(audit.rule)
    for rule, text in zip(audit.rule, audit.text):
        assert f'<span title="removed by {rule}">' in page and f">{text.strip().replace('>', '&gt;')}</del>" in page
    assert "[-promo: Download our app" in str(view)
    # the clean column holds the kept text only
    assert "Download" not in "".join(kept for _, kept in view.rows)


def test_plain_text_wraps_at_word_boundaries():
    raw = ("Xi Jinping and Vladimir Putin agreed on Tuesday to deepen cooperation in energy, trade and "
           "transport, and signed a statement on a comprehensive partnership for a new era.\n"
           "Read more: https://example.com/a/very/long/link/that/is/longer/than/the/column/width")
    cut = raw.index("Read more")
    view = SideBySide("d", rows_from_spans(raw, [(0, cut - 1, "keep"), (cut - 1, cut, "space"),
                                                 (cut, len(raw), "related")]), width=30)
    words = set(re.sub(r"\[-related: |-\]", " ", raw).split())
    lines = str(view).splitlines()[3:]
    for line in lines:
        left, _, right = line.partition(" |")
        assert set(re.sub(r"\[-related: |-\]", " ", left).split()) <= words and set(right.split()) <= words, line  # no word cut
        assert len(left.rstrip()) <= 30 or len(left.split()) == 1, line      # only a single over-long word overflows
    assert any("https://example.com/a/very/long/link/that/is/longer/than/the/column/width-]" in l for l in lines)
    assert max(len(l.partition(" |")[2].strip()) for l in lines) <= 30


def test_seed_view_matches_the_audit():
    c = rl.load_corpus()
    for doc in c.documents.doc_id:
        audit = c.removed[c.removed.doc_id == doc]
        assert rl.side_by_side(c, doc).removed == [(r, t.strip()) for r, t in zip(audit.rule, audit.text)], doc


def test_unknown_document_names_it():
    c = rl.load_corpus()
    with pytest.raises(KeyError, match="no document with doc_id 'nope'"):
        rl.side_by_side(c, "nope")
