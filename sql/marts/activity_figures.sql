-- activity_figures: reform activity figures per province, year, metric and level, reconciled across pages.
-- grain: unit_code, index_year, metric, level
-- columns: unit_code, unit_name, index_year, metric, level, value (most pages' value), total, unit,
--          n_sources, conflict (pages disagree), source_urls
SELECT unit_code, any_value(unit_name) AS unit_name, index_year, metric, level,
       mode(value) AS value, max(total) AS total, any_value(unit) AS unit,
       count(DISTINCT url) AS n_sources, count(DISTINCT value) > 1 AS conflict,
       list(DISTINCT url ORDER BY url) AS source_urls
FROM staging.stg_activity_facts
GROUP BY unit_code, index_year, metric, level
ORDER BY unit_code, index_year, metric, level
