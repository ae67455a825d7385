"""Plots: functions that take the tidy frames of the measures and draw.

They compute nothing beyond layout: every number drawn is a column of the
frame passed in (counts per period come from :func:`researchlib.attention`,
shares from the measures). One style and one colour per unit across every
notebook (:func:`use_units` fixes the list once per corpus; categories such as
term groups, frames, rules and methods take another palette); titles state
the finding, axes carry units, n is on the figure. Every plot takes ``by``,
the column that holds the unit compared (outlet, country, outlet_type, ...);
options are keyword-only. A missing value is drawn as "(missing)". Given
nothing to draw, a plot returns None (the notebooks say why first, see
:mod:`researchlib.limits`).

Scale: a chart names at most :data:`MAX_SERIES` units (lines over time become
small multiples, one panel per unit with the others in grey; the attention
chart pools the rest as "other" upstream); per-unit interval and bar charts
are sorted by value with n on the axis; many rows shrink their labels.

Figures are returned closed: a notebook shows one with :func:`show` (or as
the cell's last value), so no cell draws a figure twice. Inside
``researchlib report`` (``RESEARCHLIB_EXPORT`` names a folder) every figure
shown is also saved as PNG (150 dpi) and SVG, and every :func:`evidence`
table in full as CSV and Parquet; the report names the files after the
section and links them under the figure or table (:mod:`researchlib.pages`).

Names from data (outlets, groups, frames, events) are plain text: figures are
built with mathtext off (a ``$`` is a dollar sign), a legend lists a name
starting with ``_`` (matplotlib would hide it) and the finding under a
headline figure is escaped Markdown (see ``safe_text``); table cells are
HTML-escaped.

Known limits
------------
Colours repeat after 52 units; small multiples show at most
:data:`MAX_PANELS` units (the largest by n_docs) and say how many are left
out; event labels longer than the space they have are shortened with "…".
"""
from __future__ import annotations

import functools
import html
import itertools
import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .safe_text import escape_markdown, legend_label, neutralise_formulas

__all__ = ["outlet_colors", "category_colors", "use_units", "show", "headline", "evidence", "table_html",
           "documents_bar",
           "removed_bar", "term_rates", "naming_share", "sentiment_points", "frame_heatmap", "voices_bar",
           "attention", "coverage_timeline", "dispersion", "measure_over_time", "validation_points", "STYLE"]

#: Units (outlets, countries, ...): saturated colours.
PALETTE = [c for i, c in enumerate(matplotlib.colormaps["tab10"].colors) if i != 7]   # not grey: grey is "other"
PALETTE += [*matplotlib.colormaps["Dark2"].colors[:7],
           *matplotlib.colormaps["tab20b"].colors, *matplotlib.colormaps["tab20c"].colors[:16]]
#: Categories (term groups, frames, cleaning rules, speaker groups, methods):
#: another palette, so a colour never means an outlet in one chart and a
#: category in the next.
CATEGORY_PALETTE = ["#b8860b", "#4a6f8a", "#9370db", "#2e8b57", "#cd5c5c", "#4d4d4d", "#bc8f8f", "#5f9ea0",
                    "#808000", "#dda0dd", "#000080", "#a0522d"]
OTHER_COLOR = "#bdbdbd"
MISSING = "(missing)"
#: At most this many named series in one chart.
MAX_SERIES = 12
#: At most this many panels of small multiples.
MAX_PANELS = 12
#: The house style. Each plotting function draws inside it (``plt.rc_context``)
#: with mathtext off (text from data is shown as written, see
#: :func:`researchlib.safe_text.plain_text_figures`): importing this module
#: leaves the user's matplotlib settings alone.
STYLE = {"figure.dpi": 100, "savefig.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
         "axes.grid": True, "grid.alpha": 0.3, "font.size": 10, "axes.titlesize": 11, "axes.titleweight": "bold",
         "svg.hashsalt": "researchlib", "text.parse_math": False}
EXPORT_DPI = 150
#: Chart settings of this session: ``units``, the units of the corpus in
#: sorted order (set by :func:`use_units`), which fix each unit's colour.
SETTINGS = {"units": ()}
_COUNTER = itertools.count(1)


def _styled(draw):
    """``draw`` run in the house style (:data:`STYLE`); the figure comes back
    closed (shown once, by :func:`show` or as a cell's value)."""
    @functools.wraps(draw)
    def styled(*args, **kwargs):
        with plt.rc_context(STYLE):
            fig = draw(*args, **kwargs)
        if isinstance(fig, matplotlib.figure.Figure):
            plt.close(fig)
        _install_export()
        return fig
    return styled


