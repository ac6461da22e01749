"""`paretl status` and the run summary on warehouses written for these tests: runs that published or failed, a
source that fails run after run (since when), the working file held by a run, exit codes; the Markdown summary
and the failed-sources table the flow hands to Prefect."""

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest

from paretl import pipeline, publish, summary
from paretl.cli import main
from paretl.status import EXIT_OK, EXIT_RUN_FAILED, EXIT_SOURCES_FAILING, read_status, source_runs
from synth import warehouse

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.timezone.utc)


def add_run(con, run_id, day, status, detail=None, fetches=()):
    start = T0 + dt.timedelta(days=day)
    con.execute("INSERT INTO ops.runs VALUES (?, ?, ?, ?, ?)",
                [run_id, start, None if status == "running" else start + dt.timedelta(minutes=5), status,
                 json.dumps(detail or {})])
    for i, (source, role, outcome, error) in enumerate(fetches):
        con.execute("INSERT INTO raw.fetch_log VALUES (?, ?, ?, ?, 1, ?, 10, NULL, ?, ?, NULL, NULL)",
                    [run_id, source, f"https://{source}.example.vn/{role}/{i}", role,
                     start + dt.timedelta(seconds=i), outcome, error])


GOOD = lambda s: [(s, "listing", "ok", None), (s, "article", "ok", None), (s, "article", "http_4xx", None)]
DOWN = lambda s: [(s, "robots", "connect_error", "All connection attempts failed"),
                  (s, "listing", "robots_unavailable", None)]


@pytest.fixture
def paths(tmp_path):
    p = pipeline.Paths(tmp_path / "paretl.duckdb", tmp_path / "export")
    p.work_db.parent.mkdir()
    con = warehouse(p.work_db)
    add_run(con, "r1", 0, "published", {"audits": 21}, GOOD("a") + GOOD("b"))
    add_run(con, "r2", 1, "published", {"audits": 21}, GOOD("a") + DOWN("b"))
    add_run(con, "r3", 2, "published", {"audits": 21}, [("a", "listing", "not_modified", None)] + DOWN("b"))
    con.close()
    # releases of r2 and r3 (r1's was pruned), r3 current
    for run in ("r2", "r3"):
        folder = publish.releases_dir(p.export_dir) / run
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({
            "release": run, "run_id": run, "published_at": "2026-04-0%sT02:05:00+00:00" % run[1],
            "tables": {"marts.index_results": {"rows": 140}, "marts.conflicts": {"rows": 3},
                       "core.index_facts": {"rows": 900}}}))
    (p.export_dir / "current").symlink_to("releases/r3")
    return p


def test_a_failing_source_is_followed_across_runs(paths):
    st = read_status(paths)
    assert st.exit_code == EXIT_SOURCES_FAILING
    assert st.verdict == "published by run r3, but 1 source(s) failing: b"
    by_id = {s["source_id"]: s for s in st.sources}
    assert by_id["a"]["failing"] is False  # a 404 on an article does not fail a source; not_modified is a read
    b = by_id["b"]
    assert b["failing"] and b["failing_since_run"] == "r2" and b["failed_runs_in_a_row"] == 2
    assert b["failing_since"] == (T0 + dt.timedelta(days=1, seconds=3)).isoformat(timespec="seconds")  # its first fetch
    assert b["last_good_run"] == "r1" and b["last_error"].startswith("connect_error: All connection attempts failed")
    assert [r["run_id"] for r in st.runs] == ["r3", "r2", "r1"]
    r3, r2, r1 = st.runs
    assert r3["published"]["current"] and r3["published"]["marts_rows"] == {"index_results": 140, "conflicts": 3}
    assert r2["published"]["current"] is False and r1["published"] == {"release": None, "pruned": True}
    assert r3["sources_failed"] == ["b"] and r1["sources_failed"] == []


