"""Publication dates as Vietnamese sites print them."""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d{2})(?!\d)")
_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORDY = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.IGNORECASE)


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The first date in text: ISO ('2018-05-03T08:30:00+07:00'), day-first ('02/5/2018', 'Thứ tư, 13/11/2019 -
    08:30', '21-05-2020') or in words ('ngày 2 tháng 5 năm 2018'). None when there is none or it is impossible."""
    if not text:
        return None
    found: list[tuple[int, dt.date]] = []
    for rx, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_WORDY, "dmy")):
        for m in rx.finditer(text):
            a, b, c = (int(g) for g in m.groups())
            date = _make(a, b, c) if order == "ymd" else _make(c, b, a)
            if date is not None:
                found.append((m.start(), date))
                break
    if not found:
        return None
    return min(found)[1]


# a date that belongs to a cited document ('Nghị định số 108/2014/NĐ-CP ngày 20/11/2014', 'Quyết định 2558/QĐ-BNV
# ngày 01/8/2016'): when it is not its day, the date a page was written
_CITED_BEFORE = re.compile(r"(?:[A-ZĐ]{1,6}(?:-[A-ZĐ]{1,6})+|[Nn]ghị định|[Qq]uyết định|[Tt]hông tư|[Nn]ghị quyết|[Cc]hỉ thị|"
                           r"[Cc]ông văn|[Kk]ế hoạch|[Vv]ăn bản|[Bb]áo cáo|[Ll]uật)[^.;]{0,12}?\s+(?:ban hành\s+)?ngày\s*$")


def first_uncited_date(text: str | None) -> dt.date | None:
    """parse_date over running text, skipping the dates of documents the text cites."""
    if not text:
        return None
    for m in _DMY.finditer(text):
        if _CITED_BEFORE.search(text[max(0, m.start() - 60):m.start()]):
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return parse_date(text)
