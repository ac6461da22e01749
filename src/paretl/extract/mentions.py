"""Scanning a sentence for what a figure needs: index names, years, and the figures themselves (scores, ranks,
changes, prior ranks, holds).

Scanning only finds candidates; whether a figure is a unit's national result (scope.py) and whose it is
(attribution.py) is decided afterwards, so that every pattern here can stay a plain description of the words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from paretl.extract import patterns as P
from paretl.extract.numbers import (
    MalformedNumber,
    ordinal_to_int,
    parse_rank_number,
    parse_score,
    words_to_int,
)
from paretl.extract.units import Mention, find_units, is_announcer


@dataclass
class Figure:
    kind: str  # score | rank | change | prior | hold
    start: int
    end: int
    value: float | int | None = None
    unit: str | None = None  # score unit
    rank_of: int | None = None
    compare_year: int | None = None  # change: the year compared with, when stated
    prior_years: tuple[int, ...] = ()
    bare: bool = False  # an ordinal with no rank verb: only a rank right after a unit's name
    years: tuple[int, ...] = ()  # years bound to this figure alone: 'hạng 8 (2016, 2017)', 'năm 2020 (41,62 điểm)'
    prior: bool = False  # a score a unit moved from ('từ 87,61% xuống 86,78%'): the year before's, if dated
    after_prior: bool = False  # the rank or score a unit moved to ('từ vị trí 51 lên thứ hạng 31')
    years_back: int = 1  # prior: how many years before the fact's year ('từ vị trí 45 của 3 năm trước')


def _mask(text: str, rx: re.Pattern[str]) -> str:
    return rx.sub(lambda m: " " * len(m.group(0)), text)

_COMPONENT_CONTEXT = re.compile(r"(?<!\w)(?:[Ll]ĩnh vực|thành phần|[Tt]iêu chí|\d+ nội dung)(?!\w)")
_PART_SEGMENT = re.compile(r"[Đđ]iểm (?:số )?(?:thẩm định|đánh giá|khảo sát|điều tra|tác động)|[Đđ]iều tra xã hội học")


def _component_metric(segment: str, in_areas: bool) -> str | None:
    low = segment.lower()
    if re.search(r"điểm (?:số )?(?:khảo sát|đánh giá)?\s*(?:sự |mức độ )?hài lòng|sipas", low) and not in_areas:
        return "sipas_component"
    if not in_areas:
        for rx, met in P.PART_NAMES:
            if rx.search(segment):
                return met
        if re.search(r"điểm (?:đánh giá )?tác động", low):
            return "impact"
    for rx, met in P.COMPONENT_NAMES:
        if rx.search(segment):
            return met
    return None


@functools.lru_cache(maxsize=4096)  # a page's blocks are read for its lead, its sections and its sentences
def index_mentions(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind): kind is an index code, OTHER, INTERNAL, TOTAL or COMPONENT:<metric or ?>."""
    out: list[tuple[int, int, str]] = []
    low = text.lower()
    for code, rx in P.INDEX_RX.items():
        if not any(word in low for word in P.INDEX_WORDS[code]):
            continue  # none of the words this index's names need: its pattern cannot match
        for m in rx.finditer(text):
            after = text[m.end():m.end() + 40]
            before = text[max(0, m.start() - 30):m.start()]
            kind = "INTERNAL" if P.INTERNAL_AFTER_INDEX.match(after) else code
            if text[max(0, m.start() - 1):m.start()] == "(" and any(e2 <= m.start() and m.start() - e2 < 60
                                                                    for s2, e2, k2 in out if k2 != "OTHER"):
                continue  # '(SIPAS)' right after the name it abbreviates
            if code == "SIPAS" and re.search(r"[Đđ]iểm (?:số )?(?:khảo sát|đánh giá)?[\s,]*(?:của người dân[^,;]*)?$",
                                             before):
                kind = "COMPONENT:sipas_component"  # the SIPAS part inside a PAR INDEX total
            out.append((m.start(), m.end(), kind))
    for m in P.OTHER_RX.finditer(text):
        out.append((m.start(), m.end(), "OTHER"))
    for m in P.INDEX_ANAPHOR.finditer(text):
        out.append((m.start(), m.end(), "ANAPHOR"))
    for m in P.TOTAL_RX.finditer(text):
        out.append((m.start(), m.end(), "TOTAL"))
    # Components: in a sentence listing areas or parts, each clause names its own component.
    in_areas = bool(re.search(r"[Ll]ĩnh vực", text))
    if _COMPONENT_CONTEXT.search(text) or _PART_SEGMENT.search(text):
        pos = 0
        for seg in re.split(r"(;|,(?=\s*(?:lĩnh vực|điểm|chỉ số|tiêu chí)\b)|:)", text):
            if seg in (";", ":") or seg.startswith(","):
                pos += len(seg)
                continue
            metric = _component_metric(seg, in_areas) if (_COMPONENT_CONTEXT.search(text) and
                                                           re.search(r"đạt|được|:|\d", seg)) or _PART_SEGMENT.search(seg) \
                else None
            if metric and not P.INDEX_RX["PAR_INDEX"].search(seg):
                m = re.search(r"\S", seg)
                start = pos + (m.start() if m else 0)
                out.append((start, start + 1, f"COMPONENT:{metric}"))
            pos += len(seg)
    for m in P.COMPONENT_RX.finditer(text):
        if _SUM_OF_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue  # 'điểm tổng hợp các chỉ số thành phần': the total the components add up to
        # (near a part the segments above named; another mention of a part, however near, is one of its own:
        # 'trong 4 chỉ số thành phần của chỉ số PGI, tại chỉ số thành phần 2 ..., X xếp vị trí 6/63')
        if not any(k.startswith("COMPONENT") and k != "COMPONENT:?" and abs(s - m.start()) < 40 for s, e, k in out):
            out.append((m.start(), m.end(), "COMPONENT:?"))
    for m in P.AREA_INDEX_RX.finditer(text):
        # 'chỉ số cải cách thủ tục hành chính của Bộ ...': one area of the PAR INDEX, named as an index of its own
        area = next((name for rx, name in P.COMPONENT_NAMES if rx.search(m.group(1))), "?")
        out = [item for item in out if not (item[0] < m.end() and m.start() < item[1])]
        out.append((m.start(), m.end(), f"COMPONENT:{area}"))
    out.sort()
    # An OTHER match inside an index name (e.g. 'PCI' in 'Chỉ số PCI cấp sở') defers to the longer match.
    dedup: list[tuple[int, int, str]] = []
    for item in out:
        if dedup and item[0] < dedup[-1][1]:
            if item[1] - item[0] > dedup[-1][1] - dedup[-1][0]:
                dedup[-1] = item
            continue
        dedup.append(item)
    return tuple(dedup)


_SUM_OF_BEFORE = re.compile(r"(?:[Đđ]iểm tổng hợp|[Tt]ổng điểm|[Tt]ổng số điểm)\s+(?:của\s+)?(?:các\s+|cả\s+|\d+\s+)?$")


