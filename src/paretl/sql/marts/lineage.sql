-- lineage: each provincial unit beside the unit it became part of when the map changed (Hà Tây and Hà Nội into
-- Hà Nội on 2008-08-01; the 63 provinces into the 34 units on 2025-07-01), for every provincial index: the
-- predecessor's result in the last year of the old map next to the successor's result in the first year of the new.
-- grain: index, effective_date, predecessor_code, successor_code
-- columns:
--   index                      PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   effective_date             when the new map took effect
--   predecessor_era            the old map (64 | 63)
--   predecessor_code           the unit's code on the old map
--   predecessor_name           its name
--   successor_era              the new map (63 | 34)
--   successor_code             the code of the unit it became part of
--   successor_name             that unit's name
--   n_predecessors             how many old units formed the successor (1: it continued alone, on a new map)
--   before_year                the last index year of the old map (2007 | 2024)
--   before_score               the predecessor's score that year (marts.index_results)
--   before_rank                its rank that year
--   before_rank_of             units ranked that year
--   before_n_sources           pages stating its result
--   after_year                 the first index year of the new map (2008 | 2025)
--   after_score                the successor's score that year
--   after_rank                 its rank that year
--   after_rank_of              units ranked that year
--   after_n_sources            pages stating its result
--   after_stated_prior_rank    a prior rank the successor's pages state for after_year, as they state it
--   after_stated_rank_change   the rank change those pages state, as they state it
--   note                       legal basis and boundary changes beside the merger
-- What "rank change" means across a merger (the rules; no figure is invented):
-- (1) A rank change is computed only between two index years of one map (marts.yoy_rankings): the first year of
-- a map (2008, 2025) has no computed prior rank, because rank k of 63 and rank j of 34 are places in different
-- fields. (2) This holds for a unit that continued alone (n_predecessors = 1, e.g. Cao Bằng): its field still
-- changed. (3) A successor formed from several units has no single prior rank: its predecessors' ranks stand here
-- side by side, none is picked, averaged or rescaled. (4) A prior rank or change a page states for the first year
-- of a map is kept as stated (after_stated_*; prior_source = stated in marts.yoy_rankings), never derived.
-- (5) Scores are shown side by side, not subtracted: the units' territories and the index's field changed.
WITH maps AS (
    SELECT era, first_index_year, last_index_year FROM core.province_maps
),
lin AS (
    SELECT l.*, count(*) OVER (PARTITION BY l.new_era, l.new_code) AS n_predecessors,
           mo.last_index_year AS before_year, mn.first_index_year AS after_year
    FROM core.province_lineage l
    JOIN maps mo ON mo.era = l.old_era
    JOIN maps mn ON mn.era = l.new_era
),
provincial AS (
    SELECT DISTINCT "index" FROM core.indices WHERE unit_kind = 'province'
),
res AS (
    SELECT * FROM marts.yoy_rankings WHERE unit_kind = 'province'
)
SELECT i."index", l.effective_date,
       l.old_era AS predecessor_era, l.old_code AS predecessor_code, l.old_name AS predecessor_name,
       l.new_era AS successor_era, l.new_code AS successor_code, l.new_name AS successor_name,
       l.n_predecessors,
       l.before_year, b.score AS before_score, b.rank AS before_rank, b.rank_of AS before_rank_of,
       b.n_sources AS before_n_sources,
       l.after_year, a.score AS after_score, a.rank AS after_rank, a.rank_of AS after_rank_of,
       a.n_sources AS after_n_sources,
       CASE WHEN a.prior_source = 'stated' THEN a.prior_rank END AS after_stated_prior_rank,
       CASE WHEN a.prior_source = 'stated' THEN a.rank_change END AS after_stated_rank_change,
       l.note
FROM lin l
CROSS JOIN provincial i
LEFT JOIN res b ON b."index" = i."index" AND b.index_year = l.before_year AND b.unit_code = l.old_code
LEFT JOIN res a ON a."index" = i."index" AND a.index_year = l.after_year AND a.unit_code = l.new_code
ORDER BY i."index", l.effective_date, l.new_code, l.old_code
