"""The warehouse stages without Prefect or a web server: land -> extract/load -> build -> audit -> publish.

Pages are the project's own labelled pages, landed as if a crawl had fetched them.
"""

import datetime as dt
import hashlib
import json
import subprocess
import sys

import duckdb
import pytest

from paretl import bodies, pipeline
from paretl.crawl.fetcher import CrawlResult, FetchRecord, PageRecord
from paretl.errors import ParetlError
from paretl.land import write_staging
from paretl.sources import Source
from paretl.warehouse import connect, ensure_schema, register_sources

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def _crawl(root, names, run_id="r1"):
    res = CrawlResult("tintuc-quocgia")
    site = root / "src/paretl/sample_site/sites/tintuc-quocgia/cai-cach-hanh-chinh"
    for name in names:
        body = (site / name).read_bytes()
        url = f"http://sample.test/cai-cach-hanh-chinh/{name}"
        res.pages.append(PageRecord(url, url, res.source_id, "article", NOW, 200, "text/html; charset=utf-8",
                                    "utf-8", None, None, hashlib.sha256(body).hexdigest(), body))
        res.log.append(FetchRecord(run_id, res.source_id, url, "article", 1, NOW, 1.0, 200, "ok"))
    return res


def _run(root, tmp_path, names, run_id):
    paths = pipeline.Paths(tmp_path / "out" / "w.duckdb", tmp_path / "out" / "export")
    with connect(paths.work_db) as con:
        ensure_schema(con)
        register_sources(con, [Source("tintuc-quocgia", ("http://sample.test/",), ("sample.test",))])
        pipeline._record_start(con, run_id, {})
    staged = write_staging(_crawl(root, names, run_id), paths.staging(run_id))
    pipeline.land_stage(paths, [staged], run_id)
    pipeline.extract_stage(paths)
    pipeline.build_stage(paths)
    audits = pipeline.audit_stage(paths, run_id)
    pipeline.publish_stage(paths, run_id, audits)
    return paths


@pytest.fixture
def pages(root):
    site = root / "src/paretl/sample_site/sites/tintuc-quocgia/cai-cach-hanh-chinh"
    return sorted(p.name for p in site.glob("*.html") if p.name != "index.html" and "trang-" not in p.name)[:8]


def test_stages_are_idempotent_and_publish_readable_files(root, tmp_path, pages):
    paths = _run(root, tmp_path, pages, "r1")
    first = pipeline.counts(paths.warehouse)
    paths = _run(root, tmp_path, pages, "r2")
    second = pipeline.counts(paths.warehouse)
    for table in first:
        if table.startswith(("core.", "marts.")) or table == "raw.pages":
            assert first[table] == second[table], table
    assert first["core.index_facts"] > 20 and first["marts.index_results"] > 10
    # another process, with another reader, opens what was published
    code = ("import pyarrow.parquet as pq, duckdb, json, os, sys; d = os.path.realpath(sys.argv[1] + '/current'); "
            "t = pq.read_table(d + '/marts/index_results'); "
            "c = duckdb.connect(sys.argv[2], read_only=True); "
            "print(json.dumps([t.num_rows, c.execute('select count(*) from marts.index_results').fetchall()[0][0]]))")
    out = subprocess.run([sys.executable, "-c", code, str(paths.export_dir), str(paths.warehouse)],
                         capture_output=True, text=True, check=True)
    n_parquet, n_duckdb = json.loads(out.stdout)
    assert n_parquet == n_duckdb == second["marts.index_results"]
    manifest = json.loads((paths.export_dir / "current" / "manifest.json").read_text())
    assert manifest["tables"]["marts.index_results"]["rows"] == n_parquet
    assert manifest["run_id"] == "r2"


def test_every_fact_has_provenance(root, tmp_path, pages):
    paths = _run(root, tmp_path, pages, "r1")
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    rows = con.execute("""SELECT f.evidence, p.body FROM core.index_facts f
                          JOIN raw.pages p ON p.url = f.page_url AND p.sha256 = f.page_sha256""").fetchall()
    assert rows and all(ev for ev, body in rows)
    assert con.execute("SELECT count(*) FROM core.index_facts").fetchall()[0][0] == len(rows)
    # how each figure was attributed, and each activity figure's period and reporter, land with it
    assert con.execute("SELECT count(*) FROM core.index_facts WHERE attribution IS NULL").fetchall()[0][0] == 0
    act = con.execute("SELECT count(*), count(period), count(reporter) FROM core.activity_facts").fetchall()[0]
    assert act[0] == act[1] == act[2]  # (this web states no activity figure; test_models covers their columns)


