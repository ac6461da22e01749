"""The source registry: which sites to crawl, how to find their articles, and how politely.

A registry is TOML (the bundled one, for every province of both maps, is `paretl/registry/vietnam.toml`, chosen
by `--sources vietnam`; README "Real sources" says how to add a source):

    [crawl]                      # optional; these are the defaults
    per_host_concurrency = 2
    min_delay_s = 1.0
    timeout_s = 30
    max_body_bytes = 10_000_000
    max_retries = 3
    revisit_after_days = 0       # >0: known articles checked this recently are not asked for again
    relevance_gate = false       # true: judge article links by text and URL before fetching them
    mode = "auto"                # auto | backfill | incremental (auto: backfill a source with nothing stored yet)
    backfill_to_year = 2012      # how far back a backfill walks an archive
    max_run_pages = 0            # budgets for the whole run (0: none); per source: max_pages, max_bytes, max_seconds

    [[source]]
    id = "baolangson"
    province_code = "20"                                # the site's unit on the 63-unit map (until 2025-06-30)
    province_code_34 = "20"                             # ... and on the 34-unit map (from 2025-07-01)
    start_urls = ["https://baolangson.vn/chinh-tri/"]   # listing, section or tag pages
    allowed_domains = ["baolangson.vn"]
    # optional: feeds, sitemaps, search_url ("...?q={query}"), search_queries, article_url_pattern,
    # listing_url_pattern, kind, name, valid_from, valid_to, confidence, evidence, enabled, note, mode,
    # backfill_to_year, relevance_gate, max_listing_pages, max_articles, max_pages, max_bytes, max_seconds,
    # ca_bundle (an extra CA certificate file for a site whose chain is incomplete; verification stays on)

Every bad entry is reported, each naming the entry and the field (RegistryError.problems); a registry with any
bad entry is not used at all.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from paretl import reference
from paretl.errors import ParetlError


class RegistryError(ParetlError):
    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


# The words a site search is asked for when a source gives a search_url and no queries of its own: the indices'
# names as the press writes them (a site search matches words, so one query per name).
DEFAULT_SEARCH_QUERIES = ("chỉ số cải cách hành chính", "PAR INDEX", "SIPAS", "PAPI", "PCI", "chỉ số xanh")

MODES = ("auto", "backfill", "incremental")
CONFIDENCE = ("high", "medium", "low")
KINDS = ("portal", "party_newspaper", "home_affairs_dept", "cchc_portal", "national_gov_news",
         "national_cchc_portal", "national_ministry", "national_index", "national_newspaper", "national",
         "party_newspaper_en", "other")


# Listing pages repeat their menus' and sidebars' links on every page: each URL is judged once.
@lru_cache(maxsize=16384)
def _allows(url: str, domains: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


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
    # Relevance before fetching (crawl/relevance.py): off keeps the old behaviour, every article link fetched.
    relevance_gate: bool = False
    sample_share: float = 0.05   # share of the links the gate turns away that are fetched all the same, to
    sample_max: int = 20         # measure what it misses; at most this many per source and run
    mode: str = "auto"
    backfill_to_year: int = 2012
    # Budgets of the whole run (0: no limit); each source has its own (Source.max_pages, ...).
    max_run_pages: int = 0
    max_run_bytes: int = 0
    max_run_seconds: float = 0.0
    # A host that keeps failing: after host_fail_limit failures in a row it is left alone for host_backoff_s
    # (doubling), and after host_max_backoffs such pauses it is skipped for the rest of the run.
    host_fail_limit: int = 5
    host_backoff_s: float = 30.0
    host_max_backoffs: int = 2
    # Staged parts are written at least this often, so that a killed run leaves most of what it fetched.
    staging_flush_s: float = 30.0
    # Read the sitemaps a site's robots.txt names (`Sitemap:` lines) besides the source's own ways in.
    robots_sitemaps: bool = False


@dataclass(frozen=True)
class Source:
    id: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    province_code: str | None = None      # the unit on the 63-unit map (index years up to 2024)
    kind: str | None = None
    max_listing_pages: int = 50
    max_articles: int = 2000
    article_url_pattern: str | None = None
    listing_url_pattern: str | None = None
    province_code_34: str | None = None   # the unit on the 34-unit map (from 2025-07-01)
    name: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    search_url: str | None = None         # a site search URL with {query}
    search_queries: tuple[str, ...] = ()
    valid_from: dt.date | None = None     # when the outlet began publishing under these domains
    valid_to: dt.date | None = None       # when it stopped (a domain given up, an outlet merged away)
    confidence: str | None = None         # high | medium | low: how sure the registry is of the URLs
    evidence: tuple[str, ...] = ()        # what confirmed them: URLs seen, or "reference sources.csv"
    enabled: bool = True
    note: str | None = None
    relevance_gate: bool | None = None    # None: the registry's [crawl] setting
    mode: str | None = None               # None: the registry's
    backfill_to_year: int | None = None   # None: the registry's
    max_pages: int = 0                    # budgets of this source per run (0: no limit): requests,
    max_bytes: int = 0                    # bytes received,
    max_seconds: float = 0.0              # and wall time
    ca_bundle: str | None = None          # extra CA certificates (PEM) trusted for this source's hosts

    def allows(self, url: str) -> bool:
        return _allows(url, self.allowed_domains)

    @property
    def eras(self) -> tuple[int, ...]:
        return tuple(e for e, c in ((63, self.province_code), (34, self.province_code_34)) if c)

    @property
    def extraction_code(self) -> str | None:
        """The code the extractor reads 'tỉnh ta' as: the 63-era unit, or for a source of the 34-unit map only, the
        63-era unit whose name it carries on (the extractor maps it to the unit of each index year)."""
        if self.province_code:
            return self.province_code
        return code_63_for_34(self.province_code_34) if self.province_code_34 else None

    def hosts(self) -> set[str]:
        urls = list(self.start_urls) + list(self.feeds) + list(self.sitemaps) + (
            [self.search_url] if self.search_url else [])
        return {urlsplit(u.replace("{query}", "q")).netloc.lower() for u in urls}

    def entry_urls(self) -> tuple[str, ...]:
        return tuple(self.start_urls) + tuple(self.feeds) + tuple(self.sitemaps) + (
            (self.search_url,) if self.search_url else ())


def code_63_for_34(code34: str) -> str | None:
    p34 = reference.province_by_code(34).get(code34)
    if p34 is None:
        return None
    for p in reference.provinces_63():
        if p.successor_code == code34 and p.name == p34.name:
            return p.code
    for p in reference.provinces_63():  # Huế: Thừa Thiên Huế kept code 46
        if p.successor_code == code34 and p.code == code34:
            return p.code
    return None


@dataclass(frozen=True)
class Registry:
    crawl: CrawlSettings
    sources: tuple[Source, ...] = field(default_factory=tuple)
    origin: str = "registry"

    @property
    def enabled(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.enabled)

    def select(self, only: list[str] | None = None) -> "Registry":
        """The registry to run: its enabled sources, or the sources named (enabled or not)."""
        if not only:
            return Registry(self.crawl, self.enabled, self.origin)
        by_id = {s.id: s for s in self.sources}
        missing = [i for i in only if i not in by_id]
        if missing:
            raise RegistryError(f"{self.origin}: no source {', '.join(map(repr, missing))}")
        return Registry(self.crawl, tuple(by_id[i] for i in dict.fromkeys(only)), self.origin)


_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")


class _Problems:
    """Collects every problem of a registry, so that one check names them all."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, where: str, field_name: str, why: str) -> None:
        self.items.append(f"{where}: field '{field_name}': {why}")


