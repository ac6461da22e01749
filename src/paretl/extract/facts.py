"""Index figures from Vietnamese prose, attributed clause by clause.

Each sentence is scanned once for mentions (units, indices, years, scores, ranks, changes), then every figure
takes the unit, index and year that govern it: the nearest one before it in the sentence, else the one the
paragraph or the article is about. Figures next to a region, a band, an average, a target, a component or
another ranking are left out, and a figure whose unit, index or year is unsure is dropped: a missing fact costs
less than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paretl import reference
from paretl.extract import patterns as P
from paretl.extract.numbers import MalformedNumber, ordinal_to_int, parse_rank_number, parse_score, words_to_int
from paretl.extract.units import Mention, code_for_year, find_units

_ABBREV = re.compile(r"(?:\b(?:TP|Tp|tp|TT|Q|P|TS|ThS|PGS|GS|BS|St|Mr|Ms|Th|KS|CN|Ths|Nxb|tr|TX)\.)$")
_SENT_END = re.compile(rf"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]?[{P.UPPER}0-9])")


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


@dataclass
class Fact:
    unit_kind: str
    unit_code: str | None
    unit_name: str
    index: str
    index_year: int
    metric: str = "total"
    score: float | None = None
    score_unit: str | None = None
    rank: int | None = None
    rank_of: int | None = None
    prior_rank: int | None = None
    rank_change: int | None = None
    evidence: str = ""
    conflicts: set[str] = field(default_factory=set)
    compare_year: int | None = None
    behind: tuple | None = None  # key of the fact this one ranks right after

    @property
    def key(self) -> tuple:
        return (self.unit_kind, self.unit_code or self.unit_name, self.index, self.index_year, self.metric)

    def set(self, name: str, value) -> None:
        if value is None or name in self.conflicts:
            return
        current = getattr(self, name)
        if current is None:
            setattr(self, name, value)
        elif current != value and not (isinstance(current, float) and abs(current - value) < 1e-6):
            self.conflicts.add(name)
            setattr(self, name, None)


@dataclass
class Context:
    """What the article is about, for clauses that do not say it again."""

    primary_unit: Mention | None
    index: str | None
    year: int | None
    published_year: int | None
    warnings: list[str]


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


def index_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind): kind is an index code, OTHER, INTERNAL, TOTAL or COMPONENT:<metric or ?>."""
    out: list[tuple[int, int, str]] = []
    for code, rx in P.INDEX_RX.items():
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
        if not any(k.startswith("COMPONENT") and abs(s - m.start()) < 40 for s, e, k in out):
            out.append((m.start(), m.end(), "COMPONENT:?"))
    out.sort()
    # An OTHER match inside an index name (e.g. 'PCI' in 'Chỉ số PCI cấp sở') defers to the longer match.
    dedup: list[tuple[int, int, str]] = []
    for item in out:
        if dedup and item[0] < dedup[-1][1]:
            if item[1] - item[0] > dedup[-1][1] - dedup[-1][0]:
                dedup[-1] = item
            continue
        dedup.append(item)
    return dedup


def year_mentions(text: str, published_year: int | None = None) -> list[tuple[int, int, str]]:
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
        if P.SINCE_BEFORE.search(before):
            role = "since"  # 'tính từ năm 2017': the start of a span, not the year of a result
        elif P.COMPARE_BEFORE.search(before):
            role = "compare_khi" if re.match(r"^\s*(?:,\s*(?:khi|năm|lúc|thời điểm)\b|\(|(?:khi|lúc)\b)", after) \
                else "compare"
        elif P.TARGET_BEFORE.search(before) and (published_year is None or y >= published_year):
            role = "target"
        else:
            role = "plain"
        out.append((m.start(), y, role))
    return out


