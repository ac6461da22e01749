"""Publication: Parquet releases (zstd, hive partitions), read back and checked, switched in atomically, the last N
kept; and readers in other processes that never block a run and never see a mix of two releases."""

import json
import os
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from paretl import build, publish
from paretl.errors import ParetlError
from synth import add_index_facts, warehouse
from test_models import ACTIVITY, FACTS


def _work_db(tmp_path, facts=FACTS, name="work.duckdb"):
    from synth import add_activity_facts

    db = tmp_path / name
    db.unlink(missing_ok=True)
    con = warehouse(db)
    add_index_facts(con, facts)
    add_activity_facts(con, ACTIVITY)
    build.build(con)
    con.close()
    return db


def test_a_release_is_partitioned_compressed_described_and_current(tmp_path):
    db = _work_db(tmp_path)
    out, wh = tmp_path / "export", tmp_path / "paretl.duckdb"
    manifest = publish.publish(db, wh, out, "r1")
    assert os.readlink(out / "current") == os.path.join("releases", "r1")
    rel = out / "releases" / "r1"
    on_disk = json.loads((rel / "manifest.json").read_text())
    assert on_disk["run_id"] == "r1" and on_disk["published_at"] and on_disk["compression"] == "zstd"
    con = duckdb.connect(str(wh), read_only=True)
    for table in ("marts.leaderboard", "marts.coverage", "marts.conflicts", "marts.lineage", "core.index_facts"):
        meta = on_disk["tables"][table]
        assert meta["rows"] == con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] > 0, table
        assert all(c["description"] for c in meta["schema"]), table
    con.close()
    assert on_disk["tables"]["marts.coverage"]["partition_by"] == ["index", "index_year"]
    assert on_disk["tables"]["marts.lineage"]["partition_by"] == ["index"]
    assert on_disk["tables"]["marts.activity_figures"]["partition_by"] == ["index_year"]
    assert on_disk["tables"]["core.provinces"]["partition_by"] == []
    part = rel / "marts" / "index_results" / "index=PAR_INDEX" / "index_year=2012"
    files = list(part.glob("*.parquet"))
    assert files
    meta = pq.ParquetFile(files[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert "index" not in meta.schema.names  # the partition is in the path, hive style
    assert manifest["pruned"] == []
    # a reader that did not write it: pyarrow in another process, through `current`
    code = ("import os, sys, pyarrow.dataset as ds; d = os.path.realpath(sys.argv[1] + '/current'); "
            "t = ds.dataset(d + '/marts/leaderboard', partitioning='hive'); "
            "print(t.to_table(filter=(ds.field('index') == 'PAR_INDEX') & (ds.field('index_year') == 2012)).num_rows)")
    got = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "63"


def test_the_last_n_releases_are_kept(tmp_path):
    db = _work_db(tmp_path)
    out, wh = tmp_path / "export", tmp_path / "paretl.duckdb"
    for run in ("r1", "r2", "r3", "r4"):
        publish.publish(db, wh, out, run, keep_releases=2)
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["r3", "r4"]
    assert os.readlink(out / "current").endswith("r4")
    m = publish.publish(db, wh, out, "r4", keep_releases=2)  # the same run again: a release beside it
    assert m["release"] == "r4.2" and m["pruned"] == ["r3"]
    assert sorted(os.listdir(out)) == ["current", "releases"]  # no temporary files left behind
    with pytest.raises(ParetlError, match="at least 1"):
        publish.publish(db, wh, out, "r5", keep_releases=0)


def test_a_failed_read_back_publishes_nothing(tmp_path, monkeypatch):
    db = _work_db(tmp_path)
    out, wh = tmp_path / "export", tmp_path / "paretl.duckdb"
    publish.publish(db, wh, out, "r1")
    before = wh.read_bytes()
    real = publish._export_table

    def lose_a_partition(con, table, target):  # a partition file lost between writing and checking
        meta = real(con, table, target)
        if table == "marts.coverage":
            next(target.rglob("*.parquet")).unlink()
        return meta

    monkeypatch.setattr(publish, "_export_table", lose_a_partition)
    with pytest.raises(ParetlError, match="export check failed for marts.coverage: .* rows, DuckDB has"):
        publish.publish(db, wh, out, "r2")
    assert os.readlink(out / "current").endswith("r1")
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["r1"]
    assert wh.read_bytes() == before


def test_the_old_one_file_per_table_layout_is_replaced(tmp_path):
    out = tmp_path / "export"
    (out / "marts").mkdir(parents=True)
    (out / "marts" / "index_results.parquet").write_bytes(b"old")
    (out / "manifest.json").write_text('{"run_id": "old", "tables": {}}')
    publish.publish(_work_db(tmp_path), tmp_path / "paretl.duckdb", out, "r1")
    assert sorted(os.listdir(out)) == ["current", "releases"]


READER = r"""
import json, os, sys, time
import duckdb, pyarrow.dataset as ds
warehouse, export, stop, log = sys.argv[1:5]
held = duckdb.connect(warehouse, read_only=True)   # held open for the whole run, as an analyst would

def held_view():
    run = held.execute("SELECT max(run_id) FROM ops.runs WHERE status = 'published'").fetchall()[0][0]
    return run, held.execute("SELECT count(*) FROM marts.index_results").fetchall()[0][0]

first = held_view()
seen, mixes, reads = set(), [], 0
with open(log, "a") as out:
    while True:
        done = os.path.exists(stop)
        release = os.path.realpath(os.path.join(export, "current"))   # resolve once, then read only from it
        manifest = json.load(open(os.path.join(release, "manifest.json")))
        for table, meta in manifest["tables"].items():
            part = ds.partitioning(flavor="hive") if meta["partition_by"] else None
            n = ds.dataset(os.path.join(release, meta["path"]), partitioning=part).count_rows()
            if n != meta["rows"]:
                mixes.append([manifest["run_id"], table, n, meta["rows"]])
        reads += 1
        if manifest["run_id"] not in seen:
            seen.add(manifest["run_id"])
            out.write(manifest["run_id"] + "\n"); out.flush()
        if held_view() != first:
            mixes.append(["held connection changed", held_view(), first])
        if done:
            break
        time.sleep(0.01)
print(json.dumps({"seen": sorted(seen), "mixes": mixes, "reads": reads, "held": first}))
"""


def test_readers_never_block_a_run_nor_see_a_mix(root, tmp_path):
    from test_warehouse import _run

    site = root / "src/paretl/sample_site/sites/tintuc-quocgia/cai-cach-hanh-chinh"
    names = sorted(p.name for p in site.glob("*.html") if p.name != "index.html" and "trang-" not in p.name)
    paths = _run(root, tmp_path, names[:6], "r1")
    n_before = duckdb.connect(str(paths.warehouse), read_only=True).execute(
        "SELECT count(*) FROM marts.index_results").fetchall()[0][0]
    stop, log = tmp_path / "stop", tmp_path / "seen.log"
    log.write_text("")
    reader = subprocess.Popen([sys.executable, "-c", READER, str(paths.warehouse), str(paths.export_dir), str(stop),
                               str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while "r1" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "r1" in log.read_text(), "the reader did not start"
        t0 = time.monotonic()
        _run(root, tmp_path, names, "r2")  # the whole job again, more pages, while the reader holds the file
        took = time.monotonic() - t0
        while "r2" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.touch()
        out, err = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    got = json.loads(out)
    assert got["seen"] == ["r1", "r2"] and got["mixes"] == [], got
    assert got["reads"] > 5  # it kept reading while the job ran and published
    assert got["held"] == ["r1", n_before]  # the open connection kept reading the release it opened
    assert took < 60
    con = duckdb.connect(str(paths.warehouse), read_only=True)  # a new connection sees the new release
    assert con.execute("SELECT max(run_id) FROM ops.runs WHERE status = 'published'").fetchall()[0][0] == "r2"
    assert con.execute("SELECT count(*) FROM marts.index_results").fetchall()[0][0] > n_before


def test_a_run_that_changed_nothing_keeps_the_current_release(tmp_path):
    """An unchanged run (nothing landed or loaded, models not rebuilt) keeps the release in place instead of
    copying the warehouse and writing every table again; anything missing or a changed run publishes afresh."""
    from paretl import pipeline
    from paretl.status import read_status
    from paretl.warehouse import connect

    paths = pipeline.Paths(tmp_path / "paretl.duckdb", tmp_path / "export")
    paths.work_db.parent.mkdir(parents=True)
    os.replace(_work_db(tmp_path), paths.work_db)

    def run(unchanged):
        run_id = pipeline.new_run_id()
        with connect(paths.work_db) as con:
            pipeline._record_start(con, run_id, {})
        return run_id, pipeline.publish_stage(paths, run_id, [], {}, unchanged=unchanged)

    first, m1 = run(False)
    assert not m1.get("kept") and m1["release"] == first
    published_file = paths.warehouse.stat().st_mtime_ns
    second, m2 = run(True)
    third, m3 = run(True)  # kept by a run that itself kept it
    assert m2["kept"] and m3["kept"] and m2["release"] == m3["release"] == first
    assert sorted(p.name for p in (paths.export_dir / "releases").iterdir()) == [first]
    assert paths.warehouse.stat().st_mtime_ns == published_file
    st = read_status(paths)
    assert [r["published"]["release"] for r in st.runs[:3]] == [first] * 3
    assert [r["published"]["kept"] for r in st.runs[:3]] == [True, True, False]

    paths.warehouse.unlink()  # the published file is gone: an unchanged run publishes it again
    fourth, m4 = run(True)
    assert not m4.get("kept") and m4["release"] == fourth and paths.warehouse.is_file()
    fifth, m5 = run(False)  # something changed: a new release whatever the current one
    assert not m5.get("kept") and publish.current_release(paths.export_dir).name == fifth
