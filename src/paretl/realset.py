"""The development set of real articles: lists and labels in the repository, text in a git-ignored cache.

Third-party article text never enters the repository. `corpus/real/` holds, per page, the URL, the query that
finds its stored public copy, the sha256 of that copy's text, and the labelled facts; the text itself lives in
`corpus/real/.cache/PAGE.txt` (git-ignored), rebuilt as `corpus/real/README.md` says. Everything here works
without the cache and says plainly what is missing.

Files (tab-separated or JSON lines, one row per page or fact):
- `pages.tsv`: page, lang, kind (index | activity), url, query, found_by_query, sha256, batch, split
  (dev | blind), site_province (the publishing site's province code, when a registry would know it).
- `facts.jsonl`: index facts (docs/facts.md), with `page`; `derived` lists fields computed rather than stated,
  `ambiguous` marks a doubtful reading (both count right when predicted equal, never as missed).
- `activity.jsonl`: activity facts (docs/facts.md), with `page`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from paretl import reference

PAGE_COLUMNS = ("page", "lang", "kind", "url", "query", "found_by_query", "sha256", "batch", "split",
                "site_province")
RESERVED_NAME = "reserved.sha256"


def normalise_url(url: str) -> str:
    """The form reserved.sha256 hashes: lower case, no scheme, no leading www./m., no trailing slash."""
    return re.sub(r"^https?://(www\.|m\.)?", "", url.strip().lower()).rstrip("/")


def url_hash(url: str) -> str:
    return hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    """sha256 of the text in composed form without surrounding blank space: a copy saved by hand or by another
    tool hashes the same when only the Unicode form or a final newline differs."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).strip().encode("utf-8")).hexdigest()


@dataclass
class Page:
    page: str
    lang: str
    kind: str
    url: str
    query: str
    found_by_query: str
    sha256: str
    batch: str
    split: str
    site_province: str | None
    facts: list[dict] = field(default_factory=list)
    activity: list[dict] = field(default_factory=list)


@dataclass
class RealSet:
    folder: Path
    pages: list[Page]

    @property
    def cache(self) -> Path:
        return self.folder / ".cache"

    def cache_path(self, page: Page) -> Path:
        return self.cache / f"{page.page}.txt"

    def text(self, page: Page) -> str | None:
        path = self.cache_path(page)
        return path.read_text(encoding="utf-8") if path.exists() else None


def is_real_set(folder: Path) -> bool:
    return (folder / "pages.tsv").exists() and (folder / "facts.jsonl").exists()


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                from paretl.errors import ParetlError

                raise ParetlError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


