"""Charts and tables a newcomer can read, at any number of outlets (issue 18, item 3)."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import researchlib as rl
from researchlib import limits, plots


def _docs(n_outlets=30, per=(1, 10), seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_outlets):
        for k in range(int(rng.integers(*per))):
            rows.append({"doc_id": f"d{i}_{k}", "outlet": f"outlet{i:02d}", "n_words": 100,
                         "published": pd.Timestamp("2022-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))})
    return pd.DataFrame(rows)


def test_attention_names_eleven_units_and_pools_the_rest():
    docs = _docs()
    att = rl.attention(docs, by="outlet", bin="month")
    units = set(att["outlet"])
    assert len(units) == 12 and "other (19 outlets)" in units
    # counts add up to the articles, shares to 1 per period
    assert att["n_docs"].sum() == len(docs)
    assert np.allclose(att.groupby("period")["share"].sum(), 1)
    top = docs["outlet"].value_counts()
    biggest = sorted(top.index, key=lambda u: (-top[u], u))[0]
    assert att.loc[att["outlet"] == biggest, "n_docs"].sum() == top[biggest]
    fig = plots.attention(att, by="outlet")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(legend) == 12 and legend[-1] == "other (19 outlets)"
    ticks = fig.axes[0].get_yticks()
    assert np.allclose(ticks, np.round(ticks))                       # whole articles only


def test_attention_without_dates_draws_nothing():
    docs = _docs(3).assign(published=pd.NaT)
    att = rl.attention(docs)
    assert att.empty and att.attrs["undated"] == len(docs)
    assert plots.attention(att) is None


def test_count_axes_have_whole_number_ticks():
    docs = _docs(3, per=(1, 3))
    fig = plots.documents_bar(docs)
    ticks = fig.axes[0].get_xticks()
    assert np.allclose(ticks, np.round(ticks)), ticks


def test_one_colour_per_outlet_whatever_the_chart_shows():
    plots.use_units([f"outlet{i:02d}" for i in range(30)])
    try:
        all_ = plots.outlet_colors([f"outlet{i:02d}" for i in range(30)])
        some = plots.outlet_colors(["outlet07", "outlet21", "other (28 outlets)"])
        assert some["outlet07"] == all_["outlet07"] and some["outlet21"] == all_["outlet21"]
        assert some["other (28 outlets)"] == plots.OTHER_COLOR
        # categories take another palette than outlets
        assert not set(plots.category_colors(["war", "crisis"]).values()) & set(plots.PALETTE[:10])
    finally:
        plots.use_units([])


def test_interval_plot_sorted_by_value_with_n_and_hollow_legend():
    agg = pd.DataFrame({"outlet": ["a", "b", "c"], "method": "blend", "mean": [0.1, -0.2, 0.3],
                        "ci_low": [0.0, -0.3, 0.2], "ci_high": [0.2, -0.1, 0.4], "n_docs": [1, 5, 6],
                        "n_sentences": [10, 50, 60], "low_n": [True, False, False]})
    fig = plots.sentiment_points(agg)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [lab.split("\n")[0] for lab in labels] == ["b", "a", "c"]       # bottom-up: most positive on top
    assert "n=1 art." in labels[1]
    legend = {t.get_text(): h for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert "hollow: too few articles" in legend
    assert legend["hollow: too few articles"].get_markerfacecolor() == "white"


def test_event_labels_do_not_overlap_or_leave_the_figure():
    docs = _docs(4)
    events = pd.DataFrame({"date": pd.to_datetime(["2022-03-01", "2022-03-03", "2022-03-05", "2022-10-20"]),
                           "event": ["A long event name one", "Another long event name", "A third event", "Late"]})
    events["end_date"] = events["date"]
    fig = plots.attention(rl.attention(docs, bin="week"), events)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    assert len(labels) == 4
    boxes = [t.get_window_extent(renderer) for t in labels]
    width, height = fig.bbox.width, fig.bbox.height
    for i, a in enumerate(boxes):
        assert a.x0 >= 0 and a.x1 <= width + 1 and a.y1 <= height + 1, labels[i].get_text()
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_over_time_at_twelve_outlets_is_small_multiples():
    frame = pd.DataFrame([{"outlet": f"o{i:02d}", "period": pd.Timestamp("2022-01-01") + pd.DateOffset(months=m),
                           "mean": 0.01 * i + 0.02 * m, "n_docs": 3} for i in range(12) for m in range(5)])
    fig = plots.measure_over_time(frame, "mean", by="outlet", ylabel="mean sentiment")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 12
    assert {ax.get_title(loc="left") for ax in panels} == {f"o{i:02d} (n=15)" for i in range(12)}


def test_figures_come_back_closed():
    before = set(plt.get_fignums())
    fig = plots.documents_bar(_docs(3))
    assert isinstance(fig, matplotlib.figure.Figure)
    assert set(plt.get_fignums()) == before      # nothing left for the inline backend to draw a second time


def test_frame_heatmap_with_no_frame_sentence_is_none_and_says_why():
    profile = pd.DataFrame({"outlet": ["a", "b"], "frame": ["x", "x"], "share": [0.0, 0.0], "n_docs": [1, 1],
                            "n_sentences": [5, 5], "n_frame_sentences": [0, 0]})
    assert plots.frame_heatmap(profile) is None
    why = limits.frame_matches(profile, codebook_name="the generic codebook")
    assert why == ("No sentence matches an indicator of the generic codebook, so there is no frame profile "
                   "to draw.")
    assert limits.frame_matches(profile.assign(n_frame_sentences=[1, 0], share=[0.2, 0])) is None


@pytest.fixture
def shown(monkeypatch):
    out = []
    import IPython.display
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: out.append((obj, kw)))
    return out


def test_evidence_cuts_long_tables_counts_as_ints_text_left(shown):
    frame = pd.DataFrame({"outlet": [f"o{i}" for i in range(100)], "count": np.arange(100, dtype=float),
                          "share": np.linspace(0, 1, 100)})
    plots.evidence(frame.set_index("outlet"), max_rows=10)
    html = shown[0][0].data
    assert html.count("<tr>") == 11                                  # header + 10 rows
    assert "The first 10 of 100 rows; 90 more are in the full table." in html
    assert ">7</td>" in html and ">7.0</td>" not in html             # counts as integers
    assert '<th style="text-align:left">outlet</th>' in html         # the index is a column, named over it
    assert '<th style="text-align:right">count</th>' in html


def test_kwic_lines_up_on_the_keyword(shown):
    kwic = pd.DataFrame({"doc_id": ["d1"], "left": ["the long words before"], "match": ["war"],
                         "right": ["and after"]})
    plots.evidence(kwic)
    html = shown[0][0].data
    assert '<td style="text-align:right;white-space:nowrap;">the long words before</td>' in html
    assert '<td style="text-align:left;white-space:nowrap;">and after</td>' in html


def test_evidence_in_a_report_writes_the_full_table(shown, tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCHLIB_EXPORT", str(tmp_path))
    frame = pd.DataFrame({"text": ["=1+1", "plain"] * 40, "n": range(80)})
    plots.evidence(frame, max_rows=5)
    name = shown[0][1]["metadata"]["researchlib"]["table"]
    csv = pd.read_csv(tmp_path / f"{name}.csv")
    assert len(csv) == 80 and csv["text"].iloc[0] == "'=1+1"         # formula neutralised
    assert pd.read_parquet(tmp_path / f"{name}.parquet").equals(frame)


def test_reader_pages_show_values_not_reprs():
    from IPython.lib.pretty import pretty
    from researchlib.plots import _array_text, _series_html
    s = pd.Series([3, 1], index=pd.Index(["caption", "heading"], name="rule"), name="chars")
    html = _series_html(s)
    assert "dtype" not in html and '<th style="text-align:left">rule</th>' in html and ">3</td>" in html

    class P:
        def __init__(self):
            self.out = ""

        def text(self, t):
            self.out += t
    p = P()
    _array_text(np.array([0.7003]), p, False)
    assert p.out == "0.7003"
    assert pretty(np.array([0.7003])).startswith("array(")      # outside a report, numpy's own repr
