"""`researchlib fetch` against local HTTP servers on 127.0.0.1 (issue 19, item 2).

Two servers (two hosts: robots.txt is per host) started in the test; every
request they receive is recorded, so the test can say what was asked for,
with which User-Agent, and when."""
import csv
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

import researchlib as rl
from researchlib import cli
from researchlib.fetch import USER_AGENT, FetchError, fetch

FIXTURES = Path(__file__).parent / "fixtures" / "web"
PAGE_A = (FIXTURES / "harbour_times.html").read_bytes()
PAGE_B = (FIXTURES / "valley_blog.htm").read_bytes()
PAGE_C = (FIXTURES / "city_portal.html").read_bytes()
PAGE_D = gzip.decompress((FIXTURES / "continental_wire.html.gz").read_bytes())


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        self.server.hits.append((self.path, self.headers.get("User-Agent"), time.monotonic()))
        route = self.server.routes.get(self.path)
        if route is None:
            return self._send(404, "text/html", b"<html><body>no such page</body></html>")
        if callable(route):
            return route(self)
        self._send(*route)

    def _send(self, status, ctype, body, headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _slow(handler):
    time.sleep(1.2)
    try:
        handler._send(200, "text/html", PAGE_A)
    except OSError:
        pass


def _gzipped(handler):
    handler._send(200, "text/html; charset=utf-8", gzip.compress(PAGE_D), [("Content-Encoding", "gzip")])


def _serve(routes):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.routes, srv.hits = routes, []
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture()
def servers():
    main_routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/a.html": (200, "text/html; charset=utf-8", PAGE_A),
        "/b.html": (200, "text/html", PAGE_B),
        "/old": (301, None, b"", [("Location", "/c.html")]),
        "/c.html": (200, "text/html; charset=UTF-8", PAGE_C),
        "/slow": _slow,
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not a page"),
        "/data.json": (200, "application/json", b'{"a": 1}'),
        "/private/secret.html": (200, "text/html", PAGE_A),
        "/sneaky": (302, None, b"", [("Location", "/private/secret.html")]),
        "/loop1": (302, None, b"", [("Location", "/loop2")]),
        "/loop2": (302, None, b"", [("Location", "/loop1")]),
        "/busy": (503, "text/html", b"<html>try later</html>"),
        "/wire": _gzipped,
        "/caf%C3%A9%20news.html": (200, "text/html", PAGE_B),
    }
    closed_routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /\n"),
        "/story.html": (200, "text/html", PAGE_B),
    }
    a, url_a = _serve(main_routes)
    b, url_b = _serve(closed_routes)
    yield a, url_a, b, url_b
    for s in (a, b):
        s.shutdown()
        s.server_close()


def _write_urls(path, base, closed):
    rows = [("a.html", "Harbour Times", "2023-03-14"), ("b.html", "Valley Notes", ""),
            ("old", "City Portal", "2024-01-09"), ("missing", "Nobody", ""), ("slow", "Slow Site", ""),
            ("report.pdf", "PDF Site", ""), ("data.json", "JSON Site", ""),
            ("private/secret.html", "Private", ""), ("sneaky", "Sneaky", ""), ("loop1", "Loop", ""),
            ("busy", "Busy", ""), ("wire", "Wire", ""), ("a.html", "Harbour again", "")]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["link", "outlet", "date", "file"])
        for p, outlet, date in rows:
            w.writerow([f"{base}/{p}", outlet, date, "x.txt"])
        w.writerow([f"{closed}/story.html", "Closed Host", "", ""])
        w.writerow(["ftp://example.org/file.html", "FTP", "", ""])
        w.writerow(["", "Empty", "", ""])


