"""Saved web pages and WARC crawls as a corpus (issue 19, item 1).

The fixture pages in tests/fixtures/web were written for these tests: four
site layouts (a news site with a cookie banner, menu, inline CSS/JS, JSON-LD,
related list and comment form; a WordPress blog with comments, widgets and
og: tags only; a gzipped windows-1252 wire page with a layout table; a portal
with skip links, a consent overlay, a mega-menu, a newsletter box and a
JSON-LD @graph) and one section index without article text. The expected
texts below are the pages' article paragraphs, copied by hand."""
import gzip
import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

import researchlib as rl
from researchlib import web

FIXTURES = Path(__file__).parent / "fixtures" / "web"

EXPECTED = {
    "harbour_times": dict(
        title="Port workers end strike after pay deal", published="2023-03-14", byline="Mara Ellison",
        site_name="The Harbour Times", outlet="The Harbour Times", language="en",
        url="https://harbourtimes.example/news/2023/03/port-workers-end-strike",
        paragraphs=[
            "Dock workers at the port of Eastport will return to work on Monday after their union accepted a pay "
            "offer that ends a three-week strike, officials said on Tuesday.",
            "The agreement raises wages by 7 percent this year and a further 4 percent next year, according to a "
            "statement from the union, which represents about 1,800 workers at the container terminals.",
            "\"This is a fair deal that recognises the work our members did through the pandemic,\" said union "
            "secretary Colin Barrow. \"Nobody wanted a long dispute, but we were not going to accept a pay cut in "
            "real terms.\"",
            "The strike had left hundreds of containers stranded on the quays and forced two shipping lines to "
            "divert vessels to other ports along the coast, costing local hauliers an estimated two million "
            "pounds a week.",
            "The port authority said it expected normal operations to resume within ten days, once a backlog of "
            "ships waiting at anchor had been cleared."]),
    "valley_blog": dict(
        title="Library reopens after flood repairs", published="2022-11-02", byline="Priya Nandakumar",
        site_name="Valley Notes", outlet="Valley Notes", language="en",
        url="https://valleynotes.example/2022/11/library-reopens/",
        paragraphs=[
            "The Millbrook public library opened its doors again on Tuesday, eight months after floodwater "
            "filled the ground floor and ruined more than twelve thousand books.",
            "Repairs cost the town about 640,000 dollars, most of it covered by a state disaster grant. The "
            "children's room has moved upstairs, and the new floor downstairs is made of sealed concrete that "
            "can be hosed down if the river rises again.",
            "Head librarian Tomasz Wieczorek said donations had replaced about half of the lost collection. "
            "\"People brought boxes of books to the fire station all summer,\" he said. \"Some of them still had "
            "the old library stamps inside.\"",
            "The library will keep shorter opening hours until the end of the year while volunteers finish "
            "cataloguing the donated books."]),
    "continental_wire": dict(
        title="Grain exports rise as new rail link opens", published="2021-06-07", byline=None,
        site_name="Continental Wire Service", outlet="Continental Wire Service", language="en", url=None,
        paragraphs=[
            "ODESSA LAKE, June 7 (CWS) \u2014 Grain exports through the inland terminal rose by a third in May "
            "after a new rail link cut the journey to the coast from four days to one, the regional transport "
            "ministry said on Monday.",
            "The terminal handled 410,000 tonnes of wheat and barley last month, compared with 305,000 tones in "
            "April, the ministry said in a statement. Farmers' groups said the quicker route had lowered costs "
            "for growers who previously relied on trucks.",
            "\u201cFor the first time in years our members can sell at the coastal price,\u201d said Olena "
            "Marchuk, who chairs the regional growers\u2019 association.",
            "The rail link, built with a loan from a development bank, is due to carry passenger trains from "
            "the autumn."]),
    "city_portal": dict(
        title="Night buses return to four routes", published="2024-01-09", byline="Jonas Berg; Alicia Moreno",
        site_name="City Portal Daily", outlet="City Portal Daily", language="en",
        url="https://cityportal.example/transport/night-buses-return",
        paragraphs=[
            "Night buses return to four routes",     # the page's h1 sits inside the story block
            "Night buses will run again on four routes from next month, the city transport company said on "
            "Tuesday, reversing cuts made two years ago when it could not find enough drivers.",
            "The N2, N5, N7 and N11 will run every 30 minutes between midnight and five in the morning from "
            "February 5. The company said it had hired 140 drivers since the summer, helped by a signing bonus "
            "and a new training school at the Westgate depot.",
            "Hospital staff and cleaners, who often finish work after the last tram, had campaigned for the "
            "routes to return. \"Walking home at two in the morning was never a choice anyone should have to "
            "make,\" said nurse Adaeze Okafor, who helped collect 9,000 signatures.",
            "The company said it would review passenger numbers in the summer before deciding whether to "
            "restore the remaining three night routes."]),
}

