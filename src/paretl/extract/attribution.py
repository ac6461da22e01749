"""Attribution: whose figure it is, of which index, for which year.

Every figure takes the unit, index and year that govern it: the nearest one before it in its clause, else in its
sentence, else the one the paragraph or the article is about. Lists pair figures with units ('A và B lần lượt xếp
thứ 2 và 3', 'từ thứ 2 đến thứ 5 là A, B, C, D'). Where no reading is sure the figure is left unattributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paretl.extract import patterns as P
from paretl.extract.clauses import CLAUSE_BREAK, closed_aside, closed_parenthesis, closed_past_clause
from paretl.extract.numbers import words_to_int
from paretl.extract.mentions import Figure, Scan, index_mentions, year_mentions
from paretl.extract.scope import is_regional
from paretl.extract.units import Mention, find_units, is_announcer

# Where an attribution came from, strongest first. A fact is as sure as its weakest part.
SOURCES = ("clause", "table", "sentence", "paragraph", "headline", "article", "url", "site", "calendar")


def weakest(*sources: str | None) -> str:
    return max((s for s in sources if s), key=SOURCES.index, default="clause")


@dataclass
class Context:
    """What the article is about, for clauses that do not say it again, and where each came from."""

    primary_unit: Mention | None
    index: str | None
    year: int | None
    published_year: int | None
    warnings: list[str]
    unit_source: str = "site"
    index_source: str = "article"
    year_source: str = "article"
    # the index the text read so far named last ('Ở chỉ số này, Quảng Ninh dẫn đầu' after a caption on SIPAS),
    # and the one the current section's heading names ('Xáo trộn ở nhóm đầu SIPAS')
    last_index: str | None = None
    section_index: str | None = None
    denominators: dict[str, int] = field(default_factory=dict)  # units ranked, as the article states them
    # every place read so far, per unit name: {(index, year, rank)}, for 'Xếp sau Hải Phòng lần lượt là ...' opening
    # a paragraph after the one that ranked Hải Phòng
    places: dict[str, set] = field(default_factory=dict)


@dataclass
class Who:
    """The unit a figure belongs to: one unit, a group sharing the figure ('cùng giảm 2 bậc'), or the unit a
    'đứng ngay sau X' figure ranks behind."""

    unit: Mention
    source: str
    group: list[Mention] | None = None
    behind: Mention | None = None


def forward_unit(text: str, fig: Figure, units: list[Mention]) -> Mention | None:
    """'Dẫn đầu là Quảng Ninh', 'xếp cuối bảng là Bến Tre': the rank words come before their unit."""
    tail = text[fig.end:fig.end + 40]
    m = re.match(r"^\s*(?:cả nước\s*|toàn quốc\s*|bảng xếp hạng\s*|bảng\s*)?(?:vẫn |lần lượt |tiếp tục |tiếp theo |cũng )?"
                 r"(?:là|thuộc về|gọi tên)\s+", tail)
    sentence_start = max(text.rfind(c, 0, fig.start) for c in ".;:") + 1
    if not m and (re.search(r"(?:^|[.;:]\s*)$", text[:fig.start]) or (
            re.search(r",\s*$", text[:fig.start]) and not any(sentence_start <= u.start < fig.start for u in units))):
        # 'Dẫn đầu bảng tổng hợp kết quả PAPI 2021 của các tỉnh, thành phố là Thừa Thiên Huế': rank words opening
        # their clause, what they lead named before 'là', then the holder ('Theo kết quả năm 2016, đứng đầu trong
        # khối các bộ, ngành là ...': after an opening phrase that names no unit)
        # ('dẫn đầu PAR Index 2022 là TP. Cần Thơ': the index named before 'là')
        m = re.match(r"^\s+(?:bảng|danh sách|trong|PAR\s?[Ii]ndex|PAR INDEX|SIPAS|PAPI|PCI|PGI|[Cc]hỉ số)\s"
                     r"(?:[^.;()\d]|(?<!\d)(?:19|20)\d{2}(?!\d)){0,70}?\s(?:là|thuộc về)\s+", text[fig.end:fig.end + 110])
    if not m and P.CLASSIFIED_AFTER.match(tail) and not any(
            u.kind in ("province", "ministry", "self") and u.end <= fig.start for u in units
            if not re.search(r"[;,]", text[u.end:fig.start])):
        # '...; đứng thứ 2 tỉnh Thái Nguyên đạt 90,29%; thứ 3 tỉnh Hải Dương': a place opening its clause, its
        # holder right after it, named with 'tỉnh' or 'thành phố'
        m = re.match(r"\s*", tail)
    if not m and (P.RANK_NOUN.fullmatch(text[fig.start:fig.end]) or P.RANK_BEFORE_UNIT.search(text[fig.start:fig.end])):
        m = re.match(r"^\s*(?:là\s+)?", tail)  # 'á quân Đồng Tháp đạt 72,10 điểm': a title before its holder
        if not any(u.start == fig.end + m.end() for u in units if u.kind in ("province", "ministry")):
            return None
    if not m:
        return None
    for u in units:
        if u.start >= fig.end and u.start - (fig.end + m.end()) <= 12:
            return u
    return None


# (and where a unit lies, then ', rồi': 'Bắc Giang, thành phố Hải Phòng ở phía Bắc, rồi tỉnh Bà Rịa - Vũng Tàu')
_LIST_GAP = re.compile(r"\s*(?:\([^()]*\))?\s*(?:(?:(?:với|đạt)\s+[\d.,]+\s*(?:điểm|%)?|\d[\d.,]*\s*(?:điểm|%))\s*(?:\([^()]*\))?)?\s*"
                       r"(?:ở\s+(?:phía|miền|vùng)\s+(?:Bắc|Nam|Trung|Tây|Đông)(?:\s+(?:Bộ|Bắc|Nam))?\s*)?"
                       r"(?:,|và|,\s*và|,\s*rồi(?:\s+đến)?|cùng)\s*(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?")

# 'tiếp theo là Bình Dương với 47,18 điểm; Thanh Hóa 47,10 điểm': items with their scores, split by semicolons
_SCORED_ITEMS_GAP = re.compile(r"\s*(?:(?:với|đạt)\s+)?\d[\d.,]*\s*(?:điểm|%)\s*;\s*")
# 'Bình Định (27,5 điểm); Long An (27,1 điểm) và Bắc Ninh (26,8 điểm)': items with their asides, split by semicolons
_PAREN_ITEMS_GAP = re.compile(r"\s*\([^()]*\)\s*;\s*(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?")
_SCORED_ITEM = re.compile(r"\s*(?:với|đạt|:)?\s*\d[\d.,]*\s*(?:điểm|%)")


def _run_after(text: str, units: list[Mention], pos: int, limit: int = 12) -> list[Mention]:
    """The units listed from pos on: 'Hải Phòng (90,09%), Hà Nội với 89,58 điểm và Bắc Giang'."""
    run: list[Mention] = []
    for u in units:
        if u.start < pos or u.kind not in ("province", "ministry"):
            continue
        gap = text[(run[-1].end if run else pos):u.start]
        if run and not _LIST_GAP.fullmatch(gap) and not (
                _SCORED_ITEMS_GAP.fullmatch(gap) and _SCORED_ITEM.match(text, u.end)) and not (
                _PAREN_ITEMS_GAP.fullmatch(gap) and text[u.end:u.end + 3].lstrip().startswith("(")):
            break
        if not run and len(gap.strip()) > limit:
            break
        if re.match(r"\s*(?:xếp|đứng|dẫn đầu|giữ|tụt|tăng|giảm|vươn)", text[u.end:u.end + 12]):
            break  # 'Lâm Đồng xếp cuối': a unit with a place of its own ends the list
        run.append(u)
    return run


def ordered_after(text: str, units: list[Mention], figures: list[Figure], block_state: dict,
                  places: dict[str, set] | None = None, article_kind: tuple | None = None) -> dict[int, Mention]:
    """'Quảng Ninh dẫn đầu; tiếp theo là Hải Phòng, Hà Nội', 'Sau đó là A, B': the units listed after the marker
    take the places after the last place stated before it (in the sentence, or the paragraph when the sentence
    opens with the marker)."""
    out: dict[int, Mention] = {}
    for m in P.ORDER_NEXT.finditer(text):
        before = [f for f in figures if f.kind == "rank" and f.end <= m.start() and isinstance(f.value, int)
                  and f.value > 0]
        anchor = before[-1].value if before else (block_state.get("last_rank") if not text[:m.start()].strip()
                                                 else None)
        if not anchor or before and is_regional(text, before[-1]):
            continue  # ('Quảng Ninh dẫn đầu khu vực, tiếp theo là Hà Nội': the places after it are the region's too)
        run = _run_after(text, units, m.end())
        if run and _IS_AFTER.match(text, run[0].end):
            continue  # 'Theo sau Quảng Ninh lần lượt là A, B': the unit named is the anchor ('sau X là', below)
        for k, u in enumerate(run, 1):
            figures.append(Figure("rank", u.start, u.start, anchor + k))
            out[u.start] = u
    for m in _AFTER_UNIT.finditer(text):
        # 'Sau Quảng Ninh là Đồng Tháp 72,10 điểm, Vĩnh Long 71,30 điểm': the places after the named unit's, when
        # the paragraph has given it one
        first = next((u for u in units if u.start == m.end() and u.kind in ("province", "ministry")), None)
        if first is None:
            # 'Xếp sau tỉnh này là thủ đô Hà Nội': the one unit the paragraph has placed so far
            ana = next((u for u in units if u.start == m.end() and u.kind == "anaphor"), None)
            this = _THIS_AFTER.match(text, ana.end) if ana else None
            lead = _IS_AFTER.match(text, this.end()) if this else None
            ranked = block_state.get("ranks") or {}
            if lead and len(ranked) == 1:
                anchor = next(iter(ranked.values()))
                for k, u in enumerate(_run_after(text, units, lead.end()), 1):
                    figures.append(Figure("rank", u.start, u.start, anchor + k))
                    out[u.start] = u
            continue
        lead = _IS_AFTER.match(text, first.end)
        anchor = (block_state.get("ranks") or {}).get(first.name) if lead else None
        kind = None
        known = (places or {}).get(first.name, set()) if lead else set()
        if len(known) > 1:  # (a place of another year recalled too: the article's own index and year's)
            known = {k for k in known if (k[0], k[1]) == article_kind}
        if not anchor and len(known) == 1:
            # the unit's one place in the article so far, read in an earlier paragraph: its index and year must
            # be the ones the listed units get (checked in facts.extract_sentence)
            (index, year, anchor), = known
            kind = (index, year)
        if not anchor:
            continue
        for k, u in enumerate(_run_after(text, units, lead.end()), 1):
            figures.append(Figure("rank", u.start, u.start, anchor + k))
            out[u.start] = u
            if kind:
                block_state.setdefault("anchored", {})[u.start] = kind
    return out


_AFTER_UNIT = re.compile(r"(?<!\w)[Ss]au\s+")  # ('Sau X là', 'Xếp sau X là', 'Đứng sau X là')
_IS_AFTER = re.compile(r"\s*(?:lần lượt\s+)?là\s+")
_THIS_AFTER = re.compile(r"\s+(?:này|đó|nói trên)(?!\w)")


_UNIT_SCORE = re.compile(r"\s*\(\s*(\d{1,3}(?:[.,]\d{1,4})?)\s*(?:điểm|%)")


def _scores_fall(text: str, run: list[Mention]) -> bool:
    """Each listed unit has its score in a parenthesis right after it, and none is higher than the one before: the
    list is in the ranking's order ('thuộc về Bến Tre (46,31 điểm), Vĩnh Long (45,88 điểm) và Trà Vinh (45,65 điểm)')."""
    scores = []
    for u in run:
        m = _UNIT_SCORE.match(text, u.end)
        if not m:
            return False
        scores.append(float(m.group(1).replace(",", ".")))
    return all(a >= b for a, b in zip(scores, scores[1:]))


