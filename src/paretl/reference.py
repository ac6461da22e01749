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
