"""Build the SQL models: one SELECT per file, in the order the SQL itself gives.

Each model is a file `<schema>/<name>.sql` of the package's sql/ folder (dbt style): `staging` and `ops` models are
views, `marts` models tables rebuilt whole each run, so they always match core and running twice gives the same
rows. The order is not taken from file names: DuckDB's own parser (json_serialize_sql) lists the tables each model
reads, and a model is built after every model it reads. Tables outside the models (raw.*, core.*) are sources.

Each file's header describes the model and every column it returns (see paretl.docs); the build writes them into
the warehouse with COMMENT ON and fails if a column is undescribed, so the published file documents itself.
"""

from __future__ import annotations

import graphlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

from paretl import docs
from paretl.errors import ParetlError

KINDS = {"staging": "VIEW", "marts": "TABLE", "ops": "VIEW"}


def sql_dir() -> Path:
    """The models shipped inside the package (PARETL_SQL_DIR overrides, for trying models out)."""
    env = os.environ.get("PARETL_SQL_DIR")
    d = Path(env) if env else Path(str(resources.files("paretl").joinpath("sql")))
    if not d.is_dir():
        raise ParetlError(f"SQL models not found at {d}" + ("" if env else "; the paretl package is incomplete"))
    return d


@dataclass
class Model:
    name: str  # schema.table
    kind: str  # VIEW | TABLE
    path: Path
    sql: str
    reads: set[str] = field(default_factory=set)  # every schema.table the SQL reads
    deps: set[str] = field(default_factory=set)  # the models among them

    @property
    def schema(self) -> str:
        return self.name.split(".")[0]


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8").strip().rstrip(";")
    if not re.search(r"^\s*(WITH|SELECT)\b", re.sub(r"--[^\n]*", "", text), re.IGNORECASE):
        raise ParetlError(f"model {path} must be a single SELECT (or WITH ... SELECT)")
    return text


def _tables_read(con: duckdb.DuckDBPyConnection, sql: str, name: str) -> set[str]:
    """schema.table of every table the statement reads, from DuckDB's parse tree (CTEs and subqueries included)."""
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0])
    if tree.get("error"):
        raise ParetlError(f"model {name} does not parse: {tree.get('error_message', 'syntax error')}")
    found: set[tuple[str, str]] = set()
    ctes: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                found.add((node.get("schema_name") or "", node.get("table_name") or ""))
            cte_map = node.get("cte_map")
            if isinstance(cte_map, dict):
                ctes.update(e["key"] for e in cte_map.get("map", []) if isinstance(e, dict) and "key" in e)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree)
    bare = sorted(t for s, t in found if not s and t not in ctes)
    if bare:
        # an unqualified name is ambiguous between schemas; the dependency graph needs schema.table
        raise ParetlError(f"model {name} reads {', '.join(bare)} without a schema: write schema.table")
    return {f"{s}.{t}" for s, t in found if s}


def models(root: Path | None = None, con: duckdb.DuckDBPyConnection | None = None) -> list[Model]:
    """Every model, in an order where each comes after the models it reads."""
    root = root or sql_dir()
    found: dict[str, Model] = {}
    for schema, kind in KINDS.items():
        for path in sorted((root / schema).glob("*.sql")):
            found[f"{schema}.{path.stem}"] = Model(f"{schema}.{path.stem}", kind, path, _body(path))
    parser = con or duckdb.connect()
    try:
        for m in found.values():
            m.reads = _tables_read(parser, m.sql, m.name)
            m.deps = {t for t in m.reads if t in found and t != m.name}
    finally:
        if con is None:
            parser.close()
    sorter = graphlib.TopologicalSorter({m.name: sorted(m.deps) for m in found.values()})
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as exc:
        raise ParetlError(f"models read each other in a cycle: {' -> '.join(exc.args[1])}") from None
    return [found[n] for n in order]


def select(all_models: list[Model], selector: str | None) -> list[Model]:
    """dbt-style selection: `NAME` one model, `NAME+` it and every model downstream, `+NAME` it and everything it
    needs. NAME is schema.table or, when unambiguous, the table name."""
    if not selector:
        return all_models
    down, up = selector.endswith("+"), selector.startswith("+")
    name = selector.strip("+")
    names = [m.name for m in all_models]
    matches = [n for n in names if n == name or n.split(".")[1] == name]
    if len(matches) != 1:
        raise ParetlError(f"--select {selector}: " + (f"{name} is ambiguous ({', '.join(matches)})" if matches else
                                                      f"no model {name}; models: {', '.join(sorted(names))}"))
    chosen = {matches[0]}
    by_name = {m.name: m for m in all_models}
    changed = True
    while changed:
        changed = False
        for m in all_models:
            add = set()
            if down and m.name not in chosen and m.deps & chosen:
                add.add(m.name)
            if up and m.name in chosen:
                add |= m.deps - chosen
            if add:
                chosen |= add
                changed = True
    return [by_name[n] for n in names if n in chosen]


def build(con: duckdb.DuckDBPyConnection, root: Path | None = None, selector: str | None = None,
          timings: dict[str, float] | None = None) -> dict[str, int]:
    """Create or replace the models (all, or the selected ones) in one transaction, describe them with their
    headers' comments; returns the row count of each mart built (timings, if given, gets seconds per model)."""
    counts: dict[str, int] = {}
    plan = select(models(root, con), selector)
    con.execute("CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS marts; CREATE SCHEMA IF NOT EXISTS ops")
    con.execute("BEGIN")
    try:
        for m in plan:
            t0 = time.perf_counter()
            try:
                con.execute(f"CREATE OR REPLACE {m.kind} {m.name} AS\n{m.sql}")
            except duckdb.OutOfMemoryException:
                raise  # the caller may build again with more memory (pipeline.build_stage)
            except duckdb.Error as exc:
                raise ParetlError(f"model {m.name} ({m.path.name}) failed: {str(exc).splitlines()[0]}") from None
            doc, columns = docs.parse_header(m.sql, m.name)
            docs.comment(con, m.name, m.kind, doc, columns, strict=True)
            if m.kind == "TABLE":
                counts[m.name] = con.execute(f"SELECT count(*) FROM {m.name}").fetchall()[0][0]
            if timings is not None:
                timings[m.name] = round(time.perf_counter() - t0, 3)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts
