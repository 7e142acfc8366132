"""Disclosures: what an enterprise publishes under the 2021 legal disclosure rules."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import (
    Body,
    Input,
    Name,
    PublishedFields,
    RecordColumns,
    RecordPublic,
    Title,
    enum_column,
)
from portal.models.measurement import MeasurementBase, MeasurementPublic, Pollutant, Unit
from portal.models.partial import correction_model
from portal.models.times import Day
from portal.models.vocab import units


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


class FigureBase(MeasurementBase):
    """One figure of a disclosure: an item, a value and a unit from data/units.csv. An outlet's
    concentration names its pollutant (and site, and standard); an environmental-protection
    investment in 万元, t CO2e of carbon, m³ of wastewater or a number of staff trained need not."""

    item_zh: Name | None = Field(default=None, sa_type=String(200))
    item_en: Name | None = Field(default=None, sa_type=String(200))
    # Optional here, required of an incident's reading: a figure need not be measured at a site.
    site_zh: Name | None = Field(default=None, sa_type=String(200))  # type: ignore[assignment]
    pollutant: Pollutant | None = Field(  # type: ignore[assignment]
        default=None, max_length=16, index=True
    )
    unit: Unit = Field(sa_type=String(100))


class FigureIn(FigureBase, Input):
    """One figure in a disclosure as it is filed."""

    @model_validator(mode="after")
    def _says_what(self) -> Self:
        if self.item_en is not None and self.item_zh is None:
            raise ValueError("item_en translates item_zh: give item_zh too")
        if self.item_zh is None and self.pollutant is None:
            raise ValueError(
                "a figure says what it counts: give item_zh (环保投资, say), a pollutant, or both"
            )
        return self


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


class DisclosureFigure(FigureBase, table=True):
    """The table of a disclosure's measured figures."""

    __tablename__ = "disclosure_figure"
    id: int | None = Field(default=None, primary_key=True)
    disclosure_id: str = Field(foreign_key="disclosure.id", index=True, max_length=40)


class FigurePublic(FigureBase, MeasurementPublic):
    """A figure with its value in its quantity's base unit (万元 as CNY, kWh as MWh), and, for
    a pollutant with a standard, its limit and exceedance factor."""

    value_in_base: float | None = None
    base_unit: str | None = None

    @classmethod
    def judge(cls, row: MeasurementBase | Mapping[str, Any]) -> Self:
        """The stored figure judged against its standard, with its value in the base unit."""
        figure = super().judge(row)
        unit = units().get(figure.unit)
        if unit is not None:
            figure.value_in_base = float(Decimal(str(figure.value)) * unit.per_base)
            figure.base_unit = unit.base
        return figure


class DisclosurePublic(DisclosureBase, RecordPublic):
    """A disclosure with its figures judged against their standards."""

    pollutants: list[str] = []
    figures: list[FigurePublic] = []
