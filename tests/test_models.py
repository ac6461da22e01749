"""The warehouse models on facts written for these tests: leaderboard, coverage, conflicts (between pages, against
the shipped reference results, against the panel), lineage across the 2008 and 2025 mergers, activity figures by
period; the build order read from the SQL, --select, the descriptions, the audits."""


import pytest

from paretl import audit, build
from paretl.errors import ParetlError
from synth import add_activity_facts, add_index_facts, warehouse

U = "https://bao.example.vn/"


def par(url, code, name, year, **kw):
    return {"url": U + url, "unit_code": code, "unit_name": name, "index": kw.pop("index", "PAR_INDEX"),
            "index_year": year, **kw}


def ministry(url, name, year, **kw):
    return {"url": U + url, "unit_kind": "ministry", "unit_code": None, "unit_name": name, "index": "PAR_INDEX",
            "index_year": year, **kw}


FACTS = [
    # 2012: pages disagree on Đà Nẵng's rank; the vote keeps 1, which the shipped reference gives too
    par("a", "48", "Đà Nẵng", 2012, score=87.14, rank=1),
    par("b", "48", "Đà Nẵng", 2012, score=87.14, rank=2),
    # a result that contradicts the reference (Bà Rịa - Vũng Tàu was 2nd): flagged, never changed
    par("c", "77", "Bà Rịa - Vũng Tàu", 2012, score=86.14, rank=5),
    # 2022 -> 2023 on one map: the panel gives the prior rank; a page states another one
    par("d", "20", "Lạng Sơn", 2022, score=84.0, rank=12),
    par("e", "20", "Lạng Sơn", 2023, score=86.0, rank=10, prior_rank=14, rank_change=4),
    par("e", "04", "Cao Bằng", 2023, score=85.9, rank=10),  # the same place as Lạng Sơn: shared
    par("f", "02", "Hà Giang", 2023, score=80.0),  # a score, no rank
    # the 2025 merger: Lào Cai (10) and Yên Bái (15) became Lào Cai (15); Cao Bằng continued alone
    par("g", "10", "Lào Cai", 2024, rank=20),
    par("g", "15", "Yên Bái", 2024, rank=40),
    par("g", "04", "Cao Bằng", 2024, rank=63),  # as the shipped reference has it
    par("h", "15", "Lào Cai", 2025, rank=5, rank_of=34, prior_rank=20, rank_change=15),
    par("h", "04", "Cao Bằng", 2025, rank=8, rank_of=34),
    # the 2008 map change: Hà Nội's PCI 2007 (64 units) and 2008 (63)
    par("i", "01", "Hà Nội", 2007, index="PCI", rank=30),
    par("i", "01", "Hà Nội", 2008, index="PCI", rank=20),
    # ministries, ranked apart
    ministry("j", "Bộ Tư pháp", 2023, rank=1),
    ministry("j", "Bộ Tài chính", 2023, rank=3),
    ministry("k", "Bộ Nông nghiệp và Môi trường", 2025, rank=2),
]

ACTIVITY = [
    {"url": U + "p1", "index_year": 2023, "period": "2023", "reporter": "province", "metric": "dossiers_received",
     "value": 1000},
    {"url": U + "p2", "index_year": 2023, "period": "2023", "reporter": "province", "metric": "dossiers_resolved",
     "value": 950},
    # the first half: resolved only; never divided by the whole year's received
    {"url": U + "p3", "index_year": 2023, "period": "2023-H1", "reporter": "province",
     "metric": "dossiers_resolved", "value": 380},
    # no period read: stands alone
    {"url": U + "p4", "index_year": 2023, "metric": "dossiers_received", "value": 500},
    {"url": U + "p4", "index_year": 2023, "metric": "dossiers_resolved", "value": 450},
    # pages disagree on a part: no rate
    {"url": U + "p5", "index_year": 2023, "period": "2023", "reporter": "service_centre",
     "metric": "dossiers_received", "value": 100},
    {"url": U + "p6", "index_year": 2023, "period": "2023", "reporter": "service_centre",
     "metric": "dossiers_received", "value": 120},
    {"url": U + "p6", "index_year": 2023, "period": "2023", "reporter": "service_centre",
     "metric": "dossiers_resolved", "value": 90},
    {"url": U + "p7", "index_year": 2023, "period": "2023", "reporter": "commune", "metric": "e_office_units",
     "value": 225, "total": 226, "unit": "communes", "level": "commune"},
]