def use_units(units):
    """Fix the units of the corpus (all outlets, say) so each keeps one colour
    in every chart, whichever subset a chart shows (sorted name order)."""
    SETTINGS["units"] = tuple(sorted({_label(u) for u in units}))


def outlet_colors(outlets) -> dict:
    """The same colour for a unit (outlet, country, ...) in every chart: its
    place among the units given to :func:`use_units` (else among ``outlets``,
    sorted); "other" and "(missing)" are grey. Colours repeat after 52 units."""
    names = sorted(set(map(str, outlets)))
    units = SETTINGS["units"]
    known = units if units and set(names) - {MISSING} <= set(units) | _others(names) else names
    order = {o: i for i, o in enumerate(u for u in known if u not in _others(known) and u != MISSING)}
    return {o: OTHER_COLOR if (o in _others(names) or o == MISSING) else PALETTE[order.get(o, 0) % len(PALETTE)]
            for o in names}


def _others(names):
    return {n for n in names if str(n).startswith("other (")}


def category_colors(categories) -> dict:
    """Colours for categories (groups, frames, rules, methods), in the order given."""
    return {c: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, c in enumerate(dict.fromkeys(categories))}


def show(fig):
    """Show a figure in the notebook (once); None shows nothing."""
    if fig is not None:
        from IPython.display import display
        _install_export()
        display(fig)


@_styled
def headline(fig, finding: str):
    """Show a figure as a notebook's headline: the report's index shows it with
    ``finding`` on the notebook's card. ``fig`` None: the finding alone."""
    from IPython.display import Markdown, display
    show(fig)
    display(Markdown(f"**Finding:** {escape_markdown(finding)}"),
            metadata={"researchlib": {"headline": finding}})


# --------------------------------------------------------------------------- #
# export inside researchlib report                                            #
# --------------------------------------------------------------------------- #

def _export_dir():
    d = os.environ.get("RESEARCHLIB_EXPORT")
    return Path(d) if d else None


def _pending_name():
    return f"pending-{os.getpid()}-{next(_COUNTER):04d}"


def _figure_png(fig):
    """The PNG shown in the page; in a report, the figure is also saved as PNG
    (150 dpi) and SVG for the report to name and link. The page shows the
    saved 150-dpi PNG at the size of the 100-dpi one (one PNG rendering, not
    two)."""
    import io
    buf = io.BytesIO()
    out = _export_dir()
    if out is None:
        fig.savefig(buf, format="png", dpi=STYLE["figure.dpi"], bbox_inches="tight", facecolor="white")
        return buf.getvalue()
    name = _pending_name()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=EXPORT_DPI, bbox_inches="tight", facecolor="white")
        (out / f"{name}.png").write_bytes(buf.getvalue())
        fig.savefig(out / f"{name}.svg", bbox_inches="tight", facecolor="white")
    width, height = _png_size(buf.getvalue())
    scale = STYLE["figure.dpi"] / EXPORT_DPI
    return buf.getvalue(), {"researchlib_figure": name, "width": round(width * scale), "height": round(height * scale)}


def _png_size(png: bytes):
    """(width, height) in pixels, from the PNG's header chunk."""
    import struct
    return struct.unpack(">II", png[16:24])


def _install_export():
    """In a report kernel, every figure displayed goes through :func:`_figure_png`
    (installed after matplotlib's own inline formatter, which it replaces), and
    a Series or short array left as a cell's value shows as its values."""
    if _export_dir() is None:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    ip.display_formatter.formatters["image/png"].for_type(matplotlib.figure.Figure, _figure_png)
    ip.display_formatter.formatters["image/svg+xml"].pop(matplotlib.figure.Figure, None)
    # a reader page shows values, not reprs (no "dtype: int64", no "array([0.7003])")
    ip.display_formatter.formatters["text/html"].for_type(pd.Series, _series_html)
    ip.display_formatter.formatters["text/plain"].for_type(np.ndarray, _array_text)


def _series_html(series):
    """A Series left as a cell's value, as a table (its index as columns)."""
    f = series.to_frame(name=str(series.name) if series.name is not None else "value")
    if all(n is None for n in f.index.names):
        f = f.rename_axis([""] * f.index.nlevels)
    more = len(f) - 60
    return table_html(f, max_rows=60) + (f"<p><em>{more:,} more rows not shown.</em></p>" if more > 0 else "")


