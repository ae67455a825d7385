"""Quotes and sources: who speaks, and which words are the outlet's own.

Method (rule-based, documented so a reader can predict it):

1. **Quote marks.** Curly, straight and mixed double quotes are normalised and
   paired left to right within a paragraph. An opening mark left unclosed at a
   paragraph's end runs to that paragraph's end (the news convention for a
   quote that continues in the next paragraph, which reopens with a mark).
2. **Speech events.** Reporting cues are found outside quote marks: "X said",
   "said X", "X told reporters", "X wrote", "X stressed that", "according to X",
   participles ("…, saying", "warning"), "X quoted Y as saying" (speaker Y,
   channel X). The speaker phrase is resolved with the speaker table (aliases,
   titles and descriptions such as "Kremlin spokesman Dmitry Peskov", "the
   Russian leader", "Mr. Xi"); a pronoun (he / she) resolves to the last
   *person* named as a speaker before it; an unknown capitalised name is kept as
   written (group ``other``).
3. **Attribution.** A quote takes the event that follows it directly ("…,” he
   said), else the nearest event before it in its sentence, else the nearest
   after it; people are preferred over media ("according to CCTV" is recorded
   as the ``channel`` when a person also speaks). A quote with no event that
   opens a sentence right after another quote continues that quote's speaker.
4. **Kind.** ``direct``: a quote that opens its sentence, follows a colon or a
   reporting verb, or runs over a sentence end; ``partial``: a quoted phrase
   inside the outlet's own sentence; ``indirect``: a sentence with a reporting
   cue and no quote marks (reported speech, in the outlet's words).

Voice: characters inside quote marks are *quoted*; everything else, reported
speech included, is the outlet's *narrative* voice (its own wording).

Known limits: scare quotes and titles in quote marks count as partial quotes
with no speaker; single-quote quotations are not detected; a speaker named only
in an earlier paragraph without a pronoun is not found; "Putin and Xi said"
resolves to one of them.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

import pandas as pd

from .resources import load_resource
from .text import fold_like_re_i, normalize_quotes, sentence_at, trie_regex

__all__ = ["find_quotes", "quotes", "voices", "speaker_table", "QUOTE_COLUMNS"]

QUOTE_COLUMNS = ["doc_id", "sent_id", "start", "end", "quote", "speaker", "speaker_group",
                 "cue", "kind", "channel", "speaker_text"]

SPEECH_CUES = ["said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "stressed",
               "stresses", "noted", "notes", "pointed out", "stated", "announced", "declared",
               "urged", "warned", "insisted", "argued", "claimed", "reported", "explained",
               "emphasized", "emphasised", "reiterated", "asked", "replied", "confirmed",
               "underlined", "affirmed", "acknowledged", "admitted", "remarked", "recalled"]
PARTICIPLES = ["saying", "adding", "warning", "noting", "stressing", "insisting", "telling",
               "calling", "describing", "urging", "claiming", "arguing", "accusing", "writing"]
EVALUATIVE = ["called", "described", "hailed", "criticized", "criticised", "denounced",
              "welcomed", "voiced", "touted", "boasted", "praised", "accused", "vowed",
              "pledged", "expressed", "slammed", "branded", "dubbed", "labelled", "labeled"]
_INVERTED = {"said", "says", "added", "adds", "wrote", "writes", "asked", "told", "stressed", "noted"}

_CUE_RE = re.compile(
    r"\b(?P<quoted>quoted\s+(?P<qspk>[^,.;\"]{1,60}?)\s+as\s+saying)\b"
    r"|\b(?P<acc>according\s+to)\s+"
    r"|\b(?P<cue>" + "|".join(sorted(SPEECH_CUES + PARTICIPLES + EVALUATIVE, key=len, reverse=True))
    + r")\b(?P<obj>(?<=told)\s+(?:reporters|journalists|the\s+\w+|[A-Z]\w*|him|her|them|us)|(?<=tells)\s+(?:reporters|[A-Z]\w*))?", re.I)
# Case-insensitive matching is slow in ``re``: candidate cue words are found
# first in a folded copy of the same length (text.fold_like_re_i: same
# offsets); the full pattern is then tried only there.
_CUE_FIRST = sorted({w.split()[0] for w in SPEECH_CUES + PARTICIPLES + EVALUATIVE} | {"quoted", "according"},
                    key=len, reverse=True)
_CUE_START = re.compile(r"(?<!\w)(?:" + trie_regex(_CUE_FIRST) + r")\b")
_AFTER_CUE = re.compile(r"\b(?:" + "|".join(SPEECH_CUES + PARTICIPLES) + r")\b[\s,:]*$", re.I)
_ADVERBS = re.compile(
    r"(?:[\s,]+(?:also|has|had|have|then|later|further|again|repeatedly|previously|earlier|meanwhile"
    r"|in\s+turn|for\s+(?:his|her|its|their)\s+part|however|once\s+again|recently|reportedly|publicly"
    r"|separately|who|which|, who|speaking|on\s+\w+day))+[\s,]*$", re.I)
# Cheap necessary conditions tried before the anchored patterns above (which
# otherwise scan the whole text before a cue): the last word must be one the
# pattern can end with. Non-ASCII tails go to the pattern (case-insensitive
# matching folds e.g. "ſ" to "s").
_ADVERB_LAST = {"also", "has", "had", "have", "then", "later", "further", "again", "repeatedly", "previously",
                "earlier", "meanwhile", "turn", "part", "however", "recently", "reportedly", "publicly",
                "separately", "who", "which", "speaking"}
_AFTER_CUE_LAST = tuple(SPEECH_CUES + PARTICIPLES)
_MARK = re.compile('"')
_WORDS = re.compile(r"[\w.'’-]+")
_PRONOUN = re.compile(r"\b(he|she|they)\s*$", re.I)
_CAPSEQ = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s*$")
_NP_AFTER = re.compile(r"^\s*((?:the\s+)?(?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3}|he|she|they)", re.I)
_STOP_CAPS = {"The", "In", "On", "At", "A", "An", "But", "And", "It", "This", "That", "As", "While",
              "During", "After", "Before", "Ahead", "With", "For", "From", "When", "His", "Her", "Its"}


# --------------------------------------------------------------------------- #
# speakers                                                                     #
# --------------------------------------------------------------------------- #

def speaker_table(speakers=None) -> pd.DataFrame:
    """The speaker alias table as a frame (one row per alias)."""
    rows = []
    for entry in load_resource(speakers, "speakers", "speakers"):
        for alias in [entry["name"], *entry.get("aliases", [])]:
            rows.append({"alias": alias, "name": entry["name"], "role": entry.get("role"),
                         "group": entry.get("group", "other"), "type": entry.get("type", "person")})
    return pd.DataFrame(rows).drop_duplicates("alias")


@lru_cache(maxsize=1)
def _default_resolver():
    return _Resolver(None)


class _Resolver:
    def __init__(self, speakers):
        table = speaker_table(speakers)
        self.info = {r.alias.lower(): (r.name, r.group, r.type) for r in table.itertuples()}
        self.last_words = {a.split()[-1] for a in self.info if a.split()}   # an alias ends with one of these
        aliases = sorted(self.info, key=len, reverse=True)
        alt = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in aliases)
        self.at_end = re.compile(r"(?<![\w-])(?:" + alt + r")(?:['’]s)?\s*$", re.I)
        self.anywhere = re.compile(r"(?<![\w-])(?:" + alt + r")(?![\w-])", re.I)

    def lookup(self, phrase):
        key = " ".join(phrase.split()).lower()
        return self.info.get(key[:-2] if key.endswith(("'s", "’s")) else key)

    def resolve_end(self, before):
        """Speaker phrase at the end of ``before`` -> (as written, name, group, type)."""
        before = before[-100:]
        if _may_end_with_adverb(before):
            before = _ADVERBS.sub("", before)
        if before[-1:].isspace() or before[-1:] in (",", ";"):
            before = before.rstrip()
        words = _WORDS.findall(before[-80:]) if before and not before[-1:] in '"' else []
        last = words[-1].lower() if words else ""
        if words and before.endswith(words[-1]) and (
                last in self.last_words or (last.endswith(("'s", "’s")) and last[:-2] in self.last_words)):
            for k in range(min(7, len(words)), 0, -1):   # longest alias ending here
                hit = self.lookup(" ".join(words[-k:]))
                if hit:
                    return " ".join(words[-k:]), *hit
        tail = before.rstrip()
        m = _PRONOUN.search(before) if _tail_may_end_with(tail, ("he", "they"), 4) else None
        if m:
            return m.group(1), "<pronoun>", None, "person"
        last = tail.rsplit(None, 1)[-1] if tail else ""
        m = _CAPSEQ.search(before) if last != last.lower() else None   # needs an A-Z in the last word
        if m:
            words = m.group(1).split()
            while words and words[0] in _STOP_CAPS:
                words.pop(0)
            if words:
                phrase = " ".join(words)
                return phrase, phrase, "other", "person"
        return None

    def resolve_start(self, after):
        m = _NP_AFTER.match(after)
        if not m:
            return None
        phrase = m.group(1)
        hit = self.anywhere.match(phrase) or self.anywhere.match(re.sub(r"^the\s+", "", phrase, flags=re.I))
        if hit:
            name, group, typ = self.lookup(hit.group(0))
            return hit.group(0), name, group, typ
        if phrase.lower() in ("he", "she", "they"):
            return phrase, "<pronoun>", None, "person"
        if phrase[:1].isupper() and phrase.split()[0] not in _STOP_CAPS:
            return phrase, phrase, "other", "person"
        return None

    def first_person(self, text):
        for m in self.anywhere.finditer(text):
            name, group, typ = self.lookup(m.group(0))
            if typ == "person":
                return m.group(0), name, group, typ
        return None


def _strip_end(text, chars):
    """``text`` without trailing whitespace and ``chars`` (like the pattern
    ``[\\s<chars>]*$``)."""
    t = text.rstrip()
    while t and t[-1] in chars:
        t = t[:-1].rstrip()
    return t


def _tail_may_end_with(tail, words, width):
    """False only when ``tail`` surely does not end with one of ``words``
    (ASCII, case-insensitive)."""
    end = tail[-width:]
    return not end.isascii() or end.lower().endswith(words)


def _may_end_with_adverb(text):
    """False only when ``_ADVERBS`` surely does not match at the end of ``text``."""
    t = _strip_end(text, ",")
    if not t:
        return False
    last = t.rsplit(None, 1)[-1].rsplit(",", 1)[-1]
    if not last.isascii():
        return True
    last = last.lower()
    return last in _ADVERB_LAST or last.endswith("day")


def _after_cue(before):
    """``_AFTER_CUE.search(before)``, skipped when no cue word can end ``before``."""
    t = _strip_end(before, ",:")
    return _AFTER_CUE.search(before) if _tail_may_end_with(t, _AFTER_CUE_LAST, 12) else None


def _resolver(speakers):
    return _default_resolver() if speakers is None else _Resolver(speakers)


# --------------------------------------------------------------------------- #
# one document                                                                 #
# --------------------------------------------------------------------------- #

def _quote_spans(norm, paragraphs):
    """(inner_start, inner_end) for every pair of double quote marks."""
    spans = []
    for ps, pe in paragraphs:
        marks = [m.start() for m in _MARK.finditer(norm, ps, pe)]
        for a, b in zip(marks[0::2], marks[1::2]):
            if b > a + 1:
                spans.append((a + 1, b))
        if len(marks) % 2 and pe > marks[-1] + 1:
            spans.append((marks[-1] + 1, pe))   # runs on into the next paragraph
    return spans


def _blank(text, spans):
    """``text`` with the characters of ``spans`` replaced by spaces (same length)."""
    pieces, last = [], 0
    for s, e in spans:
        if e <= s:
            continue
        if s < last:                       # overlapping spans (not made by _quote_spans): per character
            chars = list(text)
            for a, b in spans:
                chars[a:b] = " " * (b - a)
            return "".join(chars)
        pieces += (text[last:s], " " * (e - s))
        last = max(last, e)
    pieces.append(text[last:])
    return "".join(pieces)


def _cue_matches(text):
    """The matches of ``_CUE_RE.finditer(text)``, found faster."""
    low, end = fold_like_re_i(text), 0
    for c in _CUE_START.finditer(low):
        if c.start() < end:
            continue
        m = _CUE_RE.match(text, c.start())
        if m:
            end = m.end()
            yield m


def _events(masked, sentences, res):
    """Speech events: dicts with pos (cue start), end, sent, speaker info, cue."""
    events = []
    starts = [s for s, _ in sentences]
    for m0 in _cue_matches(masked):
        sid = bisect.bisect_right(starts, m0.start()) - 1
        if sid < 0:
            continue
        ss, se = sentences[sid]
        if m0.end() > se:
            continue
        sent = masked[ss:se]
        for m in [_CUE_RE.match(sent, m0.start() - ss)]:
            if m is None:
                continue
            ev = {"sent": sid, "pos": ss + m.start(), "end": ss + m.end(), "channel": None, "inverted": False}
            if m.group("quoted"):
                spk = res.resolve_start(m.group("qspk"))
                chan = res.resolve_end(sent[:m.start()])
                ev.update(cue="quoted as saying", who=spk, channel=chan[1] if chan else None)
            elif m.group("acc"):
                ev.update(cue="according to", who=res.resolve_start(sent[m.end():]))
            else:
                cue = " ".join(m.group("cue").lower().split())
                before, after = sent[:m.start()], sent[m.end("cue"):]
                if cue == "told" and m.group("obj"):
                    cue = "told " + m.group("obj").strip()
                who = None
                if cue.split()[0] in PARTICIPLES:
                    who = res.first_person(before) or res.resolve_end(before)
                else:
                    # the cue follows the start, a comma/colon/semicolon or a closing quote mark
                    inverted = cue.split()[0] in _INVERTED and _strip_end(before, "")[-1:] in ("", ",", ";", ":", '"')
                    if inverted:
                        who = res.resolve_start(after)
                        ev["inverted"] = who is not None
                    if who is None:
                        who = res.resolve_end(before)
                ev.update(cue=cue, who=who)
            events.append(ev)
    # pronouns -> the last person named as a speaker before them
    last = None
    for ev in events:
        who = ev["who"]
        if who and who[1] == "<pronoun>":
            singular = who[0].lower() in ("he", "she")
            ev["who"] = (who[0], *last[1:]) if (last and singular) else None
        elif who and who[3] == "person":
            last = who
    return events


def _choose(q, events, sent_of, res_media=("media",)):
    qs, qe = q
    sids = {sent_of(qs), sent_of(max(qs, qe - 1))}
    best = None
    for ev in events:
        if ev["sent"] not in sids or ev["who"] is None:
            continue
        if ev["pos"] >= qe:
            prio, dist = (0 if ev["pos"] - qe < 60 else 2), ev["pos"] - qe
            if prio == 2 and ev["cue"] != "according to":
                continue
        elif ev["end"] <= qs:
            prio, dist = 1, qs - ev["end"]
        else:
            continue
        media = ev["who"][2] in res_media
        key = (media, prio, dist)
        if best is None or key < best[0]:
            best = (key, ev)
    return best[1] if best else None


def _channel(ev, events):
    """A medium named beside a person's speech ("according to CCTV", "CCTV reported")."""
    if ev["channel"] or ev["who"][3] == "media":
        return ev["channel"]
    for e2 in events:
        if e2 is not ev and e2["sent"] == ev["sent"] and e2["who"] and e2["who"][3] == "media":
            return e2["who"][1]
    return None


