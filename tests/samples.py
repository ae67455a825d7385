"""Inputs shared by the differential tests of fast paths (not a test module):
the seed texts, and words as listed plus the spellings case-insensitive
matching treats alike."""
from researchlib.paths import SEEDS


def seed_texts():
    """The raw text of every seed article."""
    return [f.read_text(encoding="utf-8") for f in sorted(SEEDS.glob("*.txt"))]


def variants(words):
    """Words as listed, in capitals, capitalised, and with the letters re.I folds to ASCII ones."""
    out = set()
    for w in words:
        out |= {w, w.upper(), w.title(), w.replace("s", "ſ"), w.replace("i", "ı"), w.upper().replace("I", "İ"),
                w.replace("k", "\u212a")}
    return sorted(out)
