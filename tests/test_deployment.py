"""The main job as a deployment of prefect.yaml on a real Prefect server, run by a process worker.

Slow (a server start is 15-30 s), so it is in the integration group; it leaves nothing running."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

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


def test_nightly_deployment_runs_on_a_server(root, tmp_path):
    port = _free_base_port(1)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PARETL_PROJECT_DIR": str(root),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    prefect = str(BIN / "prefect")
    procs = []
    try:
        procs.append(subprocess.Popen([prefect, "server", "start", "--port", str(port)], env=env, cwd=root,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        _wait(f"http://127.0.0.1:{port}/api/health", 120)
        run = lambda *a: subprocess.run([prefect, *a], env=env, cwd=root, capture_output=True, text=True, check=True)
        run("work-pool", "create", "paretl-process", "--type", "process", "--overwrite")
        run("--no-prompt", "deploy", "--name", "nightly-sample")
        procs.append(subprocess.Popen([prefect, "worker", "start", "--pool", "paretl-process"], env=env, cwd=root,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        params = {"warehouse": str(tmp_path / "w.duckdb"), "export_dir": str(tmp_path / "export"),
                  "sample_port": _free_base_port()}
        out = run("deployment", "run", "paretl/nightly-sample", "--params", json.dumps(params), "--watch",
                  "--watch-timeout", "240")
        assert "Completed" in out.stdout + out.stderr
        import duckdb

        con = duckdb.connect(params["warehouse"], read_only=True)
        assert con.execute("""SELECT rank FROM marts.index_results WHERE unit_code = '20' AND index_year = 2017
                              AND "index" = 'PAR_INDEX'""").fetchall() == [(27,)]
        con.close()
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, 15)
                p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(p.pid, 9)