@pytest.fixture(scope="module")
def con():
    c = warehouse()
    add_index_facts(c, FACTS)
    add_activity_facts(c, ACTIVITY)
    build.build(c)
    yield c
    c.close()


def rows(con, sql, *params):
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def test_audits_pass_on_sound_facts(con):
    results = audit.run_audits(con, "t")
    failing = {r.name: (r.failing_rows, r.error) for r in results if not r.passed}
    # what is odd on purpose in FACTS, all warnings: two units at place 10, a result against the reference, a PCI
    # result of 2007 (the 64-unit map, outside coverage)
    assert set(failing) == {"index_results_rank_shared", "reference_contradicted", "coverage_unit_outside_reference"}, failing
    assert all(not r.blocking for r in results if not r.passed)


def test_leaderboard_shows_gaps_shared_and_unranked_places(con):
    board = rows(con, """SELECT rank, status, unit_name, rank_of, reference_units, reference_disagrees
                         FROM marts.leaderboard WHERE "index" = 'PAR_INDEX' AND index_year = 2012
                         AND unit_kind = 'province' ORDER BY rank""")
    assert len(board) == 63 and [b["rank"] for b in board] == list(range(1, 64))
    assert all(b["rank_of"] == 63 for b in board)
    assert (board[0]["status"], board[0]["unit_name"]) == ("known", "Đà Nẵng")
    # nobody's page puts anyone 2nd; the reference says who it is, beside the gap
    assert (board[1]["status"], board[1]["unit_name"], board[1]["reference_units"]) == \
        ("gap", None, ["Bà Rịa - Vũng Tàu"])
    assert (board[4]["unit_name"], board[4]["reference_disagrees"]) == ("Bà Rịa - Vũng Tàu", True)
    y23 = rows(con, """SELECT rank, status, unit_name FROM marts.leaderboard WHERE "index" = 'PAR_INDEX'
                       AND index_year = 2023 AND unit_kind = 'province' AND status <> 'gap' ORDER BY rank, unit_name""")
    assert y23 == [{"rank": 10, "status": "shared", "unit_name": "Cao Bằng"},
                   {"rank": 10, "status": "shared", "unit_name": "Lạng Sơn"},
                   {"rank": None, "status": "unranked", "unit_name": "Hà Giang"}]
    # ministries: as many places as the largest rank known, the 2nd a gap
    mins = rows(con, """SELECT rank, status FROM marts.leaderboard WHERE unit_kind = 'ministry'
                        AND index_year = 2023 ORDER BY rank""")
    assert [(m["rank"], m["status"]) for m in mins] == [(1, "known"), (2, "gap"), (3, "known")]
    assert rows(con, "SELECT max(rank_of) AS n FROM marts.leaderboard WHERE index_year = 2025 "
                     "AND unit_kind = 'province'")[0]["n"] == 34


