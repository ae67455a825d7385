"""researchlib: how news outlets cover the same event.

load -> clean -> segment -> measure -> aggregate -> plot -> report. Every
measure returns a tidy DataFrame keyed by ``doc_id`` (and ``sent_id``).
"""
from .corpus import Corpus, load_corpus
from .errors import CorpusError, ResearchlibError, ResourceError
from .quotes import quotes, speaker_table, voices
from .text import normalize_quotes, tokenize

__version__ = "0.1.0"
