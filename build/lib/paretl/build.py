"""Build the SQL models of sql/: staging views first, then mart tables, in file-name order within each folder.

Each model file is one SELECT whose file name is its table name (dbt style); its header says its grain and
columns. Views in `staging` follow raw and core automatically; marts are rebuilt whole each run, so they always
match core and running twice gives the same rows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from paretl.errors import ParetlError

LAYERS = (("staging", "VIEW"), ("marts", "TABLE"))


def sql_dir() -> Path:
    d = Path(os.environ.get("PARETL_SQL_DIR") or Path(__file__).resolve().parents[2] / "sql")
    if not d.is_dir():
        raise ParetlError(f"SQL models not found at {d}; set PARETL_SQL_DIR or install paretl from its checkout")
    return d


def models(root: Path | None = None) -> list[tuple[str, str, Path]]:
    """(schema, kind, file) for every model, in build order."""
    root = root or sql_dir()
    return [(schema, kind, f) for schema, kind in LAYERS for f in sorted((root / schema).glob("*.sql"))]


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8").strip().rstrip(";")
    if not re.search(r"^\s*(WITH|SELECT)\b", re.sub(r"--[^\n]*", "", text), re.IGNORECASE):
        raise ParetlError(f"model {path} must be a single SELECT (or WITH ... SELECT)")
    return text


def build(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> dict[str, int]:
    """Create or replace every model; returns the row count of each mart."""
    counts: dict[str, int] = {}
    con.execute("CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS marts")
    for schema, kind, path in models(root):
        name = f"{schema}.{path.stem}"
        try:
            con.execute(f"CREATE OR REPLACE {kind} {name} AS\n{_body(path)}")
        except duckdb.Error as exc:
            raise ParetlError(f"model {name} ({path.name}) failed: {str(exc).splitlines()[0]}") from None
        if kind == "TABLE":
            counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    return counts
