"""Scope: whether a figure is a unit's national result at all.

Ranks within a region, a group's shared lead, results of a time gone by ('sau bốn năm liên tiếp dẫn đầu'),
targets, averages and gaps are figures about something else; they are left out before attribution.
"""

from __future__ import annotations

import re

from paretl.extract import patterns as P
from paretl.extract.clauses import PAST_CLAUSE, closed_parenthesis
from paretl.extract.mentions import Figure, Scan
from paretl.extract.units import Mention


# a clause that opens on another unit's name (two capitalised words): 'thứ 12, Bạc Liêu ...'
_OTHER_UNIT_CLAUSE = re.compile(rf"[,;]\s*(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?[{P.UPPER}]\w*\s+[{P.UPPER}]")


# 'Xếp thứ hai là Đồng Tháp (miền Nam) với 72,8 điểm', 'Bình Dương (vùng Đông Nam Bộ) đứng thứ 4': a region in a
# parenthesis right after a name says where the unit lies, not what the place is counted in
# ('Á quân là Tây Ninh (Đông Nam Bộ) với 47,35 điểm': a region's bare name in the parenthesis too)
_REGION_PAREN = (rf"\(\s*(?:thuộc\s+)?(?:(?:miền|vùng|khu vực)\s[^()]{{1,30}}|(?:{P.REGION_NAMES}|"
                 r"Duyên hải [^()]{1,25}|Trung du [^()]{1,30}|phía (?:Bắc|Nam))[^()]{0,15})\)")
_REGION_APPOSITION = re.compile(rf"(?<=[{P.UPPER}]\w)(\w*\s*){_REGION_PAREN}")
_REGION_IN_PARENS = re.compile(rf"\s*{_REGION_PAREN}\s*")


# a place said of the year before right after it ('giữ ngôi quán quân năm ngoái', 'xếp thứ 5 năm trước'), not
# compared with it ('như năm trước', 'so với năm trước') and not opening a 'năm trước đó, khi ...' aside
_LAST_YEARS_PLACE = re.compile(r"[^,;.()]{0,20}?(?<!như )(?<!so với )(?<!hơn )(?:năm ngoái|năm trước|năm liền trước|kỳ trước)"
                               r"(?!\s*(?:đó|,?\s*khi|\())")
# a list item named after a PCI sub-index or a PAPI dimension: every figure in it is the part's
# ('Với kiểm soát tham nhũng trong cung ứng dịch vụ công, ...; Quảng Ninh và Bình Dương vẫn dẫn đầu': a sentence
# opening on the part)
_PART_LIST_ITEM = re.compile(rf"^\s*(?:[-–+•*]\s*)?(?:[Cc]hỉ số\s+)?{P.PART_INDEX_NAMES}[^:;.]{{0,50}}:"
                             rf"|^\s*(?:Với|Về|Ở|Riêng|Đối với)\s+(?:(?:chỉ số|nội dung)\s+(?:thành phần\s+|nội dung\s+)?)?{P.PART_INDEX_NAMES}")


# a place said not to be held (not 'không chỉ dẫn đầu': not only; not 'không ngừng vươn lên': ever rising)
_NEGATED = re.compile(r"(?<!\w)(?:không còn|không phải là|không phải|chưa|không)\s+(?!chỉ\b|ngừng\b|những\b)"
                      r"(?:[^\s,;.]+\s+){0,2}$")
_COUNTED_RUN = re.compile(P.COUNTED_RUN)


def _without_appositions(text: str) -> str:
    return _REGION_APPOSITION.sub(lambda m: m.group(1) + " " * (m.end() - m.start(1) - len(m.group(1))), text)


def is_regional(text: str, fig: Figure) -> bool:
    if fig.start == fig.end:
        return False  # a place by order, set at its holder's name ('..., thành phố Đà Nẵng ở miền Trung, rồi ...'):
        # where the holder lies follows the name; the list's scope was checked at its anchor
    if "(" in text:
        text = _without_appositions(text)
    if fig.rank_of in (63, 34):
        return False  # 'xếp thứ 11/63 tỉnh, thành phố và đứng đầu khu vực Tây Bắc': out of all, so national
    after = text[fig.end:fig.end + 60]
    other = _OTHER_UNIT_CLAUSE.search(after)
    if other:  # 'vươn lên thứ 12, Bạc Liêu đứng cuối khu vực': the region is the next unit's clause
        after = after[:other.start()]
    national, regional = P.NATIONAL_AFTER.match(after), P.REGIONAL_AFTER.match(after)
    if national and (not regional or national.end() <= regional.end()):
        return False  # whichever scope is named first: 'đứng đầu khu vực và xếp thứ 9/63' leads the region
    if regional:
        return True
    return bool(P.REGIONAL_BEFORE.search(text[max(0, fig.start - 45):fig.start]))