def _score_figures(text: str, warnings: list[str]) -> list[Figure]:
    out = []
    for m in P.SCORE_RX.finditer(text):
        token, word = m.group(1) or m.group(4), m.group(2)
        if P.NOT_SCORE_AFTER.match(text[m.end():m.end() + 15]) and word == "điểm":
            continue
        before = text[max(0, m.start() - 30):m.start()]
        if P.NOT_SCORE_BEFORE.search(before):
            continue
        try:
            value = parse_score(token.rstrip(".,"))
        except MalformedNumber as exc:
            warnings.append(f"skipped score: {exc}")
            continue
        unit = "percent" if word == "%" else "points"
        out.append(Figure("score", m.start(), m.end(), value, unit=unit))
    return out


def _rank_of_after(text: str, end: int) -> int | None:
    m = P.RANK_OF_AFTER.match(text[end:end + 40])
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


def _rank_figures(text: str, warnings: list[str]) -> list[Figure]:
    out = []
    for m in P.RANK_RX.finditer(text):
        if P.NOT_RANK_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        value = _rank_value(m.group("num"), warnings)
        if value is None:
            continue
        rank_of = int(m.group("of")) if m.group("of") else _rank_of_after(text, m.end())
        out.append(Figure("rank", m.start(), m.end(), value, rank_of=rank_of))
        # 'ở vị trí thứ 2 và thứ 3', 'xếp thứ 5, thứ 7': the bare ordinals that continue a rank list
        pos = m.end()
        while True:
            nxt = P.RANK_CONTINUATION.match(text, pos)
            if not nxt:
                break
            v = _rank_value(nxt.group("num"), warnings)
            if v is not None:
                out.append(Figure("rank", nxt.start("num"), nxt.end(), v))
            pos = nxt.end()
    taken = [(f.start, f.end) for f in out]
    for m in P.BARE_RANK_RX.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        value = _rank_value(m.group("num"), warnings)
        if value is not None:
            out.append(Figure("rank", m.start(), m.end(), value, rank_of=_rank_of_after(text, m.end()), bare=True))
    for rx, value in ((P.FIRST_RX, 1), (P.SECOND_RX, 2)):
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 30):m.start()]
            if re.search(r"(?:[Nn]gười|vai trò)\s*$", before) or P.NOT_FIRST_BEFORE.search(before):
                continue
            out.append(Figure("rank", m.start(), m.end(), value, rank_of=_rank_of_after(text, m.end())))
    for m in P.LAST_RX.finditer(text):
        if P.ESCAPE_BEFORE.search(text[max(0, m.start() - 25):m.start()]):
            continue
        out.append(Figure("rank", m.start(), m.end(), -1))  # resolved once the year and kind are known
    return out


def _change_figures(text: str) -> list[Figure]:
    out = []
    for m in P.CHANGE_RX.finditer(text):
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
        out.append(Figure("change", m.start(), m.end(), sign * n, compare_year=compare_year))
    for m in P.PRIOR_RX.finditer(text):
        if not (P.MOVE_AFTER.match(text[m.end():m.end() + 100]) or P.MOVE_BEFORE.search(text[max(0, m.start() - 60):m.start()])):
            continue
        value = 1 if m.group("first") else 2 if m.group("second") else -1 if m.group("last") else int(m.group("num"))
        out.append(Figure("prior", m.start(), m.end(), value))
    for m in P.BEHIND_RX.finditer(text):
        out.append(Figure("behind", m.start(), m.end(), None))
    for m in P.HOLD_RX.finditer(text):
        if re.search(r"(?:sau|sau khi)\s+$", text[max(0, m.start() - 10):m.start()]):
            continue  # 'giảm một bậc sau bốn năm liên tiếp đứng đầu': what came before
        cmp = P.COMPARE_YEAR_AFTER.match(text[m.end():m.end() + 80])
        compare_year = int(cmp.group("y")) if cmp and cmp.group("y").isdigit() else None
        out.append(Figure("hold", m.start(), m.end(), 0, compare_year=compare_year))
    return out