def test_failed_audit_publishes_nothing(root, tmp_path, pages):
    paths = _run(root, tmp_path, pages, "r1")
    before = paths.warehouse.read_bytes()
    with connect(paths.work_db) as con:  # a wrong fact slips into core: rank 80 of 63
        pipeline._record_start(con, "r2", {})
        con.execute("""INSERT INTO core.index_facts SELECT * REPLACE (80 AS rank, 'bad' AS fact_id, 2011 AS index_year)
                       FROM core.index_facts WHERE rank IS NOT NULL LIMIT 1""")
    pipeline.build_stage(paths)
    audits = pipeline.audit_stage(paths, "r2")
    assert any(a["name"] == "index_results_rank_in_range" and not a["passed"] for a in audits)
    with pytest.raises(ParetlError, match="audits failed"):
        pipeline.publish_stage(paths, "r2", audits)
    assert paths.warehouse.read_bytes() == before
    with connect(paths.work_db, read_only=True) as con:
        assert con.execute("SELECT status FROM ops.runs WHERE run_id = 'r2'").fetchall()[0][0] == "audit_failed"


def test_reextract_uses_stored_pages_only(root, tmp_path, pages):
    paths = _run(root, tmp_path, pages, "r1")
    n = pipeline.counts(paths.work_db)["core.index_facts"]
    counts = pipeline.extract_stage(paths, force=True)
    assert counts["pages"] == len(pages) and counts["errors"] == 0
    assert pipeline.counts(paths.work_db)["core.index_facts"] == n


# -- page bodies: stored compressed, read back exactly as served (paretl.bodies) ------------------------------------
def _page(url, body, role="article"):
    return PageRecord(url, url, "tintuc-quocgia", role, NOW, 200, "text/html", None, None, None,
                      hashlib.sha256(body).hexdigest(), body)


def test_a_body_round_trips_exactly_through_staging_land_and_the_reader(tmp_path):
    rnd = __import__("random").Random(8)
    served = {
        "http://sample.test/empty": b"",
        "http://sample.test/binary": bytes(rnd.randrange(256) for _ in range(70_000)),  # incompressible, not UTF-8
        "http://sample.test/cp1258": "Chỉ số PAR INDEX năm 2023".encode("cp1258", errors="replace") * 3000,
        "http://sample.test/page": b"<html><script>var x = 1;</script>" * 5000 + b"\r\n\x00tail",
    }
    res = CrawlResult("tintuc-quocgia")
    res.pages = [_page(u, b) for u, b in served.items()]
    paths = pipeline.Paths(tmp_path / "w.duckdb", tmp_path / "export")
    with connect(paths.work_db) as con:
        ensure_schema(con)
    pipeline.land_stage(paths, [write_staging(res, paths.staging("r1"))], "r1")
    with connect(paths.work_db, read_only=True) as con:
        rows = con.execute("SELECT url, sha256, body, body_codec, body_size FROM raw.pages").fetchall()
    assert len(rows) == len(served)
    for url, sha, body, codec, size in rows:
        assert codec == bodies.ZSTD and size == len(served[url])
        back = bodies.page_body(body, codec, size)
        assert back == served[url] and hashlib.sha256(back).hexdigest() == sha  # sha256 of the bytes as served
    # stored ~10x smaller where the page is markup
    page = next(r for r in rows if r[0].endswith("/page"))
    assert len(page[2]) * 10 < page[4]


def test_a_body_that_cannot_be_read_back_is_a_clear_error_and_only_its_page_fails(root, tmp_path, pages):
    stored, codec, size = bodies.pack(b"<html>x</html>")
    assert bodies.page_body(stored, codec, size) == b"<html>x</html>"
    with pytest.raises(bodies.BodyError, match="unknown body codec 'brotli'"):
        bodies.page_body(stored, "brotli", size)
    with pytest.raises(bodies.BodyError, match="does not decode to 15 bytes"):
        bodies.page_body(stored, codec, size + 1)
    with pytest.raises(bodies.BodyError, match="does not decode"):
        bodies.page_body(stored[:-3], codec, size)
    with pytest.raises(bodies.BodyError, match="original size"):
        bodies.page_body(stored, codec, None)
    # in the warehouse: one damaged body is that page's extraction error; the other pages are read
    paths = _run(root, tmp_path, pages[:3], "r1")
    with connect(paths.work_db) as con:
        url, body = con.execute("SELECT url, body FROM raw.pages ORDER BY url LIMIT 1").fetchall()[0]
        con.execute("UPDATE raw.pages SET body = ? WHERE url = ?", [body[:10], url])
    counts = pipeline.extract_stage(paths, force=True)
    assert counts["pages"] == 3 and counts["errors"] == 1
    with connect(paths.work_db, read_only=True) as con:
        (err,) = con.execute("SELECT error FROM core.page_extractions WHERE error IS NOT NULL").fetchall()[0]
    assert err.startswith("BodyError: zstd body of 10 bytes does not decode")


