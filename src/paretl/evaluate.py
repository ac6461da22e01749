"""Scoring the extractor against a labelled corpus (`paretl eval CORPUS`).

A labelled page is NAME.html (or .txt) with NAME.expected.json beside it (docs/facts.md). Facts are matched on
their key (unit, index, index year, metric); each field is then scored on its own: a predicted value is a true
positive when the expected fact of the same key has the same value, a false positive otherwise (a wrong value
or a fact that should not exist), and an expected value nobody predicted is a false negative.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from paretl.extract import extract_page

FIELDS = ("score", "rank", "rank_of", "prior_rank", "rank_change")
PAGE_SUFFIXES = (".html", ".htm", ".txt")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    pages: int = 0
    by_field: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    by_index: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    components: Tally = field(default_factory=Tally)
    activity: Tally = field(default_factory=Tally)
    # of the activity figures matched, how many have the labelled period and reporter (tp) or another (fp)
    activity_period: Tally = field(default_factory=Tally)
    activity_reporter: Tally = field(default_factory=Tally)
    dates: Tally = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)


def _key(f: dict) -> tuple:
    code = f.get("unit_code") if f.get("unit_kind", "province") == "province" else None
    return (f.get("unit_kind", "province"), code or f.get("unit_name"), f["index"], int(f["index_year"]),
            f.get("metric") or "total")


def _same(field_name: str, a, b) -> bool:
    if a is None or b is None:
        return False
    if field_name == "score":
        return abs(float(a) - float(b)) < 0.006
    return int(a) == int(b)


def page_files(corpus: Path) -> list[tuple[Path, Path]]:
    """Labelled pages in the folder and its sub-folders, except the sets kept apart and scored only when named
    themselves: the held-out sets (corpus/holdout*/) and the twins of real articles (corpus/twins/), whose
    first-contact score is an estimate for real text and must not be blurred into the corpus' own."""
    out = []
    for exp in sorted(corpus.rglob("*.expected.json")):
        if any(part.startswith(("holdout", "twins")) for part in exp.relative_to(corpus).parts[:-1]):
            continue
        stem = exp.name[: -len(".expected.json")]
        page = next((exp.with_name(stem + s) for s in PAGE_SUFFIXES if exp.with_name(stem + s).exists()), None)
        if page is not None:
            out.append((page, exp))
    return out


def evaluate_corpus(corpus: Path) -> Report:
    report = Report()
    pairs = page_files(corpus)
    if not pairs:
        from paretl.errors import ParetlError

        raise ParetlError(f"no labelled pages (NAME.html + NAME.expected.json) under {corpus}")
    for page, exp_path in pairs:
        expected = json.loads(exp_path.read_text(encoding="utf-8"))
        score_page(page, expected, report)
    return report


def _tallies(report: Report, key: tuple, fname: str) -> list[Tally]:
    """Where a field of a fact counts: components apart; totals per field, per index and overall."""
    if key[4] != "total":
        return [report.components]
    return [report.by_field[fname], report.overall, report.by_index.setdefault(key[2], Tally())]


