-- severity: warn
-- A result for a unit the index did not cover that year (a ministry of another year, an index year before the index
-- began, an index that does not rank that kind of unit): probably a misread page.
SELECT "index", index_year, unit_kind, unit_name, score, rank, n_sources FROM marts.coverage WHERE NOT expected
