"""Scale: the main job on a generated local web, run twice, against scrapy's crawl of the same web.

Serves a web of N ~100 KB article pages over H sites (benchmarks/localweb.py; 30% state a PAR INDEX figure) on
free local ports, then:
  1. `paretl run` on it (min_delay_s = 0, per_host_concurrency = C): wall time, pages/s, and per stage (start,
     crawl, land, extract, load, build, audit, publish) seconds, pages/s and peak RSS of the job's process, as the
     run stored them in ops.runs; plus the peak RSS of its whole process tree (extraction workers and Prefect's
     temporary server included), sampled every 0.1 s;
  2. the same again on the unchanged web, with revisit_after_days = 1 (listing pages asked for conditionally,
     known articles not asked for again): the incremental re-run, as a share of run 1;
  3. (--rerun-all) the same again with revisit_after_days = 0: every known article asked for again, conditionally;
     (--rerun-server) the unchanged re-run once more against a Prefect server that is already running (as a
     scheduled deployment's runs meet one), without the ~3-4 s of starting and stopping a temporary server;
  4. scrapy over the same web at the same concurrency (benchmarks/scrapy_crawl.py), and the ratio of paretl's crawl
     stage pages/s to scrapy's.
Run 1 starts from an empty warehouse. The machine is shared: compare figures as ratios within one run.
The last line printed is one JSON object with every figure.

    python benchmarks/bench_scale.py --pages 10000 [--hosts 10] [--concurrency 8] [--rerun-all] [--rerun-server]
                                     [--no-scrapy]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from localweb import LocalWeb, WebSpec  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB (read from /proc: the tree only, so that
    sampling it ten times a second costs next to nothing)."""
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total / 2**20


def run_job(registry: Path, work: Path, env: dict) -> dict:
    """`paretl run` in a subprocess: wall seconds, the tree's sampled peak RSS, the run's stage figures."""
    cmd = [sys.executable, "-m", "paretl.cli", "run", "--sources", str(registry), "--warehouse",
           str(work / "paretl.duckdb"), "--export-dir", str(work / "export")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        print(out[-4000:], file=sys.stderr)
        raise SystemExit(f"paretl run failed ({proc.returncode})")
    con = duckdb.connect(str(work / ".paretl-work" / "paretl.duckdb"), read_only=True)
    run_id, detail = con.execute("SELECT run_id, detail FROM ops.runs ORDER BY started_at DESC LIMIT 1").fetchall()[0]
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("raw.pages", "core.index_facts", "marts.index_results", "marts.yoy_rankings")}
    # the facts without the web's ports (fact ids and URLs carry them, and they change from one benchmark to the
    # next): the same digest means the same facts, within a benchmark and across versions of the job
    facts = con.execute("""
        WITH f AS (SELECT concat_ws('|', source_id, regexp_replace(page_url, '^https?://[^/]+', ''), unit_kind,
                                    coalesce(unit_code, unit_name), "index", index_year, metric, score, rank, rank_of,
                                    prior_rank, rank_change, published, attribution) AS line FROM core.index_facts)
        SELECT md5(string_agg(line, ',' ORDER BY line)) FROM f""").fetchall()[0][0]
    con.close()
    stages = json.loads(detail)["stages"]
    return {"run_id": run_id, "seconds": round(seconds, 2), "tree_peak_rss_mb": round(peak[0], 1),
            "job_peak_rss_mb": max(s["peak_rss_mb"] for s in stages.values()), "stages": stages, "rows": counts,
            "facts_digest": facts, "log_tail": out.strip().splitlines()[-12:]}


