-- rank_change is prior_rank minus rank, and a prior rank is a possible rank.
SELECT * FROM marts.yoy_rankings
WHERE (prior_rank IS NOT NULL AND rank IS NOT NULL AND rank_change <> prior_rank - rank)
   OR (prior_rank IS NOT NULL AND (prior_rank < 1 OR prior_rank > rank_of))
