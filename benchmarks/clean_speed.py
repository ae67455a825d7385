"""Cleaning speed and sameness: CPU ms per document of ``clean_text`` (and of
each rule), and a check that a change leaves its output exactly as it was.

    python benchmarks/clean_speed.py time CORPUS_DIR [--docs 2000]
    python benchmarks/clean_speed.py save REF.pkl CORPUS_DIR [--fuzz 3000] [--extra INPUTS.pkl ...]
    python benchmarks/clean_speed.py check REF.pkl

``time`` measures steady-state CPU time (``time.process_time``; the machine may
be shared, wall time is noisy) over the first ``--docs`` ``*.txt`` files of
CORPUS_DIR (best of ``--repeat`` runs; ``clean_text`` runs on all of them once
before, so one-time loads are excluded);
per rule: each of ``RULES`` wrapped with a timer (``_document_language`` too).

``save`` cleans every input and stores (input, output) pairs: the ``*.txt`` of
CORPUS_DIR; the seeds as they are, in capitals, in lower case and with
``language="en"``; the corpus documents again with the lines repeated across
it (``repeated``, as ``load_corpus`` does); the files under tests/fixtures and
tests/data; ``--fuzz`` (3,000) hostile variants of those texts (lines shuffled,
furniture, code, other scripts and odd whitespace inserted, case changed,
``language`` and ``repeated`` given; deterministic); and ``--extra`` pickles
of ``(raw, language, repeated)`` tuples (e.g. every input the cleaning tests
give ``clean_text``, recorded with ``benchmarks/record_clean_inputs.py``). ``check``
cleans the same inputs with the current code and compares every field of
``Cleaned`` (its ``repr``, so the order of ``meta`` counts too).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _docs(corpus, n=None):
    files = sorted(Path(corpus).glob("*.txt"))[:n]
    return [f.read_text(encoding="utf-8") for f in files]


def output(c) -> str:
    """Every field of a ``Cleaned``, as one string."""
    return repr((c.text, c.spans, c.paragraphs, list(c.meta.items()), c.meta, c.layout, c.language,
                 c.paragraph_languages, c.warnings, c.line_keys, c.n_words, c._spans_text))


def _clean(inp):
    from researchlib.clean import clean_text
    raw, language, repeated = inp
    return output(clean_text(raw, language=language, repeated=frozenset(repeated)))


#: Lines for the hostile variants: one or more for each rule, other scripts, odd whitespace.
FUZZ_LINES = [
    "Subscribe now.", "Read more", "Photo: AP", "Share this", "pic.twitter.com/abc", "— Jane (@jj) March 3, 2023",
    "Embed", "Related article: x", "By John Smith for AFP", "MOSCOW (Reuters) - ", "Monday March 20, 2023 – ",
    "<script>var x = 1;</script>", "<p>Body text here.</p>", "Home | World | Sport", "Skip to content",
    "Путин встретился с Си Цзиньпином в Пекине.", "習近平国家主席は20日、モスクワに到着した。", "{color: red; margin: 0px;}",
    "O presidente chinês chegou a Moscou na segunda-feira para conversações com Putin sobre comércio.",
    "© 2023 News Ltd", "Your email address will not be published.", "İstanbul ſaid \u212aremlin", "Comments",
    "With reporting by Reuters, AP, and AFP", "Original url: http://x.y/z", "www.example.com", "“Quoted,” he said.",
    "BREAKING: big news #world #news", "While everyone is distracted with the summit", "U.S. officials said 10,000.",
    "date 2023-03-20 ", "   ", "\t", "\r\n", "\u00a0", "\x1c", "Ⅻ ² ٣", "x_y", "Download our app", "Advertisement"]


def fuzz(texts, n, seed=21):
    """``n`` hostile variants of ``texts`` as (raw, language, repeated)."""
    import random
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lines = (rng.choice(texts) if texts and rng.random() < 0.9 else "").split("\n")
        for _ in range(rng.randint(0, 6)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(FUZZ_LINES))
        if rng.random() < 0.3:
            rng.shuffle(lines)
        text = rng.choice(["\n", "\n\n", "\n", " \n", "\r\n"]).join(lines)
        if rng.random() < 0.1:
            text = text.upper()
        if rng.random() < 0.1:
            text = text.lower()
        if rng.random() < 0.1 and text:
            k = rng.randint(0, len(text))
            text = text[:k] + rng.choice(FUZZ_LINES) + text[k:]
        repeated = ()
        if rng.random() < 0.1:
            repeated = tuple(sorted({" ".join(b.lower().split()) for b in rng.sample(FUZZ_LINES, 3)}))
        out.append((text, rng.choice([None, None, None, "en", "ru"]), repeated))
    return out


def inputs(corpus, extra=(), n_fuzz=3000):
    from researchlib.clean import clean_text
    from researchlib.furniture import repeated_lines
    from researchlib.paths import SEEDS
    out = []
    docs = _docs(corpus)
    out += [(d, None, ()) for d in docs]
    cleaned = [clean_text(d) for d in docs]
    rep = repeated_lines((None, c.text, c.line_keys) for c in cleaned).get(None, frozenset())
    out += [(d, None, tuple(sorted(rep))) for d, c in zip(docs, cleaned) if rep & set(c.line_keys)]
    for f in sorted(SEEDS.glob("*.txt")):
        raw = f.read_text(encoding="utf-8")
        out += [(raw, None, ()), (raw.upper(), None, ()), (raw.lower(), None, ()), (raw, "en", ())]
    for folder in ("tests/fixtures", "tests/data"):
        for f in sorted((ROOT / folder).rglob("*")):
            if f.is_file():
                data = f.read_bytes()
                data = gzip.decompress(data) if f.suffix == ".gz" else data
                out.append((data.decode("utf-8", "replace"), None, ()))
    out += fuzz([raw for raw, _, _ in out[::50]], n_fuzz)
    for path in extra:
        with open(path, "rb") as fh:
            while True:
                try:
                    got = pickle.load(fh)
                except EOFError:
                    break
                out += got if isinstance(got, list) else [got]
    return list(dict.fromkeys((r, lang, tuple(rep)) for r, lang, rep in out))


def time_rules(corpus, n, repeat=3):
    import researchlib.clean as cl
    raws = _docs(corpus, n)
    for r in raws:                   # one-time loads (the language model is read on the first foreign text)
        cl.clean_text(r)
    runs = []
    for _ in range(repeat):
        t = time.process_time()
        for r in raws:
            cl.clean_text(r)
        runs.append(time.process_time() - t)
    total = min(runs)
    cost = collections.Counter()
    rules, doc_language = list(cl.RULES), cl._document_language

    def timed(f, name):
        def w(*a):
            t = time.process_time()
            try:
                return f(*a)
            finally:
                cost[name] += time.process_time() - t
        return w
    cl.RULES[:] = [timed(r, r.__name__) for r in rules]
    cl._document_language = timed(doc_language, "_document_language")
    try:
        t = time.process_time()
        for r in raws:
            cl.clean_text(r)
        wrapped = time.process_time() - t
    finally:
        cl.RULES[:] = rules
        cl._document_language = doc_language
    print(f"clean_text: {1e3 * total / len(raws):.3f} ms/doc CPU on {len(raws)} docs, best of {repeat} "
          f"({', '.join(f'{1e3 * r / len(raws):.3f}' for r in runs)}; {1e3 * wrapped / len(raws):.3f} with per-rule timers)")
    for k, v in cost.most_common():
        print(f"  {k:20s} {1e3 * v / len(raws):.3f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("corpus")
    t.add_argument("--docs", type=int, default=2000)
    t.add_argument("--repeat", type=int, default=3)
    s = sub.add_parser("save")
    s.add_argument("ref")
    s.add_argument("corpus")
    s.add_argument("--extra", nargs="*", default=[])
    s.add_argument("--fuzz", type=int, default=3000)
    c = sub.add_parser("check")
    c.add_argument("ref")
    a = ap.parse_args(argv)
    if a.cmd == "time":
        time_rules(a.corpus, a.docs, a.repeat)
    elif a.cmd == "save":
        pairs = [(i, _clean(i)) for i in inputs(a.corpus, a.extra, a.fuzz)]
        with open(a.ref, "wb") as f:
            pickle.dump(pairs, f)
        print(f"saved {len(pairs)} outputs to {a.ref}")
    else:
        with open(a.ref, "rb") as f:
            pairs = pickle.load(f)
        bad = [i for i, want in pairs if _clean(i) != want]
        print(f"{len(pairs) - len(bad)} of {len(pairs)} outputs identical")
        for raw, lang, rep in bad[:5]:
            print("  differs:", repr(raw[:120]), lang, len(rep))
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
