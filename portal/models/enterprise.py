"""Enterprises: the mines, smelters and recyclers that the portal watches."""

from __future__ import annotations

from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Name,
    PublishedFields,
    RecordColumns,
    RecordPublic,
    Short,
    enum_column,
)
from portal.models.credit_code import validate_credit_code
from portal.models.department import Province
from portal.models.partial import correction_model


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


class EnterpriseBase(SQLModel):
    """An enterprise's identity, place and permit."""

    name_zh: Name = Field(sa_type=String(200), index=True)
    name_en: Name | None = Field(default=None, sa_type=String(200))
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    sector: Sector = Field(sa_type=enum_column(), index=True)
    province: Province = Field(max_length=2, index=True)
    city_zh: Name | None = Field(default=None, sa_type=String(200))
    city_en: Name | None = Field(default=None, sa_type=String(200))
    county_zh: Name | None = Field(default=None, sa_type=String(200))
    county_en: Name | None = Field(default=None, sa_type=String(200))
    park_zh: Name | None = Field(default=None, sa_type=String(200))
    park_en: Name | None = Field(default=None, sa_type=String(200))
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    permit_number: Short | None = Field(default=None, sa_type=String(100))
    status: EnterpriseStatus = Field(default=EnterpriseStatus.operating, sa_type=enum_column())
    description_zh: Body | None = Field(default=None, sa_type=String(20000))
    description_en: Body | None = Field(default=None, sa_type=String(20000))

    @field_validator("credit_code", mode="before")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return validate_credit_code(value)


class EnterpriseCreate(EnterpriseBase, PublishedFields):
    """An enterprise as a department registers it."""


EnterpriseCorrection = correction_model(EnterpriseBase, "EnterpriseCorrection")


class Enterprise(EnterpriseBase, RecordColumns, table=True):
    """The enterprise table."""


class EnterprisePublic(EnterpriseBase, RecordPublic):
    """An enterprise as the public sees it."""