def _rerun_with_server(registry: Path, work: Path, env: dict) -> dict:
    """The unchanged re-run against a Prefect server started beforehand (paretl's own temporary one, kept up for
    the run): what a run costs where a server is already up, as for a deployment's scheduled runs."""
    old = dict(os.environ)
    os.environ.update(env, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    try:
        from paretl.cli import TemporaryPrefectServer

        server = TemporaryPrefectServer()
        try:
            server.wait_ready()
            return run_job(registry, work, {**env, "PREFECT_API_URL": server.api_url})
        finally:
            server.stop()
    finally:
        os.environ.clear()
        os.environ.update(old)


def run_scrapy(web: LocalWeb, concurrency: int) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks/scrapy_crawl.py"), "--concurrency", str(concurrency)]
                         + [u + "/thoi-su/" for u in web.urls], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"scrapy failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _print_run(title: str, r: dict, pages: int) -> None:
    print(f"\n{title}: {r['seconds']:.1f} s wall, {pages / r['seconds']:.0f} pages/s; peak RSS: job process "
          f"{r['job_peak_rss_mb']:.0f} MB, whole tree {r['tree_peak_rss_mb']:.0f} MB (with workers and Prefect's "
          f"server)")
    print(f"  {'stage':8} {'seconds':>8} {'pages':>7} {'pages/s':>9} {'peak RSS MB':>12}")
    for name, s in r["stages"].items():
        workers = f" (workers {s['workers_peak_rss_mb']:.0f})" if s.get("workers_peak_rss_mb") else ""
        print(f"  {name:8} {s['seconds']:8.2f} {s['pages']:7d} {s['pages_per_s']:9.1f} {s['peak_rss_mb']:12.0f}"
              f"{workers}{'  ' + s['note'] if s.get('note') else ''}")
    print(f"  rows: {r['rows']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rerun-all", action="store_true", help="also re-run with every known article re-asked")
    ap.add_argument("--rerun-server", action="store_true",
                    help="also re-run against an already running Prefect server")
    ap.add_argument("--no-scrapy", action="store_true")
    ap.add_argument("--workdir", help="keep the warehouse here (default: a temporary folder, removed)")
    args = ap.parse_args()
    spec = WebSpec(args.pages, args.hosts)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="paretl-scale-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(ROOT / ".prefect-home"))}
    result: dict = {"pages": args.pages, "hosts": args.hosts, "concurrency": args.concurrency,
                    "cores": os.cpu_count()}
    try:
        with LocalWeb(spec) as web:
            reg = work / "sources.toml"
            reg.write_text(web.registry_text(args.concurrency, 0.0, revisit_after_days=1), encoding="utf-8")
            print(f"web: {args.pages} articles over {args.hosts} sites, ~100 KB a page; "
                  f"{sum(spec.listings_on(h) for h in range(args.hosts))} listing pages; concurrency "
                  f"{args.concurrency} per site, no delay; {os.cpu_count()} cores", flush=True)
            full = run_job(reg, work, env)
            _print_run("run 1 (empty warehouse)", full, args.pages)
            again = run_job(reg, work, env)
            _print_run("run 2 (unchanged web, revisit_after_days = 1)", again, args.pages)
            result.update(full=full, rerun=again, rerun_share=round(again["seconds"] / full["seconds"], 3),
                          same_facts=full["facts_digest"] == again["facts_digest"])
            print(f"\nunchanged re-run: {again['seconds']:.1f} s = {100 * result['rerun_share']:.1f}% of the full run")
            if args.rerun_all:
                reg_all = work / "sources-all.toml"
                reg_all.write_text(web.registry_text(args.concurrency, 0.0, revisit_after_days=0), encoding="utf-8")
                every = run_job(reg_all, work, env)
                _print_run("run 3 (unchanged web, every known article re-asked)", every, args.pages)
                result.update(rerun_all=every, rerun_all_share=round(every["seconds"] / full["seconds"], 3))
                print(f"re-run asking for every article: {100 * result['rerun_all_share']:.1f}% of the full run")
            if args.rerun_server:
                every = _rerun_with_server(reg, work, env)
                _print_run("run 2b (unchanged web, a Prefect server already running)", every, args.pages)
                result.update(rerun_server=every, rerun_server_share=round(every["seconds"] / full["seconds"], 3))
                print(f"unchanged re-run with a running Prefect server: {every['seconds']:.1f} s = "
                      f"{100 * result['rerun_server_share']:.1f}% of the full run")
            if not args.no_scrapy:
                sc = run_scrapy(web, args.concurrency)
                ours = full["stages"]["crawl"]["pages_per_s"]
                result.update(scrapy=sc, crawl_vs_scrapy=round(ours / sc["pages_per_s"], 2))
                print(f"\nscrapy, crawl only, same web and concurrency: {sc['pages']} pages in {sc['seconds']:.1f} s "
                      f"= {sc['pages_per_s']:.0f} pages/s; paretl's crawl stage {ours:.0f} pages/s = "
                      f"{result['crawl_vs_scrapy']:.2f}x scrapy")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    for r in ("full", "rerun", "rerun_all", "rerun_server"):
        if r in result:
            result[r].pop("log_tail", None)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
