"""Extract facts from stored raw pages and load them into core.*.

core holds the facts of the latest version of each article page under the current extractor version. A page is
re-read only when it changed or the extractor did (or when asked to: `paretl reextract`), and its facts replace
its previous ones in one transaction, so running twice leaves the same rows.
Extraction runs in a process pool over every core when there is enough work to pay for the processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor

import duckdb
import pyarrow as pa

from paretl.extract import EXTRACTOR_VERSION, extract_page

PARALLEL_THRESHOLD = 64
BATCH = 500


def _pending_sql(force: bool) -> str:
    """(url, sha256) of the latest version of every article page that the current extractor has not read."""
    return f"""
        WITH latest AS (
            SELECT url, sha256 FROM raw.pages WHERE role = 'article'
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        )
        SELECT l.url, l.sha256 FROM latest l
        {'' if force else '''LEFT JOIN core.page_extractions e ON e.page_url = l.url AND e.page_sha256 = l.sha256
                                AND e.extractor_version = ? WHERE e.page_url IS NULL'''}
        ORDER BY l.url
    """


def _extract_one(row: tuple) -> dict:
    url, sha, source_id, body, charset, ctype, province = row
    try:
        res = extract_page(body, url=url, charset=charset, content_type=(ctype or "").split(";")[0] or None,
                           source_province_code=province)
        return {"url": url, "sha": sha, "source_id": source_id, "title": res.title, "published": res.published,
                "facts": res.facts, "warnings": res.warnings, "error": None}
    except Exception as exc:  # one bad page must not stop the batch: it is recorded with its reason
        return {"url": url, "sha": sha, "source_id": source_id, "title": None, "published": None, "facts": [],
                "warnings": [], "error": f"{type(exc).__name__}: {exc}"[:500]}


def _extract_many(rows: list[tuple], workers: int) -> list[dict]:
    if workers <= 1 or len(rows) < PARALLEL_THRESHOLD:
        return [_extract_one(r) for r in rows]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_extract_one, rows, chunksize=max(1, len(rows) // (workers * 8))))


def _fact_id(*parts) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:20]


def _load(con: duckdb.DuckDBPyConnection, results: list[dict]) -> tuple[int, int]:
    now = dt.datetime.now(dt.timezone.utc)
    idx_rows, act_rows, ext_rows = [], [], []
    for r in results:
        n_idx = n_act = 0
        for f in r["facts"]:
            if f["index"] == "activity":
                n_act += 1
                act_rows.append({
                    "fact_id": _fact_id(r["url"], f["unit_code"], f["index_year"], f["metric"], f["level"], f["value"],
                                        n_act),
                    "url": f["url"] or r["url"], "page_url": r["url"], "page_sha256": r["sha"],
                    "source_id": r["source_id"], "published": r["published"], "unit_code": f["unit_code"],
                    "unit_name": f["unit_name"], "index_year": f["index_year"], "metric": f["metric"],
                    "value": f["value"], "total": f["total"], "unit": f["unit"], "level": f["level"],
                    "evidence": f["evidence"], "extractor_version": EXTRACTOR_VERSION,
                    # the activity contract's period and reporter, once the extractor gives them (docs/facts.md)
                    "period": f.get("period"), "reporter": f.get("reporter")})
            else:
                n_idx += 1
                idx_rows.append({
                    "fact_id": _fact_id(r["url"], f["unit_kind"], f["unit_code"] or f["unit_name"], f["index"],
                                        f["index_year"], f["metric"]),
                    "url": f["url"] or r["url"], "page_url": r["url"], "page_sha256": r["sha"],
                    "source_id": r["source_id"], "published": r["published"], "unit_kind": f["unit_kind"],
                    "unit_code": f["unit_code"], "unit_name": f["unit_name"], "index": f["index"],
                    "index_year": f["index_year"], "metric": f["metric"], "score": f["score"],
                    "score_unit": f["score_unit"], "rank": f["rank"], "rank_of": f["rank_of"],
                    "prior_rank": f["prior_rank"], "rank_change": f["rank_change"], "evidence": f["evidence"],
                    "extractor_version": EXTRACTOR_VERSION, "attribution": f.get("attribution")})
        ext_rows.append({"page_url": r["url"], "page_sha256": r["sha"], "extractor_version": EXTRACTOR_VERSION,
                         "extracted_at": now, "title": r["title"], "published": r["published"],
                         "n_index_facts": n_idx, "n_activity_facts": n_act, "warnings": r["warnings"],
                         "error": r["error"]})
    urls = pa.table({"page_url": [r["url"] for r in results]})
    con.execute("BEGIN")
    try:
        con.register("done_urls", urls)
        for t in ("core.index_facts", "core.activity_facts", "core.page_extractions"):
            con.execute(f"DELETE FROM {t} WHERE page_url IN (SELECT page_url FROM done_urls)")
        con.unregister("done_urls")
        for table, rows in (("core.index_facts", idx_rows), ("core.activity_facts", act_rows),
                            ("core.page_extractions", ext_rows)):
            if rows:
                cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
                arrow = pa.Table.from_pylist(rows)
                con.register("incoming", arrow)
                con.execute(f"INSERT INTO {table} SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM incoming")
                con.unregister("incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(idx_rows), len(act_rows)


def extract_and_load(con: duckdb.DuckDBPyConnection, *, force: bool = False, workers: int | None = None,
                     progress=None) -> dict[str, int]:
    """Extract every article page that needs it and load its facts. Returns counts."""
    workers = workers or os.cpu_count() or 1
    progress = progress or (lambda msg: None)
    params = [] if force else [EXTRACTOR_VERSION]
    keys = con.execute(_pending_sql(force), params).fetchall()
    pages = facts = acts = errors = 0
    for i in range(0, len(keys), BATCH):
        batch = pa.table({"url": [k[0] for k in keys[i:i + BATCH]], "sha256": [k[1] for k in keys[i:i + BATCH]]})
        con.register("batch_keys", batch)
        rows = con.execute("""
            SELECT p.url, p.sha256, p.source_id, p.body, p.charset, p.content_type, s.province_code
            FROM batch_keys k JOIN raw.pages p USING (url, sha256) LEFT JOIN core.sources s USING (source_id)
            ORDER BY p.url
        """).fetchall()
        con.unregister("batch_keys")
        results = _extract_many(rows, workers)
        n_idx, n_act = _load(con, results)
        pages += len(rows)
        facts += n_idx
        acts += n_act
        errors += sum(1 for r in results if r["error"])
        progress(f"extracted {pages}/{len(keys)} pages: {facts} index facts, {acts} activity facts")
    return {"pages": pages, "index_facts": facts, "activity_facts": acts, "errors": errors}