@functools.lru_cache(maxsize=4096)
def year_mentions(text: str, published_year: int | None = None) -> tuple[tuple[int, int, str], ...]:
    """(position, year, role). Roles: plain; compare ('so với năm 2016'); compare_khi ('so với năm 2016, khi tỉnh
    xếp thứ 52': the comparison year is also the year of the clause that follows); target ('đến năm 2025')."""
    masked = _mask(_mask(text, P.DATE_RX), P.PERIOD_RX)
    out = []
    for m in P.YEAR_RX.finditer(masked):
        y = int(m.group(1))
        if not 2005 <= y <= 2035:
            continue
        before = masked[max(0, m.start() - 25):m.start()]
        after = masked[m.end():m.end() + 12]
        if P.SINCE_BEFORE.search(before) or P.SINCE_CLAUSE_BEFORE.search(masked, max(0, m.start() - 60), m.start()):
            role = "since"  # 'tính từ năm 2017': the start of a span, not the year of a result
        elif P.COMPARE_BEFORE.search(before):
            role = "compare_khi" if re.match(r"^\s*(?:,\s*(?:khi|năm|lúc|thời điểm)\b|(?:khi|lúc)\b)", after) \
                else "compare"
        elif P.TARGET_CLAUSE_BEFORE.search(masked[max(0, m.start() - 60):m.start()]) \
                and (published_year is None or y >= published_year):
            role = "target"
        elif P.TARGET_BEFORE.search(before) and (published_year is None or y >= published_year):
            role = "until"  # 'đến năm 2025': a target, unless the text goes on to a later year (below)
        else:
            role = "plain"
        out.append((m.start(), y, role))
    # 'năm 2015 xếp thứ 45 ..., đến năm 2017 tiếp tục lên vị trí 33 và năm 2018 ... lên vị trí 23': a year the
    # text passes on its way to a later one is a step of the story, not a target
    latest = max((y for p, y, role in out if role == "plain"), default=None)
    return tuple((p, y, "plain" if role == "until" and latest is not None and latest > y else
                  "target" if role == "until" else role) for p, y, role in out)

_RANGE_BEFORE = re.compile(r"\d\s*%?\s*[-–]\s*$")
# 'thấp hơn năm 2019 (66,23 điểm)', 'thấp hơn năm 2020 khi đạt 41,985 điểm': that year's score, not a gap
_YEAR_PAREN_BEFORE = re.compile(r"(?:hơn|so với)\s+(?:năm\s+)?(?:19|20)\d{2}\s*(?:\(\s*|,?\s*(?:khi|lúc)\s+)(?:đạt\s+|với\s+)?$")


# 'Chỉ số SIPAS đạt tỷ lệ 84,37%': the satisfaction index is a rate, so its 'tỷ lệ' is its score (not a share)
_SATISFACTION_RATE_BEFORE = re.compile(r"(?:SIPAS|[Cc]hỉ số hài lòng)[^.;,()]{0,30}?\s(?:đạt|là)\s+(?:tỷ lệ|tỉ lệ)\s*$")


# a scale told in parts after 'gồm' ('thang điểm tối đa 100 điểm, gồm 68 điểm ... và 32 điểm ...'), no unit's result
# between (no 'đạt' / 'được' / a unit's place)
_SCALE_PARTS = re.compile(r"(?:[Tt]hang điểm|điểm tối đa|tối đa)[^.;]{0,40}?\sgồm\s(?:(?!đạt|được|xếp|đứng)[^.;]){0,120}$")


# 'năm nay lần đầu tiên tổng điểm lên tới 72,8 điểm': the total reached that score (not a move: no 'tăng'/'giảm')
# ('Sang năm 2017, chỉ số của tỉnh lên 37,51 điểm': the index of the unit rose to that score)
_TOTAL_REACHED_BEFORE = re.compile(r"(?:[Tt]ổng điểm|[Đđ]iểm số|[Đđ]iểm PCI|[Đđ]iểm tổng hợp)\s+(?:(?!tăng|giảm)[^\d,.;]){0,12}?"
                                   r"lên (?:tới|đến|mức)\s*$"
                                   r"|[Cc]hỉ số (?:của (?:tỉnh|thành phố|địa phương)\s+)?(?:đã\s+)?lên (?:tới |đến |mức )?$"
                                   # 'đứng đầu toàn quốc với tổng cộng 47,82 điểm': a place's total, not the scale
                                   r"|(?:đầu|nhất|thứ \w+|hạng \w+|đạt)(?:\s+(?:toàn quốc|cả nước))?\s+(?:với\s+)?tổng cộng\s+$"
                                   # ('... năm 2021 với tổng cộng 45,366 điểm'; not a scale's 'gồm 8 nội dung với tổng cộng')
                                   r"|(?<!nội dung )(?<!tiêu chí )(?<!lĩnh vực )(?<!gồm )\bvới tổng cộng\s+$")


_BOUND_AFTER = re.compile(r"\s*(?:hoặc|trở)\s+(?:cao hơn|hơn|lên|thấp hơn|xuống)(?!\w)")


