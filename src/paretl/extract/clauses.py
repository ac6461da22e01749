"""Sentences and clauses: where a sentence ends, and which stretch of a sentence a figure's words govern.

Vietnamese news strings clauses with commas and semicolons; a year or unit named in one clause ('sau khi ...',
'năm 2020 xếp thứ hai, ...') does not always reach a figure in the next.
"""

from __future__ import annotations

import re

from paretl.extract import patterns as P

_ABBREV = re.compile(r"(?:\b(?:TP|Tp|tp|TT|Q|P|TS|ThS|PGS|GS|BS|St|Mr|Ms|Th|KS|CN|Ths|Nxb|tr|TX|No|no)\.)$")
_SENT_END = re.compile(rf"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]?[{P.UPPER}0-9])")


def split_sentences(block: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENT_END.finditer(block):
        head = block[start:m.start()]
        if _ABBREV.search(head):
            continue
        out.append((start, head))
        start = m.end()
    out.append((start, block[start:]))
    return [(s, t) for s, t in out if t.strip()]


CLAUSE_BREAK = re.compile(r",?\s(?:sau khi|trong khi|còn|trước đó|khi)\s|;|,\s*sau\s")
PAST_CLAUSE = re.compile(r"(?:^|[,;(])\s*(?:[Ss]au khi|[Ss]au|[Tt]rước đó|[Tt]ừng)\s[^,;]*$")


def closed_aside(text: str, year_pos: int, fig_pos: int, unit_ends: set[int]) -> bool:
    """'Hải Phòng, năm 2020 xếp thứ hai, đã vươn lên dẫn đầu': a year in an aside right after the subject stays
    in the aside."""
    # ('Đà Nẵng, địa phương từng giành ngôi đầu vào các năm 2013 và 2016, chỉ đứng thứ 5': an appositive on what the
    # unit once did)
    start = text.rfind(",", 0, year_pos)
    return start >= 0 and start in unit_ends and re.fullmatch(
        r",\s*(?:năm\s+)?|,\s*(?:địa phương|tỉnh|thành phố|đơn vị|nơi)\s+(?:từng|đã từng|vốn|trước đây|nhiều lần)[^,;()]{0,60}?",
        text[start:year_pos]) is not None and "," in text[year_pos:fig_pos]


def closed_past_clause(text: str, year_pos: int, fig_pos: int) -> bool:
    m = PAST_CLAUSE.search(text[:year_pos])
    return bool(m) and bool(re.search(r"[,;]", text[year_pos:fig_pos]))


def closed_parenthesis(text: str, pos: int, fig_start: int) -> bool:
    """pos lies inside a parenthesis that closes before the figure: what is named there stays there (a year:
    '(năm 2019, Lào Cai xếp thứ 13)'; an average or an index: '(cao hơn trung bình cả nước 0,99 điểm), xếp hạng 29')."""
    depth = 0
    for ch in text[pos:fig_start]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return True
    return False
