-- Every provincial result appears once in province_history, under a unit of today's map.
SELECT r."index", r.index_year, r.unit_code, r.unit_name, count(h.unit_code) AS rows_in_history,
       any_value(h.lineage_code) AS lineage_code
FROM marts.index_results r
LEFT JOIN marts.province_history h USING ("index", index_year, unit_code)
WHERE r.unit_kind = 'province'
GROUP BY ALL
HAVING count(h.unit_code) <> 1 OR any_value(h.lineage_code) IS NULL
