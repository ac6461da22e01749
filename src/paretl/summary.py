"""What a run did, for its operator: a Markdown summary and the table of the sources that failed.

Plain data in, text and rows out: the flow (flows/main.py) collects a run's outcome stage by stage and hands these
to Prefect as artifacts, so they show in the UI beside the run, whether it published or failed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from paretl import status as run_status
from paretl.errors import ParetlError


def warehouse_figures(db: str | Path, run_id: str) -> dict:
    """Facts and results by index, and this run's fetches by source, read from the working file."""
    out: dict = {"facts_by_index": [], "source_runs": []}
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise ParetlError(f"cannot read {db}: {str(exc).splitlines()[0]}") from None
    try:
        out["source_runs"] = run_status.source_runs(con, run_id)
        facts = dict(((i, (n, p)) for i, n, p in con.execute(
            """SELECT "index", count(*), count(DISTINCT url) FROM core.index_facts GROUP BY 1""").fetchall()))
        try:
            results = {i: r for i, *r in con.execute(
                """SELECT "index", count(*), count(*) FILTER (WHERE unit_kind = 'province'),
                          count(*) FILTER (WHERE unit_kind = 'ministry'), min(index_year), max(index_year),
                          count(*) FILTER (WHERE conflict)
                   FROM marts.index_results GROUP BY 1""").fetchall()}
        except duckdb.Error:  # the models were never built (a first run that failed early)
            results = {}
        for index in sorted(set(facts) | set(results)):
            n, pages = facts.get(index, (0, 0))
            res = results.get(index, [0, 0, 0, None, None, 0])
            out["facts_by_index"].append({"index": index, "facts": n, "pages": pages, "results": res[0],
                                          "provinces": res[1], "ministries": res[2],
                                          "years": f"{res[3]}–{res[4]}" if res[3] else "-", "conflicts": res[5]})
    finally:
        con.close()
    return out


_GATE_KEYS = ("links", "known", "relevant", "irrelevant", "unknown", "sampled", "sampled_relevant", "too_old",
              "irrelevant_text", "kept", "paging_stopped", "left_unfetched", "host_skipped_urls")


def crawl_detail(crawl: list[dict]) -> dict:
    """Per source and in all: how discovery went (mode, links by verdict, what the gate's sample found) and what
    each budget spent and whether one stopped the crawl. Goes into ops.runs.detail (`crawl`) and the summary."""
    sources = {c["source_id"]: {"discovery": c.get("discovery") or {}, "budget": c.get("budget") or {}}
               for c in crawl}
    totals = {k: sum(v["discovery"].get(k, 0) for v in sources.values()) for k in _GATE_KEYS}
    totals["requests"] = sum(v["budget"].get("pages", 0) for v in sources.values())
    totals["bytes"] = sum(v["budget"].get("bytes", 0) for v in sources.values())
    totals["stopped_by_budget"] = sorted(k for k, v in sources.items() if v["budget"].get("stopped_by"))
    sampled = totals["sampled"]
    # what the gate misses, estimated from its sample: the share of turned-away links that were relevant
    totals["gate_miss_rate"] = round(totals["sampled_relevant"] / sampled, 3) if sampled else None
    return {"sources": sources, "totals": totals}


def failed_sources(outcome: dict) -> list[dict]:
    """One row per source that failed this run (no listing page read), with its reason; the Prefect table."""
    return [{"source_id": s["source_id"], "attempts": s["attempts"], "pages_read": s["pages_read"],
             "errors": s["errors"], "outcomes": ", ".join(f"{k} {v}" for k, v in s["outcomes"].items()),
             "last_error": s["last_error"] or ""}
            for s in outcome.get("source_runs", []) if s["failed"]] + [
        {"source_id": sid, "attempts": 0, "pages_read": 0, "errors": 0, "outcomes": "", "last_error": err}
        for sid, err in outcome.get("crawl_errors", {}).items()]


def _table(head: list[str], rows: list[list]) -> list[str]:
    def cell(v):
        return "-" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + [
        "| " + " | ".join(cell(v) for v in r) + " |" for r in rows]


def discovery_lines(outcome: dict) -> list[str]:
    crawl = outcome.get("crawl") or []
    if not any(c.get("discovery") for c in crawl):
        return []
    detail = crawl_detail(crawl)
    lines = ["## Discovery and budgets", ""]
    rec = outcome.get("recovered") or []
    if rec:
        lines += [f"Recovered {len(rec)} killed run(s): " + ", ".join(
            f"`{r['run_id']}` ({r['new_page_versions']} page versions, {r['fetch_attempts']} attempts)" for r in rec),
            ""]
    rows = []
    for sid, v in detail["sources"].items():
        d, b = v["discovery"], v["budget"]
        rows.append([sid, d.get("mode", "-"), "on" if d.get("gate") else "off", d.get("links", 0), d.get("known", 0),
                     d.get("relevant", 0), d.get("irrelevant", 0) + d.get("unknown", 0),
                     f"{d.get('sampled', 0)} ({d.get('sampled_relevant', 0)})", d.get("irrelevant_text", 0),
                     d.get("too_old", 0), b.get("pages", 0), f"{b.get('bytes', 0) / 1e6:.1f}",
                     f"{b.get('seconds', 0):.0f}", b.get("stopped_by") or ""])
    t = detail["totals"]
    rows.append(["**all**", "", "", t["links"], t["known"], t["relevant"], t["irrelevant"] + t["unknown"],
                 f"{t['sampled']} ({t['sampled_relevant']})", t["irrelevant_text"], t["too_old"], t["requests"],
                 f"{t['bytes'] / 1e6:.1f}", "", ", ".join(t["stopped_by_budget"])])
    lines += _table(["source", "mode", "gate", "links", "known", "relevant", "turned away", "sampled (relevant)",
                     "irrelevant on reading", "too old", "requests", "MB", "s", "budget reached"], rows)
    if t["gate_miss_rate"] is not None:
        lines += ["", f"The gate's sample: {t['sampled_relevant']} of {t['sampled']} turned-away links were relevant "
                      f"(estimated miss rate {t['gate_miss_rate']:.1%})."]
    return lines + [""]