class _Bad(Exception):
    pass


def _number(p: _Problems, where: str, table: dict, name: str, kind: type, default, minimum=0, maximum=None):
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        p.add(where, name, f"must be a {'whole ' if kind is int else ''}number, got {value!r}")
        return default
    if value < minimum:
        p.add(where, name, f"must be at least {minimum}, got {value!r}")
        return default
    if maximum is not None and value > maximum:
        p.add(where, name, f"must be at most {maximum}, got {value!r}")
        return default
    return kind(value)


def _choice(p: _Problems, where: str, table: dict, name: str, choices, default):
    value = table.get(name, default)
    if value is not None and value not in choices:
        p.add(where, name, f"must be one of {', '.join(choices)}, got {value!r}")
        return default
    return value


def _bool(p: _Problems, where: str, table: dict, name: str, default):
    value = table.get(name, default)
    if value is not None and not isinstance(value, bool):
        p.add(where, name, f"must be true or false, got {value!r}")
        return default
    return value


def _str(p: _Problems, where: str, table: dict, name: str):
    value = table.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        p.add(where, name, f"must be a non-empty string, got {value!r}")
        return None
    return value


def _urls(p: _Problems, where: str, table: dict, name: str, required: bool = False) -> tuple[str, ...]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value) or (required and not value):
        p.add(where, name, "must be a " + ("non-empty " if required else "") + "list of URLs")
        return ()
    good = []
    for u in value:
        parts = urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            p.add(where, name, f"{u!r} is not an http(s) URL")
        else:
            good.append(u)
    return tuple(good)


