"""Index figures from Vietnamese prose, attributed clause by clause.

Each sentence is scanned once for mentions (units, indices, years, scores, ranks, changes), then every figure
takes the unit, index and year that govern it: the nearest one before it in the sentence, else the one the
paragraph or the article is about. Figures next to a region, a band, an average, a target, a component or
another ranking are left out, and a figure whose unit, index or year is unsure is dropped: a missing fact costs
less than a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paretl import reference
from paretl.extract.attribution import (
    Context,
    index_for,
    leaders_of_each_kind,
    ordered_after,
    rest_of_top,
    remember,
    respectively, top_listed,
    settle,
    shared_indices,
    unit_for,
    weakest,
    year_candidates,
    year_for,
)
from paretl.extract import patterns as P
from paretl.extract.mentions import FIGURE_HINT, Figure, scan
from paretl.extract.scope import excluded
from paretl.extract.units import Mention, code_for_year


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
    attribution: str | None = None  # the weakest source of its unit, index or year (attribution.SOURCES)

    # the rank came from 'xếp cuối' words (1) or counts from the last ('áp chót' 2): its denominator is whatever
    # the article states
    last: int = 0

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


def _among_a_group(text: str, block_state: dict) -> bool:
    """The sentence ranks units among a group ('Trong 5 thành phố trực thuộc Trung ương, ...'), or goes on with the
    order such a sentence began ('Đứng thứ hai là ...', 'Tiếp theo là ...'); remembered for the next sentence."""
    opens_group = bool(P.REGIONAL_SCOPE.match(text))
    goes_on = block_state.get("group_order", False) and bool(
        P.ORDER_CONTINUES.match(text) or P.ORDER_NEXT.match(text.lstrip()))
    block_state["group_order"] = opens_group or goes_on
    return goes_on


def extract_sentence(text: str, ctx: Context, block_state: dict) -> list[Fact]:
    group_order = _among_a_group(text, block_state)
    s = scan(text, ctx.warnings, ctx.published_year) if FIGURE_HINT.search(text) else None
    if s is None:
        # No figure here; what the sentence says of unit, index and year is read only if a later sentence of the
        # paragraph needs it (most never do).
        block_state.setdefault("pending", []).append(text)
        return []
    settle(block_state, ctx)
    pairs = top_listed(text, s.units, s.figures)
    pairs.update(rest_of_top(text, s.units, s.figures))
    pairs.update(respectively(text, s.units, s.figures))
    pairs.update(leaders_of_each_kind(text, s.units, s.figures))
    # (may add the places of a list; a place anchored on a unit ranked in an earlier paragraph is marked in
    # block_state["anchored"] with the index and year it must keep)
    block_state.pop("anchored", None)
    pairs.update(ordered_after(text, s.units, s.figures, block_state, ctx.places, (ctx.index, ctx.year)))
    if not s.figures:
        remember(block_state, s.units, s.indices, [(p, y) for p, y, role in s.years if role == "plain"], text)
        return []
    fact_years, compare_years = year_candidates(s, ctx, block_state)
    s.figures.sort(key=lambda f: f.start)
    facts: dict[tuple, Fact] = {}
    for fig in s.figures:
        if excluded(fig, s, fact_years):
            continue
        if group_order and fig.kind in ("rank", "behind", "prior", "change"):
            continue  # the places of the group the sentence before ranked, not national ones
        who = unit_for(fig, s, ctx, block_state, pairs)
        if who is None:
            continue
        shared = shared_indices(fig, s)
        what = index_for(fig, s, ctx, block_state) if not shared else (shared[0], "total", "clause")
        if what is None:
            continue
        index_kind, metric, index_source = what
        when = year_for(fig, fact_years, s, ctx, block_state)
        if when is None:
            continue
        years, year_source = when
        if fig.prior and not fig.years:
            # a score moved from: the year before's only when the sentence dates it ('so với năm 2021, từ ...')
            if len(set(compare_years)) != 1 or compare_years[0] != years[-1] - 1:
                continue
            years = (compare_years[0],)
        # a move's own compared year ('tăng 6 bậc so với năm 2022 và tăng 9 bậc so với năm 2021') decides for it;
        # without one, every year the sentence compares with does
        if fig.kind in ("change", "hold", "prior") and any(y != years[-1] - 1 for y in (
                [fig.compare_year] if fig.compare_year else compare_years)):
            continue  # compared with another year than the one before: not a year-over-year change, nor the place
            # moved from ('so với năm 2006 tỉnh đã tiến 7 bậc, từ thứ 21 lên thứ 14' in an article about 2011)
        if fig.kind in ("change", "hold") and year_source == "paragraph" and ctx.year and years[-1] != ctx.year:
            continue  # a move in a paragraph that opened on an earlier year ('Năm 2020, ... Như vậy, sau một năm')
        source = weakest(who.source, index_source, year_source)
        # one fact per year the figure is for, per unit sharing it, per index a 'cả' spreads it over
        targets = [(y, u, k) for y in years for u in who.group or [who.unit] for k in shared or [index_kind]]
        anchored = (block_state.get("anchored") or {}).get(fig.start) if fig.kind == "rank" else None
        for year, u, index_kind in targets:
            if anchored and anchored != (index_kind, year):
                continue  # placed after a unit's place in another index or year
            fact = _fact_for(facts, u, index_kind, year, metric, text)
            if fact is None:
                continue
            fact.attribution = weakest(fact.attribution, source) if fact.attribution else source
            if who.behind is not None:
                other = _fact_for(facts, who.behind, index_kind, year, metric, text)  # kept: it may get a rank
                fact.behind = other.key if other is not None and other.key != fact.key else None
                if other is not None and not other.attribution:
                    other.attribution = source
                continue
            _apply(fact, fig, year)
            back = fig.years_back if fig.kind == "prior" and not fig.prior_years else 1
            if fig.kind == "prior" and (back > 1 or fig.prior_years == (year - 1,)
                                        or year - 1 in _compares_in_clause(s, fig)):
                # 'so với năm 2020, tăng từ thứ hạng 51 lên 31': the year before's own rank, dated;
                # 'từ vị trí 45 của 3 năm trước': the rank of three years before
                before = _fact_for(facts, u, index_kind, year - back, metric, text)
                if before is not None:
                    before.attribution = fact.attribution
                    _apply(before, Figure("rank", fig.start, fig.end, fig.value, rank_of=fig.rank_of), year - back)
    if P.GROUP_HOLD.match(text):  # 'Ba tỉnh ... vẫn giữ nguyên vị trí là A xếp thứ nhất; B ...': each stayed
        for fact in facts.values():
            if fact.rank is not None:
                fact.set("prior_rank", fact.rank)
                fact.set("rank_change", 0)
    remember(block_state, s.units, s.indices, [(p, y) for p, y, role in fact_years if role == "plain"], text)
    places = [f.rank for f in facts.values() if f.rank is not None and f.metric == "total"]
    if places:
        block_state["last_rank"] = max(places)
    # each unit's place so far in the paragraph, for 'Sau Quảng Ninh là A, B' (one index and year at a time: a
    # second index or year named makes the places unsure, and they are forgotten)
    kinds = {(f.index, f.index_year) for f in facts.values() if f.metric == "total"}
    if len(kinds | block_state.get("rank_kinds", set())) > 1:
        block_state["ranks"] = {}
    else:
        block_state.setdefault("ranks", {}).update(
            {f.unit_name: f.rank for f in facts.values() if f.rank is not None and f.metric == "total"})
    block_state["rank_kinds"] = block_state.get("rank_kinds", set()) | kinds
    for f in facts.values():
        if f.rank is not None and f.metric == "total":
            ctx.places.setdefault(f.unit_name, set()).add((f.index, f.index_year, f.rank))
    return list(facts.values())

def _compares_in_clause(s, fig: Figure) -> list[int]:
    """The years compared with in the stretch that speaks of the figure's own unit: after the last unit named
    before it ('Quảng Ninh tăng 3 điểm so với năm 2018, ... Vĩnh Long vươn từ vị trí 8': not Vĩnh Long's)."""
    start = max((u.end for u in s.named_units() if u.end <= fig.start), default=0)
    return [y for p, y, role in s.years if role in ("compare", "compare_khi") and p >= start]


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

# What each index's total has ever scored, with room to spare: a number outside is a component, a gap or a
# change read as a total (PAPI is out of 60, then 80, its parts out of 10; PGI's four parts sum to about 40).
# The totals' plausible spans: the lowest PAR INDEX on record is near 59 (Sơn La 2013: 58.91; Quảng Ngãi 2017:
# 59.69), so '(Lâm Đồng: 48 điểm, Gia Lai: 50 điểm)' is not such a total.
TOTAL_RANGE = {"PAR_INDEX": (55.0, 100.0), "SIPAS": (55.0, 100.0), "PAPI": (25.0, 80.0), "PCI": (35.0, 85.0),
               "PGI": (5.0, 50.0)}


def plausible_score(fact: Fact, value: float) -> bool:
    low, high = TOTAL_RANGE.get(fact.index, (0.0, 100.0)) if fact.metric == "total" else (0.0, 100.0)
    return low <= value <= high


def _apply(fact: Fact, fig: Figure, year: int) -> None:
    if fig.kind == "score":
        if not plausible_score(fact, float(fig.value)):
            return
        fact.set("score", float(fig.value))
        fact.set("score_unit", fig.unit)
    elif fig.kind == "rank":
        value = fig.value
        rank_of = fig.rank_of
        if value < 0:  # 'xếp cuối': the number ranked; the denominator only where the article states it
            # PAPI has left provinces out of some years' ranking: its last place is only what the text counts
            ranked = rank_of or (reference.units_ranked(fact.unit_kind, year) if fact.index != "PAPI" else None)
            fact.last = -value
            if ranked is None:
                return  # a ministry's last place: the count of ministries the article gives, if it gives one
            value = ranked + value + 1
        if rank_of is not None:
            valid = {63, 34} if fact.unit_kind == "province" else set(range(12, 26))
            papi_fewer = fact.index == "PAPI" and fact.unit_kind == "province" and 55 <= rank_of < 63
            if (rank_of not in valid and not papi_fewer) or value > rank_of:
                return  # PAPI has ranked fewer than 63 some years ('xếp thứ 58/61/63': 61 of 63 ranked)
            expected = reference.units_ranked(fact.unit_kind, year)
            if expected and rank_of != expected and not papi_fewer:
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
        if fig.prior_years and any(y != year - 1 for y in fig.prior_years) or fig.years_back != 1:
            return
        value = fig.value if fig.value != -1 else reference.units_ranked(fact.unit_kind, year - 1)
        if value is not None:
            fact.set("prior_rank", int(value))
    elif fig.kind == "hold":
        fact.set("rank_change", 0)


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
        m.last = m.last or f.last
        if f.evidence and f.evidence not in m.evidence:
            m.evidence = m.evidence + " … " + f.evidence
    for f in list(merged.values()):
        leader = merged.get(f.behind) if f.behind else None
        if leader is None:
            continue
        if f.rank is None and "rank" not in f.conflicts and leader.rank is not None:
            f.rank = leader.rank + 1
        elif f.rank == 2 and leader.rank is None and "rank" not in leader.conflicts:
            leader.rank = 1  # 'đứng thứ 2/63 (chỉ sau Quảng Ninh)': second only to the leader
    # 'xếp cuối năm thứ hai liên tiếp': last both years is no move unless both years ranked as many units (17
    # ministries in 2019, 18 in 2018; 63 provinces, then 34): otherwise the change is unknown, not 0
    for f in merged.values():
        if f.last and f.rank_change == 0 and f.prior_rank is None:
            ranked = reference.units_ranked(f.unit_kind, f.index_year)
            if ranked is None or ranked != reference.units_ranked(f.unit_kind, f.index_year - 1):
                f.rank_change = None
    # The previous year's rank stated in the same article gives this year's prior rank; with a stated move and no
    # place of this year's ('vượt lên 31 bậc (năm 2022, ... đứng thứ 62/63)'), the place too: the one before, less
    # the places moved.
    for f in merged.values():
        if f.prior_rank is None and (f.rank is not None) != (f.rank_change is not None):
            prev = merged.get((f.unit_kind, f.unit_code or f.unit_name, f.index, f.index_year - 1, f.metric))
            if prev is not None and prev.rank is not None and f.unit_kind == "province" and \
                    reference.units_ranked("province", f.index_year) != reference.units_ranked("province", prev.index_year):
                continue  # across the 2025 merger (63 ranked, then 34; codes reused): no place to move from
            if prev is None or prev.rank is None or prev.rank < 1:
                continue
            if f.rank is not None:
                f.prior_rank = prev.rank
            elif 1 <= prev.rank - f.rank_change <= (reference.units_ranked(f.unit_kind, f.index_year) or 99) \
                    and "rank" not in f.conflicts:
                f.prior_rank, f.rank = prev.rank, prev.rank - f.rank_change
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
            if f.last or any(getattr(f, n) is not None for n in ("score", "rank", "rank_change", "prior_rank"))]
