"""Departments: the ministries, their local bureaus and the industry association that publish."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Name,
    PublishedFields,
    RecordColumns,
    RecordPublic,
    SchemaExtra,
    enum_column,
)
from portal.models.partial import correction_model
from portal.models.vocab import province_code, province_spellings


class DepartmentFunction(StrEnum):
    """Which piece of supervision a department holds."""

    environment = "environment"
    market_regulation = "market_regulation"
    customs = "customs"
    industry = "industry"
    financial_regulation = "financial_regulation"
    association = "association"
    government = "government"  # a people's government or the emergency headquarters it leads


class DepartmentLevel(StrEnum):
    """Where in the hierarchy a department sits."""

    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    county = "county"
    association = "association"


def check_province(value: str) -> str:
    """Normalise a province name or code to its GB/T 2260 code, or refuse it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("give a province: a name such as 广西 or Guangxi, or its code (45)")
    code = province_code(value)
    if code is None:
        raise PydanticCustomError(
            "unknown_province",
            "unknown province {shown}; use a name such as 广西 or Guangxi, or its code (45)",
            {"value": value, "shown": repr(value)},
        )
    return code


# Stored as the code; the document lists every name the validator reads (case aside).
Province = Annotated[
    str,
    BeforeValidator(check_province),
    SchemaExtra(enum=list(province_spellings()), maxLength=None),
]


class DepartmentBase(SQLModel):
    """A department's identity, level and (for local bureaus) the ministry above it."""

    name_zh: Name = Field(sa_type=String(200))
    name_en: Name | None = Field(default=None, sa_type=String(200))
    function: DepartmentFunction = Field(sa_type=enum_column(), index=True)
    level: DepartmentLevel = Field(sa_type=enum_column())
    parent_id: str | None = Field(default=None, max_length=40, index=True)
    province: Province | None = Field(default=None, max_length=2)
    city_zh: Name | None = Field(default=None, sa_type=String(200))
    city_en: Name | None = Field(default=None, sa_type=String(200))
    formerly_zh: Name | None = Field(default=None, sa_type=String(200))
    formerly_en: Name | None = Field(default=None, sa_type=String(200))
    description_zh: Body | None = Field(default=None, sa_type=String(20000))
    description_en: Body | None = Field(default=None, sa_type=String(20000))


class DepartmentCreate(DepartmentBase, PublishedFields):
    """A department as a publisher files it."""


DepartmentCorrection = correction_model(DepartmentBase, "DepartmentCorrection")


class Department(DepartmentBase, RecordColumns, table=True):
    """The department table."""


class DepartmentPublic(DepartmentBase, RecordPublic):
    """A department as the public sees it."""
