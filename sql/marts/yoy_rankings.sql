-- yoy_rankings: index_results with the year before beside each result.
-- grain: unit_kind, unit_key, index, index_year (as index_results)
-- columns: those of index_results, plus
--   prior_rank    the unit's rank the year before: from the panel (index_results of index_year - 1), else as
--                 the pages state it ("từ vị trí thứ 52", "tăng 25 bậc")
--   prior_source  panel | stated | null
--   rank_change   prior_rank - rank: + means moved up
--   prior_score   the panel's score the year before; score_change = score - prior_score
-- Years are compared within one era only: 2025 ranks 34 merged units, so 2024 -> 2025 has no like-for-like
-- prior (the merger lineage is in core.province_lineage).
WITH stated AS (
    SELECT unit_kind, unit_key, "index", index_year,
           mode(prior_rank) FILTER (WHERE prior_rank IS NOT NULL) AS stated_prior_rank
    FROM staging.stg_index_facts WHERE metric = 'total' GROUP BY ALL
),
cur AS (
    SELECT *, coalesce(unit_code, unit_name) AS unit_key FROM marts.index_results
)
SELECT
    c.unit_code, c.unit_name, c.unit_kind, c."index", c.index_year, c.score, c.score_unit, c.rank, c.rank_of,
    c.n_sources, c.conflict,
    coalesce(p.rank, s.stated_prior_rank) AS prior_rank,
    CASE WHEN p.rank IS NOT NULL THEN 'panel' WHEN s.stated_prior_rank IS NOT NULL THEN 'stated' END
        AS prior_source,
    coalesce(p.rank, s.stated_prior_rank) - c.rank AS rank_change,
    p.score AS prior_score,
    round(c.score - p.score, 4) AS score_change
FROM cur c
LEFT JOIN cur p
    ON p.unit_kind = c.unit_kind AND p.unit_key = c.unit_key AND p."index" = c."index"
   AND p.index_year = c.index_year - 1
   AND (p.index_year <= 2024) = (c.index_year <= 2024)
LEFT JOIN stated s
    ON s.unit_kind = c.unit_kind AND s.unit_key = c.unit_key AND s."index" = c."index" AND s.index_year = c.index_year
ORDER BY c."index", c.index_year, c.rank NULLS LAST, c.unit_name
