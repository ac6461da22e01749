-- severity: warn
-- A published result contradicts the reference results the project ships: flagged for a person to check (the
-- result is not changed; marts.conflicts shows each page and the reference's sources).
SELECT DISTINCT "index", index_year, unit_name, field, result_value, reference_values
FROM marts.conflicts WHERE result_contradicts_reference
