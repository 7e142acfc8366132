"""A measured value at a site against a standard: incident readings and disclosure figures."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import Name, SchemaExtra, Short, Title
from portal.models.numbers import Real
from portal.models.times import Instant
from portal.models.vocab import (
    exceedance,
    pollutant_code,
    pollutant_spellings,
    pollutants,
    unit_code,
    unit_spellings,
    units,
)


def check_pollutant(value: str) -> str:
    """Normalise a pollutant name or symbol to its code, or refuse it with the known codes."""
    if not isinstance(value, str):  # a list or a number sent by a client: refused, not a 500
        raise ValueError("a pollutant is a code or name in text, such as Cd or 镉")
    code = pollutant_code(value)
    if code is None:
        known = ", ".join(sorted(pollutants()))
        raise ValueError(f"unknown pollutant {value!r}; use one of {known}")
    return code


# Stored as the code; the document lists every name the validator reads (case aside).
Pollutant = Annotated[
    str,
    BeforeValidator(check_pollutant),
    SchemaExtra(enum=list(pollutant_spellings()), maxLength=None),
]


def check_unit(value: str) -> str:
    """Normalise a unit as written (吨, ug/L, 万元) to its code in data/units.csv, or refuse it."""
    if not isinstance(value, str):
        raise ValueError("a unit is a code or name in text, such as mg/L, t or 万元")
    code = unit_code(value)
    if code is None:
        known = ", ".join(units())
        raise ValueError(
            f"unknown unit {value!r}; use one of {known} (docs/data-formats.md lists them with "
            "their names and conversions)"
        )
    return code


# Stored as the code; the document lists every spelling the validator reads (case aside).
Unit = Annotated[
    str,
    BeforeValidator(check_unit),
    SchemaExtra(enum=list(unit_spellings()), maxLength=None),
]
# A record's pollutants: known codes, each once, in a stable order.
Pollutants = Annotated[list[Pollutant], AfterValidator(lambda codes: sorted(set(codes)))]


class MeasurementBase(SQLModel):
    """Pollutant, value and unit at a site, and the standard (and class) it is judged against."""

    site_zh: Name = Field(sa_type=String(200))
    site_en: Name | None = Field(default=None, sa_type=String(200))
    measured_at: Instant | None = None
    pollutant: Pollutant = Field(max_length=16, index=True)
    value: Real = Field(ge=0, le=1e12)
    unit: Short = Field(sa_type=String(100))
    standard: Short | None = Field(default=None, sa_type=String(100))
    standard_class: str | None = Field(default=None, max_length=8)
    note_zh: Title | None = Field(default=None, sa_type=String(300))
    note_en: Title | None = Field(default=None, sa_type=String(300))


class MeasurementPublic(MeasurementBase):
    """A measurement with its limit and exceedance factor, computed from data/standards.csv."""

    limit: float | None = None
    limit_unit: str | None = None
    limit_source: str | None = None
    exceedance_factor: float | None = None
    exceeds: bool | None = None

    @classmethod
    def judge(cls, row: MeasurementBase | Mapping[str, Any]) -> Self:
        """Compare a stored measurement with its standard; no limit on file leaves None.

        The stored values were validated when they were written, so they are taken as they are
        (`model_construct`): building thousands of readings a page must not validate each twice.
        """
        get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name, None)
        data: dict[str, Any] = {name: get(name) for name in cls.model_fields if name not in _JUDGED}
        if data["pollutant"] is None:  # a disclosed figure that is no pollutant (an investment)
            return cls.model_construct(**data)
        result = exceedance(
            data["pollutant"],
            Decimal(str(data["value"])),
            data["unit"],
            data["standard"],
            data["standard_class"],
        )
        if result is not None:
            data.update(
                limit=float(result.limit.limit),
                limit_unit=result.limit.unit,
                limit_source=result.limit.source,
                exceedance_factor=float(result.factor),
                exceeds=result.exceeds,
            )
        return cls.model_construct(**data)


_JUDGED = ("limit", "limit_unit", "limit_source", "exceedance_factor", "exceeds")
