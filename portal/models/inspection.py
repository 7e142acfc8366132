"""Inspections: what a department found at an enterprise, and what it ordered."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema, model_validator
from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from portal.models.common import Body, PublishedFields, RecordColumns, RecordPublic, enum_column
from portal.models.measurement import Pollutants
from portal.models.numbers import Whole
from portal.models.partial import correction_model
from portal.models.times import Day

# The largest fine the column holds (a 32-bit INTEGER on PostgreSQL): ¥2,147,483,647. A larger
# one was accepted and then failed at INSERT on PostgreSQL (a 500).
MAX_PENALTY = 2**31 - 1


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


class Sanction(StrEnum):
    """What a penalty decision imposed beyond a fine (the fine is `penalty_yuan`).

    These are the penalties MEE Order No. 24 names for listed companies and bond issuers
    besides a fine of ¥100,000 or more (docs/obligations.md)."""

    daily_penalty = "daily_penalty"  # 按日连续处罚
    production_limit = "production_limit"  # 限制生产
    production_suspension = "production_suspension"  # 停产整治
    permit_revoked = "permit_revoked"  # 吊销许可证
    detention = "detention"  # 行政拘留 of managers or staff
    criminal_liability = "criminal_liability"  # 追究刑事责任


def _unique(values: list[Sanction]) -> list[Sanction]:
    return sorted(set(values))


# Stored as a JSON list of words; written `daily_penalty;production_limit` in a CSV cell.
Sanctions = Annotated[
    list[Sanction],
    AfterValidator(_unique),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "string", "enum": [s.value for s in Sanction]},
            "uniqueItems": True,
            "description": "Sanctions beyond the fine: "
            + ", ".join(s.value for s in Sanction)
            + ".",
        }
    ),
]


class InspectionBase(SQLModel):
    """One visit by one department to one enterprise."""

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=40)
    inspected_on: Day = Field(index=True)
    inspection_type: InspectionKind = Field(sa_type=enum_column())
    outcome: Outcome = Field(sa_type=enum_column())  # indexed with the date (models/__init__.py)
    findings_zh: Body = Field(sa_type=String(20000))
    findings_en: Body | None = Field(default=None, sa_type=String(20000))
    penalty_yuan: Whole | None = Field(default=None, ge=0, le=MAX_PENALTY)
    measures_zh: Body | None = Field(default=None, sa_type=String(20000))
    measures_en: Body | None = Field(default=None, sa_type=String(20000))
    deadline: Day | None = None
    follow_up_zh: Body | None = Field(default=None, sa_type=String(20000))
    follow_up_en: Body | None = Field(default=None, sa_type=String(20000))
    sanctions: Sanctions = Field(default_factory=list, sa_type=JSON)
    decided_on: Day | None = Field(
        default=None, description="The date of the penalty decision, when it is not the visit's."
    )


class InspectionParts(SQLModel):
    """The pollutants an inspection concerns."""

    pollutants: Pollutants = Field(default_factory=list, max_length=30)


class InspectionCreate(InspectionBase, InspectionParts, PublishedFields):
    """An inspection as a department publishes it."""

    @model_validator(mode="after")
    def _coherent(self) -> InspectionCreate:
        if self.deadline and self.deadline < self.inspected_on:
            raise ValueError("deadline is before inspected_on: a deadline follows the inspection")
        if self.outcome == Outcome.compliant and (self.penalty_yuan or self.sanctions):
            raise ValueError("a compliant inspection carries no penalty; check outcome")
        if self.decided_on and self.decided_on < self.inspected_on:
            raise ValueError("decided_on is before inspected_on: a decision follows the inspection")
        return self


InspectionCorrection = correction_model(
    InspectionBase, "InspectionCorrection", pollutants=(list[str] | None, None)
)


class Inspection(InspectionBase, RecordColumns, table=True):
    """The inspection table."""


class InspectionPublic(InspectionBase, RecordPublic):
    """An inspection as the public sees it."""

    pollutants: list[str] = []
