"""Saved web pages as documents: ``.html``, ``.htm``, ``.html.gz`` files and
WARC crawls (``.warc``, ``.warc.gz``; one document per HTML response record).

The folder reader of :mod:`researchlib.corpus` hands each such file to
:func:`web_records`, which yields one record per page: the extracted article
text as ``text_raw`` (what the cleaner and its audit start from) and the
page's metadata in ``_page``. :func:`fill_from_page` then fills the document's
columns from it, after the manifest row was joined: the manifest wins, and a
disagreement on title, byline or date is a warning. The HTML itself is never
modified; ``inputs`` hashes the file as read.

Method
------
Main-text and metadata extraction is trafilatura's (Barbaresi 2021, ACL
demos, https://aclanthology.org/2021.acl-demo.15/), which combines its own
XPath rules with readability and jusText fallbacks, and dates from htmldate
(Barbaresi 2020, JOSS 5(51), 2439). We call it with options pinned in
:data:`EXTRACT_OPTIONS` so that the same page always gives the same text:
comments off (a reader's comment is not the outlet's text), tables off
(layout tables of older sites carry menus; a data table is not prose for the
sentence-level measures), no cross-document deduplication (its cache would
make a page's text depend on the pages read before it), and a fixed latest
plausible date instead of htmldate's default "today" (which would let the
same page get another date on another day; a date after the day of loading
is flagged by the loader instead). trafilatura's lines become paragraphs
separated by a blank line, the corpus's paragraph format.

Bytes are decoded with the page's own declaration first: byte-order mark,
the HTTP ``Content-Type`` charset (WARC), ``<meta charset>``; then UTF-8;
then a guess (charset_normalizer), which is a warning. Metadata the extractor
leaves empty is looked up in the page's ``<html lang>``, JSON-LD
(``url``, ``inLanguage``) and ``og:`` tags. A page is rejected when fewer than
``min_words`` words are extracted or no line reads as prose (``prose_words``
words ending like a sentence): index pages, cookie walls, empty shells.

Known limits
------------
- Extraction is heuristic: a site layout trafilatura misreads can cut a
  paragraph or keep a caption; the cleaner and its audit come after it.
- One manifest row applies to every page of a WARC file (rows are keyed by
  file); WARC documents are numbered ``<file stem>_<n>`` by response order.
- A saved ``.html`` whose encoding was only stated in the HTTP header it came
  with (not in the page) is decoded by guess; ``researchlib fetch`` records
  that header in its manifest (``charset``).
- ``language`` is the page's declared language (primary subtag), not a
  detection.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import zlib
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["WEB_SUFFIXES", "is_web_file", "extract_page", "web_records", "fill_from_page",
           "EXTRACT_OPTIONS", "PAGE_COLUMNS"]

WEB_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".warc", ".warc.gz")
#: page metadata -> document column it fills
PAGE_COLUMNS = ("title", "byline", "published", "url", "site_name", "language", "outlet")
#: compared with the manifest when both give a value (a disagreement is a warning)
COMPARED = ("title", "byline", "published")
#: the trafilatura options every page is extracted with (see the module doc)
EXTRACT_OPTIONS = {"include_comments": False, "include_tables": False, "include_images": False,
                   "include_links": False, "include_formatting": False, "deduplicate": False,
                   "favor_precision": False, "favor_recall": False, "fast": False, "with_metadata": True}
#: htmldate: publication (not modification) date; fixed bounds, never "today"
DATE_OPTIONS = {"original_date": True, "extensive_search": True,
                "min_date": "1995-01-01", "max_date": "2099-12-31"}
#: trafilatura settings pinned (their values as shipped with 2.x), not read from a user's file
CONFIG = {"MIN_EXTRACTED_SIZE": "250", "MIN_OUTPUT_SIZE": "1", "MIN_OUTPUT_COMM_SIZE": "1",
          "MIN_EXTRACTED_COMM_SIZE": "1", "MIN_DUPLCHECK_SIZE": "100", "MAX_REPETITIONS": "2",
          "MAX_FILE_SIZE": "20000000", "MIN_FILE_SIZE": "10", "MAX_TREE_SIZE": "",
          "EXTENSIVE_DATE_SEARCH": "on"}
HTML_TYPES = ("text/html", "application/xhtml+xml")
# WHATWG: these labels mean windows-1252 in a web page
_LATIN1 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819", "ibm819"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PROSE_END = re.compile(r"""[.!?:;"'\u201d\u2019)\]]\s*$""")
_WORD = re.compile(r"\w+")


def is_web_file(name: str) -> bool:
    """True for a file name the web reader handles."""
    return name.lower().endswith(WEB_SUFFIXES)


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    low = base.lower()
    for suffix in sorted(WEB_SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix):
            return base[: -len(suffix)]
    return base


# --------------------------------------------------------------------------- #
# decoding                                                                     #
# --------------------------------------------------------------------------- #

