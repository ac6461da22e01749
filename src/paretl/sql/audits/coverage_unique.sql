-- One coverage row per unit, index and year.
SELECT "index", index_year, unit_kind, unit_key, count(*) AS n FROM marts.coverage GROUP BY ALL HAVING count(*) > 1
