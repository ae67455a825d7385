"""Which installed library versions our fast paths were verified against.

Three fast paths reach into other libraries' private members:
:mod:`researchlib.vader_exact` (vaderSentiment's rules and lexicon),
:mod:`researchlib.textblob_exact` (TextBlob's tokenizer tables and lexicon) and
:mod:`researchlib.segment` (NLTK Punkt's private pattern attributes). They are
tested to give the libraries' own results on the versions listed in
:data:`VERIFIED`. With any other installed version the package uses the
libraries themselves (slower, same method) and says so once.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import metadata

__all__ = ["VERIFIED", "verified"]

#: distribution -> version prefixes the fast path was tested on
VERIFIED = {"vaderSentiment": ("3.3.2",), "textblob": ("0.20.",), "nltk": ("3.9.", "3.10.")}


@lru_cache(maxsize=16)
def verified(dist: str) -> bool:
    """True if the installed ``dist`` is a version our fast path was verified
    on; otherwise warn once and return False (callers then use the library)."""
    try:
        installed = metadata.version(dist)
    except metadata.PackageNotFoundError:
        return False
    if installed.startswith(VERIFIED[dist]):
        return True
    warnings.warn(f"researchlib: {dist} {installed} is not a version the fast path was verified on "
                  f"({', '.join(VERIFIED[dist])}*); using {dist} itself (same results, slower)",
                  RuntimeWarning, stacklevel=2)
    return False
