"""The job's stages as plain functions of paths, for an orchestrator to call (flows/ does, with Prefect).

sources -> crawl -> land -> extract -> load -> build -> audit -> publish

Crawl and extract are pure work on files (staged Parquet in, staged Parquet out) and can run anywhere: threads,
processes, Dask workers. Everything that writes the warehouse (start, land, load, build, audit, publish) runs in
one process, one stage at a time.

Each stage opens the working warehouse itself and closes it before returning: DuckDB has one writer per file,
and a connection cannot be passed between tasks or processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
import duckdb

from paretl import audit, build, land, load, metrics, publish, reference
from paretl.crawl.fetcher import Known, crawl_groups
from paretl.errors import ParetlError
from paretl.extract import EXTRACTOR_VERSION
from paretl.sources import CrawlSettings, Registry, Source
from paretl.warehouse import connect, ensure_schema, register_sources, schema_is_current, table_counts


@dataclass(frozen=True)
class Paths:
    warehouse: Path
    export_dir: Path
    keep_releases: int = publish.DEFAULT_KEEP  # Parquet releases kept in export_dir/releases

    @property
    def work_db(self) -> Path:
        return publish.work_path(self.warehouse)

    @property
    def listing_cache(self) -> Path:
        """The latest body of each listing page, per source (see land.update_listing_cache)."""
        return self.work_db.parent / "listings"

    def staging(self, run_id: str) -> Path:
        return self.work_db.parent / "staging" / run_id


BODY_READ_MEMORY = "1GB"
# The writer's memory cap while landing: 32 MB, then more when a part of big pages needs it. Bodies come
# compressed (paretl.bodies), so DuckDB's batch of 2,048 bodies is ~20 MB for 100 KB pages, not ~200 MB. The
# process's peak follows the cap (10,000 pages: 368 MB at 128 MB, 307 MB at 64 MB, in about the same time); the
# cap is reached from a few thousand pages on, so a run of 1,000 pages peaked lower than one of 10,000 or 50,000.
# Landing 10,000 / 50,000 staged pages alone: 64 MB +76 / +91 MB over the stage's start, 32 MB +45-47 / +63 MB,
# with the same file size (24 MB ran out of memory); in the whole job at 10,000 pages the land stage took 17 s
# against 15-18 s at 64 MB.
LAND_MEMORY_STEPS = ("32MB", "384MB", "1GB", "4GB", "16GB")
# A checkpoint every 32 MB of log: what has landed goes to its blocks on disk and leaves memory. Without one until
# the end, the landed bodies stayed in memory (or spilled) and the peak grew with the crawl: 50,000 pages landed
# alone peaked at +440 MB over the process's start and took 20 s; with it, +183 MB in 28 s (10,000: +170 MB, 4 s).
# (16 MB under the 32 MB cap: the same peak, more checkpoints.)
LAND_CHECKPOINT = "32MB"


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def start_run(paths: Paths, registry: Registry, run_id: str) -> dict[str, dict[str, Known]]:
    """Open (or create) the working file, land what killed runs left staged, record the run and the sources;
    return what is known of each source. The staging folder gets a marker naming this process, so that a later
    run can tell this one was killed if it never finishes."""
    ahead = _take_read_ahead(paths, registry)  # before this run writes anything
    # the marker first: a run recorded as running without one would look killed to a run starting beside it
    land.write_run_marker(paths.staging(run_id), run_id)
    with connect(paths.work_db) as con:
        ensure_schema(con)
        recovered = land.recover_abandoned(con, paths.work_db.parent / "staging")
        register_sources(con, registry.sources)
        if recovered:
            ahead = None  # pages a killed run left staged have just landed
        _record_start(con, run_id, {"sources": [s.id for s in registry.sources], "recovered": recovered})
        if ahead is not None:
            _read_ahead_taken[run_id] = ahead["seconds"]
            return ahead["known"]
        return land.known_pages_of(con, [s.id for s in registry.sources], with_checks=_with_checks(registry),
                                   listing_cache=paths.listing_cache)


def _with_checks(registry: Registry) -> bool:
    return registry.crawl.revisit_after_days > 0


# What is known of the sources (start_run's one long read, 0.2 s for 10,000 pages), read ahead by the process that
# is about to run the flow while it waits for something else (the CLI, for its temporary Prefect server to start).
# start_run takes it instead of reading again when the files it came from are as they were when it was read; a
# read-ahead of other files, sources or settings, or from changed files, is dropped. One per process.
_read_ahead: dict | None = None
_read_ahead_taken: dict[str, float] = {}


def read_ahead_seconds(run_id: str) -> float | None:
    """How long the read start_run took ahead for this run lasted (None: it read the known pages itself); asked
    once per run (a long-lived worker runs many)."""
    return _read_ahead_taken.pop(run_id, None)


def _files_state(paths: Paths, source_ids: list[str]) -> tuple:
    """Size and modification time of every file the known pages are read from (absent ones included)."""
    files = [paths.work_db, paths.work_db.with_name(paths.work_db.name + ".wal"),
             *(land.listing_cache_file(paths.listing_cache, sid) for sid in source_ids)]
    state = []
    for f in files:
        try:
            st = f.stat()
            state.append((str(f.resolve()), st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            state.append((str(f.resolve()), None, None))
    return tuple(state)


def read_ahead(paths: Paths, registry: Registry) -> float | None:
    """Read what start_run will return, without writing anything; the seconds it took, or None when nothing was
    read (no working file yet, a schema still to set up, a file held by another process)."""
    global _read_ahead
    _read_ahead = None
    if not paths.work_db.exists():
        return None
    t0 = time.monotonic()
    ids = [s.id for s in registry.sources]
    state = _files_state(paths, ids)
    try:
        with connect(paths.work_db, read_only=True) as con:
            if not schema_is_current(con):
                return None
            known = land.known_pages_of(con, ids, with_checks=_with_checks(registry),
                                        listing_cache=paths.listing_cache)
    except (ParetlError, duckdb.Error):
        return None
    if _files_state(paths, ids) != state:
        return None
    seconds = round(time.monotonic() - t0, 3)
    _read_ahead = {"state": state, "checks": _with_checks(registry), "known": known, "seconds": seconds}
    return seconds


def _take_read_ahead(paths: Paths, registry: Registry) -> dict | None:
    global _read_ahead
    ahead, _read_ahead = _read_ahead, None
    ids = [s.id for s in registry.sources]
    if ahead is None or ahead["checks"] != _with_checks(registry) or ahead["state"] != _files_state(paths, ids):
        return None
    return ahead


def recovered_runs(paths: Paths, run_id: str) -> list[dict]:
    """What start_run landed for killed runs (from this run's record)."""
    with connect(paths.work_db, read_only=True) as con:
        row = con.execute("SELECT json_extract(detail, '$.recovered') FROM ops.runs WHERE run_id = ?",
                          [run_id]).fetchall()
    return json.loads(row[0][0]) if row and row[0][0] else []


def start_reextract(paths: Paths, run_id: str) -> None:
    if not paths.work_db.exists():
        raise ParetlError(f"no working warehouse at {paths.work_db}: run `paretl run` first")
    with connect(paths.work_db) as con:
        ensure_schema(con)
        _record_start(con, run_id, {"reextract": True})


def _record_start(con, run_id: str, detail: dict) -> None:
    con.execute("INSERT INTO ops.runs VALUES (?, ?, NULL, 'running', ?)",
                [run_id, dt.datetime.now(dt.timezone.utc), json.dumps(detail)])


def crawl_stage(source: Source, settings: CrawlSettings, known: dict[str, Known], run_id: str, staging_dir: Path,
                progress=None) -> dict:
    """Crawl one source, streaming its pages to staging_dir in bounded parts; return the parts and the counts."""
    return crawl_groups_stage([[source]], settings, {source.id: known}, run_id, staging_dir, progress)[0]


def crawl_groups_stage(groups: list[list[Source]], settings: CrawlSettings, known: dict[str, dict[str, Known]],
                       run_id: str, staging_dir: Path, progress=None) -> list[dict]:
    """Crawl host groups together in one event loop (sources of a group one after the other), each source
    streaming its pages to staging_dir in bounded parts; return each source's parts and counts."""
    sinks = {s.id: land.StagingWriter(staging_dir, s.id, flush_s=settings.staging_flush_s) for g in groups for s in g}
    results = crawl_groups([[(s, known.get(s.id, {}), sinks[s.id]) for s in g] for g in groups], settings, run_id,
                           progress)
    out = [{"source_id": r.source_id, "pages": r.n_pages, "skipped": r.n_skipped, "outcomes": r.outcomes(),
            "discovery": r.discovery, "budget": r.budget, **sinks[r.source_id].close(), "pid": os.getpid()}
           for r in results]
    peak = metrics.peak_rss_mb()
    del results, sinks
    metrics.trim()  # the crawl's freed buffers, back to the system before landing adds DuckDB's
    return [{**o, "peak_rss_mb": peak} for o in out]


def host_groups(sources: tuple[Source, ...] | list[Source]) -> list[list[Source]]:
    """Sources that share a host, crawled one after the other so that the host's limits hold across them;
    groups on different hosts run in parallel."""
    groups: list[tuple[set[str], list[Source]]] = []
    for s in sources:
        hosts = s.hosts()
        for g_hosts, members in groups:
            if g_hosts & hosts:
                g_hosts |= hosts
                members.append(s)
                break
        else:
            groups.append((hosts, [s]))
    return [members for _, members in groups]


def land_stage(paths: Paths, staged: list[dict], run_id: str) -> dict[str, int]:
    """Land the staged crawl parts into raw.*. The parts stay until the run's facts are loaded (extraction reads
    new pages from them); cleanup() removes them."""
    # One thread: DuckDB handles a column 2,048 values at a time, a thread each (~20 MB of compressed 100 KB
    # pages). Under the memory cap that is enough for compressed bodies up to ~50 KB; bigger ones need more, so a
    # part that runs out of memory is landed again with a higher cap (landing is idempotent: a page version is
    # never stored twice, and the fetch log goes in last, in one transaction).
    progress: dict = {}
    counted = 0
    for limit in LAND_MEMORY_STEPS:
        try:
            with connect(paths.work_db, threads=1, memory_limit=limit) as con:
                con.execute(f"SET checkpoint_threshold = '{LAND_CHECKPOINT}'")
                counts = land.land(con, staged, run_id, progress)
            counts["new_page_versions"] += counted
            if limit != LAND_MEMORY_STEPS[0]:
                counts["memory_limit"] = limit  # the operator should know the cap was not enough
            break
        except (duckdb.OutOfMemoryException, duckdb.FatalException) as exc:
            if limit == LAND_MEMORY_STEPS[-1] or "memory" not in str(exc).lower() or "fetch_attempts" in progress:
                raise
            counted += progress.pop("new_page_versions", 0)
    land.update_listing_cache(staged, paths.listing_cache)
    return counts


def staged_page_parts(staged: list[dict]) -> list[str]:
    return [p for s in staged for p in land._parts(s, "pages")]


def start_extraction(paths: Paths, run_id: str, registry: Registry,
                     staged: list[dict]) -> load.EarlyExtraction | None:
    """Start extracting the run's new article versions from staging now, over the local cores (see
    load.EarlyExtraction); extract_plan then leaves them out and extract_batches waits for them. None when there
    are too few to pay for a pool."""
    if sum(len(k) for s in staged for k in s.get("new_articles", [])) < load.PARALLEL_THRESHOLD:
        return None
    early = load.EarlyExtraction({s.id: s.extraction_code for s in registry.sources}, paths.staging(run_id) / "facts")
    early.submit_staged(staged)
    return early


def extract_plan(paths: Paths, run_id: str, staged: list[dict] = (), force: bool = False,
                 early: load.EarlyExtraction | None = None) -> tuple[list[dict], dict]:
    """(batches of pages to extract, each source's province): the writer's half of extraction."""
    # Pages not in this run's staging are read back from raw.pages, whose body column DuckDB decompresses 2,048
    # rows at a time (some 200 MB for 100 KB pages): that read needs more room, and one thread.
    with connect(paths.work_db, memory_limit=BODY_READ_MEMORY, threads=1) as con:
        return load.plan(con, paths.staging(run_id) / "extract-in", force=force,
                         staged_parts=staged_page_parts(staged), exclude=early.keys if early else None)


def extract_batches(paths: Paths, run_id: str, batches: list[dict], provinces: dict, progress=None,
                    early: load.EarlyExtraction | None = None) -> list[dict]:
    """Extract the batches over this machine's cores (and collect what started early)."""
    if early is None:
        return load.extract_local(batches, provinces, paths.staging(run_id) / "facts", progress=progress)
    try:
        rest = load.extract_local(batches, provinces, paths.staging(run_id) / "facts", progress=progress,
                                  pool=early.pool) if batches else []
        return early.results() + rest
    finally:
        early.close()


def extract_one_batch(paths: Paths, run_id: str, batch: dict, provinces: dict) -> dict:
    """One batch, in this process (a Dask worker's task)."""
    return load.extract_batch(batch, provinces, paths.staging(run_id) / "facts")


# Loading facts files: small rows, but one Parquet reader per file (a 50,000-page run leaves ~1,250 per table); the
# default cap let that reach 512 MB of the process at 50,000 pages. DuckDB spills past the cap if it must. With
# load.LOAD_FILES_PER_READ files a transaction, 32 MB and one thread: loading 10,000 / 50,000 pages' facts alone
# took +23 / +37 MB over the stage's start, against +48 / +75 at 128 MB (and one transaction), in about the same
# time. A load that runs out of memory is done again with the next cap (loading a page's facts twice leaves them
# once).
LOAD_MEMORY_STEPS = ("32MB", "384MB", "1GB", "4GB")


def load_stage(paths: Paths, results: list[dict]) -> dict[str, int]:
    if not any("pages" in r["files"] for r in results):
        return load.load(None, results)  # nothing extracted: no need to open the file (~15 ms of every re-run)
    return _under_memory_steps(LOAD_MEMORY_STEPS, lambda limit: _load(paths, results, limit))


def _load(paths: Paths, results: list[dict], memory_limit: str) -> dict[str, int]:
    with connect(paths.work_db, memory_limit=memory_limit, threads=1) as con:
        return load.load(con, results)


def _under_memory_steps(steps: tuple[str, ...], work):
    """work(limit) under each DuckDB memory cap in turn, until one is enough (the last cap's error stands). The work
    is one transaction or idempotent: a step that ran out of memory leaves nothing the next one repeats wrongly."""
    for limit in steps[:-1]:
        try:
            return work(limit)
        except duckdb.OutOfMemoryException:
            pass
    return work(steps[-1])


def extract_stage(paths: Paths, force: bool = False, progress=None, run_id: str | None = None,
                  staged: list[dict] = ()) -> dict[str, int]:
    """Plan, extract over the local cores and load, in one go (paretl reextract, tests)."""
    run_id = run_id or new_run_id()
    try:
        batches, provinces = extract_plan(paths, run_id, staged, force)
        return load_stage(paths, extract_batches(paths, run_id, batches, provinces, progress))
    finally:
        shutil.rmtree(paths.staging(run_id) / "extract-in", ignore_errors=True)
        shutil.rmtree(paths.staging(run_id) / "facts", ignore_errors=True)


def cleanup(paths: Paths, run_id: str) -> None:
    """The run's staging folder, once its pages are landed and its facts loaded."""
    shutil.rmtree(paths.staging(run_id), ignore_errors=True)


def models_fingerprint() -> str:
    """What the models' output depends on besides the warehouse's rows: the SQL, the reference tables, the
    extractor version. A run that landed nothing new, loaded no facts and finds this unchanged need not rebuild."""
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    root = build.sql_dir()
    for f in sorted(root.rglob("*.sql")) + sorted(Path(reference.__file__).parent.joinpath("reference").glob("*.csv")):
        h.update(str(f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def needs_build(paths: Paths, landed: dict, loaded: dict, fingerprint: str) -> bool:
    """Whether the models must be rebuilt: something new landed or was extracted, or the models changed, or the
    last published run did not leave marts built from this fingerprint."""
    if landed.get("new_page_versions") or loaded.get("pages"):
        return True
    with connect(paths.work_db) as con:
        row = con.execute("""SELECT json_extract_string(detail, '$.build_fingerprint') FROM ops.runs
                             WHERE status = 'published' ORDER BY started_at DESC LIMIT 1""").fetchall()
    return not row or row[0][0] != fingerprint


# The models' DuckDB memory cap, raised step by step for a warehouse whose models need more (the build is one
# transaction: a step that runs out of memory leaves nothing, and the next builds again). Under the 384 MB default
# DuckDB kept what the models read and their hash tables until the connection closed, and the stage's peak grew
# with the facts: +87 MB over the stage's start at 50,000 pages, +59 MB at 10,000; with 64 MB, +39 and +29.
BUILD_MEMORY_STEPS = ("64MB", "384MB", "1GB", "4GB", "16GB")


def build_stage(paths: Paths, select: str | None = None) -> dict[str, int]:
    return _under_memory_steps(BUILD_MEMORY_STEPS, lambda limit: _build(paths, select, limit))


def _build(paths: Paths, select: str | None, memory_limit: str) -> dict[str, int]:
    with connect(paths.work_db, memory_limit=memory_limit) as con:
        ensure_schema(con)  # a warehouse from an earlier version gains the tables the models read
        return build.build(con, selector=select)


def audit_stage(paths: Paths, run_id: str) -> list[dict]:
    with connect(paths.work_db) as con:
        results = audit.run_audits(con, run_id)
    return [{"name": r.name, "failing_rows": r.failing_rows, "blocking": r.blocking, "passed": r.passed,
             "sample": r.sample, "error": r.error} for r in results]


def publish_stage(paths: Paths, run_id: str, audits: list[dict], detail: dict | None = None,
                  unchanged: bool = False) -> dict:
    """Publish if no blocking audit failed. `detail` (stage figures, build fingerprint) goes into ops.runs, which
    is published with the rest.

    `unchanged`: the run landed and loaded nothing and did not rebuild the models, so the tables a release holds
    are those of the current release. If that release is still in place (the one the last published run made or
    kept), it stays current and nothing is copied or written: the publication is the largest fixed cost of an
    unchanged re-run. The run is recorded as published, with the release it kept; the published DuckDB file's
    ops tables stay as of that release (the working file, which `paretl status` reads, has every run)."""
    detail = dict(detail or {})
    blocking = [a for a in audits if a["blocking"] and not a["passed"]]
    if blocking:
        finish_run(paths, run_id, "audit_failed", {**detail, "failed_audits": [a["name"] for a in blocking]})
        names = ", ".join(f"{a['name']} ({a['failing_rows']} rows{'; ' + a['error'] if a['error'] else ''})"
                          for a in blocking)
        raise ParetlError(f"audits failed, nothing published: {names}")
    if unchanged:
        with connect(paths.work_db) as con:  # one opening of the file for the whole of an unchanged publication
            kept = publish.kept_release(paths.warehouse, paths.export_dir, _last_release(con))
            if kept is not None:
                _finish_run(con, run_id, "published", {**detail, "audits": len(audits), "release": kept["release"],
                                                        "release_kept": True})
                return kept
    finish_run(paths, run_id, "published", {**detail, "audits": len(audits)})
    try:
        manifest = publish.publish(paths.work_db, paths.warehouse, paths.export_dir, run_id, paths.keep_releases)
    except Exception as exc:
        finish_run(paths, run_id, "failed", {"publish_error": str(exc)})
        raise
    # in the working file only (the published copy was taken before): what the next unchanged run may keep
    _merge_detail(paths, run_id, {"release": manifest["release"]})
    return manifest


def _last_release(con) -> str | None:
    """The release the last published run made or kept (None for runs from before releases were recorded)."""
    row = con.execute("""SELECT json_extract_string(detail, '$.release') FROM ops.runs
                         WHERE status = 'published' ORDER BY started_at DESC LIMIT 1""").fetchall()
    return row[0][0] if row else None


def finish_run(paths: Paths, run_id: str, status: str, detail: dict) -> None:
    with connect(paths.work_db) as con:
        _finish_run(con, run_id, status, detail)


def _finish_run(con, run_id: str, status: str, detail: dict) -> None:
    con.execute("UPDATE ops.runs SET finished_at = ?, status = ?, detail = ? WHERE run_id = ?",
                [dt.datetime.now(dt.timezone.utc), status, json.dumps(detail, default=str), run_id])


def record_stages(paths: Paths, run_id: str, stages: dict) -> None:
    """Add the stage figures to the run's record (after publication: the working file's copy; the published
    file has the figures of every stage before publish)."""
    _merge_detail(paths, run_id, {"stages": stages})


def _merge_detail(paths: Paths, run_id: str, patch: dict) -> None:
    with connect(paths.work_db) as con:
        con.execute("UPDATE ops.runs SET detail = json_merge_patch(coalesce(detail, '{}'), ?) WHERE run_id = ?",
                    [json.dumps(patch), run_id])


def counts(db: Path) -> dict[str, int]:
    with connect(db, read_only=True) as con:
        return table_counts(con)


def source_runs(paths: Paths, run_id: str) -> list[dict]:
    """This run's fetches by source, and whether each source failed (ops.source_runs)."""
    from paretl.status import source_runs as _source_runs

    with connect(paths.work_db, read_only=True) as con:
        return _source_runs(con, run_id)


def report_stage(paths: Paths, out: str | Path | None = None) -> dict:
    """The HTML report of the published warehouse (publication step; it reads the published file read-only)."""
    from paretl.report import build_report

    return build_report(paths.warehouse, out or None)


def current_publication(paths: Paths) -> dict | None:
    """The release `current` points at: its run id and folder (what readers see, whatever this run did)."""
    folder = publish.current_release(paths.export_dir)
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    return {"release": folder.name, "run_id": manifest.get("run_id"), "published_at": manifest.get("published_at"),
            "folder": str(folder)}
