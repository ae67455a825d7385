"""Plots: functions that take the tidy frames of the measures and draw.

They compute nothing beyond layout: every number drawn is a column of the
frame passed in. One style and one colour per unit across every notebook;
titles state the finding, axes carry units, n is on the figure. Every plot
takes ``by``, the column that holds the unit compared (outlet, country,
outlet_type, ...); a missing value is drawn as "(missing)". Given nothing to
draw, a plot returns None (the notebooks say why first, see
:mod:`researchlib.limits`); many units or articles shrink the rows, and
:func:`dispersion` shows at most ``max_docs`` articles and says so.

Names from data (outlets, groups, frames, events) are plain text: figures are
built with mathtext off (a ``$`` is a dollar sign), a legend lists a name
starting with ``_`` (matplotlib would hide it) and the finding under a
headline figure is escaped Markdown (see ``safe_text``).
"""
from __future__ import annotations

import functools
import html

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .safe_text import escape_markdown, legend_label

__all__ = ["outlet_colors", "headline", "evidence", "documents_bar", "removed_bar", "term_rates", "naming_share",
           "sentiment_points", "frame_heatmap", "voices_bar", "coverage_timeline", "dispersion",
           "measure_over_time", "validation_points", "STYLE"]

PALETTE = [*matplotlib.colormaps["tab10"].colors, *matplotlib.colormaps["Dark2"].colors,
           *matplotlib.colormaps["tab20b"].colors, *matplotlib.colormaps["tab20c"].colors]
MISSING = "(missing)"
#: The house style. Each plotting function draws inside it (``plt.rc_context``)
#: with mathtext off (text from data is shown as written, see
#: :func:`researchlib.safe_text.plain_text_figures`): importing this module
#: leaves the user's matplotlib settings alone.
STYLE = {"figure.dpi": 100, "savefig.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
         "axes.grid": True, "grid.alpha": 0.3, "font.size": 10, "axes.titlesize": 11, "axes.titleweight": "bold",
         "svg.hashsalt": "researchlib", "text.parse_math": False}


def _styled(draw):
    """``draw`` run in the house style (:data:`STYLE`)."""
    @functools.wraps(draw)
    def styled(*args, **kwargs):
        with plt.rc_context(STYLE):
            return draw(*args, **kwargs)
    return styled


def outlet_colors(outlets) -> dict:
    """The same colour for a unit (outlet, country, ...) in every chart
    (sorted name order; colours repeat after 58 units)."""
    return {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(sorted(set(map(str, outlets))))}


@_styled
def headline(fig, finding: str):
    """Show a figure as a notebook's headline: the report's index shows it with
    ``finding`` on the notebook's card. ``fig`` None: the finding alone."""
    from IPython.display import Markdown, display
    if fig is not None:
        display(fig)
    display(Markdown(f"**Finding:** {escape_markdown(finding)}"),
            metadata={"researchlib": {"headline": finding}})
    if fig is not None:
        plt.close(fig)


