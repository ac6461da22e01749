-- province_history: every provincial result, keyed by the unit of today's map (the 34 units of 2025) that its
-- province is part of, so one filter runs a province's history through the 2008 and 2025 mergers: Lào Cai's
-- lineage (code 15) holds old Lào Cai (10) and Yên Bái (15) up to 2024 and the merged Lào Cai from 2025.
-- grain: lineage_code, index, index_year, unit_code
-- columns:
--   lineage_code     the 34-era unit the result's province is part of today
--   lineage_name     its name
--   index            PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year       the year measured
--   era              the map the result was ranked on (64 | 63 | 34)
--   unit_code        the unit that held the result, on that map
--   unit_name        its name
--   is_predecessor   the result belongs to a unit of an earlier map, not to the lineage unit itself
--   n_units          units of this lineage with a result for this index and year
--   score            as marts.yoy_rankings
--   score_unit       points | percent
--   rank             the rank, out of rank_of
--   rank_of          units ranked that year
--   prior_rank       as marts.yoy_rankings: within one map only, or as a page states it
--   prior_source     panel | stated | null
--   rank_change      as marts.yoy_rankings (marts.lineage gives the rules across a merger)
--   n_sources        pages stating the result
--   conflict         pages disagree on it
WITH to63 AS (
    SELECT old_code, new_code FROM core.province_lineage WHERE old_era = 64 AND new_era = 63
),
to34 AS (
    SELECT old_code, new_code FROM core.province_lineage WHERE old_era = 63 AND new_era = 34
),
r AS (
    SELECT y.*,
           CASE WHEN y.era = 34 THEN y.unit_code
                WHEN y.era = 63 THEN a.new_code
                WHEN y.era = 64 THEN b.new_code END AS lineage_code
    FROM marts.yoy_rankings y
    LEFT JOIN to34 a ON y.era = 63 AND a.old_code = y.unit_code
    LEFT JOIN to63 h ON y.era = 64 AND h.old_code = y.unit_code
    -- a 64-era unit that did not merge in 2008 kept its code on the 63 map
    LEFT JOIN to34 b ON y.era = 64 AND b.old_code = coalesce(h.new_code, y.unit_code)
    WHERE y.unit_kind = 'province'
)
SELECT r.lineage_code, p.unit_name AS lineage_name, r."index", r.index_year, r.era, r.unit_code, r.unit_name,
       r.era <> 34 AS is_predecessor,
       count(*) OVER (PARTITION BY r.lineage_code, r."index", r.index_year) AS n_units,
       r.score, r.score_unit, r.rank, r.rank_of, r.prior_rank, r.prior_source, r.rank_change, r.n_sources,
       r.conflict
FROM r
LEFT JOIN core.provinces p ON p.era = 34 AND p.unit_code = r.lineage_code
ORDER BY r.lineage_code, r."index", r.index_year, r.unit_code