# 'Những địa phương còn lại của top10 (tính theo điểm) là Bình Dương 70,16; Đà Nẵng 70,12; ... và Bắc Ninh 66,74':
# the rest of a top N, each unit with its score, scores falling: the last places of the N, in order
_UNIT_BARE_SCORE = re.compile(r"\s+(\d{2}[.,]\d{1,3})(?![\d.,]?\d)\s*(?:điểm\s*)?(?:;|,|và|;\s*và|,\s*và|\.|$)\s*")


def rest_of_top(text: str, units: list[Mention], figures: list[Figure]) -> dict[int, Mention]:
    out: dict[int, Mention] = {}
    for m in P.REST_OF_TOP.finditer(text):
        pos, run, scores, spans = m.end(), [], [], []
        for u in [u for u in units if u.start >= m.end() and u.kind == "province"]:
            if u.start != pos and not re.fullmatch(r"(?:[Tt]hành phố|TP\.?|[Tt]ỉnh)\s*", text[pos:u.start]):
                break
            sm = _UNIT_BARE_SCORE.match(text, u.end)
            if not sm:
                break
            run.append(u)
            scores.append(float(sm.group(1).replace(",", ".")))
            spans.append((sm.start(1), sm.end(1)))
            pos = sm.end()
        n = int(m.group("n"))
        if len(run) < 2 or len(run) >= n or any(a < b for a, b in zip(scores, scores[1:])):
            continue
        for k, u in enumerate(run):
            figures.append(Figure("rank", u.start, u.start, n - len(run) + 1 + k))
            out[u.start] = u
            a, b = spans[k]  # its score, bare beside it
            if not any(f.kind == "score" and f.start == a for f in figures):
                figures.append(Figure("score", a, b, scores[k]))
            out[a] = u
        figures.sort(key=lambda f: f.start)
    return out


