"""Plots: functions that take the tidy frames of the measures and draw.

They compute nothing beyond layout: every number drawn is a column of the
frame passed in. One style and one colour per outlet across every notebook;
titles state the finding, axes carry units, n is on the figure.
"""
from __future__ import annotations

import functools
import html

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["outlet_colors", "headline", "documents_bar", "removed_bar", "term_rates", "naming_share",
           "sentiment_points", "frame_heatmap", "voices_bar", "coverage_timeline", "dispersion",
           "measure_over_time", "evidence"]

PALETTE = list(matplotlib.colormaps["tab10"].colors) + list(matplotlib.colormaps["Dark2"].colors)
#: The house style. Each plotting function draws inside it (``plt.rc_context``):
#: importing this module leaves the user's matplotlib settings alone.
STYLE = {"figure.dpi": 100, "savefig.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
         "axes.grid": True, "grid.alpha": 0.3, "font.size": 10, "axes.titlesize": 11, "axes.titleweight": "bold",
         "svg.hashsalt": "researchlib"}


def _styled(draw):
    """``draw`` run in the house style (:data:`STYLE`)."""
    @functools.wraps(draw)
    def styled(*args, **kwargs):
        with plt.rc_context(STYLE):
            return draw(*args, **kwargs)
    return styled


def outlet_colors(outlets) -> dict:
    """The same colour for an outlet in every chart (sorted name order)."""
    return {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(sorted(set(map(str, outlets))))}


@_styled
def headline(fig, finding: str):
    """Show a figure as a notebook's headline: the report's index shows it with
    ``finding`` on the notebook's card."""
    from IPython.display import Markdown, display
    display(fig)
    display(Markdown(f"**Finding:** {html.escape(finding)}"),
            metadata={"researchlib": {"headline": finding}})
    plt.close(fig)


def evidence(frame: pd.DataFrame, max_rows=30):
    """Display an evidence table (text escaped: corpus text is untrusted)."""
    from IPython.display import HTML, display
    display(HTML(frame.head(max_rows).to_html(index=False, escape=True, na_rep="")))
    if len(frame) > max_rows:
        display(HTML(f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>"))


def _n_label(df, unit="outlet", n="n_docs"):
    return {u: f"{u}\n(n={int(k)} {'article' if int(k) == 1 else 'articles'})"
            for u, k in df.groupby(unit)[n].first().items()}


@_styled
def documents_bar(documents: pd.DataFrame):
    """Articles and words per outlet."""
    g = documents.groupby("outlet").agg(articles=("doc_id", "size"), words=("n_words", "sum")).reset_index()
    colors = outlet_colors(documents["outlet"])
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.5 * len(g) + 1.8))
    axes[0].barh(g["outlet"], g["articles"], color=[colors[o] for o in g["outlet"]])
    axes[0].set_xlabel("articles")
    axes[1].barh(g["outlet"], g["words"], color=[colors[o] for o in g["outlet"]])
    axes[1].set_xlabel("words (after cleaning)")
    axes[1].set_yticklabels([])
    fig.suptitle(f"{len(documents)} articles from {len(g)} outlets", fontweight="bold")
    fig.tight_layout()
    return fig


