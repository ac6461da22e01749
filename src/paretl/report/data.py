"""What the report shows, read from the published warehouse (read-only) into plain Python data.

Every number comes from a mart (marts.province_history, index_results, yoy_rankings, coverage, conflicts,
activity_figures) or from core's facts for the sentence a figure came from; nothing is recomputed here except the
picking of the largest moves, so the report cannot disagree with the warehouse.

Units are identified across maps by "era:code" (a code can name different units on the 63- and 34-unit maps) and
ministries by "m:name". A province's page is its lineage: the unit of today's 34-unit map with every unit of the
earlier maps that became part of it (marts.province_history's lineage_code).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb

from paretl.errors import ParetlError

INDEX_ORDER = ("PAR_INDEX", "SIPAS", "PAPI", "PCI", "PGI")
INDEX_LABEL = {"PAR_INDEX": "PAR INDEX", "SIPAS": "SIPAS", "PAPI": "PAPI", "PCI": "PCI", "PGI": "PGI"}
MOVERS_PER_SIDE = 5  # climbers and fallers shown for each year
CONFLICTS_LISTED = 300  # statements listed in the conflicts section (all of them are in marts.conflicts)
CONFLICTS_PER_PROVINCE = 40
URLS_PER_RESULT = 3

ACTIVITY_LABEL = {
    "dossiers_received": "Hồ sơ tiếp nhận",
    "dossiers_resolved": "Hồ sơ đã giải quyết",
    "resolved_rate": "Tỷ lệ giải quyết (tính)",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "staff_reduction": "Tinh giản biên chế",
    "legal_documents": "Văn bản QPPL ban hành",
    "online_services": "Dịch vụ công trực tuyến",
    "e_office_units": "Đơn vị dùng văn phòng điện tử",
    "mailboxes": "Hộp thư điện tử",
    "digital_certificates": "Chứng thư số",
    "inspections": "Cơ quan được kiểm tra",
}
REPORTER_LABEL = {"province": "tỉnh", "service_centre": "TT phục vụ HCC", "district": "cấp huyện",
                  "commune": "cấp xã"}
UNIT_LABEL = {"dossiers": "hồ sơ", "people": "người", "documents": "văn bản", "communes": "xã", "mailboxes": "hộp thư",
              "certificates": "chứng thư", "agencies": "cơ quan", "services": "dịch vụ", "percent": "%"}
LEVEL_LABEL = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


def _rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _has(con, table: str) -> bool:
    schema, name = table.split(".")
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? "
                            "AND database_name = current_database()", [schema, name]).fetchall()[0][0]) or bool(
        con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = ? AND view_name = ? "
                    "AND database_name = current_database()", [schema, name]).fetchall()[0][0])


def _num(x):
    return None if x is None else (int(x) if float(x).is_integer() else round(float(x), 4))


def load(warehouse: str | Path) -> dict:
    """Everything the report draws, from the published warehouse opened read-only."""
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise ParetlError(f"no published warehouse at {warehouse}: run `paretl run` first (or pass --warehouse)")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise ParetlError(f"cannot open warehouse {warehouse}: {str(exc).splitlines()[0]}") from None
    try:
        missing = [t for t in ("marts.province_history", "marts.index_results", "marts.yoy_rankings",
                               "marts.conflicts", "marts.activity_figures") if not _has(con, t)]
        if missing:
            raise ParetlError(f"{warehouse} has no {', '.join(missing)}: publish it with this version of paretl "
                              "(`paretl run` or `paretl reextract`)")
        return _load(con)
    finally:
        con.close()


def _load(con) -> dict:
    lineages = _lineages(con)
    unit_lineage = {m: code for code, lin in lineages.items() for m in lin["members"]}
    history = _rows(con, """
        SELECT lineage_code, "index", index_year, era, unit_code, unit_name, is_predecessor, score, score_unit,
               rank, rank_of, prior_rank, prior_source, rank_change, n_sources, conflict
        FROM marts.province_history ORDER BY "index", era, unit_code, index_year""")
    urls = {}
    for r in _rows(con, """SELECT "index", index_year, unit_kind, unit_key, era, source_urls
                           FROM marts.index_results"""):
        urls[(r["index"], r["index_year"], r["unit_kind"], r["era"], r["unit_key"])] = r["source_urls"] or []
    ministries = _rows(con, """
        SELECT "index", index_year, unit_name, score, score_unit, rank, rank_of, prior_rank, prior_source,
               rank_change, n_sources, conflict
        FROM marts.yoy_rankings WHERE unit_kind = 'ministry' ORDER BY "index", unit_name, index_year""")

    indices = [i for i in INDEX_ORDER if any(r["index"] == i for r in history) or any(
        r["index"] == i for r in ministries)]
    extra = sorted({r["index"] for r in history} - set(INDEX_ORDER))
    indices += extra

    data = {
        "meta": _meta(con),
        "indices": [{"code": i, "label": INDEX_LABEL.get(i, i), "name_vi": n} for i, n in _index_names(con, indices)],
        "lineages": [{"code": c, "name": lin["name"], "label": lin["label"], "members": lin["members"]}
                     for c, lin in lineages.items()],
        "bump": {},
        "movers": {},
        "coverage": _coverage(con, unit_lineage),
    }
    # Bump chart series: one per unit of one map (a rank of 63 and a rank of 34 are places in different fields,
    # so a province's line stops at a merger and its successor's begins).
    for kind, rows in (("province", history), ("ministry", ministries)):
        by_index: dict[str, dict[str, dict]] = defaultdict(dict)
        for r in rows:
            if r["rank"] is None and r["score"] is None:
                continue
            if kind == "province":
                uid = f"{r['era']}:{r['unit_code']}"
                name, lin = r["unit_name"], r["lineage_code"]
            else:
                uid, name, lin = f"m:{r['unit_name']}", r["unit_name"], None
            s = by_index[r["index"]].setdefault(uid, {"id": uid, "name": name, "era": r.get("era"), "lineage": lin,
                                                      "x": [], "rank": [], "rank_of": [], "score": [], "n": [],
                                                      "conflict": [], "change": [], "stated": []})
            s["x"].append(r["index_year"])
            s["rank"].append(r["rank"])
            s["rank_of"].append(r["rank_of"])
            s["score"].append(_num(r["score"]))
            s["n"].append(r["n_sources"])
            s["conflict"].append(bool(r["conflict"]))
            s["change"].append(r["rank_change"])
            s["stated"].append(r["prior_source"] == "stated")
        for index, series in by_index.items():
            data["bump"].setdefault(index, {})[kind] = sorted(series.values(), key=lambda s: (s["era"] or 0, s["name"]))
        data["movers"].update({f"{index}|{kind}": _movers(rows, index) for index in by_index})
    data["provinces"] = _province_pages(con, lineages, history, urls)
    data["conflicts"] = _conflicts(con)
    data["sources"] = _rows(con, "SELECT source_id, province_code, kind, start_urls FROM core.sources ORDER BY 1")
    return data


def _meta(con) -> dict:
    run = _rows(con, """SELECT run_id, started_at, finished_at FROM ops.runs WHERE status = 'published'
                        ORDER BY finished_at DESC NULLS LAST LIMIT 1""")
    counts = con.execute("""SELECT
        (SELECT count(*) FROM marts.index_results),
        (SELECT count(*) FROM core.index_facts),
        (SELECT count(*) FROM marts.activity_figures),
        (SELECT count(DISTINCT url) FROM raw.pages),
        (SELECT count(*) FROM core.sources),
        (SELECT count(DISTINCT lineage_code) FROM marts.province_history),
        (SELECT count(DISTINCT unit_name) FROM marts.index_results WHERE unit_kind = 'ministry'),
        (SELECT count(*) FROM marts.conflicts),
        (SELECT count(DISTINCT ("index", index_year, unit_kind, unit_key)) FROM marts.conflicts),
        (SELECT min(index_year) FROM marts.index_results),
        (SELECT max(index_year) FROM marts.index_results),
        -- the newest by its numbers: as text, '1.4.99' sorts after '1.4.100'
        (SELECT coalesce(max_by(extractor_version, TRY_CAST(string_split(extractor_version, '.') AS INTEGER[])),
                         max(extractor_version)) FROM core.index_facts)
        """).fetchall()[0]
    keys = ("results", "index_facts", "activity_figures", "pages", "sources", "provinces", "ministries",
            "conflict_statements", "conflicted_results", "first_year", "last_year", "extractor_version")
    meta = dict(zip(keys, counts))
    meta["run_id"] = run[0]["run_id"] if run else None
    meta["published_at"] = run[0]["finished_at"].isoformat(timespec="seconds") if run and run[0]["finished_at"] else None
    return meta


def _index_names(con, indices):
    names = dict(con.execute("""SELECT "index", any_value(name_vi) FROM core.indices GROUP BY 1""").fetchall())
    return [(i, names.get(i)) for i in indices]


def _lineages(con) -> dict[str, dict]:
    """Each unit of today's map with every earlier unit that became part of it (63 -> 34, and 64 -> 63 -> 34)."""
    lin: dict[str, dict] = {}
    for code, name in con.execute("SELECT unit_code, unit_name FROM core.provinces WHERE era = 34 "
                                  "ORDER BY unit_name").fetchall():
        lin[code] = {"name": name, "members": [f"34:{code}"], "old63": [], "old64": []}
    to34 = {}
    for old, new, old_name in con.execute("""SELECT old_code, new_code, old_name FROM core.province_lineage
                                             WHERE old_era = 63 AND new_era = 34 ORDER BY old_name""").fetchall():
        to34[old] = new
        if new in lin:
            lin[new]["members"].append(f"63:{old}")
            lin[new]["old63"].append(old_name)
    for old, new, old_name in con.execute("""SELECT old_code, new_code, old_name FROM core.province_lineage
                                             WHERE old_era = 64 AND new_era = 63 ORDER BY old_name""").fetchall():
        target = to34.get(new)
        if target in lin:
            lin[target]["members"].append(f"64:{old}")
            lin[target]["old64"].append(old_name)
    for l in lin.values():
        others = [p for p in l["old63"] + l["old64"] if p != l["name"]]
        l["label"] = l["name"] + (f" (+ {', '.join(dict.fromkeys(others))})" if others else "")
    return lin


