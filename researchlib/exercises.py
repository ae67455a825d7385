"""Worked answers of the notebooks' exercises, as tested functions.

A solution cell of a notebook stays a line or two: it calls one of these and
shows the table with :func:`show`. Each returns a tidy DataFrame whose
``attrs["answer"]`` is the answer in one sentence, computed from the table (so
it is right on any corpus), and keeps the n behind every number.

Method
------
Each function is the plain computation the exercise asks for, from the
package's measures: characters removed per cleaning rule; a frame profile
before and after adding indicator words; frame shares in the narrative and the
quoted voice side by side; mean sentiment of all text and of the narrative
voice; a term's counts per voice; dates mentioned before the publication day;
quotes per kind. Comparisons are made only where both sides exist: a unit
without quoted sentences has no quoted profile, so it has no change to
measure; it is excluded and named in ``attrs["excluded"]`` (never filled with
0, which would make it look like the largest change).

Known limits
------------
The answers inherit the limits of the measures they read (dictionary frames,
lexicon sentiment, rule-based quotes and dates). Differences between voices
rest on few quoted sentences per outlet: read them with their n.
"""
from __future__ import annotations

import html

import pandas as pd

__all__ = ["removed_by_rule", "indicator_effect", "frame_voice_shift", "sentiment_voice_shift", "quoted_only",
           "recalled_dates", "reported_share", "show"]


def _answer(df: pd.DataFrame, text: str, **attrs) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df.attrs.update(answer=text, **attrs)
    return df


def show(table, *, max_rows: int = 20):
    """Display ``table.attrs["answer"]`` as a sentence and the table (text
    escaped: names and texts are data), in a notebook. A matplotlib figure is
    displayed once and closed (so the inline backend does not draw it again)."""
    from IPython.display import HTML, display
    if not isinstance(table, pd.DataFrame):
        if table is not None:
            import matplotlib.pyplot as plt
            display(table)
            plt.close(table)
        return
    sentence = table.attrs.get("answer", "")
    display(HTML(f"<p><strong>Answer.</strong> {html.escape(sentence)}</p>" if sentence else ""))
    if not table.empty:
        display(HTML(table.head(max_rows).round(3).to_html(index=False, escape=True, na_rep="")))


def removed_by_rule(corpus) -> pd.DataFrame:
    """Characters, spans and documents removed by each cleaning rule, most
    characters first (whitespace around a span not counted)."""
    r = corpus.removed.assign(characters=corpus.removed["text"].str.strip().str.len())
    t = (r.groupby("rule").agg(characters=("characters", "sum"), spans=("text", "size"), docs=("doc_id", "nunique"))
         .reset_index().sort_values(["characters", "rule"], ascending=[False, True]))
    if t.empty:
        return _answer(t, "Cleaning removed nothing from this corpus.")
    top = t.iloc[0]
    return _answer(t, f"The rule {top['rule']!r} removed the most text: {int(top['characters']):,} characters "
                      f"in {int(top['spans'])} span(s) of {int(top['docs'])} document(s).")


def indicator_effect(corpus, codebook, *, frame: str, words, by="outlet", voice="all", method=None) -> pd.DataFrame:
    """The share of sentences with ``frame`` per unit of ``by``, with the
    codebook as it is and with ``words`` added to the frame's indicators."""
    from .frame_scores import check_method
    from .frames import frames_by
    from .resources import load_resource
    spec = load_resource(codebook, "codebook", "generic")     # a deep copy: the bundled file is not changed
    if frame not in spec["frames"]:
        raise KeyError(f"no frame {frame!r} in the codebook; frames: {', '.join(spec['frames'])}")
    words = [words] if isinstance(words, str) else list(words)
    spec["frames"][frame]["indicators"] = list(spec["frames"][frame].get("indicators", [])) + words
    if check_method(method) == "dictionary":    # a frame's dictionary hits do not depend on the other frames
        spec["frames"] = {frame: spec["frames"][frame]}
    cols = [by, "n_frame_sentences", "n_sentences", "share"]
    before, after = (p.loc[p["frame"] == frame, cols] for p in (
        frames_by(corpus, codebook=codebook, by=by, voice=voice, method=method),
        frames_by(corpus, codebook=spec, by=by, voice=voice, method=method)))
    t = before.merge(after, on=[by, "n_sentences"], suffixes=("_before", "_after"))
    t["change"] = t["share_after"] - t["share_before"]
    t = t[[by, "n_sentences", "n_frame_sentences_before", "n_frame_sentences_after", "share_before", "share_after",
           "change"]].sort_values(["change", by], ascending=[False, True])
    moved = t[t["change"] != 0]
    said = " or ".join(repr(w) for w in words)
    if moved.empty:
        text = (f"Adding {said} to {frame!r} moves no share: every sentence it matches already showed the frame "
                "(or none matches).")
    else:
        text = (f"Adding {said} to {frame!r} moves {len(moved)} of {len(t)} profiles; the most: "
                f"{moved.iloc[0][by]} ({moved.iloc[0]['share_before']:.3f} -> {moved.iloc[0]['share_after']:.3f}).")
    return _answer(t, text)