def top_listed(text: str, units: list[Mention], figures: list[Figure]) -> dict[int, Mention]:
    """'3 vị trí cao nhất thuộc về A (74,84 điểm), B và C', '3 địa phương dẫn đầu lần lượt là A, B, C': places 1..N
    in order, when exactly N units are listed (a sentence may state no other figure: the places are added here)."""
    out: dict[int, Mention] = {}
    for m in P.TOP_LIST.finditer(text):
        if re.search(r"(?<!\w)(?:khu vực|vùng|miền)(?!\w)", m.group("mid")):
            continue  # 'ba tỉnh dẫn đầu khu vực ... là': a regional top
        n = int(m.group("n")) if m.group("n").isdigit() else words_to_int(m.group("n"))
        run = _run_after(text, units, m.end())
        if "lần lượt" not in m.group(0) and not _scores_fall(text, run):
            continue  # 'ba địa phương dẫn đầu ... là A, B và C': a leading group, in no stated order
        if n and len(run) == n:
            for k, u in enumerate(run, 1):
                figures.append(Figure("rank", u.start, u.start, k))
                out[u.start] = u
    return out


def leaders_of_each_kind(text: str, units: list[Mention], figures: list[Figure]) -> dict[int, Mention]:
    """'Quảng Ninh và Ngân hàng Nhà nước dẫn đầu Chỉ số CCHC', 'Bộ Tư pháp và Hải Phòng tiếp tục dẫn đầu': a province
    and a ministry named together before a first (or last) place each hold it among their own kind, not as a group."""
    out: dict[int, Mention] = {}
    for f in figures:
        if f.kind != "rank" or f.value not in (1, -1) or re.match(r"\d", text[f.start:f.end].split()[-1] if
                                                                  text[f.start:f.end].split() else "0"):
            continue
        before = [u for u in units if u.end <= f.start and u.kind in ("province", "ministry")]
        if len(before) < 2:
            continue
        a, b = before[-2], before[-1]
        if {a.kind, b.kind} != {"province", "ministry"} or not re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[a.end:b.start]) \
                or not _KINDS_LEAD_GAP.fullmatch(text, b.end, f.start):
            continue
        if len(before) > 2 and _UNITS_GAP.fullmatch(text, before[-3].end, a.start):
            continue  # a longer list: not one of each kind
        out[f.start] = Mention(f.start, f.start, f"group:{a.start},{b.start}")
    return out


_KINDS_LEAD_GAP = re.compile(r"\s*(?:(?:cùng|đều|tiếp tục|lần lượt|vẫn)\s+)*")


# what stands between two units of one list: a comma or 'và', and maybe a parenthesis ('A (74,84 điểm), B và C')
_UNITS_GAP = re.compile(r"\s*(?:\([^)]*\))?\s*(?:,|và|,\s*và)\s*")


# between the holders of listed places: also each one's score ('lần lượt thuộc về Vĩnh Long với 71,30 điểm cùng Bắc
# Ninh với 70,79 điểm')
# ('lần lượt thuộc về Quảng Ninh (miền Bắc) với 65,60 điểm và Đồng Tháp ...': where the unit lies, then its score)
_HOLDERS_GAP = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:với\s+\d{1,3}(?:[.,]\d{1,3})?\s*(?:điểm|%))?\s*(?:,|và|cùng|,\s*và)\s*")


def respectively(text: str, units: list[Mention], figures: list[Figure]) -> dict[int, Mention]:
    """'Hải Phòng và Cà Mau lần lượt xếp thứ hai và thứ ba': the i-th figure of a kind goes to the i-th unit.

    Returns figure start -> unit for the figures it could pair; figures of a kind whose count does not match the
    units are left out (unsure), as are changes shared with 'cùng' ('cùng giảm 2 bậc': every unit)."""
    out: dict[int, Mention] = {}
    for m in P.RANK_RANGE.finditer(text):
        # 'từ vị trí thứ 2 đến thứ 5 là Hà Nội, Đồng Tháp, Hải Phòng và Long An'
        a, b = (int(g) if g.isdigit() else P.RANGE_WORDS[g] for g in (m.group("a"), m.group("b")))
        listed = [u for u in units if u.start >= m.end() and u.kind in ("province", "ministry")]
        run: list[Mention] = []
        for u in listed:
            gap = text[(run[-1].end if run else m.end()):u.start]
            if run and not _UNITS_GAP.fullmatch(gap):
                break
            run.append(u)
        if b > a and len(run) == b - a + 1:
            for k, u in enumerate(run):
                figures.append(Figure("rank", u.start, u.start, a + k))
                out[u.start] = u
        for f in figures:  # the 'thứ 2', 'thứ 5' of the range itself are not ranks of anyone
            if f.kind == "rank" and m.start() <= f.start < m.end():
                out[f.start] = Mention(f.start, f.start, "subunit")
    for m in P.RANK_RANGE_AFTER.finditer(text):
        # 'Bộ Tài chính, Bộ Tư pháp, Bộ Ngoại giao và Bộ Tài nguyên và Môi trường lần lượt đứng từ thứ hai đến thứ
        # năm': the units listed right before the range take its places in order
        a, b = (int(g) if g.isdigit() else P.RANGE_WORDS[g] for g in (m.group("a"), m.group("b")))
        run = _run_before(text, units, m.start(), 2)
        if b > a and len(run) == b - a + 1:
            for k, u in enumerate(run):
                figures.append(Figure("rank", u.start, u.start, a + k))
                out[u.start] = u
        for f in figures:
            if f.kind == "rank" and m.start() <= f.start < m.end():
                out[f.start] = Mention(f.start, f.start, "subunit")
    # 'Xếp thứ 2 và thứ 3 về chỉ số PAPI 2024 là Tây Ninh (47,35 điểm) và Bình Thuận (47,13 điểm)': places listed
    # first, their holders after 'là' in the same order
    ranks = sorted((f for f in figures if f.kind == "rank" and f.value and f.value > 0 and f.start not in out),
                   key=lambda f: f.start) if (" là " in text or "thuộc về" in text) else []
    i = 0
    while i < len(ranks):
        run_r = [ranks[i]]
        while i + len(run_r) < len(ranks) and re.fullmatch(r"\s*(?:,|và|,\s*và)\s*(?:thứ\s*)?",
                                                          text[run_r[-1].end:ranks[i + len(run_r)].start]):
            run_r.append(ranks[i + len(run_r)])
        i += len(run_r)
        if len(run_r) < 2:
            continue
        lead = re.match(r"[^.;]{0,70}?\s(?:lần lượt\s+)?(?:là|thuộc về)\s+", text[run_r[-1].end:])
        if not lead or any(u.start < run_r[-1].end + lead.end() for u in units if u.start > run_r[-1].end):
            continue
        holders: list[Mention] = []
        for u in [u for u in units if u.start >= run_r[-1].end + lead.end() and u.kind in ("province", "ministry")]:
            gap = text[(holders[-1].end if holders else run_r[-1].end + lead.end()):u.start]
            if holders and not _HOLDERS_GAP.fullmatch(gap) or not holders and gap.strip():
                break
            holders.append(u)
        if len(holders) == len(run_r):
            out.update({f.start: u for f, u in zip(run_r, holders)})
    for m in re.finditer(r"(?<!\w)lần lượt(?!\w)", text):
        run = _run_before(text, units, m.start(), 60)
        if len(run) < 2:
            continue
        end = text.find(".", m.end())
        end = len(text) if end < 0 else end
        top = re.match(r"\s+(?:xếp|đứng|đạt|có)\s+(?:thứ hạng|vị trí|kết quả|điểm số|chỉ số)?\s*cao nhất(?!\w)", text[m.end():])
        if top and not any(f.kind == "rank" and f.value not in (1, None) and m.end() <= f.start < end for f in figures):
            # 'Bộ Tư pháp, Ngân hàng Nhà nước và Bộ Tài chính lần lượt xếp thứ hạng cao nhất': first, second, third
            figures[:] = [f for f in figures if not (f.kind == "rank" and m.end() <= f.start < m.end() + top.end())]
            for k, u in enumerate(run, 1):
                figures.append(Figure("rank", u.start, u.start, k))
                out[u.start] = u
            continue
        for kind in ("score", "rank", "change", "prior"):  # ('lần lượt từ thứ 31 lên 2 và 16 lên 10': each its move)
            figs = [f for f in figures if f.kind == kind and m.end() <= f.start < end and f.start not in out]
            if len(figs) == len(run):
                for f, u in zip(figs, run):
                    out[f.start] = u
            else:
                for f in figs:
                    out[f.start] = Mention(f.start, f.start, "subunit")  # unsure: drop
        for f in figures:
            if f.kind == "change" and run[0].start < f.start < m.start() and \
                    re.search(r"\bcùng\s*$", text[max(0, f.start - 8):f.start]):
                out[f.start] = Mention(f.start, f.start, "group:" + ",".join(str(u.start) for u in run))
    for m in _SHARED.finditer(text):
        # 'Quảng Ninh, Long An đều giảm 1 bậc xuống vị trí thứ 2 và thứ 3', 'Hà Nội và Đà Nẵng cùng tăng 2 bậc': the
        # units share the one change; places, one for each unit, go in the order the units were named
        run = _run_before(text, units, m.start(), 3)
        if len(run) < 2:
            continue
        end = min([i for i in (text.find(".", m.end()), text.find(";", m.end())) if i >= 0] or [len(text)])
        for kind in ("change", "rank"):
            figs = [f for f in figures if f.kind == kind and m.end() <= f.start < end and f.start not in out]
            if kind == "change" and len(figs) == 1:
                out[figs[0].start] = Mention(figs[0].start, figs[0].start, "group:" + ",".join(str(u.start) for u in run))
            elif kind == "rank" and len(figs) == len(run):
                out.update({f.start: u for f, u in zip(figs, run)})
            else:
                for f in figs:
                    out[f.start] = Mention(f.start, f.start, "subunit")  # unsure: drop
    return out


