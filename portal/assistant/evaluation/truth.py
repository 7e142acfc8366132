"""True counts for an evaluation world, from the import files alone: the sample's and the world's.

A count's truth never comes from the portal's listing query (that is what it checks). Each row is
read as `portal import` reads it (the kind's input model normalises provinces and pollutants) and
reduced to what a counting question can name: province, city, county, park, river, enterprise,
pollutant, year (China time), outcome and status. Inspections and disclosures are placed where
their enterprise is, as the listings place them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from portal.assistant.evaluation.world import World
from portal.ingest.cells import CsvCells
from portal.ingest.readers import open_rows
from portal.layout import DATA_DIR
from portal.records import KINDS, kind_of_id

CHINA = timezone(timedelta(hours=8))
COUNTED = ("enterprises", "incidents", "inspections", "disclosures")
NAMED = ("city", "county", "park", "river")  # compared case-folded, in either language


@dataclass(frozen=True)
class Countable:
    """One record as far as counting questions go."""

    kind: str
    id: str
    where: dict[str, frozenset[str]]  # constraint -> the values the record has

    def matches(self, constraints: dict[str, str]) -> bool:
        """True when the record meets every constraint."""
        for name, wanted in constraints.items():
            value = wanted.casefold() if name in NAMED else wanted
            if value not in self.where.get(name, frozenset()):
                return False
        return True


def _names(item: Any, field: str) -> frozenset[str]:
    found = (getattr(item, f"{field}_zh", None), getattr(item, f"{field}_en", None))
    return frozenset(n.casefold() for n in found if n)


def _year(value: date | datetime | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, datetime):
        value = value.astimezone(CHINA)
    return frozenset({str(value.year)})


def _place(item: Any) -> dict[str, frozenset[str]]:
    return {
        "province": frozenset({item.province}),
        "city": _names(item, "city"),
        "county": _names(item, "county"),
        "park": _names(item, "park"),
    }


def countables(rows: Iterable[dict[str, Any]]) -> list[Countable]:
    """The rows of import files (departments and enterprises before what names them)."""
    out: list[Countable] = []
    places: dict[str, dict[str, frozenset[str]]] = {}
    for row in rows:
        kind = kind_of_id(row["id"]).name
        if kind not in COUNTED:
            continue
        item: Any = KINDS[kind].create.model_validate(row)
        where: dict[str, frozenset[str]]
        if kind == "enterprises":
            where = places[item.id] = _place(item)
        elif kind == "incidents":
            where = {
                **_place(item),
                "river": _names(item, "river"),
                "enterprise": frozenset(r.enterprise_id for r in item.responsible),
                "pollutant": frozenset(item.pollutants),
                "year": _year(item.began_at),
                "status": frozenset({item.status.value}),
            }
        else:
            codes = (
                item.pollutants if kind == "inspections" else [f.pollutant for f in item.figures]
            )
            day = item.inspected_on if kind == "inspections" else item.published_at
            where = {
                **places[item.enterprise_id],
                "enterprise": frozenset({item.enterprise_id}),
                "pollutant": frozenset(codes),
                "year": _year(day),
            }
            if kind == "inspections":
                where["outcome"] = frozenset({item.outcome.value})
        out.append(Countable(kind, item.id, where))
    return out


def _sample_rows() -> Iterator[dict[str, Any]]:
    # The sample's files are named by kind, in load order: 02-enterprises.csv.
    for path in sorted((DATA_DIR / "sample").glob("[0-9][0-9]-*.*")):
        name = path.stem.split("-", 1)[1]
        if name not in COUNTED:
            continue
        convert = CsvCells(KINDS[name]).convert if path.suffix == ".csv" else None
        for row in open_rows(path, convert=convert):
            yield row.data


@lru_cache(maxsize=1)
def sample_countables() -> tuple[Countable, ...]:
    """The sample data's records, read from data/sample/ (once per process)."""
    return tuple(countables(_sample_rows()))


class Truth:
    """Counts over the sample's records and one world's."""

    def __init__(self, world: World) -> None:
        self.records = [*sample_countables(), *countables(world.records())]

    def count(self, kind: str, constraints: dict[str, str]) -> int:
        """How many records of a kind meet every constraint."""
        return sum(1 for r in self.records if r.kind == kind and r.matches(constraints))

    def dropped(self, kind: str, constraints: dict[str, str]) -> dict[str, int]:
        """The count with each constraint left out: the wrong totals a dropped name gives."""
        return {
            name: self.count(kind, {k: v for k, v in constraints.items() if k != name})
            for name in constraints
        }
