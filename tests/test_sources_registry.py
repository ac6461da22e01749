"""The bundled registry of Việt Nam's sources, and the registry's own checks: every unit of both maps has an
enabled source, every source says how it was confirmed, `paretl sources list --format json` prints it, and
`paretl sources check` rejects a broken copy naming every bad entry and field."""

import json
import subprocess
import sys

import pytest

from paretl import reference
from paretl.sources import RegistryError, coverage, load_registry, parse_registry, resolve_registry


def paretl(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "paretl.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def vietnam():
    return load_registry("vietnam")


def test_every_unit_of_both_maps_has_an_enabled_portal_or_party_newspaper(vietnam):
    assert coverage(vietnam) == {63: [], 34: []}
    for era, units in ((63, reference.provinces_63()), (34, reference.provinces_34())):
        for u in units:
            kinds = {s.kind for s in vietnam.sources if s.enabled
                     and (s.province_code if era == 63 else s.province_code_34) == u.code}
            assert kinds & {"portal", "party_newspaper"}, (era, u.code, u.name)


def test_national_sources_and_how_each_source_was_confirmed(vietnam):
    national = {s.kind for s in vietnam.sources if s.province_code is None and s.province_code_34 is None}
    assert {"national_gov_news", "national_cchc_portal", "national_ministry", "national_index",
            "national_newspaper"} <= national
    for s in vietnam.sources:
        assert s.evidence and s.confidence in ("high", "medium", "low"), s.id
        if s.enabled:
            assert s.confidence == "high", s.id  # unconfirmed sources are kept, marked and off
        confirmed = any(e.startswith("http") for e in s.evidence)
        assert confirmed or s.evidence == ("reference sources.csv",), s.id
    assert sum(1 for s in vietnam.sources if any(e.startswith("http") for e in s.evidence)) >= 20


def test_merged_outlets_carry_their_dates_and_units(vietnam):
    by_id = {s.id: s for s in vietnam.sources}
    # Yên Bái merged into Lào Cai on 2025-07-01: its newspaper ends there, Lào Cai's carries on as the new unit 15
    assert str(by_id["baoyenbai"].valid_to) == "2025-06-30" and by_id["baoyenbai"].province_code_34 is None
    assert (by_id["baolaocai"].province_code, by_id["baolaocai"].province_code_34) == ("10", "15")
    assert by_id["baolaocai"].extraction_code == "10"
    for s in vietnam.sources:
        if s.valid_to is not None and str(s.valid_to) <= "2025-06-30":
            assert s.province_code_34 is None, s.id


def test_a_34_unit_only_source_reads_as_its_namesake():
    reg = parse_registry('[[source]]\nid = "x"\nprovince_code_34 = "15"\nvalid_from = 2025-07-01\n'
                         'start_urls = ["https://a.vn/"]\nallowed_domains = ["a.vn"]\n')
    s = reg.sources[0]
    assert s.eras == (34,) and s.extraction_code == "10"  # new Lào Cai (15) reads as Lào Cai, not Yên Bái (15)


def test_sources_list_prints_json():
    out = paretl("sources", "list", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) >= 200
    keys = {"id", "unit_code", "unit_code_34", "eras", "kind", "domains", "start_urls", "feeds", "sitemaps",
            "search_url", "confidence", "evidence", "enabled", "valid_from", "valid_to"}
    assert all(keys <= set(r) for r in rows)
    assert {r["id"] for r in rows if r["enabled"]} and {r["id"] for r in rows if not r["enabled"]}


def test_sources_check_names_every_bad_entry_and_field(tmp_path):
    text = resolve_registry("vietnam").read_text(encoding="utf-8")
    broken = (text.replace('id = "baolangson"\n', 'id = "baolangson"\nfrequency = "daily"\n', 1)
              .replace('province_code = "22"', 'province_code = "99"', 1)
              .replace('start_urls = ["https://baohatinh.vn/chinh-quyen/"]', 'start_urls = ["ftp://baohatinh.vn/"]', 1))
    bad = tmp_path / "broken.toml"
    bad.write_text(broken, encoding="utf-8")
    out = paretl("sources", "check", str(bad), "vietnam", "--coverage")
    assert out.returncode == 1
    lines = [x for x in out.stdout.splitlines() if x.startswith("BAD")]
    assert len(lines) == 3, out.stdout
    assert any("id='baolangson'" in x and "'frequency'" in x for x in lines)
    assert any("'province_code'" in x and "'99'" in x for x in lines)
    assert any("'start_urls'" in x and "ftp://baohatinh.vn/" in x for x in lines)
    assert "ok  vietnam" in out.stdout and "GAP" not in out.stdout
    assert paretl("sources", "check", "vietnam", "--coverage").returncode == 0


@pytest.mark.parametrize("entry,field", [
    ('search_url = "https://a.vn/tim?q=cchc"', "search_url"),
    ('valid_from = 2020-01-01\nvalid_to = 2019-01-01', "valid_to"),
    ('province_code_34 = "02"', "province_code_34"),
    ('ca_bundle = "no-such-ca.pem"', "ca_bundle"),
    ('confidence = "sure"', "confidence"),
    ('feeds = ["gopher://a.vn/rss"]', "feeds"),
    ('province_code = "02"\nvalid_from = 2025-08-01', "valid_from"),
])
def test_bad_new_fields_are_named(entry, field, tmp_path):
    with pytest.raises(RegistryError) as exc:
        parse_registry(f'[[source]]\nid = "x"\nstart_urls = ["https://a.vn/"]\nallowed_domains = ["a.vn"]\n{entry}\n',
                       origin="s.toml", base_dir=tmp_path)
    assert "id='x'" in str(exc.value) and f"'{field}'" in str(exc.value)


def test_every_problem_is_collected():
    with pytest.raises(RegistryError) as exc:
        parse_registry('[crawl]\nmode = "sometimes"\n[[source]]\nid = "a"\nstart_urls = ["https://a.vn/"]\n'
                       'allowed_domains = ["b.vn"]\n[[source]]\nid = "B"\nstart_urls = []\nallowed_domains = ["c.vn"]\n')
    assert len(exc.value.problems) == 4, exc.value.problems  # mode; a's start URL; B's id; B has no way in
    assert "3 more problem(s)" in str(exc.value)


def test_an_unknown_registry_name_says_which_are_bundled(tmp_path):
    out = paretl("run", "--sources", "atlantis", cwd=tmp_path)
    assert out.returncode == 2 and "bundled registries: vietnam" in out.stderr
