"""researchlib: how news outlets cover the same event.

load -> clean -> segment -> measure -> aggregate -> plot -> report. Every
measure returns a tidy DataFrame keyed by ``doc_id`` (and ``sent_id``).

API grammar (one rule everywhere; README "API")
-----------------------------------------------
* A **measure** ``x(corpus, *, options)`` gives one row per thing measured
  (a match, sentence, quote, date or pair) keyed by ``doc_id`` (and
  ``sent_id``): ``term_hits``, ``sentiment``, ``target_sentiment``,
  ``frames``, ``quotes``, ``dates_mentioned``, ``duplicates``.
* Its **aggregation** ``x_by(corpus_or_x, *, by="outlet", options)`` gives
  one row per unit of ``by`` (a document column or a list of them) with
  ``n_docs``, an interval and ``low_n``: ``term_hits_by``,
  ``sentiment_by``, ``target_sentiment_by``, ``frames_by``, ``quotes_by``.
* Other statistics keep their own names and take a corpus or a measure's
  frame: ``group_share``, ``keyness``, ``collocations``, ``kwic``,
  ``method_agreement``, ``method_disagreements``, ``event_lags``,
  ``time_bin``, ``copy_groups``, ``copied_share``, ``copies_by_outlet``,
  ``frame_evidence``, ``agreement``.
* The first argument (and a required second one: ``kwic``'s pattern,
  ``keyness``'s target, ``collocations``'s term, ``explore``'s term) is
  positional; every option is keyword-only (``rl.frames(c,
  codebook="policy")``).
* One meaning per name: ``corpus`` is a :class:`Corpus` (a path only as a
  setting: CLI, study file, notebook parameters, ``load_study``,
  ``build_report``); ``source`` a path or table to load; ``jobs`` the number
  of processes; ``by`` the grouping column(s); ``level`` the column counted
  by ``quotes_by``; ``confidence`` an interval's confidence level;
  ``method`` one method, ``methods`` several.
* Results are tidy DataFrames, never tuples; metadata is in columns (a
  codebook's name and citation included), not only in ``.attrs``.
* ``rl.sentiment``, ``rl.frames``, ``rl.quotes``, ``rl.explore``,
  ``rl.side_by_side`` and ``rl.fetch`` are the modules of those names, callable as their measure:
  ``rl.sentiment(corpus)`` runs ``researchlib.sentiment.sentiment`` and
  ``import researchlib.sentiment as m`` gives the module
  (:mod:`researchlib.signatures`).

Deprecated (they warn and go in the next release): ``term_usage`` (now
``term_hits_by``), ``frame_profile`` (``frames_by``), ``voices``
(``quotes_by``), ``n_jobs=`` (``jobs=``), options passed by position, and
``method_agreement``'s second table (now :func:`method_disagreements`).
"""
from .corpus import Corpus, load_corpus
from .errors import CorpusError, ResearchlibError, ResourceError
from .signatures import callable_module
from . import explore, fetch, frames, quotes, sentiment, side_by_side   # modules callable as their measure
from .quotes import quotes_by, speaker_table, voices
from .text import normalize_quotes, tokenize

__version__ = "0.1.0"
from .terms import (collocations, group_share, keyness, keyness_by, kwic, term_exclusions, term_groups, term_hits, term_hits_by,
                    term_usage, token_counts)
from .sentiment import (method_agreement, method_disagreements, score_texts, sentiment_by, target_sentiment,
                        target_sentiment_by, term_scores, validate as validate_sentiment)
from .frames import agreement, codebook, coding_sheet, frame_evidence, frame_profile, frames_by
from .timeline import attention, dates_mentioned, event_lags, load_events, time_bin
from .copies import copy_groups, dedupe, duplicates
from .syndication import copied_share, copies_by_outlet, wire_credits
from .web import extract_page
from .validation import validation_summary
from .study import Study, load_study
from .prefill import measures

for _module in (explore, fetch, frames, quotes, sentiment, side_by_side):
    callable_module(_module.__name__)
del _module


def __getattr__(name):   # plots and findings load matplotlib: import them when asked for
    if name in ("plots", "findings", "limits", "analyse", "report", "teach", "exercises"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'researchlib' has no attribute {name!r}")
