"""Ranking tables that a text capture has flattened: one cell per line (sometimes with '|' lines between cells),
or one row per line with its cells separated by spaces and the years as columns.

Stored copies and plain-text pages keep a table's cells but lose its grid. The grid comes back from the header:
its cells are short labels (a unit column, a rank or score column), and every row after it has as many cells,
the unit's cell naming a unit and the value cells holding numbers. What is rebuilt goes to the table reader
(tables.py) like any HTML table, and its lines leave the prose, where their figures would have no sentence.
"""

from __future__ import annotations

import re

from paretl.extract import patterns as P
from paretl.extract.document import Table
from paretl.extract.units import find_units

_MAX_CELL = 70
_NUMBER_CELL = re.compile(r"(?:thứ\s*|hạng\s*)?\d+(?:[.,]\d+)?\.?\s*%?(?:\s*/\s*\d+)?|N/A|-|–")  # '1.' a numbered row
_SEPARATOR = "|"
_MIN_ROWS = 2


_DATE_CELL = re.compile(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?")


def _is_label(cell: str) -> bool:
    return 0 < len(cell) <= _MAX_CELL and not _NUMBER_CELL.fullmatch(cell) and not cell.endswith(".")


def _is_head(cell: str) -> bool:
    """A header cell: a short label ('Tên tỉnh', 'Xếp hạng', 'Điểm PCI 2014'), not a date or a title."""
    return _is_label(cell) and len(cell.split()) <= 8 and not _DATE_CELL.search(cell)


def _header_widths(cells: list[str], i: int) -> list[int]:
    """The widths k for which the k cells from i could be a ranking table's header: short labels, one naming
    the unit column, one a rank or score column."""
    out = []
    for k in range(2, 9):
        head = cells[i:i + k]
        if len(head) < k or not all(_is_head(c) for c in head):
            break
        if any(P.TABLE_UNIT_HEAD.search(c) for c in head) and \
                any(P.TABLE_RANK_HEAD.search(c) or P.TABLE_SCORE_HEAD.search(c) for c in head):
            out.append(k)
    return out


def _unit_cell(cell: str) -> bool:
    return len([u for u in find_units(cell) if u.kind in ("province", "ministry")]) == 1


def _rows(cells: list[str], start: int, k: int, unit_i: int, value_cols: list[int]) -> list[list[str]]:
    """The rows after a header: each names a unit in the unit column and holds numbers under every rank or score
    header (so a header read one cell off does not fit)."""
    rows = []
    pos = start
    while pos + k <= len(cells):
        row = cells[pos:pos + k]
        values = [c for j, c in enumerate(row) if j != unit_i]
        if not _unit_cell(row[unit_i]) or not all(_NUMBER_CELL.fullmatch(row[j]) for j in value_cols):
            break
        if sum(1 for v in values if _is_label(v) and len(v) > 25) > 0:
            break  # a sentence, not a cell
        rows.append(row)
        pos += k
    return rows


def _cell_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    # the cells, and the block each came from; between '|' separator lines, the lines of one cell are joined
    # ('Điểm' / 'thẩm định' is one header cell)
    cells: list[str] = []
    origin: list[int] = []
    last_sep = -2
    for n, b in enumerate(blocks):
        if b.strip() == _SEPARATOR:
            last_sep = n
            continue
        if not b.strip():
            continue  # an empty cell some layouts put around the rank: it carries nothing
        if cells and b.strip()[:1].islower() and len(cells[-1]) <= 15 and _is_head(cells[-1]) and _is_head(b.strip()) \
                and len(b.strip()) <= 20:
            cells[-1] = cells[-1] + " " + b.strip()  # a header cell wrapped over two lines ('Điểm' / 'thẩm định')
            origin[-1] = n
            continue
        if cells and origin[-1] == n - 1 and 0 <= last_sep == origin[-1] - 1 and n + 1 < len(blocks) \
                and blocks[n + 1].strip() == _SEPARATOR:
            cells[-1] = cells[-1] + " " + b.strip()
            origin[-1] = n
            continue
        cells.append(b.strip())
        origin.append(n)
    tables, used = [], set()
    i = 0
    while i < len(cells):
        best: tuple[int, int, list[list[str]]] | None = None
        for k in _header_widths(cells, i):
            head = cells[i:i + k]
            unit_i = next((j for j, c in enumerate(head) if P.TABLE_UNIT_HEAD.search(c)
                           and not P.TABLE_RANK_HEAD.search(c) and not P.TABLE_SCORE_HEAD.search(c)), None)
            if unit_i is None:
                continue
            value_cols = [j for j, c in enumerate(head) if j != unit_i and (
                P.TABLE_RANK_HEAD.search(c) and not P.TABLE_NOT_RANK_HEAD.search(c)
                or P.TABLE_SCORE_HEAD.search(c) and not P.TABLE_NOT_SCORE_HEAD.search(c))]
            rows = _rows(cells, i + k, k, unit_i, value_cols)
            if len(rows) >= _MIN_ROWS and (best is None or len(rows) * k > len(best[2]) * best[0]):
                best = (k, unit_i, rows)
        if best is None:
            i += 1
            continue
        k, _, rows = best
        context = " ".join(cells[max(0, i - 2):i])
        tables.append(Table(rows=[cells[i:i + k]] + rows, header_rows=1, context=context))
        end = i + k + len(rows) * k
        used.update(origin[i:end])
        i = end
    return tables, used


# 'Năm 2023 2022 2021 …', or 'Chỉ số Năm 2007 Năm 2008 …' (the years each with its 'Năm', under a label column)
_YEARS_ROW = re.compile(r"^(?:(?:Chỉ số|Chỉ tiêu|Index|Indicator)\s+)?(?:Năm|Year)((?:\s+(?:(?:Năm|Year)\s+)?(?:19|20)\d{2}){3,})\s*$")
_TWO_YEARS_ROW = re.compile(r"^(?:Năm|Year)((?:\s+(?:19|20)\d{2}){2})\s*$")
# a label, then as many values as the years row has years (the count is checked there)
_VALUES_ROW = re.compile(r"^(\D+?)((?:\s+(?:\d+(?:[.,]\d+)?|N/A|-)){2,})\s*$")


# the line over a table of units by years that says its cells are scores
_SCORES_CONTEXT = re.compile(r"\b[Ss]cores?\b|[Đđ]iểm|^(?:So sánh|Comparing)\b")
# (a comparison's cells are scores only when every one has decimals: places are whole numbers)
_DECIMAL_CELL = re.compile(r"\d{1,3}[.,]\d{1,3}|N/A|-")
# 'Năm | 2022 | 2023 |', 'Điểm số PGI | 13.99 | 24.20 |': the same rows with '|' after every cell
_PIPED_LINE = re.compile(r"[^|]+(?:\|[^|]+){1,}\|?")


def _unpiped(block: str) -> tuple[str, bool]:
    b = block.strip()
    if _PIPED_LINE.fullmatch(b):
        return " ".join(c.strip() for c in b.split("|") if c.strip()), True
    return b, False


def _row_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    """'Năm 2023 2022 2021 …' then 'PCI 67.83 64.22 …', 'Xếp hạng 19 44 …': one row per year after turning.
    Written with '|' between cells, two years are enough (the bars draw the grid)."""
    tables, used = [], set()
    score_label = "Điểm"  # the score row's label of the last profile table ('PGI Scores'): it names the index
    for n, b in enumerate(blocks):
        line, piped = _unpiped(b)
        m = _YEARS_ROW.match(line)
        if m is None and (two := _TWO_YEARS_ROW.match(line)) and (piped or n and _SCORES_CONTEXT.search(blocks[n - 1])):
            m = two
        if not m:
            continue
        years = re.findall(r"(?:19|20)\d{2}", m.group(1))
        rows = {}
        j = n + 1
        while j < len(blocks):
            row, row_piped = _unpiped(blocks[j])
            vm = _VALUES_ROW.match(row) if row_piped == piped else None
            if not vm or len(vm.group(2).split()) != len(years):
                break
            rows[vm.group(1).strip()] = vm.group(2).split()
            j += 1
        context = " ".join(blocks[max(0, n - 3):n])
        if len(rows) >= 2 and all(_unit_cell(h) for h in rows) and _SCORES_CONTEXT.search(blocks[n - 1] if n else "") \
                and all(_DECIMAL_CELL.fullmatch(v) for values in rows.values() for v in values):
            # 'Comparing Scores - Hai Duong With Other Provinces …', 'Year 2024 2023', 'Bac Ninh 27.78 22.53': one
            # row per unit, one score column per year
            head = ["Tỉnh"] + [f"{score_label} {y}" for y in years]
            tables.append(Table(rows=[head] + [[unit] + values for unit, values in rows.items()], header_rows=1,
                                context=context))
            used.update(range(n, j))
            continue
        if len(rows) < 1 or not any(P.TABLE_RANK_HEAD.search(h) or P.TABLE_SCORE_HEAD.search(h) for h in rows):
            continue
        labels = list(rows)
        score_label = next((h for h in labels if P.TABLE_SCORE_HEAD.search(h) and not P.TABLE_NOT_SCORE_HEAD.search(h)),
                           score_label)
        head = ["Năm"] + labels
        grid = [[y] + [rows[label][c] for label in labels] for c, y in enumerate(years)]
        tables.append(Table(rows=[head] + grid, header_rows=1, context=context))
        used.update(range(n, j))
    return tables, used


_PIPE_ROW = re.compile(r"^\|.*\|$")
_PIPE_RULE = re.compile(r"^\|[\s:|-]+\|$")  # '|---|:---:|': a markdown table's rule under its header


def _ranking_head(head: list[str]) -> bool:
    return any(P.TABLE_UNIT_HEAD.search(c) for c in head) and \
        any(P.TABLE_RANK_HEAD.search(c) or P.TABLE_SCORE_HEAD.search(c) for c in head)


def _pipe_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    """'| Tỉnh | Điểm số PCI | Xếp hạng |' then '| Quảng Ninh | 75.09 | 01 |': a table written with '|' between
    cells, one row a line (a text capture's rendering of an HTML table, or a plain-text page's own)."""
    tables, used = [], set()
    n = 0
    while n < len(blocks):
        if not _PIPE_ROW.match(blocks[n].strip()):
            n += 1
            continue
        start = n
        rows: list[list[str]] = []
        while n < len(blocks) and _PIPE_ROW.match(blocks[n].strip()):
            b = blocks[n].strip()
            if not _PIPE_RULE.match(b):
                rows.append([c.strip() for c in b[1:-1].split("|")])
            n += 1
        if len(rows) <= _MIN_ROWS or not _ranking_head(rows[0]):
            continue
        width = len(rows[0])
        body = [r for r in rows[1:] if len(r) == width]
        if len(body) < _MIN_ROWS:
            continue
        tables.append(Table(rows=[rows[0]] + body, header_rows=1,
                            context=" ".join(blocks[max(0, start - 2):start])))
        used.update(range(start, n))
    return tables, used


_INDEX_ROW_HEAD = re.compile(r"^(?:chỉ số|index)$", re.I)
_SERIAL_HEAD = re.compile(r"^(?:tt|stt|số tt|số thứ tự|#)?$", re.I)
_PLACES_CONTEXT = re.compile(r"[Tt]hứ hạng|[Xx]ếp hạng|[Vv]ị trí|[Hh]ạng")


def _indices_by_year(rows: list[list[str]], context: str) -> list[list[str]] | None:
    """'TT | Chỉ số | 2021 | 2022 | 2023' then '1 | PCI | 18 | 13 | 7', under 'Thứ hạng tỉnh đạt được ...': one unit's
    places in several indices, an index a row and a year a column. Turned into a year a row ('Năm | Xếp hạng PCI |
    Xếp hạng PAPI ...') for the table reader; the unit is the one the lines over it name, or the site's. Only places:
    the line over the table must say the cells are places, and every cell is a whole number or empty."""
    head = [c.strip() for c in rows[0]]
    label = next((i for i, c in enumerate(head) if _INDEX_ROW_HEAD.match(c)), None)
    if label is None or not all(_SERIAL_HEAD.match(c) for c in head[:label]) or not _PLACES_CONTEXT.search(context):
        return None
    years = [re.fullmatch(r"(?:năm\s*)?((?:19|20)\d{2})", c, re.I) for c in head[label + 1:]]
    if len(years) < 2 or not all(years):
        return None
    body = [r for r in rows[1:] if len(r) == len(head)]
    names = {}  # the row's index name as written (the table reader reads it again) -> its cells
    for r in body:
        name = r[label].strip()
        if not any(rx.fullmatch(name) for rx in P.INDEX_RX.values()) \
                or any(v.strip() and not re.fullmatch(r"\d{1,2}", v.strip()) for v in r[label + 1:]):
            return None
        names[name] = r[label + 1:]
    if len(names) < 2:
        return None
    out = [["Năm"] + [f"Xếp hạng {k}" for k in names]]
    for j, y in enumerate(years):
        out.append([y.group(1)] + [names[k][j].strip() for k in names])
    return out


def _index_year_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    """Lines of cells split by ' | ' (with or without bars at the ends), read as one unit's places by index and year
    (_indices_by_year)."""
    tables, used = [], set()
    n = 0
    while n < len(blocks):
        if " | " not in blocks[n]:
            n += 1
            continue
        start = n
        rows = []
        while n < len(blocks) and " | " in blocks[n]:
            rows.append([c.strip() for c in blocks[n].strip().strip("|").split("|")])
            n += 1
        context = " ".join(blocks[max(0, start - 2):start])
        by_year = _indices_by_year(rows, context) if len(rows) >= 3 else None
        if by_year is not None:
            tables.append(Table(rows=by_year, header_rows=1, context=context))
            used.update(range(start, n))
    return tables, used


_NUMBERS_AFTER_NAME = re.compile(r"^(?P<name>\D{2,40}?)\s+(?P<nums>\d{1,3}(?:[.,]\d{1,4})?(?:\s+\d{1,3}(?:[.,]\d{1,4})?){1,3})"
                                 r"(?:\s+(?P<tail>\D{1,30}))?$")


def _spaced_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    """'Tỉnh, Thành phố Điểm PCI Hạng Nhóm xếp hạng' then 'Quảng Ninh 72.95 1 Rất tốt': a table whose cells a
    capture joined with spaces, one row a line. The header's score and rank words, in their order, name the
    numbers of each row; a row whose count of numbers differs ends the table."""
    tables, used = [], set()
    for n, b in enumerate(blocks):
        head = b.strip()
        if n in used or len(head) > 90 or re.search(r"\d", re.sub(r"(?:19|20)\d{2}", "", head)) \
                or not P.TABLE_UNIT_HEAD.search(head):
            continue
        heads = sorted([(m.start(), "Xếp hạng") for m in P.TABLE_RANK_HEAD.finditer(head)
                        if not re.search(r"(?:nhóm|khu vực|vùng|trong|tăng|giảm)\s*$", head[:m.start()], re.I)]
                       + [(m.start(), m.group(0)) for m in re.finditer(r"điểm(?: số)?(?: \w+)?", head, re.I)])
        if not heads:
            continue
        rows = []
        j = n + 1
        while j < len(blocks):
            m = _NUMBERS_AFTER_NAME.match(blocks[j].strip())
            if not m or not _unit_cell(m.group("name")) or len(m.group("nums").split()) != len(heads):
                break
            rows.append([m.group("name").strip()] + m.group("nums").split())
            j += 1
        if len(rows) < _MIN_ROWS + 1:
            continue
        year = re.search(r"(?:19|20)\d{2}", head)
        context = " ".join(blocks[max(0, n - 2):n] + ([head] if year else []))
        tables.append(Table(rows=[["Tỉnh"] + [h for _, h in heads]] + rows, header_rows=1, context=context))
        used.update(range(n, j))
    return tables, used


# '2. Đồng Tháp, Đồng bằng sông Cửu Long: 72.81 điểm': a numbered line, a unit (and where it lies), its score
# ('4. TP Hồ Chí Minh (63,51)': the score in a parenthesis)
_NUMBERED_ROW = re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<name>[^\d:;()]{2,70}?)\s*(?:(?::|–|-)\s*(?P<score>\d{1,3}[.,]\d{1,3})"
                           r"\s*(?:điểm|%)?|\(\s*(?P<score2>\d{1,3}[.,]\d{1,3})\s*(?:điểm|%)?\s*\))\s*\.?$")
