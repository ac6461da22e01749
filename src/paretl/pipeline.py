"""The job's stages as plain functions of paths, for an orchestrator to call (flows/ does, with Prefect).

sources -> crawl -> land -> extract + load -> build -> audit -> publish

Each stage opens the working warehouse itself and closes it before returning: DuckDB has one writer per file,
and a connection cannot be passed between tasks or processes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from paretl import audit, build, land, load, publish
from paretl.crawl.fetcher import Known, crawl_source
from paretl.errors import ParetlError
from paretl.sources import CrawlSettings, Registry, Source
from paretl.warehouse import connect, ensure_schema, register_sources, table_counts


@dataclass(frozen=True)
class Paths:
    warehouse: Path
    export_dir: Path
    keep_releases: int = publish.DEFAULT_KEEP  # Parquet releases kept in export_dir/releases

    @property
    def work_db(self) -> Path:
        return publish.work_path(self.warehouse)

    def staging(self, run_id: str) -> Path:
        return self.work_db.parent / "staging" / run_id


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def start_run(paths: Paths, registry: Registry, run_id: str) -> dict[str, dict[str, Known]]:
    """Open (or create) the working file, record the run and the sources; return what is known of each source."""
    with connect(paths.work_db) as con:
        ensure_schema(con)
        register_sources(con, registry.sources)
        _record_start(con, run_id, {"sources": [s.id for s in registry.sources]})
        return {s.id: land.known_pages(con, s.id) for s in registry.sources}


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
    result = crawl_source(source, settings, known, run_id, progress)
    paths = land.write_staging(result, staging_dir)
    return {"source_id": source.id, "pages": len(result.pages), "outcomes": result.outcomes(), **paths}


def host_groups(sources: tuple[Source, ...] | list[Source]) -> list[list[Source]]:
    """Sources that share a host, crawled one after the other so that the host's limits hold across them;
    groups on different hosts run in parallel."""
    groups: list[tuple[set[str], list[Source]]] = []
    for s in sources:
        hosts = {urlsplit(u).netloc.lower() for u in s.start_urls}
        for g_hosts, members in groups:
            if g_hosts & hosts:
                g_hosts |= hosts
                members.append(s)
                break
        else:
            groups.append((hosts, [s]))
    return [members for _, members in groups]


def land_stage(paths: Paths, staged: list[dict], run_id: str) -> dict[str, int]:
    with connect(paths.work_db) as con:
        counts = land.land(con, staged, run_id)
    shutil.rmtree(paths.staging(run_id), ignore_errors=True)
    return counts


def extract_stage(paths: Paths, force: bool = False, progress=None) -> dict[str, int]:
    with connect(paths.work_db) as con:
        ensure_schema(con)
        return load.extract_and_load(con, force=force, progress=progress)


def build_stage(paths: Paths, select: str | None = None) -> dict[str, int]:
    with connect(paths.work_db) as con:
        ensure_schema(con)  # a warehouse from an earlier version gains the tables the models read
        return build.build(con, selector=select)


def audit_stage(paths: Paths, run_id: str) -> list[dict]:
    with connect(paths.work_db) as con:
        results = audit.run_audits(con, run_id)
    return [{"name": r.name, "failing_rows": r.failing_rows, "blocking": r.blocking, "passed": r.passed,
             "sample": r.sample, "error": r.error} for r in results]


def publish_stage(paths: Paths, run_id: str, audits: list[dict]) -> dict:
    blocking = [a for a in audits if a["blocking"] and not a["passed"]]
    if blocking:
        finish_run(paths, run_id, "audit_failed", {"failed_audits": [a["name"] for a in blocking]})
        names = ", ".join(f"{a['name']} ({a['failing_rows']} rows{'; ' + a['error'] if a['error'] else ''})"
                          for a in blocking)
        raise ParetlError(f"audits failed, nothing published: {names}")
    finish_run(paths, run_id, "published", {"audits": len(audits)})
    try:
        return publish.publish(paths.work_db, paths.warehouse, paths.export_dir, run_id, paths.keep_releases)
    except Exception as exc:
        finish_run(paths, run_id, "failed", {"publish_error": str(exc)})
        raise


def finish_run(paths: Paths, run_id: str, status: str, detail: dict) -> None:
    with connect(paths.work_db) as con:
        con.execute("UPDATE ops.runs SET finished_at = ?, status = ?, detail = ? WHERE run_id = ?",
                    [dt.datetime.now(dt.timezone.utc), status, json.dumps(detail, default=str), run_id])


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
