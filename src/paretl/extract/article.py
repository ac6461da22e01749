"""What an article as a whole says, for sentences that do not say it again: its publication date, its subject
(unit), its index and its year, each with where it came from.

The year an undated figure belongs to follows the announcement calendar: results for year Y are announced in the
spring of Y+1, so an article published in year P about a ranking names index year P-1 (P-2 before March, when the
new results are not out yet). Where a page states no date, its URL often does ('/202207/', '/2022/05/').
"""

from __future__ import annotations

import datetime as dt
import re

from paretl import reference
from paretl.extract import patterns as P
from paretl.extract.attribution import Context
from paretl.extract.document import Document
from paretl.extract.mentions import index_mentions, year_mentions
from paretl.extract.units import Mention, find_units

# Dates in URL paths: '/202207/', '/2022/05/', '/2022/05/30/', '/2022-5-30/', and 14-digit timestamp ids.
_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])/"),
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(?:([0-2]?\d|3[01])/)?"),
    re.compile(r"/((?:19|20)\d{2})-(0?[1-9]|1[0-2])-([0-2]?\d|3[01])/"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])([0-2]\d|3[01])\d{6,}(?!\d)"),
)
# Index names as URL slugs write them.
_SLUG_INDEX = (
    ("PAR_INDEX", re.compile(r"par-?index|chi-so-(?:cai-cach-hanh-chinh|cchc)")),
    ("SIPAS", re.compile(r"sipas|chi-so-hai-long")),
    ("PAPI", re.compile(r"papi")),
    ("PCI", re.compile(r"(?<![a-z])pci(?![a-z])|nang-luc-canh-tranh")),
    ("PGI", re.compile(r"(?<![a-z])pgi(?![a-z])|chi-so-xanh")),
)
_SLUG_INTERNAL = re.compile(r"-(?:nam-\d{4}-)?(?:cua-)?(?:cac-)?(?:cap-(?:huyen|xa|so)|so-|huyen|xa-|don-vi|phuong)")
_SLUG_YEAR = re.compile(r"(?<![0-9])(20[1-3]\d)(?![0-9])")
_ANNOUNCED = re.compile(r"(?<!\w)(?:vừa|mới|đã|chính thức)\s+(?:được\s+)?công bố|[Cc]ông bố (?:kết quả|Chỉ số|chỉ số|PAR|PCI|"
                        r"PAPI|SIPAS)|[Hh]ội nghị công bố|[Ll]ễ công bố")


def url_date(url: str | None) -> dt.date | None:
    """The publication date a URL path states, if any."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for rx in _URL_DATES:
        m = rx.search(path)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if m.lastindex and m.lastindex >= 3 and m.group(3) else 1
            try:
                return dt.date(y, mo, d)
            except ValueError:
                continue
    return None


def slug_index_year(url: str | None) -> tuple[str | None, int | None]:
    """The index and year an article's URL slug names ('.../par-index-2023-quang-ninh-dung-dau...')."""
    if not url:
        return None, None
    slug = re.sub(r"^[a-z]+://[^/]+", "", url.lower()).rstrip("/").rsplit("/", 1)[-1]
    found = [(m.start(), m.end(), code) for code, rx in _SLUG_INDEX for m in rx.finditer(slug)]
    if not found:
        return None, None
    start, end, code = min(found)
    if _SLUG_INTERNAL.match(slug[end:]):
        return None, None  # 'chi-so-cchc-cap-huyen': a province ranking its own districts or departments
    years = [(abs(m.start() - start), int(m.group(1))) for m in _SLUG_YEAR.finditer(slug)]
    near = [y for dist, y in sorted(years) if dist <= 40]
    return code, (near[0] if near else None)


# How many units the article says were ranked: '63 tỉnh, thành phố', 'xếp thứ 27/63', '17 bộ, cơ quan ngang bộ'.
_PROVINCES_STATED = re.compile(r"(?<![\d/.,])(63|34)\s*(?:tỉnh|địa phương|TỈNH)|/\s*(63|34)(?![\d.,]\d)|"
                               r"(?:out of|of the|among|all) (63|34)\b|"
                               # 'giving scores of 63 cities and provinces'
                               r"\bof (63|34) (?:cities and provinces|provinces and cities|provinces|localities)\b")