def _is_regional(text: str, fig: Figure) -> bool:
    after = text[fig.end:fig.end + 60]
    if P.NATIONAL_AFTER.match(after):
        return False
    if P.REGIONAL_AFTER.match(after):
        return True
    return bool(P.REGIONAL_BEFORE.search(text[max(0, fig.start - 45):fig.start]))


def _forward_unit(text: str, fig: Figure, units: list[Mention]) -> Mention | None:
    """'Dẫn đầu là Quảng Ninh', 'xếp cuối bảng là Bến Tre': the rank words come before their unit."""
    tail = text[fig.end:fig.end + 40]
    m = re.match(r"^\s*(?:cả nước\s*|toàn quốc\s*|bảng xếp hạng\s*)?(?:là|thuộc về|gọi tên)\s+", tail)
    if not m:
        return None
    for u in units:
        if u.start >= fig.end and u.start - (fig.end + m.end()) <= 12:
            return u
    return None


def _respectively(text: str, units: list[Mention], figures: list[Figure]) -> dict[int, Mention]:
    """'Hải Phòng và Cà Mau lần lượt xếp thứ hai và thứ ba': the i-th figure of a kind goes to the i-th unit.

    Returns figure start -> unit for the figures it could pair; figures of a kind whose count does not match the
    units are left out (unsure), as are changes shared with 'cùng' ('cùng giảm 2 bậc': every unit)."""
    out: dict[int, Mention] = {}
    for m in P.RANK_RANGE.finditer(text):
        # 'từ vị trí thứ 2 đến thứ 5 là Hà Nội, Đồng Tháp, Hải Phòng và Long An'
        a, b = int(m.group("a")), int(m.group("b"))
        listed = [u for u in units if u.start >= m.end() and u.kind in ("province", "ministry")]
        run: list[Mention] = []
        for u in listed:
            gap = text[(run[-1].end if run else m.end()):u.start]
            if run and not re.fullmatch(r"\s*(?:\([^)]*\))?\s*(?:,|và|,\s*và)\s*", gap):
                break
            run.append(u)
        if b > a and len(run) == b - a + 1:
            for k, u in enumerate(run):
                figures.append(Figure("rank", u.start, u.start, a + k))
                out[u.start] = u
        for f in figures:  # the 'thứ 2', 'thứ 5' of the range itself are not ranks of anyone
            if f.kind == "rank" and m.start() <= f.start < m.end():
                out[f.start] = Mention(f.start, f.start, "subunit")
    for m in re.finditer(r"(?<!\w)lần lượt(?!\w)", text):
        listed = [u for u in units if u.start < m.start() and u.kind in ("province", "ministry")]
        # the list is the run of units just before 'lần lượt', joined by commas and 'và'
        run: list[Mention] = []
        for u in reversed(listed):
            gap = text[u.end:(run[0].start if run else m.start())]
            if run and not re.fullmatch(r"\s*(?:\([^)]*\))?\s*(?:,|và|,\s*và)\s*", gap):
                break
            if not run and len(gap) > 60:
                break
            run.insert(0, u)
        if len(run) < 2:
            continue
        end = text.find(".", m.end())
        end = len(text) if end < 0 else end
        for kind in ("score", "rank", "change"):
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
    return out


# Every figure pattern needs a digit or one of these words: text without any of them is skipped unread.
FIGURE_HINT = re.compile(r"\d|đầu|cuối|quân|ngôi|chót|bét|sổ|sau|giữ|thứ|hạng|vị trí|bậc")