def plural_subject(text: str, fig: Figure, units: list[Mention]) -> bool:
    """Word ranks ('dẫn đầu', 'xếp cuối') right after a list of units describe the group."""
    words = text[fig.start:fig.end].split()
    if fig.value not in (1, 2, -1) or not words or re.match(r"\d", words[-1]):
        return False
    before = [u for u in units if u.end <= fig.start and u.kind in ("province", "ministry")]
    if len(before) < 2:
        return False
    a, b = before[-2], before[-1]
    if {a.kind, b.kind} == {"province", "ministry"} and not (
            len(before) > 2 and re.fullmatch(r"\s*(?:\([^)]*\))?\s*(?:,|và|,\s*và)\s*", text[before[-3].end:a.start])):
        return False  # one of each kind: each leads its own (attribution.leaders_of_each_kind)
    return bool(re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[a.end:b.start])) and \
        bool(re.fullmatch(r"\s*(?:cùng\s*|đều\s*|cùng dẫn đầu|)\s*", text[b.end:fig.start]))


def in_past_clause(text: str, fig: Figure, fact_years) -> bool:
    """The figure sits in a clause opened by 'sau (khi)', 'trước đó', 'từng' that names no year of its own."""
    m = PAST_CLAUSE.search(text[:fig.start])
    if not m or re.match(rf"[,;(]?\s*[Ss]au\s+(?:tỉnh\s+|thành phố\s+)?[{P.UPPER}]", text[m.start():]):
        return False  # ('xếp thứ ba, sau Lào Cai (8/63)': behind a unit, not after a time)
    if re.match(r"[,;(]?\s*[Ss]au đó(?: lần lượt)? là", text[m.start():]):
        return False  # ('Sau đó lần lượt là A, B': the places that follow, not a time)
    clause_end = re.search(r"[,;]", text[fig.end:])
    end = fig.end + clause_end.start() if clause_end else len(text)
    return not any(m.start() <= p < end for p, y, role in fact_years)


def _national_aside(text: str, fig: Figure, units: list[Mention]) -> bool:
    """'Cà Mau xếp thứ 3 khu vực, chỉ sau Long An (hạng 7) và Hậu Giang (hạng 19)': the national rank given in a
    parenthesis right after a unit, inside a regional comparison."""
    # (also with the unit's score after the place: 'Thừa Thiên Huế (thứ 2, 65,56 điểm)')
    # (or 'chỉ sau Đăk Nông: hạng 29/63, 25,24 điểm)': the unit inside the parenthesis, its place after a colon)
    return any(u.kind == "province" and (re.fullmatch(r"\s*\(\s*", text[u.end:fig.start])
                                         or re.fullmatch(r"\s*:\s*", text[u.end:fig.start])
                                         and text.rfind("(", 0, u.start) > text.rfind(")", 0, u.start))
               for u in units) and bool(_ASIDE_CLOSES.match(text, fig.end))


_ASIDE_CLOSES = re.compile(r"\s*(?:[,;]\s*\d{1,3}(?:[.,]\d{1,3})?\s*(?:điểm|%)\s*)?\)")


# 'cao hơn mức trung bình của cả nước 1,74%': the average is what the unit is compared with
_COMPARED_WITH = re.compile(r"(?:cao hơn|thấp hơn|vượt|hơn|so với|dưới|trên)\s+(?:(?:mức|điểm|giá trị|chỉ số)\s+)?$")


def _closed_comparison(text: str, avg: int, fig_start: int) -> bool:
    """'X đạt 88,72%, cao hơn mức trung bình của cả nước 1,74%, xếp thứ 11/63': an average named as what the unit
    is compared with closes with its clause; a figure after the next comma is the unit's own again."""
    return bool(_COMPARED_WITH.search(text[max(0, avg - 30):avg])) and "," in text[avg:fig_start]


_YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}(?!\d)")


_CLAUSE_OPENING = re.compile(r"\s*(?:[Đđ]ứng\s+|[Xx]ếp\s+)?")


def _holder_after(text: str, fig: Figure, units: list[Mention]) -> bool:
    """'...; đứng thứ 2 tỉnh Thái Nguyên đạt 90,29%; thứ 3 tỉnh Hải Dương': a place that opens its clause, its
    holder named right after it with 'tỉnh' or 'thành phố'."""
    if not P.CLASSIFIED_AFTER.match(text, fig.end):
        return False
    clause_start = max(text.rfind(c, 0, fig.start) for c in ";,:") + 1
    return _CLAUSE_OPENING.fullmatch(text, clause_start, fig.start) is not None and any(
        u.kind == "province" and 0 < u.start - fig.end <= 16 for u in units)


