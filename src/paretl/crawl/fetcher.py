"""Crawling one source: listing pages and their pagination, then the articles they link to.

Polite and bounded: robots.txt is obeyed (Protego, the parser Scrapy uses: wildcards, Allow/Disallow precedence,
Crawl-delay), every host gets at most `per_host_concurrency` requests at once and `min_delay_s` between starts,
every attempt has the HTTP client's own timeouts plus an overall deadline, and transient failures (timeouts, connection
errors, 5xx, 429) are retried a bounded number of times with exponential backoff (tenacity). Pages seen before are
asked for conditionally (If-None-Match / If-Modified-Since). Every attempt, good or bad, becomes a FetchRecord
with its outcome class; nothing here raises for a bad page or a dead site.

The HTTP client is aiohttp, one session per host: its C parser costs about a quarter of httpx's CPU per page
(measured on the benchmark's local web: 0.22 ms against 0.9 ms), which is what lets one core crawl faster than
scrapy. Several sources run in one event loop (crawl_groups): threads would only take turns at the interpreter.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from protego import Protego
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from paretl.crawl.links import discover
from paretl.sources import CrawlSettings, Source

log = logging.getLogger("paretl.crawl")

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
MAX_REDIRECTS = 5


@dataclass
class Known:
    """What the warehouse holds of a URL already: validators for a conditional request, and for listing pages the
    body, which a 304 leaves us to read links from (zlib-packed when loaded from the warehouse: a big archive has
    thousands of listing pages, and packed they cost a tenth of the memory). `checked_at` is when the URL last
    answered 200 or 304, for the revisit policy."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    body: bytes | None = None
    charset: str | None = None
    packed_body: bytes | None = None
    checked_at: dt.datetime | None = None

    def listing_body(self) -> bytes | None:
        if self.body is not None:
            return self.body
        return zlib.decompress(self.packed_body) if self.packed_body is not None else None


@dataclass
class FetchRecord:
    run_id: str
    source_id: str
    url: str
    role: str
    attempt: int
    started_at: dt.datetime
    elapsed_ms: float
    status: int | None
    outcome: str
    error: str | None = None
    final_url: str | None = None
    bytes: int | None = None


@dataclass
class PageRecord:
    url: str
    final_url: str
    source_id: str
    role: str
    fetched_at: dt.datetime
    status: int
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    sha256: str
    body: bytes


@dataclass
class CrawlResult:
    """A source's crawl. Without a sink the pages and the log are kept here (tests, small crawls); with one they
    are handed to it as they come (the job: bounded batches to staging), and only the counts are kept."""

    source_id: str
    pages: list[PageRecord] = field(default_factory=list)
    log: list[FetchRecord] = field(default_factory=list)
    sink: object | None = None
    counts: dict[str, int] = field(default_factory=dict)
    n_pages: int = 0
    n_skipped: int = 0  # known articles not asked for again (revisit policy)

    def add_page(self, page: PageRecord, new: bool = True) -> None:
        """new: a version not held before (not the same bytes as the known one)."""
        self.n_pages += 1
        if self.sink is not None:
            self.sink.add_page(page, new)
        else:
            self.pages.append(page)

    def add_log(self, rec: FetchRecord) -> None:
        self.counts[rec.outcome] = self.counts.get(rec.outcome, 0) + 1
        if self.sink is not None:
            self.sink.add_log(rec)
        else:
            self.log.append(rec)

    def outcomes(self) -> dict[str, int]:
        return dict(self.counts)


class _Transient(Exception):
    """A failure worth another try: a timeout, a refused connection, a 5xx or a 429."""


class _NotModified:
    pass


NOT_MODIFIED = _NotModified()


class _HostGate:
    def __init__(self, concurrency: int, min_delay: float):
        self.sem = asyncio.Semaphore(concurrency)
        self.min_delay = min_delay
        self.lock = asyncio.Lock()
        self.last_start = 0.0

    async def __aenter__(self):
        await self.sem.acquire()
        if self.min_delay <= 0:
            return self
        async with self.lock:
            wait = self.last_start + self.min_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.last_start = time.monotonic()

    async def __aexit__(self, *exc):
        self.sem.release()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def sniff_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset a page declares: the Content-Type header first, then a <meta> near the top."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type, re.IGNORECASE)
        if m:
            return m.group(1).lower()
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def decode_body(body: bytes, declared: str | None) -> tuple[str, str]:
    """(text, charset used). Raises UnicodeDecodeError/LookupError when the page cannot be read as text."""
    if b"\x00" in body[:8192] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeDecodeError("binary", body[:1], 0, 1, "NUL bytes: binary content, not text")
    if declared:
        try:
            return body.decode(declared), declared
        except LookupError:
            pass  # an unknown charset name: fall through to detection
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is None or best.encoding is None:
            raise
        return str(best), best.encoding


