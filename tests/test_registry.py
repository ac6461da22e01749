"""The source registry: a good one loads; a bad entry is an error naming the entry and the field."""

import pytest

from paretl.sources import RegistryError, parse_registry

GOOD = """
[crawl]
per_host_concurrency = 2
min_delay_s = 1.0
timeout_s = 30
max_body_bytes = 10_000_000
max_retries = 3

[[source]]
id = "baolangson"
province_code = "20"
start_urls = ["https://baolangson.vn/chinh-tri/"]
allowed_domains = ["baolangson.vn"]

[[source]]
id = "national"
start_urls = ["https://news.example.vn/cchc/"]
allowed_domains = ["example.vn"]
"""


def test_good_registry():
    reg = parse_registry(GOOD)
    assert [s.id for s in reg.sources] == ["baolangson", "national"]
    assert reg.crawl.per_host_concurrency == 2 and reg.crawl.max_body_bytes == 10_000_000
    assert reg.sources[0].allows("https://www.baolangson.vn/x") and not reg.sources[0].allows("https://evil.vn/")
    assert reg.sources[1].province_code is None


@pytest.mark.parametrize("change,where,field", [
    (('province_code = "20"', 'province_code = "99"'), "baolangson", "province_code"),
    (('province_code = "20"', "province_code = 20"), "baolangson", "province_code"),
    (('start_urls = ["https://baolangson.vn/chinh-tri/"]', 'start_urls = ["ftp://baolangson.vn/"]'), "baolangson",
     "start_urls"),
    (('start_urls = ["https://baolangson.vn/chinh-tri/"]', 'start_urls = ["https://other.vn/"]'), "baolangson",
     "start_urls"),
    (('allowed_domains = ["baolangson.vn"]', "allowed_domains = []"), "baolangson", "allowed_domains"),
    (('id = "national"', 'id = "baolangson"'), "source #2", "id"),
    (("max_retries = 3", "max_retries = -1"), "[crawl]", "max_retries"),
    (("timeout_s = 30", 'timeout_s = "slow"'), "[crawl]", "timeout_s"),
    (('id = "national"', 'id = "national"\nfrequency = 3'), "national", "frequency"),
])
def test_bad_entries_name_entry_and_field(change, where, field):
    with pytest.raises(RegistryError) as exc:
        parse_registry(GOOD.replace(*change), origin="sources.toml")
    msg = str(exc.value)
    assert where in msg and f"'{field}'" in msg and "\n" not in msg


def test_not_toml_and_empty():
    with pytest.raises(RegistryError, match="not valid TOML"):
        parse_registry("[[source]\nid=")
    with pytest.raises(RegistryError, match="no \\[\\[source\\]\\]"):
        parse_registry("[crawl]\nmax_retries = 1\n")


def test_bundled_sample_registry_is_valid():
    from paretl.sample_site.server import REGISTRY_TEMPLATE, site_ids

    text = REGISTRY_TEMPLATE.read_text(encoding="utf-8")
    for sid in site_ids():
        text = text.replace("{site:%s}" % sid, "http://127.0.0.1:1")
    reg = parse_registry(text)
    assert {s.id for s in reg.sources} == set(site_ids())


def test_sources_on_one_host_are_crawled_together():
    from paretl.pipeline import host_groups

    reg = parse_registry(GOOD + '\n[[source]]\nid = "baolangson-search"\nprovince_code = "20"\n'
                         'start_urls = ["https://baolangson.vn/tim-kiem?q=cchc"]\nallowed_domains = ["baolangson.vn"]\n')
    assert [[s.id for s in g] for g in host_groups(reg.sources)] == [["baolangson", "baolangson-search"], ["national"]]
