"""The registry of record kinds: tables, input and public models, nested parts and sort column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import SQLModel

from portal.models.common import Input, RecordPublic
from portal.models.department import (
    Department,
    DepartmentCorrection,
    DepartmentCreate,
    DepartmentPublic,
)
from portal.models.disclosure import (
    Disclosure,
    DisclosureCorrection,
    DisclosureCreate,
    DisclosureFigure,
    DisclosurePublic,
)
from portal.models.enterprise import (
    Enterprise,
    EnterpriseCorrection,
    EnterpriseCreate,
    EnterprisePublic,
)
from portal.models.incident import (
    Incident,
    IncidentCorrection,
    IncidentCreate,
    IncidentEnterprise,
    IncidentPublic,
    IncidentReading,
    IncidentUpdate,
)
from portal.models.inspection import (
    Inspection,
    InspectionCorrection,
    InspectionCreate,
    InspectionPublic,
)
from portal.models.penalty import Penalty
from portal.models.response import Response, ResponseCorrection, ResponseCreate, ResponsePublic


@dataclass(frozen=True)
class Part:
    """A list of nested items stored in a child table that points at its record."""

    name: str
    table: type[SQLModel]
    fk: str
    # Columns that name the record itself when an item leaves them out (an enterprise's own
    # penalties name the enterprise fined).
    own: tuple[str, ...] = ()

    def order(self) -> list[Any]:
        """The columns that give the items in one order on every database: their key. A
        citation names an item by its place (`responsible.1`), and PostgreSQL returns rows of
        equal sort keys in any order."""
        return list(self.table.__table__.primary_key.columns)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Kind:
    """Everything the records layer needs to know about one kind of record."""

    name: str  # plural, as in URLs: "incidents"
    prefix: str  # id prefix: "INC"
    table: Any  # the SQLModel table class
    create: type[Input]
    correction: type[Input]
    public: type[RecordPublic]
    date_field: str  # the field listings sort and filter by date on
    title_fields: tuple[str, str]  # (zh, en)
    text_fields: tuple[str, ...]  # searched by the listing's plain text filter
    parts: tuple[Part, ...] = ()
    pollutant_parts: tuple[str, ...] = ()  # parts whose items carry a pollutant
    has_pollutants: bool = False  # a `pollutants` list field stored in record_pollutant
    filters: frozenset[str] = field(default_factory=frozenset)
    # Where `date_field` may be empty (an incident's unknown start), the fields that date the
    # record instead, in order: it sorts and filters by the first one it has.
    date_fallbacks: tuple[str, ...] = ()

    def date_key(self, table: Any = None) -> Any:
        """The SQL expression listings sort and filter on: the date field, or the first of its
        fallbacks that is set (of `table`, an alias, when given)."""
        table = self.table if table is None else table
        names = (self.date_field, *self.date_fallbacks)
        if len(names) == 1:
            return getattr(table, self.date_field)
        return func.coalesce(*(getattr(table, n) for n in names))

    def date_of(self, row: Any) -> Any:
        """The value `date_key` gives for one row (or mapping): the date a listing places it at."""
        get = row.get if isinstance(row, dict) else lambda n: getattr(row, n)
        for name in (self.date_field, *self.date_fallbacks):
            value = get(name)
            if value is not None:
                return value
        raise ValueError(f"{getattr(row, 'id', row)} has no {self.date_field} and no fallback")

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's column names."""
        return tuple(self.table.__table__.columns.keys())


_COMMON = frozenset({"text", "from", "to", "updated_since", "sample"})

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "departments",
            "DEP",
            Department,
            DepartmentCreate,
            DepartmentCorrection,
            DepartmentPublic,
            "published_at",
            ("name_zh", "name_en"),
            ("name_zh", "name_en", "formerly_zh", "formerly_en"),
            filters=_COMMON | {"department", "province"},
        ),
        Kind(
            "enterprises",
            "ENT",
            Enterprise,
            EnterpriseCreate,
            EnterpriseCorrection,
            EnterprisePublic,
            "published_at",
            ("name_zh", "name_en"),
            ("name_zh", "name_en", "city_zh", "city_en", "park_zh", "park_en"),
            parts=(Part("penalties", Penalty, "record_id", own=("enterprise_id",)),),
            filters=_COMMON
            | {"province", "city", "county", "park", "sector", "status", "department"},
        ),
        Kind(
            "incidents",
            "INC",
            Incident,
            IncidentCreate,
            IncidentCorrection,
            IncidentPublic,
            "began_at",
            ("title_zh", "title_en"),
            ("title_zh", "title_en", "river_zh", "river_en", "place_zh", "place_en"),
            parts=(
                Part("readings", IncidentReading, "incident_id"),
                Part("responsible", IncidentEnterprise, "incident_id"),
                Part("updates", IncidentUpdate, "incident_id"),
                Part("penalties", Penalty, "record_id"),
            ),
            pollutant_parts=("readings",),
            has_pollutants=True,
            filters=_COMMON
            | {"department", "enterprise", "province", "city", "pollutant", "sector", "status"}
            | {"county", "park", "river", "enterprise_name"},
            date_fallbacks=("found_at", "published_at"),
        ),
        Kind(
            "inspections",
            "INS",
            Inspection,
            InspectionCreate,
            InspectionCorrection,
            InspectionPublic,
            "inspected_on",
            ("findings_zh", "findings_en"),
            ("findings_zh", "findings_en"),
            has_pollutants=True,
            filters=_COMMON
            | {"department", "enterprise", "province", "city", "pollutant", "sector", "outcome"}
            | {"county", "park", "enterprise_name"},
        ),
        Kind(
            "disclosures",
            "DIS",
            Disclosure,
            DisclosureCreate,
            DisclosureCorrection,
            DisclosurePublic,
            "published_at",
            ("title_zh", "title_en"),
            ("title_zh", "title_en"),
            parts=(Part("figures", DisclosureFigure, "disclosure_id"),),
            pollutant_parts=("figures",),
            filters=_COMMON
            | {"enterprise", "province", "city", "pollutant", "sector", "category"}
            | {"county", "park", "enterprise_name"},
        ),
        Kind(
            "responses",
            "RSP",
            Response,
            ResponseCreate,
            ResponseCorrection,
            ResponsePublic,
            "published_at",
            ("text_zh", "text_en"),
            ("text_zh", "text_en"),
            filters=_COMMON | {"enterprise", "subject"},
        ),
    )
}

BY_PREFIX: dict[str, Kind] = {k.prefix: k for k in KINDS.values()}

# The kinds a reader browses as listings (responses are shown beside what they answer).
PUBLIC_KINDS = ("enterprises", "incidents", "inspections", "disclosures", "departments")
# The kinds the API lists, downloads and the data package describes: responses too.
LISTED_KINDS = (*PUBLIC_KINDS, "responses")


class UnknownKind(LookupError):
    """No record kind has that name or id prefix."""


def kind_named(name: str) -> Kind:
    """The kind with this plural name, or UnknownKind."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(
            f"There is no record kind {name!r}; the kinds are {', '.join(KINDS)}."
        ) from None


def kind_of_id(record_id: str) -> Kind:
    """The kind a record id belongs to, by its prefix, or UnknownKind."""
    try:
        return BY_PREFIX[record_id.split("-", 1)[0]]
    except KeyError:
        raise UnknownKind(
            f"The id {record_id!r} does not start with a known prefix ({', '.join(BY_PREFIX)})."
        ) from None