def _codec(label):
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _LATIN1:
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, header_charset=None) -> tuple[str, str | None]:
    """(text, problem or None): decoded by BOM, HTTP charset, ``<meta
    charset>``, UTF-8, then a guess (the problem names the guess)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), None
    m = _META_CHARSET.search(data[:4096])
    for label in (header_charset, m.group(1).decode("ascii", "replace") if m else None):
        enc = _codec(label)
        if enc:
            try:
                return data.decode(enc), None
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes    # a trafilatura dependency
    best = from_bytes(data).best()
    if best is not None:
        return str(best), f"no usable charset declared; decoded as {best.encoding} (a guess)"
    return data.decode("utf-8", errors="replace"), \
        "no usable charset declared; decoded as UTF-8 with U+FFFD replacement characters"


# --------------------------------------------------------------------------- #
# one page                                                                     #
# --------------------------------------------------------------------------- #

@lru_cache(maxsize=1)
def _config():
    """trafilatura's settings with :data:`CONFIG` pinned (built once)."""
    from trafilatura.settings import use_config
    cfg = use_config()
    for k, v in CONFIG.items():
        cfg.set("DEFAULT", k, v)
    return cfg


def _jsonld(tree):
    """(url, language) from the page's JSON-LD, where it states them."""
    url = lang = None
    for node in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(node.text_content() or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(str(k).endswith(("Article", "WebPage", "Posting")) for k in kinds):
                    if not url and isinstance(obj.get("url"), str):
                        url = obj["url"]
                    if not lang and isinstance(obj.get("inLanguage"), str):
                        lang = obj["inLanguage"]
                stack.extend(v for v in obj.values() if isinstance(v, (dict, list)))
    return url, lang


def _declared(tree):
    """(url, language, site name) declared in the page head, or None each."""
    def first(*paths):
        for p in paths:
            found = tree.xpath(p)
            if found and str(found[0]).strip():
                return str(found[0]).strip()
        return None
    url = first('//head/link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content')
    lang = first("/html/@lang", "/html/@xml:lang", '//meta[@http-equiv="content-language"]/@content',
                 '//meta[@name="language"]/@content', '//meta[@property="og:locale"]/@content')
    site = first('//meta[@property="og:site_name"]/@content', '//meta[@name="og:site_name"]/@content',
                 '//meta[@name="application-name"]/@content')
    ld_url, ld_lang = _jsonld(tree)
    return url or ld_url, lang or ld_lang, site


def _language(tag):
    if not tag:
        return None
    m = re.match(r"[A-Za-z]{2,3}", tag.strip())
    return m.group(0).lower() if m else None


def extract_page(html, *, url=None, min_words=25, prose_words=10, tables=False) -> dict:
    """Article text and metadata of one page.

    ``html``: the page as ``str`` (already decoded) or ``bytes`` (decoded as
    :func:`decode_html` does); ``url``: where it came from, the fallback when
    the page declares no canonical address. Returns ``{"text": ..., "title", "byline",
    "published", "url", "site_name", "language", "extractor", "reason"}``;
    ``text`` is None and ``reason`` says why when no article text is found.
    """
    import trafilatura
    from lxml import html as lxml_html

    if isinstance(html, bytes):
        html = decode_html(html)[0]
    opts = dict(EXTRACT_OPTIONS, include_tables=bool(tables))
    # the address is not passed: trafilatura would make it a site name, and a
    # page must give the same text and metadata wherever it was saved from
    doc = trafilatura.bare_extraction(html, date_extraction_params=dict(DATE_OPTIONS),
                                      config=_config(), **opts)
    meta = {"title": None, "byline": None, "published": None, "url": None, "site_name": None,
            "language": None, "extractor": f"trafilatura {trafilatura.__version__}"}
    try:
        tree = lxml_html.fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
        d_url, d_lang, d_site = _declared(tree)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        d_url = d_lang = d_site = None
    if doc is not None:
        meta.update(title=doc.title or None, byline=doc.author or None, published=doc.date or None,
                    url=doc.url or None, site_name=doc.sitename or None)
    meta["url"] = meta["url"] or d_url or url
    meta["site_name"] = meta["site_name"] or d_site
    meta["language"] = _language(d_lang)
    lines = [ln.strip() for ln in ((doc.text or "") if doc is not None else "").splitlines()]
    lines = [ln for ln in lines if ln]
    n_words = sum(len(_WORD.findall(ln)) for ln in lines)
    prose = any(len(_WORD.findall(ln)) >= prose_words and _PROSE_END.search(ln) for ln in lines)
    if doc is None or not lines:
        return {**meta, "text": None, "reason": "no article text found (the extractor found no main content)"}
    if n_words < min_words or not prose:
        why = f"{n_words} words" if n_words < min_words else f"no line of {prose_words}+ words reads as a sentence"
        return {**meta, "text": None, "reason": f"no article text found ({why} extracted)"}
    return {**meta, "text": "\n\n".join(lines), "reason": None}


# --------------------------------------------------------------------------- #
# files -> records                                                             #
# --------------------------------------------------------------------------- #

def _record(doc_id, rel, where, page):
    site = page["site_name"]
    host = urlsplit(page["url"]).hostname if page.get("url") else None
    fields = {k: page.get(k) for k in PAGE_COLUMNS if k != "outlet"}
    fields["outlet"] = site or host
    return {"doc_id": doc_id, "file": rel, "_where": where, "text_raw": page["text"],
            "extractor": page["extractor"], "_page": fields}


def web_records(data: bytes, rel: str, log, **options):
    """Yield the documents of one web file (``rel``: its path in the corpus
    folder); rejections and warnings go to ``log`` (``reject(source,
    reason)``, ``warn(source, reason)``). ``options`` go to
    :func:`extract_page`."""
    low = rel.lower()
    if low.endswith((".warc", ".warc.gz")):
        yield from _warc_records(data, rel, log, **options)
        return
    if low.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            log.reject(rel, f"not a valid gzip file ({e})")
            return
    if not data.strip():
        log.reject(rel, "empty file")
        return
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        log.reject(rel, "binary content, not HTML")
        return
    html, problem = decode_html(data)
    if problem:
        log.warn(rel, problem)
    page = extract_page(html, **options)
    if page["text"] is None:
        log.reject(rel, page["reason"])
        return
    yield _record(_stem(rel), rel, rel, page)


def _warc_records(data, rel, log, **options):
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stem, n = _stem(rel), 0
    head = data[:4096]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head)
        except zlib.error:
            head = b""
    if not head.lstrip().startswith(b"WARC/"):
        log.reject(rel, "not a valid WARC file (it does not start with a WARC/ record header)")
        return
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type not in ("response", "revisit"):
                continue          # request, metadata, warcinfo: not pages
            n += 1
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{rel}#{n}"
            if record.rec_type == "revisit":
                log.reject(where, f"WARC revisit record, no payload ({target})")
                continue
            http = record.http_headers
            if http is None:
                log.reject(where, f"WARC response without HTTP headers ({target})")
                continue
            status = http.get_statuscode() or ""
            ctype = (http.get_header("Content-Type") or "").lower()
            if status != "200":
                log.reject(where, f"HTTP {http.statusline} response ({target})")
                continue
            if ctype.split(";")[0].strip() not in HTML_TYPES:
                log.reject(where, f"not HTML: content type {ctype or 'missing'} ({target})")
                continue
            m = re.search(r"charset\s*=\s*([\w.:-]+)", ctype)
            body = record.content_stream().read()
            html, problem = decode_html(body, m.group(1) if m else None)
            if problem:
                log.warn(where, f"{problem} ({target})")
            page = extract_page(html, url=target or None, **options)
            if page["text"] is None:
                log.reject(where, f"{page['reason']} ({target})")
                continue
            rec = _record(f"{stem}_{n}", rel, where, page)
            rec["_page"]["url"] = rec["_page"]["url"] or target or None
            rec["warc_target_uri"] = target or None
            rec["warc_date"] = record.rec_headers.get_header("WARC-Date")
            yield rec
    except ArchiveLoadFailed as e:
        log.reject(rel if n == 0 else f"{rel}#{n + 1}", f"not a valid WARC file ({e})")
    if n == 0 and data.strip():
        log.reject(rel, "no HTML response records in the WARC file")


