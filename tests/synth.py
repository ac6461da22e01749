"""Facts written for the model tests: loaded into a real DuckDB warehouse the way load.py loads them (Arrow), each
with a stored page version behind it so that the provenance audit holds."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pyarrow as pa

from paretl.warehouse import ensure_schema

NOW = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)

INDEX_DEFAULTS = {"unit_kind": "province", "unit_code": None, "metric": "total", "score": None, "score_unit": None,
                  "rank": None, "rank_of": None, "prior_rank": None, "rank_change": None, "published": None}
ACTIVITY_DEFAULTS = {"unit_code": "20", "unit_name": "Lạng Sơn", "total": None, "unit": "dossiers",
                     "level": "province", "period": None, "reporter": None, "published": None}


def warehouse(path=None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path) if path else ":memory:")
    ensure_schema(con)
    return con


def _pages(con, urls):
    rows = [{"url": u, "final_url": u, "source_id": "test", "role": "article", "fetched_at": NOW, "status": 200,
             "content_type": "text/html", "charset": "utf-8", "etag": None, "last_modified": None,
             "sha256": hashlib.sha256(u.encode()).hexdigest(), "body": u.encode(), "run_id": "test"}
            for u in sorted(set(urls))]
    con.register("new_pages", pa.Table.from_pylist(rows))
    con.execute("INSERT OR IGNORE INTO raw.pages BY NAME SELECT * FROM new_pages")
    con.unregister("new_pages")


def add_index_facts(con, facts: list[dict]) -> None:
    """Each fact needs url, unit_name, index, index_year (unit_code for provinces); the rest defaults."""
    rows = []
    for f in facts:
        f = {**INDEX_DEFAULTS, **f}
        key = "|".join(str(f[k]) for k in ("url", "unit_kind", "unit_code", "unit_name", "index", "index_year",
                                           "metric"))
        rows.append({**f, "fact_id": hashlib.sha1(key.encode()).hexdigest()[:20], "page_url": f["url"],
                     "page_sha256": hashlib.sha256(f["url"].encode()).hexdigest(), "source_id": "test",
                     "evidence": f.get("evidence") or f"{f['unit_name']} {f['index']} {f['index_year']}: "
                                                        f"{f['score']} điểm, xếp thứ {f['rank']}",
                     "extractor_version": "test"})
    _pages(con, [r["url"] for r in rows])
    con.register("new_facts", pa.Table.from_pylist(rows))
    con.execute("INSERT INTO core.index_facts BY NAME SELECT * FROM new_facts")
    con.unregister("new_facts")


def add_activity_facts(con, facts: list[dict]) -> None:
    rows = []
    for i, f in enumerate(facts):
        f = {**ACTIVITY_DEFAULTS, **f}
        rows.append({**f, "fact_id": f"act{i}-{hashlib.sha1(repr(sorted(f.items())).encode()).hexdigest()[:12]}",
                     "page_url": f["url"], "page_sha256": hashlib.sha256(f["url"].encode()).hexdigest(),
                     "source_id": "test", "evidence": f"{f['metric']} {f['value']}", "extractor_version": "test"})
    _pages(con, [r["url"] for r in rows])
    con.register("new_facts", pa.Table.from_pylist(rows))
    con.execute("INSERT INTO core.activity_facts BY NAME SELECT * FROM new_facts")
    con.unregister("new_facts")