def test_coverage_lists_every_unit_of_each_year(con):
    totals = {(r["index_year"], r["unit_kind"]): (r["n"], r["known"]) for r in rows(con, """
        SELECT index_year, unit_kind, count(*) AS n, count(*) FILTER (WHERE known) AS known FROM marts.coverage
        WHERE "index" = 'PAR_INDEX' AND expected GROUP BY ALL""")}
    assert totals[(2023, "province")] == (63, 3) and totals[(2025, "province")] == (34, 2)
    assert totals[(2012, "province")] == (63, 2)
    assert totals[(2023, "ministry")] == (19, 2) and totals[(2025, "ministry")] == (14, 1)
    assert min(y for y, _ in totals) == 2012 and max(y for y, _ in totals) == 2025
    # SIPAS from its first year, PCI from the first year of the 63 map, PGI from 2022
    first = {r["index"]: r["y"] for r in rows(con, 'SELECT "index", min(index_year) AS y FROM marts.coverage '
                                                   'WHERE expected GROUP BY ALL')}
    assert first == {"PAR_INDEX": 2012, "SIPAS": 2017, "PAPI": 2011, "PCI": 2008, "PGI": 2022}
    hg = rows(con, """SELECT known, has_score, has_rank, n_sources FROM marts.coverage WHERE "index" = 'PAR_INDEX'
                      AND index_year = 2023 AND unit_code = '02'""")
    assert hg == [{"known": True, "has_score": True, "has_rank": False, "n_sources": 1}]
    ref = rows(con, """SELECT unit_name, in_reference, reference_disagrees FROM marts.coverage
                       WHERE "index" = 'PAR_INDEX' AND index_year = 2012 AND (in_reference OR known)
                       ORDER BY unit_name""")
    assert {r["unit_name"]: r["reference_disagrees"] for r in ref if r["in_reference"]}["Bà Rịa - Vũng Tàu"] is True
    assert {r["unit_name"]: r["reference_disagrees"] for r in ref}["Đà Nẵng"] is False
    # the 2007 PCI result is on the 64-unit map, outside coverage's 63/34 maps: kept, and marked so
    pci07 = rows(con, """SELECT expected, known, era FROM marts.coverage WHERE "index" = 'PCI' AND index_year = 2007""")
    assert pci07 == [{"expected": False, "known": True, "era": 64}]


def test_conflicts_between_pages_and_with_the_reference(con):
    dn = rows(con, """SELECT dispute, statement_source, value, url, evidence, agrees_with_result,
                             result_contradicts_reference
                      FROM marts.conflicts WHERE unit_code = '48' AND index_year = 2012 AND field = 'rank'
                      ORDER BY dispute, statement_source, value""")
    between = [r for r in dn if r["dispute"] == "between_pages"]
    assert [(r["value"], r["url"], r["agrees_with_result"]) for r in between] == \
        [(1.0, U + "a", True), (2.0, U + "b", False)]
    assert all(r["evidence"] for r in between)
    withref = [r for r in dn if r["dispute"] == "with_reference"]
    assert {r["statement_source"] for r in withref} == {"page", "reference"}
    assert [r["url"] for r in withref if r["statement_source"] == "reference"] == \
        ["https://en.vietnamplus.vn/da-nang-tops-nation-in-administrative-reforms/56332.vnp"]
    assert all(r["result_contradicts_reference"] is False for r in withref)

    brvt = rows(con, """SELECT field, result_value, reference_values, result_contradicts_reference
                        FROM marts.conflicts WHERE unit_code = '77' AND index_year = 2012 AND statement_source = 'page'""")
    assert brvt == [{"field": "rank", "result_value": 5.0, "reference_values": [2.0],
                     "result_contradicts_reference": True}]
    # flagged, never changed: the published result is what the pages say
    assert rows(con, """SELECT rank FROM marts.index_results WHERE unit_code = '77' AND index_year = 2012""") == \
        [{"rank": 5}]


def test_a_stated_prior_rank_against_the_panel(con):
    got = rows(con, """SELECT statement_source, value, url, evidence FROM marts.conflicts
                       WHERE dispute = 'prior_rank_vs_panel' AND unit_code = '20' ORDER BY statement_source""")
    assert [(r["statement_source"], r["value"]) for r in got] == [("page", 14.0), ("panel", 12.0)]
    assert got[1]["evidence"].startswith("marts.index_results of 2022")
    yoy = rows(con, """SELECT prior_rank, prior_source, rank_change FROM marts.yoy_rankings
                       WHERE unit_code = '20' AND index_year = 2023""")
    assert yoy == [{"prior_rank": 12, "prior_source": "panel", "rank_change": 2}]