def score_figures(text: str, warnings: list[str]) -> list[Figure]:
    out = []
    for m in P.SCORE_RX.finditer(text):
        token, word = m.group(1) or m.group(4), m.group(2)
        if P.NOT_SCORE_AFTER.match(text[m.end():m.end() + 15]) and word == "điểm":
            continue
        if _BOUND_AFTER.match(text, m.end()):
            continue  # 'nhóm đầu gồm 12 bộ đạt mức 80 điểm hoặc cao hơn', '90% trở lên': a group's bound
        before = text[max(0, m.start() - 30):m.start()]
        if _RANGE_BEFORE.search(before):
            continue  # 'từ 80-90%': a band of scores, nobody's score
        if P.NOT_SCORE_BEFORE.search(before) and not _YEAR_PAREN_BEFORE.search(before) \
                and not _SATISFACTION_RATE_BEFORE.search(text[max(0, m.start() - 60):m.start()]) \
                and not _TOTAL_REACHED_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            continue  # 'cao hơn 2 điểm' is a gap; 'thấp hơn năm 2019 (66,23 điểm)' is that year's score
        if _SCALE_PARTS.search(text, 0, m.start()):
            continue  # 'thang điểm tối đa 100 điểm, gồm 68 điểm chấm ..., còn 32 điểm chấm ...': the scale's parts
        try:
            value = parse_score(token.rstrip(".,"))
        except MalformedNumber as exc:
            warnings.append(f"skipped score: {exc}")
            continue
        unit = "percent" if word == "%" else "points"
        out.append(Figure("score", m.start(), m.end(), value, unit=unit))
    taken = [(f.start, f.end) for f in out]
    for m in P.SCORE_TRANSITION.finditer(text):
        # 'từ 87,61% xuống 86,78%', 'từ 62,73 điểm (năm 2014) lên 67,16 (năm 2019)': the unit may be written once
        unit_word = m.group("u1") or m.group("u2")
        if not unit_word:
            continue  # 'từ 51 lên 31' are ranks
        unit = "percent" if "%" in unit_word else "points"
        for grp, is_prior in (("a", True), ("b", False)):
            if any(a <= m.start(grp) < b for a, b in taken):
                out = [f for f in out if not (f.start <= m.start(grp) < f.end)]
            try:
                value = parse_score(m.group(grp))
            except MalformedNumber as exc:
                warnings.append(f"skipped score: {exc}")
                break
            out.append(Figure("score", m.start(grp), m.end(grp), value, unit=unit, prior=is_prior,
                              after_prior=not is_prior))
    shown = _PAREN_SCORE_WITH_UNIT.search(text)
    if shown:
        # 'Vĩnh Long (28,16 điểm), Hà Nam (28,04), Bắc Ninh (27,78)': the unit written once for the list
        unit = "percent" if "%" in shown.group(0) else "points"
        for m in _PAREN_BARE_SCORE.finditer(text):
            if any(f.start <= m.start(1) < f.end for f in out):
                continue
            try:
                out.append(Figure("score", m.start(1), m.end(1), parse_score(m.group(1)), unit=unit))
            except MalformedNumber as exc:
                warnings.append(f"skipped score: {exc}")
    for m in _SCORE_PAIR.finditer(text):
        # 'Đồng Tháp (72,81 so với 72,1)': this year's score, then the one it is compared with
        for grp, is_prior in (("a", True), ("b", False)):
            if any(f.start <= m.start(grp) < f.end for f in out):
                continue
            try:
                value = parse_score(m.group(grp))
            except MalformedNumber as exc:
                warnings.append(f"skipped score: {exc}")
                break
            out.append(Figure("score", m.start(grp), m.end(grp), value, unit="points", prior=is_prior,
                              after_prior=not is_prior))
    for m in _BARE_BEFORE_CHANGE.finditer(text):
        # 'Nam Định đạt 87,32, tăng 2,46 điểm %': the score written bare, its unit given with the change after it
        if any(f.start <= m.start(1) < f.end for f in out):
            continue
        try:
            value = parse_score(m.group(1))
        except MalformedNumber as exc:
            warnings.append(f"skipped score: {exc}")
            continue
        out.append(Figure("score", m.start(1), m.end(1), value, unit="percent" if "%" in m.group(2) else "points"))
    out.sort(key=lambda f: f.start)
    return out


_PAREN_SCORE_WITH_UNIT = re.compile(r"\(\s*\d{1,3},\d{1,2}\s*(?:điểm|%)\s*\)")
_PAREN_BARE_SCORE = re.compile(r"(?<=[^\W\d_]\s)\(\s*(\d{1,3},\d{1,2})\s*\)")
_BARE_BEFORE_CHANGE = re.compile(r"(?<=đạt )(\d{2}[.,]\d{1,4})(?=,\s*(?:tăng|giảm)\s+\d{1,2}(?:[.,]\d{1,4})?\s*(điểm\s*%|điểm|%))")
_SCORE_PAIR = re.compile(r"(?<=\()\s*(?P<b>\d{2}[.,]\d{1,2})\s+so với\s+(?P<a>\d{2}[.,]\d{1,2})\s*(?=\))")


_SLASH_OF = re.compile(r"\s*/\s*(\d{2})(?![\d.,]?\d|\s*(?:điểm|%))")


def _rank_of_after(text: str, end: int) -> int | None:
    """The count a place is out of, right after it: 'trong 63 tỉnh', or '25/63' ('xuống 25/63')."""
    m = P.RANK_OF_AFTER.match(text[end:end + 40]) or _SLASH_OF.match(text, end)
    return int(m.group(1)) if m else None


def _rank_value(num: str, warnings: list[str]) -> int | None:
    value = ordinal_to_int(num) if not num[0].isdigit() else None
    if value is not None:
        return value
    try:
        return parse_rank_number(num)
    except MalformedNumber as exc:
        warnings.append(f"skipped rank: {exc}")
        return None


# 'trở lại vị trí dẫn đầu ... từ vị trí số 12 của năm ngoái': the place of the year before, said so
_LAST_YEARS = re.compile(r"\s*(?:của\s+|trong\s+)?(?:năm ngoái|năm trước|năm liền trước)(?!\s+nữa)"
                         # 'trở lại vị trí dẫn đầu từ vị trí 12 của năm 2012': a place dated as an earlier year's
                         r"|\s*(?:của|trong|vào)\s+năm\s+(?:19|20)\d{2}(?!\d)")
_PAREN_FRACTION = re.compile(r"(?<=\()\s*(?P<num>\d{1,2})\s*/\s*(?P<of>63|34)(?![\d.,]\d)(?=\s*(?:\)|,|;|với|-|–))")


_WORD_CONTINUATION = re.compile(r"\s*(?:,|và|,\s*và)\s*(?P<num>ba|tư|năm|sáu|bảy|tám|chín|mười)(?=\s+(?:lần lượt\s+)?(?:là|thuộc về)(?!\w))")
_BARE_CONTINUATION = re.compile(r"\s*(?:,|và|,\s*và)\s*(?P<num>\d{1,2})(?![\d.,]?\d|\s*(?:điểm|%|/|bậc|hạng|tỉnh|năm))")


_OPENING_OF = re.compile(r"\s*(?:Trong|Trên|So với)\s+(?:tổng số\s+|số\s+)?(63|34)\s+(?:tỉnh|địa phương)[^.;,]{0,25},")


# 'tăng 11 bậc so với năm 2022 (52/63 tỉnh, ...)': the compared year's place, written bare in its parenthesis
_COMPARED_BARE_PLACE = re.compile(r"(?:[Ss]o với|hơn)\s+(?:năm\s+)?(?:19|20)\d{2}\s*\(\s*(?:xếp\s+|hạng\s+)?"
                                  r"(?P<num>\d{1,2})\s*/\s*(?P<of>63|34)(?![\d.,]\d)")


