"""Past one machine: the main job with prefect-dask's DaskTaskRunner on a Dask cluster of two worker processes
(crawl tasks by host group, extraction by page batch on the workers; this process the single writer) builds the
same warehouse as a local run: the same facts and the same marts."""

import json

import duckdb
import pytest

from test_flow import _free_base_port

pytestmark = pytest.mark.integration

FACT_COLS = ("fact_id, url, page_url, page_sha256, source_id, published, unit_kind, unit_code, unit_name, \"index\", "
             "index_year, metric, score, score_unit, rank, rank_of, prior_rank, rank_change, evidence, "
             "extractor_version")


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(sql).fetchall(), key=repr)
    finally:
        con.close()


def _tables(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [f"{s}.{t}" for s, t in con.execute("""SELECT table_schema, table_name FROM information_schema.tables
                                                     WHERE table_schema = 'marts' ORDER BY 1, 2""").fetchall()]
    finally:
        con.close()


def test_dask_cluster_builds_the_same_warehouse(tmp_path):
    from dask.distributed import LocalCluster

    from paretl.cli import main

    local, remote = tmp_path / "local", tmp_path / "dask"
    port = _free_base_port()
    assert main(["run", "--warehouse", str(local / "w.duckdb"), "--export-dir", str(local / "export"),
                 "--sample-port", str(port), "--quiet"]) == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["run", "--dask", cluster.scheduler_address, "--warehouse", str(remote / "w.duckdb"),
                     "--export-dir", str(remote / "export"), "--sample-port", str(port), "--quiet"]) == 0

    facts = f"SELECT {FACT_COLS} FROM core.index_facts"
    assert _rows(local / "w.duckdb", facts) == _rows(remote / "w.duckdb", facts)
    assert len(_rows(local / "w.duckdb", facts)) > 50
    acts = "SELECT * EXCLUDE (fact_id) FROM core.activity_facts"
    assert _rows(local / "w.duckdb", acts) == _rows(remote / "w.duckdb", acts)
    marts = _tables(local / "w.duckdb")
    assert marts and marts == _tables(remote / "w.duckdb")
    for table in marts:
        assert _rows(local / "w.duckdb", f"SELECT * FROM {table}") == \
            _rows(remote / "w.duckdb", f"SELECT * FROM {table}"), table
    # the run record says where the work went: crawl and extraction in processes other than the writer's
    stages = json.loads(_rows(remote / "w.duckdb", "SELECT detail FROM ops.runs")[0][0])["stages"]
    assert stages["crawl"]["worker_processes"] >= 1 and stages["extract"]["worker_processes"] >= 1
    assert "worker_processes" not in json.loads(_rows(local / "w.duckdb", "SELECT detail FROM ops.runs")[0][0])["stages"]["crawl"]