def frame_voice_shift(corpus, codebook, *, by="outlet") -> pd.DataFrame:
    """Per unit and frame: the share of the unit's narrative sentences with an
    indicator of the frame in their narrative text, the share of its quoted
    sentences (any quoted text) with one inside the quotes, and the
    difference (quoted - narrative), largest absolute difference first (the
    dictionary's matches, :func:`researchlib.frames`). A sentence mixing both
    voices counts in both. Units without quoted sentences are excluded (no
    change to measure) and named in ``attrs["excluded"]``."""
    from .frames import codebook as load_codebook, frames
    names = list(load_codebook(codebook)["frame"])
    docs = corpus.documents[["doc_id", by]]
    s = corpus.sentences.merge(docs, on="doc_id")
    n = pd.DataFrame({"narrative": s[s["voice"].isin(["narrative", "mixed"])].groupby(by).size(),
                      "quoted": s[s["voice"].isin(["quoted", "mixed"])].groupby(by).size()}).fillna(0).astype(int)
    excluded = sorted(map(str, n.index[n["quoted"] == 0]))
    n = n[n["quoted"] > 0]
    rows = []
    hits = {v: frames(corpus, codebook=codebook, voice=v).merge(docs, on="doc_id") for v in ("narrative", "quoted")}
    for unit, counts in n.iterrows():
        for frame in names:
            k = {v: len(h[(h[by] == unit) & (h["frame"] == frame)][["doc_id", "sent_id"]].drop_duplicates())
                 for v, h in hits.items()}
            rows.append({by: unit, "frame": frame, "share_narrative": k["narrative"] / counts["narrative"]
                         if counts["narrative"] else float("nan"), "share_quoted": k["quoted"] / counts["quoted"],
                         "n_frame_narrative": k["narrative"], "n_narrative": int(counts["narrative"]),
                         "n_frame_quoted": k["quoted"], "n_quoted": int(counts["quoted"])})
    t = pd.DataFrame(rows, columns=[by, "frame", "share_narrative", "share_quoted", "n_frame_narrative", "n_narrative",
                                    "n_frame_quoted", "n_quoted"])
    t["difference"] = t["share_quoted"] - t["share_narrative"]
    t = t.assign(size=t["difference"].abs()).sort_values(["size", by, "frame"], ascending=[False, True, True])
    t = t[[by, "frame", "share_narrative", "share_quoted", "difference", "n_frame_narrative", "n_narrative",
           "n_frame_quoted", "n_quoted"]]
    note = f" Excluded, with no quoted sentence (nothing to compare): {', '.join(excluded)}." if excluded else ""
    if t.empty:
        return _answer(t, "No unit has quoted sentences: there is no change to measure." + note, excluded=excluded)
    top = t.iloc[0]
    way = "more" if top["difference"] > 0 else "less"
    text = (f"{top['frame']!r} in {top[by]} changes most: it is {way} frequent in the quotes "
            f"({int(top['n_frame_quoted'])} of {int(top['n_quoted'])} quoted sentences) than in the outlet's own "
            f"voice ({int(top['n_frame_narrative'])} of {int(top['n_narrative'])} narrative sentences).{note}")
    return _answer(t, text, excluded=excluded)


def sentiment_voice_shift(corpus, *, methods=None, by="outlet") -> pd.DataFrame:
    """Mean sentence sentiment per unit of all text and of the narrative voice
    only, and the change (narrative - all), largest absolute change first."""
    from .sentiment import sentiment, sentiment_by
    docs = corpus.documents
    cols = [by, "method", "mean", "n_sentences"]
    every = sentiment_by(sentiment(corpus, methods=methods), by=by, documents=docs)[cols]
    nar = sentiment_by(sentiment(corpus, methods=methods, voice="narrative"), by=by, documents=docs)[cols]
    t = every.merge(nar, on=[by, "method"], suffixes=("_all", "_narrative"))
    t = t[t["n_sentences_narrative"] > 0].copy()
    t["change"] = t["mean_narrative"] - t["mean_all"]
    t = t.assign(size=t["change"].abs()).sort_values(["size", by], ascending=[False, True])
    t = t[[by, "method", "mean_all", "mean_narrative", "change", "n_sentences_all", "n_sentences_narrative"]]
    if t.empty:
        return _answer(t, "No unit has narrative sentences to score.")
    top = t.iloc[0]
    return _answer(t, f"{top[by]} changes most ({top['method']}): {top['mean_all']:.3f} on all its sentences, "
                      f"{top['mean_narrative']:.3f} on its own voice ({int(top['n_sentences_narrative'])} of "
                      f"{int(top['n_sentences_all'])} sentences).")


