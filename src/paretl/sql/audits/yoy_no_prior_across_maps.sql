-- Rank change rule: no prior rank is taken from the panel across a change of map (2007 -> 2008, 2024 -> 2025).
SELECT y.* FROM marts.yoy_rankings y
JOIN core.province_maps m ON m.first_index_year = y.index_year
WHERE y.prior_source = 'panel'
