-- Every fetch attempt is classified with a known outcome.
SELECT * FROM raw.fetch_log WHERE outcome NOT IN (
    'ok', 'not_modified', 'http_4xx', 'http_5xx', 'http_429', 'http_other', 'timeout', 'connect_error',
    'too_large', 'robots_disallowed', 'robots_unavailable', 'offsite_redirect', 'bad_content_type',
    'decode_error', 'too_many_redirects', 'invalid_url', 'parse_error', 'irrelevant', 'host_skipped', 'tls_error')