# 'đều' / 'cùng' before a move or a place: what follows is said of every unit of the list just before
_SHARED = re.compile(r"(?<!\w)(?:đều|cùng)(?=\s+(?:tăng|giảm|tụt|lên|xuống|đứng|xếp|giữ)(?!\w))")


def _run_before(text: str, units: list[Mention], pos: int, max_gap: int) -> list[Mention]:
    """The run of provinces or ministries that ends just before pos (at most max_gap characters before it),
    joined by commas and 'và'."""
    run: list[Mention] = []
    for u in reversed([u for u in units if u.start < pos and u.kind in ("province", "ministry")]):
        gap = text[u.end:(run[0].start if run else pos)]
        if run and not _UNITS_GAP.fullmatch(gap):
            break
        if not run and len(gap) > max_gap:
            break
        run.insert(0, u)
    return run


def index_named_after(text: str, fig: Figure, indices):
    if fig.kind not in ("rank", "change", "score", "hold"):
        return None
    # 'năm thứ 7 liên tiếp dẫn đầu Chỉ số PCI': a run of years is the index's its rank words name after it
    lead = r"(?:(?:tỉnh|thành phố|địa phương|đơn vị)?\s*(?:dẫn đầu|đứng đầu|quán quân|á quân|(?:xếp|đứng) thứ \d{1,2}))?" \
        if fig.kind == "hold" else ""  # ('năm thứ 7 liên tiếp tỉnh dẫn đầu Chỉ số PCI')
    for s, e, k in indices:
        if k in P.INDEX_RX and fig.end <= s <= fig.end + 40 and re.fullmatch(
                # ('xếp thứ 59/63 tỉnh, thành phố về Chỉ số hài lòng ...': the count's words, then the index)
                rf"\s*{lead}\s*(?:(?:tỉnh,?\s*thành(?:\s*phố)?|địa phương|bộ,?\s*cơ quan ngang bộ)(?:\s*trực thuộc [Tt]rung ương)?\s+(?=về))?"
                rf"(?:cả nước\s*|toàn quốc\s*)?(?:về|trong|ở|trên|của)?\s*(?:bảng xếp hạng\s*|bảng\s*|xếp hạng\s*)?"
                r"(?:[Cc]hỉ số\s*)?", text[fig.end:s]):
            return (s, k)
    return None


def unit_leads(text: str, fig: Figure, units: list[Mention]) -> bool:
    """A named unit governs the figure: the nearest unit before it is a province or ministry, in the same clause."""
    before = [u for u in units if u.end <= fig.start]
    return bool(before) and before[-1].kind in ("province", "ministry") and fig.start - before[-1].end < 80 \
        and ";" not in text[before[-1].end:fig.start]


def coordinated(text: str, indices, start: int) -> bool:
    """Whether the index mention at start is joined to another by 'và' / ',' / 'lẫn' (two indices named together:
    'ở cả Chỉ số CCHC lẫn Chỉ số hài lòng ...; Hà Nội thì ở vị trí thứ 3' does not say which)."""
    for s, e, k in indices:
        if k in P.INDEX_RX and e <= start and re.fullmatch(r"\s*(?:\d{4}\s*)?(?:và|&|lẫn)\s*", text[e:start]):
            return True
        if k in P.INDEX_RX and s > start:
            end_of_gov = next((e2 for s2, e2, k2 in indices if s2 == start), start)
            if re.fullmatch(r"\s*(?:\d{4}\s*)?(?:và|&|lẫn)\s*", text[end_of_gov:s]):
                return True
    return False


def governing(mentions: list, pos: int):
    """The nearest mention before pos, else the first after it."""
    before = [m for m in mentions if m[0] < pos]
    if before:
        return before[-1]
    after = [m for m in mentions if m[0] >= pos]
    return after[0] if after else None

def _in_clause(text: str, a: int, b: int) -> str:
    """'clause' when nothing but commas stands between two positions of a sentence, else 'sentence'."""
    return "sentence" if ";" in text[min(a, b):max(a, b)] else "clause"