def extract_sentence(text: str, ctx: Context, block_state: dict) -> list[Fact]:
    if not FIGURE_HINT.search(text):
        # No figure can be here; what the sentence says of unit, index and year is read only if a later
        # sentence of the paragraph needs it (most never do).
        block_state.setdefault("pending", []).append(text)
        return []
    _settle(block_state, ctx)
    warnings = ctx.warnings
    units = [u for u in find_units(text) if not _is_announcer(text, u)]
    indices = index_mentions(text)
    years = year_mentions(text, ctx.published_year)
    figures = _score_figures(text, warnings) + _rank_figures(text, warnings) + _change_figures(text)
    priors = [(f.start, f.end) for f in figures if f.kind == "prior"]
    figures = [f for f in figures if not (f.kind == "rank" and any(s <= f.start < e for s, e in priors))]
    figures.sort(key=lambda f: f.start)
    # A hold ('năm thứ 3 liên tiếp', 'giữ vững vị trí') says something only next to a rank in the same clause.
    figures = [f for f in figures if f.kind != "hold" or any(
        g.kind == "rank" and abs(g.start - f.start) < 45 and ";" not in text[min(g.end, f.end):max(g.start, f.start)]
        and not any(min(g.end, f.end) <= u.start < max(g.start, f.start) for u in units)
        for g in figures)]
    if not figures:
        _remember(block_state, units, indices, [(p, y) for p, y, role in years if role == "plain"], text)
        return []
    targets = [m.start() for m in P.TARGET_RX.finditer(text)]
    averages = [m.start() for m in P.AVERAGE_RX.finditer(text)]

    # Years just after a 'từ vị trí X' (up to the rank it moved to) belong to the prior rank, not the fact.
    prior_spans = []
    for f in figures:
        if f.kind == "prior":
            nxt = next((g.start for g in figures if g.kind in ("rank", "score") and g.start > f.end), None)
            prior_spans.append((f.start, min(nxt if nxt is not None else len(text), f.end + 30)))
            f.prior_years = tuple(y for p, y, role in years if prior_spans[-1][0] <= p < prior_spans[-1][1])
    fact_years = [(p, y, role) for p, y, role in years if role in ("plain", "compare_khi")
                  and not any(s <= p < e for s, e in prior_spans)]
    if ctx.published_year:  # 'năm nay' / 'năm qua' name the year just announced
        fact_years += [(m.start(), ctx.published_year - 1, "plain") for m in P.RELATIVE_YEAR_RX.finditer(text)]
    current = block_state.get("year") or ctx.year
    if current and not any(role == "plain" for p, y, role in fact_years):
        # 'Một năm trước, Lạng Sơn còn đứng ở vị trí thứ 52': the year before the one the article is about
        fact_years += [(m.end() - 1, current - 1, "plain") for m in P.PRIOR_YEAR_RX.finditer(text)]
    fact_years.sort()
    compare_years = [y for p, y, role in years if role in ("compare", "compare_khi")]
    pairs = _respectively(text, units, figures)

    facts: dict[tuple, Fact] = {}
    unit_items = [(u.start, u) for u in units]
    index_items = [(s, k) for s, e, k in indices]
    by_start = {u.start: u for u in units}
    for fig in figures:
        if any(0 <= fig.start - t < 160 and ";" not in text[t:fig.start] for t in targets):
            continue  # a target is not a result
        if any(a < fig.start and not any(a < u.start < fig.start for u in units if u.kind in ("province", "ministry"))
               and ";" not in text[a:fig.start] for a in averages):
            continue  # an average of a group, not a unit's result
        if any(abs(m.start() - fig.start) < 50 for m in P.VAGUE_TIME.finditer(text)) and fig.kind in ("rank", "hold"):
            continue  # 'nhiều năm liền đứng đầu': no year to pin it on
        if fig.kind in ("rank", "hold") and _in_past_clause(text, fig, fact_years):
            continue  # 'sau bốn năm liên tiếp dẫn đầu, ...': what came before, with no year of its own
        if fig.kind == "rank" and (_is_regional(text, fig) or (P.REGIONAL_SCOPE.match(text) and not
                                                                P.NATIONAL_AFTER.match(text[fig.end:fig.end + 60]))):
            continue
        if any(m.start() < fig.start for m in P.INTERNAL_SCOPE.finditer(text)):
            continue  # 'ở cấp huyện, quận X xếp thứ 3, tăng 1 bậc': an internal ranking
        if fig.bare and not any(u.kind in ("province", "ministry") and 0 <= fig.start - u.end and (
                fig.start - u.end <= 2 or re.fullmatch(r"\s*\([^()]{0,25},\s*", text[u.end:fig.start]))
                for u in units):
            continue  # 'Huế thứ tư', 'Bình Dương (86,93%, thứ 4)': only right after the unit
        if fig.kind == "rank" and _plural_subject(text, fig, units):
            continue  # 'Đà Nẵng, Hải Phòng, Bình Dương dẫn đầu': a leading group, not a rank
        if fig.kind == "rank" and P.GENERIC_SUBJECT.search(text[max(0, fig.start - 15):fig.start]) and not any(
                u.end <= fig.start and u.kind in ("province", "ministry") for u in units):
            continue  # 'địa phương đứng đầu' with no unit named: the leader in general, not someone's rank
        if fig.kind == "score" and P.GAP_RX.search(text[:fig.start]):
            continue  # 'khoảng cách giữa ... là 16,22 điểm': a gap, not a score
        target = None
        if fig.kind == "behind":
            target = next((u for u in units if u.start == fig.end and u.kind in ("province", "ministry")), None)
            if target is None:
                continue
        group = None
        unit = pairs.get(fig.start)
        if unit is not None and unit.kind.startswith("group:"):
            group = [by_start[int(x)] for x in unit.kind[6:].split(",")]
            unit = group[0]
        if unit is None and fig.kind == "rank":
            unit = _forward_unit(text, fig, units)
        if unit is None:
            before = [u for s, u in unit_items if s < fig.start]
            if before:
                unit = before[-1]
            else:
                following = [u if u.kind != "self" or ctx.primary_unit is None else ctx.primary_unit
                             for s, u in unit_items if s >= fig.start]
                after = {(u.kind, u.name) for u in following}
                if len(after) == 1:
                    unit = following[0]
                else:
                    unit = block_state.get("unit") or ctx.primary_unit
                    if after:
                        continue
        if unit is not None and unit.kind == "anaphor":
            unit = block_state.get("unit")
        if unit is None or unit.kind == "subunit":
            continue
        if unit.kind == "self":
            unit = ctx.primary_unit
            if unit is None:
                continue
        gov = _governing(index_items, fig.start)
        named_after = _index_named_after(text, fig, indices)
        if named_after is not None:
            gov = named_after  # 'xếp thứ 57 về SIPAS': the index named right after the rank
        if gov and gov[1] in P.INDEX_RX and _coordinated(text, indices, gov[0]):
            continue  # 'PAR INDEX và SIPAS 2022: ... tăng 7 bậc': which of the two is not said
        index_kind = gov[1] if gov else (block_state.get("index") or ctx.index)
        metric = "total"
        if index_kind in (None, "OTHER", "INTERNAL"):
            continue
        if index_kind.startswith("COMPONENT"):
            metric = index_kind.split(":", 1)[1]
            if metric == "?" or fig.kind != "score" and metric == "sipas_component":
                continue
            real = [k for s, k in index_items if k in P.INDEX_RX and s < fig.start]
            index_kind = real[-1] if real else (block_state.get("index") or ctx.index)
            if index_kind != "PAR_INDEX":
                continue
        if index_kind == "TOTAL":
            real = [k for s, k in index_items if k in P.INDEX_RX and s < fig.start]
            index_kind = real[-1] if real else (block_state.get("index") or ctx.index)
            if index_kind is None:
                continue
        if index_kind == "SIPAS" and gov and P.SIPAS_GENERIC.match(text[gov[0]:gov[0] + 40].split(" của")[0].strip()
                                                                  .split(" đạt")[0].strip()) and \
                not any(g.kind == "rank" for g in figures):
            continue  # a satisfaction rate with no rank: maybe the province's own survey, not SIPAS
        # a percentage is a score in the clause of an index, or right after a unit in a sentence about no
        # other rate ('Đà Nẵng với 87,02%'); never a dossier rate or a growth figure
        if fig.kind == "score" and fig.unit == "percent" and not (
                (gov and gov[1] in P.INDEX_RX and fig.start - gov[0] < 160)
                or (not P.OTHER_RATE.search(text) and _unit_leads(text, fig, units))):
            continue
        candidates = [(p, y) for p, y, role in fact_years if role == "plain" or fig.kind not in ("change", "hold")]
        year = _year_for(fig, candidates, text, ctx, block_state,
                         {u.end for u in units if u.kind in ("province", "ministry")})
        if year is None:
            continue
        if fig.kind in ("change", "hold") and any(y != year - 1 for y in compare_years + (
                [fig.compare_year] if fig.compare_year else [])):
            continue  # compared with another year than the one before: not a year-over-year change
        for u in group or [unit]:
            fact = _fact_for(facts, u, index_kind, year, metric, text)
            if fact is not None:
                if target is not None:
                    other = _fact_for({}, target, index_kind, year, metric, text)
                    fact.behind = other.key if other is not None and other.key != fact.key else None
                    continue
                _apply(fact, fig, year)
    _remember(block_state, units, indices, [(p, y) for p, y, role in fact_years if role == "plain"], text)
    return list(facts.values())