# site furniture present in the pages that must not reach the text
FURNITURE = ["cookies", "Skip to", "Accept all", "Leave a Reply", "Your email address", "Required fields",
             "Related articles", "Dockers vote", "padding-bottom", "dataLayer", "_paq", "Subscribe",
             "newsletter", "Dave K", "story hour", "local history archive", "Recent Posts", "About us",
             "Privacy policy", "Share on", "More from Transport", "Tram fares", "Proudly powered",
             "Copyright", "All rights reserved", "Post navigation", "Previous:", "Your privacy matters",
             "Markets", "ADVERTISEMENT", "Posted in", "Tagged"]


def _check_docs(c):
    d = c.documents.set_index("doc_id")
    assert sorted(d.index) == sorted(EXPECTED)
    for doc_id, exp in EXPECTED.items():
        row = d.loc[doc_id]
        assert row["text_raw"] == "\n\n".join(exp["paragraphs"]), doc_id
        for col in ("title", "byline", "site_name", "outlet", "language"):
            assert (row[col] if pd.notna(row[col]) else None) == exp[col], (doc_id, col)
        assert row["published"] == pd.Timestamp(exp["published"]), doc_id
        for bit in FURNITURE:
            assert bit not in row["text_raw"], (doc_id, bit)
    return d


def test_html_folder_loads_article_text_title_date():
    c = rl.load_corpus(FIXTURES)
    d = _check_docs(c)
    for doc_id, exp in EXPECTED.items():
        assert (d.loc[doc_id, "url"] if pd.notna(d.loc[doc_id, "url"]) else None) == exp["url"]
    assert list(c.rejected["source"]) == ["section_index.html"]
    assert c.rejected["reason"].iloc[0].startswith("no article text found")
    assert c.warnings.empty
    # the cleaner starts from the extracted text: the portal's repeated h1 is removed as a title
    assert d.loc["city_portal", "text"].startswith("Night buses will run again")
    assert set(d["extractor"]) == {f"trafilatura {__import__('trafilatura').__version__}"}