def rank_figures(text: str, warnings: list[str]) -> list[Figure]:
    out = []
    for m in _COMPARED_BARE_PLACE.finditer(text):
        out.append(Figure("rank", m.start("num"), m.end("of"), int(m.group("num")), rank_of=int(m.group("of"))))
    for m in P.RANK_RX.finditer(text):
        if P.NOT_RANK_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _GAIN_RANK_AFTER.match(text, m.end()):
            continue
        value = _rank_value(m.group("num"), warnings)
        if value is None:
            continue
        rank_of = int(m.group("of")) if m.group("of") else _rank_of_after(text, m.end())
        if rank_of is None and (opening := _OPENING_OF.match(text)) and opening.end() <= m.start():
            rank_of = int(opening.group(1))  # 'Trong 63 tỉnh, thành phố, ... xếp thứ 12': the count opens the sentence
        out.append(Figure("rank", m.start(), m.end(), value, rank_of=rank_of))
        # 'ở vị trí thứ 2 và thứ 3', 'xếp thứ 5, thứ 7': the bare ordinals that continue a rank list
        pos = m.end()
        respectively = "lần lượt" in text[max(0, m.start() - 30):m.start()]
        while True:
            nxt = P.RANK_CONTINUATION.match(text, pos)
            if not nxt and respectively:
                # 'lần lượt xếp thứ 30 và 45': after 'lần lượt' the places listed need not repeat 'thứ'
                nxt = _BARE_CONTINUATION.match(text, pos)
            if not nxt:
                # 'Xếp thứ hai và ba là Bộ Tài chính và Bộ Tư pháp': word places, their holders after 'là'
                nxt = _WORD_CONTINUATION.match(text, pos)
            if not nxt:
                break
            v = _rank_value(nxt.group("num"), warnings)
            if v is not None:
                out.append(Figure("rank", nxt.start("num"), nxt.end(), v))
            pos = nxt.end()
    # 'Hạng 3 và hạng 4 lần lượt ...': a place the list continued is also a place of its own; one figure for it
    out = [f for f in out if not any(g is not f and g.kind == "rank" and g.value == f.value and g.start <= f.start
                                     and f.end <= g.end and g.end - g.start > f.end - f.start for g in out)]
    taken = [(f.start, f.end) for f in out]
    for m in P.BARE_RANK_RX.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        value = _rank_value(m.group("num"), warnings)
        if value is not None:
            out.append(Figure("rank", m.start(), m.end(), value, rank_of=_rank_of_after(text, m.end()), bare=True))
    for m in _PAREN_FRACTION.finditer(text):
        # 'chỉ sau Đắk Nông (29/63 với 25,24 điểm)': a place written as a fraction, in a parenthesis right after
        # its unit (bare: only there)
        if not any(s < m.end() and m.start() < e for s, e in taken):
            out.append(Figure("rank", m.start("num"), m.end(), int(m.group("num")), rank_of=int(m.group("of")),
                              bare=True))
    for rx, value in ((P.FIRST_RX, 1), (P.SECOND_RX, 2)):
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 30):m.start()]
            if re.search(r"(?:[Nn]gười|vai trò)\s*$", before) \
                    or P.NOT_FIRST_BEFORE.search(text[max(0, m.start() - 50):m.start()]) \
                    or P.NOT_FIRST_AFTER.match(text[m.end():m.end() + 40]):
                continue
            if m.group(0).startswith("cao nhất") and _GROUP_BEFORE.search(text[max(0, m.start() - 80):m.start()]):
                continue  # 'vào nhóm 15 địa phương có mức độ hài lòng cao nhất cả nước': among the best, not first
            of = P.WORD_RANK_OF_AFTER.match(text[m.end():m.end() + 40])
            out.append(Figure("rank", m.start(), m.end(), value, rank_of=int(of.group(1)) if of else None))
    for m in P.LAST_RX.finditer(text):
        if P.ESCAPE_BEFORE.search(text[max(0, m.start() - 25):m.start()]):
            continue
        of = P.WORD_RANK_OF_AFTER.match(text[m.end():m.end() + 40])
        # resolved once the year and kind are known, unless the count follows ('đứng cuối 19 bộ')
        out.append(Figure("rank", m.start(), m.end(), -1, rank_of=int(of.group(1)) if of else None))
    for m in P.FROM_LAST_RX.finditer(text):
        # -k: the k-th place from the last ('áp chót' = -2), resolved as 'xếp cuối' is
        k = 2 if m.group("next") else {"hai": 2, "nhì": 2, "ba": 3, "tư": 4, "năm": 5}.get(m.group("num")) or int(m.group("num"))
        if k >= 2 and not any(f.start < m.end() and m.start() < f.end for f in out):
            out.append(Figure("rank", m.start(), m.end(), -k))
    return out


# 'đứng thứ 3 về mức tăng sau Bộ Giao thông vận tải': a place among the gains, not in the index
_GAIN_RANK_AFTER = re.compile(r"\s*(?:/\s*\d{1,3}\s*)?(?:về|trong|theo)\s+(?:mức|mức độ|tốc độ|số điểm|điểm số|điểm|giá trị)\s+"
                              r"(?:tăng|giảm|cải thiện|tăng điểm|tăng trưởng)")
_GROUP_BEFORE = re.compile(r"(?<!\w)(?:nhóm|những|các|top|\d+\s+(?:tỉnh|địa phương|đơn vị|bộ))(?!\w)[^.;,]*$")


# A run or hold next to a band ('nhóm 5 địa phương dẫn đầu', 'Top 10'): the unit stayed in the band, not in its place.
_BAND_AFTER = re.compile(r"\s*,?\s*(?:nằm |đứng |góp mặt |có mặt |lọt |ở )?(?:trong |vào )(?:nhóm|top|tốp)(?!\w)", re.IGNORECASE)
_BAND_BEFORE = re.compile(r"(?:trong|vào) (?:nhóm|top|tốp) \d+[^,;.\d]{0,40}$", re.IGNORECASE)


def change_figures(text: str) -> list[Figure]:
    out = []
    # ('Tăng 2 bậc, tỉnh Quảng Ninh vươn lên dẫn đầu': a move opening the sentence, its first letter a capital)
    for m in P.CHANGE_RX.finditer(text[:1].lower() + text[1:]):
        num = m.group("num")
        n = int(num) if num.isdigit() else words_to_int(num)
        if n is None or n > 70:
            continue
        clause = text[max(0, m.start() - 60):m.end() + 40]
        if P.MULTI_YEAR_SPAN.search(clause):
            continue  # 'sau hai năm', 'trong 5 năm': not a change from the year before
        sign = -1 if P.DOWN_RX.match(m.group("dir")) else 1
        cmp = P.COMPARE_YEAR_AFTER.match(text[m.end():m.end() + 80])
        compare_year = None
        if cmp and cmp.group("y").isdigit():
            compare_year = int(cmp.group("y"))
        elif placed := P.COMPARED_PLACE_BEFORE.search(text, max(0, m.start() - 120), m.start()):
            compare_year = int(placed.group(1))
        out.append(Figure("change", m.start(), m.end(), sign * n, compare_year=compare_year))
    for m in P.PRIOR_RX.finditer(text):
        if not (P.MOVE_AFTER.match(text[m.end():m.end() + 100]) or P.MOVE_BEFORE.search(text[max(0, m.start() - 60):m.start()])
                or _LAST_YEARS.match(text, m.end())):
            continue
        value = 1 if m.group("first") else 2 if m.group("second") else -1 if m.group("last") else int(m.group("num"))
        # 'từ hạng 51/63 năm 2021': the denominator is the earlier year's, kept for that year's own fact
        out.append(Figure("prior", m.start(), m.end(), value,
                          rank_of=int(m.group("of")) if m.group("of") else _rank_of_after(text, m.end())))
    for m in P.BEHIND_RX.finditer(text):
        out.append(Figure("behind", m.start(), m.end(), None))
    for m in P.HOLD_RX.finditer(text):
        if re.search(r"(?:sau|sau khi)\s+$", text[max(0, m.start() - 10):m.start()]):
            continue  # 'giảm một bậc sau bốn năm liên tiếp đứng đầu': what came before
        if _BAND_AFTER.match(text, m.end()) or _BAND_BEFORE.search(text, max(0, m.start() - 50), m.start()):
            continue  # '10 năm liền nằm trong nhóm 5 dẫn đầu', 'giữ vị trí trong Top 5 suốt 10 năm': a band held
        cmp = P.COMPARE_YEAR_AFTER.match(text[m.end():m.end() + 80])
        compare_year = int(cmp.group("y")) if cmp and cmp.group("y").isdigit() else None
        out.append(Figure("hold", m.start(), m.end(), 0, compare_year=compare_year))
    return out