def test_no_rank_change_is_computed_across_a_merger(con):
    yoy = {(r["unit_code"], r["index_year"]): r for r in rows(con, """
        SELECT unit_code, index_year, prior_rank, prior_source, rank_change FROM marts.yoy_rankings
        WHERE index_year IN (2008, 2025)""")}
    # Cao Bằng continued alone with its code, but 8th of 34 is not 55 places better than 63rd of 63
    assert (yoy[("04", 2025)]["prior_rank"], yoy[("04", 2025)]["rank_change"]) == (None, None)
    assert yoy[("01", 2008)]["prior_rank"] is None
    # what a page states is kept as stated
    assert (yoy[("15", 2025)]["prior_source"], yoy[("15", 2025)]["prior_rank"]) == ("stated", 20)


def test_lineage_sets_predecessors_beside_their_successor(con):
    lc = rows(con, """SELECT predecessor_code, predecessor_name, n_predecessors, before_year, before_rank,
                             before_rank_of, after_year, after_rank, after_rank_of, after_stated_rank_change
                      FROM marts.lineage WHERE "index" = 'PAR_INDEX' AND successor_code = '15'
                      ORDER BY predecessor_code""")
    assert [(r["predecessor_code"], r["predecessor_name"], r["before_rank"]) for r in lc] == \
        [("10", "Lào Cai", 20), ("15", "Yên Bái", 40)]
    assert all((r["n_predecessors"], r["before_year"], r["before_rank_of"], r["after_year"], r["after_rank"],
                r["after_rank_of"], r["after_stated_rank_change"]) == (2, 2024, 63, 2025, 5, 34, 15) for r in lc)
    assert rows(con, """SELECT count(*) AS n FROM marts.lineage WHERE "index" = 'SIPAS'""")[0]["n"] == 65
    hn = rows(con, """SELECT predecessor_code, predecessor_name, before_year, before_rank, after_year, after_rank
                      FROM marts.lineage WHERE "index" = 'PCI' AND effective_date = DATE '2008-08-01'
                      ORDER BY predecessor_code""")
    assert hn == [{"predecessor_code": "01", "predecessor_name": "Hà Nội", "before_year": 2007, "before_rank": 30,
                   "after_year": 2008, "after_rank": 20},
                  {"predecessor_code": "28", "predecessor_name": "Hà Tây", "before_year": 2007, "before_rank": None,
                   "after_year": 2008, "after_rank": 20}]


def test_province_history_runs_through_the_merger(con):
    h = rows(con, """SELECT index_year, unit_code, unit_name, is_predecessor, n_units, rank, rank_of
                     FROM marts.province_history WHERE lineage_code = '15' AND "index" = 'PAR_INDEX'
                     ORDER BY index_year, unit_code""")
    assert [(r["index_year"], r["unit_name"], r["is_predecessor"], r["n_units"], r["rank"], r["rank_of"])
            for r in h] == [(2024, "Lào Cai", True, 2, 20, 63), (2024, "Yên Bái", True, 2, 40, 63),
                            (2025, "Lào Cai", False, 1, 5, 34)]
    assert rows(con, """SELECT lineage_name, era FROM marts.province_history WHERE "index" = 'PCI'
                        AND index_year = 2007""") == [{"lineage_name": "Hà Nội", "era": 64}]


def test_activity_figures_never_mix_periods(con):
    got = {(r["period"], r["reporter"], r["metric"]): r for r in rows(con, """
        SELECT period, reporter, metric, value, derived, derived_from, n_sources, conflict, share_of_total
        FROM marts.activity_figures""")}
    rate = got[("2023", "province", "resolved_rate")]
    assert (rate["value"], rate["derived"], rate["derived_from"], rate["n_sources"]) == \
        (95.0, True, "dossiers_resolved / dossiers_received", 2)
    assert [k for k in got if k[2] == "resolved_rate"] == [("2023", "province", "resolved_rate")]
    assert got[("2023-H1", "province", "dossiers_resolved")]["value"] == 380  # stands alone
    assert got[(None, None, "dossiers_received")]["value"] == 500
    assert got[("2023", "service_centre", "dossiers_received")]["conflict"] is True
    assert got[("2023", "commune", "e_office_units")]["share_of_total"] == 99.56