# 'từ vị trí 45 của 3 năm trước': the place a unit held some years before, not the year before
_SMALL_NUMBERS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7}
_YEARS_BACK = re.compile(r"\s*(?:của|vào|cách đây|hồi)?\s*(\d|hai|ba|bốn|năm|sáu|bảy)\s+năm\s+(?:trước|về trước)(?!\w)")


def year_candidates(s: Scan, ctx: Context, block_state: dict) -> tuple[list, list[int]]:
    """The years a sentence's figures may take, (position, year, role), and the years it compares with."""
    text, years, figures = s.text, s.years, s.figures
    # Years just after a 'từ vị trí X' (up to the rank it moved to) belong to the prior rank, not the fact.
    prior_spans = []
    for f in figures:
        if f.kind == "prior":
            nxt = next((g.start for g in figures if g.kind in ("rank", "score") and g.start > f.end), None)
            # up to the rank moved to, when it follows in the same clause ('từ thứ hạng 11 trên 19 đơn vị được
            # xếp hạng năm 2016 tụt xuống hạng 18'), else a short reach
            reach = 80 if nxt is not None and not re.search(r"[,;]", text[f.end:nxt]) else 30
            prior_spans.append((f.start, min(nxt if nxt is not None else len(text), f.end + reach)))
            f.prior_years = tuple(y for p, y, role in years if prior_spans[-1][0] <= p < prior_spans[-1][1])
            back = _YEARS_BACK.match(text, f.end)
            if back:
                f.years_back = _SMALL_NUMBERS.get(back.group(1)) or int(back.group(1))
    for f in figures:
        if f.kind == "score" and f.prior:
            # 'từ 79,69% năm 2016 giảm xuống còn 72,40%': the year between the two scores is the old one's
            nxt = next((g.start for g in figures if g.kind == "score" and g.start > f.end), None)
            if nxt is not None:
                inside = tuple(y for p, y, role in years if f.end <= p < nxt and role == "plain")
                if inside:
                    f.years = f.years or inside
                    prior_spans.append((f.end, nxt))
    fact_years = [(p, y, role) for p, y, role in years if role in ("plain", "compare_khi")
                  and not any(a <= p < b for a, b in prior_spans)]
    if ctx.published_year:  # 'năm nay' / 'năm qua' name the year just announced
        fact_years += [(m.start(), ctx.published_year - 1, "plain") for m in P.RELATIVE_YEAR_RX.finditer(text)]
    current = block_state.get("year") or ctx.year
    if current and not any(role == "plain" for p, y, role in fact_years):
        # 'Một năm trước, Lạng Sơn còn đứng ở vị trí thứ 52': the year before the one the article is about
        fact_years += [(m.end() - 1, current - 1, "plain") for m in P.PRIOR_YEAR_RX.finditer(text)]
    fact_years.sort()
    return fact_years, [y for p, y, role in years if role in ("compare", "compare_khi")]


def _with_coordinated(text: str, candidates, p: int, y: int) -> tuple[int, ...]:
    """'năm 2019 và 2020 xếp hạng 59': the years joined to the one that governs a figure share its figure."""
    years = [y]
    joined_by_va = False
    for p2, y2 in reversed([c for c in candidates if c[0] < p]):
        gap = text[p2 + 4:p]
        if not (text[p:p + 4].isdigit() and text[p2:p2 + 4].isdigit()
                and re.fullmatch(r"\s*(?:,|và|&)\s*(?:năm\s+)?", gap)):
            break
        joined_by_va = joined_by_va or "và" in gap or "&" in gap
        years.insert(0, y2)
        p = p2
    return tuple(years) if joined_by_va else (y,)


_PAST_OPENER = re.compile(r"(?<!\w)(?:sau khi|trước khi|trước đó)\s")
# an index's name as a sentence writes it around a figure (the short names, or the words of the PAR INDEX and the PCI)
_INDEX_NAMED = r"(?:PAPI|PCI|SIPAS|PGI|PAR INDEX|PAR Index|CCHC|cải cách hành chính|năng lực cạnh tranh(?: cấp tỉnh)?)"
# 'Một năm trước đó (2018), Tiền Giang chỉ có 42,10 điểm': a year in a parenthesis that dates the time words before
# it governs what follows, as 'Năm 2018,' would; so does one after an index named as the latest ranking ('bảng xếp
# hạng năng lực cạnh tranh gần nhất (2011), Nghệ An ở vị trí thứ 49')
_DATING_PARENTHESIS = re.compile(rf"(?:(?:năm trước(?: đó)?|năm ngoái|trước đó|năm liền trước)|{_INDEX_NAMED}"
                                 r"\s+(?:gần nhất|mới nhất|gần đây nhất))\s*\(\s*(?:năm\s+)?$", re.IGNORECASE)


_INDEX_WITH_YEAR_AFTER = re.compile(
    r"\s*(?:/\s*(?:63|34)\s*)?(?:tỉnh,?\s*thành(?: phố)?\s*)?(?:trên|trong|về|ở|tại|của)\s+(?:bảng\s+(?:xếp hạng\s+)?)?"
    rf"(?:[Cc]hỉ số\s+)?{_INDEX_NAMED}"
    r"\s*(?:\([A-Z ]{3,10}\)\s*)?(?:năm\s+)?")


def year_for(fig: Figure, fact_years, s: Scan, ctx: Context, block_state: dict) -> tuple[tuple[int, ...], str] | None:
    """The years a figure is for: its own ('hạng 4 (năm 2014)'), else the nearest before it in its sentence (with
    the years coordinated with it), else the first after it in the same clause, else the paragraph's or the
    article's year. A year inside a 'sau khi ...' clause or a closed parenthesis stays there."""
    text = s.text
    if fig.years:
        return fig.years, "clause"
    unit_ends = {u.end for u in s.named_units()}
    candidates = [(p, y) for p, y, role in fact_years if (role == "plain" or fig.kind not in ("change", "hold"))
                  and not (role == "compare_khi" and (fig.after_prior or fig.kind == "prior"))]
    opener = [m for m in _PAST_OPENER.finditer(text, max(0, fig.start - 30), fig.start)]
    if opener and not CLAUSE_BREAK.search(text, opener[-1].end(), fig.start):
        # '... trở về ngôi đầu PCI 2013 sau khi xếp thứ 12 năm 2012': a 'sau khi' clause dated at its end is that
        # year's, whatever the sentence named before it
        brk = CLAUSE_BREAK.search(text, fig.end)
        own = [(p, y) for p, y in candidates if fig.end <= p < (brk.start() if brk else len(text))
               and re.fullmatch(r"[^()]{0,25}?(?:năm\s+)?", text[fig.end:p])]
        if own:
            return (own[0][1],), "clause"
    if fig.kind in ("rank", "score"):
        # 'địa phương xếp thứ hai trên bảng PAPI 2017': the index named with its year right after the figure dates
        # it, whatever year the sentence opened on (a quote's '"Năm 2018, chúng tôi sẽ ..."')
        named = [(p, y) for p, y in candidates if fig.end <= p <= fig.end + 70
                 and _INDEX_WITH_YEAR_AFTER.fullmatch(text, fig.end, p)]
        if named:
            return (named[0][1],), "clause"
    before = [(p, y) for p, y in candidates if p < fig.start and not closed_past_clause(text, p, fig.start)
              and not closed_aside(text, p, fig.start, unit_ends)
              and (not closed_parenthesis(text, p, fig.start) or _DATING_PARENTHESIS.search(text, 0, p))]
    if before:
        p, y = before[-1]
        years = _with_coordinated(text, before, p, y) if fig.kind in ("rank", "score") else (y,)
        return years, _in_clause(text, p, fig.start)
    brk = CLAUSE_BREAK.search(text, fig.end)
    limit = brk.start() if brk else len(text)
    roles = {p: role for p, y, role in fact_years}
    after = [(p, y) for p, y in candidates if fig.start < p < limit and roles.get(p) != "compare_khi"
             and "(" not in text[fig.end:p]]
    if after:
        return (after[0][1],), "clause"
    if block_state.get("year"):
        return (block_state["year"],), "paragraph"
    return ((ctx.year,), ctx.year_source) if ctx.year else None