_FEWER_RANKED = re.compile(r"(?<![\d/])\d{1,2}\s*/\s*(5[5-9]|6[0-2])\s*/\s*63(?![\d.,]\d)")
# a count of ministries that is the ranked population ('trong số 17 bộ', 'dẫn đầu 19 Bộ, ngành', '17 bộ, cơ quan
# ngang bộ được đánh giá'), not a group of them ('12 bộ đạt trên 80%')
_MINISTRIES_STATED = re.compile(
    # ('Tính chung 18 bộ, cơ quan ngang bộ, chỉ số bình quân đạt 82,68%')
    r"(?:trong|trên|của|giữa|dẫn đầu|đứng đầu|xếp hạng|đánh giá|tất cả|tất|toàn bộ|cả|đối với|[Tt]ính chung)\s+(?:số\s+|tổng số\s+)?"
    r"(1[2-9]|2[0-5])\s*(?:[Bb]ộ|BỘ)|(?<![\d/.,])(1[2-9]|2[0-5])\s*(?:[Bb]ộ|BỘ),?\s*(?:cơ quan ngang bộ|ngành)\s+"
    r"(?:được|đã được)\s+(?:đánh giá|xếp hạng|xếp vào)|(?:of|among|all)\s+(?:the\s+)?(1[2-9]|2[0-5])\s*(?:ministries|ministerial)"
    # 'scores of 63 cities and provinces as well as 19 ministries and ministry-level agencies'
    r"|(?:63|34) (?:cities and provinces|provinces and cities|provinces)(?: as well as| and) (1[2-9]|2[0-5]) ministries"
    # the two populations of the announcement named together: '63 tỉnh, thành phố và 17 bộ, cơ quan trung ương', '19 bộ ... cùng UBND 63 tỉnh',
    # '17 bộ, ngành và 63 tỉnh'
    r"|(?:63|34)\s+(?:tỉnh, thành phố|tỉnh, thành|tỉnh|địa phương)\s+và\s+(1[2-9]|2[0-5])\s*(?:[Bb]ộ|BỘ)"
    r"|(?<![\d/.,])(1[2-9]|2[0-5])\s*(?:[Bb]ộ|BỘ)(?:,\s*(?:cơ quan ngang bộ|ngành|cơ quan trung ương))?\s+(?:và|cùng)\s+(?:UBND\s+)?"
    r"(?:63|34)\s+(?:tỉnh|địa phương)")


def stated_denominators(doc: Document) -> dict[str, int]:
    """The number of units ranked that the article states anywhere, per kind of unit, when it states one only:
    a rank in a list that gave the count once ('trong số 17 bộ, cơ quan ngang bộ', then 'đứng thứ 3') is
    out of that count."""
    text = "\n".join(([doc.title] if doc.title else []) + doc.blocks)
    out = {}
    fewer = {int(m.group(1)) for m in _FEWER_RANKED.finditer(text)}
    if len(fewer) == 1:
        out["province"] = fewer.pop()  # 'xếp thứ 58/61/63': 61 of the 63 were ranked (PAPI some years)
    for kind, rx, needed in (("province", _PROVINCES_STATED, ("63", "34")),
                             ("ministry", _MINISTRIES_STATED, ("bộ", "Bộ", "BỘ", "ministr"))):
        if kind in out or not any(n in text for n in needed):
            continue
        found = {int(next(g for g in m.groups() if g)) for m in rx.finditer(text)}
        if len(found) == 1:
            out[kind] = found.pop()
    return out


def calendar_year(published: dt.date | None, announced: bool) -> int | None:
    """The index year a ranking article most likely reports when its text names none: results for year Y come
    out in March-June of Y+1, and are the news of the rest of that year. Before the announcements (January to
    March) an undated ranking may be either year's, unless the article says the new ones were announced."""
    if published is None:
        return None
    if published.month <= 3 and not announced:
        return None
    return published.year - 1


def _primary_unit(doc: Document, source_province_code: str | None) -> tuple[Mention | None, str]:
    if source_province_code:
        p = reference.province_by_code(63).get(source_province_code)
        if p is None:  # a 34-era code of a post-merger source
            p34 = reference.province_by_code(34).get(source_province_code)
            p = next((q for q in reference.provinces_63() if p34 and q.name == p34.name), None)
        if p is not None:
            return Mention(0, 0, "province", p.name, p.code), "site"
    for text, source in ([(doc.title, "headline")] if doc.title else []) + [(" ".join(doc.blocks), "article")]:
        named = {(u.kind, u.name): u for u in find_units(text) if u.kind in ("province", "ministry")}
        if len(named) == 1:
            return next(iter(named.values())), source
        if named and source == "headline":
            return None, source  # a title naming several units is a round-up: no single subject
    return None, "article"


