"""Extract facts from stored raw pages and load them into core.*.

core holds the facts of the latest version of each article page under the current extractor version. A page is
re-read only when it changed or the extractor did (or when asked to: `paretl reextract`), and its facts replace
its previous ones in one transaction, so running twice leaves the same rows.

Three steps, so that extraction can run anywhere while the warehouse keeps its single writer:
  plan      (the writer) which pages need reading, as batches of Parquet files: the run's staged crawl parts
            where the pages are still there, else batches exported from raw.pages
  extract   (anyone: a process pool over the cores, or Dask workers) one batch file in, one facts file out
  load      (the writer) the facts files into core.*, replacing the facts of the pages they cover
Memory is bounded by a batch, whatever the number of pages: no step holds every body or every fact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing as mp
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from paretl import bodies, metrics
from paretl.extract import EXTRACTOR_VERSION, extract_page

BATCH = 200           # pages per exported batch
PARALLEL_THRESHOLD = 64  # fewer pending pages than this are read in-process: a pool costs more than it saves

_INDEX_SCHEMA = pa.schema([
    ("fact_id", pa.string()), ("url", pa.string()), ("page_url", pa.string()), ("page_sha256", pa.string()),
    ("source_id", pa.string()), ("published", pa.date32()), ("unit_kind", pa.string()), ("unit_code", pa.string()),
    ("unit_name", pa.string()), ("index", pa.string()), ("index_year", pa.int32()), ("metric", pa.string()),
    ("score", pa.float64()), ("score_unit", pa.string()), ("rank", pa.int32()), ("rank_of", pa.int32()),
    ("prior_rank", pa.int32()), ("rank_change", pa.int32()), ("evidence", pa.string()),
    ("extractor_version", pa.string()), ("attribution", pa.string()),
])
_ACTIVITY_SCHEMA = pa.schema([
    ("fact_id", pa.string()), ("url", pa.string()), ("page_url", pa.string()), ("page_sha256", pa.string()),
    ("source_id", pa.string()), ("published", pa.date32()), ("unit_code", pa.string()), ("unit_name", pa.string()),
    ("index_year", pa.int32()), ("metric", pa.string()), ("value", pa.float64()), ("total", pa.float64()),
    ("unit", pa.string()), ("level", pa.string()), ("evidence", pa.string()), ("extractor_version", pa.string()),
    ("period", pa.string()), ("reporter", pa.string()),
])
_EXTRACTION_SCHEMA = pa.schema([
    ("page_url", pa.string()), ("page_sha256", pa.string()), ("extractor_version", pa.string()),
    ("extracted_at", pa.timestamp("us", tz="UTC")), ("title", pa.string()), ("published", pa.date32()),
    ("n_index_facts", pa.int32()), ("n_activity_facts", pa.int32()), ("warnings", pa.list_(pa.string())),
    ("error", pa.string()), ("legacy_encoding", pa.string()),
])
_TABLES = (("index", "core.index_facts", _INDEX_SCHEMA), ("activity", "core.activity_facts", _ACTIVITY_SCHEMA),
           ("pages", "core.page_extractions", _EXTRACTION_SCHEMA))


# -- plan (the writer) ----------------------------------------------------------------------------------------------
def _pending_sql(force: bool, exclude: bool = False) -> str:
    """(url, sha256) of the latest version of every article page that the current extractor has not read (and,
    with exclude, that is not in the registered table `early_keys`)."""
    unread = "" if force else """LEFT JOIN core.page_extractions e ON e.page_url = l.url AND e.page_sha256 = l.sha256
                                   AND e.extractor_version = ? WHERE e.page_url IS NULL"""
    early = ("AND" if unread else "WHERE") + """ NOT EXISTS (SELECT 1 FROM early_keys k
                                              WHERE k.url = l.url AND k.sha256 = l.sha256)"""
    return f"""
        WITH latest AS (
            SELECT url, sha256 FROM raw.pages WHERE role = 'article'
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        )
        SELECT l.url, l.sha256 FROM latest l
        {unread}
        {early if exclude else ''}
        ORDER BY l.url
    """


def plan(con: duckdb.DuckDBPyConnection, out_dir: str | Path, *, force: bool = False,
         staged_parts: list[str] = (), batch: int = BATCH,
         exclude: pa.Table | None = None) -> tuple[list[dict], dict[str, str | None]]:
    """The batches of pages to extract, and each source's province (for 'tỉnh ta').

    A batch is {"path": Parquet file with url, sha256, source_id, body, body_codec, body_size (paretl.bodies),
    charset, content_type, "keys": the (url, sha256) pairs of it to read (None: all), "pages": how many}. Pages
    still in this run's staged crawl parts are read from there (no second copy of their bodies); the rest are
    exported from raw.pages, their bodies as stored (extraction decompresses them).

    exclude: (url, sha256) already being read (extraction that started with the landing), as an Arrow table with
    those columns: left out in DuckDB, so that a first run's tens of thousands of pending pages, all being read
    already, never become Python tuples here."""
    excluding = exclude is not None and exclude.num_rows > 0
    if excluding:
        con.register("early_keys", exclude)
    try:
        pending = con.execute(_pending_sql(force, excluding), [] if force else [EXTRACTOR_VERSION]).fetchall()
    finally:
        if excluding:
            con.unregister("early_keys")
    provinces = source_provinces(con)
    if not pending:
        return [], provinces
    wanted = set(pending)
    batches = []
    for part in staged_parts:
        t = pq.read_table(part, columns=["url", "sha256", "role"])
        keys = [k for k, role in zip(zip(t.column("url").to_pylist(), t.column("sha256").to_pylist()),
                                     t.column("role").to_pylist()) if role == "article" and k in wanted]
        if keys:
            wanted.difference_update(keys)
            batches.append({"path": str(part), "keys": [list(k) for k in keys], "pages": len(keys)})
    rest = [k for k in pending if k in wanted]
    if not wanted:
        return batches, provinces
    if rest:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for i in range(0, len(rest), batch):
            chunk = rest[i:i + batch]
            target = out / f"pages-{uuid.uuid4().hex[:8]}-{i // batch:05d}.parquet"
            con.register("batch_keys", pa.table({"url": [k[0] for k in chunk], "sha256": [k[1] for k in chunk]}))
            con.execute(f"""
                COPY (SELECT p.url, p.sha256, p.source_id, p.role, p.body, p.body_codec, p.body_size, p.charset,
                             p.content_type
                      FROM batch_keys k JOIN raw.pages p USING (url, sha256) ORDER BY p.url)
                TO '{target}' (FORMAT parquet, COMPRESSION lz4)""")
            con.unregister("batch_keys")
            batches.append({"path": str(target), "keys": None, "pages": len(chunk)})
    return batches, provinces


def source_provinces(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Each source's province as the extractor reads 'tỉnh ta': its 63-era code, or for a source of the 34-unit
    map only, the 63-era unit whose name it carries on (the extractor maps it to each index year's unit)."""
    from paretl.sources import code_63_for_34

    return {sid: code or (code_63_for_34(code34) if code34 else None) for sid, code, code34 in con.execute(
        "SELECT source_id, province_code, province_code_34 FROM core.sources").fetchall()}


