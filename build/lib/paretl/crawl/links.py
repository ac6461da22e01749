"""Which links on a listing page lead to articles and which to the listing's next pages.

Listing pages are few and small, so BeautifulSoup (restricted to <a> and <link> tags) reads them; the extractor's
hot path uses lxml instead.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, SoupStrainer

from paretl.sources import Source

_PAGINATION_TEXT = re.compile(r"^\s*(?:\d{1,4}|trang\s*(?:sau|tiếp|kế|\d+)|sau|tiếp|tiếp theo|next|›|»|>|>>|…)\s*[›»>]?\s*$",
                              re.IGNORECASE)
_PAGINATION_URL = re.compile(r"(?:[?&](?:page|p|trang|pageindex|paged|start)=\d+|/(?:trang|page|p)[-/]?\d+(?:\.html?)?/?$"
                             r"|[-_/]p\d+(?:\.html?)?$)", re.IGNORECASE)
_ARTICLE_PATH = re.compile(r"(?:\.[a-z]{2,5}$|(?:[^/]*-){3,}[^/]*/?$|\d{5,})", re.IGNORECASE)
_SKIP_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|css|js|ico|mp4|mp3|zip|rar|xlsx?|docx?)$", re.IGNORECASE)


def _clean(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url, _ = urldefrag(urljoin(base, href))
    return url if urlsplit(url).scheme in ("http", "https") else None


def discover(html: str, page_url: str, source: Source) -> tuple[list[str], list[str]]:
    """(article URLs, further listing URLs) linked from a listing page, in page order, within the source's domains."""
    soup = BeautifulSoup(html, "lxml", parse_only=SoupStrainer(["a", "link"]))
    articles: list[str] = []
    listings: list[str] = []
    art_rx = re.compile(source.article_url_pattern) if source.article_url_pattern else None
    list_rx = re.compile(source.listing_url_pattern) if source.listing_url_pattern else None
    for tag in soup.find_all(["a", "link"]):
        rel = " ".join(tag.get("rel") or []).lower()
        url = _clean(page_url, tag.get("href"))
        if url is None or url == page_url or not source.allows(url):
            continue
        if tag.name == "link":
            if "next" in rel:
                listings.append(url)
            continue
        text = tag.get_text(" ", strip=True)
        path = urlsplit(url).path
        if "next" in rel or (list_rx and list_rx.search(url)) or (
                list_rx is None and (_PAGINATION_URL.search(url) or
                                     (_PAGINATION_TEXT.match(text) and _same_section(url, page_url)))):
            listings.append(url)
        elif _SKIP_EXT.search(path):
            continue
        elif art_rx.search(url) if art_rx else _ARTICLE_PATH.search(path.rsplit("/", 1)[-1] or path):
            articles.append(url)
    return list(dict.fromkeys(articles)), list(dict.fromkeys(listings))


def _same_section(url: str, page_url: str) -> bool:
    a, b = urlsplit(url).path.rstrip("/"), urlsplit(page_url).path.rstrip("/")
    return a.rsplit("/", 1)[0] == b.rsplit("/", 1)[0] or a.startswith(b) or b.startswith(a.rsplit("/", 1)[0])