def _index_named_after(text: str, fig: Figure, indices):
    if fig.kind not in ("rank", "change", "score"):
        return None
    for s, e, k in indices:
        if k in P.INDEX_RX and fig.end <= s <= fig.end + 30 and re.fullmatch(
                r"\s*(?:cả nước\s*|toàn quốc\s*)?(?:về|trong|ở|trên|của)?\s*(?:bảng xếp hạng\s*|bảng\s*|xếp hạng\s*)?",
                text[fig.end:s]):
            return (s, k)
    return None


def _unit_leads(text: str, fig: Figure, units: list[Mention]) -> bool:
    """A named unit governs the figure: the nearest unit before it is a province or ministry, in the same clause."""
    before = [u for u in units if u.end <= fig.start]
    return bool(before) and before[-1].kind in ("province", "ministry") and fig.start - before[-1].end < 80 \
        and ";" not in text[before[-1].end:fig.start]


def _coordinated(text: str, indices, start: int) -> bool:
    """Whether the index mention at start is joined to another by 'và' / ',' (two indices named together)."""
    for s, e, k in indices:
        if k in P.INDEX_RX and e <= start and re.fullmatch(r"\s*(?:\d{4}\s*)?(?:và|&)\s*", text[e:start]):
            return True
        if k in P.INDEX_RX and s > start:
            end_of_gov = next((e2 for s2, e2, k2 in indices if s2 == start), start)
            if re.fullmatch(r"\s*(?:\d{4}\s*)?(?:và|&)\s*", text[end_of_gov:s]):
                return True
    return False