# a sentence that opens on a span of years it does not date ('Những năm gần đây, ...', 'Trong nhiều năm qua, ...')
_VAGUE_OPENING = re.compile(r"\s*(?:[Tt]rong\s+|[Qq]ua\s+|[Ss]uốt\s+)?(?:[Nn]hững|[Nn]hiều|[Mm]ấy|[Cc]ác)\s+năm"
                            r"(?:\s+(?:gần đây|qua|trở lại đây|liền|liên tiếp|trước))?\s*,")


# a clause (after ', và' or ';') that opens in a region: its places and moves are the region's
_CLAUSE_SEP = re.compile(r";|,\s+(?:và|đồng thời|còn|trong khi|song)(?!\w)")
_REGION_INTRO_AFTER_SEMI = re.compile(r"\s*(?:còn|và|riêng|nhưng)?\s*(?:trong|ở|tại|xét trong)\s+(?:nhóm\s+|số\s+|các\s+)?(?:\d{1,2}\s+)?"
                                      r"(?:tỉnh(?:,\s*thành(?: phố)?)?\s+)?(?:thuộc\s+|của\s+)?(?:khu vực|vùng|miền)(?!\w)[^,;.()]{0,40},")
_REGION_OPENS_CLAUSE = re.compile(r"[,;\s]*(?:và\s+)?(?:[^,;]{0,15}?\s)?(?:trong|ở|tại)\s+(?:khu vực|vùng|miền)(?!\w)")


_LIST_AFTER_RANK_WORD = re.compile(r"\s*(?:là|thuộc về|gồm)\s+[A-ZĐ][^,.;()]{1,30},\s*[A-ZĐ][^,.;()]{1,30}(?:,|\s+và\s+)")


# a PCI sub-index or PAPI dimension named right before a parenthesis, or in it: the parenthesis holds its figures
_PART_BEFORE_PAREN = re.compile(rf"{P.PART_INDEX_NAMES}[^,;.()]{{0,40}}\(\s*$")
_PART_NAMED = re.compile(P.PART_INDEX_NAMES)
_PART_SUBJECT = re.compile(rf"\s*(?:còn\s+|riêng\s+|[Cc]hỉ số\s+)?{P.PART_INDEX_NAMES}(?!\w)")
# an aside in a parenthesis about what a unit did up to the year before
_PAST_ASIDE = re.compile(r"(?:cho\s+)?(?:tới|đến)\s+(?:tận\s+)?năm\s+(?:trước|ngoái|liền trước)(?!\w)")


def _in_aside_after(text: str, pos: int, start: int) -> bool:
    """pos lies in a parenthesis that opens after start (an aside about the unit, not the figure's own words)."""
    opened = text.rfind("(", 0, pos)
    return opened > start and ")" not in text[opened:pos]


