"""Landing raw pages: crawl results are staged as Parquet per source, then appended to raw.* in one transaction.

Staging decouples crawling (many sources at once, in threads, processes or on other machines) from the single
DuckDB writer, and a crash between the two loses nothing that was fetched: the staged files are still there to
land. A crawl streams its pages to staging in bounded parts (StagingWriter), so memory does not grow with the size
of a source, and landing reads a bounded group of parts at a time.
raw.pages is append-only: a page version already held (same URL, same sha256) is not stored again.
raw.links keeps each link discovery judged (fetched or turned away by the relevance gate), once per source and URL.

A run killed mid-crawl (SIGKILL, a machine lost) leaves its staged parts behind: each part is written whole
(a temporary file renamed into place), and parts are written at least every `staging_flush_s`. The next run lands
them under the killed run's id before it starts (recover_abandoned), so nothing fetched is lost, and landing
twice adds nothing twice: page versions by (url, sha256), links by (source, url), a run's fetch log only once.
Bodies are compressed when a part is written (paretl.bodies), and land and raw.pages keep them so: read one back
with bodies.page_body().
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

from paretl import bodies
from paretl.crawl.fetcher import DISCOVERY_ROLES, CrawlResult, FetchRecord, Known, KnownPages, LinkRecord, PageRecord

_PAGE_SCHEMA = pa.schema([
    ("url", pa.string()), ("final_url", pa.string()), ("source_id", pa.string()), ("role", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")), ("status", pa.int32()), ("content_type", pa.string()),
    ("charset", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()), ("sha256", pa.string()),
    ("body", pa.binary()), ("body_codec", pa.string()), ("body_size", pa.int64()),
])
_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("role", pa.string()),
    ("attempt", pa.int32()), ("started_at", pa.timestamp("us", tz="UTC")), ("elapsed_ms", pa.float64()),
    ("status", pa.int32()), ("outcome", pa.string()), ("error", pa.string()), ("final_url", pa.string()),
    ("bytes", pa.int64()),
])
_LINK_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("via", pa.string()),
    ("text", pa.string()), ("published", pa.date32()), ("decision", pa.string()),
    ("found_at", pa.timestamp("us", tz="UTC")),
])


def _table(records, cls, schema: pa.Schema) -> pa.Table:
    names = [f.name for f in dataclasses.fields(cls)]
    cols = {n: [getattr(r, n) for r in records] for n in names}
    if cls is PageRecord:  # bodies are compressed here, once, and stay so in raw.pages (see paretl.bodies)
        packed = [bodies.pack(b) for b in cols["body"]]
        cols["body"] = [p[0] for p in packed]
        cols["body_codec"] = [p[1] for p in packed]
        cols["body_size"] = [p[2] for p in packed]
    return pa.table({n: pa.array(cols[n], type=schema.field(n).type) for n in schema.names})


# Staged page parts: bodies are zstd already (a second codec over them only costs time), the other columns lz4.
_PAGE_PARQUET = {n: ("NONE" if n == "body" else "LZ4") for n in _PAGE_SCHEMA.names}


def write_staging(result: CrawlResult, staging_dir: str | Path) -> dict[str, str]:
    """Write one source's crawl to staging_dir/<source>.pages.parquet and .log.parquet; return the paths."""
    d = Path(staging_dir)
    d.mkdir(parents=True, exist_ok=True)
    pages = d / f"{result.source_id}.pages.parquet"
    logp = d / f"{result.source_id}.log.parquet"
    pq.write_table(_table(result.pages, PageRecord, _PAGE_SCHEMA), pages.with_suffix(".tmp"),
                   compression=_PAGE_PARQUET)
    pq.write_table(_table(result.log, FetchRecord, _LOG_SCHEMA), logp.with_suffix(".tmp"))
    pages.with_suffix(".tmp").replace(pages)
    logp.with_suffix(".tmp").replace(logp)
    return {"pages_path": str(pages), "log_path": str(logp)}


_WRITERS: ThreadPoolExecutor | None = None
_WRITERS_LOCK = threading.Lock()


def _writers() -> ThreadPoolExecutor:
    """The threads that write staged parts, one per core, shared by every StagingWriter of the process."""
    global _WRITERS
    with _WRITERS_LOCK:
        if _WRITERS is None:
            _WRITERS = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="staging")
        return _WRITERS