def find_quotes(text: str, sentences, paragraphs, speakers=None) -> list[dict]:
    """All quotations of one clean text (see the module doc for the method)."""
    res = _resolver(speakers)
    norm = normalize_quotes(text)
    qspans = _quote_spans(norm, paragraphs)
    masked = _blank(norm, qspans)
    events = _events(masked, sentences, res)
    starts = [s for s, _ in sentences]
    sent_of = lambda pos: sentence_at(starts, pos)   # noqa: E731

    para_of = lambda pos: next((i for i, (a, b) in enumerate(paragraphs) if a <= pos < b), -1)
    out, used_sents, prev = [], set(), None
    for qs, qe in qspans:
        sid = sent_of(qs)
        ss, se = sentences[sid] if sentences else (0, len(text))
        before = norm[ss:qs - 1]
        ev = _choose((qs, qe), events, sent_of)
        inner = text[qs:qe]
        opens = not before.strip() or before.rstrip().endswith(":")
        after_cue = _after_cue(before)
        spans_sentences = sent_of(max(qs, qe - 1)) != sid
        upper = inner.strip()[:1].isupper()
        kind = "direct" if (opens and upper) or (after_cue and (upper or len(inner.split()) >= 6)) \
            or spans_sentences else "partial"
        if ev is not None:
            who, cue, channel = ev["who"], ev["cue"], _channel(ev, events)
        elif prev is not None and not before.strip() and prev["speaker"] and \
                para_of(qs) - prev["_para"] in (0, 1) and kind == "direct":
            who, cue, channel = (prev["speaker_text"], prev["speaker"], prev["speaker_group"], None), \
                "(continued)", prev["channel"]
        else:
            who, cue, channel = None, None, None
        row = {"sent_id": sid, "start": qs, "end": qe, "quote": " ".join(inner.split()),
               "speaker": who[1] if who else None, "speaker_group": who[2] if who else None,
               "cue": cue, "kind": kind, "channel": channel, "speaker_text": who[0] if who else None,
               "_para": para_of(qs)}
        out.append(row)
        used_sents.update(range(sid, sent_of(max(qs, qe - 1)) + 1))
        if kind == "direct" or row["speaker"]:
            prev = row
    # reported speech: cue sentences with no quote marks
    for ev in events:
        sid = ev["sent"]
        if sid in used_sents or ev["who"] is None or ev["cue"].split()[0] in EVALUATIVE:
            continue
        ss, se = sentences[sid]
        if ev["pos"] - ss < 3 and ev["cue"] in _INVERTED:
            continue
        who = ev["who"]
        after = re.sub(r"^[\s,]*(?:(?:\w+\s+){0,4}?that\b)?[\s,]*", "", text[ev["end"]:se])
        if ev["inverted"] or len(after.split()) < 3:
            clause = text[ss:ev["pos"]]
            clause = re.sub(r"[\s,]*" + re.escape(who[0]) + r"[\s,]*$", "", clause) if not ev["inverted"] else clause
        else:
            clause = after
        clause = re.sub(r"[\s,]+$", "", clause)
        if len(clause.split()) < 3:
            clause = text[ss:se]
        out.append({"sent_id": sid, "start": ss, "end": se, "quote": clause.strip(),
                    "speaker": who[1], "speaker_group": who[2], "cue": ev["cue"], "kind": "indirect",
                    "channel": _channel(ev, events), "speaker_text": who[0], "_para": -1})
        used_sents.add(sid)
    for row in out:
        row.pop("_para", None)
    out.sort(key=lambda r: (r["start"], r["kind"] == "indirect"))
    return out


