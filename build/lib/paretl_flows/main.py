"""The main paretl flow: crawl -> land -> extract -> build -> audit -> publish.

Thin on purpose: every task calls one stage function of paretl.pipeline, which knows nothing of Prefect.
Tasks are per source (crawl) or per stage, never per page: a Prefect task costs milliseconds.
Tasks take paths and plain data, never a DuckDB connection (it cannot be hashed or shared across threads).
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from paretl import pipeline
from paretl.sources import Registry, load_registry, parse_registry

# Known pages carry bytes and registries are plain data: hashing them for a cache key buys nothing.
_task = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="start-run", **_task)
def start_run(paths: pipeline.Paths, registry: Registry, run_id: str):
    return pipeline.start_run(paths, registry, run_id)


@task(name="crawl-source", task_run_name="crawl-{source.id}", retries=0, **_task)
def crawl_source(source, settings, known, run_id: str, staging_dir: Path) -> dict:
    logger = get_run_logger()
    summary = pipeline.crawl_stage(source, settings, known, run_id, staging_dir, progress=logger.info)
    logger.info("%s: %d pages, outcomes %s", source.id, summary["pages"], summary["outcomes"])
    return summary


@task(name="land", **_task)
def land(paths, staged, run_id):
    return pipeline.land_stage(paths, staged, run_id)


@task(name="extract-load", **_task)
def extract(paths, force: bool = False):
    logger = get_run_logger()
    return pipeline.extract_stage(paths, force=force, progress=logger.info)


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
                registry_text: str | None = None, reextract: bool = False) -> dict:
    """Run the whole job. `sources` is a registry file; `registry_text` the registry itself (the CLI passes the
    sample web's, whose ports are known only at run time)."""
    logger = get_run_logger()
    if registry_text is not None:
        registry = parse_registry(registry_text, origin="sample web registry")
    elif sources:
        registry = load_registry(sources)
    else:
        raise ValueError("paretl_flow needs sources (a registry file) or registry_text")
    paths = pipeline.Paths(Path(warehouse), Path(export_dir))
    run_id = pipeline.new_run_id()
    logger.info("run %s: %d sources -> %s", run_id, len(registry.sources), warehouse)
    known = start_run(paths, registry, run_id)
    try:
        futures = [crawl_source.submit(s, registry.crawl, known[s.id], run_id, paths.staging(run_id))
                   for s in registry.sources]
        staged = [f.result() for f in futures]
        landed = land(paths, staged, run_id)
        extracted = extract(paths, force=reextract)
        built = build(paths)
        audits = audit(paths, run_id)
    except Exception as exc:
        pipeline.finish_run(paths, run_id, "failed", {"error": str(exc)})
        raise
    for a in audits:
        if not a["passed"]:
            logger.warning("audit %s: %d failing rows%s", a["name"], a["failing_rows"],
                           "" if a["blocking"] else " (warning only)")
    manifest = publish(paths, run_id, audits)
    return {"run_id": run_id, "crawl": staged, "land": landed, "extract": extracted, "build": built,
            "audits": audits, "published": manifest}


if __name__ == "__main__":
    paretl_flow()
