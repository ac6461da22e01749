-- source_health: how each source's fetches went in the latest run that crawled it.
-- grain: source_id, outcome
-- columns:
--   source_id   the registry source
--   run_id      the latest run that crawled it
--   outcome     ok, not_modified, http_4xx, http_5xx, timeout, ... (raw.fetch_log)
--   attempts    fetch attempts with this outcome
--   urls        distinct URLs with this outcome
--   last_error  the latest error message of this outcome
WITH last_run AS (
    SELECT source_id, max_by(run_id, started_at) AS run_id FROM raw.fetch_log GROUP BY source_id
)
SELECT l.source_id, l.run_id, f.outcome, count(*) AS attempts, count(DISTINCT f.url) AS urls,
       max_by(f.error, f.started_at) AS last_error
FROM raw.fetch_log f JOIN last_run l USING (source_id, run_id)
GROUP BY ALL
ORDER BY l.source_id, f.outcome