# the line over it says the list is the ranking's top ('Mười địa phương đứng đầu PCI 2020:', 'Top 10 PCI 2020:')
_TOP_LIST_HEAD = re.compile(r"(?:đứng đầu|dẫn đầu|[Tt]op\s*\d{1,2}|cao nhất|xếp hạng)[^.]{0,60}:?\s*$")
_NOT_TOP_LIST_HEAD = re.compile(r"khu vực|vùng|miền|nhóm|tăng|giảm|cải thiện|huyện|sở|thành phần", re.I)


def _numbered_tables(blocks: list[str]) -> tuple[list[Table], set[int]]:
    """'Mười địa phương đứng đầu PCI 2020:' then '1. Quảng Ninh: 75.09 điểm', '2. Đồng Tháp, ...: 72.81 điểm': the
    top of a ranking written as a numbered list. The numbers are places only when the line over the list names the
    top of the whole ranking, the list counts 1, 2, 3, ... and every score is no higher than the one before (a
    serial number of any other list is not a place)."""
    tables, used = [], set()
    n = 1
    while n < len(blocks):
        m = _NUMBERED_ROW.match(blocks[n].strip())
        head = blocks[n - 1].strip()
        if not m or m.group("n") != "1" or not _TOP_LIST_HEAD.search(head) or _NOT_TOP_LIST_HEAD.search(head):
            n += 1
            continue
        rows, j, last = [], n, None
        while j < len(blocks) and (m := _NUMBERED_ROW.match(blocks[j].strip())) and int(m.group("n")) == len(rows) + 1:
            units = [u for u in find_units(m.group("name")) if u.kind in ("province", "ministry")]
            token = m.group("score") or m.group("score2")
            score = float(token.replace(",", "."))
            if len(units) != 1 or last is not None and score > last:
                break
            rows.append([m.group("n"), units[0].name, token])
            last, j = score, j + 1
        if len(rows) >= 3:
            tables.append(Table(rows=[["Xếp hạng", "Tỉnh", "Điểm"]] + rows, header_rows=1, context=head))
            used.update(range(n, j))
        n = max(j, n + 1)
    return tables, used


