"""The warehouse file: its schemas and tables, and how to open it.

    raw     pages exactly as fetched (append-only, one row per distinct version) and every fetch attempt
    core    facts extracted from the latest version of each page, the province and ministry dimensions
    marts   tables built by the SQL models in sql/ for analysts and BI tools
    ops     run records

DuckDB allows one read-write process at a time and does not wait for the lock, so the pipeline opens the
private working file only inside a stage and closes it after; analysts read the published copy.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from paretl import reference
from paretl.errors import ParetlError

DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE IF NOT EXISTS raw.pages (
    url            VARCHAR NOT NULL,   -- the URL asked for
    final_url      VARCHAR,            -- after same-site redirects
    source_id      VARCHAR NOT NULL,
    role           VARCHAR,            -- listing | article
    fetched_at     TIMESTAMPTZ NOT NULL,
    status         INTEGER,
    content_type   VARCHAR,
    charset        VARCHAR,
    etag           VARCHAR,
    last_modified  VARCHAR,
    sha256         VARCHAR NOT NULL,
    body           BLOB NOT NULL,      -- the bytes as served
    run_id         VARCHAR,
    PRIMARY KEY (url, sha256)
);

CREATE TABLE IF NOT EXISTS raw.fetch_log (
    run_id      VARCHAR NOT NULL,
    source_id   VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    role        VARCHAR,
    attempt     INTEGER,
    started_at  TIMESTAMPTZ,
    elapsed_ms  DOUBLE,
    status      INTEGER,
    outcome     VARCHAR NOT NULL,      -- ok, not_modified, http_4xx, http_5xx, timeout, too_large, ...
    error       VARCHAR,
    final_url   VARCHAR,
    bytes       BIGINT
);

CREATE TABLE IF NOT EXISTS core.provinces (
    unit_code       VARCHAR NOT NULL,
    unit_name       VARCHAR NOT NULL,
    era             INTEGER NOT NULL,  -- 63: index years up to 2024; 34: from 2025
    region          VARCHAR,
    division_type   VARCHAR,
    successor_code  VARCHAR,           -- 63-era unit: the 34-era unit it became on 2025-07-01
    variants        VARCHAR[],
    PRIMARY KEY (era, unit_code)
);

CREATE TABLE IF NOT EXISTS core.province_lineage (
    old_code VARCHAR NOT NULL, old_name VARCHAR NOT NULL, new_code VARCHAR NOT NULL, new_name VARCHAR NOT NULL,
    effective_date DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS core.sources (
    source_id VARCHAR PRIMARY KEY, province_code VARCHAR, kind VARCHAR, start_urls VARCHAR[],
    allowed_domains VARCHAR[]
);

CREATE TABLE IF NOT EXISTS core.ministries (unit_name VARCHAR PRIMARY KEY, variants VARCHAR[]);

CREATE TABLE IF NOT EXISTS core.index_facts (
    fact_id            VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,  -- the page's canonical URL (else the fetched one)
    page_url           VARCHAR NOT NULL,  -- raw.pages.url
    page_sha256        VARCHAR NOT NULL,  -- raw.pages.sha256: the exact version read
    source_id          VARCHAR,
    published          DATE,
    unit_kind          VARCHAR NOT NULL,
    unit_code          VARCHAR,
    unit_name          VARCHAR NOT NULL,
    "index"            VARCHAR NOT NULL,
    index_year         INTEGER NOT NULL,
    metric             VARCHAR NOT NULL,
    score              DOUBLE,
    score_unit         VARCHAR,
    rank               INTEGER,
    rank_of            INTEGER,
    prior_rank         INTEGER,
    rank_change        INTEGER,
    evidence           VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.activity_facts (
    fact_id            VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,
    page_url           VARCHAR NOT NULL,
    page_sha256        VARCHAR NOT NULL,
    source_id          VARCHAR,
    published          DATE,
    unit_code          VARCHAR,
    unit_name          VARCHAR,
    index_year         INTEGER NOT NULL,
    metric             VARCHAR NOT NULL,
    value              DOUBLE NOT NULL,
    total              DOUBLE,
    unit               VARCHAR,
    level              VARCHAR,
    evidence           VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.page_extractions (
    page_url           VARCHAR NOT NULL,
    page_sha256        VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL,
    extracted_at       TIMESTAMPTZ NOT NULL,
    title              VARCHAR,
    published          DATE,
    n_index_facts      INTEGER,
    n_activity_facts   INTEGER,
    warnings           VARCHAR[],
    error              VARCHAR,
    PRIMARY KEY (page_url)
);

CREATE TABLE IF NOT EXISTS ops.runs (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    status       VARCHAR,      -- running | published | audit_failed | failed
    detail       JSON
);

CREATE TABLE IF NOT EXISTS ops.audit_results (
    run_id VARCHAR, audit VARCHAR, failing_rows BIGINT, sample JSON, checked_at TIMESTAMPTZ
);
"""


