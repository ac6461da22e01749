-- conflicts: every disagreement about a result, one row per statement: each value each page gives (with its URL
-- and sentence), the shipped reference results that contradict them, and the panel's rank against a prior rank
-- a page states. Nothing here changes a result: marts.index_results keeps its vote, and a result that contradicts
-- the reference is flagged (result_contradicts_reference), never corrected.
-- grain: dispute, index, index_year, unit_kind, unit_key, field, statement_id
-- columns:
--   dispute                       between_pages: pages give different values for one field of one result;
--                                 with_reference: a page gives a value the shipped reference results do not
--                                 (src/paretl/reference/par_index_known.csv, sipas_known.csv);
--                                 prior_rank_vs_panel: a page's prior rank differs from the unit's rank in the
--                                 year before as marts.index_results has it
--   index                         PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year                    the year measured
--   unit_kind                     province | ministry
--   unit_code                     2-digit code on the map of the index year; null for ministries
--   unit_name                     canonical name
--   unit_key                      unit_code, else unit_name
--   field                         score | rank | prior_rank
--   statement_source              page | reference | panel
--   statement_id                  the page's fact_id; the reference file and URL; or 'panel'
--   value                         what this statement says (null for a reference whose own sources disagree:
--                                 reference_values lists them)
--   result_value                  what the warehouse publishes for the field (index_results score or rank,
--                                 yoy_rankings prior_rank)
--   agrees_with_result            value = result_value
--   reference_values              every value the shipped reference gives for the field (null: not in it)
--   result_contradicts_reference  the published value is not among reference_values: flagged, not changed
--   url                           where the statement is: the page, or the reference's source
--   evidence                      the page's sentence; for a reference or panel row, where the value comes from
--   source_id                     the registry source of the page
--   published                     the page's publication date
-- Scores are compared at two decimals against the reference, which gives two.
WITH f AS (
    SELECT * FROM staging.stg_index_facts WHERE metric = 'total'
),
stated AS (
    SELECT fact_id, url, evidence, source_id, published, unit_kind, unit_key, unit_code, unit_name, "index",
           index_year, field, value
    FROM (
        SELECT *, 'score' AS field, score AS value FROM f WHERE score IS NOT NULL
        UNION ALL
        SELECT *, 'rank' AS field, rank::DOUBLE AS value FROM f WHERE rank IS NOT NULL
        UNION ALL
        SELECT *, 'prior_rank' AS field, prior_rank::DOUBLE AS value FROM f WHERE prior_rank IS NOT NULL
    )
),
results AS (
    SELECT unit_kind, unit_key, "index", index_year, 'score' AS field, score AS result_value FROM marts.index_results
    UNION ALL
    SELECT unit_kind, unit_key, "index", index_year, 'rank', rank::DOUBLE FROM marts.index_results
    UNION ALL
    SELECT unit_kind, unit_key, "index", index_year, 'prior_rank', prior_rank::DOUBLE FROM marts.yoy_rankings
),
ref AS (
    SELECT "index", index_year, unit_kind, unit_code AS unit_key, unit_code, unit_name, 'score' AS field,
           all_scores AS reference_values, source_urls, reference_file
    FROM core.reference_results WHERE len(all_scores) > 0
    UNION ALL
    SELECT "index", index_year, unit_kind, unit_code, unit_code, unit_name, 'rank',
           all_ranks::DOUBLE[], source_urls, reference_file
    FROM core.reference_results WHERE len(all_ranks) > 0
),
between_pages AS (
    SELECT unit_kind, unit_key, "index", index_year, field
    FROM stated GROUP BY ALL HAVING count(DISTINCT value) > 1
),
with_reference AS (
    SELECT DISTINCT s.unit_kind, s.unit_key, s."index", s.index_year, s.field
    FROM stated s
    JOIN ref r USING (unit_kind, unit_key, "index", index_year, field)
    WHERE NOT list_contains(r.reference_values, round(s.value, 2))
),
vs_panel AS (
    SELECT y.unit_kind, y.unit_key, y."index", y.index_year, 'prior_rank' AS field, p.rank::DOUBLE AS panel_rank,
           p.index_year AS panel_year, p.n_sources AS panel_sources
    FROM marts.yoy_rankings y
    JOIN marts.index_results p
      ON y.prior_source = 'panel' AND p.unit_kind = y.unit_kind AND p.unit_key = y.unit_key
     AND p."index" = y."index" AND p.index_year = y.index_year - 1
    WHERE EXISTS (SELECT 1 FROM stated s
                  WHERE s.field = 'prior_rank' AND s.unit_kind = y.unit_kind AND s.unit_key = y.unit_key
                    AND s."index" = y."index" AND s.index_year = y.index_year AND s.value <> p.rank)
),
statements AS (
    SELECT 'between_pages' AS dispute, s.*, 'page' AS statement_source, s.fact_id AS statement_id
    FROM stated s JOIN between_pages USING (unit_kind, unit_key, "index", index_year, field)
    UNION ALL
    SELECT 'with_reference', s.*, 'page', s.fact_id
    FROM stated s JOIN with_reference USING (unit_kind, unit_key, "index", index_year, field)
    UNION ALL
    SELECT 'with_reference', NULL, r.url, 'shipped reference results: ' || r.reference_file, NULL, NULL,
           r.unit_kind, r.unit_key, r.unit_code, r.unit_name, r."index", r.index_year, r.field,
           CASE WHEN len(r.reference_values) = 1 THEN r.reference_values[1] END, 'reference',
           r.reference_file || ' ' || r.url
    FROM (SELECT *, unnest(source_urls) AS url FROM ref) r
    JOIN with_reference USING (unit_kind, unit_key, "index", index_year, field)
    UNION ALL
    SELECT 'prior_rank_vs_panel', s.*, 'page', s.fact_id
    FROM stated s JOIN vs_panel USING (unit_kind, unit_key, "index", index_year, field)
    UNION ALL
    SELECT 'prior_rank_vs_panel', NULL, NULL,
           'marts.index_results of ' || v.panel_year || ' (' || v.panel_sources || ' pages)', NULL, NULL,
           v.unit_kind, v.unit_key, r.unit_code, r.unit_name, v."index", v.index_year, v.field, v.panel_rank,
           'panel', 'panel'
    FROM vs_panel v JOIN marts.index_results r USING (unit_kind, unit_key, "index", index_year)
)
SELECT s.dispute, s."index", s.index_year, s.unit_kind, s.unit_code, s.unit_name, s.unit_key, s.field,
       s.statement_source, s.statement_id, s.value, r.result_value,
       s.value IS NOT DISTINCT FROM r.result_value AS agrees_with_result,
       ref.reference_values,
       CASE WHEN ref.reference_values IS NOT NULL AND r.result_value IS NOT NULL
            THEN NOT list_contains(ref.reference_values, round(r.result_value, 2)) END
           AS result_contradicts_reference,
       s.url, s.evidence, s.source_id, s.published
FROM statements s
LEFT JOIN results r USING (unit_kind, unit_key, "index", index_year, field)
LEFT JOIN ref USING (unit_kind, unit_key, "index", index_year, field)
ORDER BY s."index", s.index_year, s.unit_kind, s.unit_key, s.field, s.dispute, s.statement_source, s.value