def load(folder: Path) -> RealSet:
    with (folder / "pages.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    pages = {}
    for r in rows:
        pages[r["page"]] = Page(
            page=r["page"], lang=r.get("lang") or "vi", kind=r.get("kind") or "index", url=r["url"],
            query=r.get("query") or "", found_by_query=r.get("found_by_query") or "", sha256=r.get("sha256") or "",
            batch=r.get("batch") or "", split=r.get("split") or "dev", site_province=r.get("site_province") or None)
    for f in _jsonl(folder / "facts.jsonl"):
        if f.get("page") in pages:
            pages[f["page"]].facts.append(f)
    for a in _jsonl(folder / "activity.jsonl"):
        if a.get("page") in pages:
            pages[a["page"]].activity.append(a)
    return RealSet(folder, list(pages.values()))


def save_pages(rs: RealSet) -> None:
    with (rs.folder / "pages.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(PAGE_COLUMNS) + "\n")
        for p in rs.pages:
            fh.write("\t".join(str(getattr(p, c) or "") for c in PAGE_COLUMNS) + "\n")


def reserved_hashes(folder: Path) -> set[str]:
    """Pages kept for checks made outside the project: the team's shared list where it is beside the clone,
    and the copy committed with the set."""
    out: set[str] = set()
    for path in (folder / RESERVED_NAME, folder.resolve().parents[2] / "shared" / "real-dev" / RESERVED_NAME):
        if path.exists():
            out |= set(path.read_text(encoding="utf-8").split())
    return out


@dataclass(frozen=True)
class Site:
    province_code: str
    kind: str


def _domain(url: str) -> str:
    host = re.sub(r"^https?://", "", url.strip().lower()).split("/")[0].split(":")[0]
    return re.sub(r"^(www\.|m\.)", "", host)


def site_of(url: str) -> Site | None:
    """The province whose news site published the page, as a registry of sources would say it."""
    host = _domain(url)
    best = None
    for r in reference.sources():
        d = r["domain"].strip().lower()
        if d and r["province_code"] and (host == d or host.endswith("." + d)):
            if best is None or len(d) > len(best[0]):
                best = (d, Site(r["province_code"], r["kind"]))
    return best[1] if best else None


_DATE_MARK = re.compile(r"^\s*date (\d{4}-\d{2}(?:-\d{2})?)\s*")
_HEADLINE_MAX = 220


def wrap(text: str, url: str) -> str:
    """An excerpt as an article page: title (a first line that reads as a headline), canonical URL, paragraphs.

    A stored copy sometimes begins with a date marker (' date 2022-07'): it is kept as the first line, which is
    how a reader would meet it."""
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    title = None
    first = _DATE_MARK.sub("", paras[0]) if paras else ""
    # (not a table's header row: 'Chỉ số Năm 2007 Năm 2008 Năm 2009 ...')
    if len(paras) > 1 and first and len(first) <= _HEADLINE_MAX and not re.search(r"[.:;]$", first) \
            and len(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", first)) < 3:
        title = first
        paras = paras[1:] if first == paras[0] else [paras[0][:len(paras[0]) - len(first)].strip()] + paras[1:]
    esc = html.escape
    head = f"<title>{esc(title)}</title>" if title else ""
    body = (f"<h1>{esc(title)}</h1>" if title else "") + "".join(f"<p>{esc(p)}</p>" for p in paras if p)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{head}'
            f'<link rel="canonical" href="{esc(url)}"></head><body><article>{body}</article></body></html>')


INDEX_NAMES = ("PAR_INDEX", "SIPAS", "PAPI", "PCI", "PGI")


def check(rs: RealSet, fix_hashes: bool = False) -> list[str]:
    """Problems with the set, one line each: reserved pages, missing or changed cache text, labels that do not
    read (unknown page, index or unit). With fix_hashes, an empty sha256 is filled from the cached text."""
    problems = []
    reserved = reserved_hashes(rs.folder)
    seen_urls: dict[str, str] = {}
    for p in rs.pages:
        if url_hash(p.url) in reserved:
            problems.append(f"{p.page}: RESERVED page (../shared/real-dev/reserved.sha256): remove it and its facts")
        other = seen_urls.setdefault(p.url, p.page)  # byte for byte: '/x' and '/x/' are two stored copies
        if other != p.page:
            problems.append(f"{p.page}: same URL as page {other}")
        text = rs.text(p)
        if text is None:
            if p.found_by_query != "no":
                problems.append(f"{p.page}: no cached text ({rs.cache_path(p)})")
            continue
        h = text_hash(text)
        if not p.sha256 and fix_hashes:
            p.sha256 = h
        elif p.sha256 and p.sha256 != h:
            problems.append(f"{p.page}: cached text differs from the recorded sha256")
    if fix_hashes:
        save_pages(rs)
    for p in rs.pages:
        for f in p.facts:
            if f.get("index") not in INDEX_NAMES:
                continue
            if f.get("unit_kind") == "province" and resolve_unit(f) is None:
                problems.append(f"{p.page}: unknown province {f.get('unit_name')!r}")
            if f.get("unit_kind") == "ministry" and resolve_unit(f) is None:
                problems.append(f"{p.page}: unknown ministry {f.get('unit_name')!r}")
            for k in ("index_year",):
                if not isinstance(f.get(k), int):
                    problems.append(f"{p.page}: {k} must be an integer in {f}")
    return problems


def resolve_unit(f: dict) -> str | None:
    """The key a labelled fact's unit has in the warehouse: a province's code in its index year's era, a
    ministry's canonical name."""
    from paretl.extract.units import code_for_period, find_units

    name = (f.get("unit_name") or "").strip()
    if f.get("unit_kind") == "ministry":
        exact = [m.name for m in reference.ministries() if name == m.name or name in m.variants]
        found = exact or [u.name for u in find_units(name) if u.kind == "ministry"]
        return found[0] if found else None
    if f.get("unit_code"):
        return f["unit_code"]
    exact = [p for p in reference.provinces_63() if name == p.name or name in p.variants]
    found = [(p.name, p.code) for p in exact] or [(u.name, u.code) for u in find_units(name) if u.kind == "province"]
    if not found or not isinstance(f.get("index_year"), int):
        return None
    # (an activity figure of a period that ended before the merger of 2025 is the old province's)
    return code_for_period(*found[0], f["index_year"], f.get("period"))[0]
