"""Disclosures: what an enterprise publishes under the 2021 legal disclosure rules."""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Input,
    PublishedFields,
    RecordColumns,
    RecordPublic,
    Title,
    enum_column,
)
from portal.models.measurement import MeasurementBase, MeasurementPublic
from portal.models.partial import correction_model
from portal.models.times import Day


class DisclosureCategory(StrEnum):
    """The eight categories of the annual report (Format Guidelines, 环办综合〔2021〕32号)."""

    basic_information = "basic_information"
    environmental_management = "environmental_management"
    pollutant_emission = "pollutant_emission"
    carbon_emission = "carbon_emission"
    emergency_plan = "emergency_plan"
    violations_penalties = "violations_penalties"
    temporary_disclosures = "temporary_disclosures"
    other = "other"


class ReportType(StrEnum):
    """Annual report (by 15 March) or temporary report (within 5 working days)."""

    annual = "annual"
    temporary = "temporary"


class DisclosureBase(SQLModel):
    """One disclosure by one enterprise for one reporting period."""

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=40)
    category: DisclosureCategory = Field(sa_type=enum_column())  # indexed with the date
    report_type: ReportType = Field(sa_type=enum_column())
    period_start: Day
    period_end: Day
    title_zh: Title = Field(sa_type=String(300))
    title_en: Title | None = Field(default=None, sa_type=String(300))
    text_zh: Body = Field(sa_type=String(20000))
    text_en: Body | None = Field(default=None, sa_type=String(20000))


class FigureIn(MeasurementBase, Input):
    """One measured figure in a disclosure (an outlet's concentration, say)."""


class DisclosureParts(Input):
    """The figures a disclosure is published with."""

    figures: list[FigureIn] = Field(default_factory=list, max_length=1000)


class DisclosureCreate(DisclosureBase, DisclosureParts, PublishedFields):
    """A disclosure as its enterprise files it."""

    @model_validator(mode="after")
    def _coherent(self) -> DisclosureCreate:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if self.publisher_id != self.enterprise_id:
            raise ValueError(
                "a disclosure is published by its own enterprise: publisher_id must equal "
                "enterprise_id"
            )
        return self


DisclosureCorrection = correction_model(
    DisclosureBase, "DisclosureCorrection", figures=(list[FigureIn] | None, None)
)


class Disclosure(DisclosureBase, RecordColumns, table=True):
    """The disclosure table."""


class DisclosureFigure(MeasurementBase, table=True):
    """The table of a disclosure's measured figures."""

    __tablename__ = "disclosure_figure"
    id: int | None = Field(default=None, primary_key=True)
    disclosure_id: str = Field(foreign_key="disclosure.id", index=True, max_length=40)


class DisclosurePublic(DisclosureBase, RecordPublic):
    """A disclosure with its figures judged against their standards."""

    pollutants: list[str] = []
    figures: list[MeasurementPublic] = []
