"""Write-audit-publish: the analysts' DuckDB file and the Parquet exports change only after the audits pass.

The pipeline builds in a private working file. Publishing copies it beside the published file and swaps it in
with an atomic rename, and writes the Parquet exports to a new folder, reads every file back with pyarrow to check
it, then swaps the folder in. Readers see the old release or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from paretl.errors import ParetlError
from paretl.extract import EXTRACTOR_VERSION

# What BI tools get: the marts, the facts with their provenance, and the dimensions. Raw page bodies stay in the
# DuckDB file.
EXPORT_TABLES = (
    "marts.index_results", "marts.yoy_rankings", "marts.activity_figures", "ops.source_health",
    "core.index_facts", "core.activity_facts", "core.provinces", "core.province_lineage", "core.ministries",
)


def work_path(warehouse: str | Path) -> Path:
    """The private working file behind a published warehouse."""
    w = Path(warehouse)
    return w.parent / ".paretl-work" / w.name


def _export(db: Path, out_dir: Path) -> dict[str, int]:
    counts = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in EXPORT_TABLES:
            schema, name = table.split(".")
            target = out_dir / schema / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY {table} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    for table, n in counts.items():
        schema, name = table.split(".")
        got = pq.read_table(out_dir / schema / f"{name}.parquet").num_rows
        if got != n:
            raise ParetlError(f"export check failed: {table} has {n} rows but its Parquet file {got}")
    return counts


def publish(work_db: str | Path, warehouse: str | Path, export_dir: str | Path, run_id: str) -> dict:
    work_db, warehouse, export_dir = Path(work_db), Path(warehouse), Path(export_dir)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    export_dir.parent.mkdir(parents=True, exist_ok=True)
    staged_db = warehouse.with_name(f".{warehouse.name}.{run_id}.tmp")
    staged_dir = export_dir.with_name(f".{export_dir.name}.{run_id}.tmp")
    old_dir = export_dir.with_name(f".{export_dir.name}.{run_id}.old")
    try:
        shutil.copyfile(work_db, staged_db)
        if staged_dir.exists():
            shutil.rmtree(staged_dir)
        counts = _export(staged_db, staged_dir)
        manifest = {"run_id": run_id, "published_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                    "extractor_version": EXTRACTOR_VERSION, "warehouse": str(warehouse), "tables": counts}
        (staged_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
        os.replace(staged_db, warehouse)
        if export_dir.exists():
            export_dir.rename(old_dir)
        staged_dir.rename(export_dir)
        shutil.rmtree(old_dir, ignore_errors=True)
    finally:
        staged_db.unlink(missing_ok=True)
        shutil.rmtree(staged_dir, ignore_errors=True)
    return manifest