def tables_in_text(blocks: list[str]) -> tuple[list[Table], list[str]]:
    """The flattened ranking tables among a document's blocks, and the blocks that are left as prose."""
    if len(blocks) < 4:
        return [], blocks
    # which readers could find anything: a '|' row; a header line naming units and a score or rank; a short header
    # cell (most pages have none of these, and are done here)
    readers = [r for r, wanted in (
        (_pipe_tables, any(b.startswith("|") for b in blocks)),
        (_spaced_tables, any(len(b) <= 90 and P.TABLE_UNIT_HEAD.search(b) and P.TABLE_SCORE_HEAD.search(b)
                             and P.TABLE_RANK_HEAD.search(b) for b in blocks)),
        (_row_tables, any(b.startswith(("Năm", "Year", "Chỉ số Năm", "Chỉ tiêu Năm")) for b in blocks)),
        (_cell_tables, any(len(b) <= 30 and (P.TABLE_RANK_HEAD.search(b) or P.TABLE_UNIT_HEAD.search(b))
                           for b in blocks)),
        (_numbered_tables, any(b.startswith("1. ") or b.startswith("1) ") for b in blocks)),
        (_index_year_tables, any(" | " in b and re.search(r"(?:^|\|)\s*Chỉ số\s*\|", b) for b in blocks))) if wanted]
    if not readers:
        return [], blocks  # no header of any kind: no flattened table
    tables, used = [], set()
    for reader in readers:
        # each reader sees only the blocks the readers before it left (a pipe row is not a cell of another table)
        rest = [b if k not in used else "" for k, b in enumerate(blocks)]
        found, taken = reader(rest)
        tables += found
        used |= taken
    if not used:
        return [], blocks
    return tables, [b for n, b in enumerate(blocks) if n not in used]
