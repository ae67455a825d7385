"""Language of documents and paragraphs, and the one gate of the English-only measures.

Method: ``py3langid`` (a maintained fork of langid.py, Lui & Baldwin 2012: a
naive Bayes classifier over byte n-grams; its model ships inside the package,
nothing is downloaded) restricted to the languages that have an ISO 639-1 code,
so every label is a two-letter code. A text is called a language other than
English only on evidence:

- mostly non-Latin letters (more than half of its letters): the detector's label
  (Cyrillic, Hangul, kana, Han, Arabic ... are never English);
- mostly Latin letters: English without consulting the detector when at least
  ``ENGLISH_FUNCTION_SHARE`` (25%) of its words are English function words
  (``function_words`` in ``resources/web_furniture.yaml``; English news prose
  has 35-40%, paragraphs in Portuguese, Spanish, French, German, Dutch,
  Italian and Indonesian written for the tests 0-10%); otherwise another
  language only if the text has at least ``MIN_WORDS`` words and the detector
  gives that language a probability of at least ``MIN_CONFIDENCE``; otherwise
  English, the language the measures were built for.

The measures whose word lists and rules are English (term groups, sentiment
lexicons, frame dictionaries, quote rules: terms.py, sentiment.py, frames.py,
quotes.py) read a corpus through :func:`english_only`, which keeps its
documents whose ``language`` is ``en``. :func:`language_summary` states what
that left out, for reports.

Known limits: a Latin-script text shorter than ``MIN_WORDS`` words is taken as
English whatever it is; closely related languages (no/nn/da, ms/id, hr/sr/bs)
are confused on short texts; a document that mixes languages gets the label of
its larger part (its passages in another language are then removed by the
cleaner's ``non_english`` rule when the document is English).
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["detect", "is_english", "has_non_latin", "non_latin_share", "english_only", "language_summary", "ENGLISH", "MIN_WORDS",
           "MIN_CONFIDENCE", "ENGLISH_FUNCTION_SHARE"]

ENGLISH = "en"
MIN_WORDS = 8
MIN_CONFIDENCE = 0.9
MAX_CHARS = 5_000       # a long document is judged on its first 5,000 characters
SAMPLE_CHARS = 1_000    # scripts and function words: counted on the first 1,000
ENGLISH_FUNCTION_SHARE = 0.25

_LETTER = re.compile(r"[^\W\d_]")
NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")   # letters outside Latin scripts
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([code for code in ident.labels if len(code) == 2])
    return ident


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _non_ascii(text: str) -> str:
    """The non-ASCII characters of ``text``: the only ones ``NON_LATIN`` can
    match (it reads one character at a time), so it may read these alone."""
    return "".join(_NON_ASCII.findall(text))


def has_non_latin(text: str) -> bool:
    """Whether ``text`` holds a letter outside the Latin scripts:
    ``NON_LATIN.search(text)``, read on the non-ASCII characters only."""
    return not text.isascii() and NON_LATIN.search(_non_ascii(text)) is not None


def non_latin_share(text: str) -> float:
    """Share of the letters of ``text`` outside the Latin scripts (0 if none):
    ``len(NON_LATIN.findall(text))`` (read on the non-ASCII characters only)
    over the number of letters."""
    non_latin = 0 if text.isascii() else len(NON_LATIN.findall(_non_ascii(text)))
    if not non_latin:
        return 0.0
    letters = len(_LETTER.findall(text))
    return non_latin / letters if letters else 0.0


def detect(text: str, *, max_chars: int = MAX_CHARS) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for ``text``; see the module doc for the
    rule. A text without letters is English with probability 0. Only the
    first ``max_chars`` characters are read.

    >>> detect("Путин встретился с Си Цзиньпином в Пекине.")[0]
    'ru'
    """
    text = text[:max_chars]
    if not _LETTER.search(text):
        return ENGLISH, 0.0
    sample = text[:SAMPLE_CHARS]
    latin = non_latin_share(sample) <= 0.5
    if latin and _english_prose(sample):
        return ENGLISH, 1.0
    code, prob = _identifier().classify(text)
    if not latin:
        return code, prob
    if code != ENGLISH and (prob < MIN_CONFIDENCE or len(_WORD.findall(sample)) < MIN_WORDS):
        return ENGLISH, prob
    return code, prob


def _english_prose(text: str) -> bool:
    """MIN_WORDS+ words of which English function words make up at least
    ``ENGLISH_FUNCTION_SHARE``: English without consulting the detector."""
    from .furniture import function_share
    # MIN_WORDS splits tell MIN_WORDS+ words
    return len(text.split(None, MIN_WORDS)) >= MIN_WORDS and function_share(text) >= ENGLISH_FUNCTION_SHARE


def is_english(text: str) -> bool:
    return detect(text)[0] == ENGLISH


# --------------------------------------------------------------------------- #
# the English-only measures read the corpus through here                      #
# --------------------------------------------------------------------------- #

def english_only(corpus):
    """``corpus`` restricted to its English documents (the same object when all
    are English or the corpus has no ``language`` column). Every English-only
    measure starts here, so "which documents are measured" has one answer."""
    docs = corpus.documents
    if "language" not in docs.columns or getattr(corpus, "_english_only", False):
        return corpus
    english = docs["language"].isna() | (docs["language"] == ENGLISH)
    if english.all():
        return corpus
    key = (id(docs), len(docs))
    cached = corpus.__dict__.get("_english_view")
    if cached is not None and cached[0] == key:
        return cached[1]
    view = corpus.subset(docs.loc[english, "doc_id"])
    view.__dict__["_english_only"] = True
    if corpus.__dict__.get("_store") is not None:       # the English view reads the corpus's measure store
        view.__dict__["_store"] = corpus.__dict__["_store"].for_view(view)
    corpus.__dict__["_english_view"] = (key, view)
    return view


def language_summary(corpus) -> str:
    """One sentence on the documents the English-only measures skip, e.g. "8
    articles in other languages were not measured: ko 3, ja 2, ru 2, pt 1"."""
    docs = corpus.documents
    n = len(docs)
    if "language" not in docs.columns or not n:
        return f"All {n} articles were measured."
    other = docs.loc[docs["language"].notna() & (docs["language"] != ENGLISH), "language"]
    if other.empty:
        return f"All {n} articles are in English and were measured."
    counts = other.value_counts()
    counts = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    noun = "article" if len(other) == 1 else "articles"
    verb = "was" if len(other) == 1 else "were"
    lang = "another language" if len(other) == 1 else "other languages"
    return (f"{len(other)} {noun} in {lang} {verb} not measured: "
            + ", ".join(f"{code} {k}" for code, k in counts))