def score_page(page: Path, expected: dict, report: Report) -> None:
    report.pages += 1
    is_text = page.suffix == ".txt"
    published = dt.date.fromisoformat(expected["published"]) if expected.get("published") else None
    if expected.get("layout") == "excerpt":
        # a twin of a real article (corpus/twins): read as the real set reads its excerpts, a first line that
        # reads as a headline the title
        from paretl import realset

        data = realset.wrap(page.read_text(encoding="utf-8"), expected.get("url") or "").encode("utf-8")
        result = extract_page(data, url=expected.get("url"), published=published, content_type="text/html",
                              charset="utf-8", source_province_code=expected.get("source_province_code"))
    else:
        result = extract_page(page.read_bytes(), url=expected.get("url"), published=published if is_text else None,
                              source_province_code=expected.get("source_province_code"),
                              content_type="text/plain" if is_text else None)
    name = page.name
    if not is_text and published:
        if result.published == published:
            report.dates.tp += 1
        else:
            report.dates.fn += 1
            report.misses.append(f"{name}: date {result.published} expected {published}")
    # a page labelled for its activity figures only (an "activity" key and no "facts" key, as the real set's
    # activity reports are) has its index facts left unscored
    activity_only = "activity" in expected and "facts" not in expected
    predicted = [] if activity_only else [f for f in result.facts if f["index"] != "activity"]
    exp_facts = expected.get("facts", [])
    exp_by_key = {_key(f): f for f in exp_facts}
    pred_by_key = {_key(f): f for f in predicted}
    for key, p in pred_by_key.items():
        e = exp_by_key.get(key)
        for fname in FIELDS:
            if p.get(fname) is None:
                continue
            ok = e is not None and _same(fname, p[fname], e.get(fname))
            for t in _tallies(report, key, fname):
                if ok:
                    t.tp += 1
                else:
                    t.fp += 1
            if not ok:
                report.misses.append(f"{name}: WRONG {fname}={p[fname]} for {key}"
                                     + (f" (expected {e.get(fname)})" if e else " (no such fact expected)")
                                     + f" | {p['evidence'][:160]}")
    for key, e in exp_by_key.items():
        p = pred_by_key.get(key)
        # as on the real set: a derived field, or any field of a fact marked ambiguous, is right when predicted
        # equal and never missed when absent (the twins of real articles use both)
        lenient = set(e.get("derived") or ()) | (set(FIELDS) if e.get("ambiguous") else set())
        for fname in FIELDS:
            if e.get(fname) is None or fname in lenient:
                continue
            if p is not None and _same(fname, p.get(fname), e[fname]):
                continue
            for t in _tallies(report, key, fname):
                t.fn += 1
            report.misses.append(f"{name}: MISSED {fname}={e[fname]} for {key}"
                                 + (f" (got {p.get(fname)})" if p is not None else ""))
    # Activity figures match on metric, year and value, and on level where the label gives one (labels written
    # before docs/facts.md fixed the default level leave it null).
    exp_acts = [a for a in expected.get("activity", []) or []]
    if "activity" in expected:  # (an empty list says the page states no activity figure: a trap)
        unmatched = [f for f in result.facts if f["index"] == "activity"]
        for a in exp_acts:
            m, lv, y, v = a.get("metric"), a.get("level"), int(a["index_year"]), float(a["value"])
            hit = next((g for g in unmatched if (g["metric"], int(g["index_year"]), float(g["value"])) == (m, y, v)
                        and (lv is None or g["level"] == lv)), None)
            if hit is None:
                if not a.get("ambiguous"):  # (a doubtful reading is never counted missed)
                    report.activity.fn += 1
                    report.misses.append(f"{name}: MISSED activity {m} {lv} {y} {v}")
                continue
            unmatched.remove(hit)
            report.activity.tp += 1
            # the period and the reporting body, where the label gives them (docs/facts.md)
            for fname, tally in (("period", report.activity_period), ("reporter", report.activity_reporter)):
                if a.get(fname) is None:
                    continue
                if hit.get(fname) == a[fname]:
                    tally.tp += 1
                else:
                    tally.fp += 1
                    report.misses.append(f"{name}: activity {m} {lv} {y} {v}: {fname} {hit.get(fname)} expected "
                                         f"{a[fname]}")
        report.activity.fp += len(unmatched)
        report.misses += [f"{name}: WRONG activity {f['metric']} {f['level']} {f['index_year']} {f['value']} "
                          f"period={f.get('period')} | {f['evidence'][:120]}" for f in unmatched]