@_styled
def removed_bar(removed: pd.DataFrame, documents: pd.DataFrame):
    """Characters removed by each cleaning rule, per article."""
    r = removed.assign(chars=removed["text"].str.len()).merge(documents[["doc_id", "outlet"]], on="doc_id")
    t = r.pivot_table(index="outlet", columns="rule", values="chars", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(10, 0.5 * max(1, len(t)) + 1.8))
    if t.empty:
        ax.text(0.5, 0.5, "cleaning removed nothing", ha="center", transform=ax.transAxes)
    else:
        t.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.7)
        ax.legend(title="rule", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_xlabel("characters removed")
    ax.set_ylabel("")
    ax.set_title(f"Cleaning removed {int(r['chars'].sum()):,} characters in {len(r)} spans")
    fig.tight_layout()
    return fig


@_styled
def term_rates(share: pd.DataFrame, groups=("war", "crisis"), title=None, voice="all"):
    """Rate per 1,000 words of each term group, per outlet (from group_share)."""
    g = share[share["group"].isin(groups)]
    labels = _n_label(g)
    outlets = sorted(g["outlet"].unique())
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(outlets) + 1.8))
    h = 0.8 / len(groups)
    for i, grp in enumerate(groups):
        d = g[g["group"] == grp].set_index("outlet").reindex(outlets)
        y = np.arange(len(outlets)) + i * h
        ax.barh(y, d["per_1k"], height=h, label=f"{grp} ({int(d['count'].sum())} matches)",
                color=["#c0392b", "#2471a3", "#7d3c98", "#1e8449"][i % 4])
        for yy, c in zip(y, d["count"]):
            ax.text(0, yy, f" {int(c) if pd.notna(c) else 0}", va="center", fontsize=7, color="white")
    ax.set_yticks(np.arange(len(outlets)) + h * (len(groups) - 1) / 2)
    ax.set_yticklabels([labels[o] for o in outlets], fontsize=8)
    ax.set_xlabel("matches per 1,000 words")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or f"Naming the events: {' vs '.join(groups)} per outlet (voice: {voice})")
    fig.tight_layout()
    return fig


@_styled
def naming_share(share: pd.DataFrame, group="war", title=None):
    """Share of war-type among naming matches per outlet (from group_share)."""
    s = share[share["group"] == group].sort_values("outlet")
    colors = outlet_colors(share["outlet"])
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(s) + 1.6))
    ax.barh(s["outlet"], s["share"].fillna(0), color=[colors[o] for o in s["outlet"]])
    for y, (sh, c, t) in enumerate(zip(s["share"], s["count"], s["total"])):
        ax.text(0.01, y, f"{int(c)}/{int(t)} matches" if t else "no matches", va="center", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of '{group}' among naming matches")
    ax.set_title(title or f"Share of '{group}' wording among naming terms")
    fig.tight_layout()
    return fig


@_styled
def sentiment_points(agg: pd.DataFrame, title=None,
                     xlabel="mean sentence sentiment (-1 negative .. +1 positive), 95% interval"):
    """Mean sentence score per outlet and method with its interval and n
    (from sentiment_by). Hollow markers: fewer documents than the minimum."""
    methods = list(dict.fromkeys(agg["method"]))
    outlets = sorted(agg["outlet"].unique())
    fig, ax = plt.subplots(figsize=(9, 0.7 * len(outlets) + 1.8))
    markers = ["o", "s", "D", "^"]
    for i, m in enumerate(methods):
        d = agg[agg["method"] == m].set_index("outlet").reindex(outlets)
        y = np.arange(len(outlets)) + (i - (len(methods) - 1) / 2) * 0.25
        err = np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]])
        ax.errorbar(d["mean"], y, xerr=np.nan_to_num(err), fmt="none", ecolor="grey", capsize=3)
        for yy, x, low in zip(y, d["mean"], d["low_n"]):
            ax.plot(x, yy, markers[i % 4], color=f"C{i}", mfc="white" if low else f"C{i}", ms=7)
        ax.plot([], [], markers[i % 4], color=f"C{i}", label=m)
    labels = {o: f"{o}\n(n={int(r.n_docs)} art., {int(r.n_sentences)} sent.)"
              for o, r in agg.groupby("outlet").first().iterrows()}
    ax.set_yticks(np.arange(len(outlets)))
    ax.set_yticklabels([labels[o] for o in outlets], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.legend(loc="best", fontsize=8)
    note = "hollow = too few articles; interval over sentences of one article understates uncertainty" \
        if agg["low_n"].any() else "intervals: bootstrap over articles"
    ax.set_title(title or "Sentence sentiment per outlet")
    fig.text(0.01, 0.005, note, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


@_styled
def frame_heatmap(profile: pd.DataFrame, title=None, value="share"):
    """Share of sentences with each frame per outlet, n in the row labels."""
    t = profile.pivot(index="outlet", columns="frame", values=value)
    n = profile.groupby("outlet")[["n_docs", "n_sentences"]].first()
    fig, ax = plt.subplots(figsize=(1.1 * t.shape[1] + 3.5, 0.6 * t.shape[0] + 2.4))
    im = ax.imshow(t.values, cmap="Blues", vmin=0, vmax=max(0.01, np.nanmax(t.values)), aspect="auto")
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            v = t.values[i, j]
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * np.nanmax(t.values) else "black")
    ax.set_xticks(range(t.shape[1]))
    ax.set_xticklabels(t.columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(t.shape[0]))
    ax.set_yticklabels([f"{o} (n={n.loc[o, 'n_docs']} art., {n.loc[o, 'n_sentences']} sent.)" for o in t.index], fontsize=8)
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="share of sentences with the frame")
    ax.set_title(title or "Frames per outlet")
    fig.tight_layout()
    return fig


