"""`paretl report`: one self-contained HTML file of the published rankings.

Charts are drawn by Plotly (plotly.js, inlined from the `plotly` package's own copy): a bump chart per index for the
provinces and one for the ministries, the year's largest moves, a coverage heatmap; then a section per province
(today's unit with the units that merged into it), its results, activity figures with the page and sentence each
came from, and the conflicts between pages. Script, styles and data are inlined, so the file opens with no network.

The report reads the published warehouse read-only (paretl.report.data) and is written by an atomic rename, so a
reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import unicodedata
from importlib import resources
from pathlib import Path

import jinja2

from paretl.errors import ParetlError
from paretl.report import data as report_data

DEFAULT_NAME = "report.html"


def default_out(warehouse: str | Path) -> Path:
    """Beside the published warehouse: data/paretl.duckdb -> data/report.html."""
    return Path(warehouse).parent / DEFAULT_NAME


def _asset(name: str) -> str:
    return resources.files("paretl.report").joinpath("assets", name).read_text(encoding="utf-8")


def plotly_js() -> str:
    """plotly.min.js as the plotly package ships it (no CDN: the report must open offline)."""
    try:
        path = resources.files("plotly").joinpath("package_data", "plotly.min.js")
        js = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ParetlError(f"plotly.js not found ({exc}): install the `plotly` package (it is in requirements.lock)")
    return js.replace("</script", "<\\/script")


def _json_for_script(obj) -> str:
    # '<' escaped as \u003c: no '</script>' or '<!--' can end the data block, and JSON.parse reads it back as '<'
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str).replace("<", "\\u003c")


def _fmt(x, decimals: int | None = None) -> str:
    """Vietnamese number style: 79,10 and 26.819."""
    if x is None:
        return "—"
    if decimals is None:
        decimals = 0 if float(x).is_integer() else 2
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _safe_url(url) -> str | None:
    return url if isinstance(url, str) and re.match(r"https?://", url, re.IGNORECASE) else None


def _fold(s: str) -> str:
    return unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d")).encode("ascii", "ignore").decode().lower()


def _time_vn(iso: str | None) -> str:
    """The publication time in Việt Nam (UTC+7, no daylight saving), with its UTC form."""
    if not iso:
        return "—"
    t = dt.datetime.fromisoformat(iso)
    local = t.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return f"{local:%H:%M %d/%m/%Y} (giờ VN, UTC+7)"


def render(d: dict) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fmt=_fmt, safe_url=_safe_url, time_vn=_time_vn)
    template = env.from_string(_asset("report.html.j2"))
    pages = sorted(d["provinces"], key=lambda p: _fold(p["name"]))
    with_data = [p for p in pages if p["n_results"] or p["activity"]]
    default = max(with_data, key=lambda p: (p["n_results"], len(p["activity"])))["code"] if with_data else (
        pages[0]["code"] if pages else None)
    payload = {k: d[k] for k in ("meta", "indices", "lineages", "bump", "movers", "coverage")}
    payload["default_province"] = default
    return template.render(
        d=d, meta=d["meta"], pages=pages, default_province=default,
        ministry_indices=[i for i in d["indices"] if d["bump"].get(i["code"], {}).get("ministry")],
        province_indices=[i for i in d["indices"] if d["bump"].get(i["code"], {}).get("province")],
        css=_asset("report.css"), js=_asset("report.js"), plotly=plotly_js(), data_json=_json_for_script(payload),
        generated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    )


def build_report(warehouse: str | Path, out: str | Path | None = None) -> dict:
    """Write the report of the published warehouse to `out` (default: report.html beside it); returns a summary."""
    t0 = time.perf_counter()
    d = report_data.load(warehouse)
    t1 = time.perf_counter()
    html = render(d)
    out = Path(out) if out else default_out(warehouse)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"path": str(out), "bytes": out.stat().st_size, "run_id": d["meta"]["run_id"],
            "results": d["meta"]["results"], "provinces": sum(1 for p in d["provinces"] if p["n_results"]),
            "indices": [i["code"] for i in d["indices"]], "read_s": round(t1 - t0, 3),
            "render_s": round(time.perf_counter() - t1, 3)}
