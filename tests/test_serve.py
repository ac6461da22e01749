"""`paretl serve` against a real Prefect server: it registers `paretl/served` with the schedules of
paretl.schedule and a concurrency limit of one, runs a triggered run to completion in its own process (no work
pool, no worker), and on SIGINT stops and pauses its schedules. Integration group; it leaves nothing running."""

import os
import signal
import subprocess
import time

import pytest

from test_deployment import BIN, artifacts, call, create_run, prefect_env, start_server, stop, wait_runs
from test_flow import _free_base_port

pytestmark = pytest.mark.integration


def test_serve_runs_the_schedule_in_one_process(root, tmp_path):
    from paretl import schedule
    from paretl.cli import main

    port = _free_base_port(1)
    env = {**prefect_env(tmp_path, port, root), "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    api = env["PREFECT_API_URL"]
    procs = []
    log = open(tmp_path / "prefect.log", "w")
    work = tmp_path / "run"  # relative paths given to serve are made absolute from its own folder
    work.mkdir()
    try:
        start_server(env, port, root, procs, log)
        serve = subprocess.Popen([str(BIN / "paretl"), "serve", "--warehouse", "data/paretl.duckdb",
                                  "--export-dir", "data/export", "--sample-port", str(_free_base_port())],
                                 env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(serve)
        deadline, dep = time.monotonic() + 90, None
        while dep is None and time.monotonic() < deadline:
            assert serve.poll() is None, (tmp_path / "prefect.log").read_text()[-3000:]
            found = call("POST", f"{api}/deployments/filter", json={"deployments": {"name": {"any_": ["served"]}}})
            dep = found[0] if found else None
            time.sleep(1)
        assert dep is not None, "paretl serve registered no deployment"
        assert sorted((s["schedule"]["cron"], s["schedule"]["timezone"]) for s in dep["schedules"]) == sorted(
            (c, schedule.TIMEZONE) for c, _ in schedule.SCHEDULES)
        assert all(s["active"] for s in dep["schedules"])
        assert dep["global_concurrency_limit"]["limit"] == 1
        assert dep["concurrency_options"]["collision_strategy"] == "ENQUEUE"
        assert dep["parameters"]["warehouse"] == str(work / "data/paretl.duckdb")
        assert dep["parameters"]["report"] == str(work / "data/report.html")
        assert dep["parameters"]["sources"] is None  # the bundled sample web

        (done,) = wait_runs(api, [create_run(api, dep["id"], {})], 240)
        assert done["state"]["type"] == "COMPLETED", done["state"]
        assert {"paretl-run-summary", "paretl-failed-sources", "paretl-report"} <= set(artifacts(api, done["id"]))
        assert (work / "data/report.html").stat().st_size > 3_000_000
        assert main(["status", "--warehouse", str(work / "data/paretl.duckdb"),
                     "--export-dir", str(work / "data/export")]) == 0

        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C
        assert serve.wait(timeout=60) in (0, -signal.SIGINT, 130)
        paused = call("GET", f"{api}/deployments/{dep['id']}")
        assert paused["paused"] is True  # pause_on_shutdown: no run is scheduled for a server nobody serves
    finally:
        stop(procs)
        log.close()
