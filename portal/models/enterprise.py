"""Enterprises: the mines, smelters and recyclers that the portal watches."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer, field_validator, model_validator
from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Name,
    PublishedFields,
    RecordColumns,
    RecordId,
    RecordPublic,
    Short,
    Source,
    enum_column,
)
from portal.models.credit_code import validate_credit_code
from portal.models.department import Province
from portal.models.numbers import Real, Whole
from portal.models.partial import correction_model
from portal.models.penalty import PenaltyIn, check_penalties


class Sector(StrEnum):
    """Where in the metal chain an enterprise works."""

    mining = "mining"
    primary_smelting = "primary_smelting"
    secondary_copper = "secondary_copper"
    secondary_aluminium = "secondary_aluminium"
    secondary_lead = "secondary_lead"
    secondary_zinc = "secondary_zinc"
    dismantling_recycling = "dismantling_recycling"
    import_processing = "import_processing"


class EnterpriseStatus(StrEnum):
    """Whether an enterprise is working, and if not, why."""

    operating = "operating"
    rectifying = "rectifying"
    suspended = "suspended"
    closed = "closed"


class DesignationKind(StrEnum):
    """Why a department says an enterprise must disclose (MEE Order No. 24)."""

    key_discharger = "key_discharger"
    cleaner_production_audit = "cleaner_production_audit"


class Designation(BaseModel):
    """A department's designation of an enterprise, for the years it applies, with its source.

    A key pollutant-discharging unit, or an enterprise under mandatory cleaner-production audit,
    must publish the annual disclosure report for each of these years (docs/obligations.md)."""

    model_config = ConfigDict(extra="forbid")

    kind: DesignationKind
    from_year: Whole = Field(ge=2000, le=2100, description="The first year it applies.")
    to_year: Whole | None = Field(
        default=None, ge=2000, le=2100, description="The last year it applies; null: until changed."
    )
    department_id: RecordId = Field(description="The department that made the designation.")
    source: Source = Field(description="Where the department published it.")

    @model_validator(mode="after")
    def _years(self) -> Designation:
        if not self.department_id.startswith("DEP-"):
            raise ValueError(
                "a designation is made by a department: department_id starts with DEP-"
            )
        if self.to_year is not None and self.to_year < self.from_year:
            raise ValueError("to_year is before from_year")
        return self

    @field_serializer("source")
    def _source_as_json(self, source: Source) -> dict[str, Any]:
        # Stored in a JSON column: dates as text, whatever the dump mode.
        return source.model_dump(mode="json")

    def applies_in(self, year: int) -> bool:
        """True when the designation covers this year."""
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)


class EnterpriseBase(SQLModel):
    """An enterprise's identity, place and permit."""

    name_zh: Name = Field(sa_type=String(200), index=True)
    name_en: Name | None = Field(default=None, sa_type=String(200))
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    sector: Sector = Field(sa_type=enum_column())  # indexed with the date (models/__init__.py)
    province: Province = Field(max_length=2)  # likewise
    city_zh: Name | None = Field(default=None, sa_type=String(200))
    city_en: Name | None = Field(default=None, sa_type=String(200))
    county_zh: Name | None = Field(default=None, sa_type=String(200))
    county_en: Name | None = Field(default=None, sa_type=String(200))
    park_zh: Name | None = Field(default=None, sa_type=String(200))
    park_en: Name | None = Field(default=None, sa_type=String(200))
    latitude: Real | None = Field(default=None, ge=-90, le=90)
    longitude: Real | None = Field(default=None, ge=-180, le=180)
    permit_number: Short | None = Field(default=None, sa_type=String(100))
    status: EnterpriseStatus = Field(default=EnterpriseStatus.operating, sa_type=enum_column())
    description_zh: Body | None = Field(default=None, sa_type=String(20000))
    description_en: Body | None = Field(default=None, sa_type=String(20000))
    listed_company: bool = Field(
        default=False, description="Its shares are listed on a stock exchange."
    )
    bond_issuer: bool = Field(default=False, description="It has issued bonds.")
    designations: list[Designation] = Field(
        default_factory=list,
        sa_type=JSON,
        max_length=50,
        description="Departments' designations that oblige it to disclose, by year.",
    )

    @field_validator("credit_code", mode="before")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):  # a list or a number from a client: refused, not a 500
            raise ValueError("a unified social credit code is text of 18 characters")
        return validate_credit_code(value)


class EnterpriseParts(SQLModel):
    """The nested part an enterprise is published with."""

    penalties: list[PenaltyIn] = Field(
        default_factory=list,
        max_length=200,
        description="Penalties no published incident or inspection carries (a customs penalty, "
        "a court's fine): the enterprise's own, so enterprise_id is left out.",
    )


class EnterpriseCreate(EnterpriseBase, EnterpriseParts, PublishedFields):
    """An enterprise as a department registers it."""

    @model_validator(mode="after")
    def _own_penalties(self) -> EnterpriseCreate:
        check_penalties(self.penalties, self.id, "enterprises")
        return self


EnterpriseCorrection = correction_model(
    EnterpriseBase, "EnterpriseCorrection", penalties=(list[PenaltyIn] | None, None)
)


class Enterprise(EnterpriseBase, RecordColumns, table=True):
    """The enterprise table."""


class EnterprisePublic(EnterpriseBase, RecordPublic):
    """An enterprise as the public sees it."""

    penalties: list[PenaltyIn] = []