def _plural_subject(text: str, fig: Figure, units: list[Mention]) -> bool:
    """Word ranks ('dẫn đầu', 'xếp cuối') right after a list of units describe the group."""
    words = text[fig.start:fig.end].split()
    if fig.value not in (1, 2, -1) or not words or re.match(r"\d", words[-1]):
        return False
    before = [u for u in units if u.end <= fig.start and u.kind in ("province", "ministry")]
    if len(before) < 2:
        return False
    a, b = before[-2], before[-1]
    return bool(re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[a.end:b.start])) and \
        bool(re.fullmatch(r"\s*(?:cùng\s*|đều\s*|cùng dẫn đầu|)\s*", text[b.end:fig.start]))


def _fact_for(facts: dict, unit: Mention, index_kind: str, year: int, metric: str, text: str) -> Fact | None:
    if unit.kind == "province":
        code, name = code_for_year(unit.name, unit.code, year)
        if code is None:
            return None
        kind = "province"
    else:
        code, name, kind = None, unit.name, "ministry"
    return facts.setdefault((kind, code or name, index_kind, year, metric),
                            Fact(kind, code, name, index_kind, year, metric, evidence=text.strip()))


def _is_announcer(text: str, u: Mention) -> bool:
    """'do Bộ Nội vụ công bố', 'Theo Quyết định của Bộ Nội vụ': the ministry announces, it is not ranked."""
    if u.kind != "ministry":
        return False
    return bool(re.search(r"(?:của|do|theo|Theo|Quyết định)\s*$", text[max(0, u.start - 15):u.start])
                or re.match(r"\s*(?:đã\s+|vừa\s+|chính thức\s+)*(?:công bố|ban hành|tổ chức|chủ trì|hướng dẫn|phê duyệt)",
                            text[u.end:u.end + 30]))


