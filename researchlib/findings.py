"""One-line findings for chart titles and the report's cards, computed from
the tidy frames (so a title never says more than its numbers).

Every finding takes ``by``: the column of the frame that holds the unit
compared (outlet, country, outlet_type, ...). When there is nothing to compare
the finding says so in one plain sentence instead of failing.
"""
from __future__ import annotations

import pandas as pd

from .signatures import keyword_options

__all__ = ["corpus_finding", "naming_finding", "sentiment_finding", "frame_finding", "voices_finding",
           "timeline_finding", "copies_finding", "validation_finding", "count_of", "unit_name", "no_match"]


def count_of(k, word) -> str:
    """``count_of(1, "outlet")`` -> "1 outlet"; ``count_of(3, "country")`` -> "3 countries"."""
    return f"{k} {word if k == 1 else plural(word)}"


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def unit_name(by) -> str:
    """The unit a ``by`` column names, in words: outlet_type -> "outlet type"."""
    by = by if isinstance(by, str) else by[0]
    return by.replace("_", " ")


_n = count_of


@keyword_options
def corpus_finding(documents: pd.DataFrame, removed: pd.DataFrame, rejected: pd.DataFrame, *, by="outlet") -> str:
    return (f"{_n(len(documents), 'article')} from {_n(documents[by].nunique(), unit_name(by))} loaded; "
            f"cleaning removed {_n(len(removed), 'span')} ({int(removed['text'].str.len().sum()):,} characters); "
            f"{_n(len(rejected), 'input')} rejected.")


def no_match(groups) -> str:
    """The sentence for term groups none of whose terms occurs."""
    return f"No term of the groups {', '.join(repr(g) for g in groups)} occurs in the corpus."


@keyword_options
def naming_finding(share: pd.DataFrame, *, by="outlet", group=None) -> str:
    """Which unit uses the first compared group's words most and least (from
    :func:`researchlib.terms.group_share`). ``group``: the group whose share
    is reported (default: the first group in ``share``)."""
    groups = list(dict.fromkeys(share["group"])) if len(share) else []
    if not groups:
        return "No term groups to compare."
    group = group or groups[0]
    others = [g for g in groups if g != group]
    if share["count"].sum() == 0:
        return no_match(groups)
    s = share[share["group"] == group].dropna(subset=["share"]).sort_values("share", kind="stable")
    if len(others) == 0:
        hi = share.sort_values("per_1k", kind="stable").iloc[-1]
        return f"{hi[by]} uses '{group}' words most ({hi['per_1k']:.1f} per 1,000 words, {int(hi['count'])} matches)."
    lo, hi = s.iloc[0], s.iloc[-1]
    wording = f"'{group}' rather than {' or '.join(repr(o) for o in others)} wording"
    if len(s) == 1:
        return f"{hi[by]} uses {wording} in {hi['share']:.0%} of {int(hi['total'])} naming matches."
    if hi["share"] == lo["share"]:
        return (f"Every {unit_name(by)} with naming matches uses {wording} in the same share "
                f"({hi['share']:.0%}; {int(s['total'].sum())} matches in all).")
    return (f"{hi[by]} uses {wording} most ({hi['share']:.0%} of {int(hi['total'])} naming matches); "
            f"{lo[by]} least ({lo['share']:.0%} of {int(lo['total'])}).")


