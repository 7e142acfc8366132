"""Inspections: what a department found at an enterprise, and what it ordered."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import Body, PublishedFields, RecordColumns, RecordPublic, enum_column
from portal.models.measurement import Pollutants
from portal.models.partial import correction_model


class InspectionKind(StrEnum):
    """Why the inspection took place."""

    routine = "routine"
    targeted = "targeted"
    complaint = "complaint"
    import_cargo = "import_cargo"


class Outcome(StrEnum):
    """What the inspection concluded."""

    compliant = "compliant"
    violation = "violation"
    rectification_ordered = "rectification_ordered"


class InspectionBase(SQLModel):
    """One visit by one department to one enterprise."""

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=40)
    inspected_on: date = Field(index=True)
    inspection_type: InspectionKind = Field(sa_type=enum_column())
    outcome: Outcome = Field(sa_type=enum_column(), index=True)
    findings_zh: Body = Field(sa_type=String(20000))
    findings_en: Body | None = Field(default=None, sa_type=String(20000))
    penalty_yuan: int | None = Field(default=None, ge=0, le=10**12)
    measures_zh: Body | None = Field(default=None, sa_type=String(20000))
    measures_en: Body | None = Field(default=None, sa_type=String(20000))
    deadline: date | None = None
    follow_up_zh: Body | None = Field(default=None, sa_type=String(20000))
    follow_up_en: Body | None = Field(default=None, sa_type=String(20000))


class InspectionParts(SQLModel):
    """The pollutants an inspection concerns."""

    pollutants: Pollutants = Field(default_factory=list, max_length=30)


class InspectionCreate(InspectionBase, InspectionParts, PublishedFields):
    """An inspection as a department publishes it."""

    @model_validator(mode="after")
    def _coherent(self) -> InspectionCreate:
        if self.deadline and self.deadline < self.inspected_on:
            raise ValueError("deadline is before inspected_on: a deadline follows the inspection")
        if self.outcome == Outcome.compliant and self.penalty_yuan:
            raise ValueError("a compliant inspection carries no penalty; check outcome")
        return self


InspectionCorrection = correction_model(
    InspectionBase, "InspectionCorrection", pollutants=(list[str] | None, None)
)


class Inspection(InspectionBase, RecordColumns, table=True):
    """The inspection table."""


class InspectionPublic(InspectionBase, RecordPublic):
    """An inspection as the public sees it."""

    pollutants: list[str] = []
