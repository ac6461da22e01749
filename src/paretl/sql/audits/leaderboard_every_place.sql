-- A board lists every place from 1 to the number ranked, known or a gap: none is silently missing.
SELECT "index", index_year, unit_kind, max(rank_of) AS rank_of, count(DISTINCT rank) AS places
FROM marts.leaderboard
GROUP BY ALL
HAVING count(DISTINCT rank) > 0 AND (count(DISTINCT rank) < max(rank_of) OR min(rank) <> 1)