# --------------------------------------------------------------------------- #
# corpus level                                                                 #
# --------------------------------------------------------------------------- #

def quotes(corpus, speakers=None, kind=None, by="outlet") -> pd.DataFrame:
    """One row per quotation: ``doc_id, sent_id, start, end, quote, speaker,
    speaker_group, cue, kind, channel, speaker_text`` plus the outlet and the
    ``by`` document column(s).

    ``speakers``: a speaker file/list to use instead of the bundled table
    (re-runs detection); ``kind``: keep only 'direct', 'partial' or 'indirect'.
    """
    if speakers is None:
        table = corpus.quotes.copy()
    else:
        rows = []
        sents = corpus.sentences
        for doc in corpus.documents.itertuples():
            s = sents[sents["doc_id"] == doc.doc_id]
            spans = list(zip(s["start"], s["end"]))
            paras = _paragraphs(doc.text)
            rows += [{"doc_id": doc.doc_id, **q} for q in find_quotes(doc.text, spans, paras, speakers)]
        table = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    if kind is not None:
        table = table[table["kind"] == kind]
    extra = [b for b in ([by] if isinstance(by, str) else list(by)) if b not in ("doc_id", "outlet")]
    outlets = corpus.documents[["doc_id", "outlet", *extra]]
    return table.merge(outlets, on="doc_id", how="left").reset_index(drop=True)


