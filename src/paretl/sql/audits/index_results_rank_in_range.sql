-- A rank lies between 1 and the number of units ranked.
SELECT * FROM marts.index_results WHERE rank IS NOT NULL AND (rank < 1 OR rank > rank_of)
