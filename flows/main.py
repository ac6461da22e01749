"""The main paretl flow: crawl -> land -> extract -> build -> audit -> publish (-> report).

Thin on purpose: every task calls one stage function of paretl.pipeline, which knows nothing of Prefect.
Tasks are per host group (crawl) or per stage, never per page: a Prefect task costs milliseconds.
Tasks take paths and plain data, never a DuckDB connection (it cannot be hashed or shared across threads).

Every run, published or failed, leaves three artifacts in the Prefect UI: a Markdown summary (`paretl-run-summary`:
pages by outcome, facts by index, audits, what was published, time per stage), the table of the sources that
failed (`paretl-failed-sources`) and, when it wrote one, a link to the report (`paretl-report`). Log lines are one
event each, `run=<run id> source=<source id or -> what happened`, so one source can be followed across runs.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from paretl import pipeline, summary
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


@task(name="crawl", task_run_name="crawl-{group_name}", retries=0, **_task)
def crawl_group(group_name: str, sources, settings, known, run_id: str, staging_dir: Path) -> list[dict]:
    out = []
    for source in sources:
        summary_ = pipeline.crawl_stage(source, settings, known[source.id], run_id, staging_dir,
                                        progress=lambda msg, sid=source.id: _event(run_id, sid, msg))
        _event(run_id, source.id, f"crawled: {summary_['pages']} new or changed pages; attempts "
                                  f"{summary_['outcomes']}")
        out.append(summary_)
    return out


@task(name="land", **_task)
def land(paths, staged, run_id):
    return pipeline.land_stage(paths, staged, run_id)


@task(name="extract-load", **_task)
def extract(paths, run_id, force: bool = False):
    return pipeline.extract_stage(paths, force=force, progress=lambda msg: _event(run_id, None, msg))


@task(name="build-models", **_task)
def build(paths):
    return pipeline.build_stage(paths)


@task(name="audit", **_task)
def audit(paths, run_id):
    return pipeline.audit_stage(paths, run_id)


@task(name="publish", **_task)
def publish(paths, run_id, audits):
    return pipeline.publish_stage(paths, run_id, audits)


@task(name="report", **_task)
def report(paths, out: str):
    return pipeline.report_stage(paths, out)


@flow(name="paretl", log_prints=True)
def paretl_flow(sources: str | None = None, warehouse: str = "data/paretl.duckdb", export_dir: str = "data/export",
                sample_port: int = sample_server.DEFAULT_PORT, reextract: bool = False,
                keep_releases: int = 3, report: str | None = None) -> dict:
    """Run the whole job on a source registry file, or with none on the bundled sample web (served from this
    process on 127.0.0.1, one port per site from sample_port). `report`: write the HTML report of the published
    warehouse to this file after publishing (none: no report)."""
    if sources:
        try:
            registry = load_registry(sources)
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
        return _run(parse_registry(web.registry_text(), origin="sample web registry"), "the bundled sample web",
                    warehouse, export_dir, reextract, keep_releases, report)
    finally:
        web.stop()


def _run(registry: Registry, registry_name: str, warehouse: str, export_dir: str, reextract: bool,
         keep_releases: int, report_out: str | None) -> dict:
    paths = pipeline.Paths(Path(warehouse), Path(export_dir), keep_releases)
    run_id = pipeline.new_run_id()
    outcome: dict = {"run_id": run_id, "state": "failed", "registry": registry_name,
                     "n_sources": len(registry.sources), "warehouse": warehouse, "export_dir": export_dir,
                     "stage_seconds": {}}

    @contextmanager
    def stage(name):
        t0 = time.monotonic()
        try:
            yield
        finally:
            outcome["stage_seconds"][name] = round(time.monotonic() - t0, 2)

    _event(run_id, None, f"start: {len(registry.sources)} sources from {registry_name} -> {warehouse}")
    try:
        with stage("start"):
            known = start_run(paths, registry, run_id)
        try:
            with stage("crawl"):
                # one task per host group: sources on one host share its politeness limits, hosts run in parallel
                futures = [crawl_group.submit("+".join(s.id for s in group), group, registry.crawl,
                                              {s.id: known[s.id] for s in group}, run_id, paths.staging(run_id))
                           for group in pipeline.host_groups(registry.sources)]
                outcome["crawl"] = staged = [summary_ for f in futures for summary_ in f.result()]
            with stage("land"):
                outcome["land"] = landed = land(paths, staged, run_id)
            _event(run_id, None, f"landed {landed}")
            for s in pipeline.source_runs(paths, run_id):
                if s["failed"]:
                    _event(run_id, s["source_id"], f"FAILED: no listing page read ({s['attempts']} attempts "
                                                   f"{s['outcomes']}); last error {s['last_error']}", logging.WARNING)
            with stage("extract"):
                outcome["extract"] = extract(paths, run_id, force=reextract)
            with stage("build"):
                outcome["build"] = built = build(paths)
            _event(run_id, None, f"built {built}")
            with stage("audit"):
                outcome["audits"] = audits = audit(paths, run_id)
        except Exception as exc:
            pipeline.finish_run(paths, run_id, "failed", {"error": str(exc)})
            raise
        for a in audits:
            if not a["passed"]:
                _event(run_id, None, f"audit {a['name']}: {a['failing_rows']} failing rows"
                                     f"{'' if a['blocking'] else ' (warning only)'}", logging.WARNING)
        if any(a["blocking"] and not a["passed"] for a in audits):
            outcome["state"] = "audit_failed"
        with stage("publish"):
            outcome["published"] = manifest = publish(paths, run_id, audits)
        outcome["state"] = "published"
        _event(run_id, None, f"published {warehouse} and {manifest['path']}")
        if report_out:
            with stage("report"):
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
        _leave_artifacts(paths, outcome)
    _event(run_id, None, f"done in {sum(outcome['stage_seconds'].values()):.1f} s")
    return {"run_id": run_id, "crawl": outcome["crawl"], "land": outcome["land"], "extract": outcome["extract"],
            "build": outcome["build"], "audits": outcome["audits"], "published": outcome["published"],
            "report": outcome.get("report"), "stage_seconds": outcome["stage_seconds"]}


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