def _paragraphs(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]


def voices(corpus, by="outlet", level="speaker_group", speakers=None) -> pd.DataFrame:
    """Who is quoted per unit: quotes and quoted words per speaker (group).

    Returns ``by, <level>, n_quotes, n_direct, n_partial, n_indirect,
    quoted_words, share_of_quoted_words`` (share of the unit's words inside
    quote marks), plus ``n_docs`` and ``words`` of the unit. Unattributed
    quotes appear as "(unknown)".
    """
    from .text import tokenize
    by = [by] if isinstance(by, str) else list(by)
    q = quotes(corpus, speakers=speakers)
    docs = corpus.documents
    q = q.drop(columns=[c for c in by if c in q.columns and c != "doc_id"]).merge(
        docs[["doc_id", *[b for b in by if b != "doc_id"]]], on="doc_id", how="left")
    q[level] = q[level].fillna("(unknown)")
    q["words"] = [len(tokenize(t)) if k != "indirect" else 0 for t, k in zip(q["quote"], q["kind"])]
    g = q.groupby(by + [level], dropna=False)
    out = g.agg(n_quotes=("kind", "size"),
                n_direct=("kind", lambda k: int((k == "direct").sum())),
                n_partial=("kind", lambda k: int((k == "partial").sum())),
                n_indirect=("kind", lambda k: int((k == "indirect").sum())),
                quoted_words=("words", "sum")).reset_index()
    units = docs.groupby(by).agg(n_docs=("doc_id", "nunique"), words=("n_words", "sum")).reset_index()
    out = out.merge(units, on=by, how="left")
    out["share_of_quoted_words"] = out["quoted_words"] / out["words"]
    return out.sort_values(by + ["n_quotes"], ascending=[True] * len(by) + [False]).reset_index(drop=True)
