"""Landing raw pages: crawl results are staged as Parquet per source, then appended to raw.* in one transaction.

Staging decouples crawling (many sources at once, in threads or elsewhere) from the single DuckDB writer, and a
crash between the two loses nothing that was fetched: the staged files are still there to land.
raw.pages is append-only: a page version already held (same URL, same sha256) is not stored again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from paretl.crawl.fetcher import CrawlResult, FetchRecord, Known, PageRecord

_PAGE_SCHEMA = pa.schema([
    ("url", pa.string()), ("final_url", pa.string()), ("source_id", pa.string()), ("role", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")), ("status", pa.int32()), ("content_type", pa.string()),
    ("charset", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()), ("sha256", pa.string()),
    ("body", pa.binary()),
])
_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("role", pa.string()),
    ("attempt", pa.int32()), ("started_at", pa.timestamp("us", tz="UTC")), ("elapsed_ms", pa.float64()),
    ("status", pa.int32()), ("outcome", pa.string()), ("error", pa.string()), ("final_url", pa.string()),
    ("bytes", pa.int64()),
])


def _table(records, cls, schema: pa.Schema) -> pa.Table:
    names = [f.name for f in dataclasses.fields(cls)]
    cols = {n: [getattr(r, n) for r in records] for n in names}
    return pa.table({n: pa.array(cols[n], type=schema.field(n).type) for n in schema.names})


def write_staging(result: CrawlResult, staging_dir: str | Path) -> dict[str, str]:
    """Write one source's crawl to staging_dir/<source>.pages.parquet and .log.parquet; return the paths."""
    d = Path(staging_dir)
    d.mkdir(parents=True, exist_ok=True)
    pages = d / f"{result.source_id}.pages.parquet"
    logp = d / f"{result.source_id}.log.parquet"
    pq.write_table(_table(result.pages, PageRecord, _PAGE_SCHEMA), pages.with_suffix(".tmp"))
    pq.write_table(_table(result.log, FetchRecord, _LOG_SCHEMA), logp.with_suffix(".tmp"))
    pages.with_suffix(".tmp").replace(pages)
    logp.with_suffix(".tmp").replace(logp)
    return {"pages_path": str(pages), "log_path": str(logp)}


def known_pages(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, Known]:
    """Validators of the latest version of every URL of a source; bodies only for listing pages."""
    rows = con.execute("""
        SELECT url, etag, last_modified, sha256, CASE WHEN role = 'listing' THEN body END, charset
        FROM raw.pages WHERE source_id = ?
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
    """, [source_id]).fetchall()
    return {r[0]: Known(etag=r[1], last_modified=r[2], sha256=r[3], body=r[4], charset=r[5]) for r in rows}


def land(con: duckdb.DuckDBPyConnection, staged: list[dict[str, str]], run_id: str) -> dict[str, int]:
    """Append staged crawls to raw.*; returns how many new page versions and log rows landed."""
    new_pages = logged = 0
    con.execute("BEGIN")
    try:
        for paths in staged:
            pages = pq.read_table(paths["pages_path"])
            log = pq.read_table(paths["log_path"])
            before = con.execute("SELECT count(*) FROM raw.pages").fetchall()[0][0]
            con.register("staged_pages", pages)
            con.execute("""
                INSERT INTO raw.pages
                SELECT s.*, ? AS run_id FROM (
                    SELECT * FROM staged_pages
                    QUALIFY row_number() OVER (PARTITION BY url, sha256 ORDER BY fetched_at) = 1
                ) s
                WHERE NOT EXISTS (SELECT 1 FROM raw.pages p WHERE p.url = s.url AND p.sha256 = s.sha256)
            """, [run_id])
            con.unregister("staged_pages")
            new_pages += con.execute("SELECT count(*) FROM raw.pages").fetchall()[0][0] - before
            con.register("staged_log", log)
            con.execute("INSERT INTO raw.fetch_log SELECT * FROM staged_log")
            con.unregister("staged_log")
            logged += log.num_rows
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"new_page_versions": new_pages, "fetch_attempts": logged}
