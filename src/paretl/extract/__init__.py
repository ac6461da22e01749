"""Extraction: from a raw page to the figures it states, each with its evidence sentence.

`extract_page` is the one entry point the pipeline, the CLI and the evaluation use. It is deterministic: the same
bytes and options give the same facts, and EXTRACTOR_VERSION is stored with every fact so that a later version can
be run over the stored raw pages (`paretl reextract`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from paretl.extract import article
from paretl.extract import patterns as P
from paretl.extract.activity import block_activities, level_heading, plain_block
from paretl.extract.article import article_context, url_date
from paretl.extract.clauses import split_sentences
from paretl.extract.content import decode, read_html, read_text
from paretl.extract.english import english_defaults, extract_english, is_english
from paretl.extract.english_activity import english_activities
from paretl.extract.facts import Fact, extract_sentence, finish, plausible_score
from paretl.extract.mentions import FIGURE_HINT, index_mentions, year_mentions
from paretl.extract.tables import extract_table
from paretl.extract.units import _find_units, code_for_period, find_units

# 1.1: real-text attribution (clauses, years, regions, lists), English editions, activity periods and reporters;
# 1.3: the classes of real batches b9-b11 and a5 (corpus/real/SCORES.md).
# A new version makes `paretl run` and `paretl reextract` read every stored page again.
EXTRACTOR_VERSION = "1.4.135"

FACT_FIELDS = ("url", "unit_name", "unit_code", "unit_kind", "index", "index_year", "metric", "score",
               "score_unit", "rank", "rank_of", "prior_rank", "rank_change", "evidence", "value", "unit", "level",
               "total")


_INDEX_HINT = re.compile(r"[Cc]hỉ số|CHỈ SỐ|PAR|Par|SIPAS|PAPI|PCI|PGI|CCHC|hài lòng")
_ACTIVITY_HINT = re.compile(r"hồ sơ|thủ tục hành chính|đúng hạn|tinh giản|nghỉ hưu trước tuổi|văn bản|hộp thư|chứng thư|kiểm tra|dịch vụ công|[Vv]ăn phòng điện tử")


@dataclass
class PageResult:
    title: str | None
    published: dt.date | None
    url: str | None
    facts: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _follow_index(block: str, ctx) -> None:
    """Keep the index the text named last, and the one a section heading names, for paragraphs that refer back
    to it ('Ở chỉ số này, ...') or sit under that heading."""
    named = [k for _, _, k in index_mentions(block) if k in P.INDEX_RX] if _INDEX_HINT.search(block) else []
    if named:  # (a paragraph naming two indices, 'PAR INDEX ... cùng SIPAS', leaves 'bảng xếp hạng này' unsure)
        ctx.last_index = named[-1] if len(set(named)) == 1 else None
    if len(block) < 120 and not re.search(r"[.!?;:]\s*$", block):  # a heading
        ctx.section_index = named[0] if len(set(named)) == 1 else None


def clear_caches() -> None:
    """Forget the per-text caches (units, index names, years): benchmarks that extract one page again and again
    would otherwise measure the caches."""
    _find_units.cache_clear()
    index_mentions.cache_clear()
    year_mentions.cache_clear()


# Combining marks U+0300–U+036F as UTF-8 bytes: what a decomposed Vietnamese page carries and a composed one never
_COMBINING_UTF8 = re.compile(rb"\xcc[\x80-\xbf]|\xcd[\x80-\xaf]")


# a year a headline or lead names ('in 2023', 'July 2025'), not a document's number ('Decree 178/2024/ND-CP')
_LEAD_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/])(?!/N)")


def _lead_year(texts: list[str]) -> int | None:
    for text in texts:
        m = _LEAD_YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def looks_like_html(data: str) -> bool:
    head = data[:2000].lower()
    return "<html" in head or "<!doctype" in head or "<body" in head or "<p>" in head or "<div" in head


def _fact_dict(f: Fact, url: str | None) -> dict:
    return {"url": url, "unit_name": f.unit_name, "unit_code": f.unit_code, "unit_kind": f.unit_kind,
            "index": f.index, "index_year": f.index_year, "metric": f.metric, "score": f.score,
            "score_unit": f.score_unit, "rank": f.rank, "rank_of": f.rank_of, "prior_rank": f.prior_rank,
            "rank_change": f.rank_change, "evidence": f.evidence, "attribution": f.attribution or "clause",
            "value": None, "unit": None, "level": None, "total": None, "period": None, "reporter": None}


# A slug that states a result ('dung-thu-7', 'xep-thu', 'dan-dau', 'tang-5-bac', 'dat-80-diem')
_SLUG_RESULT = re.compile(r"(?:dung|xep)-(?:thu|hang|dau|cuoi)|dan-dau|tang-\d+-bac|giam-\d+-bac|dat-\d+")


def _slug_reports_later(url: str | None, date: dt.date) -> bool:
    """Whether a URL's slug reports an index year's results that cannot be out by the date its digits give
    (results for year Y come out in Y+1)."""
    _, slug_year = article.slug_index_year(url)
    slug = (url or "").lower().rstrip("/").rsplit("/", 1)[-1]
    return slug_year is not None and slug_year >= date.year and bool(_SLUG_RESULT.search(slug))


# A list's items: 'a) ...', '- ...', '+ ...', '• ...'
_LIST_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|[-+•–]\s)")
# A list's lead-in naming one unit: '1. Đối với thành phố Cần Thơ (cũ):', 'Tỉnh Hậu Giang:'
_LIST_LEAD = re.compile(r"^\s*(?:\d{1,2}[.)]\s*|[IVX]{1,4}[.)]\s*)?(?:Đối với|Về|Tại)?[^.;:]{0,70}:\s*$")


def _list_lead_unit(block: str, current):
    """The unit a list's lead-in names (kept through its items), None once the list ends."""
    if _LIST_LEAD.match(block) and len(block) < 90:
        named = {u.name: u for u in find_units(block) if u.kind in ("province", "ministry")}
        return next(iter(named.values())) if len(named) == 1 else None
    return current if _LIST_ITEM.match(block) else None


