-- leaderboard: per index and year, the ranked list as far as it is known: every place from 1 to the number ranked,
-- the unit the pages put there, and the places nobody stated (gaps); units with a score but no rank follow.
-- grain: index, index_year, unit_kind, rank, unit_key
-- columns:
--   index                PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year           the year measured
--   unit_kind            province | ministry
--   rank                 the place; null for a unit known only by its score
--   rank_of              places on the board: the size of the provincial map (63 | 34); for ministries the largest
--                        stated denominator or known rank (17-19 are ranked, so later places may be missing)
--   status               known: one unit at this place; shared: two or more units claim it (a tie or a misread
--                        page, see marts.conflicts); gap: no page states who is here; unranked: score only
--   unit_code            2-digit code; null for ministries and gaps
--   unit_name            canonical name; null for gaps
--   unit_key             unit_code, else unit_name; null for gaps
--   score                the published score (marts.index_results)
--   score_unit           points | percent
--   n_sources            pages stating the result (0 for gaps)
--   conflict             pages disagree on this result
--   reference_disagrees  the result contradicts the shipped reference results (flagged, not changed)
--   reference_units      units the shipped reference puts at this place (for a gap: who the reference says is there)
WITH r AS (
    SELECT r.*, coalesce(c.reference_disagrees, false) AS reference_disagrees
    FROM marts.index_results r
    LEFT JOIN marts.coverage c USING ("index", index_year, unit_kind, unit_key)
),
boards AS (
    SELECT "index", index_year, unit_kind,
           CASE WHEN unit_kind = 'province' THEN max(era) ELSE greatest(max(rank_of), max(rank)) END AS n_places,
           max(rank) AS max_rank
    FROM r GROUP BY "index", index_year, unit_kind
),
places AS (
    -- past the board's end too when a page claims such a place, so the audit of ranks in range sees it
    SELECT "index", index_year, unit_kind, n_places, unnest(range(1, greatest(n_places, max_rank) + 1)) AS rank
    FROM boards WHERE n_places IS NOT NULL
),
claims AS (
    SELECT "index", index_year, unit_kind, rank, count(*) AS n_units FROM r WHERE rank IS NOT NULL GROUP BY ALL
),
ref AS (
    SELECT "index", index_year, unit_kind, rank, list(unit_name ORDER BY unit_name) AS reference_units
    FROM core.reference_results WHERE rank IS NOT NULL GROUP BY ALL
)
SELECT p."index", p.index_year, p.unit_kind, p.rank, p.n_places AS rank_of,
       CASE WHEN r.unit_key IS NULL THEN 'gap' WHEN c.n_units > 1 THEN 'shared' ELSE 'known' END AS status,
       r.unit_code, r.unit_name, r.unit_key, r.score, r.score_unit, coalesce(r.n_sources, 0) AS n_sources,
       coalesce(r.conflict, false) AS conflict, coalesce(r.reference_disagrees, false) AS reference_disagrees,
       ref.reference_units
FROM places p
LEFT JOIN r USING ("index", index_year, unit_kind, rank)
LEFT JOIN claims c USING ("index", index_year, unit_kind, rank)
LEFT JOIN ref USING ("index", index_year, unit_kind, rank)
UNION ALL
SELECT r."index", r.index_year, r.unit_kind, NULL, b.n_places, 'unranked', r.unit_code, r.unit_name, r.unit_key,
       r.score, r.score_unit, r.n_sources, r.conflict, r.reference_disagrees, NULL
FROM r JOIN boards b USING ("index", index_year, unit_kind)
WHERE r.rank IS NULL
ORDER BY 1, 2, 3, 4 NULLS LAST, 8
