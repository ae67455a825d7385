"""Sentences, offline: NLTK's Punkt with hand-set parameters (no trained model,
so no ``nltk.download``).

Sentences never cross a paragraph boundary. Punkt runs on the quote-normalised
text (same length), so a quote ending ``,” he said.`` or ``.”`` is handled like
its straight-quote twin and offsets index the original text.

Abbreviations that never end a sentence here: titles (Mr, Mrs, Dr, Gen, ...),
initialisms (U.S., U.N., U.K., E.U.) and month abbreviations (Feb., Dec.).
Known limit: a sentence that really ends with one of these ("... in the U.S.
Then ...") is not split.
"""
from __future__ import annotations

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from .text import normalize_quotes

__all__ = ["ABBREVIATIONS", "sentence_spans"]

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm",
    "gov", "sen", "rep", "rev", "st", "jr", "sr", "messrs", "amb", "pres",
    "u.s", "u.n", "u.k", "e.u", "u.s.a", "u.a.e",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "corp", "co", "ltd", "vs", "etc", "e.g", "i.e", "approx", "dept", "est",
}


def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


_PUNKT = _tokenizer()


def sentence_spans(text: str, paragraphs=None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``.

    ``paragraphs`` are (start, end) blocks that sentences may not cross
    (defaults to the whole text).
    """
    norm = normalize_quotes(text)
    out = []
    for ps, pe in paragraphs if paragraphs is not None else [(0, len(text))]:
        for s, e in _PUNKT.span_tokenize(norm[ps:pe]):
            if e > s:
                out.append((ps + s, ps + e))
    return out
