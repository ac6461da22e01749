"""The data dictionary: table and column descriptions, written once beside the SQL, stored in the warehouse.

Descriptions come from two places and go into DuckDB with COMMENT ON, so `duckdb_tables()`, `duckdb_views()` and
`duckdb_columns()` of the published file are the dictionary any SQL client or BI tool can read:

- each model file's header (src/paretl/sql/<schema>/<name>.sql):

      -- What the table is, in a sentence or more.
      -- grain: the columns that make a row unique
      -- columns:
      --   name         what it means
      --                a longer description goes on, indented deeper
      -- Notes after the columns (one space after the dashes) belong to the table's description.

- the comment lines of the warehouse DDL (warehouse.py): `-- schema.table: description` above each CREATE TABLE,
  `-- description` after each column.

`paretl docs` prints the dictionary as Markdown.
"""

from __future__ import annotations

import re

import duckdb

from paretl.errors import ParetlError

_COLUMN = re.compile(r"^--   (\"?[A-Za-z_][A-Za-z0-9_]*\"?)\s+(\S.*)$")
_CONTINUED = re.compile(r"^--\s{4,}(\S.*)$")


def parse_header(text: str, name: str = "model") -> tuple[str, dict[str, str]]:
    """(table description, {column: description}) from a model file's leading comment block."""
    head, cols, notes = [], {}, []
    section = "head"
    last = None
    for line in text.splitlines():
        line = line.rstrip()
        if not line.startswith("--"):
            if line.strip():
                break
            continue
        body = line[2:].strip()
        if section == "head" and body.lower().startswith("columns:"):
            section = "columns"
            continue
        if section == "columns":
            m = _COLUMN.match(line)
            if m:
                last = m.group(1).strip('"')
                if last in cols:
                    raise ParetlError(f"{name}: column {last!r} is described twice in the header")
                cols[last] = m.group(2).strip()
                continue
            m = _CONTINUED.match(line)
            if m and last:
                cols[last] += " " + m.group(1).strip()
                continue
            section = "notes"
        if section == "head":
            head.append(body)
        elif section == "notes":
            notes.append(body)
    doc = _sentences(head + notes)
    doc = re.sub(r"^[a-z_]+\.?[a-z_]*: ", "", doc, count=1)  # "leaderboard: ..." -> "..."
    return doc[:1].upper() + doc[1:], cols


def _sentences(lines: list[str]) -> str:
    out = []
    for line in lines:
        if re.match(r"^grain:", line, re.IGNORECASE):
            out.append("Grain: " + line.split(":", 1)[1].strip() + ".")
        elif line:
            out.append(line)
    return re.sub(r"\s+", " ", " ".join(out)).strip()


_DDL_TABLE_DOC = re.compile(r"^-- ([a-z_]+\.[a-z_]+): (.*)$")
_DDL_CREATE = re.compile(r"^CREATE TABLE IF NOT EXISTS ([a-z_]+\.[a-z_]+)")
_DDL_COLUMN = re.compile(r"^\s+(\"?[a-z_0-9]+\"?)\s+[A-Z][^-]*?--\s*(.*)$")


def ddl_docs(ddl: str) -> dict[str, tuple[str, dict[str, str]]]:
    """{table: (description, {column: description})} from the comment lines of the warehouse DDL."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    pending: list[str] = []
    table = None
    for line in ddl.splitlines():
        m = _DDL_TABLE_DOC.match(line)
        if m:
            pending = [m.group(2)]
            continue
        if line.startswith("-- ") and pending and table is None:
            pending.append(line[3:])
            continue
        m = _DDL_CREATE.match(line)
        if m:
            table = m.group(1)
            out[table] = (_sentences(pending), {})
            pending = []
            continue
        if table:
            m = _DDL_COLUMN.match(line)
            if m:
                out[table][1][m.group(1).strip('"')] = m.group(2).strip()
            if line.startswith(")"):
                table = None
    return out


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def comment(con: duckdb.DuckDBPyConnection, name: str, kind: str, doc: str, columns: dict[str, str],
            strict: bool = False) -> None:
    """COMMENT ON the table or view `name` and its columns. strict: every column must be described, and every
    description must name a column (a model's header must match its SELECT)."""
    schema, table = name.split(".")
    actual = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table]).fetchall()]
    if strict:
        missing = [c for c in actual if c not in columns]
        stale = [c for c in columns if c not in actual]
        if missing or stale:
            raise ParetlError(f"{name}: the header's columns do not match the model"
                              + (f"; undescribed: {', '.join(missing)}" if missing else "")
                              + (f"; described but absent: {', '.join(stale)}" if stale else ""))
    con.execute(f"COMMENT ON {kind} {name} IS {_quote(doc)}")
    for col in actual:
        if col in columns:
            con.execute(f'COMMENT ON COLUMN {name}."{col}" IS {_quote(columns[col])}')


def dictionary_markdown(con: duckdb.DuckDBPyConnection, schemas=("marts", "staging", "ops", "core", "raw")) -> str:
    """The data dictionary as Markdown, read back from the warehouse's own comments."""
    rel = con.execute("""
        SELECT schema_name, table_name, comment, 'table' FROM duckdb_tables() WHERE database_name = current_database()
        UNION ALL
        SELECT schema_name, view_name, comment, 'view' FROM duckdb_views()
        WHERE database_name = current_database() AND NOT internal
    """).fetchall()
    cols = con.execute("""
        SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns()
        WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index
    """).fetchall()
    by_table: dict[tuple[str, str], list] = {}
    for s, t, c, ty, cm in cols:
        by_table.setdefault((s, t), []).append((c, ty, cm))
    out = ["# paretl data dictionary", "",
           "Generated by `paretl docs` from the warehouse's own comments (`duckdb_columns()`), which the build writes "
           "from each model's header. Schemas: `marts` for analysts and BI tools (also exported as Parquet), "
           "`staging` views over the facts, `core` facts and dimensions, `raw` pages as fetched, `ops` run records.",
           ""]
    order = {s: i for i, s in enumerate(schemas)}
    for s, t, doc, kind in sorted((r for r in rel if r[0] in order), key=lambda r: (order[r[0]], r[1])):
        out += [f"## {s}.{t}", "", f"*{kind}* — {doc or '(no description)'}", "", "| column | type | description |",
                "| --- | --- | --- |"]
        for c, ty, cm in by_table.get((s, t), []):
            desc = (cm or "").replace("|", r"\|")
            out.append(f"| `{c}` | {ty} | {desc} |")
        out.append("")
    return "\n".join(out)
