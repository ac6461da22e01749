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
