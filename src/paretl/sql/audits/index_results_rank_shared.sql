-- severity: warn
-- Two units given the same national rank in one index and year: one of the pages is probably misread.
SELECT "index", index_year, unit_kind, rank, list(unit_name) AS units
FROM marts.index_results WHERE rank IS NOT NULL
GROUP BY ALL HAVING count(*) > 1
