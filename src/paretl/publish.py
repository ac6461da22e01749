"""Write-audit-publish: the analysts' DuckDB file and the Parquet release change only after the audits pass.

The pipeline builds in a private working file. Publishing

1. copies the working file beside the published one;
2. exports every mart (and the facts and dimensions) from that copy as Parquet (zstd) into a new release folder,
   `<export_dir>/releases/<run_id>/<schema>/<table>/`, hive-partitioned by `index` and `index_year` where the table
   has them, with `manifest.json` (tables, schemas with descriptions, row counts, run id, time);
3. reads every table back with pyarrow (a reader that did not write it) and checks rows, columns, types and null
   counts against DuckDB's; a failed check publishes nothing;
4. swaps the DuckDB file in (atomic rename), then points `<export_dir>/current` at the new release (a symlink
   replaced by an atomic rename);
5. keeps the last N releases (the current one always).

Readers see the old release or the new one, never part of each: an open read-only DuckDB connection keeps reading
the file it opened (the rename does not touch it), and a Parquet reader that resolves `current` once (realpath)
reads one release, which stays on disk while it is among the last N.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from paretl.errors import ParetlError
from paretl.extract import EXTRACTOR_VERSION
from paretl.warehouse import connect

# Beside every table of marts: the facts with their provenance and the dimensions. Raw page bodies stay in DuckDB.
EXPORT_EXTRA = (
    "ops.source_health", "core.index_facts", "core.activity_facts", "core.provinces", "core.province_lineage",
    "core.province_maps", "core.ministries", "core.indices", "core.reference_results",
)
PARTITION_COLUMNS = ("index", "index_year")
DEFAULT_KEEP = 3


def work_path(warehouse: str | Path) -> Path:
    """The private working file behind a published warehouse."""
    w = Path(warehouse)
    return w.parent / ".paretl-work" / w.name


def releases_dir(export_dir: str | Path) -> Path:
    return Path(export_dir) / "releases"


def current_release(export_dir: str | Path) -> Path | None:
    """The folder of the current release, resolved once (read every table from it, not through `current`)."""
    cur = Path(export_dir) / "current"
    return Path(os.path.realpath(cur)) if cur.is_symlink() else None


def export_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    marts = [f"marts.{t}" for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND database_name = current_database() "
        "ORDER BY table_name").fetchall()]
    return marts + list(EXPORT_EXTRA)


def _columns(con, table: str) -> list[dict]:
    schema, name = table.split(".")
    return [{"name": c, "type": t, "description": d} for c, t, d in con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "AND database_name = current_database() ORDER BY column_index", [schema, name]).fetchall()]


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def _norm(t: pa.DataType) -> str:
    """Arrow types as a Parquet round trip keeps them: string flavours and dictionary encoding are one type."""
    if pa.types.is_dictionary(t):
        return _norm(t.value_type)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return "string"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or getattr(pa.types, "is_list_view", lambda _: False)(t):
        return f"list<{_norm(t.value_type)}>"
    return str(t)


def _export_table(con, table: str, target: Path) -> dict:
    cols = _columns(con, table)
    names = [c["name"] for c in cols]
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    parts = [c for c in PARTITION_COLUMNS if c in names] if rows else []
    target.mkdir(parents=True)
    if parts:
        opts = f"PARTITION_BY ({', '.join(_q(c) for c in parts)})"
        con.execute(f"COPY {table} TO '{target}' (FORMAT parquet, COMPRESSION zstd, {opts})")
    else:
        con.execute(f"COPY {table} TO '{target / 'data_0.parquet'}' (FORMAT parquet, COMPRESSION zstd)")
    files = sorted(target.rglob("*.parquet"))
    return {"path": str(target.relative_to(target.parents[1])), "rows": rows, "partition_by": parts,
            "files": len(files), "bytes": sum(f.stat().st_size for f in files), "schema": cols}


def _check_table(con, table: str, folder: Path, meta: dict) -> None:
    """Read the table back with pyarrow and compare it with DuckDB's copy: rows, columns, types, nulls."""
    want = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    parts = meta["partition_by"]
    partitioning = ds.partitioning(pa.schema([want.field(c) for c in parts]), flavor="hive") if parts else None
    dataset = ds.dataset(folder, format="parquet", partitioning=partitioning)
    # read a batch at a time, in this thread: the whole table at once (and pyarrow's scan threads, each leaving its
    # own malloc arena behind) held +43 MB of the job for marts.conflicts alone at 50,000 pages, and kept it
    names = dataset.schema.names
    rows, got_nulls = 0, dict.fromkeys(names, 0)
    for batch in dataset.to_batches(use_threads=False, batch_readahead=1, fragment_readahead=1):
        rows += batch.num_rows
        for name, col in zip(batch.schema.names, batch.columns):
            got_nulls[name] += col.null_count
    problems = []
    if rows != meta["rows"]:
        problems.append(f"{rows} rows, DuckDB has {meta['rows']}")
    if sorted(names) != sorted(want.names):
        problems.append(f"columns {sorted(names)} instead of {sorted(want.names)}")
    else:
        for f in want:
            if _norm(dataset.schema.field(f.name).type) != _norm(f.type):
                problems.append(f"column {f.name} is {dataset.schema.field(f.name).type}, DuckDB gives {f.type}")
        nulls = con.execute(f"SELECT {', '.join(f'count(*) - count({_q(n)})' for n in want.names)} FROM {table}"
                            ).fetchall()[0] if want.names else ()
        for name, n in zip(want.names, nulls):
            if got_nulls[name] != n:
                problems.append(f"column {name} has {got_nulls[name]} nulls, DuckDB has {n}")
    if problems:
        raise ParetlError(f"export check failed for {table}: {'; '.join(problems)}")


