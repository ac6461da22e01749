"""Audits: plain SQL queries in sql/audits/ that must return no rows.

A query whose header says `-- severity: warn` is reported but does not block publication; every other failing
audit does. Results are recorded in ops.audit_results with a sample of the offending rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paretl.build import sql_dir


@dataclass
class AuditResult:
    name: str
    failing_rows: int
    blocking: bool
    sample: list[dict]
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0 and self.error is None


def run_audits(con: duckdb.DuckDBPyConnection, run_id: str, root: Path | None = None) -> list[AuditResult]:
    results = []
    for path in sorted((root or sql_dir()).joinpath("audits").glob("*.sql")):
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        blocking = "-- severity: warn" not in sql
        try:
            cur = con.execute(f"SELECT * FROM ({sql}) LIMIT 1000")
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            sample = [dict(zip(cols, map(_jsonable, r))) for r in rows[:5]]
            results.append(AuditResult(path.stem, len(rows), blocking, sample))
        except duckdb.Error as exc:
            results.append(AuditResult(path.stem, 0, True, [], str(exc).splitlines()[0]))
    now = dt.datetime.now(dt.timezone.utc)
    con.execute("DELETE FROM ops.audit_results WHERE run_id = ?", [run_id])
    for r in results:
        con.execute("INSERT INTO ops.audit_results VALUES (?, ?, ?, ?, ?)",
                    [run_id, r.name, r.failing_rows, json.dumps(r.sample if not r.error else {"error": r.error},
                                                                ensure_ascii=False), now])
    return results


def _jsonable(v):
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return str(v)