@keyword_options
def sentiment_finding(agg: pd.DataFrame, *, by="outlet", method=None) -> str:
    """The most positive and most negative unit by ``method`` (default: the
    first method in ``agg``), from :func:`researchlib.sentiment_by`."""
    if agg.empty:
        return "No sentences scored."
    method = method or agg["method"].iloc[0]
    a = agg[agg["method"] == method].sort_values("mean", kind="stable")
    if a.empty:
        return f"No sentences scored by {method}."
    lo, hi = a.iloc[0], a.iloc[-1]
    caveat = f" Few articles per {unit_name(by)}: read the intervals." if a["low_n"].any() else ""
    if len(a) == 1:
        return (f"By {method}, the mean sentence score of {hi[by]} is {hi['mean']:+.2f} (n={hi['n_docs']}); "
                f"there is no other {unit_name(by)} to compare with.{caveat}")
    return (f"By {method}, {hi[by]} is the most positive (mean {hi['mean']:+.2f}, n={hi['n_docs']}) and "
            f"{lo[by]} the most negative ({lo['mean']:+.2f}, n={lo['n_docs']}).{caveat}")


@keyword_options
def frame_finding(profile: pd.DataFrame, *, by="outlet", max_units=8) -> str:
    """The leading frame of each unit (the first ``max_units`` units)."""
    if profile.empty or profile["n_frame_sentences"].sum() == 0:
        return "No sentence matches an indicator of the codebook."
    return _leader_per_unit(profile, "share", lambda r: f"{r['frame']} ({r['share']:.0%})",
                            f"Leading frame per {unit_name(by)}", by=by, max_units=max_units)


def _leader_per_unit(table, value, describe, title, *, by, max_units) -> str:
    """"title — unit: describe(row); ..." for the row of each unit with the
    largest ``value`` (the first ``max_units`` units, then how many more)."""
    top = table.sort_values(value, kind="stable").groupby(by).tail(1).sort_values(by)
    parts = [f"{r[by]}: {describe(r)}" for _, r in top.head(max_units).iterrows()]
    more = f"; and {len(top) - max_units} more {plural(unit_name(by))}" if len(top) > max_units else ""
    return f"{title} — " + "; ".join(parts) + more + "."


@keyword_options
def voices_finding(voices: pd.DataFrame, *, by="outlet", level="speaker_group", max_units=8) -> str:
    """The most quoted speaker (group) of each unit, from :func:`researchlib.quotes_by`."""
    if voices.empty:
        return "No quotation found."
    v = voices[voices[level] != "(unknown)"]
    if v.empty:
        return "Quotations found, but none attributed to a speaker in the speaker table."
    return _leader_per_unit(v, "n_quotes", lambda r: f"{r[level]} ({r['n_quotes']})",
                            f"Most quoted per {unit_name(by)}", by=by, max_units=max_units)


@keyword_options
def timeline_finding(lags: pd.DataFrame, *, events=None, documents=None) -> str:
    """How soon articles followed the key events (from :func:`researchlib.event_lags`)."""
    if documents is not None:
        dated = documents["published"].dropna()
        if dated.empty:
            return "No article has a publication date."
        if events is not None and len(events) == 0:
            return (f"{_n(len(dated), 'dated article')}, {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}; "
                    "no key events given to compare with.")
    if lags.empty:
        return "No article falls after a listed event."
    same = (lags["lag_days"] <= 1).sum()
    return (f"{same} of {_n(len(lags), 'article')} appeared within a day of a key event; "
            f"the longest lag is {_n(int(lags['lag_days'].max()), 'day')}.")


@keyword_options
def copies_finding(copied: pd.DataFrame, *, by="outlet") -> str:
    """From :func:`researchlib.copied_share`: which units' (outlets') figures
    rest mostly on copied or wire text."""
    if copied.empty:
        return "No articles loaded."
    most = copied[copied["mostly_copied"]].sort_values("share", ascending=False)
    if most.empty:
        top = copied.sort_values("share").iloc[-1]
        return (f"No {unit_name(by)}'s articles are mostly copied or wire text (highest: {top[by]}, "
                f"{int(top['n_copied'])} of {_n(int(top['n_docs']), 'article')}).")
    parts = [f"{r[by]} ({int(r['n_copied'])} of {int(r['n_docs'])}, 95% CI {r['ci_low']:.0%}-{r['ci_high']:.0%})"
             for _, r in most.iterrows()]
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
