"""`paretl status`: the last runs, what each published, which sources are failing and since when.

Read from the warehouse: the private working file has every run (a failed run never reaches the published copy),
so it is read first, read-only; while a run holds it (a stage is writing) the published copy is read instead and
the report says so. What each run published comes from its release's manifest.json in the export folder.

Exit codes (for a cron job or a monitor): 0 the last run published and every source was read; 1 the last run
failed (nothing of it was published; the previous publication stays in place); 3 the last run published but some
source is failing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from paretl import build, publish
from paretl.errors import ParetlError

EXIT_OK, EXIT_RUN_FAILED, EXIT_SOURCES_FAILING = 0, 1, 3


def source_runs_sql() -> str:
    """The ops.source_runs model's query, usable before the models are built (it reads raw.fetch_log only)."""
    path = build.sql_dir() / "ops" / "source_runs.sql"
    return build._body(path)


def source_runs(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> list[dict]:
    sql = f"SELECT * FROM ({source_runs_sql()}) s" + (" WHERE run_id = ?" if run_id else "") + \
        " ORDER BY started_at, source_id"
    cur = con.execute(sql, [run_id] if run_id else [])
    names = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r))
        row["outcomes"] = dict(sorted((row["outcomes"] or {}).items()))
        out.append(row)
    return out


@dataclass
class Status:
    read_from: str  # the file the runs were read from
    note: str | None
    runs: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    current: dict | None = None  # the current Parquet release (its manifest's run id and time)
    exit_code: int = EXIT_OK
    verdict: str = ""


def _open(paths) -> tuple[duckdb.DuckDBPyConnection, str, str | None]:
    work, published = Path(paths.work_db), Path(paths.warehouse)
    busy = None
    if work.exists():
        try:
            return duckdb.connect(str(work), read_only=True), str(work), None
        except duckdb.Error as exc:  # a run holds it right now
            busy = str(exc).splitlines()[0]
    if published.exists():
        note = (f"the working file is busy ({busy}); runs after the last publication may be missing" if busy else
                "no working file: only the runs up to the last publication are known")
        return duckdb.connect(str(published), read_only=True), str(published), note
    raise ParetlError(f"no warehouse at {published} (nor its working file {work}): run `paretl run` first")


def _releases(export_dir: Path) -> dict[str, dict]:
    """Manifests of the releases still on disk, by run id (a run published twice keeps its latest)."""
    out: dict[str, dict] = {}
    rel = publish.releases_dir(export_dir)
    if not rel.is_dir():
        return out
    for d in sorted(rel.iterdir()):
        m = d / "manifest.json"
        if d.name.startswith(".") or not m.is_file():
            continue
        try:
            manifest = json.loads(m.read_text("utf-8"))
        except ValueError:
            continue
        manifest["folder"] = str(d.resolve())
        out[manifest.get("run_id", d.name)] = manifest
    return out


def _ts(v):
    return v.isoformat(timespec="seconds") if isinstance(v, dt.datetime) else v


def read_status(paths, limit: int = 10) -> Status:
    con, read_from, note = _open(paths)
    try:
        runs = [dict(zip(("run_id", "started_at", "finished_at", "status", "detail"), r)) for r in con.execute(
            "SELECT run_id, started_at, finished_at, status, detail FROM ops.runs ORDER BY started_at DESC"
        ).fetchall()]
        per_source = source_runs(con)
    finally:
        con.close()
    releases = _releases(Path(paths.export_dir))
    current_dir = publish.current_release(paths.export_dir)
    current = None
    for m in releases.values():
        if current_dir is not None and Path(m["folder"]) == current_dir.resolve():
            current = {"run_id": m.get("run_id"), "release": m.get("release"), "published_at": m.get("published_at"),
                       "folder": m["folder"]}

    by_run: dict[str, list[dict]] = {}
    for s in per_source:
        by_run.setdefault(s["run_id"], []).append(s)
    shown = []
    for i, r in enumerate(runs[:limit]):
        detail = json.loads(r["detail"]) if isinstance(r["detail"], str) and r["detail"] else (r["detail"] or {})
        state = r["status"]
        if state == "running" and i > 0:
            state = "unfinished"  # a later run started: this one died without recording an end
        m = releases.get(r["run_id"])
        if detail.get("release_kept"):  # nothing changed: the run kept the release an earlier run made
            m = next((x for x in releases.values() if x.get("release") == detail.get("release")), None)
        published = None
        if r["status"] == "published":
            if m:
                published = {"release": m.get("release"), "folder": m["folder"],
                             "kept": bool(detail.get("release_kept")),
                             "current": current is not None and current["folder"] == m["folder"],
                             "tables": len(m.get("tables", {})),
                             "marts_rows": {t.split(".", 1)[1]: v.get("rows") for t, v in m.get("tables", {}).items()
                                            if t.startswith("marts.")}}
            else:
                published = {"release": None, "pruned": True}
        srcs = by_run.get(r["run_id"], [])
        shown.append({
            "run_id": r["run_id"], "started_at": _ts(r["started_at"]), "finished_at": _ts(r["finished_at"]),
            "seconds": round((r["finished_at"] - r["started_at"]).total_seconds(), 1)
            if r["finished_at"] and r["started_at"] else None,
            "state": state, "detail": detail, "published": published,
            "sources": len(srcs), "sources_failed": sorted(s["source_id"] for s in srcs if s["failed"]),
        })

    sources = _source_health(per_source)
    st = Status(read_from=read_from, note=note, runs=shown, sources=sources, current=current)
    _verdict(st, runs)
    return st