# --------------------------------------------------------------------------- #
# page metadata + manifest                                                     #
# --------------------------------------------------------------------------- #

def _blank(v) -> bool:
    """None, NaN, NaT (an empty manifest date, already parsed) or blank text."""
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()) \
        or (not isinstance(v, str) and v != v)


def _norm(v) -> str:
    return " ".join(re.findall(r"\w+", str(v).casefold()))


def _day(v):
    import pandas as pd
    ts = pd.to_datetime(str(v), errors="coerce", utc=True)
    return None if pd.isna(ts) else ts.date()


def _agree(col, a, b) -> bool:
    if col == "published":
        da, db = _day(a), _day(b)
        return da is None or db is None or da == db
    na, nb = _norm(a), _norm(b)
    return na in nb or nb in na


def fill_from_page(rec: dict, log) -> dict:
    """Fill ``rec``'s empty columns from its page metadata (``rec["_page"]``,
    removed); where the manifest gives a title, byline or date the page
    disagrees with, keep the manifest's and warn. Returns ``rec``."""
    page = rec.pop("_page", None) or {}
    where = rec.get("_manifest_line")
    for col, value in page.items():
        if _blank(value):
            continue
        if _blank(rec.get(col)):
            rec[col] = value
        elif col in COMPARED and not _agree(col, rec[col], value):
            given = f"{rec[col]:%Y-%m-%d}" if hasattr(rec[col], "strftime") else rec[col]
            log.warn(rec["_where"], f"page {col} {value!r} disagrees with the manifest's {given!r}"
                                    f"{f' ({where})' if where else ''}; using the manifest")
    return rec
