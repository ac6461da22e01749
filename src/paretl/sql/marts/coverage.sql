-- coverage: every unit, index and year the index covered, known or not: the first thing to check before using a
-- ranking. Provinces: every unit of the map of the year (63 for 2008-2024, 34 from 2025) for each provincial index
-- from its first year (core.indices). Ministries: every ministry that existed that year (core.ministries); PAR
-- INDEX ranks 17-19 of them and which ones is not in the reference, so a ministry without a figure may be one the
-- index did not rank. Years run to the latest index year the warehouse or the shipped reference has a result for.
-- grain: index, index_year, unit_kind, unit_key
-- columns:
--   index                PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year           the year measured
--   unit_kind            province | ministry
--   era                  the provincial map of the year (63 | 34); null for ministries
--   unit_code            2-digit code on that map; null for ministries
--   unit_name            canonical name
--   unit_key             unit_code, else unit_name
--   expected             the unit is one the index covered that year; false: the warehouse has a result for a unit
--                        outside that list (a ministry of another year, an index year before the index began)
--   known                the warehouse has a result (a score or a rank) for it
--   n_sources            pages stating it (0 when unknown)
--   has_score            a score is known
--   has_rank             a rank is known
--   score                the published score (marts.index_results)
--   score_unit           points | percent
--   rank                 the published rank
--   rank_of              units ranked
--   conflict             pages disagree (marts.conflicts)
--   in_reference         the shipped reference results list this unit, index and year
--   reference_disagrees  the published score or rank is not among the reference's values: flagged, never changed
--                        (marts.conflicts has each statement)
WITH last_year AS (
    SELECT max(index_year) AS y
    FROM (SELECT index_year FROM marts.index_results UNION ALL SELECT index_year FROM core.reference_results)
),
years AS (
    SELECT i."index", i.unit_kind, unnest(range(i.first_year, l.y + 1)) AS index_year
    FROM core.indices i, last_year l
),
expected AS (
    SELECT y."index", y.index_year, 'province' AS unit_kind, m.era, p.unit_code, p.unit_name,
           p.unit_code AS unit_key
    FROM years y
    JOIN core.province_maps m
      ON y.index_year BETWEEN coalesce(m.first_index_year, 0) AND coalesce(m.last_index_year, 9999)
    JOIN core.provinces p ON p.era = m.era
    WHERE y.unit_kind = 'province'
    UNION ALL
    SELECT y."index", y.index_year, 'ministry', NULL, NULL, mi.unit_name, mi.unit_name
    FROM years y
    JOIN core.ministries mi
      ON y.index_year BETWEEN mi.first_index_year AND coalesce(mi.last_index_year, 9999)
    WHERE y.unit_kind = 'ministry'
),
flagged AS (
    SELECT DISTINCT unit_kind, unit_key, "index", index_year FROM marts.conflicts
    WHERE result_contradicts_reference
)
SELECT
    coalesce(e."index", r."index") AS "index",
    coalesce(e.index_year, r.index_year) AS index_year,
    coalesce(e.unit_kind, r.unit_kind) AS unit_kind,
    coalesce(e.era, r.era) AS era,
    coalesce(e.unit_code, r.unit_code) AS unit_code,
    coalesce(e.unit_name, r.unit_name) AS unit_name,
    coalesce(e.unit_key, r.unit_key) AS unit_key,
    e.unit_key IS NOT NULL AS expected,
    r.unit_key IS NOT NULL AS known,
    coalesce(r.n_sources, 0) AS n_sources,
    r.score IS NOT NULL AS has_score,
    r.rank IS NOT NULL AS has_rank,
    r.score, r.score_unit, r.rank,
    coalesce(r.rank_of, e.era) AS rank_of,
    coalesce(r.conflict, false) AS conflict,
    ref.unit_code IS NOT NULL AS in_reference,
    fl.unit_key IS NOT NULL AS reference_disagrees
FROM expected e
FULL OUTER JOIN marts.index_results r
  ON r."index" = e."index" AND r.index_year = e.index_year AND r.unit_kind = e.unit_kind AND r.unit_key = e.unit_key
LEFT JOIN core.reference_results ref
  ON ref."index" = coalesce(e."index", r."index") AND ref.index_year = coalesce(e.index_year, r.index_year)
 AND ref.unit_kind = coalesce(e.unit_kind, r.unit_kind) AND ref.unit_code = coalesce(e.unit_key, r.unit_key)
LEFT JOIN flagged fl
  ON fl."index" = r."index" AND fl.index_year = r.index_year AND fl.unit_kind = r.unit_kind
 AND fl.unit_key = r.unit_key
ORDER BY 1, 2, 3, 7
