"""The warehouse file: its schemas and tables, and how to open it.

    raw     pages exactly as fetched (append-only, one row per distinct version) and every fetch attempt
    core    facts extracted from the latest version of each page, the province and ministry dimensions
    marts   tables built by the SQL models in sql/ for analysts and BI tools
    ops     run records

DuckDB allows one read-write process at a time and does not wait for the lock, so the pipeline opens the
private working file only inside a stage and closes it after; analysts read the published copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from paretl import docs, reference
from paretl.errors import ParetlError

DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;

-- raw.pages: one row per distinct version of a fetched page, the body exactly as served (append-only), stored
-- compressed (body_codec): read it with paretl.bodies.page_body(body, body_codec, body_size) or any zstd decoder.
-- grain: url, sha256
CREATE TABLE IF NOT EXISTS raw.pages (
    url            VARCHAR NOT NULL,   -- the URL asked for
    final_url      VARCHAR,            -- the URL that answered, after same-site redirects
    source_id      VARCHAR NOT NULL,   -- the registry source that fetched it (core.sources)
    role           VARCHAR,            -- listing | search | feed | sitemap | article
    fetched_at     TIMESTAMPTZ NOT NULL, -- when this version was first fetched
    status         INTEGER,            -- HTTP status
    content_type   VARCHAR,            -- Content-Type header as served
    charset        VARCHAR,            -- the character set the page was decoded with
    etag           VARCHAR,            -- ETag validator, sent back as If-None-Match
    last_modified  VARCHAR,            -- Last-Modified validator, sent back as If-Modified-Since
    sha256         VARCHAR NOT NULL,   -- SHA-256 of the bytes as served: the version's identity
    body           BLOB NOT NULL,      -- the bytes as served, stored as body_codec says (zstd: decompress to read them)
    run_id         VARCHAR,            -- the run that fetched it (ops.runs)
    body_codec     VARCHAR DEFAULT 'identity', -- how body is stored: 'zstd' (one standard zstd frame: paretl.bodies.page_body(body, body_codec, body_size), pyarrow.decompress(body, body_size, codec='zstd'), zstd -d) or 'identity' (the bytes as served, as in rows landed before paretl compressed bodies)
    body_size      BIGINT,             -- length of the bytes as served (null for 'identity' rows landed before compression: octet_length(body))
    PRIMARY KEY (url, sha256)
);

-- raw.fetch_log: every fetch attempt of every run, successful or not.
-- grain: run_id, url, attempt
CREATE TABLE IF NOT EXISTS raw.fetch_log (
    run_id      VARCHAR NOT NULL,      -- the run (ops.runs)
    source_id   VARCHAR NOT NULL,      -- the registry source (core.sources)
    url         VARCHAR NOT NULL,      -- the URL asked for
    role        VARCHAR,               -- robots | listing | search | feed | sitemap | article | host
    attempt     INTEGER,               -- 1 for the first try, then each retry
    started_at  TIMESTAMPTZ,           -- when the request started
    elapsed_ms  DOUBLE,                -- how long it took
    status      INTEGER,               -- HTTP status, if any answer came
    outcome     VARCHAR NOT NULL,      -- ok, not_modified, irrelevant, http_4xx, http_5xx, timeout, too_large, robots_disallowed, host_skipped, tls_error, ...
    error       VARCHAR,               -- the reason, for outcomes other than ok and not_modified
    final_url   VARCHAR,               -- the URL that answered, after redirects
    bytes       BIGINT                 -- bytes received
);

-- raw.links: every article link discovery judged, once per source and URL (the first judgement): fetched and kept,
-- fetched and found irrelevant, gone (4xx), or turned away by the relevance gate without a request. An incremental
-- run stops paging where a listing's links are all known here or in raw.pages.
-- grain: source_id, url
CREATE TABLE IF NOT EXISTS raw.links (
    run_id      VARCHAR NOT NULL,      -- the run that first judged it (ops.runs)
    source_id   VARCHAR NOT NULL,      -- the registry source (core.sources)
    url         VARCHAR NOT NULL,      -- the article URL
    via         VARCHAR,               -- listing | search | feed | sitemap: where it was found
    text        VARCHAR,               -- the link's text or the feed's title, as judged (first 300 characters)
    published   DATE,                  -- the date the feed, sitemap or URL gives, if any
    decision    VARCHAR NOT NULL,      -- kept | irrelevant_text | gone | irrelevant | unknown | too_old; sampled_* for links the gate turned away and the sample fetched
    found_at    TIMESTAMPTZ,           -- when
    PRIMARY KEY (source_id, url)
);

-- core.provinces: the provincial units of each map: 63 for index years 2008-2024, 34 from 2025.
-- grain: era, unit_code
CREATE TABLE IF NOT EXISTS core.provinces (
    unit_code       VARCHAR NOT NULL,  -- 2-digit code (GSO); a code can name different units in different eras
    unit_name       VARCHAR NOT NULL,  -- canonical short name
    era             INTEGER NOT NULL,  -- 63: index years up to 2024; 34: from 2025
    region          VARCHAR,           -- socio-economic region (63-era units)
    division_type   VARCHAR,           -- tỉnh | thành phố trực thuộc TW
    successor_code  VARCHAR,           -- 63-era unit: the 34-era unit it became on 2025-07-01
    variants        VARCHAR[],         -- spellings the extractor recognises
    PRIMARY KEY (era, unit_code)
);

-- core.province_lineage: each change of the provincial map: which unit of the old map became part of which unit of
-- the new one (Hà Tây and Hà Nội into Hà Nội on 2008-08-01; every 63-era unit into its 34-era unit on 2025-07-01).
-- grain: old_era, old_code
CREATE TABLE IF NOT EXISTS core.province_lineage (
    old_code        VARCHAR NOT NULL,  -- the unit's code on the old map
    old_name        VARCHAR NOT NULL,  -- its name on the old map
    new_code        VARCHAR NOT NULL,  -- the code of the unit it became part of
    new_name        VARCHAR NOT NULL,  -- that unit's name
    effective_date  DATE NOT NULL,     -- when the new map took effect
    old_era         INTEGER,           -- the old map (64 | 63)
    new_era         INTEGER,           -- the new map (63 | 34)
    note            VARCHAR            -- legal basis and boundary changes beside the merger
);

-- core.province_maps: the provincial maps and the index years ranked on each.
-- grain: era
CREATE TABLE IF NOT EXISTS core.province_maps (
    era               INTEGER PRIMARY KEY, -- number of units on the map (64 | 63 | 34)
    first_index_year  INTEGER,         -- first index year ranked on this map (null: before any index)
    last_index_year   INTEGER,         -- last index year ranked on this map (null: still current)
    n_units           INTEGER NOT NULL, -- units a full ranking on this map has
    in_force_from     DATE,            -- when the map took effect
    note              VARCHAR          -- what the map is
);

-- core.sources: the source registry of the latest run.
-- grain: source_id
CREATE TABLE IF NOT EXISTS core.sources (
    source_id        VARCHAR PRIMARY KEY, -- the registry id
    province_code    VARCHAR,          -- the site's province on the 63-unit map ('tỉnh ta' means this one); null for national outlets
    kind             VARCHAR,          -- portal | party_newspaper | home_affairs_dept | ...
    start_urls       VARCHAR[],        -- where the crawl starts (listing pages, feeds, sitemaps, search URL)
    allowed_domains  VARCHAR[],        -- domains the crawl stays within
    province_code_34 VARCHAR,          -- the site's unit on the 34-unit map (from 2025-07-01)
    valid_from       DATE,             -- when the outlet began publishing under these domains, if known
    valid_to         DATE,             -- when it stopped (domain given up, merged away in 2025)
    confidence       VARCHAR,          -- high | medium | low: how sure the registry is of its URLs
    enabled          BOOLEAN,          -- crawled by default
    evidence         VARCHAR[]         -- what confirmed the URLs
);

-- core.ministries: the ministries and ministry-level agencies an index can rank, with the index years they existed.
-- grain: unit_name
CREATE TABLE IF NOT EXISTS core.ministries (
    unit_name         VARCHAR PRIMARY KEY, -- canonical name
    variants          VARCHAR[],       -- spellings the extractor recognises
    first_index_year  INTEGER,         -- first index year the ministry existed in
    last_index_year   INTEGER,         -- last index year it existed in (null: still exists)
    merged_into       VARCHAR,         -- the ministry it became part of (the restructuring of 2025-03-01)
    merged_on         DATE             -- when
);

-- core.indices: which unit kinds each index ranks and from which index year.
-- grain: index, unit_kind
CREATE TABLE IF NOT EXISTS core.indices (
    "index"     VARCHAR NOT NULL,      -- PAR_INDEX | SIPAS | PAPI | PCI | PGI
    unit_kind   VARCHAR NOT NULL,      -- province | ministry
    first_year  INTEGER NOT NULL,      -- first index year it ranked every unit of this kind
    name_vi     VARCHAR,               -- the index's Vietnamese name
    note        VARCHAR,               -- coverage history
    PRIMARY KEY ("index", unit_kind)
);

-- core.reference_results: published provincial results the project ships (src/paretl/reference/*_known.csv),
-- compiled from public sources. Cross-checked against the warehouse (marts.conflicts), never loaded as facts.
-- grain: index, index_year, unit_code
CREATE TABLE IF NOT EXISTS core.reference_results (
    "index"           VARCHAR NOT NULL, -- PAR_INDEX | SIPAS
    index_year        INTEGER NOT NULL, -- the year measured
    unit_kind         VARCHAR NOT NULL, -- province
    unit_code         VARCHAR NOT NULL, -- 63-era code
    unit_name         VARCHAR NOT NULL, -- canonical name
    score             DOUBLE,          -- the score, where the reference's sources agree on one
    score_unit        VARCHAR,         -- points | percent | null
    rank              INTEGER,         -- the rank, where its sources agree on one
    rank_of           INTEGER,         -- units ranked
    all_scores        DOUBLE[],        -- every score its sources give
    all_ranks         INTEGER[],       -- every rank its sources give
    sources_disagree  BOOLEAN,         -- the reference's own sources disagree
    source_urls       VARCHAR[],       -- where the reference took it from
    reference_file    VARCHAR          -- the shipped file
);

-- core.index_facts: one figure a page states: one row per page x unit x index x index year x metric, from the
-- latest version of each page under the current extractor.
-- grain: fact_id
CREATE TABLE IF NOT EXISTS core.index_facts (
    fact_id            VARCHAR NOT NULL,  -- stable id: page, unit, index, year, metric
    url                VARCHAR NOT NULL,  -- the page's canonical URL (else the fetched one)
    page_url           VARCHAR NOT NULL,  -- raw.pages.url
    page_sha256        VARCHAR NOT NULL,  -- raw.pages.sha256: the exact version read
    source_id          VARCHAR,           -- the registry source
    published          DATE,              -- the page's publication date
    unit_kind          VARCHAR NOT NULL,  -- province | ministry
    unit_code          VARCHAR,           -- 2-digit code in the era of the index year; null for ministries
    unit_name          VARCHAR NOT NULL,  -- canonical name
    "index"            VARCHAR NOT NULL,  -- PAR_INDEX | SIPAS | PAPI | PCI | PGI
    index_year         INTEGER NOT NULL,  -- the year measured (announced the year after)
    metric             VARCHAR NOT NULL,  -- total, or a component (docs/facts.md)
    score              DOUBLE,            -- the score stated
    score_unit         VARCHAR,           -- points | percent | null
    rank               INTEGER,           -- national rank among units of its kind
    rank_of            INTEGER,           -- the denominator, when stated
    prior_rank         INTEGER,           -- the rank the year before, stated or derivable from a stated change
    rank_change        INTEGER,           -- places moved since the year before, + = up
    evidence           VARCHAR NOT NULL,  -- the sentence the figure came from
    extractor_version  VARCHAR NOT NULL,  -- the extractor that read it
    attribution        VARCHAR            -- where its unit, index and year came from, the weakest of the three: clause, table, sentence, paragraph, headline, article, url, site, calendar
);

-- core.activity_facts: one reform activity figure a page states (dossiers, staff cuts, documents, e-office, ...).
-- grain: fact_id
CREATE TABLE IF NOT EXISTS core.activity_facts (
    fact_id            VARCHAR NOT NULL,  -- stable id
    url                VARCHAR NOT NULL,  -- the page's canonical URL (else the fetched one)
    page_url           VARCHAR NOT NULL,  -- raw.pages.url
    page_sha256        VARCHAR NOT NULL,  -- raw.pages.sha256
    source_id          VARCHAR,           -- the registry source
    published          DATE,              -- the page's publication date
    unit_code          VARCHAR,           -- the province
    unit_name          VARCHAR,           -- its name
    index_year         INTEGER NOT NULL,  -- the calendar year of the period (its first year for a range)
    metric             VARCHAR NOT NULL,  -- dossiers_received, dossiers_resolved, on_time_rate, ... (docs/facts.md)
    value              DOUBLE NOT NULL,   -- the number; a rate in percent
    total              DOUBLE,            -- the whole, when stated ("225/226")
    unit               VARCHAR,           -- what is counted: dossiers, people, documents, communes, percent, ...
    level              VARCHAR,           -- province | district | commune
    evidence           VARCHAR NOT NULL,  -- the sentence the figure came from
    extractor_version  VARCHAR NOT NULL,  -- the extractor that read it
    period             VARCHAR,           -- what the figure counts over: 2021, 2021-H1, 2021-Q3, 2021-09, 2021-M9, a date range; null if not read
    reporter           VARCHAR            -- the body the figure is about: province, service_centre, district, commune, a department; null if not read
);

-- core.page_extractions: which version of each article page the current extractor read, and how it went.
-- grain: page_url
CREATE TABLE IF NOT EXISTS core.page_extractions (
    page_url           VARCHAR NOT NULL,  -- raw.pages.url
    page_sha256        VARCHAR NOT NULL,  -- the version read
    extractor_version  VARCHAR NOT NULL,  -- the extractor
    extracted_at       TIMESTAMPTZ NOT NULL, -- when
    title              VARCHAR,           -- the article's title
    published          DATE,              -- its publication date
    n_index_facts      INTEGER,           -- index facts found
    n_activity_facts   INTEGER,           -- activity facts found
    warnings           VARCHAR[],         -- figures skipped, with the reason
    error              VARCHAR,           -- why the page could not be read, if it could not
    legacy_encoding    VARCHAR,           -- tcvn3 | vni: the page was in a legacy Vietnamese font encoding, converted to Unicode before reading
    PRIMARY KEY (page_url)
);

-- ops.runs: one row per run of the job.
-- grain: run_id
CREATE TABLE IF NOT EXISTS ops.runs (
    run_id       VARCHAR PRIMARY KEY,  -- UTC start time and a random suffix
    started_at   TIMESTAMPTZ,          -- when it started
    finished_at  TIMESTAMPTZ,          -- when it ended
    status       VARCHAR,              -- running | published | audit_failed | failed
    detail       JSON                  -- sources, failed audits or the error
);

-- ops.audit_results: the outcome of every audit in every run.
-- grain: run_id, audit
CREATE TABLE IF NOT EXISTS ops.audit_results (
    run_id        VARCHAR,             -- the run
    audit         VARCHAR,             -- the audit's file name (src/paretl/sql/audits)
    failing_rows  BIGINT,              -- rows the audit query returned (0 = passed)
    sample        JSON,                -- up to five of them, or the error
    checked_at    TIMESTAMPTZ          -- when
);

-- ops.schema_state: the schema and reference data the file was last brought up to.
-- grain: one row
CREATE TABLE IF NOT EXISTS ops.schema_state (
    fingerprint   VARCHAR,             -- sha256 of the DDL, migrations and reference files it was set up from
    applied_at    TIMESTAMPTZ          -- when
);
"""

