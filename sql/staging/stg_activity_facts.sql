-- stg_activity_facts: reform activity figures as extracted (dossiers, staff cuts, documents, e-office, ...).
-- grain: fact_id
-- columns: fact_id, url, page_url, source_id, published, unit_code, unit_name, index_year, metric, value, total,
--          unit (what is counted), level (province|district|commune|null), evidence, extractor_version
SELECT fact_id, url, page_url, source_id, published, unit_code, unit_name, index_year, metric, value, total,
       unit, level, evidence, extractor_version
FROM core.activity_facts
