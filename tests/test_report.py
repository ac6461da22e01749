"""`paretl report` on a warehouse of facts written for these tests (the model tests' facts: a merger, ministries,
moves, conflicts between pages, activity figures): one self-contained HTML file, its data read back."""

import json
import re

import duckdb
import lxml.html
import pytest

from paretl import build
from paretl.cli import main
from paretl.errors import ParetlError
from paretl.report import build_report, default_out
from synth import add_activity_facts, add_index_facts, warehouse
from test_models import ACTIVITY, FACTS, U, par

HOSTILE = par("zz", "22", "Quảng Ninh", 2023, score=90.0, rank=1,
              evidence='Quảng Ninh dẫn đầu </script><script>alert("x")</script> <!-- năm 2023')


def make_warehouse(path, run_id="20260501T000000Z-abcdef"):
    """A published-looking warehouse file: facts, built models and the run that published it."""
    con = warehouse(path)
    add_index_facts(con, FACTS + [HOSTILE])
    add_activity_facts(con, ACTIVITY)
    build.build(con)
    con.execute("INSERT INTO ops.runs VALUES (?, TIMESTAMPTZ '2026-05-01 01:00:00+00', "
                "TIMESTAMPTZ '2026-05-01 01:05:00+00', 'published', '{}')", [run_id])
    con.close()
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    db = make_warehouse(base / "paretl.duckdb")
    summary = build_report(db)
    html = (base / "report.html").read_text(encoding="utf-8")
    return {"summary": summary, "html": html, "doc": lxml.html.fromstring(html), "db": db}


def data_of(doc) -> dict:
    return json.loads(doc.get_element_by_id("report-data").text)


def test_written_beside_the_warehouse_and_self_contained(report):
    assert report["summary"]["path"] == str(default_out(report["db"]))
    doc = report["doc"]
    # nothing to fetch: no external script, style, image or frame; plotly.js is inlined
    assert not doc.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe")
    scripts = "".join(s.text or "" for s in doc.xpath("//script"))
    assert "Plotly" in scripts and len(scripts) > 3_000_000
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://cdn""", report["html"], re.IGNORECASE)
    assert doc.xpath("//html/@lang") == ["vi"]


def test_header_and_footer(report):
    doc = report["doc"]
    assert doc.get_element_by_id("run-id").text_content() == "20260501T000000Z-abcdef"
    header = doc.xpath("//header")[0].text_content()
    assert "08:05 01/05/2026" in header  # 01:05 UTC in Việt Nam
    assert "Kết quả" in header and "results" in header
    footer = doc.xpath("//footer")[0].text_content()
    assert "bài báo" in footer and "news articles" in footer and "Xung đột" in footer


def test_bump_series_stop_at_the_merger(report):
    d = data_of(report["doc"])
    par_series = {s["id"]: s for s in d["bump"]["PAR_INDEX"]["province"]}
    # old Lào Cai and Yên Bái (63-unit map) and the merged Lào Cai (34) are separate lines of one lineage
    assert par_series["63:10"]["x"] == [2024] and par_series["63:10"]["rank"] == [20]
    assert par_series["34:15"]["x"] == [2025] and par_series["34:15"]["rank"] == [5]
    assert {par_series[u]["lineage"] for u in ("63:10", "63:15", "34:15")} == {"15"}
    assert {s["name"] for s in d["bump"]["PAR_INDEX"]["ministry"]} == {
        "Bộ Tư pháp", "Bộ Tài chính", "Bộ Nông nghiệp và Môi trường"}
    lin = {l["code"]: l for l in d["lineages"]}
    assert set(lin["15"]["members"]) == {"34:15", "63:10", "63:15"}
    assert "Yên Bái" in lin["15"]["label"]