def excluded(fig: Figure, s: Scan, fact_years) -> str | None:
    """Why a figure is not a unit's national result, or None when it may be one."""
    text, units = s.text, s.units
    if any(0 <= fig.start - t < 160 and ";" not in text[t:fig.start] for t in s.at(P.TARGET_RX)):
        return "target"
    if fig.kind == "rank" and P.REQUIREMENT_AFTER.match(text[fig.end:fig.end + 60]):
        return "target"
    if any(a < fig.start and not any(a < u.start < fig.start for u in s.named_units())
           and ";" not in text[a:fig.start] and not closed_parenthesis(text, a, fig.start)
           and not _closed_comparison(text, a, fig.start) for a in s.at(P.AVERAGE_RX)):
        return "average"  # an average of a group, not a unit's result
    if fig.kind in ("rank", "hold") and not fig.years and any(
            abs(v - fig.start) < 50 and not re.search(r"[,;]", text[min(v, fig.start):max(v, fig.start)])
            # ('Điểm lại các năm trước: năm 2012 tỉnh ở vị trí 31': a year of its own in between pins it)
            and not any(min(v, fig.start) < p < max(v, fig.start) and role == "plain" for p, y, role in fact_years)
            # ('Ở bảng PCI 2015, Đà Nẵng giữ ngôi đầu bảng 3 năm liền': a counted run up to a dated year ends in it)
            and not (_COUNTED_RUN.match(text, v) and any(p < fig.start and role == "plain" for p, y, role in fact_years))
            # ('Quảng Ninh (địa phương giữ ngôi đầu bốn năm liền ...) với 91,14 điểm': the run is the aside's)
            and not _in_aside_after(text, v, fig.start)
            for v in s.at(P.VAGUE_TIME)):
        return "vague time"  # 'nhiều năm liền đứng đầu': no year to pin it on
    if fig.kind in ("rank", "hold") and not fig.years and P.TIMES_BEFORE.search(text[max(0, fig.start - 15):fig.start]):
        return "vague time"  # 'có 3 lần đứng đầu': a count of times, no year's place (unless its years are listed)
    if fig.kind in ("rank", "hold", "prior", "change") and not fig.years and _VAGUE_OPENING.match(text) \
            and not any(role == "plain" for p, y, role in fact_years):
        return "vague time"  # 'Những năm gần đây, ... từ vị trí 30 lên vị trí 16': the opening governs the sentence
    if fig.kind == "hold" and any(not re.search(r"[,;]", text[min(m.end(), fig.end):max(m.start(), fig.start)])
                                  for m in _YEAR_RANGE.finditer(text)):
        return "span"  # 'từng 3 năm liên tiếp (2008-2010) giữ vị trí quán quân': held over a span, no one year's move
    # the parenthesis the figure stands in, if any
    opened = text.rfind("(", 0, fig.start)
    in_paren = opened >= 0 and ")" not in text[opened:fig.start]
    if fig.kind in ("rank", "score", "change", "prior", "hold"):
        clause = max(text.rfind(";", 0, fig.start), text.rfind(":", 0, fig.start)) + 1
        if _PART_SUBJECT.match(text, clause) and not any(clause <= u.start < fig.start for u in units):
            return "component"  # 'Tiếp cận đất đai dù ít điểm hơn vẫn lên hạng và đứng đầu cả nước': the part's place
        if in_paren and (_PART_BEFORE_PAREN.search(text, max(0, opened - 80), opened + 1)
                         or _PART_NAMED.search(text, opened, fig.start)):
            return "component"  # 'ở việc cắt giảm chi phí không chính thức (7,74 điểm, hạng 2/62 địa phương)'
    if fig.kind in ("rank", "hold") and in_paren:
        closed = text.find(")", fig.start)
        if closed > 0 and _PAST_ASIDE.search(text, opened, closed):
            return "past clause"  # 'Quảng Ninh (địa phương giữ ngôi đầu bốn năm liền cho tới năm trước) với 91,14 điểm'
    if fig.kind in ("rank", "hold") and in_past_clause(text, fig, fact_years):
        return "past clause"  # 'sau bốn năm liên tiếp dẫn đầu, ...': what came before, with no year of its own
    if fig.kind == "rank" and (is_regional(text, fig) or (P.REGIONAL_SCOPE.match(text) and fig.rank_of not in (63, 34)
                                                           and not P.NATIONAL_AFTER.match(text[fig.end:fig.end + 60]))) \
            and not _national_aside(text, fig, units):
        return "regional"
    if fig.kind == "hold" and P.REGION_IN_CLAUSE.match(re.split(r"\s(?:và|để|nhưng)\s", text[fig.end:fig.end + 25])[0]):
        # 'Đà Nẵng giữ ngôi đầu miền Trung': kept the region's lead, not its national place (the region right
        # after the hold, in its own clause: not 'giữ vững vị trí thứ 4, dẫn đầu khu vực')
        return "regional"
    if fig.kind == "behind" and (is_regional(text, fig) or P.REGIONAL_SCOPE.match(text) or any(
            g.kind == "rank" and g.end <= fig.start and ";" not in text[g.end:fig.start] and is_regional(text, g)
            for g in s.figures)):
        # ('Kon Tum đứng thứ 2 trong vùng Tây Nguyên (chỉ sau Gia Lai: ...)': behind within the region it placed)
        return "regional"  # 'Trong 3 tỉnh khu vực Tây Bắc, X đứng thứ 2, xếp sau Sơn La (hạng 46)': after it there
    if fig.kind in ("change", "prior") and any(
            g.kind == "rank" and re.fullmatch(r"[^,;()]{0,45}\(\s*", text[g.end:fig.start]) and g.rank_of not in (63, 34)
            and is_regional(text, g) for g in s.figures):
        return "regional"  # 'xếp thứ 9/13 (tăng 3 bậc) so với các tỉnh trong khu vực', 'thứ 3 của khu vực Tây
        # Nguyên (giảm 1 bậc)': the move in a parenthesis after a regional place is that place's
    if fig.kind in ("rank", "change", "prior", "hold", "behind"):
        semi = text.rfind(";", 0, fig.start)
        intro = _REGION_INTRO_AFTER_SEMI.match(text, semi + 1, fig.start) if semi >= 0 else None
        if intro and not (fig.kind == "rank" and _national_aside(text, fig, units)):
            return "regional"  # '...; còn trong nhóm 14 tỉnh miền núi phía Bắc, Lạng Sơn xếp thứ 9': the clause's intro
    clause = max((m.end() for m in _CLAUSE_SEP.finditer(text, 0, fig.start)), default=0)
    if clause and fig.kind in ("rank", "change", "prior", "hold", "behind") and _REGION_OPENS_CLAUSE.match(text, clause, fig.start) \
            and not (fig.kind == "rank" and _national_aside(text, fig, units)):
        # (a sentence that opens in the region is REGIONAL_SCOPE's, with the national places in its parentheses)
        return "regional"  # '..., và trong vùng TD&MNPB cũng tăng 1 bậc, từ thứ 5 lên thứ 4': a clause in the region
    if fig.kind in ("change", "prior") and (P.REGION_IN_CLAUSE.match(text[fig.end:fig.end + 60])
                                            or P.MOVE_IN_REGION_AFTER.match(text[fig.end:fig.end + 80])):
        return "regional"  # 'tăng 1 bậc, từ vị trí thứ 5 lên thứ 4 trong vùng'
    if fig.kind in ("rank", "hold") and _NEGATED.search(text, max(0, fig.start - 30), fig.start):
        return "negated"  # 'năm nay không còn ở vị trí số một', 'chưa lọt vào ...': a place not held
    if fig.kind in ("rank", "hold") and not fig.years and _LAST_YEARS_PLACE.match(text, fig.end):
        return "last year"  # 'Lào Cai, tỉnh giữ ngôi quán quân năm ngoái': the place of the year before, undated
    if _PART_LIST_ITEM.match(text):
        return "component"  # '- Công khai, minh bạch: tỉnh được 5,08 điểm; Quảng Ninh cao nhất với 6,29': a part's item
    if fig.kind == "rank" and (P.COMPONENT_AFTER.match(text[fig.end:fig.end + 50])
                               or P.TOPIC_AFTER.match(text[fig.end:fig.end + 50])):
        return "component"  # 'đứng đầu ở nhiều chỉ số thành phần', 'dẫn đầu cả nước về quyết tâm chống tham nhũng'
    if any(i < fig.start for i in s.at(P.INTERNAL_SCOPE)) or (
            fig.kind == "rank" and (P.INTERNAL_AFTER_RANK.match(text[fig.end:fig.end + 40])
                                    or P.INTERNAL_LATER_IN_CLAUSE.match(text, fig.end))):
        return "internal"  # 'ở cấp huyện, quận X xếp thứ 3, tăng 1 bậc': an internal ranking
    if fig.bare and not any(u.kind in ("province", "ministry") and 0 <= fig.start - u.end and (
            fig.start - u.end <= 2 or re.fullmatch(r"\s*\([^()]{0,25},\s*", text[u.end:fig.start])
            or _REGION_IN_PARENS.fullmatch(text, u.end, fig.start))  # 'Bắc Ninh (miền Bắc) thứ ba'
            for u in units) and not _holder_after(text, fig, units):
        return "bare ordinal"  # 'Huế thứ tư', 'Bình Dương (86,93%, thứ 4)': only right after the unit
    if fig.kind == "rank" and plural_subject(text, fig, units):
        return "group"  # 'Đà Nẵng, Hải Phòng, Bình Dương dẫn đầu': a leading group, not a rank
    if fig.kind == "rank" and fig.value in (1, -1) and "lần lượt" not in text and _LIST_AFTER_RANK_WORD.match(text, fig.end):
        return "group"  # 'Xếp cuối là Lào Cai, Điện Biên, Đăk Nông': the last group, in no stated order
    if fig.kind == "rank" and P.GENERIC_SUBJECT.search(text[max(0, fig.start - 15):fig.start]) and not any(
            u.end <= fig.start for u in s.named_units()):
        return "generic subject"  # 'địa phương đứng đầu' with no unit named: the leader in general
    if fig.kind == "rank" and re.match(r"(?:cao|thấp) nhất", text[fig.start:fig.end]) \
            and re.search(r"(?<!\w)(?:tỉnh|thành phố|tỉnh, thành(?: phố)?)\s+$", text[max(0, fig.start - 20):fig.start]):
        return "generic subject"  # '(tỉnh cao nhất cả nước 92,40%)': the highest province, a noun, not the site's
    if fig.kind == "score" and P.GAP_RX.search(text[:fig.start]):
        return "gap"  # 'khoảng cách giữa ... là 16,22 điểm': a gap, not a score
    return None
