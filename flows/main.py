"""The main paretl flow: crawl -> land -> extract -> load -> build -> audit -> publish (-> report).

Thin on purpose: every task calls one stage function of paretl.pipeline, which knows nothing of Prefect.
Tasks are per host group (crawl) or per stage, never per page: a Prefect task costs milliseconds.
Tasks take paths and plain data, never a DuckDB connection (it cannot be hashed or shared across threads).
With the default task runner tasks are threads of this process (extraction then uses a process pool over the
cores); with prefect-dask's DaskTaskRunner (`paretl run --dask ADDRESS`) crawling is spread by host group and
extraction by page batch over the cluster's workers, which exchange staged Parquet files with this process, the
warehouse's single writer. Each stage's seconds, pages/s and peak memory go into the run summary and ops.runs.

Every run, published or failed, leaves three artifacts in the Prefect UI: a Markdown summary (`paretl-run-summary`:
pages by outcome, facts by index, audits, what was published, time per stage), the table of the sources that
failed (`paretl-failed-sources`) and, when it wrote one, a link to the report (`paretl-report`). Log lines are one
event each, `run=<run id> source=<source id or -> what happened`, so one source can be followed across runs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.utilities.annotations import quote

from paretl import metrics, pipeline, summary
from paretl.sample_site import server as sample_server
from paretl.sources import Registry, load_registry, parse_registry

_progress_log = logging.getLogger("paretl.progress")


def _event(run_id: str, source_id: str | None, msg: str, level: int = logging.INFO) -> None:
    """One event, one line: to the Prefect run log (UI, deployments) and to paretl's own logger (the CLI)."""
    line = f"run={run_id} source={source_id or '-'} {msg}"
    get_run_logger().log(level, line)
    _progress_log.log(level, line)


# Known pages carry bytes and registries are plain data: hashing them for a cache key buys nothing.
_task = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="start-run", **_task)
def start_run(paths: pipeline.Paths, registry: Registry, run_id: str):
    return pipeline.start_run(paths, registry, run_id)


@task(name="crawl", task_run_name="crawl-{name}", retries=0, **_task)
def crawl(name: str, groups, settings, known, run_id: str, staging_dir: Path) -> list[dict]:
    out = pipeline.crawl_groups_stage(groups, settings, known, run_id, staging_dir,
                                      progress=lambda msg: _event(run_id, None, msg))
    for s in out:
        d, b = s.get("discovery") or {}, s.get("budget") or {}
        _event(run_id, s["source_id"], f"crawled: {s['pages']} new or changed pages"
               + (f", {s['skipped']} known articles not due for a revisit" if s.get("skipped") else "")
               + f"; attempts {s['outcomes']}"
               + (f"; {d.get('mode')}: {d.get('links', 0)} links, {d.get('relevant', 0)} relevant, "
                  f"{d.get('irrelevant', 0) + d.get('unknown', 0)} turned away, {d.get('sampled', 0)} sampled "
                  f"({d.get('sampled_relevant', 0)} relevant), {d.get('irrelevant_text', 0)} irrelevant on reading"
                  if d else "")
               + (f"; budget reached: {b['stopped_by']}" if b.get("stopped_by") else ""))
    return out


@task(name="land", **_task)
def land(paths, staged, run_id):
    return pipeline.land_stage(paths, staged, run_id)


@task(name="extract-plan", **_task)
def extract_plan(paths, run_id, staged, force: bool = False, early=None):
    return pipeline.extract_plan(paths, run_id, staged, force, early)


@task(name="extract", **_task)
def extract_local(paths, run_id, batches, provinces, early=None):
    return pipeline.extract_batches(paths, run_id, batches, provinces,
                                    progress=lambda msg: _event(run_id, None, msg), early=early)


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
def publish(paths, run_id, audits, detail, unchanged=False):
    return pipeline.publish_stage(paths, run_id, audits, detail, unchanged)


