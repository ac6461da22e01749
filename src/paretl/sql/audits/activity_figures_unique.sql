-- One activity figure per unit, year, period, reporter, level and metric.
SELECT unit_code, index_year, period, reporter, level, metric, count(*) AS n
FROM marts.activity_figures GROUP BY ALL HAVING count(*) > 1
