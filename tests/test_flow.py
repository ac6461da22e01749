"""The main job end to end: the Prefect flow (temporary local server) crawls the bundled sample web over real
HTTP, builds the warehouse, audits and publishes it; a second run changes no row count in core or marts."""

import random
import socket
import subprocess
import sys

import duckdb
import pytest
import yaml

pytestmark = pytest.mark.integration


def _free_base_port(n=4):
    for _ in range(50):
        base = random.randint(20000, 60000)
        socks = []
        try:
            for i in range(n):
                s = socket.socket()
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free ports")


def _run(tmp_path, port):
    from paretl.cli import main

    return main(["run", "--warehouse", str(tmp_path / "paretl.duckdb"), "--export-dir", str(tmp_path / "export"),
                 "--sample-port", str(port), "--quiet"])


def test_main_job_twice_on_the_sample_web(tmp_path):
    from paretl import pipeline

    port = _free_base_port()
    assert _run(tmp_path, port) == 0
    db = tmp_path / "paretl.duckdb"
    first = pipeline.counts(db)
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("""SELECT score, rank, rank_of FROM marts.index_results
                         WHERE unit_code = '20' AND "index" = 'PAR_INDEX' AND index_year = 2017""").fetchall()
    assert row == [(79.1, 27, 63)]
    yoy = con.execute("""SELECT prior_rank, rank_change FROM marts.yoy_rankings
                         WHERE unit_code = '20' AND "index" = 'PAR_INDEX' AND index_year = 2017""").fetchall()
    assert yoy == [(52, 25)]
    outcomes = {r[0] for r in con.execute("SELECT DISTINCT outcome FROM raw.fetch_log").fetchall()}
    assert {"ok", "http_4xx", "http_5xx", "robots_disallowed", "bad_content_type"} <= outcomes
    status = con.execute("SELECT status FROM ops.runs").fetchall()
    assert status == [("published",)]
    con.close()

    assert _run(tmp_path, port) == 0
    second = pipeline.counts(db)
    for table, n in first.items():
        if table.startswith(("core.", "marts.")) or table == "raw.pages":
            assert second[table] == n, table
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM raw.fetch_log WHERE outcome = 'not_modified'").fetchall()[0][0] > 20
    con.close()

    # BI side: another process reads the Parquet export with pyarrow
    code = ("import pyarrow.parquet as pq, sys; t = pq.read_table(sys.argv[1]); "
            "r = [x for x in t.to_pylist() if x['unit_code'] == '20' and x['index_year'] == 2017]; "
            "print(r[0]['rank'], r[0]['prior_rank'], r[0]['rank_change'])")
    out = subprocess.run([sys.executable, "-c", code, str((tmp_path / "export/current/marts/yoy_rankings").resolve())],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["27", "52", "25"]


def test_deployments_point_at_the_flow(root):
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((root / "prefect.yaml").read_text())
    assert spec["deployments"]
    for d in spec["deployments"]:
        flow = load_flow_from_entrypoint(str(root / d["entrypoint"]))
        assert flow.name == "paretl"
        assert set(d.get("parameters", {})) <= set(flow.parameters.properties)
        assert d["schedules"][0]["cron"]