def quoted_only(corpus, term: str, *, groups=None, by="outlet") -> pd.DataFrame:
    """Counts of ``term`` (a term of ``groups``) per unit in the narrative and
    the quoted voice; ``only_quoted`` marks units that use it only in quotes."""
    from .terms import term_hits_by
    parts = []
    for v in ("narrative", "quoted"):
        u = term_hits_by(corpus, groups=groups, by=by, voice=v)
        parts.append(u.loc[u["term"] == term, [by, "count"]].rename(columns={"count": v}))
    t = parts[0].merge(parts[1], on=by, how="outer").fillna(0)
    if t.empty:
        return _answer(t, f"No term group lists {term!r}: add it to the groups to count it.")
    t[["narrative", "quoted"]] = t[["narrative", "quoted"]].astype(int)
    t["only_quoted"] = (t["quoted"] > 0) & (t["narrative"] == 0)
    t = t[(t["narrative"] > 0) | (t["quoted"] > 0)].sort_values(["only_quoted", "quoted", by], ascending=[False, False, True])
    only = list(map(str, t.loc[t["only_quoted"], by]))
    text = (f"{', '.join(only)} use{'s' if len(only) == 1 else ''} {term!r} only when quoting someone."
            if only else f"No unit uses {term!r} only in quotes.")
    return _answer(t, text)


def recalled_dates(mentions: pd.DataFrame, events=None, *, by="outlet") -> pd.DataFrame:
    """Per unit, the date mentioned most often among the dates before the
    article's publication day (ties all kept), with the listed event it falls
    in (day precision only). ``mentions``: :func:`researchlib.dates_mentioned`
    merged with the documents' ``by`` column."""
    m = mentions.assign(date=pd.to_datetime(mentions["date"], errors="coerce"),
                        published=pd.to_datetime(mentions["published"], errors="coerce")).dropna(subset=["date", "published"])
    m = m[m["date"] < m["published"].dt.normalize()]
    counts = m.groupby([by, "date", "precision"]).size().rename("mentions").reset_index()
    if counts.empty:
        return _answer(counts.assign(event=pd.Series(dtype=str)),
                       "No dated article mentions a date before its publication day.")
    top = counts[counts["mentions"] == counts.groupby(by)["mentions"].transform("max")].copy()

    def event_of(row):
        if events is None or row["precision"] != "day":
            return ""
        ev = events[(events["date"] <= row["date"]) & (events["end_date"].fillna(events["date"]) >= row["date"])]
        return "; ".join(ev["event"].astype(str))
    top["event"] = top.apply(event_of, axis=1)
    top["date"] = [d.strftime({"day": "%Y-%m-%d", "month": "%Y-%m"}.get(p, "%Y")) for d, p in zip(top["date"], top["precision"])]
    top = top.sort_values([by, "date"])
    named = top[top["event"] != ""]
    text = (f"{len(top[by].unique())} unit(s) recall an earlier date; "
            + (", ".join(f"{r[by]}: {r['event']} ({r['mentions']}x)" for _, r in named.iterrows())
               if not named.empty else "none of the most recalled dates is a listed event")
            + "; ties are all shown.")
    return _answer(top[[by, "date", "precision", "mentions", "event"]], text)


def reported_share(quotes: pd.DataFrame, *, by="outlet") -> pd.DataFrame:
    """Quotes per kind (direct, partial, indirect = reported speech) per unit
    and the share that is reported, highest first."""
    t = quotes.pivot_table(index=by, columns="kind", values="doc_id", aggfunc="count", fill_value=0)
    for k in ("direct", "partial", "indirect"):
        if k not in t:
            t[k] = 0
    t = t[["direct", "partial", "indirect"]].reset_index()
    t["quotes"] = t[["direct", "partial", "indirect"]].sum(axis=1)
    t["share_reported"] = t["indirect"] / t["quotes"]
    t = t.sort_values(["share_reported", "quotes", by], ascending=[False, False, True])
    if t.empty:
        return _answer(t, "No quotation found.")
    top = t[t["share_reported"] == t["share_reported"].iloc[0]]
    names = ", ".join(map(str, top[by]))
    return _answer(t, f"{names} rel{'ies' if len(top) == 1 else 'y'} most on reported speech: "
                      f"{t['share_reported'].iloc[0]:.0%} of {'its' if len(top) == 1 else 'their'} quotes "
                      f"({', '.join(str(int(n)) for n in top['quotes'])}).")
