-- Every place on a board lies between 1 and the number ranked.
SELECT * FROM marts.leaderboard WHERE rank IS NOT NULL AND (rank < 1 OR rank > rank_of)