def test_every_column_is_described(con):
    undescribed = con.execute("""SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
                                 WHERE schema_name IN ('marts', 'staging', 'ops', 'core', 'raw')
                                   AND (comment IS NULL OR comment = '')""").fetchall()
    assert undescribed == []
    tables = con.execute("""SELECT count(*) FILTER (WHERE comment IS NULL OR comment = ''), count(*)
                            FROM duckdb_tables() WHERE schema_name IN ('marts', 'core', 'raw', 'ops')""").fetchall()
    assert tables[0][0] == 0 and tables[0][1] > 20
    doc = con.execute("""SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts'
                         AND table_name = 'yoy_rankings' AND column_name = 'prior_source'""").fetchall()[0][0]
    assert "panel" in doc and "stated" in doc


def test_build_order_comes_from_the_sql(con):
    order = [m.name for m in build.models()]
    deps = {m.name: m.deps for m in build.models()}
    assert deps["marts.leaderboard"] == {"marts.index_results", "marts.coverage"}
    assert "core.reference_results" in {t for m in build.models() if m.name == "marts.conflicts" for t in m.reads}
    for name, needs in deps.items():
        assert all(order.index(d) < order.index(name) for d in needs), name


def _models_dir(tmp_path, files: dict[str, str]):
    for rel, sql in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(sql, encoding="utf-8")
    return tmp_path


def test_file_names_do_not_decide_the_order(tmp_path):
    # a_top.sql reads marts.z_base: by name it would come first and fail
    root = _models_dir(tmp_path, {
        "marts/a_top.sql": "-- Top.\n-- columns:\n--   n  twice\nSELECT n * 2 AS n FROM marts.z_base",
        "marts/z_base.sql": "-- Base.\n-- columns:\n--   n  a number\nWITH t AS (SELECT 21 AS n) SELECT n FROM t",
    })
    c = warehouse()
    assert build.build(c, root) == {"marts.z_base": 1, "marts.a_top": 1}
    assert c.execute("SELECT n FROM marts.a_top").fetchall() == [(42,)]
    # a cycle, an unqualified table, a header that does not match the SELECT: clear errors
    (root / "marts/z_base.sql").write_text("-- B.\n-- columns:\n--   n  x\nSELECT n FROM marts.a_top")
    with pytest.raises(ParetlError, match="cycle"):
        build.build(c, root)
    (root / "marts/z_base.sql").write_text("-- B.\n-- columns:\n--   n  x\nSELECT 1 AS n FROM z_other")
    with pytest.raises(ParetlError, match="without a schema"):
        build.build(c, root)
    (root / "marts/z_base.sql").write_text("-- B.\n-- columns:\n--   m  x\nSELECT 1 AS n")
    with pytest.raises(ParetlError, match="undescribed: n; described but absent: m"):
        build.build(c, root)


def test_select_a_model_and_what_follows(tmp_path):
    c = warehouse()
    add_index_facts(c, FACTS[:3])
    build.build(c)
    add_index_facts(c, FACTS[3:6])
    built = build.build(c, selector="yoy_rankings+")
    assert set(built) == {"marts.yoy_rankings", "marts.conflicts", "marts.coverage", "marts.leaderboard",
                          "marts.lineage", "marts.province_history"}
    # index_results was not rebuilt, so the new facts are not in it yet
    assert c.execute("SELECT count(*) FROM marts.index_results").fetchall()[0][0] == 2
    assert set(build.build(c, selector="+marts.index_results")) == {"marts.index_results"}
    assert c.execute("SELECT count(*) FROM marts.index_results").fetchall()[0][0] == 5
    with pytest.raises(ParetlError, match="no model nope"):
        build.build(c, selector="nope+")


