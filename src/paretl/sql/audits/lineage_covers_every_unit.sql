-- The 2025 merger places every unit of the 63 map beside one of the 34, for every provincial index.
SELECT "index", count(DISTINCT predecessor_code) AS predecessors, count(DISTINCT successor_code) AS successors
FROM marts.lineage WHERE predecessor_era = 63 AND successor_era = 34
GROUP BY ALL
HAVING count(DISTINCT predecessor_code) <> (SELECT n_units FROM core.province_maps WHERE era = 63)
    OR count(DISTINCT successor_code) <> (SELECT n_units FROM core.province_maps WHERE era = 34)
