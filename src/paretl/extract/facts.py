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
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")


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


def index_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind): kind is an index code, OTHER, INTERNAL, TOTAL or COMPONENT:<metric or ?>."""
    out: list[tuple[int, int, str]] = []
    for code, rx in P.INDEX_RX.items():
        for m in rx.finditer(text):
            after = text[m.end():m.end() + 40]
            kind = "INTERNAL" if P.INTERNAL_AFTER_INDEX.match(after) else code
            out.append((m.start(), m.end(), kind))
    for m in P.OTHER_RX.finditer(text):
        out.append((m.start(), m.end(), "OTHER"))
    for m in P.TOTAL_RX.finditer(text):
        out.append((m.start(), m.end(), "TOTAL"))
    for m in P.COMPONENT_RX.finditer(text):
        name = text[m.start():m.end() + 70]
        metric = None
        head = m.group(0).lower()
        if head.startswith("lĩnh vực") or head.startswith("chỉ số thành phần") or head.startswith("tiêu chí") \
                or head.startswith("nội dung"):
            tail = text[m.end():m.end() + 70]
            for rx, met in P.COMPONENT_NAMES:
                if rx.search(tail[:60]):
                    metric = met
                    break
        else:
            for rx, met in P.PART_NAMES:
                if rx.search(name):
                    metric = met
                    break
        out.append((m.start(), m.end(), f"COMPONENT:{metric or '?'}"))
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


def year_mentions(text: str) -> list[tuple[int, int, str]]:
    """(position, year, role): role is plain, compare (after 'so với') or target (after 'đến năm')."""
    masked = _mask(_mask(text, P.DATE_RX), P.PERIOD_RX)
    out = []
    for m in P.YEAR_RX.finditer(masked):
        y = int(m.group(1))
        if not 2005 <= y <= 2035:
            continue
        before = masked[max(0, m.start() - 25):m.start()]
        role = "compare" if P.COMPARE_BEFORE.search(before) else "target" if P.TARGET_BEFORE.search(before) else "plain"
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


def _rank_figures(text: str, warnings: list[str]) -> list[Figure]:
    out = []
    for m in P.RANK_RX.finditer(text):
        if P.NOT_RANK_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        num = m.group("num")
        value = ordinal_to_int(num) if not num[0].isdigit() else None
        if value is None:
            try:
                value = parse_rank_number(num)
            except MalformedNumber as exc:
                if re.fullmatch(r"\d+", num.rstrip(".,")):
                    value = int(num.rstrip(".,"))
                else:
                    warnings.append(f"skipped rank: {exc}")
                    continue
        rank_of = int(m.group("of")) if m.group("of") else _rank_of_after(text, m.end())
        out.append(Figure("rank", m.start(), m.end(), value, rank_of=rank_of))
    for rx, value in ((P.FIRST_RX, 1), (P.SECOND_RX, 2)):
        for m in rx.finditer(text):
            if re.search(r"(?:người|vai trò|là người)\s*$", text[max(0, m.start() - 12):m.start()]):
                continue
            out.append(Figure("rank", m.start(), m.end(), value, rank_of=_rank_of_after(text, m.end())))
    for m in P.LAST_RX.finditer(text):
        out.append(Figure("rank", m.start(), m.end(), -1))  # resolved once the year and kind are known
    return out


def _change_figures(text: str) -> list[Figure]:
    out = []
    for m in P.CHANGE_RX.finditer(text):
        num = m.group("num")
        n = int(num) if num.isdigit() else words_to_int(num)
        if n is None or n > 70:
            continue
        sign = -1 if P.DOWN_RX.match(m.group("dir")) else 1
        cmp = P.COMPARE_YEAR_AFTER.match(text[m.end():m.end() + 80])
        compare_year = None
        if cmp and cmp.group("y").isdigit():
            compare_year = int(cmp.group("y"))
        out.append(Figure("change", m.start(), m.end(), sign * n, compare_year=compare_year))
    for m in P.PRIOR_RX.finditer(text):
        out.append(Figure("prior", m.start(), m.end(), int(m.group("num"))))
    for m in P.HOLD_RX.finditer(text):
        out.append(Figure("hold", m.start(), m.end(), 0))
    return out


def _is_regional(text: str, fig: Figure) -> bool:
    after = text[fig.end:fig.end + 60]
    if P.NATIONAL_AFTER.match(after):
        return False
    if P.REGIONAL_AFTER.match(after):
        return True
    return bool(P.REGIONAL_BEFORE.search(text[max(0, fig.start - 45):fig.start]))


def _governing(mentions: list, pos: int, *, allow_after: bool = True):
    """The nearest mention before pos, else the first after it."""
    before = [m for m in mentions if m[0] < pos]
    if before:
        return before[-1]
    if allow_after:
        after = [m for m in mentions if m[0] >= pos]
        if after:
            return after[0]
    return None


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


def extract_sentence(text: str, ctx: Context, block_state: dict) -> list[Fact]:
    warnings = ctx.warnings
    units = find_units(text)
    indices = index_mentions(text)
    years = year_mentions(text)
    figures = _score_figures(text, warnings) + _rank_figures(text, warnings) + _change_figures(text)
    if not figures:
        # Still carry what this sentence establishes for the next ones.
        _remember(block_state, units, indices, years)
        return []
    priors = [(f.start, f.end) for f in figures if f.kind == "prior"]
    figures = [f for f in figures if not (f.kind == "rank" and any(s <= f.start < e for s, e in priors))]
    figures.sort(key=lambda f: f.start)
    targets = [m.start() for m in P.TARGET_RX.finditer(text)]
    averages = [m.start() for m in P.AVERAGE_RX.finditer(text)]
    relative = [(m.start(), m.group(0)) for m in P.RELATIVE_YEAR_RX.finditer(text)]

    # Years between a 'từ vị trí X' and the rank it rose to belong to the prior rank, not the fact.
    prior_spans = []
    for f in figures:
        if f.kind == "prior":
            nxt = next((g for g in figures if g.kind == "rank" and g.start > f.end), None)
            if nxt:
                prior_spans.append((f.start, nxt.start))
    for f in figures:
        if f.kind == "prior":
            f.prior_years = tuple(y for p, y, role in years if f.start <= p < next(
                (e for s, e in prior_spans if s == f.start), f.end))

    facts: dict[tuple, Fact] = {}
    unit_items = [(u.start, u) for u in units]
    index_items = [(s, k) for s, e, k in indices]
    plain_years = [(p, y) for p, y, role in years if role == "plain"
                   and not any(s <= p < e for s, e in prior_spans)]
    for fig in figures:
        # a figure after a target or an average word in the same clause is not a result
        if any(t < fig.start and "," not in text[t:fig.start][-60:] and ";" not in text[t:fig.start]
               for t in targets) or any(0 <= fig.start - a <= 40 for a in averages):
            continue
        if any(t < fig.start for t in targets) and any(t < fig.start and fig.start - t < 80 for t in targets):
            continue
        if fig.kind == "rank" and _is_regional(text, fig):
            continue
        unit = _forward_unit(text, fig, units) if fig.kind == "rank" else None
        if unit is None:
            before = [u for s, u in unit_items if s < fig.start]
            if before:
                unit = before[-1]
            else:
                after = {(u.kind, u.name) for s, u in unit_items if s >= fig.start}
                if len(after) == 1:
                    unit = next(u for s, u in unit_items if s >= fig.start)
                else:
                    unit = block_state.get("unit") or ctx.primary_unit
                    if unit is None and after:
                        continue
        if unit is None or unit.kind == "subunit":
            continue
        if unit.kind == "self":
            unit = ctx.primary_unit
            if unit is None:
                continue
        gov = _governing(index_items, fig.start, allow_after=True)
        index_kind = gov[1] if gov else (block_state.get("index") or ctx.index)
        metric = "total"
        if index_kind in (None, "OTHER", "INTERNAL"):
            continue
        if index_kind.startswith("COMPONENT"):
            metric = index_kind.split(":", 1)[1]
            if metric == "?":
                continue
            real = [k for s, k in index_items if k in P.INDEX_RX]
            index_kind = real[-1] if real else (block_state.get("index") or ctx.index)
            if index_kind != "PAR_INDEX":
                continue
        if index_kind == "TOTAL":
            real = [k for s, k in index_items if k in P.INDEX_RX and s < fig.start]
            index_kind = real[-1] if real else (block_state.get("index") or ctx.index)
            if index_kind is None:
                continue
        # a percentage is only a score in the clause of an index, never a dossier rate or a growth figure
        if fig.kind == "score" and fig.unit == "percent" and not (gov and gov[1] in P.INDEX_RX
                                                                  and fig.start - gov[0] < 160):
            continue
        year = _year_for(fig, plain_years, relative, ctx, block_state, index_kind)
        if year is None:
            continue
        if unit.kind == "province":
            code, name = code_for_year(unit.name, unit.code, year)
            if code is None:
                continue
            kind = "province"
        else:
            code, name, kind = None, unit.name, "ministry"
        fact = facts.setdefault((kind, code or name, index_kind, year, metric),
                                Fact(kind, code, name, index_kind, year, metric, evidence=text.strip()))
        _apply(fact, fig, year)
    _remember(block_state, units, indices, years)
    return list(facts.values())


def _year_for(fig: Figure, plain_years, relative, ctx: Context, block_state: dict, index_kind: str) -> int | None:
    before = [y for p, y in plain_years if p < fig.start]
    if before:
        return before[-1]
    after = [y for p, y in plain_years if p > fig.start]
    if after:
        return after[0]
    rel = [w for p, w in relative if abs(p - fig.start) < 120]
    if rel and ctx.published_year and rel[0] in ("năm qua", "năm vừa qua", "năm nay"):
        return ctx.published_year - 1
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
    elif fig.kind == "change":
        if fig.compare_year is not None and fig.compare_year != year - 1:
            fact.compare_year = fig.compare_year
            return
        fact.set("rank_change", int(fig.value))
    elif fig.kind == "prior":
        if fig.prior_years and any(y != year - 1 for y in fig.prior_years):
            return
        fact.set("prior_rank", int(fig.value))
    elif fig.kind == "hold":
        fact.set("rank_change", 0)


def _remember(state: dict, units: list[Mention], indices, years) -> None:
    explicit = [u for u in units if u.kind in ("province", "ministry")]
    if explicit:
        state["unit"] = explicit[-1]
    elif any(u.kind == "subunit" for u in units):
        state["unit"] = None
    real = [k for s, e, k in indices if k in P.INDEX_RX]
    if real:
        state["index"] = real[-1]
    plain = [y for p, y, role in years if role == "plain"]
    if plain:
        state["year"] = plain[-1]


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
        if f.evidence and f.evidence not in m.evidence:
            m.evidence = m.evidence + " … " + f.evidence
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
