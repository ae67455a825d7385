"""Why a section cannot run on this corpus: one plain sentence, or None.

Method: each function looks at what a section needs (two units to compare,
publication dates, key events, term groups, targets, quotations, ...) and
returns ``None`` when it is there, else one sentence a reader understands
("Keyness needs at least two outlets; this corpus has one."). Notebooks ask
before a section and show the sentence with :func:`cannot` instead of
failing, so every notebook runs on every corpus that loads. The measures
themselves return empty tidy frames with their columns, never a frame
without columns.

Known limits: the sentences name what is missing, not how much would be
enough for a sound comparison; that is the intervals' job.
"""
from __future__ import annotations

import html

from .findings import count_of, no_match, plural, unit_name
from .signatures import keyword_options

__all__ = ["cannot", "units", "keyness", "dates", "events", "term_groups", "term_matches", "frame_matches", "focus",
           "targets", "target_mentions", "quotes", "scores"]

_NUMBERS = {0: "none", 1: "one", 2: "two", 3: "three"}


def cannot(sentence):
    """Show ``sentence`` in a notebook as the section's result (escaped)."""
    from IPython.display import HTML, display
    display(HTML(f'<p class="researchlib-cannot"><em>{html.escape(str(sentence))}</em></p>'))


@keyword_options
def units(documents, *, by="outlet", need=2, what="This comparison") -> str | None:
    """At least ``need`` distinct values of ``by`` among the documents."""
    k = documents[by].nunique(dropna=True) if by in documents else 0
    if k >= need:
        return None
    return (f"{what} needs at least {_NUMBERS.get(need, need)} {plural(unit_name(by))}; "
            f"this corpus has {_NUMBERS.get(k, k)}.")


@keyword_options
def keyness(corpus, *, by="outlet") -> str | None:
    return units(corpus.documents, by=by, need=2, what="Keyness")


def dates(documents) -> str | None:
    """Publication dates to place articles on a time axis."""
    if documents["published"].notna().any():
        return None
    return "No article has a publication date, so nothing can be placed on a time axis."


def events(events) -> str | None:
    """A table of key events (from :func:`researchlib.load_events`)."""
    if events is not None and len(events):
        return None
    return "No key events given: name an events file in the study file (events:) or pass events=."


def term_groups(groups) -> str | None:
    if groups is not None:
        return None
    return ("No term groups given: name them in the study file (groups:) or pass groups= "
            "to count the words that name the events.")


@keyword_options
def term_matches(usage_or_hits, *, groups=None) -> str | None:
    """At least one match (from :func:`researchlib.term_hits_by` or ``term_hits``)."""
    found = usage_or_hits["count"].sum() if "count" in usage_or_hits else len(usage_or_hits)
    if found:
        return None
    names = list(dict.fromkeys(groups if groups is not None else usage_or_hits.get("group", [])))
    return no_match(names) if names else "No term of the term groups occurs in the corpus."


def focus(word) -> str | None:
    if word:
        return None
    return "No focus word given: set focus: in the study file to see its collocates."


def targets(spec) -> str | None:
    if spec is not None:
        return None
    return "No sentiment targets given: name them in the study file (targets:) or pass targets=."


@keyword_options
def target_mentions(target_scores, *, spec=None) -> str | None:
    """At least one sentence that mentions a target (from :func:`researchlib.target_sentiment`)."""
    if len(target_scores):
        return None
    names = ""
    if spec is not None:
        from .sentiment import target_aliases
        names = " (" + ", ".join(dict.fromkeys(t for t, *_ in target_aliases(spec))) + ")"
    return f"No sentence mentions any of the targets{names}."


def quotes(quote_table, documents) -> str | None:
    """At least one quotation (from :func:`researchlib.quotes`)."""
    if len(quote_table):
        return None
    return f"No quotation found in the {count_of(len(documents), 'article')}."


@keyword_options
def scores(score_table, *, voice="all") -> str | None:
    """At least one scored sentence (from :func:`researchlib.sentiment`)."""
    if len(score_table):
        return None
    if voice == "quoted":
        return "No sentence has quoted words to score (no quotation found)."
    return f"No sentence to score in the {voice} voice."


@keyword_options
def frame_matches(profile, *, codebook_name="the codebook") -> str | None:
    """At least one sentence with a frame (from :func:`researchlib.frames_by`)."""
    col = "n_frame_sentences" if "n_frame_sentences" in profile else "share"
    if len(profile) and profile[col].fillna(0).any():
        return None
    return f"No sentence matches an indicator of {codebook_name}, so there is no frame profile to draw."


@keyword_options
def news_model(corpus, *, wanted=None) -> str | None:
    """Whether the optional news model runs on ``corpus``: it embeds every
    sentence, so by default (``wanted`` None) only up to
    :data:`researchlib.news.AUTO_MAX_SENTENCES` sentences; ``wanted`` True
    always, False never."""
    from .news import AUTO_MAX_SENTENCES, news_available
    if not news_available():
        return "The 'news' method is not installed (pip install 'researchlib[models]'), so it is skipped."
    if wanted is False:
        return "The news model is turned off (news=False)."
    n = len(corpus.sentences)
    if wanted is None and n > AUTO_MAX_SENTENCES:
        return (f"The news model embeds every sentence: this corpus has {n:,} sentences, more than the "
                f"{AUTO_MAX_SENTENCES:,} it runs on by default (about a minute on two cores), so it is skipped; "
                "set the parameter news=True to run it anyway.")
    return None