@task(name="report", **_task)
def report(paths, out: str):
    return pipeline.report_stage(paths, out)


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
                keep_releases: int = 3, report: str | None = None, only: list[str] | None = None) -> dict:
    """Run the whole job on a source registry (a file, or the name of a bundled one: `vietnam`), or with none on
    the bundled sample web (served from this process on 127.0.0.1, one port per site from sample_port). The
    registry's enabled sources are crawled, or the ones `only` names. `report`: write the HTML report of the
    published warehouse to this file after publishing (none: no report)."""
    if sources:
        try:
            registry = load_registry(sources).select(only)
        except Exception as exc:  # no run starts: still, the UI says why, beside the failed flow run
            paths = pipeline.Paths(Path(warehouse), Path(export_dir), keep_releases)
            _leave_artifacts(paths, {"run_id": "(none: the registry could not be read)", "state": "failed",
                                     "error": str(exc), "registry": str(sources), "warehouse": warehouse,
                                     "export_dir": export_dir, "stage_seconds": {}}, figures=False)
            raise
        return _run(registry, str(sources), warehouse, export_dir, reextract, keep_releases, report)
    web = sample_server.start(port=sample_port)
    get_run_logger().info("no source registry: crawling the bundled sample web on %s", ", ".join(web.urls.values()))
    try:
        return _run(parse_registry(web.registry_text(), origin="sample web registry").select(only),
                    "the bundled sample web",
                    warehouse, export_dir, reextract, keep_releases, report)
    finally:
        web.stop()


def _run(registry: Registry, registry_name: str, warehouse: str, export_dir: str, reextract: bool,
         keep_releases: int, report_out: str | None) -> dict:
    paths = pipeline.Paths(Path(warehouse), Path(export_dir), keep_releases)
    run_id = pipeline.new_run_id()
    distributed = _distributed()
    stages: dict = {}
    # what the run summary artifact reports, filled in as the stages pass (a failed run reports what it reached)
    outcome: dict = {"run_id": run_id, "state": "failed", "registry": registry_name,
                     "n_sources": len(registry.sources), "warehouse": warehouse, "export_dir": export_dir,
                     "stage_seconds": {}, "stages": stages}
    _event(run_id, None, f"start: {len(registry.sources)} sources from {registry_name} -> {warehouse}"
           + (" (tasks on a Dask cluster)" if distributed else ""))
    early = None
    try:
        try:
            with metrics.measured("start", stages):
                known = start_run(paths, registry, run_id)
            ahead_s = pipeline.read_ahead_seconds(run_id)
            if ahead_s is not None:
                stages["start"]["note"] = f"known pages read ahead in {ahead_s:.2f} s while the Prefect server started"
            outcome["recovered"] = recovered = pipeline.recovered_runs(paths, run_id)
            for r in recovered:
                _event(run_id, None, f"recovered killed run {r['run_id']}: landed {r['new_page_versions']} page "
                                     f"versions and {r['fetch_attempts']} fetch attempts it had staged")
            with metrics.measured("crawl", stages) as st:
                # Sources on one host share its politeness limits: they form a group, crawled one after the
                # other; groups run at the same time. Here, all groups in one task (one event loop); on a
                # cluster, a task per group, spread over the workers.
                groups = pipeline.host_groups(registry.sources)
                shares = [[g] for g in groups] if distributed else [groups]
                futures = [crawl.submit("+".join(s.id for g in share for s in g) if distributed else "all", share,
                                        registry.crawl,
                                        _known_arg({s.id: known[s.id] for g in share for s in g}, distributed),
                                        run_id, paths.staging(run_id))
                           for share in shares]
                del known
                outcome["crawl"] = staged = [s for f in futures for s in f.result()]
                st.pages = sum(s["pages"] for s in staged)
                if distributed:
                    st.workers_peak = max((s["peak_rss_mb"] for s in staged), default=0.0)
            if distributed:
                stages["crawl"]["worker_processes"] = _elsewhere(staged)
            with metrics.measured("land", stages) as st:
                # Here, extraction of the new pages starts in a process pool now and overlaps the landing (one
                # DuckDB thread); on a cluster it waits for the plan and goes to the workers.
                early = None if distributed else pipeline.start_extraction(paths, run_id, registry, staged)
                outcome["land"] = landed = land(paths, staged, run_id)
                st.pages = landed["new_page_versions"]
            if landed.get("memory_limit"):
                stages["land"]["note"] = f"DuckDB memory cap raised to {landed['memory_limit']} for big pages"
            _event(run_id, None, f"landed {landed}")
            failed_sources = [s for s in pipeline.source_runs(paths, run_id) if s["failed"]]
            for s in failed_sources:
                _event(run_id, s["source_id"], f"FAILED: no listing page read ({s['attempts']} attempts "
                                               f"{s['outcomes']}); last error {s['last_error']}", logging.WARNING)
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
                outcome["extract"] = extracted = load(paths, results)
                st.pages = extracted["pages"]
            _event(run_id, None, f"extracted {extracted}")
            fingerprint = pipeline.models_fingerprint()
            with metrics.measured("build", stages):
                # a source that failed changes ops.source_health, a model: rebuilt, and published afresh
                rebuild = bool(failed_sources) or pipeline.needs_build(paths, landed, extracted, fingerprint)
                outcome["build"] = built = build(paths) if rebuild else {}
            if rebuild:
                _event(run_id, None, f"built {built}")
            else:
                stages["build"]["note"] = "skipped: nothing new, models unchanged"
            with metrics.measured("audit", stages):
                outcome["audits"] = audits = audit(paths, run_id)
        except Exception as exc:
            if early is not None:
                early.close()
            pipeline.finish_run(paths, run_id, "failed", {"error": str(exc), "stages": stages})
            raise
        for a in audits:
            if not a["passed"]:
                _event(run_id, None, f"audit {a['name']}: {a['failing_rows']} failing rows"
                                     f"{'' if a['blocking'] else ' (warning only)'}", logging.WARNING)
        if any(a["blocking"] and not a["passed"] for a in audits):
            outcome["state"] = "audit_failed"
        with metrics.measured("publish", stages):
            outcome["published"] = manifest = publish(paths, run_id, audits, {
                "stages": stages, "build_fingerprint": fingerprint, "built": bool(built),
                "crawl": summary.crawl_detail(staged), "recovered": recovered}, unchanged=not rebuild)
        outcome["state"] = "published"
        pipeline.record_stages(paths, run_id, stages)
        pipeline.cleanup(paths, run_id)
        _event(run_id, None, f"nothing changed: {manifest['path']} stays current" if manifest.get("kept")
                             else f"published {warehouse} and {manifest['path']}")
        if report_out:
            with metrics.measured("report", stages):
                try:
                    outcome["report"] = rep = report(paths, report_out)
                except Exception as exc:
                    outcome["report_error"] = str(exc)
                    raise
            _event(run_id, None, f"report {rep['path']} ({rep['bytes'] / 1e6:.1f} MB)")
    except Exception as exc:
        outcome["error"] = str(exc)
        _event(run_id, None, f"FAILED ({outcome['state']}): {exc}", logging.ERROR)
        raise
    finally:
        outcome["stage_seconds"] = {name: round(f["seconds"], 2) for name, f in stages.items()}
        _leave_artifacts(paths, outcome)
    _event(run_id, None, f"done in {sum(outcome['stage_seconds'].values()):.1f} s")
    return {"run_id": run_id, "crawl": outcome["crawl"], "land": outcome["land"], "extract": outcome["extract"],
            "build": outcome["build"], "audits": outcome["audits"], "published": outcome["published"],
            "report": outcome.get("report"), "stages": stages, "stage_seconds": outcome["stage_seconds"]}


