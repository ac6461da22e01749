"""A run killed with SIGKILL mid-crawl loses nothing it had staged, and the next run finishes the work with no
duplicate page versions, no duplicate fetch records and no duplicate facts: `paretl run` in a subprocess against
a slow local web, killed (its whole process group: the job and its temporary Prefect server) once it has staged
pages, then run again to the end, then once more."""

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from faultserver import FaultServer, Reply, page

pytestmark = pytest.mark.integration

PROVINCES = ["Lạng Sơn", "Cao Bằng", "Quảng Ninh", "Hà Giang", "Lào Cai", "Sơn La", "Thái Nguyên", "Bắc Giang",
             "Phú Thọ", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Đà Nẵng", "Quảng Nam", "Bình Định",
             "Phú Yên", "Khánh Hòa", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Long An",
             "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang"]


def _web(srv, delay):
    srv.routes["/robots.txt"] = Reply(404)
    links = []
    for i, name in enumerate(PROVINCES):
        path = f"/cchc/chi-so-cai-cach-hanh-chinh-nam-2022-tinh-so-{i}.html"
        text = (f"<p>Ngày 20/4/2023, Bộ Nội vụ công bố Chỉ số cải cách hành chính năm 2022. Tỉnh {name} đạt "
                f"{80 + i}%, xếp thứ {i + 1}/63 tỉnh, thành phố.</p>")
        srv.routes[path] = Reply(200, page(f"Chỉ số CCHC năm 2022 của {name}", text), delay=delay)
        links.append(path)
    srv.routes["/cchc/"] = Reply(200, page("Cải cách hành chính", "", links))


def _registry(tmp_path, base):
    reg = tmp_path / "sources.toml"
    reg.write_text(f"""
[crawl]
per_host_concurrency = 2
min_delay_s = 0.0
timeout_s = 10
max_retries = 1
backoff_s = 0.05
staging_flush_s = 0.2

[[source]]
id = "slow-site"
kind = "party_newspaper"
start_urls = ["{base}/cchc/"]
allowed_domains = ["127.0.0.1"]
""", encoding="utf-8")
    return reg


def _paretl(tmp_path, reg, **kw):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    return subprocess.Popen([sys.executable, "-m", "paretl.cli", "run", "--sources", str(reg), "--warehouse",
                             str(tmp_path / "paretl.duckdb"), "--export-dir", str(tmp_path / "export"), "--quiet"],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, **kw)


def test_sigkill_mid_crawl_then_a_clean_rerun(tmp_path):
    work = tmp_path / ".paretl-work"
    with FaultServer() as srv:
        _web(srv, delay=0.25)
        reg = _registry(tmp_path, srv.base)
        proc = _paretl(tmp_path, reg)
        deadline = time.monotonic() + 120
        staged = []
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                staged = list((work / "staging").glob("*/slow-site.pages.*.parquet"))
                if staged and sum(n for p, n in srv.hits.items() if p.startswith("/cchc/chi-so")) >= 6:
                    break
                time.sleep(0.05)
            assert proc.poll() is None, proc.stdout.read().decode()
            assert staged, "the run staged nothing in time"
            os.killpg(proc.pid, signal.SIGKILL)  # the job and everything it started, mid-crawl
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        served_before = sum(n for p, n in srv.hits.items() if p.startswith("/cchc/chi-so"))
        assert served_before < len(PROVINCES), "the kill came after the crawl: make the web slower"

        second = _paretl(tmp_path, reg)
        out, _ = second.communicate(timeout=300)
        assert second.returncode == 0, out.decode()
        third = _paretl(tmp_path, reg)
        out3, _ = third.communicate(timeout=300)
        assert third.returncode == 0, out3.decode()

    con = duckdb.connect(str(work / "paretl.duckdb"), read_only=True)
    try:
        runs = con.execute("SELECT run_id, status, json_extract(detail, '$.recovered') FROM ops.runs "
                           "ORDER BY started_at").fetchall()
        assert [s for _, s, _ in runs] == ["interrupted", "published", "published"]
        killed = runs[0][0]
        # what the killed run had staged was landed under its own id by the next run
        recovered = con.execute("SELECT count(*) FROM raw.pages WHERE run_id = ?", [killed]).fetchall()[0][0]
        assert recovered >= 2  # the listing page and at least one article
        assert con.execute("SELECT count(*) FROM raw.fetch_log WHERE run_id = ?", [killed]).fetchall()[0][0] >= 2
        # no duplicate page versions: every URL once (the pages never changed)
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM raw.pages").fetchall()[0] == (
            len(PROVINCES) + 1, len(PROVINCES) + 1)
        assert con.execute("""SELECT count(*) FROM (SELECT run_id, url, role, attempt, started_at, count(*) n
                              FROM raw.fetch_log GROUP BY ALL HAVING n > 1)""").fetchall()[0][0] == 0
        # every article read once, one fact each, none twice
        facts = con.execute("""SELECT count(*), count(DISTINCT fact_id), count(DISTINCT page_url)
                               FROM core.index_facts WHERE "index" = 'PAR_INDEX' AND index_year = 2022""").fetchall()[0]
        assert facts == (len(PROVINCES), len(PROVINCES), len(PROVINCES))
        assert con.execute("SELECT count(*) FROM core.page_extractions").fetchall()[0][0] == len(PROVINCES)
        ranks = dict(con.execute("""SELECT unit_name, rank FROM core.index_facts WHERE "index" = 'PAR_INDEX'""").fetchall())
        assert ranks["Lạng Sơn"] == 1 and ranks["An Giang"] == len(PROVINCES)
    finally:
        con.close()
    assert not list((work / "staging").glob(f"{killed}/*")), "the killed run's staging is cleaned up once landed"
