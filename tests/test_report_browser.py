"""The report in a real browser: the system's Chromium (Debian's `chromium` package; `.ci/run` installs it when it
is missing), headless, driven by Playwright. The charts draw (SVG with traces in it), the province picker moves the
highlight and the page, nothing is fetched from the network and the console stays clean; a screenshot is saved."""

import pytest

from browser import chromium, find_chromium
from test_report import make_warehouse

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    from paretl.report import build_report

    base = tmp_path_factory.mktemp("browser")
    return build_report(make_warehouse(base / "paretl.duckdb"))["path"]


def highlighted(page, chart_id):
    """Names of the traces drawn thick in a bump chart, read from Plotly's own state of the plot."""
    return sorted(page.evaluate(
        """id => document.getElementById(id).data.filter(t => t.line && t.line.width >= 4).map(t => t.name)""",
        chart_id))


def test_report_in_chromium(report_file, tmp_path):
    exe = find_chromium()
    if exe is None:
        pytest.skip("no Chromium on PATH (nor PARETL_CHROMIUM): `.ci/run` installs Debian's `chromium`; on a "
                    "fresh machine run `apt-get install -y chromium` (README, Development)")
    problems, requests = [], []
    from pathlib import Path

    with chromium(exe) as context:
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(Path(report_file).as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)

        # every chart drew: an SVG with traces in it (the heatmap paints an image into its SVG)
        charts = page.evaluate("""() => Array.from(document.querySelectorAll(`.chart.bump, #movers-chart,
            #coverage-chart`)).map(d => ({id: d.id, svg: d.querySelectorAll('svg.main-svg').length,
            traces: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm').length,
            marks: d.querySelectorAll(`.scatterlayer path.js-line, .scatterlayer .point, .barlayer .point path,
                                       .heatmaplayer image`).length}))""")
        ids = {c["id"] for c in charts}
        assert {"bump-PAR_INDEX-province", "bump-PCI-province", "bump-PAR_INDEX-ministry", "movers-chart",
                "coverage-chart"} <= ids
        for c in charts:
            assert c["svg"] >= 1 and c["traces"] >= 1 and c["marks"] >= 1, c
        box = page.locator("#bump-PAR_INDEX-province svg.main-svg").first.bounding_box()
        assert box["width"] > 600 and box["height"] > 300

        # the default province (the one with most results) is highlighted and its page shown
        first = page.evaluate("document.body.dataset.province")
        assert page.locator(f"#p-{first}").is_visible()
        before = highlighted(page, "bump-PAR_INDEX-province")
        assert before

        # pick Lào Cai (34-unit map, code 15): old Lào Cai and Yên Bái up to 2024, the merged unit from 2025
        page.select_option("#province-picker", "15")
        page.wait_for_function("document.body.dataset.province === '15'")
        assert highlighted(page, "bump-PAR_INDEX-province") == ["Lào Cai (34)", "Lào Cai (63)", "Yên Bái (63)"]
        assert highlighted(page, "bump-PAR_INDEX-province") != before
        thick = page.evaluate("""() => Array.from(document.querySelectorAll(
            `#bump-PAR_INDEX-province .scatterlayer path.js-line`)).filter(p => p.style.strokeWidth === '4px').length""")
        assert thick == 3  # drawn in the SVG too, not only in Plotly's state
        assert page.locator("#p-15").is_visible() and not page.locator(f"#p-{first}").is_visible()
        assert page.locator("#p-15 .mini svg.main-svg").count() >= 1
        assert page.evaluate("location.hash") == "#p-15"
        # the coverage heatmap outlines the province's rows
        assert page.evaluate("document.getElementById('coverage-chart').layout.shapes.length") == 3

        # the movers chart follows its year picker
        page.select_option("#movers-year", "2023")
        assert "Lạng Sơn" in " ".join(page.evaluate("document.getElementById('movers-chart').data[0].y"))

        page.evaluate("window.scrollTo(0, 0)")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    assert not problems, problems
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), requests