def _movers(rows: list[dict], index: str) -> dict:
    """Per year, the largest climbs and falls (rank_change = prior_rank - rank; + is up)."""
    years: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        if r["index"] == index and r["rank_change"] is not None and r["rank"] is not None:
            years[r["index_year"]].append({"name": r["unit_name"], "from": r["prior_rank"], "to": r["rank"],
                                           "change": r["rank_change"], "stated": r["prior_source"] == "stated"})
    out = {}
    for y, moves in sorted(years.items()):
        up = sorted((m for m in moves if m["change"] > 0), key=lambda m: (-m["change"], m["to"]))[:MOVERS_PER_SIDE]
        down = sorted((m for m in moves if m["change"] < 0), key=lambda m: (m["change"], m["to"]))[:MOVERS_PER_SIDE]
        if up or down:
            out[str(y)] = {"up": up, "down": down, "n": len(moves)}
    return out


def _coverage(con, unit_lineage: dict[str, str]) -> dict:
    """Per index: units (rows) x years (columns), 2 = rank known, 1 = only a score, 0 = missing, null = the
    index did not cover that unit that year. Rows of one lineage sit together, today's unit first."""
    rows = _rows(con, """
        SELECT "index", index_year, unit_kind, era, unit_key, unit_name, expected, known, has_rank, n_sources,
               rank, rank_of, score, conflict
        FROM marts.coverage ORDER BY "index", index_year""")
    out: dict[str, dict] = {}
    for index in sorted({r["index"] for r in rows}, key=lambda i: (INDEX_ORDER + (i,)).index(i)):
        rs = [r for r in rows if r["index"] == index and (r["expected"] or r["known"])]
        years = sorted({r["index_year"] for r in rs})
        units: dict[str, dict] = {}
        for r in rs:
            uid = f"{r['era']}:{r['unit_key']}" if r["unit_kind"] == "province" else f"m:{r['unit_key']}"
            u = units.setdefault(uid, {"id": uid, "kind": r["unit_kind"], "era": r["era"],
                                       "label": r["unit_name"] + (f" ({r['era']})" if r["era"] else " (bộ)"),
                                       "lineage": unit_lineage.get(uid), "cells": {}})
            u["cells"][r["index_year"]] = r
        order = sorted(units.values(), key=lambda u: (u["kind"] != "province", u["lineage"] or "~",
                                                      -(u["era"] or 0), u["label"]))
        z, text = [], []
        for u in order:
            zr, tr = [], []
            for y in years:
                c = u["cells"].get(y)
                if c is None or not c["expected"] and not c["known"]:
                    zr.append(None)
                    tr.append("")
                    continue
                zr.append(2 if c["has_rank"] else 1 if c["known"] else 0)
                if c["known"]:
                    bits = [f"hạng {c['rank']}/{c['rank_of']}" if c["rank"] is not None else None,
                            f"{_num(c['score'])} điểm" if c["score"] is not None else None,
                            f"{c['n_sources']} nguồn", "xung đột" if c["conflict"] else None,
                            None if c["expected"] else "ngoài danh sách năm đó"]
                    tr.append(", ".join(b for b in bits if b))
                else:
                    tr.append("chưa có số liệu · missing")
            z.append(zr)
            text.append(tr)
        known = sum(1 for r in rs if r["known"])
        expected = sum(1 for r in rs if r["expected"])
        out[index] = {"years": years, "labels": [u["label"] for u in order], "ids": [u["id"] for u in order],
                      "lineages": [u["lineage"] for u in order], "z": z, "text": text,
                      "known": known, "expected": expected}
    return out