def markdown(outcome: dict) -> str:
    state = outcome.get("state", "failed")
    run_id = outcome["run_id"]
    lines = [f"# paretl run `{run_id}`: {'published' if state == 'published' else 'FAILED'}", ""]
    if state != "published":
        lines += [f"**{state}**: {outcome.get('error') or 'see the log'}", ""]
        cur = outcome.get("current")
        lines += [f"Nothing of this run was published. The previous publication stays in place: "
                  f"`{cur['release']}` (run `{cur['run_id']}`)." if cur else
                  "Nothing of this run was published, and nothing was published before.", ""]
    elif outcome.get("report_error"):
        lines += [f"Published, but the report was not written: {outcome['report_error']}", ""]
    lines += [f"- registry: {outcome.get('registry', '-')} ({outcome.get('n_sources', 0)} sources)",
              f"- warehouse: `{outcome.get('warehouse', '-')}`; export: `{outcome.get('export_dir', '-')}`", ""]

    lines += ["## Pages by outcome", ""]
    srcs = outcome.get("source_runs", [])
    if srcs:
        kinds = sorted({k for s in srcs for k in s["outcomes"]}, key=lambda k: (k not in ("ok", "not_modified"), k))
        rows = [[s["source_id"] + (" **(failed)**" if s["failed"] else "")] + [s["outcomes"].get(k, 0) for k in kinds]
                + [next((c["pages"] for c in outcome.get("crawl", []) if c["source_id"] == s["source_id"]), "-")]
                for s in srcs]
        totals = ["**all**"] + [sum(s["outcomes"].get(k, 0) for s in srcs) for k in kinds] + [
            sum(c["pages"] for c in outcome.get("crawl", []))]
        lines += _table(["source"] + kinds + ["new or changed pages"], rows + [totals])
    else:
        lines.append("No fetch was recorded.")
    if outcome.get("land"):
        lines += ["", f"Landed: {outcome['land']}"]
    lines.append("")

    lines += discovery_lines(outcome)

    lines += ["## Facts by index", ""]
    if outcome.get("extract"):
        lines += [f"Extraction: {outcome['extract']}", ""]
    fbi = outcome.get("facts_by_index", [])
    lines += _table(["index", "index facts", "pages", "results", "provinces", "ministries", "years", "in conflict"],
                    [[f["index"], f["facts"], f["pages"], f["results"], f["provinces"], f["ministries"], f["years"],
                      f["conflicts"]] for f in fbi]) if fbi else ["No facts yet."]
    lines.append("")

    lines += ["## Audits", ""]
    audits = outcome.get("audits")
    if audits is None:
        lines.append("Not run (the run stopped before).")
    else:
        failed = [a for a in audits if not a["passed"]]
        lines.append(f"{len(audits) - len(failed)}/{len(audits)} passed.")
        if failed:
            lines += [""] + _table(["audit", "failing rows", "blocking", "error"],
                                   [[a["name"], a["failing_rows"], "yes" if a["blocking"] else "no (warning)",
                                     a.get("error") or ""] for a in failed])
    lines.append("")

    lines += ["## Published", ""]
    m = outcome.get("published")
    if m:
        marts = {t: v["rows"] for t, v in m["tables"].items() if t.startswith("marts.")}
        lines += [f"- DuckDB: `{outcome.get('warehouse')}`" + (" (unchanged)" if m.get("kept") else ""),
                  (f"- Parquet release: `{m['path']}` ({len(m['tables'])} tables) stays `current`: nothing changed "
                   f"since run `{m['run_id']}` made it" if m.get("kept") else
                   f"- Parquet release: `{m['path']}` ({len(m['tables'])} tables; now `current`)")
                  + (f"; pruned {', '.join(m['pruned'])}" if m.get("pruned") else ""),
                  "- marts: " + ", ".join(f"{t.split('.', 1)[1]} {n}" for t, n in sorted(marts.items()))]
        rep = outcome.get("report")
        if rep:
            lines.append(f"- report: `{rep['path']}` ({rep['bytes'] / 1e6:.1f} MB)")
    else:
        lines.append("Nothing.")
    lines.append("")

    lines += ["## Time per stage", ""]
    times = outcome.get("stage_seconds", {})
    lines += _table(["stage", "seconds"], [[k, f"{v:.2f}"] for k, v in times.items()] +
                    [["**total**", f"{sum(times.values()):.2f}"]]) if times else ["-"]
    failed = failed_sources(outcome)
    if failed:
        lines += ["", f"**{len(failed)} source(s) failed**: {', '.join(f['source_id'] for f in failed)} "
                      "(table `paretl-failed-sources`; `paretl status` says since when)."]
    return "\n".join(lines) + "\n"
