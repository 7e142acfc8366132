"""Incidents: pollution events with their readings, responsible enterprises and timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, model_validator
from pydantic import Field as Described
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Input,
    Name,
    PublishedFields,
    RecordColumns,
    RecordId,
    RecordPublic,
    Title,
    enum_column,
)
from portal.models.department import Province
from portal.models.measurement import MeasurementBase, MeasurementPublic, Pollutants
from portal.models.numbers import Real
from portal.models.partial import correction_model
from portal.models.penalty import PenaltyIn, check_penalties
from portal.models.times import Instant


class IncidentStatus(StrEnum):
    """Where the response to an incident stands."""

    reported = "reported"
    investigating = "investigating"
    contained = "contained"
    closed = "closed"


class IncidentBase(SQLModel):
    """What happened, when and where."""

    title_zh: Title = Field(sa_type=String(300))
    title_en: Title | None = Field(default=None, sa_type=String(300))
    summary_zh: Body = Field(sa_type=String(20000))
    summary_en: Body | None = Field(default=None, sa_type=String(20000))
    # Unknown (None) until someone finds out: most incidents are found before anyone knows
    # when they began (issue 21). Listings then date it by when it was found, or published.
    began_at: Instant | None = Field(default=None, index=True)
    found_at: Instant | None = None
    river_zh: Name | None = Field(default=None, sa_type=String(200))
    river_en: Name | None = Field(default=None, sa_type=String(200))
    place_zh: Name | None = Field(default=None, sa_type=String(200))
    place_en: Name | None = Field(default=None, sa_type=String(200))
    province: Province = Field(max_length=2)  # indexed with the date (models/__init__.py)
    city_zh: Name | None = Field(default=None, sa_type=String(200))
    city_en: Name | None = Field(default=None, sa_type=String(200))
    latitude: Real | None = Field(default=None, ge=-90, le=90)
    longitude: Real | None = Field(default=None, ge=-180, le=180)
    status: IncidentStatus = Field(sa_type=enum_column())  # likewise


class ReadingIn(MeasurementBase, Input):
    """One reading at a site, as published."""

    latitude: Real | None = Field(default=None, ge=-90, le=90)
    longitude: Real | None = Field(default=None, ge=-180, le=180)


class ResponsibleIn(Input):
    """An enterprise held responsible, and in what way."""

    enterprise_id: RecordId
    role_zh: Title | None = None
    role_en: Title | None = None


class UpdateIn(Input):
    """One entry of the incident's timeline, from one department."""

    department_id: RecordId
    at: Instant
    text_zh: Body
    text_en: Body | None = None


class IncidentParts(Input):
    """The nested parts an incident is published with."""

    pollutants: Pollutants = Field(default_factory=list, max_length=30)
    readings: list[ReadingIn] = Field(default_factory=list, max_length=2000)
    responsible: list[ResponsibleIn] = Field(default_factory=list, max_length=100)
    updates: list[UpdateIn] = Field(default_factory=list, max_length=500)
    penalties: list[PenaltyIn] = Field(
        default_factory=list,
        max_length=100,
        description="Penalties imposed over the incident (a court's fine, say), beside the "
        "fines of inspections.",
    )


class IncidentCreate(IncidentBase, IncidentParts, PublishedFields):
    """An incident as a department publishes it."""

    @model_validator(mode="after")
    def _dates_and_pollutants(self) -> IncidentCreate:
        if self.found_at and self.began_at and self.found_at < self.began_at:
            raise ValueError("found_at is before began_at: an incident is found after it begins")
        check_penalties(self.penalties, self.id, "incidents")
        # Every pollutant measured is a pollutant of the incident.
        self.pollutants = sorted(set(self.pollutants) | {r.pollutant for r in self.readings})
        return self