def _province_pages(con, lineages: dict[str, dict], history: list[dict], urls: dict) -> list[dict]:
    by_lineage: dict[str, list[dict]] = defaultdict(list)
    for r in history:
        by_lineage[r["lineage_code"]].append(r)
    activity = _activity(con)
    conflicts = _province_conflicts(con)
    pages = []
    for code, lin in lineages.items():
        rows = by_lineage.get(code, [])
        indices = []
        for index in [i for i in INDEX_ORDER if any(r["index"] == i for r in rows)] + sorted(
                {r["index"] for r in rows} - set(INDEX_ORDER)):
            rs = [r for r in rows if r["index"] == index]
            # one column per unit that held a result: the predecessors of earlier maps, then today's unit
            cols = sorted({(r["era"], r["unit_code"], r["unit_name"]) for r in rs}, key=lambda c: (-c[0], c[2]))
            years = sorted({r["index_year"] for r in rs})
            cells = {}
            for r in rs:
                key = (r["index"], r["index_year"], "province", r["era"], r["unit_code"])
                cells[(r["index_year"], r["era"], r["unit_code"])] = {
                    **r, "score": _num(r["score"]), "urls": urls.get(key, [])[:URLS_PER_RESULT],
                    "more_urls": max(0, len(urls.get(key, [])) - URLS_PER_RESULT)}
            indices.append({
                "code": index, "label": INDEX_LABEL.get(index, index),
                "columns": [{"era": e, "code": c, "name": n, "id": f"{e}:{c}"} for e, c, n in cols],
                "rows": [{"year": y, "cells": [cells.get((y, e, c)) for e, c, _ in cols]} for y in years],
            })
        acts = [a for m in lin["members"] for a in activity.get(m, [])]
        acts.sort(key=lambda a: (a["index_year"], a["period"] or "", a["metric"]))
        pages.append({"code": code, "name": lin["name"], "label": lin["label"], "members": lin["members"],
                      "old63": lin["old63"], "old64": lin["old64"],
                      "indices": indices, "activity": acts, "n_results": len(rows),
                      "conflicts": conflicts.get(code, [])[:CONFLICTS_PER_PROVINCE],
                      "n_conflicts": len(conflicts.get(code, []))})
    return pages


