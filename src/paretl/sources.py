"""The source registry: which sites to crawl, where to start, and how politely.

A registry is TOML:

    [crawl]                      # optional; these are the defaults
    per_host_concurrency = 2
    min_delay_s = 1.0
    timeout_s = 30
    max_body_bytes = 10_000_000
    max_retries = 3
    revisit_after_days = 0       # >0: known articles checked this recently are not asked for again

    [[source]]
    id = "baolangson"
    province_code = "20"                                # omit for a national outlet
    start_urls = ["https://baolangson.vn/chinh-tri/"]   # listing, section, tag or search pages
    allowed_domains = ["baolangson.vn"]
    # optional: max_listing_pages, max_articles, article_url_pattern, listing_url_pattern, kind

A bad entry is a RegistryError naming the entry and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from paretl import reference
from paretl.errors import ParetlError


class RegistryError(ParetlError):
    pass


@dataclass(frozen=True)
class CrawlSettings:
    per_host_concurrency: int = 2
    min_delay_s: float = 1.0
    timeout_s: float = 30.0
    max_body_bytes: int = 10_000_000
    max_retries: int = 3
    backoff_s: float = 0.5
    # Known articles that answered (200 or 304) within this many days are not asked for again; listing pages
    # always are. 0 asks for every known article again, conditionally, on every run.
    revisit_after_days: float = 0.0
    user_agent: str = "paretl/0.1 (+governance-rankings research crawler)"


@dataclass(frozen=True)
class Source:
    id: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    province_code: str | None = None
    kind: str | None = None
    max_listing_pages: int = 50
    max_articles: int = 2000
    article_url_pattern: str | None = None
    listing_url_pattern: str | None = None

    def allows(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


@dataclass(frozen=True)
class Registry:
    crawl: CrawlSettings
    sources: tuple[Source, ...] = field(default_factory=tuple)


_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")


def _fail(where: str, field_name: str, why: str) -> RegistryError:
    return RegistryError(f"{where}: field '{field_name}': {why}")


def _positive(where: str, table: dict, name: str, kind: type, default, minimum=0):
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise _fail(where, name, f"must be a {'whole ' if kind is int else ''}number, got {value!r}")
    if value < minimum:
        raise _fail(where, name, f"must be at least {minimum}, got {value!r}")
    return kind(value)


def parse_registry(text: str, origin: str = "registry") -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: not valid TOML: {exc}") from None
    unknown = set(data) - {"crawl", "source"}
    if unknown:
        raise RegistryError(f"{origin}: unknown table(s) {sorted(unknown)}; expected [crawl] and [[source]]")
    c = data.get("crawl", {})
    where = f"{origin} [crawl]"
    known_crawl = set(CrawlSettings.__dataclass_fields__)
    for name in c:
        if name not in known_crawl:
            raise _fail(where, name, f"unknown setting (known: {', '.join(sorted(known_crawl))})")
    d = CrawlSettings()
    ua = c.get("user_agent", d.user_agent)
    if not isinstance(ua, str) or not ua.strip():
        raise _fail(where, "user_agent", "must be a non-empty string")
    settings = CrawlSettings(
        per_host_concurrency=_positive(where, c, "per_host_concurrency", int, d.per_host_concurrency, 1),
        min_delay_s=_positive(where, c, "min_delay_s", float, d.min_delay_s),
        timeout_s=_positive(where, c, "timeout_s", float, d.timeout_s, 0.001),
        max_body_bytes=_positive(where, c, "max_body_bytes", int, d.max_body_bytes, 1),
        max_retries=_positive(where, c, "max_retries", int, d.max_retries),
        backoff_s=_positive(where, c, "backoff_s", float, d.backoff_s),
        revisit_after_days=_positive(where, c, "revisit_after_days", float, d.revisit_after_days),
        user_agent=ua,
    )
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise RegistryError(f"{origin}: no [[source]] entries")
    sources, seen = [], set()
    for i, s in enumerate(raw_sources, 1):
        sid = s.get("id")
        where = f"{origin} source #{i}" + (f" (id={sid!r})" if isinstance(sid, str) else "")
        allowed_fields = set(Source.__dataclass_fields__)
        for name in s:
            if name not in allowed_fields:
                raise _fail(where, name, f"unknown field (known: {', '.join(sorted(allowed_fields))})")
        if not isinstance(sid, str) or not _ID.fullmatch(sid):
            raise _fail(where, "id", "must be a short lower-case identifier such as 'baolangson'")
        if sid in seen:
            raise _fail(where, "id", "is used by an earlier source")
        seen.add(sid)
        code = s.get("province_code")
        if code is not None:
            if not isinstance(code, str) or (code not in reference.province_by_code(63)
                                             and code not in reference.province_by_code(34)):
                raise _fail(where, "province_code", f"{code!r} is not a 2-digit provincial code (a string, e.g. \"20\")")
        starts = s.get("start_urls")
        if not isinstance(starts, list) or not starts or not all(isinstance(u, str) for u in starts):
            raise _fail(where, "start_urls", "must be a non-empty list of URLs")
        for u in starts:
            parts = urlsplit(u)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise _fail(where, "start_urls", f"{u!r} is not an http(s) URL")
        domains = s.get("allowed_domains")
        if not isinstance(domains, list) or not domains or not all(isinstance(x, str) and x for x in domains):
            raise _fail(where, "allowed_domains", "must be a non-empty list of host names")
        domains = tuple(x.lower().strip(".") for x in domains)
        src = Source(
            id=sid, start_urls=tuple(starts), allowed_domains=domains, province_code=code, kind=s.get("kind"),
            max_listing_pages=_positive(where, s, "max_listing_pages", int, 50, 1),
            max_articles=_positive(where, s, "max_articles", int, 2000, 0),
            article_url_pattern=_regex(where, s, "article_url_pattern"),
            listing_url_pattern=_regex(where, s, "listing_url_pattern"),
        )
        for u in starts:
            if not src.allows(u):
                raise _fail(where, "start_urls", f"{u!r} is outside allowed_domains {list(domains)}")
        sources.append(src)
    return Registry(settings, tuple(sources))


def _regex(where: str, s: dict, name: str) -> str | None:
    value = s.get(name)
    if value is None:
        return None
    try:
        re.compile(value)
    except (re.error, TypeError) as exc:
        raise _fail(where, name, f"not a regular expression: {exc}") from None
    return value


def load_registry(path: str | Path) -> Registry:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read source registry {p}: {exc.strerror}") from None
    return parse_registry(text, origin=str(p))