def _list_head(text: str, units: list[Mention]) -> Mention:
    """The first unit of the comma or 'và' list that ends with the last of units."""
    k = len(units) - 1
    while k > 0 and re.fullmatch(r"\s*(?:,|và|, và)\s*(?:tỉnh\s+|thành phố\s+)?", text[units[k - 1].end:units[k].start]):
        k -= 1
    return units[k]


# ', tỉnh đứng cuối bảng với ', ', đơn vị có kết quả chỉ số năm 2022 thấp nhất, với giá trị là ': an aside that opens
# on a common noun for the unit just named and runs to the figure
_APPOSITIVE = re.compile(r"\s*,\s*(?:là\s+)?(?:tỉnh|thành phố|địa phương|đơn vị|bộ|cơ quan)(?:\s+(?:có|đứng|xếp|đạt|ở|nằm|với)"
                         r"(?:[^;.,()]|,(?=[^;.,()]{0,40}$)){0,90})?\s*$")


# a clause that opens on a proper name of two to four capitalised syllables right before the verb of a result: a
# subject, but none the unit lists know (a district, a town, a department), so not the paragraph's or site's unit
_PROPER_SUBJECT = rf"(?:[{P.UPPER}][a-zà-ỹđ]+\s+){{2,4}}(?:nay\s+)?(?:đã\s+|tiếp tục\s+|vẫn\s+|cũng\s+)?"
_RESULT_VERB = r"(?:xếp|đứng|đạt|vươn lên|tiến lên|dẫn đầu|giữ|tăng|giảm|tụt|lọt)(?!\w)"
_UNKNOWN_SUBJECT = re.compile(rf"(?:^|[,;:]\s*|\.\s+){_PROPER_SUBJECT}(?:{_RESULT_VERB}[^,;]*)?$")
_UNKNOWN_SUBJECT_AFTER = re.compile(rf"[^,;.]*,\s*{_PROPER_SUBJECT}{_RESULT_VERB}")
# 'Ở khối Vụ, Vụ Pháp chế cao nhất với 68,5 điểm', 'Tổng cục Hải quan xếp đầu': a ministry's own department as the
# clause's subject, its place among the ministry's units
_DEPARTMENT_SUBJECT = re.compile(rf"(?:^|[,;:]\s*)(?:Vụ|Cục|Tổng cục|Viện|Văn phòng Bộ|Thanh tra Bộ)\s+[{P.UPPER}][^,;:.()]{{0,30}}$")


