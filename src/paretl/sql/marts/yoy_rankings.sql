-- yoy_rankings: index_results with the year before beside each result.
-- grain: unit_kind, unit_key, index, index_year
-- columns:
--   unit_code     2-digit code on the map of the index year; null for ministries
--   unit_name     canonical name
--   unit_kind     province | ministry
--   index         PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year    the year measured
--   score         as marts.index_results
--   score_unit    points | percent
--   rank          as marts.index_results
--   rank_of       as marts.index_results
--   n_sources     distinct pages stating anything of this result
--   conflict      pages disagree on the score or the rank
--   prior_rank    the unit's rank the year before: from the panel (index_results of index_year - 1 on the same
--                 map), else as the pages state it ("từ vị trí thứ 52", "tăng 25 bậc")
--   prior_source  panel | stated | null
--   rank_change   prior_rank - rank: + means moved up
--   prior_score   the panel's score the year before (same map only)
--   score_change  score - prior_score
--   unit_key      unit_code, else unit_name
--   era           the provincial map of the index year (64 | 63 | 34); null for ministries
-- Rank change rule: years are compared on one map only. 2008 ranks the 63 units formed when Hà Tây joined Hà Nội,
-- 2025 the 34 units of the 2025 merger (and the ministries restructured on 2025-03-01), so the first year of a map
-- has no prior from the panel; a prior a page states is kept as the page states it (prior_source = stated).
-- marts.lineage sets predecessors and successors side by side.
WITH stated AS (
    SELECT unit_kind, unit_key, "index", index_year,
           mode(prior_rank) FILTER (WHERE prior_rank IS NOT NULL) AS stated_prior_rank
    FROM staging.stg_index_facts WHERE metric = 'total' GROUP BY ALL
),
cur AS (
    -- the map of the index year, for ministries too: their field changed with the same index year
    SELECT r.*, m.era AS map_era
    FROM marts.index_results r
    LEFT JOIN core.province_maps m
        ON r.index_year BETWEEN coalesce(m.first_index_year, 0) AND coalesce(m.last_index_year, 9999)
)
SELECT
    c.unit_code, c.unit_name, c.unit_kind, c."index", c.index_year, c.score, c.score_unit, c.rank, c.rank_of,
    c.n_sources, c.conflict,
    coalesce(p.rank, s.stated_prior_rank) AS prior_rank,
    CASE WHEN p.rank IS NOT NULL THEN 'panel' WHEN s.stated_prior_rank IS NOT NULL THEN 'stated' END
        AS prior_source,
    coalesce(p.rank, s.stated_prior_rank) - c.rank AS rank_change,
    p.score AS prior_score,
    round(c.score - p.score, 4) AS score_change,
    c.unit_key, c.era
FROM cur c
LEFT JOIN cur p
    ON p.unit_kind = c.unit_kind AND p.unit_key = c.unit_key AND p."index" = c."index"
   AND p.index_year = c.index_year - 1 AND p.map_era = c.map_era
LEFT JOIN stated s
    ON s.unit_kind = c.unit_kind AND s.unit_key = c.unit_key AND s."index" = c."index" AND s.index_year = c.index_year
ORDER BY c."index", c.index_year, c.rank NULLS LAST, c.unit_name