# raw.pages as versions before compression created it: no body_codec, no body_size, the body as served
OLD_RAW_PAGES = """
CREATE SCHEMA raw;
CREATE TABLE raw.pages (
    url VARCHAR NOT NULL, final_url VARCHAR, source_id VARCHAR NOT NULL, role VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL, status INTEGER, content_type VARCHAR, charset VARCHAR, etag VARCHAR,
    last_modified VARCHAR, sha256 VARCHAR NOT NULL, body BLOB NOT NULL, run_id VARCHAR, PRIMARY KEY (url, sha256));
"""


def test_an_old_warehouse_with_bodies_as_served_still_reextracts_and_lands_new_pages(root, tmp_path, pages):
    reference = _run(root, tmp_path / "new", pages[:4], "r1")
    with connect(reference.work_db, read_only=True) as con:
        want = con.execute("SELECT fact_id, score, rank FROM core.index_facts ORDER BY 1").fetchall()
    paths = pipeline.Paths(tmp_path / "old" / "w.duckdb", tmp_path / "old" / "export")
    paths.work_db.parent.mkdir(parents=True)
    con = duckdb.connect(str(paths.work_db))
    con.execute(OLD_RAW_PAGES)
    for p in _crawl(root, pages[:4]).pages:
        con.execute("INSERT INTO raw.pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'old')",
                    [p.url, p.final_url, p.source_id, p.role, p.fetched_at, p.status, p.content_type, p.charset,
                     p.etag, p.last_modified, p.sha256, p.body])
    con.close()
    pipeline.start_reextract(paths, "r2")  # the migration: the old rows read as stored as is
    with connect(paths.work_db) as con:
        register_sources(con, [Source("tintuc-quocgia", ("http://sample.test/",), ("sample.test",))])
        assert con.execute("SELECT DISTINCT body_codec FROM raw.pages").fetchall() == [(bodies.IDENTITY,)]
    counts = pipeline.extract_stage(paths, force=True)
    assert counts["pages"] == 4 and counts["errors"] == 0
    with connect(paths.work_db, read_only=True) as con:
        assert con.execute("SELECT fact_id, score, rank FROM core.index_facts ORDER BY 1").fetchall() == want
    # new pages land beside the old ones, compressed, and both kinds are read
    staged = write_staging(_crawl(root, pages[4:6], "r3"), paths.staging("r3"))
    pipeline.land_stage(paths, [staged], "r3")
    counts = pipeline.extract_stage(paths, force=True)
    assert counts["pages"] == 6 and counts["errors"] == 0
    with connect(paths.work_db, read_only=True) as con:
        assert dict(con.execute("SELECT body_codec, count(*) FROM raw.pages GROUP BY 1").fetchall()) == {
            bodies.IDENTITY: 4, bodies.ZSTD: 2}


def test_the_schema_is_set_up_once_per_fingerprint(tmp_path, monkeypatch):
    """ensure_schema, a fixed cost of every run, does its work once per schema fingerprint; a file from before the
    fingerprint was kept, or a changed schema or reference file, sets everything up again."""
    from paretl import warehouse

    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        ensure_schema(con)
        n = con.execute("SELECT count(*) FROM core.provinces").fetchall()[0][0]
        assert n > 90 and con.execute("SELECT fingerprint FROM ops.schema_state").fetchall() == [
            (warehouse.schema_fingerprint(),)]
        con.execute("DELETE FROM core.provinces WHERE era = 34")
        ensure_schema(con)  # same fingerprint: nothing done
        assert con.execute("SELECT count(*) FROM core.provinces").fetchall()[0][0] < n
        monkeypatch.setattr(warehouse, "schema_fingerprint", lambda: "changed")
        ensure_schema(con)  # a new version of the schema or of the reference files: set up again
        assert con.execute("SELECT count(*) FROM core.provinces").fetchall()[0][0] == n
        con.execute("DROP TABLE ops.schema_state")  # a file from before the fingerprint
        ensure_schema(con)
        assert con.execute("SELECT fingerprint FROM ops.schema_state").fetchall() == [("changed",)]