def _activity(con) -> dict[str, list[dict]]:
    """Activity figures keyed by the unit (era:code) that stated them, each with the page and sentence it came
    from (core.activity_facts: the pages that give the published value); a derived rate names its parts."""
    rows = _rows(con, """
        WITH a AS (
            SELECT *, CASE WHEN index_year >= (SELECT min(first_index_year) FROM core.province_maps WHERE era = 34)
                           THEN 34 ELSE 63 END AS era
            FROM marts.activity_figures
        )
        SELECT a.era, a.unit_code, a.unit_name, a.index_year, a.period, a.reporter, a.level, a.metric, a.value,
               a.total, a.unit, a.share_of_total, a.derived, a.derived_from, a.n_sources, a.conflict,
               list(DISTINCT {'url': f.url, 'evidence': f.evidence, 'published': f.published::VARCHAR})
                   FILTER (WHERE f.url IS NOT NULL) AS statements
        FROM a LEFT JOIN core.activity_facts f
          ON f.unit_code = a.unit_code AND f.index_year = a.index_year AND f.metric = a.metric
         AND f.level = a.level AND f.period IS NOT DISTINCT FROM a.period
         AND f.reporter IS NOT DISTINCT FROM a.reporter AND f.value = a.value AND NOT a.derived
        GROUP BY ALL
        ORDER BY a.unit_code, a.index_year, a.period, a.metric""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        r["label"] = ACTIVITY_LABEL.get(r["metric"], r["metric"])
        r["reporter_label"] = REPORTER_LABEL.get(r["reporter"], r["reporter"]) if r["reporter"] else None
        r["level_label"] = LEVEL_LABEL.get(r["level"], r["level"])
        r["unit_label"] = UNIT_LABEL.get(r["unit"], r["unit"] or "")
        r["statements"] = sorted(r["statements"] or [], key=lambda s: (s["published"] or "", s["url"]))
        r["value"], r["total"], r["share_of_total"] = _num(r["value"]), _num(r["total"]), _num(r["share_of_total"])
        out[f"{r['era']}:{r['unit_code']}"].append(r)
    return out


def _province_conflicts(con) -> dict[str, list[dict]]:
    rows = _rows(con, f"""
        WITH c AS (
            SELECT c.*, h.lineage_code,
                   row_number() OVER (PARTITION BY h.lineage_code ORDER BY c.index_year DESC, c."index", c.field,
                                      c.statement_source, c.value) AS k
            FROM marts.conflicts c
            JOIN (SELECT DISTINCT lineage_code, "index", index_year, unit_code FROM marts.province_history) h
              ON h."index" = c."index" AND h.index_year = c.index_year AND h.unit_code = c.unit_code
            WHERE c.unit_kind = 'province'
        )
        SELECT lineage_code, dispute, "index", index_year, unit_name, field, statement_source, value, result_value,
               agrees_with_result, result_contradicts_reference, url, evidence, published::VARCHAR AS published
        FROM c WHERE k <= {CONFLICTS_PER_PROVINCE + 1}
        ORDER BY lineage_code, index_year DESC, "index", field, statement_source, value""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        r["value"], r["result_value"] = _num(r["value"]), _num(r["result_value"])
        out[r.pop("lineage_code")].append(r)
    return out


def _conflicts(con) -> dict:
    summary = _rows(con, """SELECT dispute, "index", count(*) AS statements,
                                   count(DISTINCT (index_year, unit_kind, unit_key)) AS results
                            FROM marts.conflicts GROUP BY ALL ORDER BY 1, 2""")
    listed = _rows(con, f"""
        SELECT dispute, "index", index_year, unit_kind, unit_name, field, statement_source, value, result_value,
               agrees_with_result, result_contradicts_reference, url, evidence, published::VARCHAR AS published
        FROM marts.conflicts
        ORDER BY result_contradicts_reference DESC, index_year DESC, "index", unit_kind, unit_key, field,
                 statement_source, value
        LIMIT {CONFLICTS_LISTED}""")
    for r in listed:
        r["value"], r["result_value"] = _num(r["value"]), _num(r["result_value"])
    total = sum(s["statements"] for s in summary)
    return {"summary": summary, "listed": listed, "total": total}
