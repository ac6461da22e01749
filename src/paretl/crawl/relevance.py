"""Relevance before fetching: is an article link worth a request?

A provincial news site publishes thousands of articles a year, of which a few dozen concern the governance
indices. A link is judged by what the listing, feed or sitemap says of it (its text, its title) and by its URL
slug, in Vietnamese with or without diacritics:

    relevant    names an index or administrative reform ("Chỉ số CCHC", "cai-cach-hanh-chinh", "par-index", ...)
    irrelevant  has a title or a wordy slug, and it names none of them
    unknown     says nothing (an image link, "Xem thêm", a numeric URL): the gate cannot tell

Relevant links are fetched; the others are not, except a bounded, reproducible sample of them (the same URL is
always sampled or never: a hash decides), fetched to measure what the gate misses. A fetched page is judged again
on its text (judge_text), and a page that turns out irrelevant is counted, not stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote, urlsplit

RELEVANT, IRRELEVANT, UNKNOWN = "relevant", "irrelevant", "unknown"

# Keywords on text folded to ASCII lower case with every non-alphanumeric run turned into one space, so that
# "Chỉ số CCHC", "chi-so-cchc" and "CHI SO CCHC" read alike. Word boundaries keep "pci" out of "pcie".
_KEYWORDS = [
    r"cai cach hanh chinh", r"cai cach thu tuc", r"cchc", r"par ?index", r"chi so par", r"sipas",
    r"chi so hai long", r"muc do hai long", r"papi", r"hieu qua quan tri", r"quan tri va hanh chinh cong",
    r"pci", r"nang luc canh tranh cap tinh", r"chi so nang luc canh tranh", r"chi so xanh", r"pgi",
    r"thu tuc hanh chinh", r"tthc", r"mot cua", r"dich vu cong truc tuyen",
]
_KEYWORD_RX = re.compile(r"(?<![a-z0-9])(?:" + "|".join(_KEYWORDS) + r")(?![a-z0-9])")
# Link texts that say nothing of the article
_EMPTY_TEXT = re.compile(r"^(?:|xem them|xem tiep|chi tiet|doc tiep|doc them|more|read more|tiep|xem|\d+)$")
_SLUG_WORD = re.compile(r"[a-z]{2,}")


def fold(text: str) -> str:
    """Lower case, diacritics off (đ -> d), every run of other characters one space."""
    t = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return " ".join(re.split(r"[^a-z0-9]+", t)).strip()


def names_an_index(text: str) -> bool:
    return bool(_KEYWORD_RX.search(fold(text)))


def _slug(url: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path)
    # the last two segments carry the slug on most CMSs ('/chinh-tri/ten-bai-viet-123.html'); a query may too
    segs = [s for s in path.split("/") if s][-2:]
    return fold(" ".join(segs) + " " + unquote(parts.query))


def judge_link(url: str, text: str | None = None) -> str:
    """relevant, irrelevant or unknown, from the link's text (or the feed's title) and its URL."""
    folded_text = fold(text or "")
    slug = _slug(url)
    if _KEYWORD_RX.search(folded_text) or _KEYWORD_RX.search(slug):
        return RELEVANT
    slug_words = [w for w in _SLUG_WORD.findall(slug) if w not in ("html", "htm", "aspx", "php", "post", "news",
                                                                   "tin", "tuc", "chi", "tiet")]
    has_text = not _EMPTY_TEXT.match(folded_text) and len(folded_text.split()) >= 3
    if has_text or len(slug_words) >= 4:
        return IRRELEVANT
    return UNKNOWN


def sampled(url: str, share: float) -> bool:
    """Whether a link the gate turns away is fetched all the same: the same URL always gets the same answer, so a
    re-run measures the same sample."""
    if share <= 0:
        return False
    h = int.from_bytes(hashlib.sha1(url.encode("utf-8")).digest()[:8], "big")
    return h / 2**64 < share


def judge_text(title: str | None, blocks: list[str]) -> bool:
    """Whether a fetched article's main content (title and paragraphs, not the site's menus) names an index or
    administrative reform."""
    if title and names_an_index(title):
        return True
    return any(names_an_index(b) for b in blocks)


def judge_page(body: bytes, charset: str | None, url: str) -> bool:
    """judge_text on a fetched page, legacy font encodings converted first (an old page in TCVN3 would read as
    noise)."""
    from paretl.crawl.fetcher import decode_body
    from paretl.extract.content import read_html
    from paretl.vnencoding import to_unicode

    try:
        text, _ = decode_body(body, charset)
    except (UnicodeDecodeError, LookupError):
        return True  # cannot tell: keep it, extraction will say what it is
    text, _ = to_unicode(text)
    doc = read_html(text, base_url=url)
    return judge_text(doc.title, doc.blocks)