def test_fetch_saves_fails_and_resumes(tmp_path, servers):
    srv, base, closed_srv, closed = servers
    urls = tmp_path / "urls.csv"
    _write_urls(urls, base, closed)
    out = tmp_path / "out"
    res = fetch(urls, out, url_column="link", delay=0.15, timeout=0.5)
    by = {}
    for r in res.itertuples():
        by.setdefault(r.url.replace(base, "").replace(closed, "CLOSED"), r)
    assert [by[u].outcome for u in ("/a.html", "/b.html", "/old", "/wire")] == ["saved"] * 4
    fail = {u: (r.status, r.reason) for u, r in by.items() if r.outcome == "failed"}
    assert fail == {
        "/missing": ("404", "HTTP 404 Not Found"),
        "/slow": ("", "no answer within 0.5 s (timeout) (will retry)"),
        "/report.pdf": ("200", "not HTML (content type application/pdf)"),
        "/data.json": ("200", "not HTML (content type application/json)"),
        "/private/secret.html": ("", f"forbidden by {base}/robots.txt"),
        "/sneaky": ("", f"forbidden by {base}/robots.txt"),
        "/loop1": ("302", f"redirect loop at {base}/loop1"),
        "/busy": ("503", "HTTP 503 Service Unavailable (will retry)"),
        "CLOSED/story.html": ("", f"forbidden by {closed}/robots.txt"),
        "ftp://example.org/file.html": ("", "not an http(s) URL"),
        "": ("", "not an http(s) URL"),
    }
    assert (by["/a.html"].outcome, res.iloc[-4].outcome, res.iloc[-4].reason) == ("saved", "skipped", "duplicate of line 2")
    # every request carried our User-Agent; robots.txt was asked for once per host; forbidden paths never
    paths = [h[0] for h in srv.hits]
    assert {h[1] for h in srv.hits + closed_srv.hits} == {USER_AGENT}
    assert paths.count("/robots.txt") == 1 and [h[0] for h in closed_srv.hits] == ["/robots.txt"]
    assert "/private/secret.html" not in paths
    # politeness: requests to one host at least `delay` apart, one at a time
    times = [h[2] for h in srv.hits]
    # (seen by the server: its own scheduling on a loaded machine can shift an arrival by a few 10 ms)
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.10
    # the folder: raw bytes as served, a manifest with the CSV's other columns, a log
    man = pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(man.columns) == ["file", "url", "final_url", "status", "content_type", "charset", "fetched_at",
                                 "outlet", "date", "file_csv"]
    m = man.set_index("url")
    assert (out / m.loc[f"{base}/a.html", "file"]).read_bytes() == PAGE_A
    assert (out / m.loc[f"{base}/wire", "file"]).read_bytes() == PAGE_D      # content-encoding undone
    assert m.loc[f"{base}/old", "final_url"] == f"{base}/c.html"
    assert m.loc[f"{base}/a.html", "charset"] == "utf-8"
    assert sorted(p.name for p in out.iterdir()) == ["fetch_log.csv", "manifest.csv", "pages"]
    assert len(list((out / "pages").iterdir())) == 4
    log = pd.read_csv(out / "fetch_log.csv", dtype=str, keep_default_na=False)
    assert len(log) == 4 + len(fail) and set(log["outcome"]) == {"saved", "failed"}

    # the folder loads; the manifest's columns (outlet) win over the pages' site names
    c = rl.load_corpus(out, out / "manifest.csv")
    assert c.rejected.empty
    d = c.documents.set_index("url")
    assert d.loc[f"{base}/a.html", "outlet"] == "Harbour Times"
    assert d.loc[f"{base}/old", "title"] == "Night buses return to four routes"
    assert d.loc[f"{base}/a.html", "published"] == pd.Timestamp("2023-03-14")

    # a second run fetches nothing new: saved and finally failed URLs are not requested again;
    # only the failures that may pass (time-out, 503) are tried again
    before = len(srv.hits)
    res2 = fetch(urls, out, url_column="link", delay=0.05, timeout=0.5)
    again = sorted(h[0] for h in srv.hits[before:])
    assert again == ["/busy", "/robots.txt", "/slow"]
    assert len(list((out / "pages").iterdir())) == 4
    assert (res2["outcome"] == "saved").sum() == 0
    assert set(res2.loc[res2["outcome"] == "failed", "url"]) == {f"{base}/slow", f"{base}/busy"}
    assert (res2["reason"] == "saved by an earlier run").sum() == 4
    # and the manifest did not grow
    assert len(pd.read_csv(out / "manifest.csv")) == 4


def test_fetch_never_overwrites_or_writes_elsewhere(tmp_path, servers):
    srv, base, *_ = servers
    urls = tmp_path / "urls.csv"
    urls.write_text(f"url\n{base}/a.html\n{base}/b.html\n")
    out = tmp_path / "out"
    (out / "pages").mkdir(parents=True)
    import hashlib
    mine = out / "pages" / (hashlib.sha1(f"{base}/a.html".encode()).hexdigest()[:16] + ".html")
    mine.write_bytes(b"the user's own file")
    res = fetch(urls, out, delay=0, timeout=2)
    assert mine.read_bytes() == b"the user's own file"
    assert res.iloc[0].outcome == "failed" and "exists but is not in the manifest" in res.iloc[0].reason
    assert res.iloc[1].outcome == "saved"
    # a manifest or log that is not ours stops the run before any request
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.csv").write_text("file,outlet\nmy.txt,X\n")
    n = len(srv.hits)
    with pytest.raises(FetchError, match="not written by researchlib fetch"):
        fetch(urls, other, delay=0)
    assert len(srv.hits) == n and (other / "manifest.csv").read_text() == "file,outlet\nmy.txt,X\n"
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "fetch_log.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(FetchError, match="symbolic link"):
        fetch(urls, linked, delay=0)
    assert not (tmp_path / "elsewhere.csv").exists()
    res = fetch(urls, tmp_path / "small", delay=0, timeout=2, max_bytes=100)
    assert list(res["reason"]) == ["larger than 100 bytes"] * 2 and not list((tmp_path / "small/pages").iterdir())
    with pytest.raises(FetchError, match="no column 'link'"):
        fetch(urls, tmp_path / "x", url_column="link")


def test_cli_fetch(tmp_path, servers, capsys):
    srv, base, *_ = servers
    urls = tmp_path / "urls.csv"
    urls.write_text(f"url,outlet\n{base}/b.html,VN\n{base}/missing,X\n{base}/caf\u00e9 news.html,Y\n"
                    f"http://127.0.0.1:notaport/x,Z\n", encoding="utf-8")
    assert cli.main(["fetch", str(urls), "--out", str(tmp_path / "o"), "--delay", "0", "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 saved, 2 failed, 0 skipped" in out              # the non-ASCII address is percent-encoded
    log = pd.read_csv(tmp_path / "o" / "fetch_log.csv", dtype=str, keep_default_na=False)
    assert log["reason"].iloc[-1].startswith("not a valid URL")
    assert cli.main(["fetch", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o")]) == 1
    assert "nope.csv: no such file" in capsys.readouterr().err