class SourceCrawler:
    def __init__(self, source: Source, settings: CrawlSettings, known: dict[str, Known], run_id: str,
                 progress=None, sink=None):
        self.source = source
        self.s = settings
        self.known = known
        self.run_id = run_id
        self.result = CrawlResult(source.id, sink=sink)
        self.revisit_before = (_now() - dt.timedelta(days=settings.revisit_after_days)
                               if settings.revisit_after_days > 0 else None)
        self.progress = progress or (lambda msg: None)
        self.clients: dict[str, aiohttp.ClientSession] = {}
        self.gates: dict[str, _HostGate] = {}
        self.robots: dict[str, Protego | None | str] = {}
        self.robots_locks: dict[str, asyncio.Lock] = {}

    # -- plumbing -------------------------------------------------------------------------------------------
    def _origin(self, url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}"

    def _client(self, origin: str) -> aiohttp.ClientSession:
        # One session per host: a shared pool is CPU-bound at a few hundred pages/s, a session per host is not.
        # Timeouts: connecting (including the wait for a free connection) and each read, as httpx's were.
        if origin not in self.clients:
            self.clients[origin] = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=None, connect=self.s.timeout_s, sock_read=self.s.timeout_s),
                headers={"User-Agent": self.s.user_agent, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                         "Accept-Language": "vi,en;q=0.5"},
                connector=aiohttp.TCPConnector(limit=self.s.per_host_concurrency, limit_per_host=0),
            )
        return self.clients[origin]

    def _gate(self, origin: str) -> _HostGate:
        if origin not in self.gates:
            self.gates[origin] = _HostGate(self.s.per_host_concurrency, self.s.min_delay_s)
        return self.gates[origin]

    def _record(self, url, role, attempt, started, t0, status, outcome, error=None, final_url=None, nbytes=None):
        self.result.add_log(FetchRecord(self.run_id, self.source.id, url, role, attempt, started,
                                        round((time.monotonic() - t0) * 1000, 1), status, outcome,
                                        error, final_url, nbytes))

    async def close(self) -> None:
        for c in self.clients.values():
            await c.close()

    # -- robots.txt -----------------------------------------------------------------------------------------
    async def _robots_for(self, origin: str) -> Protego | None | str:
        """Parsed rules; None when the site has no robots.txt (all allowed); 'unavailable' when it could not be
        read (RFC 9309: treat as disallowed, so a broken site is not hammered)."""
        if origin in self.robots:  # the common case, without taking the lock
            return self.robots[origin]
        lock = self.robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin in self.robots:
                return self.robots[origin]
            url = origin + "/robots.txt"
            rules: Protego | None | str = "unavailable"
            for attempt in range(1, self.s.max_retries + 2):
                started, t0 = _now(), time.monotonic()
                try:
                    async with self._gate(origin):
                        async with asyncio.timeout(self.s.timeout_s * 1.5):
                            async with self._client(origin).get(url, allow_redirects=True) as resp:
                                status, content = resp.status, await resp.read()
                                charset = resp.charset
                    if status == 200:
                        rules = Protego.parse(content.decode(charset or "utf-8", errors="replace"))
                        self._record(url, "robots", attempt, started, t0, 200, "ok", nbytes=len(content))
                    elif 400 <= status < 500:
                        rules = None
                        self._record(url, "robots", attempt, started, t0, status, "http_4xx")
                    else:
                        self._record(url, "robots", attempt, started, t0, status, "http_5xx")
                        await asyncio.sleep(self.s.backoff_s * attempt)
                        continue
                    break
                except asyncio.TimeoutError as exc:
                    self._record(url, "robots", attempt, started, t0, None, "timeout", type(exc).__name__)
                except (aiohttp.ClientError, LookupError, ValueError) as exc:
                    self._record(url, "robots", attempt, started, t0, None, "connect_error", str(exc) or type(exc).__name__)
                await asyncio.sleep(self.s.backoff_s * attempt)
            if isinstance(rules, Protego):
                delay = rules.crawl_delay(self.s.user_agent)
                if delay:
                    gate = self._gate(origin)
                    gate.min_delay = max(gate.min_delay, min(float(delay), 60.0))
            self.robots[origin] = rules
            return rules

    async def _allowed(self, url: str) -> str | None:
        """None when robots.txt allows the URL, else the outcome class that says why not."""
        rules = await self._robots_for(self._origin(url))
        if rules is None:
            return None
        if rules == "unavailable":
            return "robots_unavailable"
        return None if rules.can_fetch(url, self.s.user_agent) else "robots_disallowed"

    # -- one URL ----------------------------------------------------------------------------------------------
    async def fetch(self, url: str, role: str) -> PageRecord | _NotModified | None:
        attempt_no = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.s.max_retries + 1),
                wait=wait_exponential_jitter(multiplier=self.s.backoff_s, max=30, jitter=self.s.backoff_s),
                retry=retry_if_exception_type(_Transient), reraise=True,
            ):
                with attempt:
                    attempt_no += 1
                    return await self._attempt(url, role, attempt_no)
        except _Transient:
            return None  # already logged, attempt by attempt
        return None

    async def _attempt(self, url: str, role: str, attempt: int):
        started, t0 = _now(), time.monotonic()
        known = self.known.get(url)
        headers = {}
        if known and role == "listing" and known.body is None and known.packed_body is None:
            known = None  # no stored body to read links from after a 304: ask for the page whole
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        current = url
        try:
            async with asyncio.timeout(self.s.timeout_s * 2):
                for _hop in range(MAX_REDIRECTS + 1):
                    refused = await self._allowed(current)
                    if refused:
                        self._record(url, role, attempt, started, t0, None, refused, final_url=current)
                        return None
                    origin = self._origin(current)
                    async with self._gate(origin):
                        async with self._client(origin).get(current, headers=headers, allow_redirects=False) as resp:
                            status = resp.status
                            if status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                                nxt = urljoin(current, resp.headers["location"])
                                if not self.source.allows(nxt):
                                    self._record(url, role, attempt, started, t0, status, "offsite_redirect",
                                                 f"redirected to {nxt}", final_url=nxt)
                                    return None
                                current = nxt
                                continue
                            if status == 304:
                                self._record(url, role, attempt, started, t0, status, "not_modified", final_url=current)
                                return NOT_MODIFIED
                            if status == 429 or status >= 500:
                                self._record(url, role, attempt, started, t0, status, "http_5xx" if status >= 500
                                             else "http_429", final_url=current)
                                raise _Transient(status)
                            if status >= 400 or status < 200 or status >= 300:
                                self._record(url, role, attempt, started, t0, status, "http_4xx" if status >= 400
                                             else "http_other", final_url=current)
                                return None
                            return await self._read(url, role, attempt, started, t0, current, resp)
                self._record(url, role, attempt, started, t0, None, "too_many_redirects", final_url=current)
                return None
        except asyncio.TimeoutError as exc:
            self._record(url, role, attempt, started, t0, None, "timeout", type(exc).__name__, final_url=current)
            raise _Transient("timeout") from None
        except (aiohttp.InvalidURL, ValueError) as exc:
            self._record(url, role, attempt, started, t0, None, "invalid_url", str(exc))
            return None
        except aiohttp.ClientError as exc:
            self._record(url, role, attempt, started, t0, None, "connect_error", str(exc) or type(exc).__name__,
                         final_url=current)
            raise _Transient("transport") from None

    async def _read(self, url, role, attempt, started, t0, current, resp: aiohttp.ClientResponse):
        ctype = resp.headers.get("content-type", "")
        mime = ctype.split(";")[0].strip().lower()
        if mime not in _HTML_TYPES:
            self._record(url, role, attempt, started, t0, resp.status, "bad_content_type",
                         f"content type {mime or 'missing'}", final_url=current)
            return None
        length = resp.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.s.max_body_bytes:
            self._record(url, role, attempt, started, t0, resp.status, "too_large",
                         f"Content-Length {length} > {self.s.max_body_bytes}", final_url=current)
            return None
        buf = bytearray()
        async for chunk in resp.content.iter_any():  # content-encoding undone: the page as the server meant it
            buf.extend(chunk)
            if len(buf) > self.s.max_body_bytes:
                self._record(url, role, attempt, started, t0, resp.status, "too_large",
                             f"body over {self.s.max_body_bytes} bytes", final_url=current, nbytes=len(buf))
                return None
        body = bytes(buf)
        declared = sniff_charset(ctype, body)
        try:
            _, charset = decode_body(body, declared)
        except (UnicodeDecodeError, LookupError) as exc:
            self._record(url, role, attempt, started, t0, resp.status, "decode_error", str(exc)[:200],
                         final_url=current, nbytes=len(body))
            return None
        self._record(url, role, attempt, started, t0, resp.status, "ok", final_url=current, nbytes=len(body))
        return PageRecord(url=url, final_url=current, source_id=self.source.id, role=role, fetched_at=started,
                          status=resp.status, content_type=ctype or None, charset=charset,
                          etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                          sha256=hashlib.sha256(body).hexdigest(), body=body)

    def _fresh(self, url: str) -> bool:
        """A known article that answered within revisit_after_days (0, the default: every run asks again)."""
        if self.revisit_before is None:
            return False
        k = self.known.get(url)
        return k is not None and k.checked_at is not None and k.checked_at >= self.revisit_before

    # -- the whole source -------------------------------------------------------------------------------------
    async def run(self) -> CrawlResult:
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        seen: set[str] = set()
        n_listings = n_articles = 0

        def enqueue(url: str, role: str) -> None:
            nonlocal n_listings, n_articles
            if url in seen:
                return
            if role == "listing":
                if n_listings >= self.source.max_listing_pages:
                    return
                n_listings += 1
            else:
                if n_articles >= self.source.max_articles:
                    return
                n_articles += 1
            seen.add(url)
            queue.put_nowait((url, role))

        for u in self.source.start_urls:
            enqueue(u, "listing")

        async def worker() -> None:
            while True:
                url, role = await queue.get()
                try:
                    if role == "article" and self._fresh(url):
                        self.result.n_skipped += 1  # held, and checked recently enough: not asked for again
                        continue
                    page = await self.fetch(url, role)
                    body, charset = None, None
                    if isinstance(page, PageRecord):
                        held = self.known.get(url)
                        self.result.add_page(page, new=held is None or held.sha256 != page.sha256)
                        body, charset = page.body, page.charset
                        if self.result.n_pages % 500 == 0:
                            self.progress(f"{self.source.id}: {self.result.n_pages} pages fetched")
                    elif page is NOT_MODIFIED and url in self.known:
                        body, charset = self.known[url].listing_body(), self.known[url].charset
                    if role == "listing" and body is not None:
                        try:
                            text, _ = decode_body(body, charset)
                            articles, listings = discover(text, url, self.source)
                        except Exception as exc:  # a listing we cannot read is logged, the crawl goes on
                            self._record(url, role, 0, _now(), time.monotonic(), None, "parse_error", str(exc)[:200])
                            articles, listings = [], []
                        for a in articles:
                            enqueue(a, "article")
                        for nxt in listings:
                            enqueue(nxt, "listing")
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker()) for _ in range(max(2, self.s.per_host_concurrency * 2))]
        try:
            await queue.join()
        finally:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await self.close()
        return self.result


def crawl_source(source: Source, settings: CrawlSettings, known: dict[str, Known], run_id: str,
                 progress=None, sink=None) -> CrawlResult:
    """Crawl one source to completion in its own event loop (safe to call from a worker thread). With a sink,
    pages and log records go to it as they come instead of piling up in the result."""
    return asyncio.run(SourceCrawler(source, settings, known, run_id, progress, sink).run())


def crawl_groups(groups: list[list[tuple[Source, dict[str, Known], object]]], settings: CrawlSettings, run_id: str,
                 progress=None) -> list[CrawlResult]:
    """Crawl several host groups in one event loop: the groups run at the same time, the sources of a group one
    after the other (they share a host's limits). Each item is (source, known pages, sink or None).
    One loop in one thread is cheaper than a thread per group: threads only take turns at the interpreter."""

    async def group_run(group):
        out = []
        for source, known, sink in group:
            out.append(await SourceCrawler(source, settings, known, run_id, progress, sink).run())
        return out

    async def main():
        return await asyncio.gather(*[group_run(g) for g in groups])

    return [r for rs in asyncio.run(main()) for r in rs]