# Columns added after a table was first created: a warehouse built by an earlier version gains them (nullable; a
# DEFAULT fills the rows already there, and rows inserted without the column).
MIGRATIONS = (
    # rows landed before paretl compressed bodies hold them as served
    ("raw.pages", "body_codec", "VARCHAR DEFAULT 'identity'"),
    ("raw.pages", "body_size", "BIGINT"),
    ("core.index_facts", "attribution", "VARCHAR"),
    ("core.activity_facts", "period", "VARCHAR"),
    ("core.activity_facts", "reporter", "VARCHAR"),
    ("core.province_lineage", "old_era", "INTEGER"),
    ("core.province_lineage", "new_era", "INTEGER"),
    ("core.province_lineage", "note", "VARCHAR"),
    ("core.ministries", "first_index_year", "INTEGER"),
    ("core.ministries", "last_index_year", "INTEGER"),
    ("core.ministries", "merged_into", "VARCHAR"),
    ("core.ministries", "merged_on", "DATE"),
    ("core.sources", "province_code_34", "VARCHAR"),
    ("core.sources", "valid_from", "DATE"),
    ("core.sources", "valid_to", "DATE"),
    ("core.sources", "confidence", "VARCHAR"),
    ("core.sources", "enabled", "BOOLEAN"),
    ("core.sources", "evidence", "VARCHAR[]"),
    ("core.page_extractions", "legacy_encoding", "VARCHAR"),
)