# -- extract (anyone) -----------------------------------------------------------------------------------------------
def legacy_to_unicode(body: bytes, charset: str | None) -> tuple[bytes | str, str | None, str | None]:
    """(what to extract from, its charset, the legacy font encoding found): a page in TCVN3 or VNI is decoded and
    converted to Unicode first (vnencoding), any other page goes to the extractor as it came."""
    from paretl.crawl.fetcher import decode_body
    from paretl.vnencoding import to_unicode

    if body.isascii():
        return body, charset, None
    try:
        text, used = decode_body(body, charset)
    except (UnicodeDecodeError, LookupError):
        return body, charset, None
    converted, encoding = to_unicode(text)
    if encoding is None:
        return body, charset, None
    return converted, "utf-8", encoding


def _extract_one(url, sha, source_id, stored: tuple, charset, ctype, province) -> dict:
    """stored: (body, body_codec, body_size) as staged or as in raw.pages."""
    try:
        body = bodies.page_body(*stored)  # a body that cannot be read back is this page's error, like a bad page
        data, charset, legacy = legacy_to_unicode(body, charset)
        res = extract_page(data, url=url, charset=charset, content_type=(ctype or "").split(";")[0] or None,
                           source_province_code=province)
        warnings = list(res.warnings) + ([f"legacy font encoding {legacy.upper()}: converted to Unicode before "
                                          "reading"] if legacy else [])
        return {"url": url, "sha": sha, "source_id": source_id, "title": res.title, "published": res.published,
                "facts": res.facts, "warnings": warnings, "error": None, "legacy_encoding": legacy}
    except Exception as exc:  # one bad page must not stop the batch: it is recorded with its reason
        return {"url": url, "sha": sha, "source_id": source_id, "title": None, "published": None, "facts": [],
                "warnings": [], "error": f"{type(exc).__name__}: {exc}"[:500], "legacy_encoding": None}