def evidence(frame: pd.DataFrame, max_rows=30, empty="No rows."):
    """Display an evidence table (text escaped: corpus text is untrusted);
    an empty table shows the sentence ``empty`` instead."""
    from IPython.display import HTML, display
    if frame.empty:
        display(HTML(f"<p><em>{html.escape(empty)}</em></p>"))
        return
    display(HTML(frame.head(max_rows).to_html(index=False, escape=True, na_rep="")))
    if len(frame) > max_rows:
        display(HTML(f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>"))


def _label(v) -> str:
    return MISSING if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _labelled(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with the unit column as text labels (missing -> "(missing)")."""
    return df.assign(**{by: [_label(v) for v in df[by]]})


def _height(n, per=0.5, base=1.8):
    """Figure height in inches for ``n`` rows: rows shrink past 20."""
    return base + per * min(n, 20) + per * 0.5 * max(0, n - 20)


def _fontsize(n):
    return 8 if n <= 20 else 6


def _n_label(df, unit="outlet", n="n_docs"):
    return {u: f"{u}\n(n={int(k)} {'article' if int(k) == 1 else 'articles'})"
            for u, k in df.groupby(unit)[n].first().items()}


def _units_word(by, k):
    from .findings import count_of, unit_name
    return count_of(k, unit_name(by))


@_styled
def documents_bar(documents: pd.DataFrame, by="outlet"):
    """Articles and words per unit."""
    d = _labelled(documents, by)
    g = d.groupby(by).agg(articles=("doc_id", "size"), words=("n_words", "sum")).reset_index()
    colors = outlet_colors(g[by])
    fig, axes = plt.subplots(1, 2, figsize=(10, _height(len(g))))
    axes[0].barh(g[by], g["articles"], color=[colors[o] for o in g[by]])
    axes[0].set_xlabel("articles")
    axes[0].tick_params(axis="y", labelsize=_fontsize(len(g)))
    axes[1].barh(g[by], g["words"], color=[colors[o] for o in g[by]])
    axes[1].set_xlabel("words (after cleaning)")
    axes[1].set_yticklabels([])
    fig.suptitle(f"{len(documents)} {'article' if len(documents) == 1 else 'articles'} from "
                 f"{_units_word(by, len(g))}", fontweight="bold")
    fig.tight_layout()
    return fig


@_styled
def removed_bar(removed: pd.DataFrame, documents: pd.DataFrame, by="outlet"):
    """Characters removed by each cleaning rule, per unit."""
    r = removed.assign(chars=removed["text"].str.len()).merge(_labelled(documents, by)[["doc_id", by]], on="doc_id")
    t = r.pivot_table(index=by, columns="rule", values="chars", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(10, _height(max(1, len(t)))))
    if t.empty:
        ax.text(0.5, 0.5, "cleaning removed nothing", ha="center", transform=ax.transAxes)
    else:
        t.rename(columns=legend_label).plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.7)
        ax.legend(title="rule", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
        ax.tick_params(axis="y", labelsize=_fontsize(len(t)))
    ax.set_xlabel("characters removed")
    ax.set_ylabel("")
    ax.set_title(f"Cleaning removed {int(r['chars'].sum()):,} characters in {len(r)} spans")
    fig.tight_layout()
    return fig


@_styled
def term_rates(share: pd.DataFrame, by="outlet", groups=None, title=None, voice="all"):
    """Matches per 1,000 words of each term group, per unit (from
    :func:`researchlib.terms.group_share`); ``groups`` None: all in ``share``."""
    groups = list(dict.fromkeys(share["group"])) if groups is None else list(groups)
    g = _labelled(share[share["group"].isin(groups)], by)
    if g.empty or not groups:
        return None
    labels = _n_label(g, by)
    units = sorted(g[by].unique())
    fig, ax = plt.subplots(figsize=(9, _height(len(units), per=0.3 + 0.15 * len(groups))))
    h = 0.8 / len(groups)
    for i, grp in enumerate(groups):
        d = g[g["group"] == grp].set_index(by).reindex(units)
        y = np.arange(len(units)) + i * h
        ax.barh(y, d["per_1k"], height=h, label=legend_label(f"{grp} ({int(d['count'].sum())} matches)"),
                color=["#c0392b", "#2471a3", "#7d3c98", "#1e8449"][i % 4])
        if len(units) <= 20:
            for yy, c in zip(y, d["count"]):
                ax.text(0, yy, f" {int(c) if pd.notna(c) else 0}", va="center", fontsize=7, color="white")
    ax.set_yticks(np.arange(len(units)) + h * (len(groups) - 1) / 2)
    ax.set_yticklabels([labels[o] for o in units], fontsize=_fontsize(len(units)))
    ax.set_xlabel("matches per 1,000 words")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or f"{' vs '.join(groups)}: matches per 1,000 words per {by.replace('_', ' ')} (voice: {voice})")
    fig.tight_layout()
    return fig


@_styled
def naming_share(share: pd.DataFrame, by="outlet", group=None, title=None):
    """Share of one group's words among the compared groups' matches per unit
    (from :func:`researchlib.terms.group_share`; ``group`` None: the first)."""
    if share.empty:
        return None
    group = group or share["group"].iloc[0]
    s = _labelled(share[share["group"] == group], by).sort_values(by)
    colors = outlet_colors(s[by])
    fig, ax = plt.subplots(figsize=(8, _height(len(s))))
    ax.barh(s[by], s["share"].fillna(0), color=[colors[o] for o in s[by]])
    for y, (c, t) in enumerate(zip(s["count"], s["total"])):
        ax.text(0.01, y, f"{int(c)}/{int(t)} matches" if t else "no matches", va="center",
                fontsize=_fontsize(len(s)))
    ax.tick_params(axis="y", labelsize=_fontsize(len(s)))
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of '{group}' among the compared groups' matches")
    ax.set_title(title or f"Share of '{group}' wording among the compared term groups")
    fig.tight_layout()
    return fig


@_styled
def sentiment_points(agg: pd.DataFrame, by="outlet", title=None,
                     xlabel="mean sentence sentiment (-1 negative .. +1 positive), 95% interval"):
    """Mean sentence score per unit and method with its interval and n
    (from sentiment_by). Hollow markers: fewer documents than the minimum."""
    if agg.empty:
        return None
    agg = _labelled(agg, by)
    methods = list(dict.fromkeys(agg["method"]))
    units = sorted(agg[by].unique())
    fig, ax = plt.subplots(figsize=(9, _height(len(units), per=0.4 + 0.15 * len(methods))))
    markers = ["o", "s", "D", "^"]
    for i, m in enumerate(methods):
        d = agg[agg["method"] == m].set_index(by).reindex(units)
        y = np.arange(len(units)) + (i - (len(methods) - 1) / 2) * 0.25
        err = np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]]).astype(float)
        ax.errorbar(d["mean"].astype(float), y, xerr=np.nan_to_num(err), fmt="none", ecolor="grey", capsize=3)
        for yy, x, low in zip(y, d["mean"], d["low_n"]):
            hollow = pd.notna(low) and bool(low)
            ax.plot(x, yy, markers[i % 4], color=f"C{i}", mfc="white" if hollow else f"C{i}", ms=7)
        ax.plot([], [], markers[i % 4], color=f"C{i}", label=legend_label(m))
    labels = {o: f"{o}\n(n={int(r.n_docs)} art., {int(r.n_sentences)} sent.)"
              for o, r in agg.groupby(by).first().iterrows()}
    ax.set_yticks(np.arange(len(units)))
    ax.set_yticklabels([labels[o] for o in units], fontsize=_fontsize(len(units)))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.legend(loc="best", fontsize=8)
    note = "hollow = too few articles; interval over sentences of one article understates uncertainty" \
        if agg["low_n"].any() else "intervals: bootstrap over articles"
    ax.set_title(title or f"Sentence sentiment per {by.replace('_', ' ')}")
    fig.text(0.01, 0.005, note, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


@_styled
def frame_heatmap(profile: pd.DataFrame, by="outlet", title=None, value="share"):
    """Share of sentences with each frame per unit, n in the row labels."""
    if profile.empty:
        return None
    profile = _labelled(profile, by)
    t = profile.pivot(index=by, columns="frame", values=value)
    n = profile.groupby(by)[["n_docs", "n_sentences"]].first()
    many = t.shape[0] > 20
    fig, ax = plt.subplots(figsize=(1.1 * t.shape[1] + 3.5, _height(t.shape[0], per=0.6, base=2.4)))
    top = max(0.01, float(np.nanmax(t.values)))
    im = ax.imshow(t.values, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            v = t.values[i, j]
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=6 if many else 8,
                    color="white" if v > 0.6 * top else "black")
    ax.set_xticks(range(t.shape[1]))
    ax.set_xticklabels(t.columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(t.shape[0]))
    ax.set_yticklabels([f"{o} (n={n.loc[o, 'n_docs']} art., {n.loc[o, 'n_sentences']} sent.)" for o in t.index],
                       fontsize=_fontsize(t.shape[0]))
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="share of sentences with the frame")
    ax.set_title(title or f"Frames per {by.replace('_', ' ')}")
    fig.tight_layout()
    return fig


@_styled
def voices_bar(voices: pd.DataFrame, by="outlet", level="speaker_group", title=None):
    """Quotes per speaker group per unit (from rl.voices)."""
    if voices.empty:
        return None
    voices = _labelled(voices, by)
    t = voices.pivot_table(index=by, columns=level, values="n_quotes", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(10, _height(len(t), per=0.55)))
    t.rename(columns=legend_label).plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.7)
    n = voices.groupby(by)["n_docs"].first()
    ax.set_yticklabels([f"{o} (n={n[o]})" for o in t.index], fontsize=_fontsize(len(t)))
    ax.set_xlabel("quotations (direct, partial and reported speech)")
    ax.set_ylabel("")
    ax.legend(title=level.replace("_", " "), bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or f"Who speaks in each {by.replace('_', ' ')}")
    fig.tight_layout()
    return fig


@_styled
def coverage_timeline(documents: pd.DataFrame, events: pd.DataFrame, by="outlet", title=None):
    """Each article as a dot on a time axis, one row per unit, event markers."""
    d = _labelled(documents.dropna(subset=["published"]), by)
    if d.empty:
        return None
    units = sorted(d[by].unique())
    colors = outlet_colors(_labelled(documents, by)[by])     # same colours as the other charts
    fig, ax = plt.subplots(figsize=(11, _height(len(units), base=2.6)))
    for i, o in enumerate(units):
        x = d.loc[d[by] == o, "published"]
        ax.scatter(x, [i] * len(x), s=60 if len(units) <= 20 else 20, color=colors[o], zorder=3, label=legend_label(o))
    for k, e in enumerate(events.itertuples()):
        ax.axvspan(e.date, e.end_date + pd.Timedelta(days=1), color="orange", alpha=0.25)
        ax.axvline(e.date, color="darkorange", lw=1)
        ax.text(e.date, len(units) - 0.4 + (k % 3) * 0.45, e.event, rotation=0, fontsize=7, color="saddlebrown")
    ax.set_yticks(range(len(units)))
    ax.set_yticklabels(units, fontsize=_fontsize(len(units)))
    ax.set_ylim(-0.6, len(units) + 1.2)
    ax.set_xlabel("publication date")
    undated = len(documents) - len(d)
    ax.set_title(title or f"{len(d)} articles on the time axis" + (", with key events" if len(events) else "")
                 + (f" ({undated} undated not shown)" if undated else ""))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


@_styled
def dispersion(hits: pd.DataFrame, documents: pd.DataFrame, by="outlet", title=None, max_docs=60):
    """Where in each article the terms fall (0 = start, 1 = end); the
    ``max_docs`` articles with most matches when there are more."""
    if hits.empty:
        return None
    docs = _labelled(documents, by)[["doc_id", by]]
    total = len(docs)
    if total > max_docs:
        most = hits["doc_id"].value_counts().head(max_docs).index
        docs = docs[docs["doc_id"].isin(most)]
    docs = docs.sort_values([by, "doc_id"]).reset_index(drop=True)
    y = {d: i for i, d in enumerate(docs["doc_id"])}
    hits = hits[hits["doc_id"].isin(y)]
    groups = list(dict.fromkeys(hits["group"]))
    fig, ax = plt.subplots(figsize=(10, _height(len(docs), per=0.4)))
    for k, g in enumerate(groups):
        h = hits[hits["group"] == g]
        ax.scatter(h["position"], h["doc_id"].map(y), marker="|", s=200, color=f"C{k}", label=legend_label(g))
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels([f"{o} · {d[:10]}" for d, o in zip(docs["doc_id"], docs[by])], fontsize=_fontsize(len(docs)))
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the article (0 = first word, 1 = last)")
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    shown = f" ({len(docs)} of {total} articles: those with most matches)" if total > len(docs) else ""
    ax.set_title(title or "Where the terms fall in each article" + shown)
    fig.tight_layout()
    return fig


@_styled
def measure_over_time(frame: pd.DataFrame, value: str, by="outlet", period="period", ylabel="", title=None):
    """A measure per unit and period (lines with points; n as labels).
    ``by`` None (or a column the frame lacks): one line for all articles."""
    frame = frame.dropna(subset=[period, value])
    if frame.empty:
        return None
    if by is None or by not in frame:
        by, frame = "all", frame.assign(all="all articles")
    frame = _labelled(frame, by)
    colors = outlet_colors(frame[by])
    k = frame[by].nunique()
    fig, ax = plt.subplots(figsize=(10, 4))
    for o, g in frame.groupby(by):
        g = g.sort_values(period)
        ax.plot(g[period], g[value], "-o", color=colors[o], label=legend_label(o), ms=6 if k <= 20 else 3)
        if "n_docs" in g and k <= 10:
            for x, v, n in zip(g[period], g[value], g["n_docs"]):
                ax.annotate(f"n={n}", (x, v), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.set_ylabel(ylabel)
    if k <= 20:
        ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    else:
        ax.text(1.01, 1, f"{k} {by.replace('_', ' ')} lines\n(too many to label)", transform=ax.transAxes,
                va="top", fontsize=8)
    ax.set_title(title or value)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


@_styled
def validation_points(summary: pd.DataFrame, title=None):
    """The headline figures of :func:`researchlib.validation.validation_summary`
    (Pearson r for sentiment, ROC AUC for stance and frames), one panel per
    measure, each with its interval where there is one and its n in the label;
    a row that could not be computed is listed with "not available"."""
    main = {"sentiment": "pearson_r", "stance": "auc_negative", "frames": "macro_auc"}
    panels = [m for m in main if m in set(summary["measure"])]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 1.2 + 0.45 * len(summary) / 2.2), squeeze=False)
    xlabel = {"pearson_r": "Pearson r with the mean human rating (0 = none, 1 = perfect)",
              "auc_negative": "ROC AUC, negative portrayal vs the rest (0.5 = chance)",
              "macro_auc": "ROC AUC per frame, mean over frames (0.5 = chance)"}
    for ax, measure in zip(axes[:, 0], panels):
        d = summary[(summary["measure"] == measure) & (summary["statistic"] == main[measure])].reset_index(drop=True)
        y = np.arange(len(d))[::-1]
        has = d["value"].notna().to_numpy()
        err = np.vstack([d["value"] - d["ci_low"], d["ci_high"] - d["value"]]).astype(float)
        ax.errorbar(d["value"][has], y[has], xerr=np.nan_to_num(err[:, has]), fmt="o", color="C0", ecolor="grey",
                    capsize=3, ms=6)
        labels = [f"{r.method} {r.variant}".strip() + (f" (n={int(r.n)})" if r.n == r.n else " (not available)")
                  for r in d.itertuples()]
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=8)
        ax.axvline(0.5 if main[measure] != "pearson_r" else 0, color="black", lw=0.8)
        ax.set_xlim(0, 1)
        ax.set_xlabel(xlabel[main[measure]], fontsize=8)
        ax.set_title(measure, fontsize=9, loc="left")
    fig.suptitle(title or "What each measure was checked against", fontweight="bold", fontsize=11)
    fig.text(0.01, 0.005, "intervals: 95% (Fisher z for r; resampling sentences for stance); "
             "frames: no interval (97 sentences, one coder)", fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    return fig