def _rounds_to(exact: float, shown: float) -> bool:
    """The shown value is the exact one written with fewer decimals (99.71 shown as 99.7)."""
    if exact == shown:
        return False
    for places in (0, 1):
        if round(exact, places) == shown and len(f"{exact}".split(".")[-1]) > places:
            return True
    return False


def extract_page(data: bytes | str, *, url: str | None = None, published: dt.date | None = None,
                 source_province_code: str | None = None, charset: str | None = None,
                 content_type: str | None = None) -> PageResult:
    """Every index and activity figure the page states. Never raises on bad input; problems go to warnings."""
    utf8 = False
    if isinstance(data, bytes):
        utf8 = (charset or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8")
        try:
            text = data.decode("utf-8") if utf8 else decode(data, charset)
        except UnicodeDecodeError:
            utf8, text = False, decode(data, charset)
    else:
        text = data
    # Composed form: some editors and legacy code pages (windows-1258) write a base letter plus combining marks,
    # which would slip past every name and keyword.
    # (the lead bytes first: a byte search is ~100× faster than the pattern over a 100 KB page)
    if utf8 and not ((b"\xcc" in data or b"\xcd" in data) and _COMBINING_UTF8.search(data)):
        utf8_as_is = True  # no combining mark at all: already composed, the bytes need no second look
    else:
        utf8_as_is = utf8 and unicodedata.is_normalized("NFC", text)
        if not utf8_as_is:
            text = unicodedata.normalize("NFC", text)
    is_html = (content_type or "").startswith("text/html") or (content_type is None and looks_like_html(text))
    if is_html:
        doc = read_html(data if utf8_as_is else text, base_url=url)  # the page's own bytes when they will do
    else:
        doc = read_text(text)
    page_url = doc.canonical or url
    # a date that is only the first one in the text may be a widget's: it does not overrule the URL's
    from_url = url_date(page_url) or url_date(url)
    if from_url is not None and _slug_reports_later(page_url or url, from_url):
        from_url = None  # a number in the URL that reads as a date, earlier than the results the slug reports
    published = published or (doc.published if doc.published_source != "text" else None) \
        or from_url or doc.published
    date_sure = published is not None and not (published == doc.published and doc.published_source == "text")
    result = PageResult(title=doc.title, published=published, url=page_url)
    ctx = article_context(doc, page_url, published, source_province_code, result.warnings)
    english = is_english(" ".join(([doc.title] if doc.title else []) + doc.blocks[:20]))
    if english:  # an English edition: its own words, the same attribution (english.py)
        en_index, en_year, in_lead = english_defaults(([doc.title] if doc.title else []) + doc.blocks)
        source = "headline" if in_lead else "article"  # 'The VCCI announced the 2024 PCI' opening the article
        if en_index and (ctx.index is None or in_lead):  # the lead's over a photo caption's
            ctx.index, ctx.index_source = en_index, source
        if en_year and (ctx.year_source in ("calendar", "url") or ctx.year is None or in_lead):
            ctx.year, ctx.year_source = en_year, source
    index = ctx.index
    facts: list[Fact] = []
    activities = []
    actx = None  # read when a first paragraph reports activity: most pages never need it
    if english:
        facts.extend(extract_english(([doc.title] if doc.title else []) + doc.blocks, ctx))
        # its activity figures too, in its own words (english_activity.py); a period phrase that names no year
        # takes the publication's, else the one the headline or lead names
        lead_year = published.year if published else _lead_year(([doc.title] if doc.title else []) + doc.blocks[:2])
        for unit, period, act_year, act in english_activities(([doc.title] if doc.title else []) + doc.blocks,
                                                              ctx.primary_unit, lead_year):
            code, name = code_for_period(unit.name, unit.code, act_year, period)
            if code is not None:
                activities.append((code, name, act_year, act))
    list_unit = None
    for block in ([doc.title] if doc.title else []) + doc.blocks:
        figures_here = index is not None and not english and FIGURE_HINT.search(block)
        activity_here = not english and _ACTIVITY_HINT.search(block)
        if not (figures_here or activity_here):
            if actx is not None or level_heading(block):  # a report's list by level: '- Cấp huyện:'
                actx = actx or article.activity_context(doc, ctx, published)
                plain_block(block, actx)
            _follow_index(block, ctx)
            list_unit = _list_lead_unit(block, list_unit)
            continue  # most paragraphs state no figure: skip them whole (context is per paragraph)
        # context (unit, index, year) does not cross paragraphs: lists of indices would leak; only a list's
        # lead-in ('1. Đối với thành phố Cần Thơ:') gives its items ('a) PAR INDEX: Đạt 89,13%, hạng 22/63') a unit
        state: dict = {"unit": list_unit} if list_unit is not None and _LIST_ITEM.match(block) else {}
        sentences = [sentence for _, sentence in split_sentences(block)]
        if figures_here:
            for sentence in sentences:
                facts.extend(extract_sentence(sentence, ctx, state))
        if activity_here:
            if actx is None:
                actx = article.activity_context(doc, ctx, published)
            for unit, period, act_year, act in block_activities(sentences, actx, result.warnings):
                code, name = code_for_period(unit.name, unit.code, act_year, period)
                if code is not None:
                    activities.append((code, name, act_year, act))
        _follow_index(block, ctx)
        list_unit = _list_lead_unit(block, list_unit)
    for table in doc.tables:  # a table names its index in its header or the lines above it, else the article's
        facts.extend(extract_table(table, ctx))
    for f in finish(facts):
        stated = ctx.denominators.get(f.unit_kind)
        if f.unit_kind == "province" and stated not in (None, 63, 34) and f.index != "PAPI":
            stated = None  # fewer than all provinces ranked: only PAPI has done that
        if f.last and f.rank is None and stated and "rank" not in f.conflicts:
            f.rank = stated - f.last + 1  # last (or next to last, ...) of the units the article counted
        if f.rank is not None and f.rank_of is None and stated and f.rank <= stated and (
                f.unit_kind == "ministry" and (ctx.year is None or f.index_year == ctx.year)
                or f.last and stated - f.last + 1 == f.rank):
            # (the count the article gives is its own year's: 17 ministries in 2019 were 19 in 2014-2016)
            f.rank_of = stated  # the count the article gave once for the whole ranking
        if not any(getattr(f, n) is not None for n in ("score", "rank", "rank_change", "prior_rank")):
            continue
        # Results for year Y are announced in Y+1: a "result" for the publication year or later is a plan.
        if published and f.index_year >= published.year and date_sure:
            continue
        if f.score is not None and not plausible_score(f, f.score):  # a table's cell out of the index's range
            f.score = f.score_unit = None
            if f.rank is None and f.rank_change is None and f.prior_rank is None:
                continue
        result.facts.append(_fact_dict(f, page_url))
    seen = set()
    for code, name, act_year, act in activities:
        key = (code, act.period, act.metric, act.level, act.reporter, act.value)
        if key in seen:  # the same figure restated in the lead and the body
            continue
        if any(o is not act and (oc, o.period, o.metric, o.level, o.reporter) == key[:5] and _rounds_to(o.value, act.value)
               for oc, _, _, o in activities):
            continue  # 'đạt 99,7%' in the headline, '99,71%' in the body: the rounding of the exact figure
        seen.add(key)
        result.facts.append({"url": page_url, "unit_name": name, "unit_code": code, "unit_kind": "province",
                             "index": "activity", "index_year": act_year, "metric": act.metric, "score": None,
                             "score_unit": None, "rank": None, "rank_of": None, "prior_rank": None,
                             "rank_change": None, "evidence": act.evidence, "value": act.value, "unit": act.unit,
                             "level": act.level, "total": act.total, "period": act.period,
                             "reporter": act.reporter})
    return result
