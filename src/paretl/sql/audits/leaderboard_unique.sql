-- A place on a board holds each unit once, and a unit stands at one place per index and year.
SELECT "index", index_year, unit_kind, rank, unit_key, count(*) AS n
FROM marts.leaderboard GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT "index", index_year, unit_kind, NULL, unit_key, count(*)
FROM marts.leaderboard WHERE unit_key IS NOT NULL GROUP BY ALL HAVING count(*) > 1
