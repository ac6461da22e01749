"""The main job end to end: the Prefect flow (temporary local server) crawls the bundled sample web over real
HTTP, builds the warehouse, audits and publishes it; a second run changes no row count in core or marts."""

import json
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
    # nothing changed on the web: conditional requests answered 304 (in the working file, which has every run),
    # and the release and the published file stayed as the first run left them
    con = duckdb.connect(str(tmp_path / ".paretl-work" / "paretl.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM raw.fetch_log WHERE outcome = 'not_modified'").fetchall()[0][0] > 20
    detail = con.execute("SELECT detail FROM ops.runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
    con.close()
    second_run = json.loads(detail)
    assert second_run.get("release_kept") and len(list((tmp_path / "export" / "releases").iterdir())) == 1
    assert (tmp_path / "export" / "current").resolve().name == second_run["release"]

    # BI side: another process reads the Parquet export with pyarrow
    code = ("import pyarrow.parquet as pq, sys; t = pq.read_table(sys.argv[1]); "
            "r = [x for x in t.to_pylist() if x['unit_code'] == '20' and x['index_year'] == 2017]; "
            "print(r[0]['rank'], r[0]['prior_rank'], r[0]['rank_change'])")
    out = subprocess.run([sys.executable, "-c", code, str((tmp_path / "export/current/marts/yoy_rankings").resolve())],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["27", "52", "25"]


def test_deployments_point_at_the_flow(root):
    from prefect.flows import load_flow_from_entrypoint

    from paretl import schedule

    spec = yaml.safe_load((root / "prefect.yaml").read_text())
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert set(by_name) == {"scheduled", "sample-web"}
    for d in spec["deployments"]:
        flow = load_flow_from_entrypoint(str(root / d["entrypoint"]))
        assert flow.name == "paretl"
        assert set(d.get("parameters", {})) <= set(flow.parameters.properties)
        assert {"sources", "warehouse", "export_dir", "report"} <= set(d["parameters"])
        # never two runs at once: the second waits
        assert d["concurrency_limit"] == {"limit": schedule.CONCURRENCY_LIMIT,
                                          "collision_strategy": schedule.COLLISION_STRATEGY}
    # the schedule of `paretl serve` (paretl.schedule) is the deployment's
    scheduled = by_name["scheduled"]["schedules"]
    assert [(s["cron"], s["timezone"]) for s in scheduled] == [(c, schedule.TIMEZONE) for c, _ in schedule.SCHEDULES]
    assert not by_name["sample-web"]["schedules"]


def test_the_schedule_is_weekly_then_daily_in_the_season():
    """The dates the Prefect server itself would schedule in 2027 (its CronSchedule), in Việt Nam's time."""
    import asyncio
    import datetime as dt
    from zoneinfo import ZoneInfo

    from prefect.server.schemas.schedules import CronSchedule

    from paretl import schedule

    tz = ZoneInfo(schedule.TIMEZONE)
    fires = []
    for cron, _ in schedule.SCHEDULES:
        s = CronSchedule(cron=cron, timezone=schedule.TIMEZONE)
        fires += [d.astimezone(tz) for d in asyncio.run(s.get_dates(start=dt.datetime(2027, 1, 1, tzinfo=tz),
                                                                     end=dt.datetime(2027, 12, 31, 23, 59, tzinfo=tz)))]
    fires.sort()
    by_month = {m: [d for d in fires if d.month == m] for m in range(1, 13)}
    assert [len(by_month[m]) for m in (4, 5, 6)] == [30, 31, 30]  # daily in the announcement season
    for m in (1, 2, 3, 7, 8, 9, 10, 11, 12):  # weekly, on Mondays, the rest of the year
        assert len(by_month[m]) in (4, 5) and {d.weekday() for d in by_month[m]} == {0}, m
    assert len(set(fires)) == len(fires) and {(d.hour, d.minute) for d in fires} == {(2, 0)}


def test_a_failed_run_is_visible_and_leaves_the_publication(tmp_path, monkeypatch, capsys):
    """A run whose audits fail: the flow fails, `paretl run` exits non-zero, the run's summary artifact says so,
    `paretl status` exits 1 naming the release still in place, and the DuckDB file, release and report stay."""
    import json
    import shutil

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    from paretl import build
    from paretl.cli import main

    port = _free_base_port()
    args = ["--warehouse", str(tmp_path / "paretl.duckdb"), "--export-dir", str(tmp_path / "export")]
    assert main(["run", *args, "--sample-port", str(port), "--quiet", "--report"]) == 0
    first_release = (tmp_path / "export" / "current").resolve()
    report = tmp_path / "report.html"
    before = (report.stat().st_mtime_ns, (tmp_path / "paretl.duckdb").stat().st_mtime_ns)
    assert main(["status", *args]) == 0
    capsys.readouterr()

    sql = tmp_path / "sql"
    shutil.copytree(build.sql_dir(), sql)
    (sql / "audits" / "zz_always_fails.sql").write_text("-- a blocking audit that fails\nSELECT 1 AS broken\n")
    monkeypatch.setenv("PARETL_SQL_DIR", str(sql))
    assert main(["run", *args, "--sample-port", str(port), "--quiet", "--report"]) == 2
    assert "audits failed, nothing published: zz_always_fails" in capsys.readouterr().err
    monkeypatch.delenv("PARETL_SQL_DIR")

    assert (tmp_path / "export" / "current").resolve() == first_release
    assert (report.stat().st_mtime_ns, (tmp_path / "paretl.duckdb").stat().st_mtime_ns) == before
    assert main(["status", *args]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED: the last run") and "audit_failed" in out and first_release.name in out
    assert main(["status", *args, "--json"]) == 1
    st = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in st["runs"]] == ["audit_failed", "published"]
    assert st["current"]["release"] == first_release.name

    # the failed run's summary in Prefect names the failure and the publication that stays
    failed_run = st["runs"][0]["run_id"]
    with get_client(sync_client=True) as client:
        # filtered on the server and newest first: an unfiltered read stops at the API's default page size, and
        # the Prefect home of a machine that has run the suite before already holds more artifacts than that
        arts = [a for a in client.read_artifacts(
                    artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["paretl-run-summary"])),
                    sort=ArtifactSort.CREATED_DESC, limit=50)
                if failed_run in (a.description or "")]
    assert len(arts) == 1
    md = arts[0].data
    assert f"paretl run `{failed_run}`: FAILED" in md and "audit_failed" in md
    assert f"The previous publication stays in place: `{first_release.name}`" in md
    assert "| zz_always_fails | 1 | yes |" in md