def test_movers_and_coverage(report):
    d = data_of(report["doc"])
    moves = d["movers"]["PAR_INDEX|province"]["2023"]
    assert {"name": "Lạng Sơn", "from": 12, "to": 10, "change": 2, "stated": False} in moves["up"]
    cov = d["coverage"]["PAR_INDEX"]
    assert 2025 in cov["years"] and 2012 in cov["years"]
    row = cov["labels"].index("Lạng Sơn (63)")
    assert cov["z"][row][cov["years"].index(2022)] == 2  # ranked
    assert cov["z"][row][cov["years"].index(2013)] == 0  # missing
    assert cov["z"][row][cov["years"].index(2025)] is None  # not on the 63-unit map that year
    hg = cov["labels"].index("Hà Giang (63)")
    assert cov["z"][hg][cov["years"].index(2023)] == 1  # a score, no rank


def test_a_province_page_sets_predecessors_beside_the_successor(report):
    page = report["doc"].get_element_by_id("p-15")
    heads = [th.text_content() for th in page.xpath(".//table[contains(@class,'history')][1]//thead//th")]
    assert heads[1:] == ["Lào Cai (63)", "Yên Bái (63)", "Lào Cai (34)"]
    rows = {tr.xpath("./th")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
            for tr in page.xpath(".//table[contains(@class,'history')][1]//tbody/tr")}
    assert "hạng 20/63" in rows["2024"][0] and "hạng 40/63" in rows["2024"][1] and rows["2024"][2] == "—"
    assert "hạng 5/34" in rows["2025"][2]
    assert "hợp nhất từ" in page.text_content() and "Yên Bái" in page.text_content()
    assert page.xpath(".//div[contains(@class,'mini')]")


def test_activity_figures_carry_their_page_and_sentence(report):
    page = report["doc"].get_element_by_id("p-20")  # Lạng Sơn
    table = page.xpath(".//table[contains(@class,'activity')]")[0]
    links = table.xpath(".//a/@href")
    assert U + "p1" in links and U + "p7" in links
    text = table.text_content()
    assert "Hồ sơ tiếp nhận" in text and "1.000" in text
    assert "225/226" in text
    assert "Tỷ lệ giải quyết" in text and "tính từ" in text  # the derived rate names its parts
    # each stated figure shows the sentence it came from
    assert all(tr.xpath(".//blockquote") or "tính từ" in tr.text_content() for tr in table.xpath(".//tbody/tr"))


def test_conflicts_are_shown_with_their_pages(report):
    doc = report["doc"]
    section = doc.get_element_by_id("conflicts")
    assert U + "a" in section.xpath(".//a/@href") and U + "b" in section.xpath(".//a/@href")
    assert "between_pages" in section.text_content()
    assert "Đà Nẵng" in doc.get_element_by_id("p-48").text_content()


def test_page_text_cannot_break_out_of_the_report(report):
    html = report["html"]
    assert '<script>alert("x")' not in html
    assert "&lt;/script&gt;&lt;script&gt;alert" in html  # escaped where the sentence is shown
    assert report["doc"].xpath("count(//script)") == 3  # plotly.js, the data block, the report's own code


def test_cli_writes_the_file_and_refuses_a_missing_warehouse(report, tmp_path, capsys):
    out = tmp_path / "r" / "rankings.html"
    assert main(["report", "--warehouse", str(report["db"]), "--out", str(out)]) == 0
    assert out.stat().st_size > 3_000_000
    assert capsys.readouterr().out.strip() == str(out)
    assert main(["report", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no published warehouse" in capsys.readouterr().err
    with pytest.raises(ParetlError, match="no published warehouse"):
        build_report(tmp_path / "none.duckdb")


def test_an_empty_warehouse_still_gives_a_page(tmp_path):
    con = warehouse(tmp_path / "empty.duckdb")
    build.build(con)
    con.close()
    summary = build_report(tmp_path / "empty.duckdb")
    doc = lxml.html.fromstring((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert summary["results"] == 0
    assert "Chưa có kết quả" in doc.get_element_by_id("rankings").text_content()
    ro = duckdb.connect(str(tmp_path / "empty.duckdb"), read_only=True)  # the report left no lock behind
    ro.close()