def unit_for(fig: Figure, s: Scan, ctx: Context, block_state: dict, pairs: dict[int, Mention]) -> Who | None:
    """The unit that governs a figure: a pairing from a list, a unit the rank words point forward to, the
    nearest unit before it, the only unit after it, else the paragraph's or the article's unit."""
    text, units = s.text, s.units
    by_start = {u.start: u for u in units}
    behind = None
    if fig.kind == "behind":
        behind = next((u for u in s.named_units() if u.start == fig.end), None)
        if behind is None:
            return None
    group = None
    source = "sentence"
    unit = pairs.get(fig.start)
    if unit is not None and unit.kind.startswith("group:"):
        group = [by_start[int(x)] for x in unit.kind[6:].split(",")]
        unit = group[0]
    if unit is None and fig.kind == "rank":
        unit = forward_unit(text, fig, units)
        source = "clause"
    if unit is None and fig.kind == "hold":
        # 'năm thứ 5 liên tiếp Ngân hàng Nhà nước Việt Nam đứng đầu': a run opening its clause, its subject right after
        nxt = [u for u in units if u.start >= fig.end and u.kind in ("province", "ministry")]
        if nxt and re.fullmatch(r"\s*,?\s*", text[fig.end:nxt[0].start]) and not any(
                u.end <= fig.start and u.kind in ("province", "ministry") and not re.search(r"[,;]", text[u.end:fig.start])
                for u in units):
            unit, source = nxt[0], "clause"
    if unit is None and fig.kind == "score" and P.WITH_SCORE_BEFORE.search(text[max(0, fig.start - 30):fig.start]) \
            and not any(re.fullmatch(r"\s*,?\s*(?:với|đạt)\s*", text[u.end:fig.start]) for u in s.named_units()) \
            and not any(u.end <= fig.start and u.kind in ("province", "ministry") and unit_leads(text, fig, [u])
                        for u in s.named_units()):
        # (nor '... Ngân hàng Nhà nước đứng đầu về chỉ số ..., với 95,88%, vượt Bộ Giáo dục ...': its subject came first)
        # (not 'là Quảng Ninh, với 92,18 điểm': the unit just named holds the score)
        # 'Với 73,40 điểm trong bảng xếp hạng PCI 2019, ..., Quảng Ninh ...': the subject comes after the score
        after = [u for u in s.named_units() if u.start > fig.end]
        if after:
            unit, source = after[0], "clause"
    if unit is None:
        before = [u for u in units if u.start < fig.start]
        if len(before) > 1 and closed_parenthesis(text, before[-1].start, fig.start) and \
                not closed_parenthesis(text, before[0].start, fig.start):
            # '... đứng thứ 2/63 (chỉ sau Quảng Ninh) với 90,29%': a unit named in an aside that has closed is
            # not the subject of what follows it
            before = [u for u in before if not closed_parenthesis(text, u.start, fig.start)]
        appositive = [u for u in before if u.kind in ("province", "ministry")
                      and _APPOSITIVE.fullmatch(text, u.end, fig.start)]
        if appositive:
            # '... so với Lai Châu, tỉnh đứng cuối bảng với 73,1 điểm': the aside after a unit compared with
            # describes that unit, and its figures are that unit's
            before = before[:before.index(appositive[-1]) + 1]
        while not appositive and len(before) > 1 and not re.fullmatch(r"\s*\([^()]*", text[before[-1].end:fig.start]) \
                and P.OBJECT_BEFORE.search(text[max(0, _list_head(text, before).start - 30):
                                                                 _list_head(text, before).start]):
            # 'Quảng Ninh vượt lên Đà Nẵng để dẫn đầu': Đà Nẵng is passed, Quảng Ninh leads; 'xếp trên các tỉnh
            # Thừa Thiên Huế, An Giang, Lâm Đồng': the whole list is passed (but 'Phú Thọ (hạng 24/63)' is its own)
            head = _list_head(text, before)
            del before[before.index(head):]
        if before and _DEPARTMENT_SUBJECT.search(text, before[-1].end, fig.start):
            return None  # 'Bộ Công Thương chấm điểm các đơn vị: Cục Xuất nhập khẩu dẫn đầu': the department leads
        if before:
            unit = before[-1]
            source = _in_clause(text, unit.start, fig.start)
        else:
            following = [u if u.kind != "self" or ctx.primary_unit is None else ctx.primary_unit
                         for u in units if u.start >= fig.start]
            after = {(u.kind, u.name) for u in following}
            if len(after) == 1:
                unit = following[0]
                source = _in_clause(text, fig.start, unit.start)
            elif after:
                return None
            elif _UNKNOWN_SUBJECT.search(text, 0, fig.start) or _UNKNOWN_SUBJECT_AFTER.match(text, fig.end) \
                    or _DEPARTMENT_SUBJECT.search(text, 0, fig.start):
                # 'Phước Sơn xếp vị trí thứ nhất', 'Đứng thứ 3 năm 2021, Phước Sơn tiếp tục vươn lên': a subject the
                # unit lists do not know (a district, a town), not the paragraph's or the site's unit
                return None
            elif block_state.get("unit") is not None:
                unit, source = block_state["unit"], "paragraph"
            else:
                unit, source = ctx.primary_unit, ctx.unit_source
    if unit is not None and unit.kind == "anaphor":  # 'Bộ này': the unit named last, in this sentence or before
        named = [u for u in s.named_units() if u.end <= unit.start]
        unit, source = (named[-1], "sentence") if named else (block_state.get("unit"), "paragraph")
    if unit is None or unit.kind == "subunit":
        return None
    if unit.kind == "self":
        # 'tỉnh ta' is the site's (or the article's) province; so is a bare 'tỉnh' or 'thành phố', unless the
        # sentence has just named a province ('thuộc về Đồng Nai: tỉnh vươn lên ...')
        named = [u for u in s.named_units() if u.end <= unit.start and u.kind == "province"]
        own = re.match(r"(?:tỉnh|thành phố) (?:ta|nhà)", text[unit.start:unit.end + 4])
        subject = block_state.get("subject")
        if named and not own:
            unit = named[-1]
        elif not own and unit.start <= 2 and subject is not None and ctx.primary_unit is not None \
                and subject.name != ctx.primary_unit.name:
            # 'Tỉnh Quảng Ninh ... đạt 70,69 điểm. Tỉnh được thăng hạng ...' on another province's site: the
            # bare 'Tỉnh' may be the sentence before's subject or the site's own province; which is not said
            return None
        elif ctx.primary_unit is not None:
            unit, source = ctx.primary_unit, weakest(source, ctx.unit_source)
        elif not own and len(block_state.get("provinces") or ()) == 1 and block_state.get("unit") is not None \
                and block_state["unit"].kind == "province":
            # '... của tỉnh Quảng Trị được 86,25 điểm. Về Chỉ số hài lòng ..., tỉnh ở mức 79,46%': on a page of no
            # one province, the bare 'tỉnh' is the one province its paragraph has named
            unit, source = block_state["unit"], "paragraph"
        else:
            return None
    return Who(unit, source, group, behind)


def _after_rank(text: str, fig: Figure, s: Scan) -> bool:
    """'xếp thứ 9/63 với 83,71%': a percentage joined to a rank is that rank's score."""
    return any(g.kind == "rank" and 0 <= fig.start - g.end <= 12 and re.fullmatch(r"\s*(?:,\s*)?(?:với|đạt)\s*",
                                                                                    text[g.end:fig.start])
               for g in s.figures)


def shared_indices(fig: Figure, s: Scan) -> list[str]:
    """'đứng đầu trên cả 4 bảng xếp hạng PAR INDEX, SIPAS, PCI và PGI', 'quán quân ở cả Chỉ số CCHC và Chỉ số hài
    lòng': a rank that 'cả' (all, both) spreads over the indices listed after it; else nothing."""
    if fig.kind != "rank" or not P.ALL_OF_AFTER.match(s.text[fig.end:fig.end + 40]):
        return []
    end = s.text.find(".", fig.end)
    named = []
    for a, b, k in s.indices:
        if a >= fig.end and (end < 0 or a < end) and k in P.INDEX_RX and k not in named:
            named.append(k)
    return named if len(named) >= 2 else []


# 'gồm:', 'gồm các chỉ số:': the parts listed after it
_INDEX_PARTS_LIST = re.compile(r"gồm\s+các\s+chỉ\s+số(?:\s+thành\s+phần)?\s*:")
_PARTS_LIST = re.compile(r"gồm(?:\s+các\s+chỉ\s+số(?:\s+thành\s+phần)?)?\s*:")


