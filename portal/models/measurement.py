"""A measured value at a site against a standard: incident readings and disclosure figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import Name, Short, Title
from portal.models.vocab import exceedance, pollutant_code, pollutants


def check_pollutant(value: str) -> str:
    """Normalise a pollutant name or symbol to its code, or refuse it with the known codes."""
    code = pollutant_code(value)
    if code is None:
        known = ", ".join(sorted(pollutants()))
        raise ValueError(f"unknown pollutant {value!r}; use one of {known}")
    return code


Pollutant = Annotated[str, BeforeValidator(check_pollutant)]
# A record's pollutants: known codes, each once, in a stable order.
Pollutants = Annotated[list[Pollutant], AfterValidator(lambda codes: sorted(set(codes)))]


class MeasurementBase(SQLModel):
    """Pollutant, value and unit at a site, and the standard (and class) it is judged against."""

    site_zh: Name = Field(sa_type=String(200))
    site_en: Name | None = Field(default=None, sa_type=String(200))
    measured_at: datetime | None = None
    pollutant: Pollutant = Field(max_length=16, index=True)
    value: float = Field(ge=0, le=1e12)
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
    def judge(cls, row: MeasurementBase) -> MeasurementPublic:
        """Compare a stored measurement with its standard; no limit on file leaves None."""
        data = MeasurementBase.model_validate(row, from_attributes=True).model_dump()
        result = exceedance(
            row.pollutant, Decimal(str(row.value)), row.unit, row.standard, row.standard_class
        )
        if result is None:
            return cls(**data)
        return cls(
            **data,
            limit=float(result.limit.limit),
            limit_unit=result.limit.unit,
            limit_source=result.limit.source,
            exceedance_factor=float(result.factor),
            exceeds=result.exceeds,
        )
