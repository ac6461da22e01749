"""Reporting periods of reform activity figures, as Vietnamese reports write them.

A period is written ISO-like (docs/facts.md): `2021` (a year), `2021-H1` (the first six months), `2021-Q3` (a
quarter), `2021-09` (a month), `2021-M9` (the first nine months), or a date range `2019-01-03/2019-06-20`. A phrase
that names no year ('quý I', 'tháng 7', '6 tháng đầu năm') takes the year the text around it gives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_WORD_MONTHS = {"ba": 3, "sáu": 6, "chín": 9, "mười": 10}
_Y = r"((?:19|20)\d{2})"
_DATE = r"(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*((?:19|20)\d{2}))?"

# Most specific first: a range holds dates, a month phrase may hold a year.
_RANGE = re.compile(rf"(?<!\w)[Tt]ừ\s+(?:ngày\s+)?{_DATE}\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?{_DATE}")
# 'từ ngày 1-15/2/2024': days of one month
_DAYS_OF_MONTH = re.compile(rf"(?<!\w)[Tt]ừ\s+(?:ngày\s+)?(\d{{1,2}})\s*(?:-|–|đến)\s*(\d{{1,2}})\s*[./]\s*(\d{{1,2}})"
                            rf"(?:\s*[./]\s*{_Y})?(?![\d/.])")
_YTD = re.compile(rf"(?<!\w)(?:[Tt]ừ đầu năm(?:\s+{_Y})?\s+(?:đến|tới)|[Tt]ính đến|[Ll]ũy kế đến|[Đđ]ến hết|"
                  rf"[Tt]ính từ đầu năm đến|^\s*[Đđ]ến)\s+(?:hết\s+)?(?:ngày\s+)?{_DATE}")
# 'trong ngày 23-2', 'sáng 23/2': one day
_DAY = re.compile(rf"(?<!\w)(?:[Tt]rong ngày|[Tt]rong sáng|[Ss]áng|[Cc]hiều|[Tt]ối)\s+(?:ngày\s+)?{_DATE}")
# ('quý đầu năm', 'quý cuối năm': the first and the last)
_QUARTER = re.compile(rf"(?<!\w)[Qq]uý\s+(IV|I{{1,3}}|[1-4]|đầu|cuối)(?!\w)(?:\s*(?:/|-|–|năm|,)\s*{_Y})?")
# 'từ tháng 3 đến tháng 6/2022', 'trong tháng 10 và 11 năm 2022', 'tháng 10, 11/2022': whole months, first to last
_MONTH_SPAN = re.compile(rf"(?<!\w)(?:[Tt]ừ\s+tháng\s+(\d{{1,2}})\s*(?:đến|tới|-|–)\s*(?:hết\s+)?tháng\s+(\d{{1,2}})"
                         rf"|[Tt]háng\s+(\d{{1,2}})\s*(?:và|,|-|–)\s*(?:tháng\s+)?(\d{{1,2}}))(?!\d)"
                         rf"(?:\s*(?:/|-|năm|,|\.)\s*{_Y})?(?![\d/])")
_FIRST_MONTHS = re.compile(rf"(?<!\w)(\d{{1,2}}|[Bb]a|[Ss]áu|[Cc]hín|[Mm]ười)\s+tháng\s+(đầu\s+|cuối\s+)?(?:của\s+)?(?:năm\s+)?"
                           rf"(?:{_Y}|(nay))?(?!\s*/)"
                           # '3 tháng vận hành', 'sau 3 tháng triển khai': a duration, not the year's first months
                           rf"(?!\s*(?:vận hành|triển khai|thực hiện|hoạt động|đi vào|thí điểm|áp dụng))")
_MONTH = re.compile(rf"(?<!\w)[Tt]háng\s+(\d{{1,2}})(?:\s*(?:/|-|năm|,|\.)\s*{_Y})?(?![\d/])")  # 'tháng 9.2025' too
_YEAR = re.compile(rf"(?<!\w)(?:[Nn]ăm|[Tt]rong năm|[Cc]ả năm)\s+{_Y}(?![\d/–-])")
# a period phrase after these is compared with, aimed at or counted from, not what a figure counts over
_NOT_PERIOD_BEFORE = re.compile(r"(?:so với|so|hơn|như|bằng|cùng kỳ|đến|tới|từ|kể từ|trước|sau|giai đoạn|kế hoạch|"
                                r"phấn đấu|chỉ tiêu)\s*(?:cùng kỳ\s*)?$", re.IGNORECASE)
# ('tính tới cuối tháng 4/2018': as it stood at the month's end, a count since some earlier day)
_AS_OF_BEFORE = re.compile(r"(?:[Tt]ính đến|[Đđ]ến hết|[Tt]ính tới|[Tt]ới hết|[Đđ]ến cuối|[Tt]ới cuối)\s*(?:cuối\s+|hết\s+)?$")
# 'từ đầu năm đến nay', 'từ đầu năm 2023 đến nay' (the year named is the article's own)
# ('ngay từ đầu năm': right from the year's start, how early something began, no period)
_TODAY = re.compile(rf"(?<!\w)(?<!ngay )từ đầu năm(?:\s+{_Y})?(?:\s+(?:đến nay|tới nay))?(?!\w)")


# the day a news sentence opens on: 'Chiều 12/6, ...', 'Ngày 20-3, ...'
_TOLD_ON = re.compile(r"\s*(?:[A-Z]{2,5}\s*[-–]\s*)?(?:Sáng|Chiều|Tối|Trưa|Ngày)\s+(?:ngày\s+)?(\d{1,2})\s*[./-]\s*(\d{1,2})(?![\d./-])\s*,")


@dataclass(frozen=True)
class Period:
    start: int  # position in the text
    code: str | None  # None: a period whose year the text does not give here (filled from the context)
    year: int | None
    kind: str  # range | quarter | half | months | months span | month | year
    raw: tuple = ()  # what is needed to finish the code once the year is known


def _date(d: str, m: str, y: int) -> dt.date | None:
    try:
        return dt.date(y, int(m), int(d))
    except ValueError:
        return None


def finish(p: Period, year: int | None) -> tuple[str, int] | None:
    """(code, index year) of a period, taking the year from the context where the phrase names none."""
    if p.code is not None:
        return p.code, p.year
    if year is None:
        return None
    if p.kind == "quarter":
        return f"{year}-Q{p.raw[0]}", year
    if p.kind == "half":
        return f"{year}-H{p.raw[0]}", year
    if p.kind == "months":
        return (f"{year}-Q1", year) if p.raw[0] == 3 else (f"{year}-M{p.raw[0]}", year)
    if p.kind == "month":
        return f"{year}-{p.raw[0]:02d}", year
    if p.kind == "months span":
        return _month_span(p.raw[0], p.raw[1], year)
    if p.kind in ("range", "ytd"):
        d1 = _date(*p.raw[0], year)
        d2 = _date(*p.raw[1], year)
        if d1 is None or d2 is None or d2 < d1:
            return None
        return f"{d1.isoformat()}/{d2.isoformat()}", year
    return None


def _month_span(first: int, last: int, year: int) -> tuple[str, int] | None:
    """Months first to last of a year, whole: a quarter or a date range."""
    if not 1 <= first < last <= 12:
        return None
    a = dt.date(year, first, 1)
    b = (dt.date(year, last + 1, 1) - dt.timedelta(days=1)) if last < 12 else dt.date(year, 12, 31)
    return range_code(a, b), year


def range_code(a: dt.date, b: dt.date) -> str:
    """The code of a date range: the year, quarter or month it covers exactly, else 'first/last'."""
    return _whole(a, b) or f"{a.isoformat()}/{b.isoformat()}"


def _whole(a: dt.date, b: dt.date) -> str | None:
    """The period a date range covers exactly: a year, a quarter or a month."""
    if a.year != b.year or a.day != 1:
        return None
    end = (dt.date(b.year, b.month % 12 + 1, 1) - dt.timedelta(days=1)) if b.month < 12 else dt.date(b.year, 12, 31)
    if b != end:
        return None
    if a.month == 1 and b.month == 12:
        return str(a.year)
    if a.month == b.month:
        return f"{a.year}-{a.month:02d}"
    if (a.month - 1) % 3 == 0 and b.month == a.month + 2:
        return f"{a.year}-Q{(a.month - 1) // 3 + 1}"
    return None


def period_mentions(text: str, published: dt.date | None = None) -> list[Period]:
    """Every period phrase in a sentence, by position; overlapping phrases keep the most specific."""
    out: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, p: Period) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        if p.kind not in ("range", "ytd", "asof") and _NOT_PERIOD_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
            taken.append((m.start(), m.end()))
            return
        taken.append((m.start(), m.end()))
        out.append(p)

    for m in _RANGE.finditer(text):
        d1, m1, y1, d2, m2, y2 = m.groups()
        if re.search(r"\(\s*(?:[Tt]ính\s+)?$", text[max(0, m.start() - 12):m.start()]) and \
                re.search(r"(?:[Tt]háng|[Qq]uý|[Nn]ăm|[Tt]uần)[^()]{0,20}\(\s*(?:[Tt]ính\s+)?$", text[max(0, m.start() - 40):m.start()]):
            taken.append((m.start(), m.end()))
            continue  # 'tháng 7 năm 2021 (tính từ ngày 21/6 đến 20/7/2021)': the month is the period, the dates its days
        y_end = int(y2) if y2 else None
        y_start = int(y1) if y1 else y_end
        if y_end is not None and y_start is not None:
            a, b = _date(d1, m1, y_start), _date(d2, m2, y_end)
            if a and b and a <= b:
                add(m, Period(m.start(), range_code(a, b), a.year, "range"))
                continue
        add(m, Period(m.start(), None, None, "range", ((d1, m1), (d2, m2))))
    for m in _DAYS_OF_MONTH.finditer(text):
        d1, d2, mo, y = m.groups()
        if y:
            a, b = _date(d1, mo, int(y)), _date(d2, mo, int(y))
            if a and b and a <= b:
                add(m, Period(m.start(), range_code(a, b), a.year, "range"))
                continue
        add(m, Period(m.start(), None, None, "range", ((d1, mo), (d2, mo))))
    for m in _YTD.finditer(text):
        y_start, d2, m2, y2 = m.groups()
        year = int(y2) if y2 else (int(y_start) if y_start else None)
        if year is not None:
            b = _date(d2, m2, year)
            if b:
                add(m, Period(m.start(), f"{year}-01-01/{b.isoformat()}", year, "ytd"))
                continue
        add(m, Period(m.start(), None, None, "ytd", (("1", "1"), (d2, m2))))
    for m in _DAY.finditer(text):
        d, mo, y = m.groups()
        if y:
            a = _date(d, mo, int(y))
            if a:
                add(m, Period(m.start(), f"{a.isoformat()}/{a.isoformat()}", a.year, "range"))
                continue
        add(m, Period(m.start(), None, None, "range", ((d, mo), (d, mo))))
    for m in _MONTH_SPAN.finditer(text):
        first, last = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(4)))
        if not 1 <= first < last <= 12:
            taken.append((m.start(), m.end()))
            continue  # not months in order: no period to read (nor is either month alone the figure's)
        year = int(m.group(5)) if m.group(5) else None
        done = _month_span(first, last, year) if year else None
        add(m, Period(m.start(), done[0] if done else None, year, "months span", (first, last)))
    for m in _QUARTER.finditer(text):
        q = {"đầu": 1, "cuối": 4}.get(m.group(1)) or _ROMAN.get(m.group(1)) or int(m.group(1))
        year = int(m.group(2)) if m.group(2) else None
        add(m, Period(m.start(), f"{year}-Q{q}" if year else None, year, "quarter", (q,)))
    for m in _FIRST_MONTHS.finditer(text):
        n = _WORD_MONTHS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        if not 2 <= n <= 11:
            continue
        year = int(m.group(3)) if m.group(3) else (published.year if m.group(4) and published else None)
        if n == 6:
            half = 2 if (m.group(2) or "").startswith("cuối") else 1
            add(m, Period(m.start(), f"{year}-H{half}" if year else None, year, "half", (half,)))
        elif not (m.group(2) or "").startswith("cuối"):
            code = (f"{year}-Q1" if n == 3 else f"{year}-M{n}") if year else None
            add(m, Period(m.start(), code, year, "months", (n,)))
    for m in _MONTH.finditer(text):
        month = int(m.group(1))
        if not 1 <= month <= 12:
            continue
        year = int(m.group(2)) if m.group(2) else None
        if year and _AS_OF_BEFORE.search(text[max(0, m.start() - 15):m.start()]):
            # 'Tính đến tháng 9.2025, ... đã cung cấp 1.204 dịch vụ công': a count as it stood that month
            add(m, Period(m.start(), f"{year}-{month:02d}", year, "asof", (month,)))
            continue
        add(m, Period(m.start(), f"{year}-{month:02d}" if year else None, year, "month", (month,)))
    if published is not None:
        for m in _TODAY.finditer(text):  # 'từ đầu năm đến nay': the year so far, to the article's date
            if m.group(1) and int(m.group(1)) != published.year:
                continue  # a year that is not the article's: that year's (below), not so far
            add(m, Period(m.start(), f"{published.year}-01-01/{published.isoformat()}", published.year, "ytd"))
    else:
        for m in _TODAY.finditer(text):
            # 'Chiều 12/6, ... cho biết, từ đầu năm 2023 đến nay, ...': 'nay' is the day the sentence opens on
            day = _TOLD_ON.match(text)
            if m.group(1) and m.group(0).endswith("nay") and day:
                b = _date(day.group(1), day.group(2), int(m.group(1)))
                if b:
                    add(m, Period(m.start(), f"{b.year}-01-01/{b.isoformat()}", b.year, "ytd"))
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        add(m, Period(m.start(), str(year), year, "year"))
    out.sort(key=lambda p: p.start)
    return out


def period_end(code: str | None) -> dt.date | None:
    """The last day a period code covers ('2025-H1' ends on 30 June 2025), None for a code it cannot read."""
    if not code:
        return None
    if "/" in code:
        try:
            return dt.date.fromisoformat(code.split("/")[1])
        except ValueError:
            return None
    m = re.fullmatch(r"((?:19|20)\d{2})(?:-(H[12]|Q[1-4]|M\d{1,2}|\d{2}))?", code)
    if not m:
        return None
    year, part = int(m.group(1)), m.group(2)
    last = 12 if part is None else {"H1": 6, "H2": 12}.get(part) or (int(part[1]) * 3 if part[0] == "Q" else
                                                                     int(part[1:]) if part[0] == "M" else int(part))
    if not 1 <= last <= 12:
        return None
    return (dt.date(year, last + 1, 1) - dt.timedelta(days=1)) if last < 12 else dt.date(year, 12, 31)
