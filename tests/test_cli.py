"""The command line as a user meets it: JSON lines out, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CONTRACT = {"source", "url", "unit_name", "unit_code", "unit_kind", "index", "index_year", "score", "score_unit",
            "rank", "rank_of", "prior_rank", "rank_change", "evidence", "metric", "value", "unit", "level"}


def paretl(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "paretl.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_extract_prints_the_contract(root):
    page = root / "tests/data/founding_example.txt"
    out = paretl("extract", "--url", "https://baolangson.vn/a.html", str(page))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(CONTRACT <= set(r) for r in rows)
    par = [r for r in rows if r["index"] == "PAR_INDEX" and r["index_year"] == 2017]
    assert [(r["source"], r["url"], r["score"], r["rank"], r["prior_rank"], r["rank_change"]) for r in par] == \
        [(str(page), "https://baolangson.vn/a.html", 79.1, 27, 52, 25)]
    # the text also says where the province stood in 2016
    assert [(r["index_year"], r["rank"]) for r in rows if r["index"] == "PAR_INDEX" and r["index_year"] == 2016] == \
        [(2016, 52)]


@pytest.mark.parametrize("args,needle", [
    (["extract", "no/such/file.html"], "no/such/file.html"),
    (["run", "--sources", "no/such/sources.toml"], "cannot read source registry"),
    (["extract", "--published", "2018-13-45", "x"], "--published must be YYYY-MM-DD"),
])
def test_errors_are_one_line(tmp_path, args, needle):
    out = paretl(*args, cwd=tmp_path)
    assert out.returncode != 0
    assert needle in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_bad_registry_names_entry_and_field(tmp_path):
    reg = tmp_path / "s.toml"
    reg.write_text('[[source]]\nid = "x"\nstart_urls = ["https://a.vn/"]\nallowed_domains = ["a.vn"]\n'
                   'province_code = "77x"\n', encoding="utf-8")
    out = paretl("run", "--sources", str(reg), cwd=tmp_path)
    assert out.returncode == 2
    assert "source #1 (id='x')" in out.stderr and "'province_code'" in out.stderr


def test_serve_without_a_server_says_how_to_start_one(tmp_path):
    # Prefect's temporary server has no scheduler: serving on it would never run the schedule
    import os

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    out = subprocess.run([sys.executable, "-m", "paretl.cli", "serve"], capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "paretl: error: paretl serve needs a Prefect server for its schedules: start one (`make server`, or "
        "`prefect server start`) and set PREFECT_API_URL=http://127.0.0.1:4200/api"]


def test_the_temporary_server_skips_setting_up_a_database_this_prefect_set_up(tmp_path, monkeypatch):
    """The marker beside Prefect's default SQLite file: none before the file exists, none for a configured
    database URL (always checked), one per Prefect version otherwise."""
    import importlib.util

    from paretl.cli import TemporaryPrefectServer

    pkg = Path(importlib.util.find_spec("prefect").origin).parent
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_DATABASE_CONNECTION_URL", raising=False)
    monkeypatch.delenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", raising=False)
    assert TemporaryPrefectServer._set_up_marker(pkg) is None  # no database yet: the server sets it up
    (tmp_path / "prefect.db").write_bytes(b"")
    marker = TemporaryPrefectServer._set_up_marker(pkg)
    assert marker is not None and marker.parent == tmp_path and marker.name.startswith(".paretl-db-set-up-")
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://elsewhere/prefect")
    assert TemporaryPrefectServer._set_up_marker(pkg) is None
