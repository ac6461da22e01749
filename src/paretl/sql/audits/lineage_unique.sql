-- One lineage row per index, map change, predecessor and successor; each predecessor goes to one successor.
SELECT "index", effective_date, predecessor_code, count(*) AS n
FROM marts.lineage GROUP BY ALL HAVING count(*) > 1