IncidentCorrection = correction_model(
    IncidentBase,
    "IncidentCorrection",
    pollutants=(list[str] | None, None),
    readings=(list[ReadingIn] | None, None),
    responsible=(list[ResponsibleIn] | None, None),
    updates=(list[UpdateIn] | None, None),
    penalties=(list[PenaltyIn] | None, None),
)


class Incident(IncidentBase, RecordColumns, table=True):
    """The incident table."""


class IncidentReading(MeasurementBase, table=True):
    """The table of readings at sites over time."""

    __tablename__ = "incident_reading"
    id: int | None = Field(default=None, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True, max_length=40)
    latitude: float | None = None
    longitude: float | None = None


class IncidentEnterprise(SQLModel, table=True):
    """Which enterprises an incident holds responsible."""

    __tablename__ = "incident_enterprise"
    incident_id: str = Field(foreign_key="incident.id", primary_key=True, max_length=40)
    enterprise_id: str = Field(
        foreign_key="enterprise.id", primary_key=True, index=True, max_length=40
    )
    role_zh: str | None = Field(default=None, sa_type=String(300))
    role_en: str | None = Field(default=None, sa_type=String(300))


class IncidentUpdate(SQLModel, table=True):
    """The timeline of updates from each department."""

    __tablename__ = "incident_update"
    id: int | None = Field(default=None, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True, max_length=40)
    department_id: str = Field(foreign_key="department.id", index=True, max_length=40)
    at: datetime
    text_zh: str = Field(sa_type=String(20000))
    text_en: str | None = Field(default=None, sa_type=String(20000))


class ReadingPublic(MeasurementPublic):
    """A reading with its computed exceedance."""

    latitude: float | None = None
    longitude: float | None = None


class IncidentPublic(IncidentBase, RecordPublic):
    """An incident with its parts, as the public sees it."""

    pollutants: list[str] = []
    readings: list[ReadingPublic] = []
    responsible: list[ResponsibleIn] = []
    updates: list[UpdateIn] = []
    penalties: list[PenaltyIn] = []


class ReadingRow(BaseModel):
    """One reading of a live incident as a table row: the incident, where, when, what, how much,
    and the limit of the standard it is judged against (/api/v1/readings)."""

    incident_id: str = Described(description="The incident's id.")
    incident_title_zh: str = Described(description="The incident's title in Chinese.")
    incident_title_en: str | None = Described(None, description="The incident's English title.")
    province: str = Described(description="The incident's province, as its two-digit code.")
    province_name_zh: str | None = Described(None, description="The province's Chinese name.")
    province_name_en: str | None = Described(None, description="The province's English name.")
    sample: bool = Described(description="true: the incident is illustrative, not a real one.")
    site_zh: str = Described(description="Where the reading was taken, in Chinese.")
    site_en: str | None = Described(None, description="Where, in English.")
    latitude: float | None = Described(None, description="In decimal degrees.")
    longitude: float | None = Described(None, description="In decimal degrees.")
    measured_at: Instant | None = Described(None, description="When (UTC); null when unknown.")
    pollutant: str = Described(description="The pollutant's code (Cd, Pb, As, ...).")
    value: float = Described(description="The measured value, in `unit`.")
    unit: str = Described(description="The unit of `value` (mg/L, µg/L, ...).")
    standard: str | None = Described(None, description="The standard judged against.")
    standard_class: str | None = Described(None, description="Its class (I to V), if any.")
    limit: float | None = Described(None, description="The standard's limit, in `limit_unit`.")
    limit_unit: str | None = Described(None, description="The unit of `limit`.")
    limit_source: str | None = Described(None, description="Where the limit is published.")
    exceedance_factor: float | None = Described(
        None,
        description="value / limit, in the same unit (dimensionless); null when no limit of "
        "that standard is on file. Computed by the portal, never typed in.",
    )
    exceeds: bool | None = Described(None, description="Whether the value is over the limit.")
    note_zh: str | None = Described(None, description="A note, in Chinese.")
    note_en: str | None = Described(None, description="A note, in English.")
