"""Which links on a listing page lead to articles and which to the listing's next pages.

Pagination is recognised by rel=next, its words and numbers, or its URL shape. Article links are the article-like
links outside the page's chrome (menus, header, footer, sidebars, related boxes), so that a section menu is not
mistaken for a list of articles. lxml reads them (a 100 KB portal page in a few ms; BeautifulSoup took ~50 ms,
which on a big archive's thousands of listing pages showed in the crawl's pages/s).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from paretl.extract.content import is_chrome_attrs
from paretl.sources import Source

_PAGINATION_TEXT = re.compile(r"^\s*(?:\d{1,4}|trang\s*(?:sau|tiếp|kế|\d+)|sau|tiếp|tiếp theo|next|›|»|>|>>)\s*[›»>]?\s*$",
                              re.IGNORECASE)
_PAGINATION_URL = re.compile(r"(?:[?&](?:page|p|trang|pageindex|paged|start)=\d+|/(?:trang|page|p)[-/]?\d+(?:\.html?)?/?$"
                             r"|[-_/]p\d+(?:\.html?)?$)", re.IGNORECASE)
_ARTICLE_PATH = re.compile(r"(?:\.[a-z]{2,5}$|(?:[^/]*-){3,}[^/]*/?$|\d{5,})", re.IGNORECASE)
_SKIP_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|css|js|ico|mp4|mp3|zip|rar|xlsx?|docx?)$", re.IGNORECASE)
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _clean(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    # A portal repeats the same menus and sidebars on every listing page (hundreds of links each): an href that
    # does not depend on the page's own path (absolute, '//host/...', '/path') is resolved once per site.
    if href.startswith("/") or href.startswith(("http://", "https://")):
        parts = urlsplit(base)
        base = f"{parts.scheme}://{parts.netloc}" if not href.startswith("//") else f"{parts.scheme}:"
    return _resolve(base, href)


@lru_cache(maxsize=16384)
def _resolve(base: str, href: str) -> str | None:
    url, _ = urldefrag(urljoin(base, href))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _in_chrome(el, cache: dict) -> bool:
    """Whether a link sits inside page chrome: any ancestor is nav/header/footer/aside or has a chrome-like
    class, id or role (html and body excepted). Decisions are cached per ancestor: links share them."""
    parent = el.getparent()
    chain = []
    verdict = False
    while parent is not None:
        known = cache.get(parent)
        if known is not None:
            verdict = known
            break
        chain.append(parent)
        tag = parent.tag if isinstance(parent.tag, str) else ""
        if tag in _CHROME_TAGS or (tag not in ("html", "body") and is_chrome_attrs(
                " ".join((parent.get("class") or "").split()) + " " + (parent.get("id") or "") + " "
                + (parent.get("role") or ""))):
            verdict = True
            break
        parent = parent.getparent()
    for anc in chain:
        # an ancestor that is not chrome itself inherits the verdict of those above it
        cache[anc] = verdict
    return verdict


def _text(el) -> str:
    """The link's text as BeautifulSoup's get_text(" ", strip=True) gives it."""
    return " ".join(t.strip() for t in el.itertext() if t.strip())


def _is_pagination(url: str, text: str, rel: str, page_url: str, source: Source) -> bool:
    if "next" in rel:
        return True
    if source.listing_url_pattern:
        return bool(re.search(source.listing_url_pattern, url))
    return bool(_PAGINATION_URL.search(url)) or (bool(_PAGINATION_TEXT.match(text)) and _same_section(url, page_url))


def _parse(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # a str with an XML encoding declaration: parse its bytes instead
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER)
    except etree.ParserError:  # empty document
        return None


def discover(html: str, page_url: str, source: Source) -> tuple[list[str], list[str]]:
    """(article URLs, further listing URLs) linked from a listing page, in page order, within the source's domains."""
    articles, listings = discover_links(html, page_url, source)
    return list(articles), listings


def discover_links(html: str, page_url: str, source: Source) -> tuple[dict[str, str], list[str]]:
    """({article URL: its link text}, further listing URLs), in page order. The text is what the relevance gate
    reads: a teaser's image link and its headline link to one URL, so their texts are joined."""
    root = _parse(html)
    if root is None:
        return {}, []
    articles: dict[str, str] = {}
    listings: list[str] = []
    art_rx = re.compile(source.article_url_pattern) if source.article_url_pattern else None
    chrome_cache: dict = {}
    for tag in root.iter("a", "link"):
        rel = " ".join((tag.get("rel") or "").split()).lower()
        url = _clean(page_url, tag.get("href"))
        if url is None or url == page_url or not source.allows(url):
            continue
        if tag.tag == "link":
            if "next" in rel:
                listings.append(url)
            continue
        if _is_pagination(url, _text(tag), rel, page_url, source):
            listings.append(url)
            continue
        path = urlsplit(url).path
        if _SKIP_EXT.search(path):
            continue
        if (art_rx.search(url) if art_rx is not None
                else looks_like_article(path) and not _in_chrome(tag, chrome_cache)):
            text = " ".join(x for x in (_text(tag), tag.get("title") or "") if x)
            articles[url] = (articles[url] + " " + text).strip() if url in articles else text
    return articles, list(dict.fromkeys(listings))


def looks_like_article(path: str) -> bool:
    """A file-like or long-slug last segment, or a numeric id; a path ending in '/' is a section front."""
    last = path.rsplit("/", 1)[-1]
    if not last:
        return bool(re.search(r"\d{5,}", path))
    return bool(_ARTICLE_PATH.search(last))


def _same_section(url: str, page_url: str) -> bool:
    a, b = urlsplit(url).path.rstrip("/"), urlsplit(page_url).path.rstrip("/")
    return a.rsplit("/", 1)[0] == b.rsplit("/", 1)[0] or a.startswith(b) or b.startswith(a.rsplit("/", 1)[0])
