-- One row per statement in each dispute.
SELECT dispute, "index", index_year, unit_kind, unit_key, field, statement_id, count(*) AS n
FROM marts.conflicts GROUP BY ALL HAVING count(*) > 1
