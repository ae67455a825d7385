"""One-line findings for chart titles and the report's cards, computed from
the tidy frames (so a title never says more than its numbers)."""
from __future__ import annotations

import pandas as pd

__all__ = ["corpus_finding", "naming_finding", "sentiment_finding", "frame_finding", "voices_finding",
           "timeline_finding", "copies_finding", "validation_finding"]


def _n(k, word):
    return f"{k} {word}{'' if k == 1 else 's'}"


def corpus_finding(documents: pd.DataFrame, removed: pd.DataFrame, rejected: pd.DataFrame) -> str:
    return (f"{_n(len(documents), 'article')} from {_n(documents['outlet'].nunique(), 'outlet')} loaded; "
            f"cleaning removed {_n(len(removed), 'span')} ({int(removed['text'].str.len().sum()):,} characters); "
            f"{_n(len(rejected), 'input')} rejected.")


def naming_finding(share: pd.DataFrame, a="war", b="crisis") -> str:
    s = share[share["group"] == a].dropna(subset=["share"]).sort_values("share")
    if s.empty:
        return f"No '{a}' or '{b}' wording found."
    lo, hi = s.iloc[0], s.iloc[-1]
    return (f"{hi['outlet']} names the events with '{a}' words most ({hi['share']:.0%} of "
            f"{int(hi['total'])} naming matches); {lo['outlet']} least ({lo['share']:.0%} of {int(lo['total'])}).")


def sentiment_finding(agg: pd.DataFrame, method="vader") -> str:
    a = agg[agg["method"] == method].sort_values("mean")
    if a.empty:
        return "No sentences scored."
    lo, hi = a.iloc[0], a.iloc[-1]
    caveat = " Few articles per outlet: read the intervals." if a["low_n"].any() else ""
    return (f"By {method}, {hi['outlet']} is the most positive (mean {hi['mean']:+.2f}, n={hi['n_docs']}) and "
            f"{lo['outlet']} the most negative ({lo['mean']:+.2f}, n={lo['n_docs']}).{caveat}")


def frame_finding(profile: pd.DataFrame) -> str:
    top = profile.sort_values("share").groupby("outlet").tail(1).sort_values("outlet")
    parts = [f"{r.outlet}: {r.frame} ({r.share:.0%})" for r in top.itertuples()]
    return "Leading frame per outlet — " + "; ".join(parts) + "."


def voices_finding(voices: pd.DataFrame, level="speaker_group") -> str:
    v = voices[voices[level] != "(unknown)"]
    top = v.sort_values("n_quotes").groupby("outlet").tail(1).sort_values("outlet")
    return "Most quoted per outlet — " + "; ".join(f"{r.outlet}: {getattr(r, level)} ({r.n_quotes})"
                                                   for r in top.itertuples()) + "."


def timeline_finding(lags: pd.DataFrame) -> str:
    if lags.empty:
        return "No article falls after a listed event."
    same = (lags["lag_days"] <= 1).sum()
    return (f"{same} of {_n(len(lags), 'article')} appeared within a day of a key event; "
            f"the longest lag is {lags['lag_days'].max()} days.")


def copies_finding(copied: pd.DataFrame) -> str:
    """From :func:`researchlib.copied_share`: which outlets' figures rest
    mostly on copied or wire text."""
    if copied.empty:
        return "No articles loaded."
    most = copied[copied["mostly_copied"]].sort_values("share", ascending=False)
    if most.empty:
        top = copied.sort_values("share").iloc[-1]
        return (f"No outlet's articles are mostly copied or wire text (highest: {top['outlet']}, "
                f"{int(top['n_copied'])} of {_n(int(top['n_docs']), 'article')}).")
    parts = [f"{r.outlet} ({r.n_copied} of {r.n_docs}, 95% CI {r.ci_low:.0%}-{r.ci_high:.0%})"
             for r in most.itertuples()]
    return ("Figures for " + "; ".join(parts) + " rest mostly on copied or wire text: "
            "read them as the sources' voice, or use dedupe='first'.")


def validation_finding(summary: pd.DataFrame) -> str:
    """The best-supported and the weakest figure of the validation summary."""
    def pick(measure, statistic, method, variant=None):
        d = summary[(summary["measure"] == measure) & (summary["statistic"] == statistic)
                    & (summary["method"] == method)]
        if variant is not None:
            d = d[d["variant"] == variant]
        return d.iloc[0] if len(d) and d.iloc[0]["value"] == d.iloc[0]["value"] else None
    parts = []
    r = pick("sentiment", "pearson_r", "blend")
    parts.append(f"sentiment (blend) r = {r['value']:.2f} with human ratings (n={int(r['n'])})" if r is not None
                 else "sentiment: no rated file available")
    c, s = pick("stance", "auc_negative", "blend", "scope=clause"), pick("stance", "auc_negative", "blend",
                                                                         "scope=sentence")
    if c is not None and s is not None:
        parts.append(f"stance AUC {c['value']:.2f} by clause vs {s['value']:.2f} by sentence (n={int(c['n'])})")
    f = summary[(summary["measure"] == "frames") & (summary["statistic"] == "macro_auc")].dropna(subset=["value"])
    if len(f):
        parts.append("frames AUC " + ", ".join(f"{x.method} {x.value:.2f}" for x in f.itertuples())
                     + f" (n={int(f['n'].iloc[0])} sentences)")
    return "Checked against people: " + "; ".join(parts) + "."
