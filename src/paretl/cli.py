"""The paretl command line.

    paretl run            the main job (crawl -> ... -> publish); on its defaults it crawls the bundled sample web
    paretl extract FILE   print the figures in HTML or text files as JSON lines (the extraction contract)
    paretl reextract      run the current extractor over every stored raw page, rebuild, audit and publish
    paretl eval CORPUS    precision / recall / F1 of the extractor against a labelled corpus
    paretl sample-site    serve the sample web until interrupted
    paretl build          build the SQL models on the working warehouse (--select MODEL+ for one and what follows)
    paretl audit          run the audits on the working warehouse and print them
    paretl docs           print the data dictionary (every table and column described) as Markdown
    paretl report         write the published rankings as one self-contained HTML file (charts inlined)
    paretl status         the last runs, what each published, which sources are failing and since when
    paretl serve          the scheduled job in one long-lived process (Prefect serve), no work pool needed
    paretl sources list   the source registry (the bundled `vietnam` one, or --sources FILE); --format json
    paretl sources check  validate registries: every bad entry and field named, non-zero exit

Errors are one line on stderr (PARETL_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from paretl.errors import ParetlError

DEFAULT_WAREHOUSE = "data/paretl.duckdb"
DEFAULT_EXPORT = "data/export"


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_extract(args) -> int:
    from paretl.extract import extract_page

    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError:
            raise ParetlError(f"--published must be YYYY-MM-DD, got {args.published!r}") from None
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            _say(f"paretl: {name}: {exc.strerror}")
            status = 1
            continue
        ctype = "text/plain" if path.suffix.lower() in (".txt", ".text") else None
        from paretl.load import legacy_to_unicode

        data, charset, legacy = legacy_to_unicode(data, None)  # a page in TCVN3 or VNI is read in Unicode, as a run does
        if legacy:
            _say(f"paretl: {name}: legacy font encoding {legacy.upper()}, converted to Unicode")
        result = extract_page(data, url=args.url, published=published, content_type=ctype,
                              source_province_code=args.province, charset=charset)
        for w in result.warnings:
            _say(f"paretl: {name}: {w}")
        for fact in result.facts:
            row = {"source": name, **fact}
            if fact["url"] is None:
                row["url"] = args.url
            print(json.dumps(row, ensure_ascii=False))
    return status


def _run_flow(args) -> int:
    if not (args.verbose or os.environ.get("PARETL_DEBUG")):
        # Prefect logs failures with full tracebacks; the CLI prints its own progress and one-line errors.
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not args.quiet:
        progress = logging.getLogger("paretl.progress")
        progress.setLevel(logging.INFO)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("paretl: %(message)s"))
        progress.addHandler(handler)
        progress.propagate = False
    sources = args.sources
    only = [x.strip() for x in args.only.split(",") if x.strip()] if args.only else None
    if sources is not None:
        from paretl.sources import load_registry

        reg = load_registry(sources).select(only)  # fail fast with a clear message before Prefect starts
        if not reg.sources:
            raise ParetlError(f"{sources}: no enabled source to crawl")
    t0 = time.monotonic()
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        _say("paretl: starting a temporary Prefect server (a few seconds)")
        server = TemporaryPrefectServer()
    try:
        from paretl_flows.main import paretl_flow, task_runner  # imports while the server starts

        report = None
        if args.report is not None:
            from paretl.report import default_out

            report = args.report or str(default_out(args.warehouse))
        flow = paretl_flow
        if args.dask and args.dask != os.environ.get("PARETL_DASK_ADDRESS"):
            flow = paretl_flow.with_options(task_runner=task_runner(args.dask))
        kwargs = dict(sources=sources, warehouse=args.warehouse, export_dir=args.export_dir,
                      sample_port=args.sample_port, keep_releases=args.keep_releases, report=report, only=only)
        if server is not None:
            # what the flow call imports on first use (the parameters' JSON encoder, ~0.1 s) is imported here,
            # while the server is still starting, rather than after it
            import fastapi.encoders  # noqa: F401

            if sources is not None:
                # start_run's one long read, done now rather than after the server is up (taken only if the
                # files it came from are unchanged when the run starts)
                from paretl import pipeline

                pipeline.read_ahead(pipeline.Paths(Path(args.warehouse), Path(args.export_dir)), reg)

            server.wait_ready()
            from prefect.settings import (
                PREFECT_API_URL,
                PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED,
                PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
                temporary_settings,
            )

            # Heartbeats tell a lasting server that a run is alive; this server dies with the run, and stopping
            # the heartbeat thread costs a second at the end of every run. The client's check of the server's
            # version is moot for a server started from this very installation (and its request makes the
            # server build every API route before the run's first call).
            with temporary_settings({PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
                                     PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED: False}):
                out = flow(**kwargs)
        else:
            out = flow(**kwargs)
    finally:
        if server is not None:
            server.stop()
    crawl = {}
    for s in out["crawl"]:
        for k, v in s["outcomes"].items():
            crawl[k] = crawl.get(k, 0) + v
    skipped = sum(s.get("skipped", 0) for s in out["crawl"])
    _say(f"paretl: run {out['run_id']} done in {time.monotonic() - t0:.1f} s")
    _say(f"  crawl:   {sum(s['pages'] for s in out['crawl'])} pages fetched"
         + (f", {skipped} known articles not due for a revisit" if skipped else "")
         + f"; attempts by outcome {crawl}")
    from paretl.summary import crawl_detail

    gate = crawl_detail(out["crawl"])["totals"]
    if gate["links"]:
        _say(f"  links:   {gate['links']} found, {gate['known']} known, {gate['relevant']} relevant, "
             f"{gate['irrelevant'] + gate['unknown']} turned away without a request, {gate['sampled']} of those sampled "
             f"({gate['sampled_relevant']} relevant), {gate['irrelevant_text']} irrelevant on reading (not kept), "
             f"{gate['too_old']} older than the backfill year; {gate['requests']} requests, "
             f"{gate['bytes'] / 1e6:.1f} MB"
             + (f"; budget reached by {', '.join(gate['stopped_by_budget'])}" if gate["stopped_by_budget"] else ""))
    _say(f"  land:    {out['land']}")
    _say(f"  extract: {out['extract']}")
    _say(f"  build:   {out['build'] or 'skipped (nothing new, models unchanged)'}")
    failed = [a for a in out["audits"] if not a["passed"]]
    _say(f"  audit:   {len(out['audits']) - len(failed)}/{len(out['audits'])} passed"
         + "".join(f"; {a['name']}: {a['failing_rows']} rows{' (warning)' if not a['blocking'] else ''}"
                   for a in failed))
    if out["published"].get("kept"):
        _say(f"  publish: nothing changed; {args.export_dir}/current -> {out['published']['path']} stays, and "
             f"{args.warehouse} with it")
    else:
        _say(f"  publish: {args.warehouse} and {args.export_dir}/current -> {out['published']['path']} "
             f"(manifest.json lists the tables)")
    if out.get("report"):
        _say(f"  report:  {out['report']['path']} ({out['report']['bytes'] / 1e6:.1f} MB)")
    from paretl.metrics import format_table

    _say("paretl: stages (wall time, pages, pages/s, peak memory of this process; also in ops.runs.detail)")
    for line in format_table(out["stages"]):
        _say(line)
    return 0


class TemporaryPrefectServer:
    """A Prefect API server for the length of one `paretl run`, started the way Prefect starts its own temporary
    server (uvicorn on Prefect's app factory, UI off, in a subprocess) but launched before this process imports
    Prefect and the flow, so that the two overlap instead of adding up; the flow runs with PREFECT_API_URL set to it."""

    def __init__(self):
        import importlib.util
        import socket
        import subprocess

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        # the package's folder without importing it (that alone takes most of a second)
        self.pkg = pkg = Path(importlib.util.find_spec("prefect").origin).parent
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        # Automations (triggers and their actions) belong to a lasting server (where PREFECT_API_URL names one, no
        # temporary server is started): this one lives for one run. Their two services start a second API app and
        # its client inside the server, 0.2-0.3 s of CPU on the critical path of every run's start. An explicit
        # setting still holds.
        env.setdefault("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false")
        self.marker = self._set_up_marker(pkg)
        if self.marker is not None and self.marker.exists():
            # this Prefect has already set up this database (tables migrated, block types registered): a
            # fixed 0.1-0.2 s of every run's start saved
            env.update(PREFECT_API_DATABASE_MIGRATE_ON_START="false", PREFECT_API_BLOCKS_REGISTER_ON_START="false")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(pkg.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"], env=env, stdin=subprocess.DEVNULL)
        self.api_url = f"http://127.0.0.1:{self.port}/api"

    @staticmethod
    def _set_up_marker(pkg: Path) -> Path | None:
        """A file beside Prefect's default SQLite database saying which Prefect version set it up; None where
        the database is elsewhere (a configured URL: always checked) or not there yet."""
        if os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL") or os.environ.get(
                "PREFECT_SERVER_DATABASE_CONNECTION_URL"):
            return None
        home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
        if not (home / "prefect.db").exists():
            return None
        try:
            version = (pkg / "_build_info.py").read_text("utf-8")
        except OSError:
            return None
        return home / f".paretl-db-set-up-{hashlib.sha256(version.encode()).hexdigest()[:12]}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ParetlError(f"the temporary Prefect server exited with code {self.proc.returncode}")
            try:
                if httpx.get(self.api_url + "/health", timeout=1).status_code == 200:
                    if self.marker is None:
                        self.marker = self._set_up_marker(self.pkg)
                    if self.marker is not None and not self.marker.exists():
                        self.marker.touch()  # up and answering: the database is set up for this version
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise ParetlError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        # Send what Prefect's background services still hold (run events, logs) before the server goes.
        try:
            from prefect.events.worker import EventsWorker
            from prefect.logging.handlers import APILogWorker

            for service in (EventsWorker, APILogWorker):
                service.drain_all(timeout=5)
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()


def cmd_run(args) -> int:
    # The quiet Prefect logging the CLI asks for holds for this run only: the process (a test, a notebook) may go
    # on to start workers whose runs must log to their server.
    saved = {k: os.environ.get(k) for k in ("PREFECT_LOGGING_LEVEL", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    try:
        return _run_flow(args)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cmd_reextract(args) -> int:
    from paretl import pipeline

    paths = pipeline.Paths(Path(args.warehouse), Path(args.export_dir), args.keep_releases)
    run_id = pipeline.new_run_id()
    pipeline.start_reextract(paths, run_id)
    t0 = time.monotonic()
    counts = pipeline.extract_stage(paths, force=True, progress=None if args.quiet else _say, run_id=run_id)
    _say(f"paretl: re-extracted {counts['pages']} pages in {time.monotonic() - t0:.1f} s: {counts}")
    _say(f"paretl: built {pipeline.build_stage(paths)}")
    manifest = pipeline.publish_stage(paths, run_id, pipeline.audit_stage(paths, run_id))
    _say(f"paretl: published {manifest['path']}: " + ", ".join(f"{t} {m['rows']}" for t, m in manifest['tables'].items()))
    return 0


def cmd_eval(args) -> int:
    from paretl import realset
    from paretl.evaluate import (
        evaluate_corpus,
        evaluate_real,
        format_real_report,
        format_report,
    )

    folder = Path(args.corpus)
    if realset.is_real_set(folder):
        report = evaluate_real(folder, with_province=not args.no_province, batch=args.batch, split=args.split,
                               lang=args.lang)
        print(format_real_report(report, show_misses=not args.no_misses))
        if not report.pages:
            raise ParetlError(f"no page of {folder} has its text cached: {folder}/README.md says how to rebuild it")
        return 0
    report = evaluate_corpus(folder)
    print(format_report(report, show_misses=not args.no_misses))
    return 0


def cmd_realset(args) -> int:
    from paretl import realset

    folder = Path(args.folder)
    if not realset.is_real_set(folder):
        raise ParetlError(f"{folder} holds no real-article set (pages.tsv and facts.jsonl)")
    rs = realset.load(folder)
    if args.check_url:
        # before a page is added: is it kept for outside checks, or already in the set?
        reserved = realset.reserved_hashes(folder)
        known = {realset.normalise_url(p.url): p.page for p in rs.pages}
        for url in args.check_url:
            state = ("RESERVED (skip it)" if realset.url_hash(url) in reserved else
                     f"known (page {known[realset.normalise_url(url)]})" if realset.normalise_url(url) in known
                     else "new")
            print(f"{state}\t{url}")
        return 0
    problems = realset.check(rs, fix_hashes=args.fix_hashes)
    cached = sum(1 for p in rs.pages if rs.cache_path(p).exists())
    for line in problems:
        print(line)
    _say(f"paretl: {len(rs.pages)} pages, {cached} with cached text in {rs.cache}; "
         f"{sum(len(p.facts) for p in rs.pages)} index facts, {sum(len(p.activity) for p in rs.pages)} activity "
         f"facts; {len(problems)} problems")
    return 1 if problems else 0


def cmd_sample_site(args) -> int:
    from paretl.sample_site import server

    web = server.start(port=args.port)
    if args.write_registry:
        Path(args.write_registry).write_text(web.registry_text(), encoding="utf-8")
        _say(f"paretl: registry for these sites written to {args.write_registry}")
    for sid, url in web.urls.items():
        print(f"{sid}\t{url}", flush=True)
    _say("paretl: serving the sample web; Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        web.stop()
    return 0


def cmd_build(args) -> int:
    from paretl import pipeline

    paths = pipeline.Paths(Path(args.warehouse), Path(args.export_dir))
    if not paths.work_db.exists():
        raise ParetlError(f"no working warehouse at {paths.work_db}: run `paretl run` first")
    t0 = time.monotonic()
    counts = pipeline.build_stage(paths, select=args.select)
    _say(f"paretl: built {len(counts)} mart table(s) in {time.monotonic() - t0:.2f} s (views follow their tables)")
    for name, n in counts.items():
        print(f"{name}\t{n}")
    return 0


def cmd_docs(args) -> int:
    import duckdb

    from paretl import build, docs
    from paretl.warehouse import connect, ensure_schema

    if args.warehouse:
        # what a published (or working) file itself says about its tables
        with connect(args.warehouse, read_only=True) as con:
            print(docs.dictionary_markdown(con))
        return 0
    # no file: the dictionary of this version of paretl, from its models built over an empty warehouse
    con = duckdb.connect()
    try:
        ensure_schema(con)
        build.build(con)
        print(docs.dictionary_markdown(con))
    finally:
        con.close()
    return 0


def cmd_report(args) -> int:
    from paretl.report import build_report

    t0 = time.monotonic()
    out = build_report(args.warehouse, args.out)
    _say(f"paretl: wrote {out['path']} ({out['bytes'] / 1e6:.1f} MB) in {time.monotonic() - t0:.1f} s: run "
         f"{out['run_id']}, {out['results']} results, {out['provinces']} provinces with results, indices "
         f"{', '.join(out['indices']) or 'none'}")
    print(out["path"])
    return 0


def cmd_status(args) -> int:
    from paretl import pipeline
    from paretl.status import as_json, format_status, read_status

    st = read_status(pipeline.Paths(Path(args.warehouse), Path(args.export_dir)), limit=args.runs)
    print(as_json(st) if args.json else format_status(st))
    return st.exit_code


def cmd_serve(args) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if args.sources is not None:
        from paretl.sources import load_registry

        load_registry(args.sources)  # a bad registry fails here, not at the first scheduled run
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        # Prefect's temporary server has no scheduler: `serve` would register the schedules and never run them
        raise ParetlError("paretl serve needs a Prefect server for its schedules: start one (`make server`, or "
                          "`prefect server start`) and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    from paretl import schedule
    from paretl_flows.serve import DEPLOYMENT, parameters, serve

    report = None if args.no_report else (args.report or str(Path(args.warehouse).parent / "report.html"))
    params = parameters(args.sources, args.warehouse, args.export_dir, report, args.keep_releases,
                        args.sample_port)
    _say(f"paretl: serving deployment paretl/{DEPLOYMENT}, " + "; ".join(
        f"{c} ({what})" for c, what in schedule.SCHEDULES) + f", {schedule.TIMEZONE}; one run at a time")
    _say(f"paretl: parameters {json.dumps(params, ensure_ascii=False)}; Ctrl-C stops (the schedules pause)")
    serve(params)
    return 0


def _source_row(s) -> dict:
    return {"id": s.id, "name": s.name, "unit_code": s.province_code, "unit_code_34": s.province_code_34,
            "eras": list(s.eras), "kind": s.kind, "domains": list(s.allowed_domains), "start_urls": list(s.start_urls),
            "feeds": list(s.feeds), "sitemaps": list(s.sitemaps), "search_url": s.search_url,
            "valid_from": s.valid_from.isoformat() if s.valid_from else None,
            "valid_to": s.valid_to.isoformat() if s.valid_to else None, "confidence": s.confidence,
            "evidence": list(s.evidence), "enabled": s.enabled}


def cmd_sources_list(args) -> int:
    from paretl.sources import load_registry

    reg = load_registry(args.sources)
    rows = [_source_row(s) for s in reg.sources if args.all or s.enabled or not args.enabled_only]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print("\t".join(["id", "units (63/34)", "kind", "domains", "ways in", "confidence", "enabled"]))
    for r in rows:
        ways = r["start_urls"] + r["feeds"] + r["sitemaps"] + ([r["search_url"]] if r["search_url"] else [])
        print("\t".join([r["id"], f"{r['unit_code'] or '-'}/{r['unit_code_34'] or '-'}", r["kind"] or "-",
                         ",".join(r["domains"]), " ".join(ways), r["confidence"] or "-",
                         "yes" if r["enabled"] else "no"]))
    n_on = sum(1 for s in reg.sources if s.enabled)
    _say(f"paretl: {len(reg.sources)} sources in {args.sources}, {n_on} enabled")
    return 0


def cmd_sources_check(args) -> int:
    from paretl.sources import RegistryError, coverage, load_registry

    status = 0
    for name in args.files:
        try:
            reg = load_registry(name)
        except RegistryError as exc:
            for line in exc.problems:
                print(f"BAD {line}")
            _say(f"paretl: {name}: {len(exc.problems)} problem(s)")
            status = 1
            continue
        gaps = coverage(reg)
        on = sum(1 for s in reg.sources if s.enabled)
        print(f"ok  {name}: {len(reg.sources)} sources, {on} enabled")
        for era, codes in gaps.items():
            if codes and args.coverage:
                print(f"GAP {name}: no enabled source for the {era}-unit map's unit(s) {', '.join(codes)}")
                status = 1
    return status


def cmd_audit(args) -> int:
    from paretl import pipeline

    paths = pipeline.Paths(Path(args.warehouse), Path(args.export_dir))
    results = pipeline.audit_stage(paths, "manual-" + pipeline.new_run_id())
    for a in results:
        state = "ok" if a["passed"] else ("FAIL" if a["blocking"] else "warn")
        print(f"{state:5} {a['name']}: {a['failing_rows']} rows{' ' + a['error'] if a['error'] else ''}")
    return 0 if all(a["passed"] or not a["blocking"] for a in results) else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="paretl", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def warehouse_opts(sp):
        sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"published DuckDB file ({DEFAULT_WAREHOUSE})")
        sp.add_argument("--export-dir", default=DEFAULT_EXPORT, help=f"Parquet export folder ({DEFAULT_EXPORT})")
        sp.add_argument("--quiet", action="store_true", help="less progress output")
        sp.add_argument("--verbose", action="store_true", help="show Prefect's own logs too")

    def release_opts(sp):
        sp.add_argument("--keep-releases", type=int, default=3, metavar="N",
                        help="Parquet releases kept in EXPORT_DIR/releases (3)")

    r = sub.add_parser("run", help="run the main job")
    r.add_argument("--sources", help="source registry: a TOML file, or a bundled one by name (vietnam); default: "
                                     "the bundled sample web")
    r.add_argument("--only", metavar="ID[,ID...]", help="crawl only these sources of the registry (even disabled ones)")
    r.add_argument("--report", nargs="?", const="", metavar="FILE",
                   help="after publishing, write the HTML report (FILE, default: report.html beside the warehouse)")
    r.add_argument("--sample-port", type=int, default=8701, help="first port of the sample web (8701)")
    r.add_argument("--dask", metavar="ADDRESS", default=os.environ.get("PARETL_DASK_ADDRESS"),
                   help="run the tasks on the Dask cluster at this scheduler address (tcp://HOST:8786; "
                        "env PARETL_DASK_ADDRESS); needs the dask extra")
    warehouse_opts(r)
    release_opts(r)
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("extract", help="print the figures in files as JSON lines")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--url", help="the page's URL when the file has no canonical link")
    e.add_argument("--published", help="publication date YYYY-MM-DD (resolves 'năm nay' and missing years)")
    e.add_argument("--province", help="2-digit code of the publishing site's province ('tỉnh ta')")
    e.add_argument("--format", choices=["jsonl"], default="jsonl")
    e.set_defaults(func=cmd_extract)

    x = sub.add_parser("reextract", help="run the current extractor over all stored raw pages and republish")
    warehouse_opts(x)
    release_opts(x)
    x.set_defaults(func=cmd_reextract)

    v = sub.add_parser("eval", help="score the extractor against a labelled corpus")
    v.add_argument("corpus", help="folder of pages with NAME.expected.json beside each")
    v.add_argument("--no-misses", action="store_true", help="only the scores")
    v.add_argument("--no-province", action="store_true", help="real set: do not pass the site's province")
    v.add_argument("--batch", help="real set: only these batches (comma-separated)")
    v.add_argument("--split", choices=["dev", "blind"], help="real set: only this split")
    v.add_argument("--lang", default="vi", help="real set: only pages in this language, or 'all' (vi)")
    v.set_defaults(func=cmd_eval)

    rs = sub.add_parser("realset", help="check the development set of real articles and its text cache")
    rs.add_argument("folder", nargs="?", default="corpus/real", help="the set's folder (corpus/real)")
    rs.add_argument("--fix-hashes", action="store_true", help="fill empty sha256 cells from the cached text")
    rs.add_argument("--check-url", nargs="+", metavar="URL", help="say whether URLs are reserved, known or new")
    rs.set_defaults(func=cmd_realset)

    s = sub.add_parser("sample-site", help="serve the bundled sample web")
    s.add_argument("--port", type=int, default=8701, help="first port; site i is on port+i (8701)")
    s.add_argument("--write-registry", metavar="FILE", help="write a source registry for the served sites")
    s.set_defaults(func=cmd_sample_site)

    b = sub.add_parser("build", help="build the SQL models on the working warehouse")
    b.add_argument("--select", metavar="MODEL[+]",
                   help="one model (marts.leaderboard or leaderboard); MODEL+ adds every model that reads it")
    warehouse_opts(b)
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("docs", help="print the data dictionary as Markdown")
    d.add_argument("--warehouse", help="read the descriptions stored in this DuckDB file (default: this version's models)")
    d.set_defaults(func=cmd_docs)

    rp = sub.add_parser("report", help="write the published rankings as one self-contained HTML file")
    rp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"published DuckDB file ({DEFAULT_WAREHOUSE})")
    rp.add_argument("--out", metavar="FILE", help="the HTML file (default: report.html beside the warehouse)")
    rp.set_defaults(func=cmd_report)

    st = sub.add_parser("status", help="the last runs, what each published, which sources are failing since when")
    st.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"published DuckDB file ({DEFAULT_WAREHOUSE})")
    st.add_argument("--export-dir", default=DEFAULT_EXPORT, help=f"Parquet export folder ({DEFAULT_EXPORT})")
    st.add_argument("--runs", type=int, default=10, metavar="N", help="runs shown (10)")
    st.add_argument("--json", action="store_true", help="machine-readable")
    st.set_defaults(func=cmd_status)

    sv = sub.add_parser("serve", help="run the job on its schedule in this process (Prefect serve)")
    sv.add_argument("--sources", help="source registry (TOML); default: the bundled sample web")
    sv.add_argument("--sample-port", type=int, default=None, help="first port of the sample web (8701)")
    sv.add_argument("--report", metavar="FILE", help="the HTML report each run writes (report.html beside the warehouse)")
    sv.add_argument("--no-report", action="store_true", help="write no report")
    sv.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"published DuckDB file ({DEFAULT_WAREHOUSE})")
    sv.add_argument("--export-dir", default=DEFAULT_EXPORT, help=f"Parquet export folder ({DEFAULT_EXPORT})")
    release_opts(sv)
    sv.set_defaults(func=cmd_serve)

    so = sub.add_parser("sources", help="the source registry: list it, check one")
    sosub = so.add_subparsers(dest="sources_command", required=True)
    sl = sosub.add_parser("list", help="print the registry (id, units, kind, domains, ways in, confidence, enabled)")
    sl.add_argument("--sources", default="vietnam", help="a registry file or a bundled name (vietnam)")
    sl.add_argument("--format", choices=["table", "json"], default="table")
    sl.add_argument("--enabled-only", action="store_true", help="only the sources crawled by default")
    sl.set_defaults(func=cmd_sources_list, all=False)
    sc = sosub.add_parser("check", help="validate registries; every bad entry and field is named (exit 1)")
    sc.add_argument("files", nargs="+", metavar="FILE", help="registry files or bundled names")
    sc.add_argument("--coverage", action="store_true",
                    help="also fail when a unit of the 63- or 34-unit map has no enabled source")
    sc.set_defaults(func=cmd_sources_check)

    a = sub.add_parser("audit", help="run the audits on the working warehouse")
    warehouse_opts(a)
    a.set_defaults(func=cmd_audit)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except ParetlError as exc:
        _say(f"paretl: error: {exc}")
        return 2
    except KeyboardInterrupt:
        _say("paretl: interrupted")
        return 130
    except BrokenPipeError:  # `paretl extract ... | head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # one clear line, not a traceback, unless asked for
        if os.environ.get("PARETL_DEBUG"):
            raise
        _say(f"paretl: error: {type(exc).__name__}: {exc} (PARETL_DEBUG=1 shows the traceback)")
        return 1


def console_main() -> None:
    """The `paretl` command: main(), then a prompt exit. Python's own teardown of the ~3,000 modules a run imports
    (Prefect, DuckDB, pyarrow, lxml) takes ~0.3 s after the work is done, a tenth of an unchanged re-run; a
    finished command needs none of it. So: flush the output and the log handlers, run the exit handlers (Prefect's
    and multiprocessing's), and leave with the command's code. Where a non-daemon thread is still alive, the usual
    exit waits for it instead."""
    import atexit
    import threading

    code = main()
    if any(t is not threading.main_thread() and not t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`paretl extract ... | head`)
            pass
    atexit._run_exitfuncs()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    console_main()
