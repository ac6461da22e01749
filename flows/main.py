"""The main paretl flow: crawl -> land -> extract -> load -> build -> audit -> publish.

Thin on purpose: every task calls one stage function of paretl.pipeline, which knows nothing of Prefect.
Tasks are per host group (crawl) or per stage, never per page: a Prefect task costs milliseconds.
Tasks take paths and plain data, never a DuckDB connection (it cannot be hashed or shared across threads).
With the default task runner tasks are threads of this process (extraction then uses a process pool over the
cores); with prefect-dask's DaskTaskRunner (`paretl run --dask ADDRESS`) crawling is spread by host group and
extraction by page batch over the cluster's workers, which exchange staged Parquet files with this process, the
warehouse's single writer. Each stage's seconds, pages/s and peak memory go into the run summary and ops.runs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.context import get_run_context
from prefect.cache_policies import NO_CACHE

from paretl import metrics, pipeline
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


@task(name="crawl", task_run_name="crawl-{name}", retries=0, **_task)
def crawl(name: str, groups, settings, known, run_id: str, staging_dir: Path) -> list[dict]:
    out = pipeline.crawl_groups_stage(groups, settings, known, run_id, staging_dir, progress=_progress)
    for summary in out:
        _progress(f"crawled {summary['source_id']}: {summary['pages']} new or changed pages"
                  + (f", {summary['skipped']} known articles not due for a revisit" if summary["skipped"] else "")
                  + f"; attempts {summary['outcomes']}")
    return out


@task(name="land", **_task)
def land(paths, staged, run_id):
    return pipeline.land_stage(paths, staged, run_id)


@task(name="extract-plan", **_task)
def extract_plan(paths, run_id, staged, force: bool = False, early=None):
    return pipeline.extract_plan(paths, run_id, staged, force, early)


@task(name="extract", **_task)
def extract_local(paths, run_id, batches, provinces, early=None):
    return pipeline.extract_batches(paths, run_id, batches, provinces, progress=_progress, early=early)


@task(name="extract-batch", task_run_name="extract-{first}", **_task)
def extract_remote(paths, run_id, batches, provinces, first: int):
    return [pipeline.extract_one_batch(paths, run_id, b, provinces) for b in batches]


@task(name="load", **_task)
def load(paths, results):
    return pipeline.load_stage(paths, results)


@task(name="build-models", **_task)
def build(paths):
    return pipeline.build_stage(paths)


@task(name="audit", **_task)
def audit(paths, run_id):
    return pipeline.audit_stage(paths, run_id)


@task(name="publish", **_task)
def publish(paths, run_id, audits, detail):
    return pipeline.publish_stage(paths, run_id, audits, detail)


def task_runner(dask_address: str | None = None):
    """The flow's task runner: threads on this machine (the default), or prefect-dask's DaskTaskRunner on the
    Dask cluster at dask_address (a scheduler address such as tcp://10.0.0.5:8786)."""
    if not dask_address:
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=dask_address)