def format_report(r: Report, show_misses: bool = True) -> str:
    lines = [f"pages: {r.pages}", "", f"{'':14}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]

    def row(label: str, t: Tally) -> str:
        return f"{label:14}{t.precision:10.3f}{t.recall:10.3f}{t.f1:8.3f}{t.tp:6}{t.fp:6}{t.fn:6}"

    lines += [row(f, t) for f, t in r.by_field.items()]
    lines.append(row("ALL FIELDS", r.overall))
    lines.append("")
    lines += [row(i, t) for i, t in sorted(r.by_index.items())]
    lines.append("")
    lines.append(row("components", r.components))
    lines.append(row("activity", r.activity))
    lines.append(row("  period ok", r.activity_period).replace(f"{r.activity_period.recall:10.3f}", " " * 10))
    lines.append(row("  reporter ok", r.activity_reporter).replace(f"{r.activity_reporter.recall:10.3f}", " " * 10))
    lines.append(row("pub. date", r.dates))
    if show_misses and r.misses:
        lines += ["", f"misses ({len(r.misses)}):"] + [f"  {m}" for m in r.misses]
    return "\n".join(lines)


# ---- the development set of real articles (corpus/real, text in its git-ignored cache) ----

INDEX_NAMES = ("PAR_INDEX", "SIPAS", "PAPI", "PCI", "PGI")


@dataclass
class RealReport(Report):
    missing_text: list[str] = field(default_factory=list)
    by_attribution: dict[str, Tally] = field(default_factory=dict)
    unlabelled_components: int = 0


def _real_key(f: dict, unit: str | None) -> tuple:
    return (f.get("unit_kind") or "province", unit, f["index"], int(f["index_year"]))


def _predicted_unit(f: dict) -> str | None:
    return f.get("unit_code") if f.get("unit_kind") == "province" else f.get("unit_name")


def evaluate_real(folder: Path, *, with_province: bool = True, batch: str | None = None, split: str | None = None,
                  lang: str | None = "vi") -> RealReport:
    """Score the extractor on the real articles whose text is cached. Derived fields and ambiguous facts count
    right when predicted equal and are never counted missed; blind pages are scored but their misses not shown."""
    from paretl import realset

    rs = realset.load(folder)
    report = RealReport()
    for page in rs.pages:
        if (batch and page.batch not in batch.split(",")) or (split and page.split != split) or \
                (lang and lang != "all" and page.lang != lang):
            continue
        text = rs.text(page)
        if text is None:
            report.missing_text.append(page.page)
            continue
        if page.kind == "index" or page.facts:
            _score_real_page(page, text, report, with_province)
        else:
            _score_real_activity(page, text, report, with_province)
    return report


def _extract_real(page, text: str, with_province: bool):
    from paretl import realset

    return extract_page(realset.wrap(text, page.url).encode("utf-8"), url=page.url, content_type="text/html",
                        charset="utf-8", source_province_code=page.site_province if with_province else None)


def _score_real_page(page, text: str, report: RealReport, with_province: bool) -> None:
    from paretl import realset

    report.pages += 1
    result = _extract_real(page, text, with_province)
    show = page.split != "blind"
    name = page.page
    expected = {}
    for f in page.facts:
        if f.get("index") in INDEX_NAMES:
            expected[_real_key(f, realset.resolve_unit(f))] = f
    predicted = {}
    for f in result.facts:
        if f["index"] not in INDEX_NAMES:
            continue
        if (f.get("metric") or "total") != "total":
            report.unlabelled_components += 1
            continue
        predicted[_real_key(f, _predicted_unit(f))] = f
    for key, p in predicted.items():
        e = expected.get(key)
        for fname in FIELDS:
            if p.get(fname) is None:
                continue
            ok = e is not None and _same(fname, p[fname], e.get(fname))
            for t in _tallies(report, key + ("total",), fname) + [
                    report.by_attribution.setdefault(p.get("attribution") or "-", Tally())]:
                if ok:
                    t.tp += 1
                else:
                    t.fp += 1
            if not ok and show:
                report.misses.append(f"{name}: WRONG {fname}={p[fname]} for {key}"
                                     + (f" (expected {e.get(fname)})" if e else " (no such fact expected)")
                                     + f" [{p.get('attribution') or '-'}] | {p['evidence'][:200]}")
    for key, e in expected.items():
        p = predicted.get(key) or {}
        lenient = set(e.get("derived") or ()) | (set(FIELDS) if e.get("ambiguous") else set())
        for fname in FIELDS:
            if e.get(fname) is None or fname in lenient or _same(fname, p.get(fname), e[fname]):
                continue
            for t in _tallies(report, key + ("total",), fname):
                t.fn += 1
            if show:
                report.misses.append(f"{name}: MISSED {fname}={e[fname]} for {key}"
                                     + (f" (got {p.get(fname)})" if p else ""))


def _score_real_activity(page, text: str, report: RealReport, with_province: bool) -> None:
    """Activity facts match on (unit, index year, metric, level, value); period and reporter are scored apart."""
    from paretl import realset

    report.pages += 1
    result = _extract_real(page, text, with_province)
    show = page.split != "blind"
    exp = []
    for a in page.activity:
        code = realset.resolve_unit({**a, "unit_kind": "province"})
        exp.append(((code, int(a["index_year"]), a["metric"], a.get("level") or "province", float(a["value"])), a))
    got = [((f["unit_code"], int(f["index_year"]), f["metric"], f["level"], float(f["value"])), f)
           for f in result.facts if f["index"] == "activity"]
    unmatched = list(got)
    for key, a in exp:
        hit = next((g for g in unmatched if g[0] == key), None)
        if hit is None:
            if not a.get("ambiguous"):
                report.activity.fn += 1
                if show:
                    report.misses.append(f"{page.page}: MISSED activity {key} period={a.get('period')}")
            continue
        unmatched.remove(hit)
        report.activity.tp += 1
        for fname, tally in (("period", report.dates), ("reporter", report.components)):
            if hit[1].get(fname) == a.get(fname):
                tally.tp += 1
            else:
                tally.fp += 1
                if show:
                    report.misses.append(f"{page.page}: activity {key}: {fname} {hit[1].get(fname)} expected "
                                         f"{a.get(fname)}")
    ambiguous = {k for k, a in exp if a.get("ambiguous")}
    for key, f in unmatched:
        if key in ambiguous:
            continue
        report.activity.fp += 1
        if show:
            report.misses.append(f"{page.page}: WRONG activity {key} period={f.get('period')} | {f['evidence'][:160]}")


def format_real_report(r: RealReport, show_misses: bool = True) -> str:
    head = format_report(Report(r.pages, r.by_field, r.by_index, r.overall, Tally(), Tally(), Tally()), False)
    lines = [head.rsplit("\n", 3)[0], ""]

    def row(label: str, t: Tally) -> str:
        return f"{label:14}{t.precision:10.3f}{t.recall:10.3f}{t.f1:8.3f}{t.tp:6}{t.fp:6}{t.fn:6}"

    lines.append(row("activity", r.activity))
    lines.append(row("  period ok", r.dates).replace(f"{r.dates.recall:10.3f}", " " * 10))
    lines.append(row("  reporter ok", r.components).replace(f"{r.components.recall:10.3f}", " " * 10))
    if r.by_attribution:
        lines += ["", "precision by attribution:"]
        lines += [f"  {k:12}{t.precision:10.3f}{t.tp:6}{t.fp:6}" for k, t in sorted(r.by_attribution.items())]
    if r.unlabelled_components:
        lines.append(f"component facts predicted (not labelled in this set): {r.unlabelled_components}")
    if r.missing_text:
        lines.append(f"NOT SCORED: {len(r.missing_text)} pages have no cached text (corpus/real/README.md says how "
                     f"to rebuild the cache): {' '.join(r.missing_text[:20])}{' …' if len(r.missing_text) > 20 else ''}")
    if show_misses and r.misses:
        lines += ["", f"misses ({len(r.misses)}):"] + [f"  {m}" for m in r.misses]
    return "\n".join(lines)
