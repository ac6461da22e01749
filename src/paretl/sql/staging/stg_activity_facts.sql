-- stg_activity_facts: reform activity figures as extracted (dossiers, staff cuts, documents, e-office, ...).
-- grain: fact_id
-- columns:
--   fact_id            stable id of the figure (core.activity_facts)
--   url                the page's canonical URL
--   page_url           raw.pages.url of the version read
--   source_id          the registry source that fetched the page
--   published          the page's publication date
--   unit_code          the province
--   unit_name          its name
--   index_year         the calendar year of the period (its first year for a range)
--   period             what the figure counts over: 2021, 2021-H1, 2021-Q3, 2021-09, 2021-M9 or a date range;
--                      null when the extractor did not read one
--   reporter           the body the figure is about: province, service_centre, district, commune or a department;
--                      null when the extractor did not read one
--   metric             what is counted (docs/facts.md)
--   value              the number; a rate in percent
--   total              the whole, when stated ("225/226")
--   unit               dossiers, people, documents, communes, mailboxes, certificates, agencies, services, percent
--   level              province | district | commune
--   evidence           the sentence the figure came from
--   extractor_version  the extractor that read it
SELECT fact_id, url, page_url, source_id, published, unit_code, unit_name, index_year, period, reporter, metric,
       value, total, unit, level, evidence, extractor_version
FROM core.activity_facts