def _distributed() -> bool:
    """Whether tasks run on a Dask cluster (other processes, perhaps other machines) rather than in threads here."""
    return type(get_run_context().task_runner).__name__ == "DaskTaskRunner"


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
    distributed = _distributed()
    _progress(f"run {run_id}: {len(registry.sources)} sources -> {warehouse}"
              + (" (tasks on a Dask cluster)" if distributed else ""))
    stages: dict = {}
    early = None
    try:
        with metrics.measured("start", stages):
            known = start_run(paths, registry, run_id)
        with metrics.measured("crawl", stages) as st:
            # Sources on one host share its politeness limits: they form a group, crawled one after the other;
            # groups run at the same time. Here, all groups in one task (one event loop); on a cluster, a task
            # per group, spread over the workers.
            groups = pipeline.host_groups(registry.sources)
            shares = [[g] for g in groups] if distributed else [groups]
            futures = [crawl.submit("+".join(s.id for g in share for s in g) if distributed else "all", share,
                                    registry.crawl, {s.id: known[s.id] for g in share for s in g}, run_id,
                                    paths.staging(run_id))
                       for share in shares]
            del known
            staged = [summary for f in futures for summary in f.result()]
            st.pages = sum(s["pages"] for s in staged)
            if distributed:
                st.workers_peak = max((s["peak_rss_mb"] for s in staged), default=0.0)
        if distributed:
            stages["crawl"]["worker_processes"] = _elsewhere(staged)
        with metrics.measured("land", stages) as st:
            # Here, extraction of the new pages starts in a process pool now and overlaps the landing (one
            # DuckDB thread); on a cluster it waits for the plan and goes to the workers.
            early = None if distributed else pipeline.start_extraction(paths, run_id, registry, staged)
            landed = land(paths, staged, run_id)
            st.pages = landed["new_page_versions"]
        if landed.get("memory_limit"):
            stages["land"]["note"] = f"DuckDB memory cap raised to {landed['memory_limit']} for big pages"
        _progress(f"landed {landed}")
        with metrics.measured("extract", stages) as st:
            batches, provinces = extract_plan(paths, run_id, staged, force=reextract, early=early)
            if distributed:  # page batches spread over the workers, a few batches a task
                groups = _groups(batches, 400)
                results = [r for f in [extract_remote.submit(paths, run_id, g, provinces, i)
                                       for i, g in enumerate(groups)] for r in f.result()]
            else:
                results = extract_local(paths, run_id, batches, provinces, early)
            st.pages = sum(r["pages"] for r in results)
            st.workers_peak = max((r["peak_rss_mb"] for r in results), default=0.0)
        if distributed:
            stages["extract"]["worker_processes"] = _elsewhere(results)
        with metrics.measured("load", stages) as st:
            extracted = load(paths, results)
            st.pages = extracted["pages"]
        _progress(f"extracted {extracted}")
        fingerprint = pipeline.models_fingerprint()
        with metrics.measured("build", stages):
            rebuild = pipeline.needs_build(paths, landed, extracted, fingerprint)
            built = build(paths) if rebuild else {}
        if rebuild:
            _progress(f"built {built}")
        else:
            stages["build"]["note"] = "skipped: nothing new, models unchanged"
        with metrics.measured("audit", stages):
            audits = audit(paths, run_id)
    except Exception as exc:
        if early is not None:
            early.close()
        pipeline.finish_run(paths, run_id, "failed", {"error": str(exc), "stages": stages})
        raise
    for a in audits:
        if not a["passed"]:
            get_run_logger().warning("audit %s: %d failing rows%s", a["name"], a["failing_rows"],
                           "" if a["blocking"] else " (warning only)")
    with metrics.measured("publish", stages):
        manifest = publish(paths, run_id, audits, {"stages": stages, "build_fingerprint": fingerprint,
                                                    "built": bool(built)})
    pipeline.record_stages(paths, run_id, stages)
    pipeline.cleanup(paths, run_id)
    return {"run_id": run_id, "crawl": staged, "land": landed, "extract": extracted, "build": built,
            "audits": audits, "published": manifest, "stages": stages}


def _elsewhere(items: list[dict]) -> int:
    """How many processes other than this one did the work."""
    return len({i["pid"] for i in items} - {os.getpid()})


def _groups(batches: list[dict], pages: int) -> list[list[dict]]:
    """Batches packed into groups of about `pages` pages: one task each."""
    groups, cur, n = [], [], 0
    for b in batches:
        cur.append(b)
        n += b["pages"]
        if n >= pages:
            groups.append(cur)
            cur, n = [], 0
    return groups + ([cur] if cur else [])


# A deployment (prefect.yaml) picks the cluster the same way: PARETL_DASK_ADDRESS in its job variables' env.
if os.environ.get("PARETL_DASK_ADDRESS"):
    paretl_flow = paretl_flow.with_options(task_runner=task_runner(os.environ["PARETL_DASK_ADDRESS"]))


if __name__ == "__main__":
    paretl_flow()