def _governing(mentions: list, pos: int):
    """The nearest mention before pos, else the first after it."""
    before = [m for m in mentions if m[0] < pos]
    if before:
        return before[-1]
    after = [m for m in mentions if m[0] >= pos]
    return after[0] if after else None


_CLAUSE_BREAK = re.compile(r",?\s(?:sau khi|trong khi|còn|trước đó|khi)\s|;|,\s*sau\s")
_PAST_CLAUSE = re.compile(r"(?:^|[,;(])\s*(?:[Ss]au khi|[Ss]au|[Tt]rước đó|[Tt]ừng)\s[^,;]*$")


def _closed_aside(text: str, year_pos: int, fig_pos: int, unit_ends: set[int]) -> bool:
    """'Hải Phòng, năm 2020 xếp thứ hai, đã vươn lên dẫn đầu': a year in an aside right after the subject stays
    in the aside."""
    start = text.rfind(",", 0, year_pos)
    return start >= 0 and start in unit_ends and re.fullmatch(r",\s*(?:năm\s+)?", text[start:year_pos]) is not None \
        and "," in text[year_pos:fig_pos]


def _closed_past_clause(text: str, year_pos: int, fig_pos: int) -> bool:
    m = _PAST_CLAUSE.search(text[:year_pos])
    return bool(m) and bool(re.search(r"[,;]", text[year_pos:fig_pos]))


def _in_past_clause(text: str, fig: Figure, fact_years) -> bool:
    """The figure sits in a clause opened by 'sau (khi)', 'trước đó', 'từng' that names no year of its own."""
    m = _PAST_CLAUSE.search(text[:fig.start])
    if not m:
        return False
    clause_end = re.search(r"[,;]", text[fig.end:])
    end = fig.end + clause_end.start() if clause_end else len(text)
    return not any(m.start() <= p < end for p, y, role in fact_years)


def _year_for(fig: Figure, fact_years, text: str, ctx: Context, block_state: dict,
              unit_ends: set[int] = frozenset()) -> int | None:
    """The nearest year before the figure in its sentence, else the first after it in the same clause, else the
    paragraph's or the article's year. A year inside a 'sau khi ...' clause stays in that clause."""
    before = [y for p, y in fact_years if p < fig.start and not _closed_past_clause(text, p, fig.start)
              and not _closed_aside(text, p, fig.start, unit_ends)]
    if before:
        return before[-1]
    brk = _CLAUSE_BREAK.search(text, fig.end)
    limit = brk.start() if brk else len(text)
    after = [y for p, y in fact_years if fig.start < p < limit]
    if after:
        return after[0]
    return block_state.get("year") or ctx.year


def _apply(fact: Fact, fig: Figure, year: int) -> None:
    if fig.kind == "score":
        fact.set("score", float(fig.value))
        fact.set("score_unit", fig.unit)
    elif fig.kind == "rank":
        value = fig.value
        rank_of = fig.rank_of
        if value == -1:
            n = reference.units_ranked(fact.unit_kind, year)
            if n is None:
                return
            value, rank_of = n, n
        if rank_of is not None:
            valid = {63, 34} if fact.unit_kind == "province" else set(range(12, 26))
            if rank_of not in valid or value > rank_of:
                return
            expected = reference.units_ranked(fact.unit_kind, year)
            if expected and rank_of != expected:
                return
        elif fact.unit_kind == "province" and value > (reference.units_ranked("province", year) or 63):
            return
        fact.set("rank", int(value))
        fact.set("rank_of", rank_of)
        if "rank" in fact.conflicts:
            fact.rank_of = None  # a denominator of a rank we no longer hold
    elif fig.kind == "change":
        fact.set("rank_change", int(fig.value))
    elif fig.kind == "prior":
        if fig.prior_years and any(y != year - 1 for y in fig.prior_years):
            return
        value = fig.value if fig.value != -1 else reference.units_ranked(fact.unit_kind, year - 1)
        if value is not None:
            fact.set("prior_rank", int(value))
    elif fig.kind == "hold":
        fact.set("rank_change", 0)