def test_raw_html_is_never_modified(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(FIXTURES, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    c = rl.load_corpus(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert dict(zip(c.inputs["path"], c.inputs["sha256"])) == \
        {k: hashlib.sha256(v).hexdigest() for k, v in before.items()}


def _page_bytes(name):
    data = (FIXTURES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def _write_warc(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, ctype, body in pages:
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                       http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")],
                                                                     is_http_request=True))
            w.write_record(req)
            http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


WARC_PAGES = [
    ("https://harbourtimes.example/news/2023/03/port-workers-end-strike?utm_source=x", "200 OK",
     "text/html; charset=utf-8", _page_bytes("harbour_times.html")),
    ("https://valleynotes.example/2022/11/library-reopens/", "200 OK", "text/html", _page_bytes("valley_blog.htm")),
    ("https://cws.example/story/1", "200 OK", "text/html; charset=windows-1252",
     _page_bytes("continental_wire.html.gz")),
    ("https://cityportal.example/transport/night-buses-return", "200 OK", "text/html; charset=UTF-8",
     _page_bytes("city_portal.html")),
    ("https://cityportal.example/sport", "200 OK", "text/html", _page_bytes("section_index.html")),
    ("https://cityportal.example/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"),
    ("https://cityportal.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ("https://cityportal.example/old", "301 Moved Permanently", "text/html", b""),
]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_gives_the_same_documents(tmp_path, name):
    folder = tmp_path / "crawl"
    folder.mkdir()
    _write_warc(folder / name, WARC_PAGES)
    c = rl.load_corpus(folder)
    stem = name.split(".")[0]
    ids = {f"{stem}_1": "harbour_times", f"{stem}_2": "valley_blog", f"{stem}_3": "continental_wire",
           f"{stem}_4": "city_portal"}
    assert sorted(c.documents["doc_id"]) == sorted(ids)
    html = rl.load_corpus(FIXTURES).documents.set_index("doc_id")
    warc = c.documents.set_index("doc_id").rename(index=ids)
    cols = ["text_raw", "text", "title", "byline", "published", "site_name", "language", "n_words", "n_sentences"]
    pd.testing.assert_frame_equal(warc.loc[sorted(ids.values()), cols], html.loc[sorted(ids.values()), cols])
    _check_docs(c.__class__(warc.reset_index(), *[getattr(c, k) for k in
                                                  ("sentences", "removed", "rejected", "warnings", "quotes")]))
    # the canonical link wins over the crawled address; the page without one keeps the crawled URL
    assert warc.loc["harbour_times", "url"] == EXPECTED["harbour_times"]["url"]
    assert warc.loc["continental_wire", "url"] == "https://cws.example/story/1"
    assert warc.loc["continental_wire", "warc_target_uri"] == "https://cws.example/story/1"
    rej = dict(zip(c.rejected["source"], c.rejected["reason"]))
    assert rej[f"{name}#5"].startswith("no article text found") and rej[f"{name}#5"].endswith("(https://cityportal.example/sport)")
    assert rej[f"{name}#6"] == "HTTP 404 Not Found response (https://cityportal.example/gone)"
    assert rej[f"{name}#7"] == "not HTML: content type image/png (https://cityportal.example/logo.png)"
    assert rej[f"{name}#8"] == "HTTP 301 Moved Permanently response (https://cityportal.example/old)"
    assert len(rej) == 4


def test_manifest_wins_and_disagreement_is_a_warning(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(FIXTURES, folder)
    (folder / "section_index.html").unlink()
    man = tmp_path / "manifest.csv"
    man.write_text("file,outlet,title,published,byline\n"
                   "harbour_times.html,HT,Dock strike over,2023-03-14,\n"          # title disagrees
                   "valley_blog.htm,,,2022-11-03,Priya Nandakumar\n"              # date disagrees
                   "continental_wire.html.gz,CWS,Grain exports rise as new rail link opens,,\n"
                   "city_portal.html,CPD,,,\n", encoding="utf-8")
    c = rl.load_corpus(folder, man)
    d = c.documents.set_index("doc_id")
    assert d.loc["harbour_times", "title"] == "Dock strike over"                 # manifest wins
    assert d.loc["harbour_times", "byline"] == "Mara Ellison"                     # empty cell: page fills
    assert d.loc["valley_blog", "published"] == pd.Timestamp("2022-11-03")
    assert d.loc["valley_blog", "outlet"] == "Valley Notes"                       # empty outlet: site name
    assert list(d.loc[["harbour_times", "continental_wire", "city_portal"], "outlet"]) == ["HT", "CWS", "CPD"]
    assert d.loc["city_portal", "published"] == pd.Timestamp("2024-01-09")
    w = sorted(zip(c.warnings["source"], c.warnings["reason"]))
    assert w == [
        ("harbour_times.html", "page title 'Port workers end strike after pay deal' disagrees with the "
                               "manifest's 'Dock strike over' (manifest.csv:2); using the manifest"),
        ("valley_blog.htm", "page published '2022-11-02' disagrees with the manifest's '2022-11-03' "
                            "(manifest.csv:3); using the manifest")]


def test_extraction_is_reproducible():
    pages = {n: _page_bytes(n) for n in ("harbour_times.html", "valley_blog.htm", "city_portal.html",
                                          "continental_wire.html.gz")}
    first = {n: web.extract_page(b) for n, b in pages.items()}
    again = {n: web.extract_page(b) for n, b in reversed(list(pages.items()))}
    assert first == again
    assert web.EXTRACT_OPTIONS["deduplicate"] is False
    # the date does not depend on the day of extraction: a page dated after today keeps its date;
    # the loader, not the extractor, flags it
    future = pages["harbour_times.html"].replace(b"2023-03-14", b"2091-05-04").replace(b"14 March 2023", b"4 May 2091")
    assert web.extract_page(future)["published"] == "2091-05-04"


def test_hostile_and_broken_files(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(FIXTURES / "harbour_times.html", folder / "ok.html")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    (folder / "empty.htm").write_bytes(b"  \n")
    (folder / "broken.html.gz").write_bytes(b"\x1f\x8b\x08not really gzip")
    (folder / "script_only.html").write_text("<html><head><script>var a = '<p>' + 'x'.repeat(500);</script>"
                                             "</head><body></body></html>")
    (folder / "broken.warc").write_bytes(b"this is not a WARC file\r\n\r\n")
    (folder / "notes.txt").write_text("A plain text article sits beside the pages. It has two sentences.\n")
    title = "<script>alert(1)</script> {__import__('os')}"
    page = (FIXTURES / "harbour_times.html").read_text()
    page = page.replace('"headline": "Port workers end strike after pay deal"',
                        '"headline": "%s"' % title.replace("<", "\\u003c").replace("'", "\\u0027"))
    page = page.replace("Port workers end strike after pay deal", title.replace("<", "&lt;"))
    (folder / "odd_title.html").write_text(page)
    c = rl.load_corpus(folder)
    rej = dict(zip(c.rejected["source"], c.rejected["reason"]))
    assert rej["image.html"] == "binary content, not HTML"
    assert rej["empty.htm"] == "empty file"
    assert rej["broken.html.gz"].startswith("not a valid gzip file")
    assert rej["script_only.html"].startswith("no article text found")
    assert rej["broken.warc"].startswith("not a valid WARC file")
    assert sorted(c.documents["doc_id"]) == ["notes", "odd_title", "ok"]
    d = c.documents.set_index("doc_id")
    assert d.loc["odd_title", "title"] == "alert(1) {__import__('os')}"   # tags stripped; data, never run
    assert d.loc["odd_title", "text_raw"] == d.loc["ok", "text_raw"]


def test_encoding_declared_in_page_or_header():
    text, problem = web.decode_html("<meta charset='iso-8859-1'><p>caf\u00e9 \u2019</p>".encode("cp1252"))
    assert (text, problem) == ("<meta charset='iso-8859-1'><p>caf\u00e9 \u2019</p>", None)   # WHATWG: latin-1 = cp1252
    text, problem = web.decode_html("<p>\u041f\u0440\u0438\u0432\u0435\u0442</p>".encode("cp1251"), "windows-1251")
    assert (text, problem) == ("<p>\u041f\u0440\u0438\u0432\u0435\u0442</p>", None)
    text, problem = web.decode_html(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade</p>")
    assert problem.startswith("no usable charset declared; decoded as")