def test_known_pages_read_ahead_are_taken_only_from_unchanged_files(root, tmp_path, pages):
    """The CLI reads what is known of the sources while its Prefect server starts; the run takes that read only
    if no file it came from changed since (and for the same revisit setting), and reads again otherwise."""
    import dataclasses

    from paretl.sources import CrawlSettings, Registry

    paths = _run(root, tmp_path, pages[:3], "r1")
    source = Source("tintuc-quocgia", ("http://sample.test/",), ("sample.test",))
    registry = Registry(CrawlSettings(revisit_after_days=1), (source,))

    assert pipeline.read_ahead(paths, registry) is not None
    known = pipeline.start_run(paths, registry, "r2")
    assert pipeline.read_ahead_seconds("r2") is not None
    assert sorted(known["tintuc-quocgia"]) == sorted(f"http://sample.test/cai-cach-hanh-chinh/{n}" for n in pages[:3])

    # read ahead, then a page lands before the run starts: the read is stale, and the run reads again
    pipeline.read_ahead(paths, registry)
    staged = write_staging(_crawl(root, pages[3:4], "r2"), paths.staging("r2"))
    pipeline.land_stage(paths, [staged], "r2")
    known = pipeline.start_run(paths, registry, "r3")
    assert pipeline.read_ahead_seconds("r3") is None
    assert f"http://sample.test/cai-cach-hanh-chinh/{pages[3]}" in known["tintuc-quocgia"]

    # another revisit setting asks for other figures (when each page was last checked): read again
    pipeline.read_ahead(paths, registry)
    other = dataclasses.replace(registry, crawl=CrawlSettings(revisit_after_days=0))
    pipeline.start_run(paths, other, "r4")
    assert pipeline.read_ahead_seconds("r4") is None
    # and a read-ahead is used once
    pipeline.start_run(paths, registry, "r5")
    assert pipeline.read_ahead_seconds("r5") is None


def _listing_crawl(pages: dict[str, bytes], source_id: str = "baotinh") -> CrawlResult:
    res = CrawlResult(source_id)
    for url, body in pages.items():
        role = "article" if "/bai-" in url else "listing"
        res.pages.append(PageRecord(url, url, source_id, role, NOW, 200, "text/html", "utf-8", None, None,
                                    hashlib.sha256(body).hexdigest(), body))
    return res


def test_listing_cache_keeps_the_latest_body_of_each_listing_page_and_only_listings(tmp_path):
    from paretl import land
    import pyarrow.parquet as pq

    cache = tmp_path / "listings"
    first = write_staging(_listing_crawl({"http://t.test/tin/trang-1": b"<a>1a</a>", "http://t.test/tin/trang-2": b"<a>2a</a>",
                                          "http://t.test/tin/bai-1.html": b"<p>article</p>"}), tmp_path / "s1")
    assert land.update_listing_cache([first], cache) == 2
    # the next run fetches page 1 again (changed) and a new page 3; page 2 answered 304 and is not staged
    second = write_staging(_listing_crawl({"http://t.test/tin/trang-1": b"<a>1b</a>",
                                           "http://t.test/tin/trang-3": b"<a>3b</a>"}), tmp_path / "s2")
    assert land.update_listing_cache([second], cache) == 2
    rows = pq.read_table(land.listing_cache_file(cache, "baotinh")).to_pylist()
    assert sorted((r["url"], r["body"]) for r in rows) == [
        ("http://t.test/tin/trang-1", b"<a>1b</a>"), ("http://t.test/tin/trang-2", b"<a>2a</a>"),
        ("http://t.test/tin/trang-3", b"<a>3b</a>")]
    assert not list(cache.glob("*.tmp"))

    # a part that cannot be read fails the update and leaves the cache as it was, with no temporary file behind
    broken = tmp_path / "s3" / "baotinh.pages.parquet"
    broken.parent.mkdir()
    broken.write_bytes(b"not parquet")
    third = write_staging(_listing_crawl({"http://t.test/tin/trang-1": b"<a>1c</a>"}), tmp_path / "s4")
    with pytest.raises(Exception):
        land.update_listing_cache([third, {"pages_path": str(broken)}], cache)
    assert pq.read_table(land.listing_cache_file(cache, "baotinh")).to_pylist() == rows
    assert not list(cache.glob("*.tmp"))


def test_staged_parts_land_in_bounded_groups_in_order(tmp_path):
    from paretl.land import _part_groups

    sizes = [3, 3, 3, 9, 1, 1]
    parts = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"s.pages.{i:05d}.parquet"
        p.write_bytes(b"x" * n)
        parts.append(str(p))
    groups = _part_groups(parts, limit=6)
    assert [p for g in groups for p in g] == parts  # every part once, in order
    assert [len(g) for g in groups] == [2, 1, 1, 2]  # 3+3 | 3 | 9 alone (bigger than the limit) | 1+1
    assert _part_groups([], limit=6) == []
