-- Scores are on a 0–100 scale (points or percent).
SELECT * FROM marts.index_results WHERE score IS NOT NULL AND (score < 0 OR score > 100)
