"""Fetch a list of URLs, politely, into a folder that :func:`load_corpus` reads.

``researchlib fetch URLS.csv --out FOLDER`` (or :func:`fetch`) writes

- ``FOLDER/pages/<id>.html``: each page's body exactly as the server sent
  it (``<id>``: the first 16 hex digits of the SHA-1 of the listed URL, so a
  name never comes from the data);
- ``FOLDER/manifest.csv``: one row per saved page: ``file, url, final_url,
  status, content_type, charset, fetched_at`` and the input CSV's other
  columns (outlet, date, title, ...; a name that clashes with ours gets
  ``_csv`` appended);
- ``FOLDER/fetch_log.csv``: one row per attempt: ``line, url, outcome
  (saved | failed), status, reason, final_url, file, at``.

Then ``load_corpus(FOLDER, FOLDER / "manifest.csv")``.

Method
------
Standard library only (``urllib``). One request at a time (so never two at
once to a host), and at least ``delay`` seconds between two requests to the
same host (longer when its robots.txt asks for a ``Crawl-delay``). Every
request sends a descriptive ``User-Agent``. robots.txt is read once per host
and run with :mod:`urllib.robotparser` under RFC 9309's rules: a 4xx
robots.txt allows everything, an unreachable one (5xx, network error)
forbids the host for this run. Redirects are followed by hand (at most
``max_redirects``), each hop checked against its host's robots.txt, only to
http(s) addresses. Only HTML (``text/html``, ``application/xhtml+xml``, or
no type and a body that starts like HTML) is saved.

Resumable: a URL already in the manifest is not fetched again, nor one whose
last attempt failed for good (4xx, robots.txt, not HTML, too large, bad
address). Failures that may pass (time-outs, network errors, 408, 425, 429,
5xx, unreachable robots.txt) are tried again on the next run;
``retry_failed=True`` retries every failure.

Safety: writes only ``FOLDER/manifest.csv``, ``FOLDER/fetch_log.csv`` and
new files in ``FOLDER/pages``; a page file that exists but is not in the
manifest is left alone (the URL is logged as failed); a manifest or log
that was not written by this command stops the run before anything is
fetched; symbolic links in place of those are refused.

Known limits
------------
- No JavaScript: pages that build their text in the browser save as shells
  and are rejected at loading ("no article text found").
- Sequential: politeness first, so a long list takes ``delay`` x URLs per host.
- The HTTP charset is recorded in the manifest (``charset``) but the saved
  page is decoded at loading from its own declaration (see ``web.py``).
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import os
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import pandas as pd

from .errors import ResearchlibError

__all__ = ["fetch", "FetchError", "USER_AGENT", "MANIFEST_COLUMNS", "LOG_COLUMNS"]

try:
    from importlib.metadata import PackageNotFoundError, version as _version
    _VERSION = _version("researchlib")
except PackageNotFoundError:     # running from a source tree
    _VERSION = "dev"
USER_AGENT = (f"researchlib-fetch/{_VERSION} (news research: fetches each listed page once, "
              f"obeys robots.txt, waits between requests; Python urllib)")
ROBOTS_AGENT = "researchlib-fetch"
MANIFEST_COLUMNS = ["file", "url", "final_url", "status", "content_type", "charset", "fetched_at"]
LOG_COLUMNS = ["line", "url", "outcome", "status", "reason", "final_url", "file", "at"]
HTML_TYPES = ("text/html", "application/xhtml+xml")
TRANSIENT_STATUS = {408, 425, 429}
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(ResearchlibError):
    """The URL list or the output folder cannot be used."""


class _Failure(Exception):
    def __init__(self, reason, status="", transient=False, final_url=""):
        super().__init__(reason)
        self.reason, self.status, self.transient, self.final_url = reason, status, transient, final_url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None          # 3xx surfaces as HTTPError: redirects are followed by hand


def _ascii(url: str) -> str:
    """The URL as HTTP needs it: non-ASCII host in IDNA, path and query
    percent-encoded (characters already escaped are left alone)."""
    p = urlsplit(url)
    host = p.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = host + (f":{p.port}" if p.port else "")
    if p.username:
        netloc = f"{p.username}{':' + p.password if p.password else ''}@{netloc}"
    safe = "/:@!$&'()*+,;=%~-._"
    return urlunsplit((p.scheme, netloc, quote(p.path, safe=safe), quote(p.query, safe=safe + "?"), ""))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- #
# one HTTP exchange                                                            #
# --------------------------------------------------------------------------- #

class _Client:
    """Requests with a per-host delay, robots.txt, and manual redirects."""

    def __init__(self, *, delay, timeout, user_agent, max_bytes, max_redirects, sleep=time.sleep,
                 clock=time.monotonic):
        self.delay, self.timeout, self.ua = float(delay), float(timeout), user_agent
        self.max_bytes, self.max_redirects = int(max_bytes), int(max_redirects)
        self.sleep, self.clock = sleep, clock
        self.last: dict = {}           # host -> time of the last request
        self.robots: dict = {}         # host -> (RobotFileParser | None, failure reason | None)
        self.opener = urllib.request.build_opener(_NoRedirect)

    @staticmethod
    def _host(url):
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc.lower()}"

    def _wait(self, host):
        rp = self.robots.get(host, (None, None))[0]
        crawl = rp.crawl_delay(ROBOTS_AGENT) if rp is not None else None
        gap = max(self.delay, float(crawl or 0))
        if host in self.last:
            left = self.last[host] + gap - self.clock()
            if left > 0:
                self.sleep(left)
        self.last[host] = self.clock()

    def _get(self, url):
        """(status, reason, headers, body) of one request; raises _Failure on
        network errors and time-outs. 3xx/4xx/5xx are returned, not raised."""
        host = self._host(url)
        self._wait(host)
        req = urllib.request.Request(url, headers={"User-Agent": self.ua, "Accept": "text/html,*/*;q=0.5",
                                                   "Accept-Encoding": "gzip, identity"})
        start = self.clock()
        try:
            resp = self.opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            e.close()
            return e.code, e.reason, e.headers, b""
        except (socket.timeout, TimeoutError):
            raise _Failure(f"no answer within {self.timeout:g} s (timeout)", transient=True) from None
        except urllib.error.URLError as e:
            why = e.reason
            if isinstance(why, (socket.timeout, TimeoutError)):
                raise _Failure(f"no answer within {self.timeout:g} s (timeout)", transient=True) from None
            raise _Failure(f"network error: {why}", transient=True) from None
        except (OSError, ValueError) as e:
            raise _Failure(f"network error: {e}", transient=True) from None
        with resp:
            chunks, size = [], 0
            try:
                while True:
                    chunk = resp.read(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _Failure(f"larger than {self.max_bytes:,} bytes", status=str(resp.status))
                    if self.clock() - start > 4 * self.timeout:
                        raise _Failure(f"body not received within {4 * self.timeout:g} s (timeout)",
                                       status=str(resp.status), transient=True)
                    chunks.append(chunk)
            except (socket.timeout, TimeoutError):
                raise _Failure(f"body not received within {self.timeout:g} s (timeout)",
                               status=str(resp.status), transient=True) from None
            except OSError as e:
                raise _Failure(f"network error while reading: {e}", status=str(resp.status), transient=True) from None
            body = b"".join(chunks)
            enc = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
            try:
                if enc in ("gzip", "x-gzip"):
                    body = gzip.decompress(body)
                elif enc == "deflate":
                    body = zlib.decompress(body)
                elif enc != "identity":
                    raise _Failure(f"unsupported content encoding {enc!r}", status=str(resp.status))
            except (OSError, EOFError, zlib.error):
                raise _Failure(f"body is not valid {enc}", status=str(resp.status)) from None
            return resp.status, resp.reason, resp.headers, body

    def allowed(self, url):
        """None when robots.txt allows ``url``; else the _Failure."""
        host = self._host(url)
        if host not in self.robots:
            self.robots[host] = self._read_robots(host)
        rp, problem = self.robots[host]
        if problem:
            return _Failure(problem, transient=True)
        if not rp.can_fetch(ROBOTS_AGENT, url):
            return _Failure(f"forbidden by {host}/robots.txt")
        return None

    def _read_robots(self, host):
        url = f"{host}/robots.txt"
        for _ in range(self.max_redirects + 1):
            try:
                status, reason, headers, body = self._get(url)
            except _Failure as f:
                return None, f"robots.txt unreachable ({f.reason}): host skipped this run"
            if status in REDIRECTS and headers.get("Location"):
                url = urljoin(url, headers["Location"])
                if urlsplit(url).scheme not in ("http", "https"):
                    break
                continue
            rp = urllib.robotparser.RobotFileParser(url)
            if 200 <= status < 300:
                rp.parse(body.decode("utf-8", errors="replace").splitlines())
            elif 400 <= status < 500:
                rp.allow_all = True           # RFC 9309 2.3.1.3: unavailable -> no restriction
            else:
                return None, f"robots.txt unreachable (HTTP {status} {reason}): host skipped this run"
            return rp, None
        rp = urllib.robotparser.RobotFileParser(url)
        rp.allow_all = True                   # too many redirects: treated as unavailable (RFC 9309)
        return rp, None

    def page(self, url):
        """(final_url, status, headers, body) of an HTML page, following
        redirects; raises _Failure."""
        seen = set()
        for _ in range(self.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise _Failure(f"redirected to a non-http address {url!r}", final_url=url)
            try:
                url = _ascii(url)
            except ValueError as e:                      # e.g. a port that is not a number
                raise _Failure(f"not a valid URL ({e})", final_url=url) from None
            refusal = self.allowed(url)
            if refusal:
                refusal.final_url = url
                raise refusal
            seen.add(url)
            status, reason, headers, body = self._get(url)
            if status in REDIRECTS and headers.get("Location"):
                nxt = urljoin(url, headers["Location"].strip())
                if nxt in seen:
                    raise _Failure(f"redirect loop at {nxt}", status=str(status), final_url=nxt)
                url = nxt
                continue
            if status != 200:
                transient = status in TRANSIENT_STATUS or status >= 500
                raise _Failure(f"HTTP {status} {reason}".strip(), status=str(status), transient=transient,
                               final_url=url)
            ctype = (headers.get("Content-Type") or "").strip()
            kind = ctype.split(";")[0].strip().lower()
            looks_html = body[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))
            if kind not in HTML_TYPES and not (not kind and looks_html):
                raise _Failure(f"not HTML (content type {ctype or 'missing'})", status=str(status), final_url=url)
            return url, status, headers, body
        raise _Failure(f"more than {self.max_redirects} redirects", final_url=url)


# --------------------------------------------------------------------------- #
# the folder                                                                   #
# --------------------------------------------------------------------------- #

def _read_urls(path: Path, url_column: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace")
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise FetchError(f"{path}: cannot read as CSV: {e}") from None
    if url_column not in table.columns:
        raise FetchError(f"{path}: no column {url_column!r}; columns are {list(table.columns)}; "
                         f"name the one holding the addresses with --url-column")
    return table


def _own_csv(path: Path, first: list, what: str):
    """Header of a CSV this command wrote, or None if absent; FetchError if
    the file is someone else's."""
    if path.is_symlink():
        raise FetchError(f"{path} is a symbolic link; not writing through it")
    if not path.exists():
        return None
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        header = next(csv.reader(fh), [])
    if header[:len(first)] != first:
        raise FetchError(f"{path} exists and was not written by researchlib fetch ({what} columns "
                         f"{first} expected); choose another --out")
    return header