def _date(p: _Problems, where: str, table: dict, name: str) -> dt.date | None:
    value = table.get(name)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    p.add(where, name, f"must be a date (2025-07-01), got {value!r}")
    return None


def _regex(p: _Problems, where: str, s: dict, name: str) -> str | None:
    value = s.get(name)
    if value is None:
        return None
    try:
        re.compile(value)
    except (re.error, TypeError) as exc:
        p.add(where, name, f"not a regular expression: {exc}")
        return None
    return value


def _crawl_settings(p: _Problems, origin: str, c: dict) -> CrawlSettings:
    where = f"{origin} [crawl]"
    if not isinstance(c, dict):
        p.add(where, "crawl", "must be a table")
        return CrawlSettings()
    known = {f.name for f in fields(CrawlSettings)}
    for name in c:
        if name not in known:
            p.add(where, name, f"unknown setting (known: {', '.join(sorted(known))})")
    d = CrawlSettings()
    ua = c.get("user_agent", d.user_agent)
    if not isinstance(ua, str) or not ua.strip():
        p.add(where, "user_agent", "must be a non-empty string")
        ua = d.user_agent
    return CrawlSettings(
        per_host_concurrency=_number(p, where, c, "per_host_concurrency", int, d.per_host_concurrency, 1),
        min_delay_s=_number(p, where, c, "min_delay_s", float, d.min_delay_s),
        timeout_s=_number(p, where, c, "timeout_s", float, d.timeout_s, 0.001),
        max_body_bytes=_number(p, where, c, "max_body_bytes", int, d.max_body_bytes, 1),
        max_retries=_number(p, where, c, "max_retries", int, d.max_retries),
        backoff_s=_number(p, where, c, "backoff_s", float, d.backoff_s),
        revisit_after_days=_number(p, where, c, "revisit_after_days", float, d.revisit_after_days),
        user_agent=ua,
        relevance_gate=_bool(p, where, c, "relevance_gate", d.relevance_gate),
        sample_share=_number(p, where, c, "sample_share", float, d.sample_share, 0, 1),
        sample_max=_number(p, where, c, "sample_max", int, d.sample_max),
        mode=_choice(p, where, c, "mode", MODES, d.mode),
        backfill_to_year=_number(p, where, c, "backfill_to_year", int, d.backfill_to_year, 1990, 2100),
        max_run_pages=_number(p, where, c, "max_run_pages", int, d.max_run_pages),
        max_run_bytes=_number(p, where, c, "max_run_bytes", int, d.max_run_bytes),
        max_run_seconds=_number(p, where, c, "max_run_seconds", float, d.max_run_seconds),
        host_fail_limit=_number(p, where, c, "host_fail_limit", int, d.host_fail_limit, 1),
        host_backoff_s=_number(p, where, c, "host_backoff_s", float, d.host_backoff_s),
        host_max_backoffs=_number(p, where, c, "host_max_backoffs", int, d.host_max_backoffs),
        staging_flush_s=_number(p, where, c, "staging_flush_s", float, d.staging_flush_s, 0.1),
        robots_sitemaps=_bool(p, where, c, "robots_sitemaps", d.robots_sitemaps),
    )


_MERGER = dt.date.fromisoformat(reference.MERGER_DATE)


