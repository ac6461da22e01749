"""Which links on a listing page lead to articles and which to the listing's next pages.

Pagination is recognised by rel=next, its words and numbers, or its URL shape. Article links are the article-like
links outside the page's chrome (menus, header, footer, sidebars, related boxes), so that a section menu is not
mistaken for a list of articles. Listing pages are few, so BeautifulSoup reads them whole; the extractor's hot
path uses lxml instead.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from paretl.extract.content import is_chrome_attrs
from paretl.sources import Source

_PAGINATION_TEXT = re.compile(r"^\s*(?:\d{1,4}|trang\s*(?:sau|tiếp|kế|\d+)|sau|tiếp|tiếp theo|next|›|»|>|>>)\s*[›»>]?\s*$",
                              re.IGNORECASE)
_PAGINATION_URL = re.compile(r"(?:[?&](?:page|p|trang|pageindex|paged|start)=\d+|/(?:trang|page|p)[-/]?\d+(?:\.html?)?/?$"
                             r"|[-_/]p\d+(?:\.html?)?$)", re.IGNORECASE)
_ARTICLE_PATH = re.compile(r"(?:\.[a-z]{2,5}$|(?:[^/]*-){3,}[^/]*/?$|\d{5,})", re.IGNORECASE)
_SKIP_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|css|js|ico|mp4|mp3|zip|rar|xlsx?|docx?)$", re.IGNORECASE)
_CHROME_TAGS = {"nav", "header", "footer", "aside"}


def _clean(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url, _ = urldefrag(urljoin(base, href))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _in_chrome(tag) -> bool:
    for anc in tag.parents:
        if anc.name in _CHROME_TAGS:
            return True
        attrs = " ".join(anc.get("class") or []) + " " + (anc.get("id") or "") + " " + (anc.get("role") or "")
        if anc.name not in ("html", "body") and is_chrome_attrs(attrs):
            return True
    return False


def _is_pagination(url: str, text: str, rel: str, page_url: str, source: Source) -> bool:
    if "next" in rel:
        return True
    if source.listing_url_pattern:
        return bool(re.search(source.listing_url_pattern, url))
    return bool(_PAGINATION_URL.search(url)) or (bool(_PAGINATION_TEXT.match(text)) and _same_section(url, page_url))


def discover(html: str, page_url: str, source: Source) -> tuple[list[str], list[str]]:
    """(article URLs, further listing URLs) linked from a listing page, in page order, within the source's domains."""
    soup = BeautifulSoup(html, "lxml")
    articles: list[str] = []
    listings: list[str] = []
    art_rx = re.compile(source.article_url_pattern) if source.article_url_pattern else None
    for tag in soup.find_all(["a", "link"]):
        rel = " ".join(tag.get("rel") or []).lower()
        url = _clean(page_url, tag.get("href"))
        if url is None or url == page_url or not source.allows(url):
            continue
        if tag.name == "link":
            if "next" in rel:
                listings.append(url)
            continue
        if _is_pagination(url, tag.get_text(" ", strip=True), rel, page_url, source):
            listings.append(url)
            continue
        path = urlsplit(url).path
        if _SKIP_EXT.search(path):
            continue
        if art_rx is not None:
            if art_rx.search(url):
                articles.append(url)
        elif _looks_like_article(path) and not _in_chrome(tag):
            articles.append(url)
    return list(dict.fromkeys(articles)), list(dict.fromkeys(listings))


def _looks_like_article(path: str) -> bool:
    """A file-like or long-slug last segment, or a numeric id; a path ending in '/' is a section front."""
    last = path.rsplit("/", 1)[-1]
    if not last:
        return bool(re.search(r"\d{5,}", path))
    return bool(_ARTICLE_PATH.search(last))


def _same_section(url: str, page_url: str) -> bool:
    a, b = urlsplit(url).path.rstrip("/"), urlsplit(page_url).path.rstrip("/")
    return a.rsplit("/", 1)[0] == b.rsplit("/", 1)[0] or a.startswith(b) or b.startswith(a.rsplit("/", 1)[0])