# Every figure pattern needs a digit or one of these words: text without any of them is skipped unread.
# (a digit alone is not enough: dates and counts fill sentences that state no figure)
FIGURE_HINT = re.compile(r"[Đđ]iểm|cao nhất|%|/\s*\d|đầu|cuối|quân|ngôi|chót|bét|sổ|[Ss]au|[Tt]iếp (?:theo|đến)|[Kk]ế (?:đến|tiếp)|giữ|thứ|hạng|vị trí|bậc|lên|xuống|liên tiếp")


@dataclass
class Scan:
    """One sentence read once: its units, index names, years and figures, each with its position."""

    text: str
    units: list[Mention]
    indices: list[tuple[int, int, str]]
    years: list[tuple[int, int, str]]
    figures: list[Figure]

    def __post_init__(self) -> None:
        self._at: dict = {}
        self._named = [u for u in self.units if u.kind in ("province", "ministry")]

    def named_units(self) -> list[Mention]:
        return self._named

    def at(self, rx: re.Pattern[str]) -> list[int]:
        """Where a pattern matches in the sentence, found once for all its figures."""
        found = self._at.get(rx)
        if found is None:
            found = self._at[rx] = [m.start() for m in rx.finditer(self.text)]
        return found


_NTH_TIME_BEFORE = re.compile(r"(?<!\w)lần thứ\s+(?:\d+|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)(?!\s+liên tiếp)(?!\w)[^,;.]{0,45}$")


def scan(text: str, warnings: list[str], published_year: int | None = None) -> Scan | None:
    """The sentence read for figures first: None when it states none (its units, index names and years are then
    read only if a later sentence needs them)."""
    figures = score_figures(text, warnings) + rank_figures(text, warnings) + change_figures(text)
    # a top-N list states places with no figure of its own, as does a sentence that opens on the next places
    # ('Hai vị trí kế tiếp là A và B': the places after the paragraph's last)
    if not figures and not P.TOP_LIST.search(text) and not P.ORDER_NEXT.match(text.lstrip()) \
            and not P.AFTER_UNIT_OPENING.match(text) and not _PLACE_IN_PARENS.search(text) \
            and not P.REST_OF_TOP.search(text):
        return None
    units = [u for u in find_units(text) if not is_announcer(text, u)]
    priors = [(f.start, f.end) for f in figures if f.kind == "prior"]
    figures = [f for f in figures if not (f.kind == "rank" and any(s <= f.start < e for s, e in priors))]
    figures.sort(key=lambda f: f.start)
    _transition_targets(text, figures, warnings)
    _listed_places(text, units, figures)
    _places_in_parentheses(text, units, figures)
    bound = _bind_years(text, figures)
    bound += _bind_opening_from(text, units, figures)
    bound += _bind_span_moves(text, figures)
    first_rank = min((f.start for f in figures if f.kind == "rank"), default=len(text))
    for f in figures:  # a word rank in a sentence that opens on the count it ranks among ('Trong ... của 63 tỉnh, ...')
        if f.kind == "rank" and f.rank_of is None and f.value in (1, -1):
            pop = [m for m in P.POPULATION_BEFORE.finditer(text, 0, first_rank) if ";" not in text[m.end():f.start]
                   and not any(m.end() <= i < f.start for i, _, k in index_mentions(text) if k in P.INDEX_RX)]
            if pop:
                f.rank_of = int(pop[-1].group(1))
    # A hold ('năm thứ 3 liên tiếp', 'giữ vững vị trí') says something only next to a rank in the same clause.
    # ('đây là lần thứ hai Quảng Ninh giữ vị trí cao nhất': the second time, not a second year running)
    figures = [f for f in figures if f.kind != "hold" or not _NTH_TIME_BEFORE.search(text, max(0, f.start - 60), f.start)]
    # ('đây là năm thứ ba liên tiếp tỉnh giữ vị trí thứ 5': the unit right after the run is the place's own subject,
    # when no place comes before the run)
    figures = [f for f in figures if f.kind != "hold" or any(
        g.kind == "rank" and (abs(g.start - f.start) < 45 or g.end <= f.start and _HOLD_AFTER_ASIDE.fullmatch(text, g.end, f.start)
                              # ('năm thứ 5 liên tiếp Ngân hàng Nhà nước Việt Nam đứng đầu': a long name between)
                              or f.end <= g.start and any(u.start >= f.end and u.end <= g.start
                                                          and _subject_after_run(text, f, u, g, figures)
                                                          and not text[u.end:g.start].strip() for u in units))
        and ";" not in text[min(g.end, f.end):max(g.start, f.start)]
        and not any(min(g.end, f.end) <= u.start < max(g.start, f.start) and not _subject_after_run(text, f, u, g, figures)
                    for u in units)
        for g in figures)]
    years = year_mentions(text, published_year)
    if bound:  # a year that dates one place alone governs no other figure
        years = tuple((p, y, "bound" if any(a <= p < b for a, b in bound) else role) for p, y, role in years)
    return Scan(text, units, index_mentions(text), years, figures)


def _subject_after_run(text: str, hold: Figure, unit: Mention, rank: Figure, figures: list[Figure]) -> bool:
    return hold.end <= unit.start and unit.end <= rank.start and re.fullmatch(r"\s*,?\s*", text[hold.end:unit.start]) \
        and not any(g.kind == "rank" and g.end <= hold.start for g in figures)


# 'xếp thứ 3/63 tỉnh, thành phố trực thuộc Trung ương (đạt 91,43%) và là năm thứ 2 liên tiếp': the place, its count,
# its score in a parenthesis, then the run (the same clause, however long the count's words)
_HOLD_AFTER_ASIDE = re.compile(r"(?:/\d{2})?\s*(?:tỉnh,? thành(?: phố)?[^();,.]{0,40})?\s*(?:\([^()]{0,40}\))?\s*,?\s*"
                               r"(?:và\s+)?(?:là\s+|đây là\s+)?")


_PLACE_IN_PARENS = re.compile(r"\s*\(\s*(\d{1,2})\s*\)")


