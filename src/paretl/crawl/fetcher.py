"""Crawling one source: listing pages and their pagination, then the articles they link to.

Polite and bounded: robots.txt is obeyed (Protego, the parser Scrapy uses: wildcards, Allow/Disallow precedence,
Crawl-delay), every host gets at most `per_host_concurrency` requests at once and `min_delay_s` between starts,
every attempt has the HTTP client's own timeouts plus an overall deadline, and transient failures (timeouts, connection
errors, 5xx, 429) are retried a bounded number of times with exponential backoff (tenacity). Pages seen before are
asked for conditionally (If-None-Match / If-Modified-Since). Every attempt, good or bad, becomes a FetchRecord
with its outcome class; nothing here raises for a bad page or a dead site.

Ways in (discovery.py): listing and section pages with their pagination, RSS/Atom feeds, sitemaps (indexes,
news sitemaps, lastmod; those robots.txt names too) and a site search. Before an article link is fetched the
relevance gate may judge it (relevance.py); a backfill walks an archive back to a year, an incremental run stops
paging where the links are all known. Budgets (pages, bytes, seconds) hold per source and per run. A host that
keeps failing is backed off, then skipped for the rest of the run with one record saying so (HostHealth). TLS is
always verified; a source may add a CA bundle of its own for a site whose chain is incomplete.

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
import ssl
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

from paretl.crawl import discovery, relevance
from paretl.crawl.links import discover_links, looks_like_article
from paretl.extract.article import url_date
from paretl.sources import CrawlSettings, Source

log = logging.getLogger("paretl.crawl")

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_XML_TYPES = _HTML_TYPES + discovery.XML_TYPES
DISCOVERY_ROLES = ("listing", "search", "feed", "sitemap")  # pages read for their links, kept for 304s
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
MAX_REDIRECTS = 5


@dataclass(slots=True)
class Known:
    """What the warehouse holds of a URL already: validators for a conditional request, and for listing pages the
    body, which a 304 leaves us to read links from (zlib-packed when loaded from the warehouse: a big archive has
    thousands of listing pages, and packed they cost a tenth of the memory). `checked_at` is when the URL last
    answered 200 or 304, for the revisit policy. Slots: a run holds one per known URL (~90 bytes each, against
    ~350 with an instance dict)."""

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


class KnownPages(dict):
    """What the warehouse holds of a source (url -> Known, as a plain dict), and what discovery needs besides:
    every link it judged before (`links`: fetched or turned away), and when it last crawled the source."""

    def __init__(self, *args, links: set[str] | None = None, last_crawl: dt.datetime | None = None, **kw):
        super().__init__(*args, **kw)
        self.links = links or set()
        self.last_crawl = last_crawl


@dataclass
class LinkRecord:
    """A link discovery judged: fetched (kept, irrelevant_text, gone, ...) or turned away (irrelevant, unknown,
    too_old). Known links are how an incremental run knows where to stop paging."""

    run_id: str
    source_id: str
    url: str
    via: str
    text: str | None
    published: dt.date | None
    decision: str
    found_at: dt.datetime


@dataclass
class CrawlResult:
    """A source's crawl. Without a sink the pages and the log are kept here (tests, small crawls); with one they
    are handed to it as they come (the job: bounded batches to staging), and only the counts are kept."""

    source_id: str
    pages: list[PageRecord] = field(default_factory=list)
    log: list[FetchRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    sink: object | None = None
    counts: dict[str, int] = field(default_factory=dict)
    n_pages: int = 0
    n_skipped: int = 0  # known articles not asked for again (revisit policy)
    # discovery: mode, links by verdict, sampled and what the sample found, pages judged irrelevant, paging stops
    discovery: dict = field(default_factory=dict)
    budget: dict = field(default_factory=dict)  # requests, bytes, seconds spent; what stopped the crawl, if any

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

    def add_link(self, rec: LinkRecord) -> None:
        if self.sink is not None and hasattr(self.sink, "add_link"):
            self.sink.add_link(rec)
        else:
            self.links.append(rec)

    def outcomes(self) -> dict[str, int]:
        return dict(self.counts)


class HostHealth:
    """Failures per host across a run (shared by every source that uses the host). After `host_fail_limit`
    failures in a row (connect errors, timeouts, 5xx, TLS errors) the host is left alone for `host_backoff_s`, then
    one request probes it; each failed probe doubles the pause, and after `host_max_backoffs` pauses the host is
    skipped for the rest of the run. Any answer below 500 resets it."""

    def __init__(self, settings: CrawlSettings):
        self.s = settings
        self.fails: dict[str, int] = {}
        self.pauses: dict[str, int] = {}
        self.until: dict[str, float] = {}
        self.skipped: dict[str, str] = {}  # host -> why
        self.last_error: dict[str, str] = {}

    async def wait(self, origin: str) -> bool:
        """Wait out a pause; False when the host is skipped."""
        while origin not in self.skipped:
            left = self.until.get(origin, 0.0) - time.monotonic()
            if left <= 0:
                return True
            await asyncio.sleep(min(left, 1.0))
        return False

    def ok(self, origin: str) -> None:
        self.fails[origin] = 0
        self.pauses.pop(origin, None)

    def failed(self, origin: str, why: str, pause: bool = True) -> bool:
        """Count a failure; True when it made the host skipped. pause=False: a failure that no waiting can mend
        (robots.txt that could not be read, already retried) skips the host at the limit without pausing."""
        if origin in self.skipped:
            return False
        self.last_error[origin] = why
        self.fails[origin] = n = self.fails.get(origin, 0) + 1
        if n < self.s.host_fail_limit:
            return False
        k = self.pauses.get(origin, 0) + 1
        if k > self.s.host_max_backoffs or not pause:
            self.skipped[origin] = (f"{self.s.host_fail_limit} failures in a row, then {k - 1} pause(s) and "
                                    f"probe(s) that failed too; last: {why}")
            return True
        self.pauses[origin] = k
        self.until[origin] = time.monotonic() + self.s.host_backoff_s * 2 ** (k - 1)
        self.fails[origin] = self.s.host_fail_limit - 1  # after a pause, one more failure decides
        return False


class Budget:
    """Requests, bytes and seconds a crawl may spend (0: no limit). `label` names it in the report."""

    def __init__(self, label: str, pages: int = 0, nbytes: int = 0, seconds: float = 0.0):
        self.label, self.max_pages, self.max_bytes, self.max_seconds = label, pages, nbytes, seconds
        self.pages = self.bytes = 0
        self.t0 = time.monotonic()

    def spend(self, pages: int = 0, nbytes: int = 0) -> None:
        self.pages += pages
        self.bytes += nbytes

    def exhausted(self) -> str | None:
        if self.max_pages and self.pages >= self.max_pages:
            return f"{self.label} pages ({self.max_pages})"
        if self.max_bytes and self.bytes >= self.max_bytes:
            return f"{self.label} bytes ({self.max_bytes})"
        if self.max_seconds and time.monotonic() - self.t0 >= self.max_seconds:
            return f"{self.label} seconds ({self.max_seconds:g})"
        return None

    def report(self) -> dict:
        return {"pages": self.pages, "bytes": self.bytes, "seconds": round(time.monotonic() - self.t0, 2)}


def run_budget(settings: CrawlSettings) -> Budget:
    return Budget("run", settings.max_run_pages, settings.max_run_bytes, settings.max_run_seconds)


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



class _Sentinel:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


HOST_SKIPPED = _Sentinel("HOST_SKIPPED")  # the host was given up on: nothing was asked
OVER_BUDGET = _Sentinel("OVER_BUDGET")    # a budget ran out: nothing was asked
IRRELEVANT = _Sentinel("IRRELEVANT")      # fetched, read, and not about the indices: counted, not kept
GONE = _Sentinel("GONE")                  # a 4xx or an unusable answer: not worth asking again soon


def _ssl_context(ca_bundle: str | None):
    """True (aiohttp's default: the system's CAs, hostname checked) or, with a bundle, a context that trusts the
    system's CAs and the bundle's. Verification is never turned off."""
    if not ca_bundle:
        return True
    ctx = ssl.create_default_context()
    ctx.load_verify_locations(cafile=ca_bundle)
    return ctx


class SourceCrawler:
    def __init__(self, source: Source, settings: CrawlSettings, known: dict[str, Known], run_id: str,
                 progress=None, sink=None, health: HostHealth | None = None, budget: Budget | None = None):
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
        self.health = health or HostHealth(settings)
        self.run_budget = budget
        self.budget = Budget("source", source.max_pages, source.max_bytes, source.max_seconds)
        self.stopped_by: str | None = None
        self.skipped_hosts: set[str] = set()
        self.ssl = _ssl_context(source.ca_bundle)
        self.gate_on = settings.relevance_gate if source.relevance_gate is None else source.relevance_gate
        self.known_links: set[str] = set(getattr(known, "links", ()) or ())
        self.last_crawl: dt.datetime | None = getattr(known, "last_crawl", None)
        mode = source.mode or settings.mode
        if mode == "auto":
            mode = "incremental" if (len(known) or self.known_links) else "backfill"
        self.mode = mode
        self.cutoff = dt.date(source.backfill_to_year or settings.backfill_to_year, 1, 1)
        self.sampled: set[str] = set()
        self.stats = {"mode": mode, "gate": self.gate_on, "links": 0, "known": 0, "relevant": 0, "irrelevant": 0,
                      "unknown": 0, "sampled": 0, "sampled_relevant": 0, "too_old": 0, "irrelevant_text": 0,
                      "kept": 0, "paging_stopped": 0, "left_unfetched": 0, "host_skipped_urls": 0}

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
                headers={"User-Agent": self.s.user_agent,
                         "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8",
                         "Accept-Language": "vi,en;q=0.5"},
                connector=aiohttp.TCPConnector(limit=self.s.per_host_concurrency, limit_per_host=0, ssl=self.ssl),
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

    def _link(self, url: str, via: str, decision: str, text: str | None = None,
              published: dt.date | None = None) -> None:
        self.result.add_link(LinkRecord(self.run_id, self.source.id, url, via, (text or "")[:300] or None,
                                        published, decision, _now()))

    def _failed(self, origin: str, why: str, pause: bool = True) -> bool:
        """Count a failure against the host; when it makes the host skipped, say so once (one record)."""
        if self.health.failed(origin, why, pause):
            self._host_skipped_record(origin)
            return True
        return False

    def _host_skipped_record(self, origin: str) -> None:
        if origin in self.skipped_hosts:
            return
        self.skipped_hosts.add(origin)
        why = self.health.skipped.get(origin, "")
        self._record(origin + "/", "host", 0, _now(), time.monotonic(), None, "host_skipped",
                     f"host skipped for the rest of the run: {why}")
        self.progress(f"{self.source.id}: {origin} skipped for the rest of the run ({why})")

    def _over_budget(self) -> str | None:
        why = self.budget.exhausted() or (self.run_budget.exhausted() if self.run_budget else None)
        if why and not self.stopped_by:
            self.stopped_by = why
            self.progress(f"{self.source.id}: budget reached: {why}")
        return why

    def _spend(self, pages: int = 0, nbytes: int = 0) -> None:
        self.budget.spend(pages, nbytes)
        if self.run_budget is not None:
            self.run_budget.spend(pages, nbytes)

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
                if not await self.health.wait(origin):
                    self._host_skipped_record(origin)
                    break
                started, t0 = _now(), time.monotonic()
                try:
                    async with self._gate(origin):
                        async with asyncio.timeout(self.s.timeout_s * 1.5):
                            async with self._client(origin).get(url, allow_redirects=True) as resp:
                                status, content = resp.status, await resp.read()
                                charset = resp.charset
                    if status < 500:
                        self.health.ok(origin)
                    if status == 200:
                        rules = Protego.parse(content.decode(charset or "utf-8", errors="replace"))
                        self._record(url, "robots", attempt, started, t0, 200, "ok", nbytes=len(content))
                    elif 400 <= status < 500:
                        rules = None
                        self._record(url, "robots", attempt, started, t0, status, "http_4xx")
                    else:
                        self._record(url, "robots", attempt, started, t0, status, "http_5xx")
                        if self._failed(origin, f"http_5xx {status} ({url})"):
                            break
                        await asyncio.sleep(self.s.backoff_s * attempt)
                        continue
                    break
                except asyncio.TimeoutError as exc:
                    self._record(url, "robots", attempt, started, t0, None, "timeout", type(exc).__name__)
                    if self._failed(origin, f"timeout ({url})"):
                        break
                except aiohttp.ClientSSLError as exc:
                    self._record(url, "robots", attempt, started, t0, None, "tls_error", str(exc)[:300])
                    self._failed(origin, f"tls_error ({url})")
                    break  # a certificate does not get better by asking again
                except (aiohttp.ClientError, LookupError, ValueError) as exc:
                    self._record(url, "robots", attempt, started, t0, None, "connect_error", str(exc) or type(exc).__name__)
                    if self._failed(origin, f"connect_error: {str(exc)[:120]} ({url})"):
                        break
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
    async def fetch(self, url: str, role: str):
        """A PageRecord, NOT_MODIFIED, or a sentinel / None for every way of getting nothing."""
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
        origin = self._origin(url)
        if origin in self.health.skipped or not await self.health.wait(origin):
            self._host_skipped_record(origin)
            self.stats["host_skipped_urls"] += 1
            return HOST_SKIPPED
        if self._over_budget():
            return OVER_BUDGET
        started, t0 = _now(), time.monotonic()
        known = self.known.get(url)
        headers = {}
        if known and role in DISCOVERY_ROLES and known.body is None and known.packed_body is None:
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
                        if self._origin(current) in self.health.skipped:
                            self.stats["host_skipped_urls"] += 1
                            return HOST_SKIPPED
                        self._record(url, role, attempt, started, t0, None, refused, final_url=current)
                        if refused == "robots_unavailable":
                            # the host could not even give its robots.txt: every URL of it would be refused in
                            # turn, so it counts against the host (without a pause: robots.txt was retried already)
                            self._failed(self._origin(current), f"robots.txt unreadable ({current})", pause=False)
                        return None
                    origin = self._origin(current)
                    self._spend(pages=1)
                    async with self._gate(origin):
                        async with self._client(origin).get(current, headers=headers, allow_redirects=False) as resp:
                            status = resp.status
                            if status < 500:
                                self.health.ok(origin)
                            if status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                                nxt = urljoin(current, resp.headers["location"])
                                if not self.source.allows(nxt):
                                    self._record(url, role, attempt, started, t0, status, "offsite_redirect",
                                                 f"redirected to {nxt}", final_url=nxt)
                                    return GONE
                                current = nxt
                                continue
                            if status == 304:
                                self._record(url, role, attempt, started, t0, status, "not_modified", final_url=current)
                                return NOT_MODIFIED
                            if status == 429 or status >= 500:
                                self._record(url, role, attempt, started, t0, status, "http_5xx" if status >= 500
                                             else "http_429", final_url=current)
                                if status >= 500 and self._failed(origin, f"http_5xx {status} ({current})"):
                                    return HOST_SKIPPED
                                raise _Transient(status)
                            if status >= 400 or status < 200 or status >= 300:
                                self._record(url, role, attempt, started, t0, status, "http_4xx" if status >= 400
                                             else "http_other", final_url=current)
                                return GONE
                            return await self._read(url, role, attempt, started, t0, current, resp)
                self._record(url, role, attempt, started, t0, None, "too_many_redirects", final_url=current)
                return GONE
        except asyncio.TimeoutError as exc:
            self._record(url, role, attempt, started, t0, None, "timeout", type(exc).__name__, final_url=current)
            if self._failed(self._origin(current), f"timeout ({current})"):
                return HOST_SKIPPED
            raise _Transient("timeout") from None
        except (aiohttp.InvalidURL, ValueError) as exc:
            self._record(url, role, attempt, started, t0, None, "invalid_url", str(exc))
            return GONE
        except aiohttp.ClientSSLError as exc:
            # a certificate that cannot be verified: not retried (it will not verify next second either), and
            # never let through; a site with an incomplete chain gets a ca_bundle in the registry
            self._record(url, role, attempt, started, t0, None, "tls_error", str(exc)[:300], final_url=current)
            self._failed(self._origin(current), f"tls_error ({current})")
            return None
        except aiohttp.ClientError as exc:
            self._record(url, role, attempt, started, t0, None, "connect_error", str(exc) or type(exc).__name__,
                         final_url=current)
            if self._failed(self._origin(current), f"connect_error: {str(exc)[:120]} ({current})"):
                return HOST_SKIPPED
            raise _Transient("transport") from None

    async def _read(self, url, role, attempt, started, t0, current, resp: aiohttp.ClientResponse):
        ctype = resp.headers.get("content-type", "")
        mime = ctype.split(";")[0].strip().lower()
        if mime not in (_XML_TYPES if role in ("feed", "sitemap") else _HTML_TYPES):
            self._record(url, role, attempt, started, t0, resp.status, "bad_content_type",
                         f"content type {mime or 'missing'}", final_url=current)
            return GONE
        length = resp.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.s.max_body_bytes:
            self._record(url, role, attempt, started, t0, resp.status, "too_large",
                         f"Content-Length {length} > {self.s.max_body_bytes}", final_url=current)
            return GONE
        buf = bytearray()
        async for chunk in resp.content.iter_any():  # content-encoding undone: the page as the server meant it
            buf.extend(chunk)
            if len(buf) > self.s.max_body_bytes:
                self._spend(nbytes=len(buf))
                self._record(url, role, attempt, started, t0, resp.status, "too_large",
                             f"body over {self.s.max_body_bytes} bytes", final_url=current, nbytes=len(buf))
                return GONE
        body = bytes(buf)
        self._spend(nbytes=len(body))
        declared = sniff_charset(ctype, body)
        if role in ("feed", "sitemap"):
            charset = declared or "utf-8"  # XML: the parser reads the document's own declaration
        else:
            try:
                _, charset = decode_body(body, declared)
            except (UnicodeDecodeError, LookupError) as exc:
                self._record(url, role, attempt, started, t0, resp.status, "decode_error", str(exc)[:200],
                             final_url=current, nbytes=len(body))
                return GONE
        if role == "article" and self.gate_on and not relevance.judge_page(body, charset, current):
            # read, and not about the indices: counted (here and in raw.links), not stored
            self._record(url, role, attempt, started, t0, resp.status, "irrelevant",
                         "no index or reform wording in the article's text", final_url=current, nbytes=len(body))
            return IRRELEVANT
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

    # -- discovery ------------------------------------------------------------------------------------------
    def _links_of(self, body: bytes, charset: str | None, url: str, role: str):
        """(article candidates, further listing pages, child sitemaps) of a discovery page, whatever it turns
        out to be (a start URL may be a feed, a listing may be a sitemap)."""
        head = body.lstrip()[:200].lower()
        if role in ("feed", "sitemap") or head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex",
                                                           b"\x1f\x8b")):
            data = discovery.gunzip(body, self.s.max_body_bytes)
            kind = discovery.kind_of(data)
            if kind == "feed":
                return discovery.parse_feed(data, url), [], []
            if kind in ("sitemap", "sitemapindex"):
                pages, children = discovery.parse_sitemap(data, url)
                return pages, [], children
            if role in ("feed", "sitemap"):
                raise ValueError(f"not a feed or sitemap ({head[:40]!r})")
        text, _ = decode_body(body, charset)
        articles, listings = discover_links(text, url, self.source)
        via = "search" if role == "search" else "listing"
        return [discovery.Candidate(a, t, None, via) for a, t in articles.items()], listings, []

    def _consider(self, c: discovery.Candidate) -> tuple[str, bool]:
        """What to do with a candidate: ('fetch' | 'skip', whether it is new to this source)."""
        self.stats["links"] += 1
        url = c.url
        if url in self.known:  # held already: asked for again as before (conditionally, or by the revisit policy)
            self.stats["known"] += 1
            return "fetch", False
        if url in self.known_links:  # judged on an earlier run
            self.stats["known"] += 1
            return "skip", False
        self.known_links.add(url)
        published = c.published or url_date(url)
        if published is not None and published < self.cutoff:
            self.stats["too_old"] += 1
            self._link(url, c.via, "too_old", c.text, published)
            return "skip", True
        if not self.gate_on:
            return "fetch", True
        verdict = relevance.judge_link(url, c.text)
        if verdict == relevance.RELEVANT:
            self.stats["relevant"] += 1
            return "fetch", True
        self.stats[verdict] += 1
        if self.stats["sampled"] < self.s.sample_max and relevance.sampled(url, self.s.sample_share):
            self.stats["sampled"] += 1
            self.sampled.add(url)
            return "fetch", True
        self._link(url, c.via, verdict, c.text, published)
        return "skip", True

    async def _robots_sitemaps(self) -> list[str]:
        out = []
        for origin in dict.fromkeys(self._origin(u) for u in self.source.entry_urls() if "{query}" not in u):
            rules = await self._robots_for(origin)
            if isinstance(rules, Protego):
                out += [u for u in rules.sitemaps if self.source.allows(u)]
        return out

    # -- the whole source -------------------------------------------------------------------------------------
    async def run(self) -> CrawlResult:
        queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
        seen: set[str] = set()
        n_listings = n_articles = 0
        texts: dict[str, tuple[str, str, dt.date | None]] = {}  # article url -> (via, text, date), for raw.links

        def enqueue(url: str, role: str) -> None:
            nonlocal n_listings, n_articles
            if url in seen:
                return
            if role != "article":
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
        for u in self.source.feeds:
            enqueue(u, "feed")
        for u in self.source.sitemaps:
            enqueue(u, "sitemap")
        if self.source.search_url:
            for u in discovery.search_urls(self.source.search_url, self.source.search_queries
                                           or _default_queries()):
                enqueue(u, "search")
        if self.s.robots_sitemaps:
            for u in await self._robots_sitemaps():
                enqueue(u, "sitemap")

        def follow(url: str, role: str, body: bytes, charset: str | None) -> None:
            try:
                cands, listings, children = self._links_of(body, charset, url, role)
            except Exception as exc:  # a page we cannot read is logged, the crawl goes on
                self._record(url, role, 0, _now(), time.monotonic(), None, "parse_error", str(exc)[:200])
                return
            new = dated = old = 0
            for c in cands:
                if c.via == "sitemap" and not self.source.article_url_pattern and not looks_like_article(
                        urlsplit(c.url).path):
                    continue  # a sitemap lists sections and tags too
                if self.source.article_url_pattern and c.via in ("feed", "sitemap") and not re.search(
                        self.source.article_url_pattern, c.url):
                    continue
                if not self.source.allows(c.url):
                    continue
                what, is_new = self._consider(c)
                new += is_new
                d = c.published or url_date(c.url)
                if d is not None:
                    dated += 1
                    old += d < self.cutoff
                if what == "fetch":
                    texts[c.url] = (c.via, c.text, c.published)
                    enqueue(c.url, "article")
            # where to stop paging: an incremental run at the first page with nothing new on it, a backfill where
            # every dated link is older than the year it walks back to
            stop = bool(cands) and ((self.mode == "incremental" and new == 0) or (dated and old == dated))
            if listings and stop:
                self.stats["paging_stopped"] += 1
            for nxt in ([] if stop else listings):
                enqueue(nxt, "search" if role == "search" else "listing")
            recent = self.last_crawl.date() if (self.mode == "incremental" and self.last_crawl) else None
            for ch in sorted(children, key=lambda c: c.published or dt.date.max, reverse=True):
                if ch.published is not None and (ch.published < self.cutoff or (recent and ch.published < recent)):
                    continue  # an old month's sitemap: nothing in it is wanted (backfill) or new (incremental)
                enqueue(ch.url, "sitemap")

        async def worker() -> None:
            while True:
                url, role = await queue.get()
                try:
                    if role == "article" and self._fresh(url):
                        self.result.n_skipped += 1  # held, and checked recently enough: not asked for again
                        continue
                    page = await self.fetch(url, role)
                    if page is OVER_BUDGET or page is HOST_SKIPPED:
                        self.stats["left_unfetched"] += 1
                        continue
                    body, charset = None, None
                    if isinstance(page, PageRecord):
                        held = self.known.get(url)
                        self.result.add_page(page, new=held is None or held.sha256 != page.sha256)
                        body, charset = page.body, page.charset
                        if self.result.n_pages % 500 == 0:
                            self.progress(f"{self.source.id}: {self.result.n_pages} pages fetched")
                    elif page is NOT_MODIFIED and url in self.known:
                        body, charset = self.known[url].listing_body(), self.known[url].charset
                    if role == "article":
                        self._article_done(url, page, texts.pop(url, ("listing", None, None)))
                    elif body is not None:
                        follow(url, role, body, charset)
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
        self.result.discovery = self.stats
        self.result.budget = {**self.budget.report(), "stopped_by": self.stopped_by}
        return self.result

    def _article_done(self, url: str, page, found: tuple) -> None:
        """Record what became of a fetched article link (raw.links), and what the gate's sample found."""
        via, text, published = found
        if isinstance(page, PageRecord) or page is NOT_MODIFIED:
            decision = "kept"
            self.stats["kept"] += 1
        elif page is IRRELEVANT:
            decision = "irrelevant_text"
            self.stats["irrelevant_text"] += 1
        elif page is GONE:
            decision = "gone"
        else:
            return  # a transient failure: asked for again next run
        if url in self.sampled:
            if decision == "kept":
                self.stats["sampled_relevant"] += 1  # the gate would have missed it
            decision = "sampled_" + decision
        if url not in self.known:
            self._link(url, via, decision, text, published)