def _fact_id(*parts) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:20]


def _rows(results: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
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
                         "error": r["error"], "legacy_encoding": r.get("legacy_encoding")})
    return idx_rows, act_rows, ext_rows


def extract_batch(batch: dict, provinces: dict[str, str | None], out_dir: str | Path) -> dict:
    """Read one batch file, extract its pages, write their facts to out_dir; return the files and counts.
    Pure: no warehouse, so it runs in a pool process or on a Dask worker alike."""
    stored = bodies.columns_of(pq.read_schema(batch["path"]).names)  # a part staged before compression: body only
    t = pq.read_table(batch["path"], columns=["url", "sha256", "source_id", "role", "charset", "content_type"]
                      + stored)
    if batch.get("rows") is not None:  # the rows of a staged part to read (StagingWriter.new_articles)
        t = t.take(pa.array(batch["rows"], pa.int32()))
    keys = {tuple(k) for k in batch["keys"]} if batch.get("keys") is not None else None
    results = []
    cols = [t.column(c) for c in ("url", "sha256", "source_id", "role", "charset", "content_type")]
    body, codec, size = (t.column(c) if c in stored else None for c in bodies.COLUMNS)
    for i in range(t.num_rows):
        url, sha, source_id, role = (cols[j][i].as_py() for j in range(4))
        if role != "article" or (keys is not None and (url, sha) not in keys):
            continue
        row = (body[i].as_py(), codec[i].as_py() if codec is not None else bodies.IDENTITY,
               size[i].as_py() if size is not None else None)
        results.append(_extract_one(url, sha, source_id, row, cols[4][i].as_py(), cols[5][i].as_py(),
                                    provinces.get(source_id)))
    del t, cols, body, codec, size
    return write_facts(results, out_dir)


def write_facts(results: list[dict], out_dir: str | Path) -> dict:
    """The facts of extracted pages as Parquet files in out_dir, ready for load()."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"facts-{uuid.uuid4().hex[:12]}"
    files = {}
    for (kind, _, schema), rows in zip(_TABLES, _rows(results)):
        if rows:
            target = out / f"{stem}.{kind}.parquet"
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), target)
            files[kind] = str(target)
    return {"files": files, "pages": len(results), "errors": sum(1 for r in results if r["error"]),
            "peak_rss_mb": metrics.peak_rss_mb(), "pid": os.getpid()}


def _worker_init() -> None:
    metrics.reset_peak()


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean interpreter with the extractor preloaded, not a copy of this process
    # (its threads, its DuckDB buffers), so their memory is their own and small.
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["paretl.load"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


class EarlyExtraction:
    """Extraction of a run's new article versions started as soon as they are staged, in a process pool over the
    cores, so that it overlaps the landing (one DuckDB thread) instead of waiting for it. The rest of the stage
    (pages the plan finds pending besides these) reuses the pool."""

    def __init__(self, provinces: dict, out_dir: str | Path, workers: int | None = None):
        self.provinces, self.out_dir = provinces, str(out_dir)
        self.pool = _pool(workers or os.cpu_count() or 1)
        self.futures: list = []
        self.parts: list[tuple[str, list[int]]] = []  # (staged part, rows of it) submitted

    def submit(self, path: str, rows) -> None:
        """Read these rows (row numbers) of a staged page part."""
        rows = rows.to_pylist() if isinstance(rows, pa.Array) else list(rows)
        self.parts.append((path, rows))
        self.futures.append(self.pool.submit(extract_batch, {"path": path, "keys": None, "rows": rows,
                                                             "pages": len(rows)}, self.provinces, self.out_dir))

    def submit_staged(self, staged: list[dict]) -> None:
        for s in staged:
            for path, rows in zip(s.get("pages_paths", []), s.get("new_articles", [])):
                if len(rows):
                    self.submit(path, rows)

    @property
    def keys(self) -> pa.Table:
        """(url, sha256) of every page submitted, read back from the parts (plan leaves them out)."""
        tables = [pq.read_table(path, columns=["url", "sha256"]).take(pa.array(rows, pa.int32()))
                  for path, rows in self.parts]
        return pa.concat_tables(tables) if tables else pa.table({"url": pa.array([], pa.string()),
                                                                 "sha256": pa.array([], pa.string())})

    def results(self) -> list[dict]:
        return [f.result() for f in self.futures]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def extract_local(batches: list[dict], provinces: dict, out_dir: str | Path, *, workers: int | None = None,
                  progress=None, pool: ProcessPoolExecutor | None = None) -> list[dict]:
    """Extract every batch over the machine's cores (one pool for the stage); small jobs in-process."""
    workers = workers or os.cpu_count() or 1
    progress = progress or (lambda msg: None)
    total = sum(b["pages"] for b in batches)
    if pool is None and (workers <= 1 or total < PARALLEL_THRESHOLD):
        return [extract_batch(b, provinces, out_dir) for b in batches]
    out, done = [], 0
    own = pool is None
    pool = pool or _pool(workers)
    try:
        for res in pool.map(extract_batch, batches, [provinces] * len(batches), [str(out_dir)] * len(batches)):
            out.append(res)
            done += res["pages"]
            if len(out) % 25 == 0 or len(out) == len(batches):
                progress(f"extracted {done}/{total} pages")
    finally:
        if own:
            pool.shutdown()
    return out