_GOAL_BEFORE = re.compile(r"(?:tìm cách|phấn đấu|quyết tâm|mục tiêu|kế hoạch|hướng tới|nỗ lực|giải pháp)\s+(?:\w+\s+){0,3}$", re.I)


def _index_and_year(doc: Document, url: str | None, published: dt.date | None):
    index = year = None
    index_source = year_source = "article"
    texts = ([(doc.title, "headline")] if doc.title else []) + [(b, "article") for b in doc.blocks]
    first_block_year = later_block_year = None
    for text, source in texts:
        mentions = [(s, e, k) for s, e, k in index_mentions(text) if k in P.INDEX_RX]
        years = [(p, y) for p, y, role in year_mentions(text) if role == "plain"]
        if any(_GOAL_BEFORE.search(text, max(0, s - 40), s) for s, e, k in mentions):
            years = []  # ('Hà Nội tìm cách nâng Chỉ số PAPI năm 2023': a goal, not the results the article reports)
        if mentions and index is None:
            index, index_source = mentions[0][2], source
            if years:
                first_block_year = (years[0][1], source)
        elif years and first_block_year is None and any(k == index for s, e, k in mentions):
            later_block_year = later_block_year or (years[0][1], source)
        # the year written with the index's name ('PAPI 2023', 'Chỉ số CCHC năm 2023', '(PCI) năm 2021')
        attached = [y for s, e, k in mentions if k == index for p, y in years if 0 <= p - e <= 12
                    and re.fullmatch(r"[\s)]*(?:\(\w+\)\s*)?(?:năm\s*)?", text[e:p])]
        if attached:
            year, year_source = attached[0], source
            break
    if year is None and first_block_year is not None:
        year, year_source = first_block_year  # else a year in the text that first names the index
    if year is None and later_block_year is not None and later_block_year[0] == max(
            y for text, _ in texts for p, y, role in year_mentions(text) if role == "plain"):
        # else the year of a later paragraph naming the index, when no later year is named anywhere: a look
        # back over the years ('Năm 2012, lần đầu ...') is about no one year
        year, year_source = later_block_year
    slug_index, slug_year = slug_index_year(url)
    if index is None and slug_index is not None:
        index, index_source = slug_index, "url"
    if year is None and slug_year is not None and (slug_index == index or index is None):
        year, year_source = slug_year, "url"
    if year is None:
        announced = any(_ANNOUNCED.search(t) for t, _ in texts)
        year, year_source = calendar_year(published, announced), "calendar"
    return index, index_source, year, year_source


def article_context(doc: Document, url: str | None, published: dt.date | None, source_province_code: str | None,
                    warnings: list[str]) -> Context:
    unit, unit_source = _primary_unit(doc, source_province_code)
    index, index_source, year, year_source = _index_and_year(doc, url, published)
    return Context(primary_unit=unit, index=index, year=year, published_year=published.year if published else None,
                   warnings=warnings, unit_source=unit_source, index_source=index_source, year_source=year_source,
                   denominators=stated_denominators(doc))


# The first paragraph that counts dossiers, staff cuts or services is the activity report's lead.
_ACTIVITY_LEAD = re.compile(r"\d[\d.,]*\s+(?:hồ sơ|người|đối tượng|dịch vụ công)")


# a headline or lead whose subject is one district ('Huyện Yên Thế: ...', 'UBND huyện Yên Thế cho biết, ...')
_ONE_DISTRICT_SUBJECT = re.compile(r"\s*(?:UBND\s+|Ủy ban nhân dân\s+)?(?:[Hh]uyện|[Tt]hị xã|[Qq]uận)\s+[A-ZĐ]")
# 'Tỷ lệ hồ sơ trễ hạn của UBND TP. Nha Trang ...': a lead whose figures are one district's or one provincial
# city's own People's Committee's (not a centrally-run city's, which is a province)
_ONE_DISTRICT_OWNER = re.compile(r"(?<!\w)(?:của|tại)\s+(?:UBND|Ủy ban nhân dân)\s+(?:[Hh]uyện|[Tt]hị xã|[Qq]uận|TP\.?|[Tt]hành phố)\s*"
                                 rf"{P.NOT_CENTRAL_CITY}[A-ZĐ]")