def _append(path: Path, header: list, row: dict):
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerow(row)


def fetch(urls_csv, out, *, url_column="url", delay=1.0, timeout=30.0, user_agent=USER_AGENT,
          max_bytes=10_000_000, max_redirects=5, retry_failed=False, progress=None) -> pd.DataFrame:
    """Download the pages listed in ``urls_csv`` into ``out`` (see the module
    doc). Returns one row per input line: ``line, url, outcome`` (saved,
    failed, or skipped: done by an earlier run), ``status, reason, file``.

    Example: ``fetch("urls.csv", "pages", delay=2)`` then
    ``load_corpus("pages", "pages/manifest.csv")``.
    """
    if delay < 0 or timeout <= 0:
        raise FetchError("delay must be >= 0 and timeout > 0 seconds")
    urls_csv, out = Path(urls_csv), Path(out)
    table = _read_urls(urls_csv, url_column)
    if out.exists() and not out.is_dir():
        raise FetchError(f"{out} exists and is not a folder")
    pages = out / "pages"
    if pages.is_symlink() or (pages.exists() and not pages.is_dir()):
        raise FetchError(f"{pages} is not a folder made by researchlib fetch")
    manifest, log = out / "manifest.csv", out / "fetch_log.csv"
    others = [c for c in table.columns if c != url_column]
    rename = {c: f"{c}_csv" for c in others if c in MANIFEST_COLUMNS}
    header = MANIFEST_COLUMNS + [rename.get(c, c) for c in others]
    old_header = _own_csv(manifest, MANIFEST_COLUMNS, "manifest")
    _own_csv(log, LOG_COLUMNS, "log")
    out.mkdir(parents=True, exist_ok=True)
    pages.mkdir(exist_ok=True)

    saved, finished = {}, {}
    if old_header is not None:
        old = pd.read_csv(manifest, dtype=str, keep_default_na=False)
        saved = dict(zip(old["url"], old["file"]))
        if old_header != header:           # new input columns: rewrite our manifest once, columns merged
            header = old_header + [c for c in header if c not in old_header]
            tmp = manifest.with_name(".manifest.csv.tmp")
            old.reindex(columns=header, fill_value="").to_csv(tmp, index=False)
            os.replace(tmp, manifest)
    if log.exists():
        for r in pd.read_csv(log, dtype=str, keep_default_na=False).to_dict("records"):
            finished[r["url"]] = r        # the last attempt of each URL
    client = _Client(delay=delay, timeout=timeout, user_agent=user_agent, max_bytes=max_bytes,
                     max_redirects=max_redirects)
    results, first_line = [], {}
    for i, row in enumerate(table.to_dict("records")):
        line, url = i + 2, row[url_column].strip()
        res = {"line": line, "url": url, "outcome": "", "status": "", "reason": "", "file": ""}
        results.append(res)
        if url in first_line:          # the same address twice: fetched (or not) once
            res.update(outcome="skipped", reason=f"duplicate of line {first_line[url]}", file=saved.get(url, ""))
            continue
        first_line[url] = line
        if url in saved:
            res.update(outcome="skipped", reason="saved by an earlier run", file=saved[url])
            continue
        last = finished.get(url)
        if last is not None and last["outcome"] == "failed" and not retry_failed \
                and not last["reason"].endswith("(will retry)"):
            res.update(outcome="skipped", status=last["status"], reason=f"failed earlier: {last['reason']}")
            continue
        attempt = {"line": line, "url": url, "at": _now(), "final_url": "", "file": ""}
        p = urlsplit(url)
        try:
            if p.scheme not in ("http", "https") or not p.netloc:
                raise _Failure("not an http(s) URL")
            final, status, headers, body = client.page(url)
            name = f"pages/{hashlib.sha1(url.encode()).hexdigest()[:16]}.html"
            try:
                with open(out / name, "xb") as fh:       # never overwrite
                    fh.write(body)
            except FileExistsError:
                raise _Failure(f"{name} exists but is not in the manifest (not written by an earlier "
                               f"fetch run?): left as it is; remove it to fetch this URL", final_url=final) from None
            ctype = headers.get("Content-Type") or ""
            charset = headers.get_content_charset() or ""
            mrow = {"file": name, "url": url, "final_url": final, "status": str(status), "content_type": ctype,
                    "charset": charset, "fetched_at": attempt["at"],
                    **{rename.get(c, c): row[c] for c in others}}
            _append(manifest, header, mrow)
            saved[url] = name
            attempt.update(outcome="saved", status=str(status), reason="", final_url=final, file=name)
        except _Failure as f:
            reason = f.reason + (" (will retry)" if f.transient else "")
            attempt.update(outcome="failed", status=f.status, reason=reason, final_url=f.final_url)
        _append(log, LOG_COLUMNS, attempt)
        res.update({k: attempt[k] for k in ("outcome", "status", "reason", "file")})
        if progress:
            progress(res)
    return pd.DataFrame(results, columns=["line", "url", "outcome", "status", "reason", "file"])
