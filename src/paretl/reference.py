"""The project's reference data: provinces of both eras with their 2025 lineage, and the ministries.

Copied into the package from the team's shared reference so that a user's machine has it.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

MERGER_DATE = "2025-07-01"
LAST_63_YEAR = 2024  # index years up to this one rank the 63 units; later years rank the 34


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    era: int  # 63 or 34
    variants: tuple[str, ...]
    region: str | None
    division_type: str
    successor_code: str | None  # 63-era: the 34-era unit it became
    ambiguity_note: str


@dataclass(frozen=True)
class Ministry:
    name: str
    variants: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("paretl").joinpath("reference", name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def provinces_63() -> tuple[Province, ...]:
    out = []
    for r in _rows("provinces_63.csv"):
        out.append(Province(
            code=r["code"], name=r["name"], era=63,
            variants=tuple(v for v in r["variants"].split("|") if v),
            region=r["region"] or None, division_type=r["division_type"],
            successor_code=r["merged_into_2025"] or None, ambiguity_note=r["ambiguity_note"],
        ))
    return tuple(out)


@functools.cache
def provinces_34() -> tuple[Province, ...]:
    out = []
    for r in _rows("provinces_34.csv"):
        full = r["name"]
        out.append(Province(
            code=r["code"], name=r["short_name"], era=34, variants=(full, full[0].lower() + full[1:]),
            region=None, division_type=r["division_type"], successor_code=None, ambiguity_note="",
        ))
    return tuple(out)


@functools.cache
def lineage() -> tuple[tuple[str, str], ...]:
    """(old 63-era code, new 34-era code) for every 63-era unit."""
    return tuple((p.code, p.successor_code) for p in provinces_63() if p.successor_code)


@functools.cache
def ministries() -> tuple[Ministry, ...]:
    return tuple(Ministry(r["name"], tuple(v for v in r["variants"].split("|") if v)) for r in _rows("ministries.csv"))


def era_for_year(index_year: int | None) -> int:
    return 34 if index_year is not None and index_year > LAST_63_YEAR else 63


@functools.cache
def province_by_code(era: int) -> dict[str, Province]:
    return {p.code: p for p in (provinces_63() if era == 63 else provinces_34())}


def units_ranked(unit_kind: str, index_year: int) -> int | None:
    """How many units an index ranks in a year: what "xếp cuối" (last) means as a number."""
    if unit_kind == "province":
        return 63 if index_year <= LAST_63_YEAR else 34
    return None


@functools.cache
def sources() -> tuple[dict[str, str], ...]:
    """The news sources the team knows per province (portal, Party newspaper, Home Affairs site), with domains."""
    return tuple(_rows("sources.csv"))


# ---- what the warehouse needs beyond the extractor: index calendars, maps, lineage, published results ----

def _int(s: str) -> int | None:
    return int(s) if s.strip() else None


def _float(s: str) -> float | None:
    return float(s) if s.strip() else None


@functools.cache
def indices() -> tuple[dict, ...]:
    """Which unit kinds each index ranks, from which index year (what marts.coverage expects)."""
    return tuple({"index": r["index"], "unit_kind": r["unit_kind"], "first_year": int(r["first_year"]),
                  "name_vi": r["name_vi"], "note": r["note"] or None} for r in _rows("indices.csv"))


@functools.cache
def province_maps() -> tuple[dict, ...]:
    """The provincial maps an index year is ranked on: 64 units until 2007, 63 for 2008-2024, 34 from 2025."""
    return tuple({"era": int(r["era"]), "first_index_year": _int(r["first_index_year"]),
                  "last_index_year": _int(r["last_index_year"]), "n_units": int(r["n_units"]),
                  "in_force_from": r["in_force_from"], "note": r["note"] or None} for r in _rows("province_maps.csv"))


@functools.cache
def lineage_rows() -> tuple[dict, ...]:
    """Every change of map: Hà Tây and Hà Nội into Hà Nội (2008), and each 63-era unit into its 34-era unit (2025)."""
    out = [{"old_code": r["old_code"], "old_name": r["old_name"], "old_era": int(r["old_era"]),
            "new_code": r["new_code"], "new_name": r["new_name"], "new_era": int(r["new_era"]),
            "effective_date": r["effective_date"], "note": r["note"] or None}
           for r in _rows("province_lineage_2008.csv")]
    by34 = province_by_code(34)
    out += [{"old_code": p.code, "old_name": p.name, "old_era": 63, "new_code": p.successor_code,
             "new_name": by34[p.successor_code].name, "new_era": 34, "effective_date": MERGER_DATE,
             "note": "Resolution 202/2025/QH15"}
            for p in provinces_63() if p.successor_code in by34]
    return tuple(out)


@functools.cache
def ministry_years() -> dict[str, dict]:
    """Per ministry: the index years it existed in (first, last or None) and what it merged into in 2025."""
    return {r["name"]: {"first_index_year": int(r["first_index_year"]), "last_index_year": _int(r["last_index_year"]),
                        "merged_into": r["merged_into"] or None, "merged_on": r["effective_date"] or None}
            for r in _rows("ministry_years.csv")}


def _province_code_by_name() -> dict[str, str]:
    out = {}
    for p in provinces_63():
        for n in (p.name, *p.variants):
            out.setdefault(n, p.code)
    return out


@functools.cache
def known_results() -> tuple[dict, ...]:
    """Published provincial results the project ships (par_index_known.csv, sipas_known.csv), one per index, year
    and unit: the value where its sources agree, and every value they give. Cross-checked, never loaded as facts."""
    codes = _province_code_by_name()
    merged: dict[tuple, dict] = {}

    def add(index, r, scores, ranks, urls, score_unit, conflict):
        code = codes.get(r["unit_name"])
        if code is None:
            raise ValueError(f"reference result names an unknown province: {r['unit_name']!r}")
        key = (index, int(r["index_year"]), code)
        row = merged.setdefault(key, {"index": index, "index_year": int(r["index_year"]), "unit_kind": "province",
                                      "unit_code": code, "unit_name": province_by_code(63)[code].name,
                                      "scores": set(), "ranks": set(), "rank_of": None, "score_unit": score_unit,
                                      "source_urls": [], "sources_disagree": False,
                                      "reference_file": f"{index.lower()}_known.csv"})
        row["scores"] |= set(scores)
        row["ranks"] |= set(ranks)
        row["rank_of"] = row["rank_of"] or _int(r.get("rank_of", ""))
        row["source_urls"] += [u for u in urls if u not in row["source_urls"]]
        row["sources_disagree"] |= conflict

    for r in _rows("par_index_known.csv"):
        scores = [float(x) for x in (r["all_scores"] or r["score"]).split(";") if x.strip()]
        ranks = [int(x) for x in (r["all_ranks"] or r["rank"]).split(";") if x.strip()]
        add("PAR_INDEX", r, scores, ranks, [u.strip() for u in r["source_urls"].split("|") if u.strip()], None,
            r["conflict"].strip() == "yes")
    for r in _rows("sipas_known.csv"):
        add("SIPAS", r, [float(r["score"])] if r["score"].strip() else [],
            [int(r["rank"])] if r["rank"].strip() else [], [r["source_url"].strip()] if r["source_url"].strip() else [],
            r["score_unit"] or None, False)
    out = []
    for row in merged.values():
        scores, ranks = sorted(row.pop("scores")), sorted(row.pop("ranks"))
        row["sources_disagree"] |= len(scores) > 1 or len(ranks) > 1
        out.append({**row, "score": scores[0] if len(scores) == 1 else None,
                    "rank": ranks[0] if len(ranks) == 1 else None, "all_scores": scores, "all_ranks": ranks})
    return tuple(sorted(out, key=lambda r: (r["index"], r["index_year"], r["unit_code"])))
