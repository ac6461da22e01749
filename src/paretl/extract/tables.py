"""Ranking tables, row by row: the unit, the total and the rank by their column headers, never a component.

A table's index and year come from its headers, else its caption and the paragraph before it, else the article.
"""

from __future__ import annotations

import re

from paretl import reference
from paretl.extract import patterns as P
from paretl.extract.content import Table
from paretl.extract.facts import Context, Fact, index_mentions, year_mentions
from paretl.extract.numbers import MalformedNumber, parse_rank_number, parse_score
from paretl.extract.units import code_for_year, find_units

_RANK_HEAD = re.compile(r"xếp hạng|thứ hạng|^hạng|\bhạng\b|vị trí|thứ tự xếp", re.I)
_NOT_RANK_HEAD = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$|khu vực|vùng|nhóm|xếp loại|cụm|khối", re.I)
_TOTAL_HEAD = re.compile(r"tổng|chỉ số (?:par|cchc|sipas|papi|pci|cải cách)|par index|^điểm$|^điểm số|kết quả|"
                         r"^chỉ số$|^sipas|^pci|^papi|tỷ lệ hài lòng|^\s*điểm\s*\(", re.I)
_SCORE_HEAD = re.compile(r"điểm|chỉ số|%|tỷ lệ", re.I)
_UNIT_HEAD = re.compile(r"tỉnh|thành phố|địa phương|đơn vị|bộ|cơ quan|tên", re.I)
_YEAR_HEAD = re.compile(r"^năm$", re.I)


def _header(table: Table) -> list[str]:
    return table.rows[0] if table.rows else []


def _year_in(text: str) -> int | None:
    ys = [y for p, y, role in year_mentions(text) if role == "plain"]
    return ys[-1] if ys else None


def _index_in(text: str) -> str | None:
    found = [k for s, e, k in index_mentions(text) if k in P.INDEX_RX or k in ("INTERNAL", "OTHER")]
    return found[-1] if found else None


def extract_table(table: Table, ctx: Context) -> list[Fact]:
    head = _header(table)
    if len(table.rows) < 2 or not head:
        return []
    context_text = table.context + " " + " ".join(head)
    if re.search(r"khu vực|vùng|cấp huyện|các sở|sở, ban|huyện, thị xã", " ".join(head), re.I):
        return []  # a regional or internal table: its ranks are not national
    table_index = _index_in(" ".join(head)) or _index_in(table.context) or ctx.index
    if table_index in (None, "INTERNAL", "OTHER"):
        return []
    if _index_in(table.context) in ("INTERNAL",) or re.search(r"cấp huyện|các sở|sở, ban, ngành", table.context):
        return []
    table_year = _year_in(" ".join(head)) or _year_in(table.context) or ctx.year
    ncols = max(len(r) for r in table.rows)
    rank_col = next((i for i, h in enumerate(head) if _RANK_HEAD.search(h) and not _NOT_RANK_HEAD.search(h.strip())),
                    None)
    total_cols = [i for i, h in enumerate(head) if _TOTAL_HEAD.search(h.strip()) and i != rank_col]
    if len(total_cols) > 1:
        strict = [i for i in total_cols if re.search(r"tổng", head[i], re.I)]
        total_cols = strict if len(strict) == 1 else []
    if not total_cols:
        scored = [i for i, h in enumerate(head) if _SCORE_HEAD.search(h) and i != rank_col]
        total_cols = scored if len(scored) == 1 else []
    total_col = total_cols[0] if total_cols else None
    year_col = next((i for i, h in enumerate(head) if _YEAR_HEAD.match(h.strip())), None)
    unit_col = _unit_column(table, ncols, {rank_col, total_col, year_col})
    if rank_col is None and total_col is None:
        return []
    score_unit = "percent" if total_col is not None and "%" in head[total_col] else (
        "points" if total_col is not None and re.search(r"điểm", head[total_col], re.I) else None)
    facts = []
    for row in table.rows[1:]:
        if len(row) < 2:
            continue
        year = table_year
        if year_col is not None and year_col < len(row):
            m = re.fullmatch(r"(?:năm\s*)?((?:19|20)\d{2})", row[year_col].strip(), re.I)
            if not m:
                continue
            year = int(m.group(1))
        if year is None:
            continue
        unit = None
        if unit_col is not None and unit_col < len(row):
            found = [u for u in find_units(row[unit_col]) if u.kind in ("province", "ministry")]
            if len(found) != 1:
                continue
            unit = found[0]
        elif year_col is not None:
            unit = ctx.primary_unit
        if unit is None:
            continue
        if unit.kind == "province":
            code, name = code_for_year(unit.name, unit.code, year)
            if code is None:
                continue
            kind = "province"
        else:
            code, name, kind = None, unit.name, "ministry"
        fact = Fact(kind, code, name, table_index, year, evidence=" | ".join(head) + " :: " + " | ".join(row))
        if total_col is not None and total_col < len(row) and row[total_col].strip():
            token = row[total_col].strip().rstrip("%").strip()
            try:
                fact.score = parse_score(token)
                fact.score_unit = score_unit or ("percent" if "%" in row[total_col] else None)
            except MalformedNumber as exc:
                ctx.warnings.append(f"table cell skipped: {exc}")
        if rank_col is not None and rank_col < len(row):
            cell = re.sub(r"^(?:thứ|hạng)\s*", "", row[rank_col].strip(), flags=re.I)
            m = re.fullmatch(r"(\d{1,3})(?:\s*/\s*(\d{1,3}))?", cell)
            if m:
                try:
                    rank = parse_rank_number(m.group(1))
                except MalformedNumber:
                    rank = None
                rank_of = int(m.group(2)) if m.group(2) else None
                limit = reference.units_ranked(kind, year) or 30
                if rank is not None and rank <= limit and (rank_of is None or rank_of == limit or kind != "province"):
                    fact.rank, fact.rank_of = rank, rank_of
        if fact.score is not None or fact.rank is not None:
            facts.append(fact)
    return facts


def _unit_column(table: Table, ncols: int, taken: set) -> int | None:
    best, best_hits = None, 0
    for i in range(ncols):
        if i in taken:
            continue
        hits = sum(1 for r in table.rows[1:] if i < len(r)
                   and any(u.kind in ("province", "ministry") for u in find_units(r[i])))
        if hits > best_hits:
            best, best_hits = i, hits
    if best is None or best_hits < max(1, (len(table.rows) - 1) // 2):
        return None
    return best
