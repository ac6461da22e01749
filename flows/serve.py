"""`paretl serve`: the scheduled job in one long-lived process (Prefect's `serve`), for a single machine with no
work pool or worker. It registers the deployment `paretl/served` with the schedules of paretl.schedule and a
concurrency limit of one (a second run waits), then runs each scheduled or triggered run in a subprocess until
it is stopped (Ctrl-C or SIGTERM), when it pauses the schedules."""

from __future__ import annotations

from pathlib import Path

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron

from paretl import schedule
from paretl_flows.main import paretl_flow

DEPLOYMENT = "served"


def parameters(sources: str | None, warehouse: str, export_dir: str, report: str | None, keep_releases: int,
               sample_port: int | None = None) -> dict:
    """Absolute paths: a served run executes in a subprocess, whose working folder need not be this one's."""
    # a registry file by its absolute path; a bundled registry ('vietnam') by its name
    params = {"sources": (str(Path(sources).resolve()) if Path(sources).exists() else sources) if sources else None,
              "warehouse": str(Path(warehouse).resolve()), "export_dir": str(Path(export_dir).resolve()),
              "report": str(Path(report).resolve()) if report else None, "keep_releases": keep_releases}
    if sample_port is not None:
        params["sample_port"] = sample_port
    return params


def serve(params: dict, name: str = DEPLOYMENT) -> None:
    paretl_flow.serve(
        name=name,
        schedules=[Cron(cron, timezone=schedule.TIMEZONE) for cron, _ in schedule.SCHEDULES],
        parameters=params,
        global_limit=ConcurrencyLimitConfig(limit=schedule.CONCURRENCY_LIMIT,
                                            collision_strategy=ConcurrencyLimitStrategy(schedule.COLLISION_STRATEGY)),
        limit=schedule.CONCURRENCY_LIMIT,
        description="The whole job on a schedule (paretl serve): weekly, daily from April to June; one run at a time.",
        tags=["paretl"],
        pause_on_shutdown=True,
    )