def _settle(state: dict, ctx: Context) -> None:
    """Read the context of the sentences skipped so far, in order, before a sentence that may need it."""
    for text in state.pop("pending", ()):
        units = [u for u in find_units(text) if not _is_announcer(text, u)]
        years = year_mentions(text, ctx.published_year)
        _remember(state, units, index_mentions(text), [(p, y) for p, y, role in years if role == "plain"], text)


def _remember(state: dict, units: list[Mention], indices, plain_years, text: str) -> None:
    """What later sentences of the paragraph inherit: the last unit named, the last index, and a year only when
    it governs ('Năm 2020, ...', 'Chỉ số CCHC năm 2021'), not one that sits in a side clause."""
    explicit = [u for u in units if u.kind in ("province", "ministry")]
    if explicit:
        state["unit"] = explicit[-1]
    elif any(u.kind == "subunit" for u in units):
        state["unit"] = None
    real = [(s, e, k) for s, e, k in indices if k in P.INDEX_RX]
    if real:
        state["index"] = real[-1][2]
    governing = [y for p, y in plain_years
                 if re.match(r"\s*(?:(?:[Tt]rong|[Tt]ính đến hết|[Kk]ết thúc)\s+)?(?:[Nn]ăm\s+)?$", text[:p])
                 or any(0 <= p - e <= 8 for s, e, k in real)]
    if governing:
        state["year"] = governing[-1]


def finish(facts: list[Fact]) -> list[Fact]:
    """Merge facts of the same key across sentences, then derive prior rank and change from each other."""
    merged: dict[tuple, Fact] = {}
    for f in facts:
        m = merged.get(f.key)
        if m is None:
            merged[f.key] = f
            continue
        for name in ("score", "score_unit", "rank", "rank_of", "prior_rank", "rank_change"):
            m.set(name, getattr(f, name))
        m.behind = m.behind or f.behind
        if f.evidence and f.evidence not in m.evidence:
            m.evidence = m.evidence + " … " + f.evidence
    for f in list(merged.values()):
        if f.behind and f.rank is None and "rank" not in f.conflicts:
            leader = merged.get(f.behind)
            if leader is not None and leader.rank is not None:
                f.rank = leader.rank + 1
    # The previous year's rank stated in the same article gives this year's prior rank.
    for f in merged.values():
        if f.prior_rank is None and f.rank is not None and f.rank_change is None:
            prev = merged.get((f.unit_kind, f.unit_code or f.unit_name, f.index, f.index_year - 1, f.metric))
            if prev is not None and prev.rank is not None:
                f.prior_rank = prev.rank
    for f in merged.values():
        if f.rank is not None and f.rank_change is not None and f.prior_rank is None:
            prior = f.rank + f.rank_change
            if 1 <= prior <= (f.rank_of or 99):
                f.prior_rank = prior
        elif f.rank is not None and f.prior_rank is not None and f.rank_change is None:
            f.rank_change = f.prior_rank - f.rank
        elif None not in (f.rank, f.prior_rank, f.rank_change) and f.prior_rank - f.rank != f.rank_change:
            f.prior_rank = f.rank_change = None  # the article contradicts itself: keep neither
    return [f for f in merged.values()
            if any(getattr(f, n) is not None for n in ("score", "rank", "rank_change", "prior_rank"))]