def _array_text(arr, p, cycle):
    """A short 1-d array of numbers as the numbers (``0.7003``), else numpy's repr."""
    if arr.ndim == 1 and len(arr) <= 30 and np.issubdtype(arr.dtype, np.number):
        p.text(", ".join(_cell(x, 40) for x in arr))
    else:
        p.text(repr(arr))


# --------------------------------------------------------------------------- #
# tables                                                                      #
# --------------------------------------------------------------------------- #

_COUNT_NAMES = ("n", "count", "total", "matches", "sentences", "quotes", "chars", "words", "articles", "docs")


def _counts_as_int(frame):
    """Float columns that hold counts (named like one, every value whole) as integers."""
    out = frame.copy()
    for col in out.columns:
        name = str(col).lower()
        countish = name.startswith("n_") or any(w in name.split("_") for w in _COUNT_NAMES) or name in _COUNT_NAMES
        if countish and pd.api.types.is_float_dtype(out[col]):
            v = out[col].dropna()
            if len(v) and np.isfinite(v).all() and (v == v.round()).all():
                out[col] = out[col].astype("Int64")
    return out


def _tidy(frame):
    """Index and column names as plain columns (no index name over the wrong column)."""
    f = frame.copy()
    if any(n is not None for n in f.index.names):      # a named index (groupby, pivot) is data
        f = f.reset_index()
    if isinstance(f.columns, pd.MultiIndex):
        f.columns = [" ".join(str(x) for x in c if str(x)) for c in f.columns]
    f.columns = [str(c) for c in f.columns]
    f.columns.name = None
    return f


def _cell(v, max_chars):
    if v is None or (not isinstance(v, (list, tuple, np.ndarray, dict)) and pd.isna(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v) + 0.0                       # no "-0"
        text = f"{v:.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
        return "0" if text == "-0" else text
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}" if v == v.normalize() else f"{v:%Y-%m-%d %H:%M}"
    if isinstance(v, (list, tuple, np.ndarray)):
        v = ", ".join(map(str, v))
    s = str(v)
    return s if len(s) <= max_chars else s[:max_chars - 1] + "…"


def _align(frame, col):
    """Numbers right, text left; KWIC's left context right-aligned so the keyword lines up."""
    if col == "left" and "right" in frame.columns:
        return "right"
    if col in ("match", "keyword"):
        return "center"
    return "right" if pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]) \
        else "left"