def _default_queries():
    from paretl.sources import DEFAULT_SEARCH_QUERIES

    return DEFAULT_SEARCH_QUERIES


def crawl_source(source: Source, settings: CrawlSettings, known: dict[str, Known], run_id: str,
                 progress=None, sink=None) -> CrawlResult:
    """Crawl one source to completion in its own event loop (safe to call from a worker thread). With a sink,
    pages and log records go to it as they come instead of piling up in the result."""
    return asyncio.run(SourceCrawler(source, settings, known, run_id, progress, sink,
                                     budget=run_budget(settings)).run())


def crawl_groups(groups: list[list[tuple[Source, dict[str, Known], object]]], settings: CrawlSettings, run_id: str,
                 progress=None) -> list[CrawlResult]:
    """Crawl several host groups in one event loop: the groups run at the same time, the sources of a group one
    after the other (they share a host's limits). Each item is (source, known pages, sink or None).
    One loop in one thread is cheaper than a thread per group: threads only take turns at the interpreter.
    The run's budget and the hosts' health are shared by every source of the loop."""
    health = HostHealth(settings)
    budget = run_budget(settings)

    async def group_run(group):
        out = []
        for source, known, sink in group:
            out.append(await SourceCrawler(source, settings, known, run_id, progress, sink, health, budget).run())
        return out

    async def main():
        return await asyncio.gather(*[group_run(g) for g in groups])

    return [r for rs in asyncio.run(main()) for r in rs]
