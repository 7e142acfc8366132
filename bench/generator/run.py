"""What every record kind shares in one run: the random source, the departments, the enterprise
table, place and date wording and the measurement of a pollutant."""

from __future__ import annotations

import json
import random
from array import array
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, NamedTuple, TypeVar

from bench.generator.tables import (
    CATEGORIES,
    DEPARTMENTS,
    FORMS,
    INSPECTION_KINDS,
    PROVINCES,
    ROOTS,
    SECTORS,
    STATUSES,
    TOWNS,
    WORDS,
    Pair,
)
from bench.generator.text import Filler, Sentence
from portal.models.vocab import limits, pollutants

T = TypeVar("T")
ENGLISH_SHARE = 0.8  # rows that carry their English fields
TZ = timezone(timedelta(hours=8))
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AIR = frozenset({"SO2", "NOx", "PM", "Dioxins"})
WATER_METALS = ("Cd", "Pb", "As", "Tl", "Sb", "Hg", "Cr6")


class Counts(NamedTuple):
    """Rows of each kind in a run, in load order."""

    departments: int
    enterprises: int
    incidents: int
    inspections: int
    disclosures: int


ENTERPRISE_SHARE = 0.10
INCIDENT_SHARE = 0.01
INSPECTION_SHARE = 0.45  # disclosures take the rest, about 44 %


def counts(records: int) -> Counts:
    """Rows per kind for a total of `records`."""
    if records < 2:
        raise ValueError("records must be at least 2: one department and one enterprise")
    departments = min(len(DEPARTMENTS), records - 1)
    rest = records - departments
    enterprises = max(1, int(rest * ENTERPRISE_SHARE + 0.5))
    incidents = min(int(rest * INCIDENT_SHARE + 0.5), rest - enterprises)
    inspections = min(int(rest * INSPECTION_SHARE + 0.5), rest - enterprises - incidents)
    disclosures = rest - enterprises - incidents - inspections
    return Counts(departments, enterprises, incidents, inspections, disclosures)


def weighted(items: Sequence[tuple[T, int]]) -> list[T]:
    """Expand (value, weight) pairs into a list to index uniformly."""
    return [value for value, weight in items for _ in range(weight)]


def zh_date(d: date) -> str:
    """A date as Chinese text."""
    return f"{d.year}年{d.month}月{d.day}日"


def en_date(d: date) -> str:
    """A date as English text."""
    return f"{d.day} {MONTHS[d.month]} {d.year}"


def site_kind(code: str) -> str:
    """Where a pollutant is measured at a plant: a stack for air pollutants, else an outlet."""
    return "stack" if code in AIR else "outlet"


def load_unit(code: str) -> Pair:
    """The unit a yearly load of the pollutant is counted in."""
    if code == "Dioxins":
        return Pair("毫克毒性当量", "mg TEQ")
    if code in ("SO2", "NOx", "PM", "COD", "NH3N"):
        return Pair("吨", "tonnes")
    return Pair("千克", "kg")


def _sig(x: float) -> float:
    """Round to three significant figures, as a lab report would."""
    return float(f"{x:.3g}")


class Enterprises:
    """What later rows need of each enterprise: a few bytes each; names are rebuilt on demand.

    Each byte array holds, per enterprise, an index into a table: `province` into PROVINCES,
    `city` into that province's cities, `sector` into SECTORS, `town` into TOWNS, `root` into
    ROOTS, `form` into FORMS.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.province = bytearray(count)
        self.city = bytearray(count)
        self.sector = bytearray(count)
        self.town = bytearray(count)
        self.root = bytearray(count)
        self.form = bytearray(count)
        self.by_province: list[array[int]] = [array("I") for _ in PROVINCES]

    def name(self, i: int) -> Pair:
        """The enterprise's name in Chinese and English."""
        town = TOWNS[self.town[i]]
        root = ROOTS[self.root[i]]
        word = SECTORS[self.sector[i]].word
        form = FORMS[self.form[i]]
        return Pair(
            f"{town.zh}{root.zh}{word.zh}{form.zh}",
            f"{town.en} {root.en} {word.en} {form.en}",
        )

    @staticmethod
    def id(i: int) -> str:
        """The record id of the enterprise at index `i`."""
        return f"ENT-G-{i + 1:07d}"