# DuckDB's buffer pool may grow to 80% of the machine's memory by default; landing a big crawl then holds
# gigabytes of page bodies. A cap keeps the job's memory flat (DuckDB spills to disk past it).
MEMORY_LIMIT = os.environ.get("PARETL_DUCKDB_MEMORY", "384MB")


@contextlib.contextmanager
def connect(path: str | Path, *, read_only: bool = False, memory_limit: str | None = None, threads: int | None = None):
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit or MEMORY_LIMIT}
    if threads:
        config["threads"] = threads
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        msg = str(exc).splitlines()[0]
        raise ParetlError(f"cannot open warehouse {path}: {msg}") from None
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    _load_reference(con)


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reload the dimensions from the package's reference files: they are small and must match the code."""
    rows = [(p.code, p.name, p.era, p.region, p.division_type, p.successor_code, list(p.variants))
            for p in (*reference.provinces_63(), *reference.provinces_34())]
    tbl = pa.table({k: [r[i] for r in rows] for i, k in enumerate(
        ["unit_code", "unit_name", "era", "region", "division_type", "successor_code", "variants"])})
    by34 = reference.province_by_code(34)
    lin = [(p.code, p.name, p.successor_code, by34[p.successor_code].name, reference.MERGER_DATE)
           for p in reference.provinces_63() if p.successor_code in by34]
    lin_tbl = pa.table({k: [r[i] for r in lin] for i, k in enumerate(
        ["old_code", "old_name", "new_code", "new_name", "effective_date"])})
    min_tbl = pa.table({"unit_name": [m.name for m in reference.ministries()],
                        "variants": [list(m.variants) for m in reference.ministries()]})
    con.register("ref_provinces", tbl)
    con.register("ref_lineage", lin_tbl)
    con.register("ref_ministries", min_tbl)
    con.execute("BEGIN")
    con.execute("DELETE FROM core.provinces; INSERT INTO core.provinces SELECT * FROM ref_provinces")
    con.execute("DELETE FROM core.province_lineage; "
                "INSERT INTO core.province_lineage SELECT old_code, old_name, new_code, new_name, "
                "CAST(effective_date AS DATE) FROM ref_lineage")
    con.execute("DELETE FROM core.ministries; INSERT INTO core.ministries SELECT * FROM ref_ministries")
    con.execute("COMMIT")
    for name in ("ref_provinces", "ref_lineage", "ref_ministries"):
        con.unregister(name)


def register_sources(con: duckdb.DuckDBPyConnection, sources) -> None:
    """Record the registry's sources: extraction needs each page's province long after the crawl."""
    for s in sources:
        con.execute("INSERT OR REPLACE INTO core.sources VALUES (?, ?, ?, ?, ?)",
                    [s.id, s.province_code, s.kind, list(s.start_urls), list(s.allowed_domains)])


def table_counts(con: duckdb.DuckDBPyConnection, schemas=("raw", "core", "marts")) -> dict[str, int]:
    out = {}
    for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({','.join('?' * len(schemas))}) AND table_type = 'BASE TABLE' ORDER BY 1, 2", list(schemas)).fetchall():
        out[f"{schema}.{name}"] = con.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchall()[0][0]
    return out
