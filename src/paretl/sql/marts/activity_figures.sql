-- activity_figures: reform activity figures per province, reconciled across pages: one per period, reporter, level
-- and metric, with rates derived where both parts are stated for the same period and reporter.
-- grain: unit_code, index_year, period, reporter, level, metric
-- columns:
--   unit_code       the province
--   unit_name       its name
--   index_year      the calendar year of the period (its first year for a range)
--   period          what the figure counts over: 2021, 2021-H1, 2021-Q3, 2021-09, 2021-M9 or a date range; null:
--                   the extractor did not read it
--   reporter        the body the figure is about: province, service_centre, district, commune or a department;
--                   null: the extractor did not read it
--   level           province | district | commune
--   metric          what is counted (docs/facts.md), or the derived rate resolved_rate
--   value           the value most pages give (ties: the lower); for resolved_rate a percent
--   total           the whole, when a page states it ("225/226")
--   unit            dossiers, people, documents, communes, mailboxes, certificates, agencies, services, percent
--   share_of_total  value / total in percent, when the whole is stated (225 of 226 communes: 99.56)
--   derived         the row is computed from two stated figures of the same key, not stated by a page
--   derived_from    for a derived row, what it divides
--   n_sources       distinct pages stating the figure (a derived row: pages stating either part)
--   conflict        pages disagree on the value (a derived row is never built from parts in conflict)
--   source_urls     the pages
-- Figures of different periods are never summed or compared: period and reporter are part of the grain, and a
-- figure whose period was not read (null) stands alone and takes part in no derived rate. resolved_rate =
-- dossiers_resolved / dossiers_received of one unit, period, reporter and level; it can pass 100 when dossiers
-- carried over from an earlier period are resolved. An on-time share is stated, not derived: the pages give it
-- as a rate (on_time_rate), and "2.318/2.342 hồ sơ đúng hạn" is read as that rate by the extractor.
WITH votes AS (
    SELECT unit_code, index_year, period, reporter, level, metric, value, count(DISTINCT url) AS n
    FROM staging.stg_activity_facts GROUP BY ALL
),
best AS (
    SELECT * FROM votes
    QUALIFY row_number() OVER (PARTITION BY unit_code, index_year, period, reporter, level, metric
                               ORDER BY n DESC, value) = 1
),
stated AS (
    SELECT f.unit_code, any_value(f.unit_name) AS unit_name, f.index_year, f.period, f.reporter, f.level, f.metric,
           any_value(b.value) AS value, max(f.total) AS total, any_value(f.unit) AS unit,
           count(DISTINCT f.url) AS n_sources, count(DISTINCT f.value) > 1 AS conflict,
           list(DISTINCT f.url ORDER BY f.url) AS source_urls
    FROM staging.stg_activity_facts f
    JOIN best b ON b.unit_code IS NOT DISTINCT FROM f.unit_code AND b.index_year = f.index_year
               AND b.period IS NOT DISTINCT FROM f.period AND b.reporter IS NOT DISTINCT FROM f.reporter
               AND b.level IS NOT DISTINCT FROM f.level AND b.metric = f.metric
    GROUP BY f.unit_code, f.index_year, f.period, f.reporter, f.level, f.metric
),
derived AS (
    SELECT res.unit_code, res.unit_name, res.index_year, res.period, res.reporter, res.level,
           'resolved_rate' AS metric, round(100 * res.value / rec.value, 2) AS value, NULL::DOUBLE AS total,
           'percent' AS unit,
           len(list_distinct(list_concat(res.source_urls, rec.source_urls))) AS n_sources, false AS conflict,
           list_sort(list_distinct(list_concat(res.source_urls, rec.source_urls))) AS source_urls,
           'dossiers_resolved / dossiers_received' AS derived_from
    FROM stated res
    JOIN stated rec
      ON rec.metric = 'dossiers_received' AND rec.unit_code = res.unit_code AND rec.index_year = res.index_year
     AND rec.period = res.period AND rec.reporter = res.reporter AND rec.level IS NOT DISTINCT FROM res.level
    WHERE res.metric = 'dossiers_resolved' AND res.period IS NOT NULL AND res.reporter IS NOT NULL
      AND NOT res.conflict AND NOT rec.conflict AND rec.value > 0
)
SELECT unit_code, unit_name, index_year, period, reporter, level, metric, value, total, unit,
       CASE WHEN total > 0 THEN round(100 * value / total, 2) END AS share_of_total,
       false AS derived, NULL::VARCHAR AS derived_from, n_sources, conflict, source_urls
FROM stated
UNION ALL
SELECT unit_code, unit_name, index_year, period, reporter, level, metric, value, total, unit,
       NULL::DOUBLE AS share_of_total, true AS derived, derived_from, n_sources, conflict, source_urls
FROM derived
ORDER BY unit_code, index_year, period NULLS FIRST, reporter NULLS FIRST, level, metric
