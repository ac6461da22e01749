"""The main paretl flow: crawl -> land -> extract -> build -> audit -> publish.

Thin on purpose: every task calls one stage function of paretl.pipeline, which knows nothing of Prefect.
Tasks are per host group (crawl) or per stage, never per page: a Prefect task costs milliseconds.
Tasks take paths and plain data, never a DuckDB connection (it cannot be hashed or shared across threads).
"""

from __future__ import annotations

from pathlib import Path

import logging

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from paretl import pipeline
from paretl.sample_site import server as sample_server
from paretl.sources import Registry, load_registry, parse_registry

_progress_log = logging.getLogger("paretl.progress")


def _progress(msg: str) -> None:
    """To the Prefect run log (UI, deployments) and to paretl's own logger (the CLI prints it)."""
    get_run_logger().info(msg)
    _progress_log.info(msg)


# Known pages carry bytes and registries are plain data: hashing them for a cache key buys nothing.
_task = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="start-run", **_task)
def start_run(paths: pipeline.Paths, registry: Registry, run_id: str):
    return pipeline.start_run(paths, registry, run_id)


@task(name="crawl", task_run_name="crawl-{group_name}", retries=0, **_task)
def crawl_group(group_name: str, sources, settings, known, run_id: str, staging_dir: Path) -> list[dict]:
    out = []
    for source in sources:
        summary = pipeline.crawl_stage(source, settings, known[source.id], run_id, staging_dir, progress=_progress)
        _progress(f"crawled {source.id}: {summary['pages']} new or changed pages; attempts {summary['outcomes']}")
        out.append(summary)
    return out


@task(name="land", **_task)
def land(paths, staged, run_id):
    return pipeline.land_stage(paths, staged, run_id)


@task(name="extract-load", **_task)
def extract(paths, force: bool = False):
    return pipeline.extract_stage(paths, force=force, progress=_progress)


@task(name="build-models", **_task)
def build(paths):
    return pipeline.build_stage(paths)


@task(name="audit", **_task)
def audit(paths, run_id):
    return pipeline.audit_stage(paths, run_id)


@task(name="publish", **_task)
def publish(paths, run_id, audits):
    return pipeline.publish_stage(paths, run_id, audits)


@flow(name="paretl", log_prints=True)
def paretl_flow(sources: str | None = None, warehouse: str = "data/paretl.duckdb", export_dir: str = "data/export",
                sample_port: int = sample_server.DEFAULT_PORT, reextract: bool = False,
                keep_releases: int = 3) -> dict:
    """Run the whole job on a source registry file, or with none on the bundled sample web (served from this
    process on 127.0.0.1, one port per site from sample_port)."""
    if sources:
        return _run(load_registry(sources), warehouse, export_dir, reextract, keep_releases)
    web = sample_server.start(port=sample_port)
    _progress(f"no source registry: crawling the bundled sample web on {', '.join(web.urls.values())}")
    try:
        return _run(parse_registry(web.registry_text(), origin="sample web registry"), warehouse, export_dir,
                    reextract, keep_releases)
    finally:
        web.stop()


def _run(registry: Registry, warehouse: str, export_dir: str, reextract: bool, keep_releases: int) -> dict:
    paths = pipeline.Paths(Path(warehouse), Path(export_dir), keep_releases)
    run_id = pipeline.new_run_id()
    _progress(f"run {run_id}: {len(registry.sources)} sources -> {warehouse}")
    known = start_run(paths, registry, run_id)
    try:
        # one task per host group: sources on one host share its politeness limits, hosts run in parallel
        futures = [crawl_group.submit("+".join(s.id for s in group), group, registry.crawl,
                                      {s.id: known[s.id] for s in group}, run_id, paths.staging(run_id))
                   for group in pipeline.host_groups(registry.sources)]
        staged = [summary for f in futures for summary in f.result()]
        landed = land(paths, staged, run_id)
        _progress(f"landed {landed}")
        extracted = extract(paths, force=reextract)
        built = build(paths)
        _progress(f"built {built}")
        audits = audit(paths, run_id)
    except Exception as exc:
        pipeline.finish_run(paths, run_id, "failed", {"error": str(exc)})
        raise
    for a in audits:
        if not a["passed"]:
            get_run_logger().warning("audit %s: %d failing rows%s", a["name"], a["failing_rows"],
                           "" if a["blocking"] else " (warning only)")
    manifest = publish(paths, run_id, audits)
    return {"run_id": run_id, "crawl": staged, "land": landed, "extract": extracted, "build": built,
            "audits": audits, "published": manifest}


if __name__ == "__main__":
    paretl_flow()