def _places_in_parentheses(text: str, units: list[Mention], figures: list[Figure]) -> None:
    """'ba vị trí cuối bảng thuộc về Trà Vinh (61), Kon Tum (62) và Phú Yên (63)': in a sentence about places, units
    each followed by a bare number in a parenthesis, the numbers running one by one, are those places."""
    if not re.search(r"vị trí|hạng|cuối bảng|đầu bảng", text):
        return
    found = []
    for u in units:
        if u.kind not in ("province", "ministry"):
            continue
        m = _PLACE_IN_PARENS.match(text, u.end)
        if m and not any(f.start <= m.start(1) < f.end for f in figures):
            found.append((m.start(1), m.end(1), int(m.group(1))))
    if len(found) < 2 or any(abs(b[2] - a[2]) != 1 for a, b in zip(found, found[1:])) \
            or len({b[2] - a[2] for a, b in zip(found, found[1:])}) != 1:
        return
    figures.extend(Figure("rank", a, b, v) for a, b, v in found)
    figures.sort(key=lambda f: f.start)


def _listed_places(text: str, units: list[Mention], figures: list[Figure]) -> None:
    """'Cao Bằng xếp thứ 63, Hoà Bình 62, Kon Tum 61, Kiên Giang 60': after a stated place, units each followed by a
    bare number continue the list; the run stops at anything else."""
    by_start = {u.start: u for u in units if u.kind == "province"}
    for f in [f for f in figures if f.kind == "rank" and isinstance(f.value, int) and f.value > 0
              and "," in text[f.end:f.end + 3]]:
        pos = f.end
        while True:
            m = _LISTED_PLACE.match(text, pos)
            if not m or m.start("unit") not in by_start or by_start[m.start("unit")].end != m.end("unit"):
                break
            figures.append(Figure("rank", m.start("num"), m.end("num"), int(m.group("num"))))
            pos = m.end()
    figures.sort(key=lambda f: f.start)


# (not a count: 'Đồng Tháp 13 năm góp mặt ở tốp đầu')
_LISTED_PLACE = re.compile(r"\s*,\s*(?P<unit>[^\W\d][^,;.()\d]{1,30}?)\s+(?P<num>\d{1,2})(?![\d.,]?\d|\s*(?:điểm|%|/)"
                           r"|\s+(?:năm|lần|tháng|ngày|bậc|tuổi|người|hồ sơ|chỉ số|tiêu chí)(?!\w))")
_YEAR_LIST = r"(?:năm\s+)?(?:19|20)\d{2}(?:\s*(?:,|và|-|–)\s*(?:năm\s+)?(?:19|20)\d{2})*"
_PAREN_YEARS_AFTER = re.compile(rf"^(?:\s*/\s*(?:63|34)(?!\d))?\s*(?:điểm\s*|năm\s*)?\(\s*({_YEAR_LIST})\s*\)")
# 'so với năm 2023 (đạt 78,66%, xếp thứ 57/63)': every figure in the parenthesis is that year's
# ('đặt cạnh kết quả năm 2020 (42,17 điểm, hạng 44/63)': the figures in the parenthesis are the compared year's)
_COMPARE_PAREN_BEFORE = re.compile(r"(?:[Ss]o với|hơn|[Ss]o|[Đđ]ặt cạnh|[Bb]ên cạnh)\s+(?:cùng kỳ\s+)?"
                                   r"(?:(?:kết quả|điểm số|thứ hạng|vị trí)\s+(?:của\s+)?)?(?:năm\s+)?((?:19|20)\d{2})\s*\([^()]{0,60}$")
_FOUR_DIGITS = re.compile(r"(?:19|20)\d{2}")
# 'giữ vị trí thứ 2 trong các năm 2014, 2015, 2016, 2018 và 2019': the place of each year listed
# ('giữ hạng 2 trong cả 2014 và 2015': both years named after the place)
_LISTED_YEARS_AFTER = re.compile(rf"^\s*(?:trong|vào|ở)\s+(?:(?:các|những)\s+năm|cả(?:\s+hai)?(?:\s+năm)?)\s+({_YEAR_LIST})(?![\d/–-])")
_COMPARED_SCORE_AFTER = re.compile(r"\s*(?:điểm|%)?\s*(?:của|trong|vào)?\s*năm\s+(?:trước(?: đó)?|ngoái|liền trước|((?:19|20)\d{2}))(?!\d)")
_COMPARED_SCORE_BEFORE = re.compile(r"[Ss]o với (?:cùng kỳ\s+)?năm (?:trước(?: đó)?|ngoái|liền trước|((?:19|20)\d{2}))"
                                    r"\s*(?:là|đạt|với|:)?\s*$")


# a place the unit once held, dated right after it: 'Bình Dương, cũng từng đứng đầu vào năm 2007', 'từng đứng đầu
# từ 2008 - 2010'; or named in an aside: 'Lào Cai, tỉnh dẫn đầu năm 2011, về thứ ba'
_PLACE_YEAR_AFTER = re.compile(r"\s*(?:vào\s+|trong\s+)?năm\s+((?:19|20)\d{2})(?!\d|[/.–-]\d)"
                               r"|\s*(?:từ\s+)?(?:năm\s+)?((?:19|20)\d{2})\s*(?:-|–|đến)\s*(?:năm\s+)?((?:19|20)\d{2})(?!\d)")
_PAST_BEFORE = re.compile(r"(?<!\w)từng\s+(?:\S+\s+){0,2}$")
# a place held over a run of years, the run stated right before or after it: 'từng 3 năm liên tiếp (2008-2010) giữ
# vị trí quán quân', 'là số 1 trong ba năm liên tiếp (từ 2008 - 2010)': the place of each year of the run
_COUNT_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_RUN = (r"(?:(?P<n>\d{1,2}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+năm\s+liên\s+(?:tiếp|tục)\s*)?\(?\s*(?:từ\s+)?"
        r"(?:năm\s+)?(?P<y1>(?:19|20)\d{2})\s*(?:-|–|đến)\s*(?:năm\s+)?(?P<y2>(?:19|20)\d{2})(?!\d)\s*\)?")
_RUN_BEFORE = re.compile(_RUN + r"\s*(?:giữ|là|đứng|ở|xếp)?\s*(?:vững\s+)?(?:vị trí|ngôi|ngôi vị|hạng|thứ hạng)?\s*$")
# (the ranking or the index may be named between the place and its run: 'giữ vững vị trí đầu tiên trên bảng xếp
# hạng Chỉ số SIPAS (2019-2023)')
_RUN_AFTER = re.compile(r"\s*(?:(?:trên|trong|của)\s+bảng xếp hạng\s+)?(?:(?:về\s+)?(?:[Cc]hỉ số\s+)?"
                        r"(?:SIPAS|PAR INDEX|PAPI|PCI|PGI|cải cách hành chính|CCHC)\s+(?=\())?(?:trong\s+|suốt\s+)?" + _RUN)