def test_a_wrong_map_size_fails_the_coverage_audit():
    c = warehouse()
    add_index_facts(c, FACTS)
    c.execute("DELETE FROM core.provinces WHERE era = 34 AND unit_code = '04'")  # a unit lost from the 34 map
    build.build(c)
    failed = {r.name for r in audit.run_audits(c, "t") if not r.passed and r.blocking}
    assert "coverage_totals_match_unit_counts" in failed


def test_a_rank_past_the_end_of_the_board_fails():
    c = warehouse()
    add_index_facts(c, [par("z", "20", "Lạng Sơn", 2019, rank=70)])
    build.build(c)
    failed = {r.name for r in audit.run_audits(c, "t") if not r.passed and r.blocking}
    assert {"leaderboard_rank_in_range", "index_results_rank_in_range"} <= failed


def test_an_older_warehouse_gains_the_new_columns(tmp_path):
    import duckdb

    from paretl import load
    from paretl.warehouse import ensure_schema

    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    old.execute("CREATE SCHEMA core; CREATE TABLE core.activity_facts (fact_id VARCHAR NOT NULL, url VARCHAR NOT NULL, "
                "page_url VARCHAR NOT NULL, page_sha256 VARCHAR NOT NULL, source_id VARCHAR, published DATE, "
                "unit_code VARCHAR, unit_name VARCHAR, index_year INTEGER NOT NULL, metric VARCHAR NOT NULL, "
                "value DOUBLE NOT NULL, total DOUBLE, unit VARCHAR, level VARCHAR, evidence VARCHAR NOT NULL, "
                "extractor_version VARCHAR NOT NULL)")
    old.execute("CREATE TABLE core.ministries (unit_name VARCHAR PRIMARY KEY, variants VARCHAR[])")
    ensure_schema(old)
    act = {"index": "activity", "url": None, "unit_code": "20", "unit_name": "Lạng Sơn", "index_year": 2021,
           "metric": "dossiers_received", "value": 10.0, "total": None, "unit": "dossiers", "level": "province",
           "evidence": "x", "period": "2021-H1", "reporter": "service_centre"}
    written = load.write_facts([{"url": "u", "sha": "s", "source_id": None, "title": None, "published": None,
                                 "facts": [act], "warnings": [], "error": None}], tmp_path / "facts")
    load.load(old, [written])
    assert old.execute("SELECT period, reporter FROM core.activity_facts").fetchall() == [("2021-H1", "service_centre")]
    build.build(old)
    old.close()


def test_docs_print_the_dictionary_and_the_committed_copy_is_current(root):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "paretl.cli", "docs"], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    for table in ("marts.leaderboard", "marts.coverage", "marts.conflicts", "marts.lineage", "core.index_facts"):
        assert f"## {table}" in out.stdout
    assert "| `prior_source` |" in out.stdout
    committed = (root / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == out.stdout, "docs/data-dictionary.md is stale: paretl docs > docs/data-dictionary.md"


def test_build_command_selects_a_model_and_its_dependents(tmp_path):
    import subprocess
    import sys

    from paretl.publish import work_path

    work = work_path(tmp_path / "w.duckdb")
    work.parent.mkdir(parents=True)
    c = warehouse(work)
    add_index_facts(c, FACTS)
    build.build(c)
    c.close()
    out = subprocess.run([sys.executable, "-m", "paretl.cli", "build", "--warehouse", str(tmp_path / "w.duckdb"),
                          "--select", "coverage+"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert [line.split("\t")[0] for line in out.stdout.splitlines()] == ["marts.coverage", "marts.leaderboard"]
    out = subprocess.run([sys.executable, "-m", "paretl.cli", "build", "--warehouse", str(tmp_path / "none.duckdb")],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "run `paretl run` first" in out.stderr