# -- load (the writer) ----------------------------------------------------------------------------------------------
# Facts files per transaction: a 50,000-page run leaves ~1,250 small facts files per kind (the early extraction
# writes one per staged part). One DuckDB read over all of them took +126 MB of the process for ~10 MB of rows; 100
# files a read in one transaction, +75 MB at 50,000 pages (+48 at 10,000, +18 at 1,000): a transaction holds what
# it inserted in memory until it commits, whatever the memory cap, and each file read has a reader of its own. 25
# files a transaction keeps both to one small batch (with pipeline.LOAD_MEMORY_STEPS: +37 / +23 MB).
LOAD_FILES_PER_READ = 25


def load(con: duckdb.DuckDBPyConnection | None, results: list[dict]) -> dict[str, int]:
    """Replace the facts of every page the results cover, LOAD_FILES_PER_READ results a transaction: a page's
    facts, its extraction record and the removal of its previous ones commit together (a load that fails part-way
    leaves the rest of the pages pending, read again by the next run). Returns counts. (con may be None when the
    results hold no page: nothing is written.)"""
    counts = {"pages": sum(r["pages"] for r in results), "index_facts": 0, "activity_facts": 0,
              "errors": sum(r["errors"] for r in results)}
    with_pages = [r for r in results if "pages" in r["files"]]
    for i in range(0, len(with_pages), LOAD_FILES_PER_READ):
        n = _load_batch(con, with_pages[i:i + LOAD_FILES_PER_READ])
        counts["index_facts"] += n["index"]
        counts["activity_facts"] += n["activity"]
    return counts


def _load_batch(con: duckdb.DuckDBPyConnection, results: list[dict]) -> dict[str, int]:
    files = {kind: [r["files"][kind] for r in results if kind in r["files"]] for kind, _, _ in _TABLES}
    inserted = {kind: 0 for kind, _, _ in _TABLES}
    con.execute("BEGIN")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE done_urls AS SELECT DISTINCT page_url FROM read_parquet(?)",
                    [files["pages"]])
        for _, table, _ in _TABLES:
            con.execute(f"DELETE FROM {table} WHERE page_url IN (SELECT page_url FROM done_urls)")
        for kind, table, schema in _TABLES:
            if files[kind]:
                cols = ", ".join(f'"{c}"' for c in schema.names)
                inserted[kind] = con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?)",
                                             [files[kind]]).fetchall()[0][0]
        con.execute("DROP TABLE done_urls")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return inserted


def extract_and_load(con: duckdb.DuckDBPyConnection, work_dir: str | Path, *, force: bool = False,
                     staged_parts: list[str] = (), workers: int | None = None, progress=None) -> dict[str, int]:
    """Plan, extract over the local cores and load: the whole step on one machine. Returns counts."""
    batches, provinces = plan(con, work_dir, force=force, staged_parts=staged_parts)
    results = extract_local(batches, provinces, work_dir, workers=workers, progress=progress)
    return load(con, results)