def _run_years(text: str, f: Figure) -> tuple[tuple[int, ...], tuple[int, int]] | None:
    """The years of a run stated right before or after a place, when the run's count (if given) agrees with them."""
    for m in (_RUN_BEFORE.search(text, max(0, f.start - 70), f.start), _RUN_AFTER.match(text, f.end)):
        if not m or (m.re is _RUN_BEFORE and not m.group("n") and "(" not in m.group(0)):
            continue  # before the place, only a counted run or one in parentheses: not 'từ 2008 - 2010, X ...'
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        n = m.group("n")
        count = None if n is None else (int(n) if n.isdigit() else _COUNT_WORDS.get(n))
        if 0 < y2 - y1 <= 10 and (count is None or count == y2 - y1 + 1):
            return tuple(range(y1, y2 + 1)), (m.start(), m.end())
        return (), (m.start(), m.end())  # a run whose count disagrees with its years: no year can be told
    # ('đã 5 năm liên tiếp Quảng Ninh đứng vị trí số một trên bảng SIPAS (2019-2023)', 'đã có 6 lần giữ ngôi đầu':
    # a count of years or times a little before the place, its years listed after it)
    times = P.TIMES_BEFORE.search(text, max(0, f.start - 12), f.start) or next(
        (m for m in reversed(list(_YEARS_COUNTED_BEFORE.finditer(text, max(0, f.start - 70), f.start)))
         if ";" not in text[m.end():f.start]), None)
    listed = _YEARS_LISTED_AFTER.match(text, f.end) if times else None
    if listed:
        # 'có 6 lần đứng đầu bảng xếp hạng ... (2014 đến năm 2017 và 2020 - 2021)': the times counted, then their
        # years, spans and single years; taken only when the two agree
        years: list[int] = []
        for part in re.split(r"\s*(?:,|;|\bvà\b)\s*", listed.group("list")):
            span = re.fullmatch(r"(?:năm\s+)?((?:19|20)\d{2})\s*(?:-|–|đến)\s*(?:năm\s+)?((?:19|20)\d{2})", part.strip())
            one = re.fullmatch(r"(?:năm\s+)?((?:19|20)\d{2})", part.strip())
            if span and 0 < int(span.group(2)) - int(span.group(1)) <= 10:
                years += range(int(span.group(1)), int(span.group(2)) + 1)
            elif one:
                years.append(int(one.group(1)))
            else:
                return None
        n = times.group("n")
        count = int(n) if n.isdigit() else _COUNT_WORDS.get(n)
        if count == len(set(years)):
            return tuple(sorted(set(years))), (listed.start("list"), listed.end("list"))
    return None


# (the index's acronym may come in between: '... về Chỉ số PAR INDEX toàn quốc (các năm 2017 - 2020 và 2022 - 2023)')
_YEARS_LISTED_AFTER = re.compile(r"(?:[^().;]|\([A-Z ]{2,12}\)){0,80}?\(\s*(?:các năm\s+|giai đoạn\s+)?"
                                 r"(?P<list>(?:năm\s+)?(?:19|20)\d{2}[^()]{0,60}?)\s*\)")
_YEARS_COUNTED_BEFORE = re.compile(rf"(?<!\w)(?P<n>\d{{1,2}}|{'|'.join(_COUNT_WORDS)})\s+(?:năm\s+(?:liên tiếp|liền)|lần)(?!\w)")
_ASIDE_BEFORE = re.compile(r",\s*(?:là\s+)?(?:tỉnh|thành phố|địa phương|đơn vị|bộ)\s+$")
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


# a sentence that opens on where a unit came from, its subject after: 'Từ 63,42 điểm, xếp vị trí 33 của cả nước năm
# 2022, Quảng Bình đã vươn lên vị trí thứ 21 với 65,90 điểm trong năm 2023' (a dateline may come first)
_FROM_OPENING = re.compile(r"\s*(?:\([^()]{0,40}\)\s*[-–]\s*)?[Tt]ừ\s")
_NAMED_YEAR = re.compile(r"(?<!\w)năm\s+((?:19|20)\d{2})(?!\d)")


def _bind_opening_from(text: str, units: list[Mention], figures: list[Figure]) -> list[tuple[int, int]]:
    """The figures of an opening 'Từ ...' phrase, up to the subject named after it, are the one year the phrase
    names: where the unit came from. Returns where that year stands: it dates nothing after the subject."""
    m = _FROM_OPENING.match(text)
    subject = next((u for u in units if u.kind in ("province", "ministry") and u.start > m.end()), None) if m else None
    if subject is None:
        return []
    years = list(_NAMED_YEAR.finditer(text, m.end(), subject.start))
    if len(years) != 1 or ";" in text[m.end():subject.start]:
        return []
    year = int(years[0].group(1))
    for f in figures:
        if m.end() <= f.start < subject.start and f.kind in ("score", "rank") and not f.years:
            f.years = (year,)
    return [(years[0].start(), years[0].end())]


def _bind_years(text: str, figures: list[Figure]) -> list[tuple[int, int]]:
    """Years that belong to one figure alone: in parentheses right after it ('hạng 4 (năm 2014)', 'hạng 8 (2016,
    2017)'), a parenthesis opened right after a compared year ('so với năm 2020 (41,62 điểm)'), or a year right after
    a place once held or named in an aside ('từng đứng đầu vào năm 2007', 'tỉnh dẫn đầu năm 2011,'). Returns where
    the last kind of year stands: it dates that place only. A place once held in a sentence with no year at all is
    dropped: no year can be told for it."""
    bound: list[tuple[int, int]] = []
    for f in list(figures):
        run = _run_years(text, f) if f.kind == "rank" and not f.years else None
        if run:
            bound.append(run[1])
            if not run[0]:
                figures.remove(f)
                continue
            f.years = run[0]
            continue
        past = f.kind == "rank" and not f.years and _PAST_BEFORE.search(text[max(0, f.start - 25):f.start])
        if f.kind == "rank" and not f.years and (past or _ASIDE_BEFORE.search(text[max(0, f.start - 25):f.start])):
            m = _PLACE_YEAR_AFTER.match(text, f.end)
            if m and m.group(1) and (past or re.match(r"\s*,", text[m.end():])):
                f.years = (int(m.group(1)),)
            elif m and m.group(2) and past and 0 < int(m.group(3)) - int(m.group(2)) <= 10:
                f.years = tuple(range(int(m.group(2)), int(m.group(3)) + 1))
            if f.years:
                bound.append((m.start(), m.end()))
                continue
            if past and not _YEAR_IN.search(text):
                figures.remove(f)  # a sentence with no year at all: the place is no year's that we can tell
                continue
        after = text[f.end:f.end + 80]
        m = (_PAREN_YEARS_AFTER.match(after[:40]) if "(" in after[:40] else None) or (
            _LISTED_YEARS_AFTER.match(after) if f.kind == "rank" and ("các năm" in after or "những năm" in after
                                                                or "cả" in after) else None)
        if m:
            f.years = tuple(int(y) for y in _FOUR_DIGITS.findall(m.group(1)))
            if f.kind == "prior" and len(f.years) == 1:
                f.kind = "rank"  # 'từ vị trí thứ 7/63 (năm 2016) xuống ...': the place moved from, dated, is that year's
            continue
        m = _COMPARE_PAREN_BEFORE.search(text[max(0, f.start - 90):f.start])
        if m and f.kind in ("score", "rank"):
            f.years = (int(m.group(1)),)
            continue
        m = _COMPARED_SCORE_AFTER.match(text, f.end) if f.kind == "score" and re.search(r"so với\s*$", text[max(0, f.start - 10):f.start]) else None
        if m:
            # 'đứng đầu với 70 điểm, so với 68,34 điểm của năm trước': the score of the year compared with
            if m.group(1):
                f.years = (int(m.group(1)),)
            else:
                f.prior = True
            continue
        m = _COMPARED_SCORE_BEFORE.search(text[max(0, f.start - 45):f.start])
        if m and f.kind == "score":
            # 'giảm điểm nhẹ so với năm trước đó 63,21 điểm': the score of the year compared with
            if m.group(1):
                f.years = (int(m.group(1)),)
            else:
                f.prior = True
    return bound