def _known_arg(known: dict, distributed: bool):
    """What is known of every page (an entry a URL) goes to the local crawl task quoted: Prefect would otherwise
    walk it looking for futures, 0.7 s of an unchanged 10,000-page re-run. Quoted values do not reach tasks on a
    Dask cluster intact; there each task gets its share as it is."""
    return known if distributed else quote(known)


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


def _leave_artifacts(paths: pipeline.Paths, outcome: dict, figures: bool = True) -> None:
    """The run's summary, its failed sources and the report link, in the Prefect UI. Never raises: a run that
    failed must keep its own error, and a run that published stays published."""
    run_id = outcome["run_id"]
    try:
        try:
            if figures:
                outcome.update(summary.warehouse_figures(paths.work_db, run_id))
        except Exception as exc:  # the working file may be unreadable: the summary says what is known
            outcome["figures_error"] = str(exc)
        outcome["current"] = pipeline.current_publication(paths)
        key = "paretl"
        create_markdown_artifact(summary.markdown(outcome), key=f"{key}-run-summary",
                                 description=f"paretl run {run_id}: {outcome['state']}")
        create_table_artifact(summary.failed_sources(outcome), key=f"{key}-failed-sources",
                              description=f"sources that failed in run {run_id} (no listing page read)")
        if outcome.get("report"):
            path = Path(outcome["report"]["path"]).resolve()
            create_link_artifact(path.as_uri(), link_text=str(path), key=f"{key}-report",
                                 description=f"the report of run {run_id} (open the file on the machine that ran it)")
    except Exception as exc:
        _event(run_id, None, f"artifacts not written: {type(exc).__name__}: {exc}", logging.WARNING)


if __name__ == "__main__":
    paretl_flow()
