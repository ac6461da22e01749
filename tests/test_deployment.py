"""The main job as deployments of prefect.yaml on a real Prefect server, run by a process worker: the schedules and
the concurrency limit as the server holds them, two runs that never overlap (the second waits for a slot), the
artifacts each run leaves (summary, failed sources, report link), and `paretl status` afterwards.

Slow (a server start is 15-30 s, each run 10-20 s), so it is in the integration group; it leaves nothing running."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
import pytest

from test_flow import _free_base_port

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def _wait(url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


def call(method, url, **kw):
    """The server's API, retried as Prefect's own client does when it answers 503 (SQLite busy)."""
    for attempt in range(10):
        r = httpx.request(method, url, timeout=15, **kw)
        if r.status_code != 503:
            assert r.status_code < 300, f"{method} {url}: {r.status_code} {r.text}"
            return r.json()
        time.sleep(0.5 * (attempt + 1))
    raise AssertionError(f"{method} {url}: still 503")


def prefect_env(tmp_path, port, root):
    return {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PARETL_PROJECT_DIR": str(root),
            # a run that found the slot taken is retried after 2 s (30 s by default), workers poll every 2 s
            "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "2", "PREFECT_WORKER_QUERY_SECONDS": "2",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def stop(procs):
    for p in reversed(procs):
        try:
            os.killpg(p.pid, 15)
            p.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            p.wait(timeout=10)


def start_server(env, port, root, procs, log):
    procs.append(subprocess.Popen([str(BIN / "prefect"), "server", "start", "--port", str(port)], env=env, cwd=root,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    _wait(f"http://127.0.0.1:{port}/api/health", 120)


def wait_runs(api, ids, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        runs = [call("GET", f"{api}/flow_runs/{i}") for i in ids]
        if all(r["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for r in runs):
            return runs
        time.sleep(2)
    raise TimeoutError(f"runs not finished: {[(r['id'], r['state']['name']) for r in runs]}")


def create_run(api, deployment_id, parameters) -> str:
    return call("POST", f"{api}/deployments/{deployment_id}/create_flow_run",
                json={"parameters": parameters, "state": {"type": "SCHEDULED"}})["id"]


def artifacts(api, flow_run_id):
    got = call("POST", f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}})
    return {a["key"]: a for a in got}


def test_deployments_run_on_a_server_one_at_a_time_and_leave_artifacts(root, tmp_path):
    from paretl import schedule
    from paretl.cli import main

    port = _free_base_port(1)
    env = prefect_env(tmp_path, port, root)
    api = env["PREFECT_API_URL"]
    prefect = str(BIN / "prefect")
    procs = []
    log = open(tmp_path / "prefect.log", "w")
    try:
        start_server(env, port, root, procs, log)
        run = lambda *a: subprocess.run([prefect, *a], env=env, cwd=root, capture_output=True, text=True, check=True)
        run("work-pool", "create", "paretl-process", "--type", "process", "--overwrite")
        run("--no-prompt", "deploy", "--all")

        # the server holds what prefect.yaml says: both schedules in Việt Nam's time, one run at a time
        deps = {d["name"]: d for d in call("POST", f"{api}/deployments/filter", json={})}
        assert {"scheduled", "sample-web"} <= set(deps)
        sched = deps["scheduled"]
        assert sorted((s["schedule"]["cron"], s["schedule"]["timezone"]) for s in sched["schedules"]) == sorted(
            (c, schedule.TIMEZONE) for c, _ in schedule.SCHEDULES)
        assert all(s["active"] for s in sched["schedules"])
        assert sched["parameters"]["sources"] == "vietnam"  # the bundled registry
        for d in (sched, deps["sample-web"]):
            assert d["global_concurrency_limit"]["limit"] == 1 and d["global_concurrency_limit"]["active"]
            assert d["concurrency_options"]["collision_strategy"] == "ENQUEUE"

        # two runs queued before any worker is up: the worker takes both at once, the limit lets one run
        params = {"warehouse": str(tmp_path / "w.duckdb"), "export_dir": str(tmp_path / "export"),
                  "report": str(tmp_path / "report.html"), "sample_port": _free_base_port()}
        dep_id = deps["sample-web"]["id"]
        ids = [create_run(api, dep_id, params) for _ in range(2)]
        procs.append(subprocess.Popen([prefect, "worker", "start", "--pool", "paretl-process"], env=env, cwd=root,
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        runs = wait_runs(api, ids, 300)
        assert [r["state"]["type"] for r in runs] == ["COMPLETED", "COMPLETED"], [r["state"] for r in runs]
        first, second = sorted(runs, key=lambda r: r["start_time"])
        assert second["start_time"] >= first["end_time"], "two runs of the deployment ran side by side"
        states = [s["name"] for r in runs for s in call("GET", f"{api}/flow_run_states/",
                                                         params={"flow_run_id": r["id"]})]
        assert "AwaitingConcurrencySlot" in states  # the second did not just happen to come later: it waited

        # each run left its summary, its (empty) table of failed sources and the link to the report
        for r in runs:
            arts = artifacts(api, r["id"])
            assert {"paretl-run-summary", "paretl-failed-sources", "paretl-report"} <= set(arts), set(arts)
            md = arts["paretl-run-summary"]["data"]
            assert arts["paretl-run-summary"]["type"] == "markdown"
            for heading in ("## Pages by outcome", "## Facts by index", "## Audits", "## Published",
                            "## Time per stage"):
                assert heading in md
            assert ": published" in md and "| PAR_INDEX |" in md and "| baolangson |" in md
            assert arts["paretl-failed-sources"]["type"] == "table"
            assert json.loads(arts["paretl-failed-sources"]["data"]) == []  # every sample source was read
            # Prefect stores a link artifact as Markdown: [text](file:///.../report.html)
            uri = re.search(r"\((file://[^)]+)\)", arts["paretl-report"]["data"]).group(1)
            assert Path(unquote(urlparse(uri).path)) == (tmp_path / "report.html").resolve()
        assert (tmp_path / "report.html").stat().st_size > 3_000_000

        # a run on a registry whose one source is down: it still publishes, and the source is in the table
        registry = tmp_path / "down.toml"
        registry.write_text('[crawl]\nmax_retries = 0\ntimeout_s = 5\n\n[[source]]\nid = "offline"\n'
                            'start_urls = ["http://127.0.0.1:9/tin-tuc/"]\nallowed_domains = ["127.0.0.1"]\n')
        down = create_run(api, dep_id, {**params, "sources": str(registry)})
        (done,) = wait_runs(api, [down], 180)
        assert done["state"]["type"] == "COMPLETED"
        table = json.loads(artifacts(api, down)["paretl-failed-sources"]["data"])
        assert [t["source_id"] for t in table] == ["offline"]
        assert "connect_error" in table[0]["outcomes"]
        assert "**1 source(s) failed**: offline" in artifacts(api, down)["paretl-run-summary"]["data"]
        # the run's log follows the source by its id
        # (the worker's process ships its log lines in batches: they may reach the server just after the run ends)
        deadline = time.monotonic() + 30
        while True:
            logs = call("POST", f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [down]}}})
            if any("source=offline FAILED: no listing page read" in e["message"] for e in logs) \
                    or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert any("source=offline FAILED: no listing page read" in entry["message"] for entry in logs), \
            [e["message"][:160] for e in logs]

        # a registry that cannot be read: the flow run fails, and its summary says why
        (bad,) = wait_runs(api, [create_run(api, dep_id, {**params, "sources": str(tmp_path / "missing.toml")})],
                           120)
        assert bad["state"]["type"] == "FAILED"
        md = artifacts(api, bad["id"])["paretl-run-summary"]["data"]
        assert "FAILED" in md and "cannot read source registry" in md and "previous publication stays" in md
    finally:
        stop(procs)
        log.close()

    import duckdb

    con = duckdb.connect(params["warehouse"], read_only=True)
    assert con.execute("""SELECT rank FROM marts.index_results WHERE unit_code = '20' AND index_year = 2017
                          AND "index" = 'PAR_INDEX'""").fetchall() == [(27,)]
    con.close()
    # status: three runs published; the offline source failing since the last one
    assert main(["status", "--warehouse", params["warehouse"], "--export-dir", params["export_dir"]]) == 3