class StagingWriter:
    """A crawl's sink: pages and log records go to Parquet parts in staging_dir as they come, a part at most
    `max_bytes` of bodies (or `max_log` records), so a crawl holds one part of a source at a time, not the source.
    Fetch log and link records cost ~400-500 bytes each as Python objects: 5,000 of each per source, the limit
    before, was ~45 MB over 10 sources once a crawl had 50,000 pages (and little at 1,000); 1,000 bounds them at
    ~9 MB, reached from 10,000 pages on."""

    def __init__(self, staging_dir: str | Path, source_id: str, max_bytes: int = 4_000_000, max_log: int = 1000,
                 flush_s: float = 30.0):
        # Parts are written by writer threads (pyarrow lets go of the interpreter while it compresses and writes),
        # so a crawl's event loop does not stop for them; at most two parts of a source wait, or add_page waits.
        # The threads are shared by every source (_writers): a thread per source wrote up to ten parts at once on
        # two cores, each with its own Arrow buffers and malloc arena.
        self._writer = _writers()
        self._room = threading.BoundedSemaphore(2)
        self._pending: list = []
        self.dir = Path(staging_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.source_id, self.max_bytes, self.max_log = source_id, max_bytes, max_log
        self.pages: list[PageRecord] = []
        self.log: list[FetchRecord] = []
        self.links: list[LinkRecord] = []
        self.bytes = 0
        self.pages_paths: list[str] = []
        self.log_paths: list[str] = []
        self.links_paths: list[str] = []
        # at least this often everything pending is written, so that a killed run leaves what it fetched
        self.flush_s = flush_s
        self._last_flush = time.monotonic()
        # per part: the row numbers (int32) of article versions not held before. Not their [url, sha256]: kept for
        # the whole run, those lists took ~200 bytes of Python objects a page (+10 MB at 50,000 pages); the keys
        # are in the part itself (load.EarlyExtraction reads them back).
        self.new_articles: list[pa.Array] = []
        self._new: list[int] = []

    def add_page(self, page: PageRecord, new: bool = True) -> None:
        if new and page.role == "article":
            self._new.append(len(self.pages))  # its row in the part
        self.pages.append(page)
        self.bytes += len(page.body)
        if self.bytes >= self.max_bytes:
            self._flush_pages()
        self._maybe_flush()

    def add_log(self, rec: FetchRecord) -> None:
        self.log.append(rec)
        if len(self.log) >= self.max_log:
            self._flush_log()
        self._maybe_flush()

    def add_link(self, rec: LinkRecord) -> None:
        self.links.append(rec)
        if len(self.links) >= self.max_log:
            self._flush_links()
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last_flush >= self.flush_s:
            self._flush_pages()
            self._flush_log()
            self._flush_links()
            self._last_flush = time.monotonic()

    def _write(self, records, cls, schema, kind: str, paths: list[str]) -> None:
        target = self.dir / f"{self.source_id}.{kind}.{len(paths):05d}.parquet"
        paths.append(str(target))
        self._room.acquire()
        self._pending.append(self._writer.submit(self._write_now, records, cls, schema, target))

    def _write_now(self, records, cls, schema, target: Path) -> None:
        try:
            # this thread compresses the bodies (pyarrow lets go of the interpreter while it does)
            pq.write_table(_table(records, cls, schema), target.with_suffix(".tmp"),
                           compression=_PAGE_PARQUET if schema is _PAGE_SCHEMA else "lz4")
            target.with_suffix(".tmp").replace(target)
        finally:
            self._room.release()

    def _flush_pages(self) -> None:
        if self.pages:
            self._write(self.pages, PageRecord, _PAGE_SCHEMA, "pages", self.pages_paths)
            self.new_articles.append(pa.array(self._new, pa.int32()))
        self.pages, self.bytes, self._new = [], 0, []

    def _flush_log(self) -> None:
        if self.log:
            self._write(self.log, FetchRecord, _LOG_SCHEMA, "log", self.log_paths)
        self.log = []

    def _flush_links(self) -> None:
        if self.links:
            self._write(self.links, LinkRecord, _LINK_SCHEMA, "links", self.links_paths)
        self.links = []

    def close(self) -> dict[str, list[str]]:
        self._flush_pages()
        self._flush_log()
        self._flush_links()
        for f in self._pending:
            f.result()  # a part that could not be written is an error of the crawl, not a silent gap
        return {"pages_paths": self.pages_paths, "log_paths": self.log_paths, "links_paths": self.links_paths,
                "new_articles": self.new_articles}


def known_pages_of(con: duckdb.DuckDBPyConnection, source_ids: list[str], with_checks: bool = False,
                   listing_cache: str | Path | None = None) -> dict[str, KnownPages]:
    """Validators of the latest version of every URL of each source, and for listing pages their body (zlib-packed)
    from the listing cache. A listing page without a cached body gets no validators: it is asked for whole, since
    a 304 would leave no links to follow. with_checks: also when each URL last answered 200 or 304 (for the
    revisit policy). Page bodies are never read from raw.pages here: DuckDB decompresses a body column 2,048 rows
    at a time, hundreds of MB for 100 KB pages, and the listing cache costs a few ms. One query per kind of fact
    for all the sources together (a query per source was a fixed cost of every run)."""
    ids = list(source_ids)
    known = {sid: KnownPages() for sid in ids}
    listing_sha: dict[str, dict[str, str]] = {sid: {} for sid in ids}
    charsets: dict[str, str] = {}  # a few names, one string each (not one per URL)
    for sid, url, etag, last_modified, sha, charset, role in con.execute("""
            SELECT source_id, url, etag, last_modified, sha256, charset, role FROM raw.pages
            WHERE list_contains(?, source_id)
            QUALIFY row_number() OVER (PARTITION BY source_id, url ORDER BY fetched_at DESC) = 1""", [ids]).fetchall():
        known[sid][url] = Known(etag=etag, last_modified=last_modified, sha256=sha,
                                charset=charsets.setdefault(charset, charset))
        if role in DISCOVERY_ROLES:
            listing_sha[sid][url] = sha
    for sid in ids:
        cache = listing_cache_file(listing_cache, sid) if listing_cache else None
        if listing_sha[sid] and cache is not None and cache.exists():
            f = pq.ParquetFile(cache)
            for batch in f.iter_batches(batch_size=64, columns=["url", "sha256", "body"]):
                for url, sha, body in zip(*(batch.column(i).to_pylist() for i in range(3))):
                    if listing_sha[sid].get(url) == sha:
                        known[sid][url].packed_body = zlib.compress(body, 1)
        for url in listing_sha[sid]:
            if known[sid][url].packed_body is None:
                known[sid][url].etag = known[sid][url].last_modified = None
    for sid, url in con.execute("SELECT source_id, url FROM raw.links WHERE list_contains(?, source_id)",
                                [ids]).fetchall():
        known[sid].links.add(url)
    for sid, last in con.execute("""SELECT source_id, max(started_at) FROM raw.fetch_log
                                    WHERE list_contains(?, source_id) AND role IN ('listing', 'search', 'feed', 'sitemap')
                                    AND outcome IN ('ok', 'not_modified') GROUP BY source_id""", [ids]).fetchall():
        known[sid].last_crawl = last
    if with_checks:
        for sid, url, checked in con.execute("""
                SELECT source_id, url, max(started_at) FROM raw.fetch_log
                WHERE list_contains(?, source_id) AND outcome IN ('ok', 'not_modified') GROUP BY source_id, url""",
                                             [ids]).fetchall():
            if url in known[sid]:
                known[sid][url].checked_at = checked
    return known


def listing_cache_file(cache_dir: str | Path, source_id: str) -> Path:
    return Path(cache_dir) / f"{source_id}.parquet"


_CACHE_COLUMNS = ["url", "sha256", "charset", "fetched_at", "body"]


def update_listing_cache(staged: list[dict], cache_dir: str | Path) -> int:
    """Keep, per source, the latest body of each listing page (a few per source, bounded by max_listing_pages):
    what a 304 on a listing page leaves us to read its links from. Returns how many listing bodies changed.

    Streamed: each staged part's listing rows go to the source's new cache file as they are read, then the old
    file's rows for URLs not fetched again, a batch at a time. Holding every listing body of the run at once cost
    +117 MB at 50,000 pages (~2,500 listing pages of 100 KB)."""
    writers: dict[str, tuple[pq.ParquetWriter, Path, set[str]]] = {}
    changed = 0
    try:
        for paths in staged:
            for part in _parts(paths, "pages"):
                cols = bodies.columns_of(pq.read_schema(part).names)
                t = pq.read_table(part, columns=["source_id", "role"] + _CACHE_COLUMNS[:-1] + cols,
                                  filters=[("role", "in", list(DISCOVERY_ROLES))])
                if not t.num_rows:
                    continue
                # the cache holds listing bodies as served (the fetcher reads their links after a 304)
                t = t.drop_columns(cols).append_column("body", pa.array(bodies.read_column(t), pa.binary()))
                for sid in set(t.column("source_id").to_pylist()):
                    rows = t.filter(pa.compute.equal(t.column("source_id"), sid)).select(_CACHE_COLUMNS)
                    if sid not in writers:
                        target = listing_cache_file(cache_dir, sid)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        writers[sid] = (pq.ParquetWriter(target.with_suffix(".tmp"), rows.schema, compression="zstd"),
                                        target, set())
                    writer, _, urls = writers[sid]
                    writer.write_table(rows)
                    urls.update(rows.column("url").to_pylist())
                    changed += rows.num_rows
        for sid in list(writers):
            writer, target, urls = writers[sid]
            if target.exists():
                fetched = pa.array(list(urls), pa.string())
                for batch in pq.ParquetFile(target).iter_batches(batch_size=64, columns=_CACHE_COLUMNS):
                    old = pa.Table.from_batches([batch])
                    old = old.filter(pa.compute.invert(pa.compute.is_in(old.column("url"), value_set=fetched)))
                    if old.num_rows:
                        writer.write_table(old.cast(writer.schema))
            writer.close()
            del writers[sid]
            target.with_suffix(".tmp").replace(target)
    finally:
        for writer, target, _ in writers.values():  # a failed update leaves the old caches whole
            writer.close()
            target.with_suffix(".tmp").unlink(missing_ok=True)
    return changed


def _parts(paths: dict, kind: str) -> list[str]:
    """A staged crawl's part files: a list from StagingWriter, or the single file of write_staging."""
    return list(paths.get(f"{kind}_paths") or ([paths[f"{kind}_path"]] if paths.get(f"{kind}_path") else []))


# Staged bytes landed per transaction. A transaction holds its rows in memory until it commits, so one for a
# whole crawl would hold every body; one per part (~40 pages) paid a commit, an anti-join and a checkpoint share
# each time. Landing the benchmark's 10,000 pages (95 MB staged) took 13.9 s and left a 163 MB file; in groups of
# ~8 MB (~850 compressed pages) 6.4 s and 122 MB (same machine, back to back).
LAND_GROUP_BYTES = 8_000_000


def _part_groups(parts: list[str], limit: int = LAND_GROUP_BYTES) -> list[list[str]]:
    """Parts in order, packed into groups of at most `limit` staged bytes (a bigger part is a group alone)."""
    groups: list[list[str]] = []
    cur: list[str] = []
    size = 0
    for part in parts:
        n = os.path.getsize(part)
        if cur and size + n > limit:
            groups.append(cur)
            cur, size = [], 0
        cur.append(part)
        size += n
    return groups + ([cur] if cur else [])


def land(con: duckdb.DuckDBPyConnection, staged: list[dict], run_id: str, progress: dict | None = None) -> dict[str, int]:
    """Append staged crawls to raw.*, a group of parts at a time (LAND_GROUP_BYTES), each group in its own
    transaction. A crash part-way leaves whole groups landed and the staged files in place; landing them again adds
    no page twice (same URL and sha256). The fetch log goes in last, in one transaction. Returns how many new page
    versions and log rows landed."""
    progress = progress if progress is not None else {}
    new_pages = logged = 0
    for group in _part_groups([p for paths in staged for p in _parts(paths, "pages")]):
        con.execute("BEGIN")
        try:
            # BY NAME and union_by_name: a part staged before bodies were compressed has no body_codec, and its
            # rows take the column's default, 'identity' (stored as served)
            new_pages += con.execute("""
                INSERT INTO raw.pages BY NAME
                SELECT s.*, ? AS run_id FROM (
                    SELECT * FROM read_parquet(?, union_by_name = true)
                    QUALIFY row_number() OVER (PARTITION BY url, sha256 ORDER BY fetched_at) = 1
                ) s
                WHERE NOT EXISTS (SELECT 1 FROM raw.pages p WHERE p.url = s.url AND p.sha256 = s.sha256)
            """, [run_id, group]).fetchall()[0][0]
            con.execute("COMMIT")
            progress["new_page_versions"] = new_pages
        except Exception:
            con.execute("ROLLBACK")
            raise
    links = [p for paths in staged for p in _parts(paths, "links")]
    new_links = 0
    if links:
        con.execute("BEGIN")
        try:
            new_links = con.execute("""
                INSERT INTO raw.links BY NAME
                SELECT s.* FROM read_parquet(?) s
                WHERE NOT EXISTS (SELECT 1 FROM raw.links l WHERE l.source_id = s.source_id AND l.url = s.url)
                QUALIFY row_number() OVER (PARTITION BY s.source_id, s.url ORDER BY s.found_at) = 1
            """, [links]).fetchall()[0][0]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    logs = [p for paths in staged for p in _parts(paths, "log")]
    if logs:
        con.execute("BEGIN")
        try:
            # a run's log goes in once: landing the same staging again (a retried landing, a recovered run) adds
            # no attempt twice
            logged = con.execute("""
                INSERT INTO raw.fetch_log SELECT * FROM read_parquet(?) s
                WHERE NOT EXISTS (SELECT 1 FROM raw.fetch_log f WHERE f.run_id = s.run_id)""",
                                 [logs]).fetchall()[0][0]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    progress["fetch_attempts"] = logged
    return {"new_page_versions": new_pages, "fetch_attempts": logged, "new_links": new_links}


def staged_parts_in(folder: str | Path) -> list[dict]:
    """The staged parts a run left in its staging folder (whole files only: a part being written is a .tmp)."""
    d = Path(folder)
    out: dict[str, dict] = {}
    for f in sorted(d.glob("*.parquet")):
        try:
            sid, kind, _n, _ = f.name.rsplit(".", 3)
        except ValueError:
            continue
        if kind in ("pages", "log", "links"):
            out.setdefault(sid, {"source_id": sid, "pages_paths": [], "log_paths": [], "links_paths": []})
            out[sid][f"{kind}_paths"].append(str(f))
    return list(out.values())


def write_run_marker(staging: Path, run_id: str) -> None:
    """Who is crawling into this staging folder: a later run recovers it only if that process is gone."""
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "RUN.json").write_text(json.dumps({"run_id": run_id, "pid": os.getpid(),
                                                  "host": os.uname().nodename}), encoding="utf-8")