class Run:
    """One run: the random source, the departments written, the enterprise table and the
    pollutants' names and limits. Each record kind fills its own sentence pools from it
    (`filler`), in a fixed order, before any row is drawn."""

    def __init__(self, seed: int, counts: Counts) -> None:
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.counts = counts
        self.filler = Filler(self.rng)
        self.encode: Callable[[Any], str] = json.JSONEncoder(
            ensure_ascii=False, check_circular=False, separators=(",", ":")
        ).encode
        names = pollutants()
        self.pol: dict[str, Pair] = {c: Pair(p.name_zh, p.name_en) for c, p in names.items()}
        self.pol_cap = {c: p.name_en[0].upper() + p.name_en[1:] for c, p in names.items()}
        self.limit = {(x.standard, x.standard_class, x.pollutant): float(x.limit) for x in limits()}

        self.departments = DEPARTMENTS[: counts.departments]
        written = {d.id for d in self.departments}
        self.dep_short = {d.id: Pair(d.name_zh, d.name_en) for d in self.departments}
        self.provincial = {
            d.province: d.id
            for d in self.departments
            if d.level == "provincial" and d.function == "environment"
        }
        self.municipal = {
            d.city_zh: d.id
            for d in self.departments
            if d.level == "municipal" and d.function == "environment"
        }
        self.customs: list[str] = [d for d in ("DEP-G-44-HP-CUS", "DEP-G-GACC") if d in written]
        self.extra: list[str] = [
            d for d in ("DEP-G-MIIT", "DEP-G-SAMR", "DEP-G-43-AMR") if d in written
        ]
        self.government = {d.city_zh: d.id for d in self.departments if d.function == "government"}
        self.province_pick = weighted([(i, p.weight) for i, p in enumerate(PROVINCES)])
        self.sector_pick = weighted([(i, s.weight) for i, s in enumerate(SECTORS)])
        self.status_pick = weighted(STATUSES)
        self.kind_pick = weighted([(k, k.weight) for k in INSPECTION_KINDS])
        self.category_pick = weighted([(c, c.weight) for c in CATEGORIES])
        self.ents = Enterprises(counts.enterprises)

    def pick(self, items: Sequence[T]) -> T:
        """One item, uniformly."""
        return items[int(self.r() * len(items))]

    def plant(self, code: str) -> dict[str, Sequence[Pair]]:
        """Slot words for a pollutant measured at a plant: its name, site, units, levels."""
        if code == "Dioxins":
            cunit, scale = Pair("纳克毒性当量/立方米", "ng-TEQ/m³"), 0.1
        elif code in AIR:
            cunit, scale = Pair("毫克/立方米", "mg/m³"), 50.0
        else:
            cunit, scale = Pair("毫克/升", "mg/L"), 0.5
        levels = [format(scale * (0.2 + 4 * self.rng.random()), ".3g") for _ in range(20)]
        return {
            "pol": [self.pol[code]],
            "outlet": WORDS[site_kind(code)],
            "load": [load_unit(code)],
            "cunit": [cunit],
            "conc": [Pair(x, x) for x in levels],
        }

    def pollutant_pools(self, templates: Sequence[Pair], per: int) -> dict[str, list[Sentence]]:
        """A pool per pollutant, its name, site, units and levels filled in."""
        return {
            code: self.filler.pool(templates, per, self.plant(code), runs=True) for code in self.pol
        }

    def sector_pools(self, templates: Sequence[Pair], per: int) -> list[list[Sentence]]:
        """A pool per sector (in SECTORS order), with its own materials and products."""
        return [
            self.filler.pool(
                templates, per, {"material": s.materials, "product": s.products}, runs=True
            )
            for s in SECTORS
        ]

    def local_department(self, province: int, city: int) -> str:
        """The department that would publish about a place: its city's bureau, its province's,
        or the ministry."""
        r = self.r()
        p = PROVINCES[province]
        municipal = self.municipal.get(p.cities[city].zh)
        if municipal and r < 0.55:
            return municipal
        provincial = self.provincial.get(p.code)
        if provincial and r < 0.9:
            return provincial
        return "DEP-G-MEE"

    def measurement(
        self, code: str, site: Pair, when: datetime, river: bool, factor: float, en: bool
    ) -> dict[str, Any]:
        """A reading or figure of one pollutant at one site, judged against a standard on file."""
        r = self.r
        row: dict[str, Any] = {"site_zh": site.zh}
        if en:
            row["site_en"] = site.en
        row["measured_at"] = when.isoformat()
        row["pollutant"] = code
        standard = klass = None
        unit = "mg/L"
        if code in AIR:
            if code == "Dioxins":
                value, unit = 0.02 + 0.6 * factor * r(), "ng-TEQ/m³"
            else:
                value, unit = 5 + 250 * factor * r(), "mg/m³"
        elif river and ("GB 3838-2002", "III", code) in self.limit:
            standard, klass = "GB 3838-2002", "III"
            value = self.limit[(standard, klass, code)] * factor
        elif not river and ("GB 8978-1996", "", code) in self.limit:
            standard = "GB 8978-1996"
            value = self.limit[(standard, "", code)] * factor
        elif code in ("COD", "NH3N"):
            value = (15 + 80 * r() * factor) if code == "COD" else (0.3 + 8 * r() * factor)
        else:
            value = (0.002 if river else 0.05) * factor * (1 + 4 * r())
        if unit == "mg/L" and value < 0.01 and r() < 0.5:
            value, unit = value * 1000, "µg/L"
        row["value"] = _sig(value)
        row["unit"] = unit
        if standard:
            row["standard"] = standard
            if klass:
                row["standard_class"] = klass
        return row