def _source(p: _Problems, origin: str, i: int, s, seen: dict, base_dir: Path | None) -> Source | None:
    if not isinstance(s, dict):
        p.add(f"{origin} source #{i}", "source", "must be a table")
        return None
    sid = s.get("id")
    where = f"{origin} source #{i}" + (f" (id={sid!r})" if isinstance(sid, str) else "")
    n_before = len(p.items)
    known = {f.name for f in fields(Source)}
    for name in s:
        if name not in known:
            p.add(where, name, f"unknown field (known: {', '.join(sorted(known))})")
    if not isinstance(sid, str) or not _ID.fullmatch(sid):
        p.add(where, "id", "must be a short lower-case identifier such as 'baolangson'")
    elif sid in seen:
        p.add(where, "id", f"is used by an earlier source (#{seen[sid]})")
    else:
        seen[sid] = i
    code = s.get("province_code")
    if code is not None and (not isinstance(code, str) or code not in reference.province_by_code(63)):
        p.add(where, "province_code", f"{code!r} is not a 2-digit provincial code of the 63-unit map "
                                      "(a string, e.g. \"20\")")
        code = None
    code34 = s.get("province_code_34")
    if code34 is not None and (not isinstance(code34, str) or code34 not in reference.province_by_code(34)):
        p.add(where, "province_code_34", f"{code34!r} is not a 2-digit code of the 34-unit map (a string, e.g. \"15\")")
        code34 = None
    starts = _urls(p, where, s, "start_urls")
    feeds = _urls(p, where, s, "feeds")
    sitemaps = _urls(p, where, s, "sitemaps")
    search_url = _str(p, where, s, "search_url")
    if search_url is not None:
        parts = urlsplit(search_url.replace("{query}", "q"))
        if "{query}" not in search_url:
            p.add(where, "search_url", "must hold {query} where the words go")
            search_url = None
        elif parts.scheme not in ("http", "https") or not parts.hostname:
            p.add(where, "search_url", f"{search_url!r} is not an http(s) URL")
            search_url = None
    queries = s.get("search_queries", [])
    if not isinstance(queries, list) or not all(isinstance(q, str) and q.strip() for q in queries):
        p.add(where, "search_queries", "must be a list of words to search for")
        queries = []
    if queries and search_url is None and "search_url" not in s:
        p.add(where, "search_queries", "needs a search_url")
    way_fields = ("'start_urls'", "'feeds'", "'sitemaps'", "'search_url'")
    if not (starts or feeds or sitemaps or search_url) and not any(
            f in item for item in p.items[n_before:] for f in way_fields):
        p.add(where, "start_urls", "a source needs a way in: start_urls, feeds, sitemaps or search_url")
    domains = s.get("allowed_domains")
    if not isinstance(domains, list) or not domains or not all(isinstance(x, str) and x for x in domains):
        p.add(where, "allowed_domains", "must be a non-empty list of host names")
        domains = []
    domains = tuple(x.lower().strip(".") for x in domains)
    valid_from, valid_to = _date(p, where, s, "valid_from"), _date(p, where, s, "valid_to")
    if valid_from and valid_to and valid_from > valid_to:
        p.add(where, "valid_to", f"{valid_to} is before valid_from {valid_from}")
    if code and not code34 and valid_from and valid_from >= _MERGER:
        p.add(where, "valid_from", f"{valid_from}: a source of the 63-unit map only cannot begin after the "
                                   f"2025 merger; give province_code_34")
    if code34 and not code and valid_to and valid_to < _MERGER:
        p.add(where, "valid_to", f"{valid_to}: a source of the 34-unit map only cannot end before the 2025 merger; "
                                 f"give province_code")
    evidence = s.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) and e.strip() for e in evidence):
        p.add(where, "evidence", "must be a list of strings (URLs seen, or \"reference sources.csv\")")
        evidence = []
    ca = _str(p, where, s, "ca_bundle")
    if ca is not None:
        path = Path(ca)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            p.add(where, "ca_bundle", f"{ca!r}: no such file")
        ca = str(path)
    kind = _str(p, where, s, "kind")
    src = Source(
        id=sid if isinstance(sid, str) else f"#{i}", start_urls=starts, allowed_domains=domains,
        province_code=code, province_code_34=code34, kind=kind, name=_str(p, where, s, "name"),
        max_listing_pages=_number(p, where, s, "max_listing_pages", int, 50, 1),
        max_articles=_number(p, where, s, "max_articles", int, 2000, 0),
        article_url_pattern=_regex(p, where, s, "article_url_pattern"),
        listing_url_pattern=_regex(p, where, s, "listing_url_pattern"),
        feeds=feeds, sitemaps=sitemaps, search_url=search_url, search_queries=tuple(queries),
        valid_from=valid_from, valid_to=valid_to,
        confidence=_choice(p, where, s, "confidence", CONFIDENCE, None),
        evidence=tuple(evidence), enabled=_bool(p, where, s, "enabled", True),
        note=_str(p, where, s, "note"),
        relevance_gate=_bool(p, where, s, "relevance_gate", None),
        mode=_choice(p, where, s, "mode", MODES, None),
        backfill_to_year=(_number(p, where, s, "backfill_to_year", int, None, 1990, 2100)
                          if "backfill_to_year" in s else None),
        max_pages=_number(p, where, s, "max_pages", int, 0),
        max_bytes=_number(p, where, s, "max_bytes", int, 0),
        max_seconds=_number(p, where, s, "max_seconds", float, 0.0),
        ca_bundle=ca,
    )
    if domains:
        for name, urls in (("start_urls", starts), ("feeds", feeds), ("sitemaps", sitemaps),
                           ("search_url", (search_url,) if search_url else ())):
            for u in urls:
                if not src.allows(u.replace("{query}", "q")):
                    p.add(where, name, f"{u!r} is outside allowed_domains {list(domains)}")
    return src if len(p.items) == n_before else None


