-- stg_index_facts: index figures as extracted, one row per page x unit x index x index year x metric, with the
-- unit's canonical name and the provincial map of its index year.
-- grain: fact_id
-- columns:
--   fact_id            stable id of the figure (core.index_facts)
--   url                the page's canonical URL
--   page_url           raw.pages.url of the version read
--   page_sha256        raw.pages.sha256 of the version read
--   source_id          the registry source that fetched the page
--   published          the page's publication date
--   unit_kind          province | ministry
--   unit_code          2-digit code on the map of the index year; null for ministries
--   unit_key           unit_code, else unit_name: the unit within its kind
--   unit_name          canonical name (core.provinces for provinces of the 63 and 34 maps)
--   era                the provincial map of the index year: 64 (to 2007), 63 (2008-2024), 34 (from 2025);
--                      null for ministries
--   index              PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year         the year measured (announced the year after)
--   metric             total, or a component of the index (docs/facts.md)
--   score              the score stated, rounded to 4 decimals
--   score_unit         points | percent | null
--   rank               the national rank stated
--   rank_of            the number ranked, when stated
--   prior_rank         the rank the year before, as the page states or implies it
--   rank_change        places moved since the year before, as the page states it (+ = up)
--   evidence           the sentence the figure came from
--   extractor_version  the extractor that read it
--   attribution        where its unit, index and year came from, the weakest of the three (clause, table,
--                      sentence, paragraph, headline, article, url, site, calendar): analysts filter on it
SELECT
    f.fact_id, f.url, f.page_url, f.page_sha256, f.source_id, f.published,
    f.unit_kind, f.unit_code, coalesce(f.unit_code, f.unit_name) AS unit_key,
    coalesce(p.unit_name, f.unit_name) AS unit_name,
    m.era,
    f."index", f.index_year, f.metric,
    round(f.score, 4) AS score, f.score_unit, f.rank, f.rank_of, f.prior_rank, f.rank_change,
    f.evidence, f.extractor_version, f.attribution
FROM core.index_facts f
LEFT JOIN core.province_maps m
    ON f.unit_kind = 'province'
   AND f.index_year BETWEEN coalesce(m.first_index_year, 0) AND coalesce(m.last_index_year, 9999)
LEFT JOIN core.provinces p
    ON f.unit_kind = 'province' AND p.unit_code = f.unit_code AND p.era = m.era