_SPAN_YEARS = re.compile(r"(?<![\d/.])((?:19|20)\d{2})\s*(?:-|–|đến(?:\s+năm)?)\s*((?:19|20)\d{2})(?![\d/])")


# 'từ vị trí thứ 9/63', 'từ đứng thứ 28/63', 'từ 81,32': where a move starts; ' (năm 2016) xuống vị trí ', ' lên ': what
# lies between its two ends
_MOVE_FROM = re.compile(r"(?<!\w)từ\s+(?:(?:đứng|ở|mức)\s+)?(?:(?:vị trí|thứ hạng|hạng|vị thứ)\s+)?(?:thứ\s+|số\s+)?(?=\d)")
_MOVE_GAP = re.compile(r"(?:\s*/\s*\d{2})?\s*(?:điểm|%)?\s*(?:\([^()]{0,20}\)\s*)?,?\s*(?:tăng\s+|giảm\s+)?"
                       r"(?:lên|xuống|vươn lên|tụt xuống|leo lên|rơi xuống|lùi xuống)\s+(?:còn\s+|ở\s+)?"
                       r"(?:(?:vị trí|thứ hạng|hạng|vị thứ)\s+)?(?:thứ\s+|số\s+)?")


_DIGIT = re.compile(r"\d")
_NUMBER_END = re.compile(r"\d+(?:[.,]\d+)*")


def _bind_span_moves(text: str, figures: list[Figure]) -> list[tuple[int, int]]:
    """'Giai đoạn 2016-2020, ... từ vị trí thứ 9/63 (năm 2016) xuống vị trí 29/63', 'qua 3 năm từ 2019-2021, ... tăng
    từ 81,32 lên 84,82 điểm': a move stated over a run of years, with no year of its own, goes from the run's first
    year to its last; a change over the run ('giảm 25 bậc') is no one year's. Returns where the run stands."""
    spans = list(_SPAN_YEARS.finditer(text))
    if len(spans) != 1:
        return []
    span = spans[0]
    y1, y2 = int(span.group(1)), int(span.group(2))
    others = [m for m in _YEAR_IN.finditer(text) if not span.start() <= m.start() < span.end()]
    dated = {y for f in figures for y in f.years}
    if not 0 < y2 - y1 <= 10 or any(int(m.group(0)) not in dated for m in others):
        return []
    moves = []
    for f, g in zip(figures, figures[1:]):
        kinds = {f.kind, g.kind}
        if f.start < span.end() or not (kinds <= {"rank", "prior"} or kinds == {"score"}):
            continue
        starts = list(_MOVE_FROM.finditer(text, max(span.end(), f.start - 30), f.end))
        f_num = _DIGIT.search(text, f.start, f.end)
        g_num = _DIGIT.search(text, g.start, g.end)
        if not starts or not f_num or not g_num or starts[-1].end() != f_num.start() \
                or not _MOVE_GAP.fullmatch(text, _NUMBER_END.match(text, f_num.start()).end(), g_num.start()):
            continue
        if (f.years and f.years != (y1,)) or g.years:
            continue
        moves.append((f, g))
    if not moves:
        return []
    for f, g in moves:
        f.years, g.years = (y1,), (y2,)
        f.kind = "rank" if f.kind == "prior" else f.kind
        g.kind = "rank" if g.kind == "prior" else g.kind
        f.prior = g.prior = f.after_prior = g.after_prior = False
    for f in [f for f in figures if f.kind == "change" and f.start > span.end() and not f.years]:
        figures.remove(f)
    return [(span.start(), span.end())]


_NEXT_MOVE = re.compile(r"\s*(?:và|,)\s*(?:từ\s+)?(?:vị trí\s+|thứ hạng\s+|hạng\s+)?(?:thứ\s+)?(?P<a>\d{1,2})\s+(?:lên|xuống)\s+"
                        r"(?:vị trí\s+|thứ hạng\s+|hạng\s+)?(?:thứ\s+)?(?P<b>\d{1,2})(?![\d.,]\d|\s*(?:điểm|%))")


def _transition_targets(text: str, figures: list[Figure], warnings: list[str]) -> None:
    """'từ vị trí 51 lên 31', 'tăng vọt từ thứ hạng 48 lên thứ hạng 29': the rank after 'lên'/'xuống' that
    follows a prior rank is this year's rank, whether or not it repeats 'vị trí'."""
    for f in [f for f in figures if f.kind == "prior"]:
        m = P.TRANSITION_TO.match(text, f.end)
        if not m:
            continue
        start = m.start("num")
        existing = next((g for g in figures if g.kind == "rank" and g.start <= start < g.end + 1
                         or g.kind == "rank" and m.start() <= g.start <= m.end()), None)
        if existing is not None:
            existing.after_prior = True
            existing.bare = False  # 'từ vị trí thứ 8 lên thứ 3': the 'thứ 3' is governed by the move
            continue
        value = _rank_value(m.group("num"), warnings)
        if value is not None:
            figures.append(Figure("rank", start, m.end(), value, rank_of=_rank_of_after(text, m.end()),
                                  after_prior=True))
    # 'A và B tăng lần lượt từ thứ 31 lên 2 và 16 lên 10': a second move right after the first, for the next unit
    for f in sorted((f for f in figures if f.kind == "rank" and f.after_prior), key=lambda f: f.start):
        m = _NEXT_MOVE.match(text, f.end)
        if not m or any(m.start("a") <= g.start < m.end() for g in figures):
            continue
        a, b = _rank_value(m.group("a"), warnings), _rank_value(m.group("b"), warnings)
        if a is not None and b is not None:
            figures.append(Figure("prior", m.start("a"), m.end("a"), a))
            figures.append(Figure("rank", m.start("b"), m.end(), b, after_prior=True))
    figures.sort(key=lambda f: f.start)
