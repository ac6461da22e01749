"""Ways into a site besides its listing pages: RSS and Atom feeds, sitemaps, and its search.

Each reader turns a fetched document into candidate links (URL, the title the document gives, the date it gives)
and, for a sitemap index, the child sitemaps to read next. The crawler judges the candidates (relevance.py) and
fetches the ones worth it.

- Feeds: RSS 2.0 (<item><link>, <title>, <pubDate>), RSS 1.0/RDF, Atom (<entry><link href>, <title>, <updated>).
- Sitemaps: <urlset> (<loc>, <lastmod>, and news sitemaps' <news:title> and <news:publication_date>) and
  <sitemapindex> (child <sitemap><loc>, <lastmod>), plain or gzipped; robots.txt may name them (`Sitemap:`).
- Search: a URL template with {query}, filled with each query (percent-encoded), read like a listing page.

XML is parsed without entities or network (a hostile feed cannot make the parser fetch or expand anything), and a
gzipped sitemap is inflated only up to the body limit.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import zlib
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urldefrag, urljoin, urlsplit

from lxml import etree


@dataclass(frozen=True)
class Candidate:
    """A link to a possible article, with what the document that named it says of it."""

    url: str
    text: str = ""
    published: dt.date | None = None
    via: str = "listing"  # listing | search | feed | sitemap


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                          remove_comments=True, remove_pis=True)
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml",
             "application/x-gzip", "application/gzip", "application/octet-stream", "application/x-xml")


class TooLarge(ValueError):
    pass


def gunzip(body: bytes, limit: int) -> bytes:
    """The body, inflated if it is gzip, never past `limit` bytes (a small .gz can hold gigabytes)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(body, limit + 1)
    if len(out) > limit:
        raise TooLarge(f"gzipped body inflates past {limit} bytes")
    return out


def _root(body: bytes):
    body = body.lstrip()
    if not body:
        return None
    try:
        return etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el, *names: str) -> str | None:
    for c in el:
        if _local(c.tag) in names and c.text and c.text.strip():
            return c.text.strip()
    return None


def parse_date(value: str | None) -> dt.date | None:
    """A feed's or sitemap's date: RFC 822 (RSS pubDate) or ISO 8601 (Atom, sitemaps); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            return None
    return None


def kind_of(body: bytes) -> str | None:
    """'feed', 'sitemap', 'sitemapindex' or None (not a document these readers know)."""
    root = _root(body)
    if root is None:
        return None
    name = _local(root.tag)
    if name in ("rss", "feed", "rdf"):
        return "feed"
    if name == "urlset":
        return "sitemap"
    if name == "sitemapindex":
        return "sitemapindex"
    return None


def _clean(base: str, href: str | None) -> str | None:
    if not href:
        return None
    url, _ = urldefrag(urljoin(base, href.strip()))
    return url if urlsplit(url).scheme in ("http", "https") else None


def parse_feed(body: bytes, base_url: str) -> list[Candidate]:
    """The items of an RSS or Atom feed, in feed order."""
    root = _root(body)
    if root is None:
        return []
    out = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":  # RSS 2.0 and 1.0
            url = _clean(base_url, _child_text(el, "link") or _rdf_about(el) or _guid_link(el))
            date = parse_date(_child_text(el, "pubdate", "date", "published", "updated"))
        elif name == "entry":  # Atom
            url = _clean(base_url, _atom_link(el))
            date = parse_date(_child_text(el, "published", "updated"))
        else:
            continue
        if url:
            out.append(Candidate(url, _child_text(el, "title") or "", date, "feed"))
    return out


def _rdf_about(el) -> str | None:
    for k, v in el.attrib.items():
        if k.endswith("about"):
            return v
    return None


def _guid_link(el) -> str | None:
    for c in el:
        if _local(c.tag) == "guid" and (c.get("isPermaLink", "true").lower() == "true") and c.text:
            return c.text.strip()
    return None


def _atom_link(el) -> str | None:
    best = None
    for c in el:
        if _local(c.tag) == "link" and c.get("href"):
            rel = (c.get("rel") or "alternate").lower()
            if rel == "alternate":
                return c.get("href")
            best = best or c.get("href")
    return best


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[Candidate], list[Candidate]]:
    """(page URLs, child sitemaps) of a sitemap or sitemap index, each with its lastmod (news sitemaps: their
    title and publication date)."""
    root = _root(body)
    if root is None:
        return [], []
    pages, children = [], []
    top = _local(root.tag)
    for el in root:
        name = _local(el.tag)
        if name not in ("url", "sitemap"):
            continue
        url = _clean(base_url, _child_text(el, "loc"))
        if not url:
            continue
        date = parse_date(_child_text(el, "lastmod"))
        title = ""
        for c in el:
            if _local(c.tag) == "news":  # <news:news><news:title>, <news:publication_date>
                title = _child_text(c, "title") or ""
                date = parse_date(_child_text(c, "publication_date")) or date
        if name == "sitemap" or top == "sitemapindex":
            children.append(Candidate(url, "", date, "sitemap"))
        else:
            pages.append(Candidate(url, title, date, "sitemap"))
    return pages, children


def search_urls(template: str, queries) -> list[str]:
    """The template filled with each query: '+' for spaces in a query string, %20 in a path."""
    out = []
    in_query = "?" in template.split("{query}", 1)[0]
    for q in queries:
        out.append(template.replace("{query}", quote_plus(q) if in_query else quote(q, safe="")))
    return list(dict.fromkeys(out))