def _alive(marker: Path) -> bool:
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if info.get("host") != os.uname().nodename:
        return True  # another machine's run (a shared folder): not ours to judge
    try:
        os.kill(int(info["pid"]), 0)
    except (ProcessLookupError, ValueError, KeyError, TypeError):
        return False
    except PermissionError:
        return True
    return True


def abandoned_runs(con: duckdb.DuckDBPyConnection, staging_root: Path) -> list[str]:
    """Runs recorded as running whose process is gone: killed mid-run."""
    running = [r for (r,) in con.execute("SELECT run_id FROM ops.runs WHERE status = 'running'").fetchall()]
    return [r for r in running if not _alive(staging_root / r / "RUN.json")]


def recover_abandoned(con: duckdb.DuckDBPyConnection, staging_root: Path) -> list[dict]:
    """Land what killed runs staged, under their own run ids, and mark them 'interrupted'; their staging folders
    go once landed. Returns what each recovered run landed."""
    import shutil

    out = []
    for run_id in abandoned_runs(con, staging_root):
        folder = staging_root / run_id
        staged = staged_parts_in(folder) if folder.is_dir() else []
        counts = land(con, staged, run_id) if staged else {"new_page_versions": 0, "fetch_attempts": 0}
        con.execute("""UPDATE ops.runs SET status = 'interrupted', finished_at = ?,
                       detail = json_merge_patch(coalesce(detail, '{}'), ?) WHERE run_id = ?""",
                    [dt.datetime.now(dt.timezone.utc), json.dumps({"recovered": counts}), run_id])
        shutil.rmtree(folder, ignore_errors=True)
        out.append({"run_id": run_id, **counts})
    return out