def parse_registry(text: str, origin: str = "registry", base_dir: str | Path | None = None) -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: not valid TOML: {exc}") from None
    p = _Problems()
    unknown = set(data) - {"crawl", "source"}
    if unknown:
        raise RegistryError(f"{origin}: unknown table(s) {sorted(unknown)}; expected [crawl] and [[source]]")
    settings = _crawl_settings(p, origin, data.get("crawl", {}))
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise RegistryError(f"{origin}: no [[source]] entries")
    sources, seen = [], {}
    base = Path(base_dir) if base_dir is not None else None
    for i, s in enumerate(raw_sources, 1):
        src = _source(p, origin, i, s, seen, base)
        if src is not None:
            sources.append(src)
    if p.items:
        more = f" (and {len(p.items) - 1} more problem(s): `paretl sources check` lists them all)" \
            if len(p.items) > 1 else ""
        raise RegistryError(p.items[0] + more, p.items)
    return Registry(settings, tuple(sources), origin)


BUNDLED_DIR = "registry"


def bundled_registries() -> dict[str, Path]:
    """The registries shipped with the package, by name (the file's stem)."""
    folder = resources.files("paretl").joinpath(BUNDLED_DIR)
    return {Path(str(f)).stem: Path(str(f)) for f in folder.iterdir() if str(f).endswith(".toml")}


def resolve_registry(name_or_path: str | Path) -> Path:
    """A registry file: the path given if it exists, else the bundled registry of that name ('vietnam')."""
    p = Path(name_or_path)
    if p.exists():
        return p
    bundled = bundled_registries()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    return p


def load_registry(path: str | Path) -> Registry:
    p = resolve_registry(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        names = ", ".join(sorted(bundled_registries()))
        raise RegistryError(f"cannot read source registry {p}: {exc.strerror} (bundled registries: {names})") from None
    return parse_registry(text, origin=str(path), base_dir=p.parent)


def coverage(registry: Registry) -> dict[int, list[str]]:
    """Per map (63, 34), the units that no enabled source of the registry covers."""
    out: dict[int, list[str]] = {}
    for era, units in ((63, reference.provinces_63()), (34, reference.provinces_34())):
        covered = {(s.province_code if era == 63 else s.province_code_34) for s in registry.sources if s.enabled}
        out[era] = [u.code for u in units if u.code not in covered]
    return out
