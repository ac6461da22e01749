-- Every province result names a unit that existed in the era of its index year.
SELECT r.* FROM marts.index_results r
LEFT JOIN core.provinces p ON p.unit_code = r.unit_code AND p.era = CASE WHEN r.index_year <= 2024 THEN 63 ELSE 34 END
WHERE r.unit_kind = 'province' AND p.unit_code IS NULL
