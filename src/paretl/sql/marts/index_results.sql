-- index_results: one published result per unit, index and index year (the index total, not its components),
-- reconciled across every page that states it.
-- grain: unit_kind, unit_key, index, index_year
-- columns:
--   unit_code    2-digit code on the map of the index year; null for ministries
--   unit_name    canonical name
--   unit_kind    province | ministry
--   index        PAR_INDEX | SIPAS | PAPI | PCI | PGI
--   index_year   the year measured (announced the year after)
--   score        the score most pages give (ties: more pages, then the lower value)
--   score_unit   points | percent
--   rank         the rank most pages give (ties: more pages, then the better rank)
--   rank_of      units ranked: as stated, else the size of the provincial map (64, 63 or 34); for ministries only
--                as stated
--   n_sources    distinct pages stating anything of this result
--   conflict     pages disagree on the score or the rank (marts.conflicts lists who said what)
--   all_scores   every score the pages give
--   all_ranks    every rank the pages give
--   source_urls  the pages, for provenance (core.index_facts holds each page's sentence)
--   unit_key     unit_code, else unit_name: the unit within its kind
--   era          the provincial map of the index year (64 | 63 | 34); null for ministries
WITH f AS (
    SELECT * FROM staging.stg_index_facts WHERE metric = 'total'
),
score_votes AS (
    SELECT unit_kind, unit_key, "index", index_year, score, score_unit, count(DISTINCT url) AS n
    FROM f WHERE score IS NOT NULL GROUP BY ALL
),
best_score AS (
    SELECT * FROM score_votes
    QUALIFY row_number() OVER (PARTITION BY unit_kind, unit_key, "index", index_year ORDER BY n DESC, score) = 1
),
rank_votes AS (
    SELECT unit_kind, unit_key, "index", index_year, rank, count(DISTINCT url) AS n
    FROM f WHERE rank IS NOT NULL GROUP BY ALL
),
best_rank AS (
    SELECT * FROM rank_votes
    QUALIFY row_number() OVER (PARTITION BY unit_kind, unit_key, "index", index_year ORDER BY n DESC, rank) = 1
),
grouped AS (
    SELECT unit_kind, unit_key, "index", index_year,
           any_value(unit_code) AS unit_code, any_value(unit_name) AS unit_name, any_value(era) AS era,
           max(rank_of) AS stated_rank_of,
           count(DISTINCT url) AS n_sources,
           list(DISTINCT score ORDER BY score) FILTER (WHERE score IS NOT NULL) AS all_scores,
           list(DISTINCT rank ORDER BY rank) FILTER (WHERE rank IS NOT NULL) AS all_ranks,
           list(DISTINCT url ORDER BY url) AS source_urls
    FROM f GROUP BY ALL
)
SELECT
    g.unit_code, g.unit_name, g.unit_kind, g."index", g.index_year,
    s.score, s.score_unit, r.rank,
    coalesce(g.stated_rank_of, g.era) AS rank_of,
    g.n_sources,
    (coalesce(len(g.all_scores), 0) > 1 OR coalesce(len(g.all_ranks), 0) > 1) AS conflict,
    g.all_scores, g.all_ranks, g.source_urls, g.unit_key, g.era
FROM grouped g
LEFT JOIN best_score s USING (unit_kind, unit_key, "index", index_year)
LEFT JOIN best_rank r USING (unit_kind, unit_key, "index", index_year)
WHERE s.score IS NOT NULL OR r.rank IS NOT NULL
ORDER BY g."index", g.index_year, r.rank NULLS LAST, g.unit_name
