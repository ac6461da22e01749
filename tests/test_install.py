"""The package as a user gets it: `pip install .` (not editable) into a fresh virtual environment, then `paretl run`
from an empty folder publishes: the SQL models and the reference data travel inside the package.

Slow (pip resolves the pinned dependencies from the package index, then a Prefect flow runs), so integration."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from test_flow import _free_base_port

pytestmark = pytest.mark.integration


def test_a_wheel_in_a_fresh_environment_runs_the_job_from_an_empty_folder(root, tmp_path):
    # only what a source distribution holds: no sql/ beside it, no checkout to fall back on
    src = tmp_path / "src"
    src.mkdir()
    for part in ("pyproject.toml", "README.md", "src", "flows"):
        copy = shutil.copytree if (root / part).is_dir() else shutil.copy2
        copy(root / part, src / part, **({"ignore": shutil.ignore_patterns("__pycache__", "*.egg-info")}
                                         if (root / part).is_dir() else {}))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(src),
                          "-c", str(root / "requirements.lock")], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARETL_", "PYTHON", "VIRTUAL_ENV"))}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import paretl, paretl.build as b; print(paretl.__file__); print(b.sql_dir())"],
                           capture_output=True, text=True, check=True, env=env, cwd=tmp_path)
    assert all(line.startswith(str(venv)) for line in where.stdout.split()), where.stdout

    empty = tmp_path / "empty"
    empty.mkdir()
    run = subprocess.run([str(venv / "bin" / "paretl"), "run", "--sample-port", str(_free_base_port()), "--quiet",
                          "--report"],
                         capture_output=True, text=True, env=env, cwd=empty, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    manifest = json.loads((empty / "data/export/current/manifest.json").read_text())
    assert manifest["tables"]["marts.leaderboard"]["rows"] > 0
    assert manifest["tables"]["marts.coverage"]["rows"] > 0
    # the report's template and plotly.js come with the installed packages
    assert "Plotly" in (empty / "data/report.html").read_text(encoding="utf-8")
    import duckdb

    con = duckdb.connect(str(empty / "data/paretl.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts' AND comment IS NULL"
                       ).fetchall() == [(0,)]
    assert con.execute("""SELECT rank FROM marts.index_results WHERE unit_code = '20' AND "index" = 'PAR_INDEX'
                          AND index_year = 2017""").fetchall() == [(27,)]
    con.close()