# The export's DuckDB memory cap. Without one (DuckDB's default: 80% of the machine) the copy kept every block it
# read and every partition writer's buffers until it closed: +107 MB of the job at 50,000 pages, +70 MB at 10,000.
PUBLISH_MEMORY = "64MB"


def _write_release(db: Path, folder: Path, release: str, run_id: str, warehouse: Path, timings: dict) -> dict:
    tables = {}
    with connect(db, read_only=True, memory_limit=PUBLISH_MEMORY) as con:
        t0 = time.perf_counter()
        for table in export_tables(con):
            schema, name = table.split(".")
            tables[table] = _export_table(con, table, folder / schema / name)
        t1 = time.perf_counter()
        for table, meta in tables.items():
            schema, name = table.split(".")
            _check_table(con, table, folder / schema / name, meta)
        timings.update(export_s=round(t1 - t0, 3), read_back_s=round(time.perf_counter() - t1, 3))
    manifest = {"release": release, "run_id": run_id,
                "published_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                "extractor_version": EXTRACTOR_VERSION, "warehouse": str(warehouse), "format": "parquet",
                "compression": "zstd", "partitioning": "hive", "tables": tables}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    return manifest


def _switch_current(export_dir: Path, release: str) -> None:
    link = export_dir / "current"
    tmp = export_dir / f".current.{release}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(Path("releases") / release, tmp)  # relative: the export folder can be moved or mounted elsewhere
    os.replace(tmp, link)  # rename(2) replaces the old link atomically
    fd = os.open(export_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _published_at(folder: Path) -> str:
    try:
        return json.loads((folder / "manifest.json").read_text("utf-8"))["published_at"]
    except (OSError, ValueError, KeyError):
        return dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.timezone.utc).isoformat()


def prune(export_dir: str | Path, keep: int) -> list[str]:
    """Delete all but the `keep` latest releases (never the current one); returns the names deleted."""
    rel = releases_dir(export_dir)
    current = current_release(export_dir)
    done = sorted((d for d in rel.iterdir() if d.is_dir() and not d.name.startswith(".")), key=_published_at)
    removed = []
    for d in done[:-keep] if keep > 0 else done:
        if current is not None and d.resolve() == current:
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d.name)
    return removed


def _drop_legacy_layout(export_dir: Path) -> None:
    """Exports of paretl before releases (one file per table at the top) would shadow the releases: remove them."""
    legacy = export_dir / "manifest.json"
    if legacy.is_file():
        for name in ("marts", "core", "ops"):
            shutil.rmtree(export_dir / name, ignore_errors=True)
        legacy.unlink(missing_ok=True)


def kept_release(warehouse: str | Path, export_dir: str | Path, release: str | None) -> dict | None:
    """The current release's manifest when it is `release` (the one the last published run made or kept) and the
    published DuckDB file is in place: a run that changed nothing keeps it instead of copying the warehouse and
    writing every table again. None when anything is missing or different: then the run publishes afresh."""
    folder = current_release(export_dir)
    if not release or folder is None or folder.name != release or not Path(warehouse).is_file():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("release") != release or manifest.get("extractor_version") != EXTRACTOR_VERSION:
        return None
    return {**manifest, "path": str(folder), "pruned": [], "kept": True}


def publish(work_db: str | Path, warehouse: str | Path, export_dir: str | Path, run_id: str,
            keep_releases: int = DEFAULT_KEEP, timings: dict | None = None) -> dict:
    timings = {} if timings is None else timings
    if keep_releases < 1:
        raise ParetlError(f"keep_releases must be at least 1, got {keep_releases}")
    work_db, warehouse, export_dir = Path(work_db), Path(warehouse), Path(export_dir)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    rel = releases_dir(export_dir)
    rel.mkdir(parents=True, exist_ok=True)
    name, n = run_id, 1
    while (rel / name).exists():  # the same run published twice: a new release beside the first
        n += 1
        name = f"{run_id}.{n}"
    staged_db = warehouse.with_name(f".{warehouse.name}.{run_id}.tmp")
    staged_dir = rel / f".{name}.tmp"  # hidden until complete and checked
    try:
        t0 = time.perf_counter()
        shutil.copyfile(work_db, staged_db)
        timings["copy_db_s"] = round(time.perf_counter() - t0, 3)
        shutil.rmtree(staged_dir, ignore_errors=True)
        manifest = _write_release(staged_db, staged_dir, name, run_id, warehouse, timings)
        t0 = time.perf_counter()
        staged_dir.rename(rel / name)
        os.replace(staged_db, warehouse)
        _switch_current(export_dir, name)
        timings["switch_s"] = round(time.perf_counter() - t0, 3)
    finally:
        staged_db.unlink(missing_ok=True)
        shutil.rmtree(staged_dir, ignore_errors=True)
    _drop_legacy_layout(export_dir)
    manifest["pruned"] = prune(export_dir, keep_releases)
    manifest["path"] = str(rel / name)
    return manifest
