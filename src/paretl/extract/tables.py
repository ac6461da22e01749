"""Ranking tables, row by row: the unit, the total and the rank by their column headers, never a component.

Each column is read from its header: what it holds (a rank, a score, the unit, the year), for which index and
for which year ('Xếp hạng 2019', 'SIPAS 2021 (%)'). Columns of the same index and year pair up into one fact per
row; a rank column of the year before gives the prior rank. A table's index and year fall back to its caption
and the paragraph before it, then the article. A regional or internal table yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paretl import reference
from paretl.extract import patterns as P
from paretl.extract.attribution import Context
from paretl.extract.document import Table
from paretl.extract.facts import Fact
from paretl.extract.mentions import index_mentions, year_mentions
from paretl.extract.numbers import MalformedNumber, parse_score
from paretl.extract.units import code_for_year, exact_unit, find_units

_YEAR_HEAD = re.compile(r"^năm$", re.I)
_OF_HEAD = re.compile(r"/\s*(\d{2})|trên\s+(\d{2})|(\d{2})\s+(?:tỉnh|địa phương|bộ)")


@dataclass
class _Col:
    i: int
    role: str  # rank | score | year | other
    index: str | None
    year: int | None
    rank_of: int | None = None
    unit: str | None = None  # score unit


def _year_in(text: str) -> int | None:
    ys = [y for p, y, role in year_mentions(text) if role == "plain"]
    return ys[-1] if ys else None


def _index_in(text: str) -> str | None:
    found = [k for s, e, k in index_mentions(text) if k in P.INDEX_RX or k in ("INTERNAL", "OTHER")]
    return found[-1] if found else None


def _columns(head: list[str]) -> list[_Col]:
    cols = []
    for i, h in enumerate(head):
        h = h.strip()
        idx = _index_in(h)
        idx = idx if idx in P.INDEX_RX else None
        year = _year_in(h)
        if _YEAR_HEAD.match(h):
            cols.append(_Col(i, "year", None, None))
        elif P.TABLE_RANK_HEAD.search(h) and not P.TABLE_NOT_RANK_HEAD.search(h):
            m = _OF_HEAD.search(h)
            of = int(next(g for g in m.groups() if g)) if m else None
            cols.append(_Col(i, "rank", idx, year, rank_of=of))
        elif P.TABLE_SCORE_HEAD.search(h) and not P.TABLE_NOT_SCORE_HEAD.search(h) and not P.TABLE_UNIT_HEAD.fullmatch(h):
            unit = "percent" if ("%" in h or re.search(r"t[ỷỉ] lệ|mức độ hài lòng", h, re.I)) else \
                "points" if re.search(r"điểm", h, re.I) else None
            cols.append(_Col(i, "score", idx, year, unit=unit))
        else:
            cols.append(_Col(i, "other", idx, year))
    return cols


def extract_table(table: Table, ctx: Context) -> list[Fact]:
    head = table.rows[0] if table.rows else []
    if len(table.rows) < 2 or not head:
        return []
    header_text = " ".join(head)
    if re.search(r"khu vực|vùng|cấp huyện|các sở|sở, ban|huyện, thị xã|trong vùng", header_text, re.I):
        return []  # a regional or internal table: its ranks are not national
    if _index_in(table.context) in ("INTERNAL",) or re.search(r"cấp huyện|các sở|sở, ban, ngành|huyện, thị xã",
                                                              table.context):
        return []
    table_index = _index_in(header_text) or _index_in(table.context) or ctx.index
    if table_index in (None, "INTERNAL", "OTHER"):
        return []
    cols = _columns(head)
    col_years = [c.year for c in cols if c.role in ("rank", "score") and c.year]
    table_year = max(col_years) if col_years else (_year_in(table.context) or ctx.year)
    year_col = next((c.i for c in cols if c.role == "year"), None)
    taken = {c.i for c in cols if c.role in ("rank", "score", "year")}
    unit_col = _unit_column(table, max(len(r) for r in table.rows), taken)
    # group the value columns by (index, year); a rank column of the year before is the prior rank
    groups: dict[tuple[str, int | None], dict[str, _Col]] = {}
    for c in cols:
        if c.role not in ("rank", "score"):
            continue
        idx = c.index or table_index
        yr = c.year or (None if year_col is not None else table_year)
        role = c.role
        if role == "rank" and yr is not None and table_year is not None and yr == table_year - 1 and c.year:
            role, yr = "prior", table_year
        g = groups.setdefault((idx, yr), {})
        # two columns of one kind for one index and year ('Tổng điểm', 'Chỉ số tổng hợp'): a row's value only
        # where both say the same
        g.setdefault(role, []).append(c)
    facts = []
    for row in table.rows[1:]:
        if len(row) < 2:
            continue
        row_year = None
        if year_col is not None:
            if year_col >= len(row):
                continue
            m = re.fullmatch(r"(?:năm\s*)?((?:19|20)\d{2})", row[year_col].strip(), re.I)
            if not m:
                continue
            row_year = int(m.group(1))
        unit = None
        if unit_col is not None and unit_col < len(row):
            found = _cell_units(row[unit_col])
            if len(found) != 1:
                continue
            unit = found[0]
        elif year_col is not None:  # one unit's years ('PCI của tỉnh Ninh Bình'): named over the table, else the article's
            named = {(u.kind, u.name): u for u in find_units(table.context) if u.kind in ("province", "ministry")}
            unit = next(iter(named.values())) if len(named) == 1 else ctx.primary_unit
        if unit is None:
            continue
        for (idx, yr), g in groups.items():
            year = row_year or yr
            if year is None or idx is None:
                continue
            if unit.kind == "province":
                code, name = code_for_year(unit.name, unit.code, year)
                if code is None:
                    continue
                kind = "province"
            else:
                code, name, kind = None, unit.name, "ministry"
            fact = Fact(kind, code, name, idx, year, attribution="table", evidence=" | ".join(head) + " :: " + " | ".join(row))
            sc, rk, pr = _agreed(row, g.get("score")), _agreed(row, g.get("rank")), _agreed(row, g.get("prior"))
            if sc is not None:
                fact.score, fact.score_unit = _score(row, sc, ctx)
            limit = reference.units_ranked(kind, year) or 30
            if rk is not None:
                fact.rank = _rank(row, rk, limit)
                if fact.rank is not None and rk.rank_of in (limit,) and kind == "province":
                    fact.rank_of = rk.rank_of
            if pr is not None:
                fact.prior_rank = _rank(row, pr, limit)
            if fact.score is not None or fact.rank is not None:
                facts.append(fact)
    return facts


def _agreed(row: list[str], cols: list[_Col] | None) -> _Col | None:
    """The column to read a value from: the only one, or the first of several that hold the same cell."""
    if not cols:
        return None
    if len(cols) == 1:
        return cols[0]
    cells = {row[c.i].strip() if c.i < len(row) else None for c in cols}
    return cols[0] if len(cells) == 1 else None


def _score(row: list[str], col: _Col, ctx: Context) -> tuple[float | None, str | None]:
    if col.i >= len(row):
        return None, None
    cell = row[col.i].strip()
    token = cell.rstrip("%").strip()
    if not token or not token[0].isdigit():
        return None, None
    try:
        value = parse_score(token)
    except MalformedNumber as exc:
        ctx.warnings.append(f"table cell skipped: {exc}")
        return None, None
    return value, col.unit or ("percent" if "%" in cell else None)


_RANK_WORD = re.compile(r"^(?:thứ|hạng)\s*", re.I)
_RANK_CELL = re.compile(r"(\d{1,3})\.?(?:\s*/\s*(\d{1,3}))?")  # '12', '12/63', '12.' (a numbered row)


def _rank(row: list[str], col: _Col, limit: int) -> int | None:
    if col.i >= len(row):
        return None
    cell = _RANK_WORD.sub("", row[col.i].strip())
    m = _RANK_CELL.fullmatch(cell)
    if not m:
        return None
    rank = int(m.group(1))
    if rank < 1:
        return None
    if rank > limit or (m.group(2) and int(m.group(2)) != limit):
        return None
    return rank


def _cell_units(cell: str) -> list:
    """The provinces and ministries a table cell names; a cell that is exactly a name is looked up directly."""
    exact = exact_unit(cell.strip())
    if exact is not None:
        return [exact]
    return [u for u in find_units(cell) if u.kind in ("province", "ministry")]


def _unit_column(table: Table, ncols: int, taken: set) -> int | None:
    """The column naming the units: the one whose header says so if its cells bear it out, else the column
    with the most unit names."""
    head = table.rows[0]
    named = [i for i in range(min(ncols, len(head))) if i not in taken and P.TABLE_UNIT_HEAD.search(head[i])]
    return _best_unit_column(table, named) if named else _best_unit_column(
        table, [i for i in range(ncols) if i not in taken])


def _best_unit_column(table: Table, columns: list[int]) -> int | None:
    best, best_hits = None, 0
    for i in columns:
        hits = sum(1 for r in table.rows[1:] if i < len(r)
                   and _cell_units(r[i]))
        if hits > best_hits:
            best, best_hits = i, hits
    if best is None or best_hits < max(1, (len(table.rows) - 1) // 2):
        return None
    return best