# DuckDB's buffer pool may grow to 80% of the machine's memory by default; landing a big crawl then holds
# gigabytes of page bodies. A cap keeps the job's memory flat (DuckDB spills to disk past it).
MEMORY_LIMIT = os.environ.get("PARETL_DUCKDB_MEMORY", "384MB")


@contextlib.contextmanager
def connect(path: str | Path, *, read_only: bool = False, memory_limit: str | None = None, threads: int | None = None):
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit or MEMORY_LIMIT}
    if threads:
        config["threads"] = threads
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        msg = str(exc).splitlines()[0]
        raise ParetlError(f"cannot open warehouse {path}: {msg}") from None
    try:
        yield con
    finally:
        con.close()


def schema_fingerprint() -> str:
    """What ensure_schema writes depends on: the DDL, the migrations, the reference files and the code that
    reads them. Equal fingerprints mean the file already has every table, column, comment and reference row."""
    h = hashlib.sha256(DDL.encode())
    h.update(repr(MIGRATIONS).encode())
    ref = Path(reference.__file__)
    for f in [Path(__file__), Path(docs.__file__), ref, *sorted(ref.parent.joinpath("reference").glob("*"))]:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def schema_is_current(con: duckdb.DuckDBPyConnection, fingerprint: str | None = None) -> bool:
    """Whether the file was last set up from this code's schema fingerprint (a read: works read-only)."""
    try:
        return con.execute("SELECT fingerprint FROM ops.schema_state").fetchall() == [
            (fingerprint or schema_fingerprint(),)]
    except duckdb.CatalogException:
        return False  # a new file, or one from before the schema state was kept


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing, add migrated columns, reload the reference tables and the comments; skipped (a
    fixed cost of every run, ~0.2 s) when the file was last set up from the same fingerprint."""
    fingerprint = schema_fingerprint()
    if schema_is_current(con, fingerprint):
        return
    con.execute(DDL)
    for table, column, type_ in MIGRATIONS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {type_}")
    _load_reference(con)
    # descriptions live beside the DDL above; COMMENT ON makes them the warehouse's own data dictionary
    for table, (doc, columns) in docs.ddl_docs(DDL).items():
        docs.comment(con, table, "TABLE", doc, columns)
    con.execute("DELETE FROM ops.schema_state")
    con.execute("INSERT INTO ops.schema_state VALUES (?, now())", [fingerprint])


def _arrow(rows: list[dict], columns: list[str]) -> pa.Table:
    return pa.table({c: [r[c] for r in rows] for c in columns})


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reload the dimensions from the package's reference files: they are small and must match the code."""
    rows = [(p.code, p.name, p.era, p.region, p.division_type, p.successor_code, list(p.variants))
            for p in (*reference.provinces_63(), *reference.provinces_34())]
    tbl = pa.table({k: [r[i] for r in rows] for i, k in enumerate(
        ["unit_code", "unit_name", "era", "region", "division_type", "successor_code", "variants"])})
    years = reference.ministry_years()
    ministries = [{"unit_name": m.name, "variants": list(m.variants), **years.get(m.name, {})}
                  for m in reference.ministries()]
    tables = {
        "core.provinces": tbl,
        "core.province_lineage": _arrow(list(reference.lineage_rows()), [
            "old_code", "old_name", "new_code", "new_name", "effective_date", "old_era", "new_era", "note"]),
        "core.province_maps": _arrow(list(reference.province_maps()), [
            "era", "first_index_year", "last_index_year", "n_units", "in_force_from", "note"]),
        "core.ministries": pa.Table.from_pylist(ministries),
        "core.indices": _arrow(list(reference.indices()), ["index", "unit_kind", "first_year", "name_vi", "note"]),
        "core.reference_results": _arrow(list(reference.known_results()), [
            "index", "index_year", "unit_kind", "unit_code", "unit_name", "score", "score_unit", "rank", "rank_of",
            "all_scores", "all_ranks", "sources_disagree", "source_urls", "reference_file"]),
    }
    con.execute("BEGIN")
    try:
        for table, arrow in tables.items():
            con.register("ref_rows", arrow)
            # BY NAME: columns are matched by name, so the table's column order (migrations append) does not matter
            con.execute(f"DELETE FROM {table}; INSERT INTO {table} BY NAME SELECT * FROM ref_rows")
            con.unregister("ref_rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def register_sources(con: duckdb.DuckDBPyConnection, sources) -> None:
    """Record the registry's sources: extraction needs each page's province long after the crawl. Rows that are
    already recorded as they are now are left alone (most runs change none: a write per source was a fixed cost)."""
    cols = ["source_id", "province_code", "kind", "start_urls", "allowed_domains", "province_code_34", "valid_from",
            "valid_to", "confidence", "enabled", "evidence"]
    rows = [(s.id, s.province_code, s.kind, list(getattr(s, "entry_urls", lambda: s.start_urls)()),
             list(s.allowed_domains), getattr(s, "province_code_34", None), getattr(s, "valid_from", None),
             getattr(s, "valid_to", None), getattr(s, "confidence", None), getattr(s, "enabled", True),
             list(getattr(s, "evidence", ()))) for s in sources]
    have = {r[0]: tuple(r) for r in con.execute(f"SELECT {', '.join(cols)} FROM core.sources").fetchall()}
    for row in rows:
        if have.get(row[0]) != row:
            con.execute(f"INSERT OR REPLACE INTO core.sources ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        list(row))


def table_counts(con: duckdb.DuckDBPyConnection, schemas=("raw", "core", "marts")) -> dict[str, int]:
    out = {}
    for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({','.join('?' * len(schemas))}) AND table_type = 'BASE TABLE' ORDER BY 1, 2", list(schemas)).fetchall():
        out[f"{schema}.{name}"] = con.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchall()[0][0]
    return out
