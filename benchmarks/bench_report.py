"""Report speed: `paretl report` over a whole warehouse.

The warehouse is the one benchmarks/bench_warehouse.py builds and publishes (1,000,000 generated index facts by
default: every index, year and unit, 3,896 results, ~91,000 conflict statements); the report of its published
file is then written N times (default 3) and each run is timed: reading the marts (read-only) and rendering the
HTML with plotly.js inlined (the command's own work; opening the file in a browser is not timed).

Prints each run, then one JSON line with the seconds.
Usage: python benchmarks/bench_report.py [--facts N] [--repeat N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paretl.report import build_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", help="work here (default: a temporary folder, removed after)")
    args = ap.parse_args()
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="paretl-bench-report-"))
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(Path(__file__).with_name("bench_warehouse.py")), "--facts",
                        str(args.facts), "--dir", str(base)], check=True, stdout=subprocess.DEVNULL)
        print(f"warehouse of {args.facts:,} facts built and published in {time.perf_counter() - t0:.1f} s", flush=True)
        runs = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            out = build_report(base / "paretl.duckdb", base / "report.html")
            total = time.perf_counter() - t0
            runs.append({"total_s": round(total, 3), "read_s": out["read_s"], "render_s": out["render_s"]})
            print(f"report {i + 1}: {total:.2f} s (read {out['read_s']:.2f} s, render and write "
                  f"{out['render_s']:.2f} s), {out['bytes'] / 1e6:.1f} MB, {out['results']:,} results, "
                  f"{out['provinces']} provinces with results", flush=True)
        figures = {"facts": args.facts, "results": out["results"], "report_mb": round(out["bytes"] / 1e6, 1),
                   "report_s_median": statistics.median(r["total_s"] for r in runs),
                   "report_s_max": max(r["total_s"] for r in runs),
                   "read_s_median": statistics.median(r["read_s"] for r in runs),
                   "render_s_median": statistics.median(r["render_s"] for r in runs)}
    finally:
        if not args.dir:
            shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
