"""Controlled vocabularies read from data/: provinces, pollutants, units, the standards' limits."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from portal.layout import DATA_DIR


@dataclass(frozen=True)
class Province:
    """A provincial-level division with its GB/T 2260 two-digit code."""

    code: str
    short_zh: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Pollutant:
    """A pollutant the portal knows by code, with its names."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Limit:
    """One row of a standard: the limit of a pollutant, for a class where the standard has them."""

    standard: str
    standard_class: str
    pollutant: str
    limit: Decimal
    unit: str
    source: str


def _read(name: str) -> list[dict[str, str]]:
    with Path(DATA_DIR, name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Every province by code."""
    return {r["code"]: Province(**r) for r in _read("provinces.csv")}


@lru_cache(maxsize=1)
def pollutants() -> dict[str, Pollutant]:
    """Every known pollutant by code."""
    return {
        r["code"]: Pollutant(r["code"], r["name_zh"], r["name_en"]) for r in _read("pollutants.csv")
    }


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for p in provinces().values():
        for name in (p.code, p.code + "0000", p.short_zh, p.name_zh, p.name_en):
            names[name.casefold()] = p.code
    return names


@lru_cache(maxsize=1)
def _pollutant_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for r in _read("pollutants.csv"):
        for alias in [r["code"], r["name_zh"], r["name_en"], *r["aliases"].split(";")]:
            names[alias.strip().casefold()] = r["code"]
    return names


def _spellings(names: list[str]) -> list[str]:
    """Names once each (case aside), in the order given."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.strip().casefold(), name.strip())
    return list(seen.values())


@lru_cache(maxsize=1)
def province_spellings() -> tuple[str, ...]:
    """Every way of naming a province that province_code() reads (it also ignores case)."""
    return tuple(
        _spellings(
            [
                name
                for p in provinces().values()
                for name in (p.code, p.code + "0000", p.short_zh, p.name_zh, p.name_en)
            ]
        )
    )


@lru_cache(maxsize=1)
def pollutant_spellings() -> tuple[str, ...]:
    """Every code, name and alias that pollutant_code() reads (it also ignores case)."""
    names = []
    for r in _read("pollutants.csv"):
        names += [r["code"], r["name_zh"], r["name_en"], *r["aliases"].split(";")]
    return tuple(_spellings(names))


def province_code(text: str) -> str | None:
    """The province code for a code or a Chinese or English name, or None when unknown."""
    return _province_names().get(text.strip().casefold())


def pollutant_code(text: str) -> str | None:
    """The pollutant code for a code, symbol or Chinese or English name, or None when unknown."""
    return _pollutant_names().get(text.strip().casefold())


@lru_cache(maxsize=1)
def limits() -> tuple[Limit, ...]:
    """Every limit on file, as read from data/standards.csv."""
    rows = []
    for r in _read("standards.csv"):
        try:
            value = Decimal(r["limit"])
        except InvalidOperation:
            raise ValueError(f"data/standards.csv: limit {r['limit']!r} is not a number") from None
        rows.append(Limit(r["standard"], r["class"], r["pollutant"], value, r["unit"], r["source"]))
    return tuple(rows)


@dataclass(frozen=True)
class Unit:
    """A unit of the documented vocabulary (data/units.csv): `per_base` of it make one `base`."""

    code: str
    quantity: str
    per_base: Decimal
    base: str
    name_zh: str
    name_en: str


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """Every unit of the vocabulary by code, in the file's order."""
    out = {}
    for r in _read("units.csv"):
        try:
            factor = Decimal(r["per_base"])
        except InvalidOperation:
            raise ValueError(f"data/units.csv: {r['per_base']!r} is not a number") from None
        out[r["code"]] = Unit(
            r["code"], r["quantity"], factor, r["base"], r["name_zh"], r["name_en"]
        )
    return out


# casefold() turns the micro sign into the Greek mu, so both spellings are one key.
@lru_cache(maxsize=1)
def _unit_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for r in _read("units.csv"):
        for alias in [r["code"], *r["aliases"].split(";")]:
            names[alias.strip().casefold()] = r["code"]
    return names


@lru_cache(maxsize=1)
def unit_spellings() -> tuple[str, ...]:
    """Every code and alias that unit_code() reads (it also ignores case)."""
    names = []
    for r in _read("units.csv"):
        names += [r["code"], *r["aliases"].split(";")]
    return tuple(_spellings(names))


def unit_code(text: str) -> str | None:
    """The vocabulary's code for a unit as written (吨, tonnes, ug/L), or None when unknown."""
    return _unit_names().get(text.strip().casefold())


def convert(value: Decimal, unit: str, to: str) -> Decimal | None:
    """A value in another unit of the same quantity (万元 to CNY, kWh to MWh, µg/L to mg/L);
    None when either unit is unknown or they measure different things."""
    have, want = unit_code(unit), unit_code(to)
    if have is None or want is None:
        return value if unit.strip() == to.strip() else None
    have_unit, want_unit = units()[have], units()[want]
    if have_unit.base != want_unit.base:
        return None
    return value * have_unit.per_base / want_unit.per_base


@dataclass(frozen=True)
class Exceedance:
    """A measured value compared against one limit: factor = value / limit."""

    limit: Limit
    factor: Decimal

    @property
    def exceeds(self) -> bool:
        """True when the value is above the limit."""
        return self.factor > 1


def find_limit(pollutant: str, standard: str | None, standard_class: str | None) -> Limit | None:
    """The limit of a standard (and class) for a pollutant, or None when none is on file."""
    if not standard:
        return None
    wanted_class = (standard_class or "").strip().upper()
    for row in limits():
        same = row.pollutant == pollutant and row.standard == standard.strip()
        if same and row.standard_class.upper() == wanted_class:
            return row
    return None


def exceedance(
    pollutant: str, value: Decimal, unit: str, standard: str | None, standard_class: str | None
) -> Exceedance | None:
    """Compute value / limit in the limit's unit (µg/L read as mg/L, say); None means "no limit
    on file" or a unit that cannot be compared with the limit's."""
    row = find_limit(pollutant, standard, standard_class)
    if row is None:
        return None
    converted = convert(value, unit, row.unit)
    if converted is None:
        return None
    return Exceedance(row, (converted / row.limit).quantize(Decimal("0.01")))
