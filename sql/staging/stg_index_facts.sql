-- stg_index_facts: index figures as extracted, one row per page × unit × index × index year × metric,
-- with the unit's canonical name and era from the province dimension.
-- grain: fact_id
-- columns:
--   fact_id, url (page canonical URL), page_url, page_sha256, source_id, published
--   unit_kind (province|ministry), unit_code (2-digit, era of the index year; null for ministries),
--   unit_key (unit_code, else unit_name), unit_name, era (63|34|null), "index", index_year, metric,
--   score, score_unit, rank, rank_of, prior_rank, rank_change, evidence, extractor_version
SELECT
    f.fact_id, f.url, f.page_url, f.page_sha256, f.source_id, f.published,
    f.unit_kind, f.unit_code, coalesce(f.unit_code, f.unit_name) AS unit_key,
    coalesce(p.unit_name, f.unit_name) AS unit_name,
    CASE WHEN f.unit_kind = 'province' THEN CASE WHEN f.index_year <= 2024 THEN 63 ELSE 34 END END AS era,
    f."index", f.index_year, f.metric,
    round(f.score, 4) AS score, f.score_unit, f.rank, f.rank_of, f.prior_rank, f.rank_change,
    f.evidence, f.extractor_version
FROM core.index_facts f
LEFT JOIN core.provinces p
    ON f.unit_kind = 'province' AND p.unit_code = f.unit_code
   AND p.era = CASE WHEN f.index_year <= 2024 THEN 63 ELSE 34 END
