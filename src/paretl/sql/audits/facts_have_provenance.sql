-- Every fact points at a stored page version and carries the sentence it came from.
SELECT f.fact_id, f.page_url FROM core.index_facts f
LEFT JOIN raw.pages p ON p.url = f.page_url AND p.sha256 = f.page_sha256
WHERE p.url IS NULL OR f.evidence IS NULL OR length(trim(f.evidence)) = 0 OR f.url IS NULL
UNION ALL
SELECT a.fact_id, a.page_url FROM core.activity_facts a
LEFT JOIN raw.pages p ON p.url = a.page_url AND p.sha256 = a.page_sha256
WHERE p.url IS NULL OR a.evidence IS NULL OR length(trim(a.evidence)) = 0
