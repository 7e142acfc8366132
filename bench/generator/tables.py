"""The generator's word tables, read once from the TOML files in data/ into named, typed values.

Each file says in its own comments what its fields mean; README.md beside this module lists the
files. Nothing here draws a random number: the tables are the same for every seed, and their order
is the files' order (the draws index into them, so reordering a list changes every seed's set).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).resolve().parent / "data"


class Pair(NamedTuple):
    """One thing said in Chinese and in English."""

    zh: str
    en: str


class City(NamedTuple):
    """A real city (or prefecture) and rough coordinates of its centre."""

    zh: str
    en: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Province:
    """A province where the industry sits: how often enterprises land there, cities, rivers."""

    code: str  # GB/T 2260 code, as records carry it
    weight: int
    cities: tuple[City, ...]
    rivers: tuple[Pair, ...]


@dataclass(frozen=True, slots=True)
class Department:
    """One of the fixed departments; an empty text is a field the row leaves out."""

    id: str
    name_zh: str
    name_en: str
    function: str
    level: str
    parent_id: str = ""
    province: str = ""
    city_zh: str = ""
    city_en: str = ""
    formerly_zh: str = ""
    formerly_en: str = ""
    description_zh: str = ""
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class Sector:
    """An industry sector: its share of enterprises, the word in their names, what they make
    from what, and the pollutants that concern it (codes of data/pollutants.csv)."""

    code: str
    weight: int
    word: Pair
    products: tuple[Pair, ...]
    materials: tuple[Pair, ...]
    pollutants: tuple[str, ...]


class Labelled(NamedTuple):
    """A vocabulary code, how often it is drawn, and how a sentence names it."""

    code: str
    weight: int
    zh: str
    en: str


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)


def _pairs(items: list[list[str]]) -> tuple[Pair, ...]:
    return tuple(Pair(zh, en) for zh, en in items)


def _labelled(items: list[dict[str, Any]]) -> tuple[Labelled, ...]:
    return tuple(Labelled(i["code"], i["weight"], i["zh"], i["en"]) for i in items)


_departments = _read("departments.toml")
DEPARTMENTS = tuple(Department(**d) for d in _departments["department"])
DEPARTMENT_SUFFIX = Pair(*_departments["suffix"])

_places = _read("places.toml")
TOWNS = _pairs(_places["towns"])
PROVINCES = tuple(
    Province(
        p["code"],
        p["weight"],
        tuple(City(c["zh"], c["en"], c["lat"], c["lon"]) for c in p["cities"]),
        _pairs(p["rivers"]),
    )
    for p in _places["province"]
)

_enterprises = _read("enterprises.toml")
ROOTS = _pairs(_enterprises["roots"])
FORMS = _pairs(_enterprises["forms"])
STATUSES = tuple((status, weight) for status, weight in _enterprises["statuses"])
SECTORS = tuple(
    Sector(
        s["code"],
        s["weight"],
        Pair(*s["word"]),
        _pairs(s["products"]),
        _pairs(s["materials"]),
        tuple(s["pollutants"]),
    )
    for s in _enterprises["sector"]
)

# Slot words; `material` and `product` are every sector's, in sector order.
WORDS: dict[str, tuple[Pair, ...]] = {
    name: _pairs(items) for name, items in _read("words.toml")["slots"].items()
}
WORDS["material"] = tuple(m for s in SECTORS for m in s.materials)
WORDS["product"] = tuple(p for s in SECTORS for p in s.products)

_inspections = _read("inspections.toml")
FINDINGS_BAD = _pairs(_inspections["findings_bad"])
FINDINGS_GOOD = _pairs(_inspections["findings_good"])
FINDINGS_POLLUTANT_BAD = _pairs(_inspections["findings_pollutant_bad"])
FINDINGS_POLLUTANT_GOOD = _pairs(_inspections["findings_pollutant_good"])
FINDINGS_IMPORT = _pairs(_inspections["findings_import"])
MEASURES = _pairs(_inspections["measures"])
FOLLOW_UP = _pairs(_inspections["follow_up"])
SANCTIONS: tuple[str, ...] = tuple(_inspections["sanctions"])
INSPECTION_KINDS = _labelled(_inspections["kind"])

_disclosures = _read("disclosures.toml")
DISCLOSURE_GENERIC = _pairs(_disclosures["generic"])
DISCLOSURE_POLLUTANT = _pairs(_disclosures["pollutant"])
FIGURE_NOTES = _pairs(_disclosures["figure_notes"])
DISCLOSURE_BY_CATEGORY = {
    category: _pairs(items) for category, items in _disclosures["by_category"].items()
}
CATEGORIES = _labelled(_disclosures["category"])

_incidents = _read("incidents.toml")
INCIDENT_GENERAL = _pairs(_incidents["general"])
INCIDENT_POLLUTANT = _pairs(_incidents["pollutant"])
RESPONSIBLE_ROLES = _pairs(_incidents["roles"])
UPDATES_BY_PHASE = tuple(_pairs(phase) for phase in _incidents["updates"])