# a lead about one district, town, ward or commune (after a dateline): 'UBND huyện Thăng Bình vừa tổ chức hội nghị
# tổng kết ...', 'huyện Khánh Vĩnh tổ chức tổng kết ...', 'Trung tâm Phục vụ hành chính công xã Phú Giáo ...',
# 'bộ phận tiếp nhận và trả kết quả của huyện và các xã', unless the lead speaks of the province as well
_ONE_UNIT_LEAD = re.compile(
    rf"(?<!\w)(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:huyện|thị xã|quận|phường|xã|thị trấn|đặc khu|TX\.|"
    rf"(?:thành phố|TP\.?)\s*{P.NOT_CENTRAL_CITY}[A-ZĐ])"
    rf"|(?<!\w)(?:huyện|thị xã|quận|phường|xã|đặc khu)\s+[A-ZĐ]\w*(?:\s+[A-ZĐ]\w*){{0,2}}\s+(?:vừa\s+)?(?:tổ chức|tổng kết|sơ kết|họp)"
    rf"|Trung tâm [Pp]hục vụ hành chính công (?:xã|phường|đặc khu)\s+[A-ZĐ]"
    rf"|(?:[Bb]ộ phận|[Bb]ộ phận tiếp nhận và trả kết quả)\s+(?:\W?một cửa\W?\s+)?(?:của\s+)?(?:(?:huyện|thị xã|quận)(?!\w)|TX\.)"
    rf"|(?<!\w)[Tt]oàn (?:huyện|thị xã|quận)(?!\w)")
_PROVINCE_LEAD = re.compile(r"(?<!\w)(?:UBND tỉnh|Ủy ban nhân dân tỉnh|Uỷ ban nhân dân tỉnh|Trung tâm [Pp]hục vụ hành chính công tỉnh|"
                            r"cấp tỉnh|trên địa bàn tỉnh|toàn tỉnh (?:đã\s+)?(?:tiếp nhận|giải quyết))(?!\w)")
_EVENT_DAY = re.compile(r"(?:Sáng|Chiều|Tối|Trưa|Sáng nay|Chiều nay)\s+(?:ngày\s+)?\d")
_MONTH_YEAR = re.compile(r"(?<!\w)[Tt]háng\s+\d{1,2}\s*[./-]\s*((?:19|20)\d{2})(?!\d)")


def activity_context(doc: Document, ctx: Context, published: dt.date | None):
    """What an article's activity figures inherit: its unit, the period its headline or lead names, and the year
    for period phrases that name none (the headline's or lead's year, else the publication year: activity is
    reported as it happens)."""
    from paretl.extract.activity import ONE_DISTRICT, ActivityContext, body_named
    from paretl.extract.periods import Period, period_mentions

    period = None
    year = None
    body = None
    for text in ([doc.title] if doc.title else []) + doc.blocks[:3]:
        body = body or body_named(text)
        found = period_mentions(text, published)
        # 'Chiều 22.9, UBND ... tổ chức hội nghị': the day an event was held, not the period the figures cover
        opening = [f for f in found if not (f.kind == "range" and _EVENT_DAY.match(text, f.start))]
        if opening and period is None:
            period = opening[0]
        dated = [f.year for f in found if f.year] + [int(m.group(1)) for m in _MONTH_YEAR.finditer(text)]
        if dated and year is None:
            year = dated[0]  # 'Chiều 19.9, ...' then 'Tính đến tháng 9.2025': the year is 2025
        years = [y for p, y, role in year_mentions(text) if role == "plain"]
        if years and year is None:
            year = years[0]
    opening = ([doc.title] if doc.title else []) + doc.blocks[:3]
    # (a department the lead names is one district's branch of it when the lead is about one district)
    if (body is None or body[1] != "service_centre") and (
            any(_ONE_DISTRICT_SUBJECT.match(text) or _ONE_DISTRICT_OWNER.search(text) for text in opening)
            or any(_ONE_UNIT_LEAD.search(t) for t in opening) and not any(_PROVINCE_LEAD.search(t) for t in opening)):
        body = (ONE_DISTRICT, ONE_DISTRICT)  # 'Huyện Yên Thế: hơn 98% hồ sơ ...': one district's own report
    if body is None:  # the lead may come after a masthead and menus the text capture kept
        lead = next((b for b in doc.blocks[:20] if _ACTIVITY_LEAD.search(b)), None)
        body = body_named(lead) if lead else None
    if year is None and ctx.year is not None and ctx.year_source in ("headline", "article"):
        year = ctx.year  # the year the article's index results are for
    if period is None and year is not None:
        period = Period(0, str(year), year, "year")  # the year the headline or lead is about
    if year is None and published is not None:
        year = published.year  # for period phrases that name no year: activity is reported as it happens
    return ActivityContext(primary_unit=ctx.primary_unit, period=period, year=year, published=published, body=body)