@_styled
def voices_bar(voices: pd.DataFrame, level="speaker_group", title=None):
    """Quotes per speaker group per outlet (from rl.voices)."""
    t = voices.pivot_table(index="outlet", columns=level, values="n_quotes", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(t) + 1.8))
    t.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.7)
    n = voices.groupby("outlet")["n_docs"].first()
    ax.set_yticklabels([f"{o} (n={n[o]})" for o in t.index], fontsize=8)
    ax.set_xlabel("quotations (direct, partial and reported speech)")
    ax.set_ylabel("")
    ax.legend(title=level.replace("_", " "), bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or "Who speaks in each outlet")
    fig.tight_layout()
    return fig


@_styled
def coverage_timeline(documents: pd.DataFrame, events: pd.DataFrame, title=None):
    """Each article as a dot on a time axis, one row per outlet, event markers."""
    d = documents.dropna(subset=["published"])
    outlets = sorted(d["outlet"].unique())
    colors = outlet_colors(documents["outlet"])
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(outlets) + 2.6))
    for i, o in enumerate(outlets):
        x = d.loc[d["outlet"] == o, "published"]
        ax.scatter(x, [i] * len(x), s=60, color=colors[o], zorder=3, label=o)
    for k, e in enumerate(events.itertuples()):
        ax.axvspan(e.date, e.end_date + pd.Timedelta(days=1), color="orange", alpha=0.25)
        ax.axvline(e.date, color="darkorange", lw=1)
        ax.text(e.date, len(outlets) - 0.4 + (k % 3) * 0.45, e.event, rotation=0, fontsize=7, color="saddlebrown")
    ax.set_yticks(range(len(outlets)))
    ax.set_yticklabels(outlets, fontsize=8)
    ax.set_ylim(-0.6, len(outlets) + 1.2)
    ax.set_xlabel("publication date")
    ax.set_title(title or f"{len(d)} articles on the time axis, with key events")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


@_styled
def dispersion(hits: pd.DataFrame, documents: pd.DataFrame, title=None):
    """Where in each article the naming terms fall (0 = start, 1 = end)."""
    docs = documents[["doc_id", "outlet"]].sort_values(["outlet", "doc_id"]).reset_index(drop=True)
    y = {d: i for i, d in enumerate(docs["doc_id"])}
    groups = sorted(hits["group"].unique())
    fig, ax = plt.subplots(figsize=(10, 0.4 * len(docs) + 1.8))
    for k, g in enumerate(groups):
        h = hits[hits["group"] == g]
        ax.scatter(h["position"], h["doc_id"].map(y), marker="|", s=200, color=f"C{k}", label=g)
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels([f"{o} · {d[:10]}" for d, o in zip(docs["doc_id"], docs["outlet"])], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the article (0 = first word, 1 = last)")
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or "Where the naming terms fall in each article")
    fig.tight_layout()
    return fig


@_styled
def measure_over_time(frame: pd.DataFrame, value: str, period="period", ylabel="", title=None):
    """A measure per outlet and period (lines with points; n as labels)."""
    colors = outlet_colors(frame["outlet"])
    fig, ax = plt.subplots(figsize=(10, 4))
    for o, g in frame.groupby("outlet"):
        g = g.sort_values(period)
        ax.plot(g[period], g[value], "-o", color=colors[o], label=o)
        if "n_docs" in g:
            for x, v, n in zip(g[period], g[value], g["n_docs"]):
                if pd.notna(v):
                    ax.annotate(f"n={n}", (x, v), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.set_ylabel(ylabel)
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or value)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