def _source_health(per_source: list[dict]) -> list[dict]:
    """Per source: its latest run, failing now or not, since when (the first run of the current streak of
    failures), how many runs in a row, its last good run and its latest error."""
    hist: dict[str, list[dict]] = {}
    for s in per_source:  # ordered by started_at
        hist.setdefault(s["source_id"], []).append(s)
    out = []
    for sid, runs in sorted(hist.items()):
        last = runs[-1]
        streak = []
        for s in reversed(runs):
            if not s["failed"]:
                break
            streak.append(s)
        good = [s for s in runs if not s["failed"]]
        out.append({
            "source_id": sid, "failing": bool(last["failed"]), "last_run": last["run_id"],
            "last_seen": _ts(last["started_at"]),
            "failing_since": _ts(streak[-1]["started_at"]) if streak else None,
            "failing_since_run": streak[-1]["run_id"] if streak else None,
            "failed_runs_in_a_row": len(streak),
            "last_good_run": good[-1]["run_id"] if good else None,
            "last_error": last["last_error"] if last["failed"] else None,
            "outcomes": last["outcomes"],
        })
    return out


def _verdict(st: Status, runs: list[dict]) -> None:
    finished = [r for r in st.runs if r["state"] != "running"]
    in_progress = st.runs and st.runs[0]["state"] == "running"
    failing = [s["source_id"] for s in st.sources if s["failing"]]
    if not finished:
        st.exit_code = EXIT_OK if in_progress else EXIT_RUN_FAILED
        st.verdict = "a first run is in progress" if in_progress else "no finished run yet"
        return
    last = finished[0]
    prefix = f"a run is in progress ({st.runs[0]['run_id']}); " if in_progress else ""
    keep = (f"the previous publication stays in place: {st.current['release']} (run {st.current['run_id']})"
            if st.current else "nothing has been published")
    if last["state"] != "published":
        why = last["detail"].get("error") or ", ".join(last["detail"].get("failed_audits", [])) or last["state"]
        st.exit_code = EXIT_RUN_FAILED
        st.verdict = f"{prefix}FAILED: the last run {last['run_id']} {last['state']} ({why}); {keep}"
    elif failing:
        st.exit_code = EXIT_SOURCES_FAILING
        st.verdict = (f"{prefix}published by run {last['run_id']}, but {len(failing)} source(s) failing: "
                      f"{', '.join(failing)}")
    else:
        st.exit_code = EXIT_OK
        st.verdict = f"{prefix}OK: the last run {last['run_id']} published; every source was read"


def format_status(st: Status) -> str:
    lines = [st.verdict, ""]
    if st.current:
        lines.append(f"current release: {st.current['release']} (run {st.current['run_id']}, published "
                     f"{st.current['published_at']}) in {st.current['folder']}")
    else:
        lines.append("current release: none")
    lines.append(f"runs (from {st.read_from}{'; ' + st.note if st.note else ''}):")
    for r in st.runs:
        pub = r["published"]
        if pub is None:
            what = "-"
        elif pub.get("pruned"):
            what = "published (release pruned)"
        else:
            rows = ", ".join(f"{t} {n}" for t, n in sorted(pub["marts_rows"].items()) if t in (
                "index_results", "activity_figures", "conflicts"))
            what = (f"{'nothing changed, kept ' if pub.get('kept') else ''}{pub['release']}"
                    f"{' (current)' if pub['current'] else ''}: {pub['tables']} tables; {rows}")
        detail = ""
        if r["state"] in ("failed", "audit_failed"):
            detail = " — " + (r["detail"].get("error") or r["detail"].get("publish_error")
                              or "audits failed: " + ", ".join(r["detail"].get("failed_audits", [])))
        secs = f"{r['seconds']:.0f} s" if r["seconds"] is not None else "-"
        failed = f"; sources failed: {', '.join(r['sources_failed'])}" if r["sources_failed"] else ""
        lines.append(f"  {r['run_id']}  {r['state']:<12} {secs:>6}  {r['started_at']}  {what}{failed}{detail}")
    if not st.runs:
        lines.append("  (none)")
    lines.append("sources:")
    for s in st.sources:
        if s["failing"]:
            lines.append(f"  FAILING {s['source_id']}: since {s['failing_since']} (run {s['failing_since_run']}, "
                         f"{s['failed_runs_in_a_row']} run(s) in a row; last good run "
                         f"{s['last_good_run'] or 'never'}); {s['last_error']}")
        else:
            lines.append(f"  ok      {s['source_id']}: last run {s['last_run']} {s['outcomes']}")
    if not st.sources:
        lines.append("  (no fetch recorded)")
    return "\n".join(lines)


def as_json(st: Status) -> str:
    return json.dumps({"verdict": st.verdict, "exit_code": st.exit_code, "read_from": st.read_from, "note": st.note,
                       "current": st.current, "runs": st.runs, "sources": st.sources}, indent=2, ensure_ascii=False,
                      default=str)