def _table_html(frame, max_chars=300):
    e = html.escape
    aligns = [_align(frame, c) for c in frame.columns]
    head = "".join(f'<th style="text-align:{a}">{e(c)}</th>' for c, a in zip(frame.columns, aligns))
    rows = []
    for r in frame.itertuples(index=False):
        cells = []
        for v, a, c in zip(r, aligns, frame.columns):
            text = _cell(v, max_chars)
            wrap = "" if len(text) <= 24 or c in ("left", "match", "right") else "white-space:normal;"
            cells.append(f'<td style="text-align:{a};{wrap or "white-space:nowrap;"}">{e(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="researchlib-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def table_html(frame: pd.DataFrame, *, max_rows=30, max_chars=300) -> str:
    """The first ``max_rows`` rows of ``frame`` as an HTML table for reading:
    text escaped and left-aligned, numbers right-aligned, counts as integers,
    index names as columns, cells cut at ``max_chars``; KWIC lines (``left,
    match, right``) first, aligned on the keyword."""
    f = _counts_as_int(_tidy(frame))
    if {"left", "match", "right"} <= set(f.columns):
        f = f[["left", "match", "right"] + [c for c in f.columns if c not in ("left", "match", "right")]]
    return _table_html(f.head(max_rows), max_chars)


def _export_table(frame):
    """In a report: the full table as CSV (formula cells neutralised) and
    Parquet, for the report to name and link; returns the pending name."""
    out = _export_dir()
    if out is None:
        return None
    name = _pending_name()
    neutralise_formulas(frame).to_csv(out / f"{name}.csv", index=False)
    try:
        frame.to_parquet(out / f"{name}.parquet", index=False)
    except Exception:       # a column pyarrow cannot store (mixed objects): the CSV holds the table
        pass
    return name


def evidence(frame: pd.DataFrame, *, max_rows=30, empty="No rows.", max_chars=300):
    """Display a table: the first ``max_rows`` rows and how many more there
    are (text escaped: corpus text is untrusted; text left-aligned, numbers
    right, counts as integers, cells cut at ``max_chars``). An empty table
    shows the sentence ``empty`` instead. In a report the full table is
    also written as CSV and Parquet and linked under it."""
    from IPython.display import HTML, display
    if frame is None or frame.empty:
        display(HTML(f"<p><em>{html.escape(empty)}</em></p>"))
        return
    f = _counts_as_int(_tidy(frame))
    name = _export_table(f)
    shown = table_html(f, max_rows=max_rows, max_chars=max_chars)
    rest = len(f) - max_rows
    if rest > 0:
        shown += (f"<p><em>The first {max_rows:,} of {len(f):,} rows; {rest:,} more "
                  f"{'is' if rest == 1 else 'are'} in the full table.</em></p>")
    display(HTML(shown), metadata={"researchlib": {"table": name, "rows": len(f)}} if name else None)


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


def _count_axis(axis):
    """Whole-number ticks on an axis of counts (never 0.2 articles)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def _order(frame, by, value, *, ascending=True):
    """Units sorted by ``value`` (ties by name), for bars drawn bottom-up: the largest on top."""
    v = frame.groupby(by)[value].sum(min_count=1) if value in frame else pd.Series(dtype=float)
    return sorted(frame[by].unique(), key=lambda u: (np.nan_to_num(v.get(u, np.nan), nan=-np.inf), str(u)),
                  reverse=not ascending)


@_styled
def documents_bar(documents: pd.DataFrame, *, by="outlet"):
    """Articles and words per unit (most articles on top)."""
    d = _labelled(documents, by)
    g = d.groupby(by).agg(articles=("doc_id", "size"), words=("n_words", "sum")).reset_index()
    g = g.sort_values(["articles", by], ascending=[True, False])
    colors = outlet_colors(g[by])
    fig, axes = plt.subplots(1, 2, figsize=(10, _height(len(g))))
    axes[0].barh(g[by], g["articles"], color=[colors[o] for o in g[by]])
    axes[0].set_xlabel("articles")
    _count_axis(axes[0].xaxis)
    axes[0].tick_params(axis="y", labelsize=_fontsize(len(g)))
    axes[1].barh(g[by], g["words"], color=[colors[o] for o in g[by]])
    axes[1].set_xlabel("words (after cleaning)")
    _count_axis(axes[1].xaxis)
    axes[1].set_yticklabels([])
    fig.suptitle(f"{_count(len(documents), 'article')} from {_units_word(by, len(g))}", fontweight="bold")
    fig.tight_layout()
    return fig


def _count(k, word):
    """``_count(1, "span")`` -> "1 span"; ``_count(1200, "span")`` -> "1,200 spans"."""
    from .findings import plural
    k = int(k)
    return f"{k:,} {word if k == 1 else plural(word)}"


@_styled
def removed_bar(removed: pd.DataFrame, documents: pd.DataFrame, *, by="outlet"):
    """Characters removed by each cleaning rule, per unit."""
    r = removed.assign(chars=removed["text"].str.len()).merge(_labelled(documents, by)[["doc_id", by]], on="doc_id")
    t = r.pivot_table(index=by, columns="rule", values="chars", aggfunc="sum", fill_value=0)
    t = t.loc[t.sum(axis=1).sort_values(kind="stable").index] if len(t) else t
    fig, ax = plt.subplots(figsize=(10, _height(max(1, len(t)))))
    if t.empty:
        ax.text(0.5, 0.5, "cleaning removed nothing", ha="center", transform=ax.transAxes)
    else:
        colors = category_colors(t.columns)
        t.rename(columns=legend_label).plot.barh(stacked=True, ax=ax, width=0.7,
                                                 color=[colors[c] for c in t.columns])
        ax.legend(title="rule", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
        ax.tick_params(axis="y", labelsize=_fontsize(len(t)))
    _count_axis(ax.xaxis)
    ax.set_xlabel("characters removed")
    ax.set_ylabel("")
    ax.set_title(f"Cleaning removed {_count(r['chars'].sum(), 'character')} in {_count(len(r), 'span')}")
    fig.tight_layout()
    return fig


@_styled
def term_rates(share: pd.DataFrame, *, by="outlet", groups=None, title=None, voice="all"):
    """Matches per 1,000 words of each term group, per unit (from
    :func:`researchlib.terms.group_share`; sorted by the first group's rate);
    ``groups`` None: all in ``share``."""
    groups = list(dict.fromkeys(share["group"])) if groups is None else list(groups)
    g = _labelled(share[share["group"].isin(groups)], by)
    if g.empty or not groups:
        return None
    labels = _n_label(g, by)
    units = _order(g[g["group"] == groups[0]], by, "per_1k")
    units += [u for u in sorted(g[by].unique()) if u not in units]
    colors = category_colors(groups)
    fig, ax = plt.subplots(figsize=(9, _height(len(units), per=0.3 + 0.15 * len(groups))))
    h = 0.8 / len(groups)
    for i, grp in enumerate(groups):
        d = g[g["group"] == grp].set_index(by).reindex(units)
        y = np.arange(len(units)) + i * h
        ax.barh(y, d["per_1k"], height=h, label=legend_label(f"{grp} ({_count(d['count'].sum(), 'match')})"),
                color=colors[grp])
        if len(units) <= 20:
            for yy, c in zip(y, d["count"]):
                ax.text(0, yy, f" {int(c) if pd.notna(c) else 0}", va="center", fontsize=7, color="white")
    ax.set_yticks(np.arange(len(units)) + h * (len(groups) - 1) / 2)
    ax.set_yticklabels([labels.get(o, o) for o in units], fontsize=_fontsize(len(units)))
    ax.set_xlabel("matches per 1,000 words")
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or f"{' vs '.join(groups)}: matches per 1,000 words per {by.replace('_', ' ')} (voice: {voice})")
    fig.tight_layout()
    return fig


@_styled
def naming_share(share: pd.DataFrame, *, by="outlet", group=None, title=None):
    """Share of one group's words among the compared groups' matches per unit
    (from :func:`researchlib.terms.group_share`; ``group`` None: the first),
    sorted by share, matches on the bar."""
    if share.empty:
        return None
    group = group or share["group"].iloc[0]
    s = _labelled(share[share["group"] == group], by)
    s = s.set_index(by).loc[_order(s, by, "share")].reset_index()
    colors = outlet_colors(s[by])
    fig, ax = plt.subplots(figsize=(8, _height(len(s))))
    ax.barh(s[by], s["share"].fillna(0), color=[colors[o] for o in s[by]])
    for y, (c, t) in enumerate(zip(s["count"], s["total"])):
        ax.text(0.01, y, f"{int(c)}/{_count(t, 'match')}" if t else "no matches", va="center",
                fontsize=_fontsize(len(s)))
    ax.tick_params(axis="y", labelsize=_fontsize(len(s)))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1))
    ax.set_xlabel(f"share of '{group}' among the compared groups' matches")
    ax.set_title(title or f"Share of '{group}' wording among the compared term groups")
    fig.tight_layout()
    return fig


@_styled
def sentiment_points(agg: pd.DataFrame, *, by="outlet", title=None,
                     xlabel="mean sentence sentiment (-1 negative .. +1 positive), 95% interval"):
    """Mean sentence score per unit and method with its interval and n
    (from sentiment_by), sorted by the first method's mean (most positive on
    top). Hollow markers: fewer documents than the minimum."""
    if agg.empty:
        return None
    agg = _labelled(agg, by)
    methods = list(dict.fromkeys(agg["method"]))
    units = _order(agg[agg["method"] == methods[0]], by, "mean")
    units += [u for u in sorted(agg[by].unique()) if u not in units]
    colors = category_colors(methods)
    fig, ax = plt.subplots(figsize=(9, _height(len(units), per=0.4 + 0.15 * len(methods))))
    markers = ["o", "s", "D", "^"]
    for i, m in enumerate(methods):
        d = agg[agg["method"] == m].set_index(by).reindex(units)
        y = np.arange(len(units)) + (i - (len(methods) - 1) / 2) * 0.25
        err = np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]]).astype(float)
        ax.errorbar(d["mean"].astype(float), y, xerr=np.nan_to_num(err), fmt="none", ecolor="grey", capsize=3)
        hollow = d["low_n"].fillna(False).astype(bool).to_numpy()
        ax.plot(d["mean"][~hollow], y[~hollow], markers[i % 4], color=colors[m], ms=7, ls="none")
        ax.plot(d["mean"][hollow], y[hollow], markers[i % 4], color=colors[m], mfc="white", ms=7, ls="none")
        all_hollow = bool(hollow[d["mean"].notna().to_numpy()].all()) if d["mean"].notna().any() else False
        ax.plot([], [], markers[i % 4], color=colors[m], mfc="white" if all_hollow else colors[m], ls="none",
                label=legend_label(m))
    if agg["low_n"].any():
        ax.plot([], [], "o", color="grey", mfc="white", ls="none", label="hollow: too few articles")
    first = agg.groupby(by).first()
    labels = {o: f"{o}\n(n={int(r.n_docs)} art., {int(r.n_sentences)} sent.)" for o, r in first.iterrows()}
    ax.set_yticks(np.arange(len(units)))
    ax.set_yticklabels([labels[o] for o in units], fontsize=_fontsize(len(units)))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    note = "hollow = too few articles; interval over sentences of one article understates uncertainty" \
        if agg["low_n"].any() else "intervals: bootstrap over articles"
    ax.set_title(title or f"Sentence sentiment per {by.replace('_', ' ')}")
    fig.text(0.01, 0.005, note, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


@_styled
def frame_heatmap(profile: pd.DataFrame, *, by="outlet", title=None, value="share"):
    """Share of sentences with each frame per unit, n in the row labels
    (most articles on top). None when no sentence has any frame (see
    :func:`researchlib.limits.frame_matches`)."""
    if profile.empty or ("n_frame_sentences" in profile and not profile["n_frame_sentences"].fillna(0).any()) \
            or not profile[value].fillna(0).any():
        return None
    profile = _labelled(profile, by)
    t = profile.pivot(index=by, columns="frame", values=value)
    n = profile.groupby(by)[["n_docs", "n_sentences"]].first()
    t = t.loc[sorted(t.index, key=lambda u: (-int(n.loc[u, "n_docs"]), str(u)))]
    many = t.shape[0] > 20
    fig, ax = plt.subplots(figsize=(1.1 * t.shape[1] + 3.5, _height(t.shape[0], per=0.6, base=2.4)))
    top = max(0.01, float(np.nanmax(t.values)))
    im = ax.imshow(t.values, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            v = t.values[i, j]
            ax.text(j, i, "" if pd.isna(v) else f"{v:.0%}", ha="center", va="center", fontsize=6 if many else 8,
                    color="white" if v > 0.6 * top else "black")
    ax.set_xticks(range(t.shape[1]))
    ax.set_xticklabels(t.columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(t.shape[0]))
    ax.set_yticklabels([f"{o} (n={int(n.loc[o, 'n_docs'])} art., {int(n.loc[o, 'n_sentences'])} sent.)"
                        for o in t.index], fontsize=_fontsize(t.shape[0]))
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="share of sentences with the frame", format=PercentFormatter(1))
    ax.set_title(title or f"Frames per {by.replace('_', ' ')}")
    fig.tight_layout()
    return fig


@_styled
def voices_bar(voices: pd.DataFrame, *, by="outlet", level="speaker_group", title=None):
    """Quotes per speaker group per unit (from rl.quotes_by), most quotes on top."""
    if voices.empty:
        return None
    voices = _labelled(voices, by)
    t = voices.pivot_table(index=by, columns=level, values="n_quotes", aggfunc="sum", fill_value=0)
    t = t.loc[t.sum(axis=1).sort_values(kind="stable").index]
    colors = category_colors(t.columns)
    fig, ax = plt.subplots(figsize=(10, _height(len(t), per=0.55)))
    t.rename(columns=legend_label).plot.barh(stacked=True, ax=ax, width=0.7, color=[colors[c] for c in t.columns])
    n = voices.groupby(by)["n_docs"].first()
    ax.set_yticklabels([f"{o} (n={int(n[o])})" for o in t.index], fontsize=_fontsize(len(t)))
    _count_axis(ax.xaxis)
    ax.set_xlabel("quotations (direct, partial and reported speech)")
    ax.set_ylabel("")
    ax.legend(title=level.replace("_", " "), bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    ax.set_title(title or f"Who speaks in each {by.replace('_', ' ')}")
    fig.tight_layout()
    return fig


def _event_labels(ax, events, *, max_rows=4, max_chars=40):
    """Event spans on ``ax`` and their names in a band above it, in rows so
    that no two labels overlap and none leaves the figure (a name is cut at
    ``max_chars``; an event with no free place keeps its span and is counted
    in the returned number of unlabelled events). Returns (rows used, unlabelled)."""
    if events is None or not len(events):
        return 0, 0
    lo, hi = ax.get_xlim()
    for e in events.itertuples():
        ax.axvspan(e.date, e.end_date + pd.Timedelta(days=1), color="orange", alpha=0.2, lw=0)
        ax.axvline(e.date, color="darkorange", lw=1)
    width_in = ax.figure.get_figwidth() * ax.get_position().width
    char = 7 * 0.62 / 72 / width_in          # one character of a 7 pt label, as a fraction of the axes width
    rows = [[] for _ in range(max_rows)]
    unlabelled = 0
    for e in events.sort_values("date").itertuples():
        x = (matplotlib.dates.date2num(e.date) - lo) / (hi - lo)
        if not 0 <= x <= 1:
            continue
        text = str(e.event)
        text = text if len(text) <= max_chars else text[:max_chars - 1] + "…"
        w = len(text) * char + 0.01
        left = x + w <= 1
        span = (x, x + w) if left else (x - w, x)
        row = next((i for i, r in enumerate(rows) if all(span[1] < a or span[0] > b for a, b in r)), None)
        if row is None or span[0] < 0:
            unlabelled += 1
            continue
        rows[row].append(span)
        ax.annotate(text, xy=(x, 1), xycoords="axes fraction", xytext=(2 if left else -2, 3 + 10 * row),
                    textcoords="offset points", fontsize=7, color="saddlebrown", ha="left" if left else "right",
                    va="bottom", annotation_clip=False)
    return sum(1 for r in rows if r), unlabelled


@_styled
def attention(counts: pd.DataFrame, events=None, *, by="outlet", title=None):
    """Attention over time (as Media Cloud's attention chart): articles per
    period per unit, stacked, above each unit's share of the period's
    articles; from :func:`researchlib.attention` (columns ``period, <by>,
    n_docs, share``; the rest of the units already pooled as "other").
    ``events``: spans and names of key events (from ``load_events``)."""
    if counts is None or counts.empty:
        return None
    c = _labelled(counts, by)
    t = c.pivot_table(index="period", columns=by, values="n_docs", aggfunc="sum", fill_value=0).sort_index()
    s = c.pivot_table(index="period", columns=by, values="share", aggfunc="sum", fill_value=0).reindex(t.index)
    named = [u for u in t.sum().sort_values(ascending=False, kind="stable").index if u not in _others(t.columns)]
    order = named + sorted(_others(t.columns))
    t, s = t[order], s[order]
    colors = outlet_colors(order)
    periods = pd.to_datetime(t.index)
    step = np.min(np.diff(periods.values)).astype("timedelta64[s]").astype(float) / 86400 if len(periods) > 1 else 1
    width = max(0.6, 0.85 * step)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(11, 6.4), sharex=True, height_ratios=(3, 2))
    bottom = np.zeros(len(t))
    bottom2 = np.zeros(len(t))
    for u in order:
        ax.bar(periods, t[u].to_numpy(), width=width, bottom=bottom, color=colors[u], label=legend_label(u),
               align="edge" if step > 1 else "center")
        ax2.bar(periods, s[u].to_numpy(), width=width, bottom=bottom2, color=colors[u],
                align="edge" if step > 1 else "center")
        bottom += t[u].to_numpy()
        bottom2 += s[u].to_numpy()
    _count_axis(ax.yaxis)
    ax.set_ylabel("articles per period")
    ax2.set_ylabel("share of the period's articles")
    ax2.yaxis.set_major_formatter(PercentFormatter(1))
    ax2.set_ylim(0, 1)
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8, title=by.replace("_", " "))
    rows, unlabelled = 0, 0
    if events is not None and len(events):
        ax.set_xlim(*ax.get_xlim())
        rows, unlabelled = _event_labels(ax, events)
        for e in events.itertuples():
            ax2.axvspan(e.date, e.end_date + pd.Timedelta(days=1), color="orange", alpha=0.2, lw=0)
    total = int(t.to_numpy().sum())
    bin_ = counts.attrs.get("bin") or "period"
    ax.set_title((title or f"{_count(total, 'article')} per {bin_}: counts and share by {by.replace('_', ' ')}")
                 + (f" ({_count(unlabelled, 'event')} not labelled: see the events table)" if unlabelled else ""),
                 pad=8 + 10 * rows)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


@_styled
def coverage_timeline(documents: pd.DataFrame, events=None, *, by="outlet", title=None):
    """Each article as a dot on a time axis, one row per unit, event markers
    (for a few hundred articles; past that use :func:`attention`)."""
    d = _labelled(documents.dropna(subset=["published"]), by)
    if d.empty:
        return None
    units = sorted(d[by].unique())
    colors = outlet_colors(_labelled(documents, by)[by])     # same colours as the other charts
    fig, ax = plt.subplots(figsize=(11, _height(len(units), base=2.6)))
    for i, o in enumerate(units):
        x = d.loc[d[by] == o, "published"]
        ax.scatter(x, [i] * len(x), s=60 if len(units) <= 20 else 20, color=colors[o], zorder=3,
                   label=legend_label(o), alpha=0.8)
    ax.set_yticks(range(len(units)))
    ax.set_yticklabels(units, fontsize=_fontsize(len(units)))
    ax.set_ylim(-0.6, len(units) - 0.4)
    ax.set_xlabel("publication date")
    rows, unlabelled = 0, 0
    if events is not None and len(events):
        ax.set_xlim(*ax.get_xlim())
        rows, unlabelled = _event_labels(ax, events)
    undated = len(documents) - len(d)
    ax.set_title((title or f"{_count(len(d), 'article')} on the time axis"
                  + (", with key events" if events is not None and len(events) else "")
                  + (f" ({undated} undated not shown)" if undated else ""))
                 + (f" ({_count(unlabelled, 'event')} not labelled)" if unlabelled else ""), pad=8 + 10 * rows)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


@_styled
def dispersion(hits: pd.DataFrame, documents: pd.DataFrame, *, by="outlet", title=None, max_docs=60):
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
    colors = category_colors(groups)
    fig, ax = plt.subplots(figsize=(10, _height(len(docs), per=0.4)))
    for g in groups:
        h = hits[hits["group"] == g]
        ax.scatter(h["position"], h["doc_id"].map(y), marker="|", s=200, color=colors[g], label=legend_label(g))
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
def measure_over_time(frame: pd.DataFrame, value: str, *, by="outlet", period="period", ylabel="", title=None):
    """A measure per unit and period. One unit (or ``by`` None, or a column
    the frame lacks): one line with n at the points. Several units: small
    multiples, one panel per unit (its line in its colour, the others in
    grey behind it, n_docs in the panel title), at most :data:`MAX_PANELS`
    (those with most articles; the title says how many are left out)."""
    frame = frame.dropna(subset=[period, value])
    if frame.empty:
        return None
    if by is None or by not in frame:
        by, frame = "all", frame.assign(all="all articles")
    frame = _labelled(frame, by)
    colors = outlet_colors(frame[by])
    n = frame.groupby(by)["n_docs"].sum() if "n_docs" in frame else frame.groupby(by).size()
    units = sorted(frame[by].unique(), key=lambda u: (-n[u], str(u)))
    shown = units[:MAX_PANELS]
    k = len(shown)
    if k == 1:
        fig, ax = plt.subplots(figsize=(10, 4))
        axes = np.array([ax])
    else:
        ncols = min(4, k)
        nrows = -(-k // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols + 1, 2.3 * nrows + 1), sharex=True, sharey=True,
                                 squeeze=False)
        axes = axes.ravel()
    lines = {u: g.sort_values(period) for u, g in frame.groupby(by)}
    for ax, u in zip(axes, shown):
        g = lines[u]
        if k > 1:
            for o in shown:
                if o != u:
                    ax.plot(lines[o][period], lines[o][value], "-", color="#d9d9d9", lw=0.8, zorder=1)
        ax.plot(g[period], g[value], "-o", color=colors[u], ms=4 if k > 1 else 6, zorder=3, lw=1.6)
        if k == 1 and "n_docs" in g and len(g) <= 40:
            for x, v, m in zip(g[period], g[value], g["n_docs"]):
                ax.annotate(f"n={int(m)}", (x, v), textcoords="offset points", xytext=(4, 4), fontsize=7)
        if k > 1:
            ax.set_title(f"{u} (n={int(n[u])})", fontsize=8, fontweight="normal", loc="left")   # n: articles
        ax.tick_params(labelsize=7)
    for ax in axes[k:]:
        ax.set_visible(False)
    for ax in axes[:k]:
        for lab in ax.get_xticklabels():
            lab.set_rotation(30)
            lab.set_ha("right")
    left_out = len(units) - k
    head = title or value
    if left_out:
        head += f" ({_count(left_out, by.replace('_', ' '))} more not shown: those with fewest articles)"
    if k == 1:
        axes[0].set_ylabel(ylabel)
        axes[0].set_title(head)
        fig.autofmt_xdate()
        fig.tight_layout()
    else:
        fig.suptitle(head, fontweight="bold")
        fig.supylabel(ylabel, fontsize=9)
        fig.tight_layout()
    return fig


@_styled
def validation_points(summary: pd.DataFrame, *, title=None):
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


_install_export()
