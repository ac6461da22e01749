-- Each unit has one result per index and year.
SELECT unit_kind, coalesce(unit_code, unit_name) AS unit_key, "index", index_year, count(*) AS n
FROM marts.index_results GROUP BY ALL HAVING count(*) > 1