def index_for(fig: Figure, s: Scan, ctx: Context, block_state: dict) -> tuple[str, str, str] | None:
    """(index, metric, source) of a figure: the index named nearest before it (or right after a rank), else the
    paragraph's or the article's; a component's figure is the PAR INDEX's with that metric."""
    text, indices = s.text, s.indices
    index_items = [(a, k) for a, b, k in indices]
    # an index named inside a parenthesis that closes before the figure stays there ('82,85 điểm (…; Chỉ số SIPAS:
    # 8,30 điểm; …), xếp thứ 15/63': the rank is the total's), unless nothing outside names one
    # (an acronym in a parenthesis right after the index's long name, '... nhà nước (SIPAS) hạng 46/63', is the name)
    named = {a for a, b, k in indices if text[a - 1:a] == "(" and text[b:b + 1] == ")"}
    outside = [(a, k) for a, k in index_items
               if not (a < fig.start and closed_parenthesis(text, a, fig.start) and a not in named)]
    ahead = [m.start() for m in _PARTS_LIST.finditer(text, fig.end)][:1] if "gồm" in text else []
    if ahead:  # '... đạt được 82,85 điểm (...), gồm: Điểm thẩm định ...': the parts after it do not name the total
        index_items = [(a, k) for a, k in index_items if a < min(ahead)]
        outside = [(a, k) for a, k in outside if a < min(ahead)]
    g = max((m.start() for m in _PARTS_LIST.finditer(text, 0, fig.start)), default=-1) if "gồm" in text else -1
    if fig.kind in ("rank", "change", "hold") and g >= 0 and any(
            f.kind == "score" and f.end <= g for f in s.figures) and all(
            k.startswith("COMPONENT") for a, k in outside if g < a < fig.start):
        # '82,85 điểm (...), gồm: Điểm thẩm định ...: 52,90 điểm; điểm đánh giá tác động ...: 29,95 điểm, xếp thứ
        # 15/63': the parts listed after 'gồm:' are an aside; the rank after them is the total's
        outside = [(a, k) for a, k in outside if a < g]
        index_items = outside  # nothing named in the aside governs it, even when nothing outside does
    # (an index named after the figure governs it only in its own clause: '..., xếp thứ 4/63; tỉnh đứng đầu ở 3 trong
    # tổng số 8 chỉ số nội dung' leaves the place to the paragraph's index)
    gov = governing(outside, fig.start) if any(a < fig.start for a, _ in outside) else governing(
        [(a, k) for a, k in index_items if a < fig.start or ";" not in text[fig.end:a]], fig.start)
    listed = [m.end() for m in _INDEX_PARTS_LIST.finditer(text, 0, fig.start)]
    if listed and (gov is None or gov[0] < listed[-1]):
        return None  # '... bảng xếp hạng PCI gồm các chỉ số: Tiếp cận đất đai tăng 21 bậc, xếp thứ 3/63': a part's
    named_after = index_named_after(text, fig, indices)
    if named_after is not None:
        gov = named_after  # 'xếp thứ 57 về SIPAS': the index named right after the rank
    if gov and gov[1] in P.INDEX_RX and coordinated(text, indices, gov[0]):
        return None  # 'PAR INDEX và SIPAS 2022: ... tăng 7 bậc': which of the two is not said
    if gov:
        index_kind, source = gov[1], _in_clause(text, gov[0], fig.start)
    elif block_state.get("index"):
        index_kind, source = block_state["index"], "paragraph"
    elif ctx.section_index:
        index_kind, source = ctx.section_index, "paragraph"
    else:
        index_kind, source = ctx.index, ctx.index_source
    if index_kind == "ANAPHOR":  # 'chỉ số này': the index named last before it
        index_kind, source = block_state.get("index") or ctx.last_index, "paragraph"
    metric = "total"
    if index_kind in (None, "OTHER", "INTERNAL"):
        return None

    def named_before() -> tuple[str | None, str]:
        real = [(a, k) for a, k in index_items if k in P.INDEX_RX and a < fig.start]
        if real:
            return real[-1][1], _in_clause(text, real[-1][0], fig.start)
        if block_state.get("index"):
            return block_state["index"], "paragraph"
        if ctx.section_index:
            return ctx.section_index, "paragraph"
        return ctx.index, ctx.index_source

    if index_kind.startswith("COMPONENT"):
        metric = index_kind.split(":", 1)[1]
        if metric == "?" or fig.kind != "score" and metric == "sipas_component":
            return None
        index_kind, source = named_before()
        if index_kind != "PAR_INDEX":
            return None
    if index_kind == "TOTAL":
        index_kind, source = named_before()
        if index_kind is None:
            return None
    if index_kind == "SIPAS" and gov and P.SIPAS_GENERIC.match(text[gov[0]:gov[0] + 40].split(" của")[0].strip()
                                                              .split(" đạt")[0].strip()) and \
            not any(g.kind == "rank" for g in s.figures):
        return None  # a satisfaction rate with no rank: maybe the province's own survey, not SIPAS
    # a percentage is a score in the clause of an index, or right after a unit in a sentence about no
    # other rate ('Đà Nẵng với 87,02%'); never a dossier rate or a growth figure
    if fig.kind == "score" and fig.unit == "percent" and index_kind != "SIPAS" and any(
            g.kind == "score" and g.unit == "percent" and P.SHARE_OF_AFTER.match(text[g.end:g.end + 30])
            and (P.SURVEY_SAYS.search(text) or g.start < fig.start) for g in s.figures if g is not fig):
        # '74% doanh nghiệp cho biết ..., tăng so với 69% năm 2017': every percentage of a survey's share is one
        return None
    # (how near: from the index's nearest mention, 'Chỉ số hài lòng ... nhà nước (SIPAS) đạt': its acronym after a
    # long name)
    near = max((a for a, k in index_items if gov and k == gov[1] and a < fig.start), default=gov[0] if gov else 0)
    if fig.kind == "score" and fig.unit == "percent" and (P.SHARE_OF_AFTER.match(text[fig.end:fig.end + 30]) or not (
            (gov and gov[1] in P.INDEX_RX and fig.start - near < 160 and (";" not in text[near:fig.start] or
                                                                           _SCORE_CLAUSE.fullmatch(text, text.rfind(";", 0, fig.start) + 1, fig.start)))
            or (not P.OTHER_RATE.search(text) and (unit_leads(text, fig, s.units) or _after_rank(text, fig, s))))):
        return None
    return index_kind, metric, source


# '..., tăng 2 bậc; điểm đạt 78,44%': a clause after the semicolon that opens on the score, of the index before it
_SCORE_CLAUSE = re.compile(r"\s*(?:(?:điểm|điểm số|số điểm|tổng điểm)\s+)?(?:đạt|là)\s*")


def settle(state: dict, ctx: Context) -> None:
    """Read the context of the sentences skipped so far, in order, before a sentence that may need it."""
    for text in state.pop("pending", ()):
        units = [u for u in find_units(text) if not is_announcer(text, u)]
        years = year_mentions(text, ctx.published_year)
        remember(state, units, index_mentions(text), [(p, y) for p, y, role in years if role == "plain"], text)


def remember(state: dict, units: list[Mention], indices, plain_years, text: str) -> None:
    """What later sentences of the paragraph inherit: the last unit named, the last index, and a year only when
    it governs ('Năm 2020, ...', 'Chỉ số CCHC năm 2021'), not one that sits in a side clause."""
    explicit = [u for u in units if u.kind in ("province", "ministry")]
    state.setdefault("provinces", set()).update(u.name for u in explicit if u.kind == "province")
    if explicit:
        state["unit"] = explicit[-1]
    elif any(u.kind == "subunit" for u in units):
        state["unit"] = None
    # the sentence's subject: a province it opens on ('Tỉnh Quảng Ninh năm 2017 đạt ...')
    state["subject"] = explicit[0] if explicit and explicit[0].kind == "province" and explicit[0].start <= 20 else None
    real = [(s, e, k) for s, e, k in indices if k in P.INDEX_RX]
    if real:
        # 'công bố PAR INDEX ... và SIPAS năm 2023. Theo đó, Nam Định đạt ...': which one follows is not said
        state["index"] = real[-1][2] if len({k for s, e, k in real}) == 1 else None
    governing = [y for p, y in plain_years
                 if re.match(r"\s*(?:(?:[Tt]rong|[Tt]ính đến hết|[Kk]ết thúc)\s+)?(?:[Nn]ăm\s+)?$", text[:p])
                 or any(0 <= p - e <= 8 for s, e, k in real)]
    if governing:
        state["year"] = governing[-1]
