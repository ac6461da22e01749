-- Each index and year covers as many provinces as the map of the year has units (core.province_maps: 63 for
-- 2008-2024, 34 from 2025), and as many ministries as existed that year; and every result of marts.index_results
-- appears in coverage as known.
WITH expected AS (
    SELECT c."index", c.index_year, c.unit_kind, count(*) FILTER (WHERE c.expected) AS units,
           count(*) FILTER (WHERE c.known) AS known
    FROM marts.coverage c GROUP BY ALL
),
want AS (
    SELECT e.*,
           CASE WHEN e.unit_kind = 'province' THEN
                    (SELECT n_units FROM core.province_maps m
                     WHERE e.index_year BETWEEN coalesce(m.first_index_year, 0) AND coalesce(m.last_index_year, 9999))
                ELSE (SELECT count(*) FROM core.ministries mi
                      WHERE e.index_year BETWEEN mi.first_index_year AND coalesce(mi.last_index_year, 9999)) END
               AS want_units,
           (SELECT count(*) FROM marts.index_results r
            WHERE r."index" = e."index" AND r.index_year = e.index_year AND r.unit_kind = e.unit_kind) AS results
    FROM expected e
)
SELECT * FROM want
WHERE (units > 0 AND units <> want_units) OR known <> results
