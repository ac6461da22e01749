-- source_runs: how each source's fetches went in each run, and whether the source failed that run: no listing page
-- (start URL, pagination, search result, feed or sitemap) could be read, so nothing new could be found from it (the site down or refusing, its
-- robots.txt unreadable, its start URLs gone). Missing articles (a 404 here and there) do not fail a source.
-- `paretl status` follows a failing source across runs with it; the run summary lists the failed ones.
-- grain: run_id, source_id
-- columns:
--   run_id          the run (ops.runs)
--   source_id       the registry source
--   started_at      its first fetch attempt in the run
--   finished_at     its last fetch attempt in the run
--   attempts        fetch attempts, retries included
--   pages_read      attempts that got a page (ok), confirmed a stored one (not_modified) or read one not kept (irrelevant)
--   errors          attempts with any other outcome
--   listings_read   distinct listing pages, search results, feeds and sitemaps read (ok or not_modified)
--   failed          no listing page could be read this run
--   outcomes        attempts by outcome
--   last_error      the latest failed attempt that says why (its outcome, error and URL), else the latest failed one
SELECT run_id, source_id, min(started_at) AS started_at, max(started_at) AS finished_at, count(*) AS attempts,
       count(*) FILTER (WHERE outcome IN ('ok', 'not_modified', 'irrelevant')) AS pages_read,
       count(*) FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'irrelevant')) AS errors,
       count(DISTINCT url) FILTER (WHERE role IN ('listing', 'search', 'feed', 'sitemap')
                                   AND outcome IN ('ok', 'not_modified')) AS listings_read,
       count(*) FILTER (WHERE role IN ('listing', 'search', 'feed', 'sitemap')
                        AND outcome IN ('ok', 'not_modified')) = 0 AS failed,
       histogram(outcome) AS outcomes,
       coalesce(max_by(outcome || ': ' || error || ' (' || url || ')', started_at)
                    FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'irrelevant') AND error IS NOT NULL),
                max_by(outcome || ' (' || url || ')', started_at)
                    FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'irrelevant'))) AS last_error
FROM raw.fetch_log
GROUP BY run_id, source_id
ORDER BY started_at, source_id
