"""researchlib: how news outlets cover the same event.

load -> clean -> segment -> measure -> aggregate -> plot -> report. Every
measure returns a tidy DataFrame keyed by ``doc_id`` (and ``sent_id``).
"""
from .corpus import Corpus, load_corpus
from .errors import CorpusError, ResearchlibError, ResourceError
from .quotes import quotes, speaker_table, voices
from .text import normalize_quotes, tokenize

__version__ = "0.1.0"
from .terms import (collocations, group_share, keyness, kwic, term_exclusions, term_groups, term_hits, term_usage,
                    token_counts)
from .sentiment import (method_agreement, score_texts, sentiment, sentiment_by, target_sentiment, target_sentiment_by,
                        term_scores, validate as validate_sentiment)
from .frames import agreement, codebook, coding_sheet, frame_evidence, frame_profile, frames
from .timeline import dates_mentioned, event_lags, load_events, time_bin
from .explore import explore
from .copies import copy_groups, dedupe, duplicates
from .syndication import copied_share, copies_by_outlet, wire_credits
from .fetch import fetch
from .web import extract_page
from .validation import validation_summary
from .study import Study, load_study
from .store import measures


def __getattr__(name):   # plots and findings load matplotlib: import them when asked for
    if name in ("plots", "findings", "limits", "analyse", "report", "teach"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'researchlib' has no attribute {name!r}")