def test_a_failed_run_is_visible_and_names_the_publication_in_place(paths, capsys):
    con = warehouse(paths.work_db)
    add_run(con, "r4", 3, "audit_failed", {"failed_audits": ["index_results_unique"]}, GOOD("a") + GOOD("b"))
    con.close()
    st = read_status(paths)
    assert st.exit_code == EXIT_RUN_FAILED
    assert st.verdict == ("FAILED: the last run r4 audit_failed (index_results_unique); the previous publication "
                          "stays in place: r3 (run r3)")
    assert not any(s["failing"] for s in st.sources)  # b was read again in r4
    assert main(["status", "--warehouse", str(paths.warehouse), "--export-dir", str(paths.export_dir)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("FAILED: the last run r4")
    assert "r4  audit_failed" in out and "audits failed: index_results_unique" in out
    assert "r3 (current)" in out


def test_a_run_in_progress_and_one_that_never_finished(paths):
    con = warehouse(paths.work_db)
    add_run(con, "r4", 3, "running", {}, GOOD("a"))
    add_run(con, "r5", 4, "running", {}, GOOD("a"))
    con.close()
    st = read_status(paths)
    assert [r["state"] for r in st.runs[:2]] == ["running", "unfinished"]
    assert st.exit_code == EXIT_RUN_FAILED  # r4 died without an end: the last finished run is a failure
    assert st.verdict.startswith("a run is in progress (r5); FAILED: the last run r4 unfinished")


def test_while_a_run_holds_the_working_file_the_published_copy_is_read(paths):
    con = warehouse(paths.warehouse)  # the published copy knows the runs up to its publication
    add_run(con, "r1", 0, "published", {}, GOOD("a"))
    con.close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(paths.work_db)!r})   # read-write, as a stage of a run holds it
        print("held", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        st = read_status(paths)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert st.read_from == str(paths.warehouse) and "busy" in st.note
    assert [r["run_id"] for r in st.runs] == ["r1"] and st.exit_code == EXIT_OK


def test_no_warehouse_is_a_clear_error(tmp_path, capsys):
    assert main(["status", "--warehouse", str(tmp_path / "none.duckdb"), "--export-dir", str(tmp_path)]) == 2
    assert "run `paretl run` first" in capsys.readouterr().err


def test_the_summary_of_a_run_that_published(paths):
    con = warehouse(paths.work_db)
    rows = source_runs(con, "r3")
    con.close()
    outcome = {"run_id": "r3", "state": "published", "registry": "sources.toml", "n_sources": 2,
               "warehouse": "data/paretl.duckdb", "export_dir": "data/export",
               "crawl": [{"source_id": "a", "pages": 0, "outcomes": {}}, {"source_id": "b", "pages": 0}],
               "land": {"new_page_versions": 0, "fetch_attempts": 3},
               "extract": {"pages": 0}, "audits": [{"name": "x", "passed": True, "blocking": True, "failing_rows": 0},
                                                   {"name": "y", "passed": False, "blocking": False,
                                                    "failing_rows": 2}],
               "published": {"path": "data/export/releases/r3", "pruned": ["r1"],
                             "tables": {"marts.index_results": {"rows": 140}, "core.index_facts": {"rows": 9}}},
               "report": {"path": "data/report.html", "bytes": 5_100_000},
               "stage_seconds": {"crawl": 1.5, "publish": 0.5}, "source_runs": rows,
               "facts_by_index": [{"index": "PAR_INDEX", "facts": 9, "pages": 3, "results": 5, "provinces": 4,
                                   "ministries": 1, "years": "2012–2024", "conflicts": 0}]}
    md = summary.markdown(outcome)
    assert md.startswith("# paretl run `r3`: published")
    assert "| source | not_modified | connect_error | robots_unavailable | new or changed pages |" in md
    assert "| a | 1 | 0 | 0 | 0 |" in md
    assert "| b **(failed)** |" in md
    assert "| PAR_INDEX | 9 | 3 | 5 | 4 | 1 | 2012–2024 | 0 |" in md
    assert "1/2 passed." in md and "| y | 2 | no (warning) |" in md
    assert "`data/export/releases/r3` (2 tables; now `current`); pruned r1" in md
    assert "- report: `data/report.html` (5.1 MB)" in md
    assert "| **total** | 2.00 |" in md
    assert "**1 source(s) failed**: b" in md
    (row,) = summary.failed_sources(outcome)
    assert row["source_id"] == "b" and row["pages_read"] == 0 and "robots_unavailable 1" in row["outcomes"]


def test_the_summary_of_a_run_that_failed_early():
    md = summary.markdown({"run_id": "r9", "state": "failed", "error": "cannot open warehouse: busy",
                           "current": {"release": "r3", "run_id": "r3"}, "stage_seconds": {"start": 0.1}})
    assert md.startswith("# paretl run `r9`: FAILED")
    assert "**failed**: cannot open warehouse: busy" in md
    assert "The previous publication stays in place: `r3` (run `r3`)." in md
    assert "Not run (the run stopped before)." in md and "No fetch was recorded." in md
