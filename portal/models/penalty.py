"""Penalties imposed outside an inspection: a court's fine after an incident, a customs penalty.

An inspection's own fine stays `penalty_yuan` on the inspection. Any other penalty is an item of
a record's `penalties` list: an incident's (penalties over that incident) or an enterprise's (a
penalty no published incident or inspection carries). All of them are stored in one table,
`penalty`, so that every summary counts them in one query
(docs/decisions/0025-penalties-and-compliance-table.md).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import field_serializer
from sqlalchemy import JSON, BigInteger, String
from sqlmodel import Field, SQLModel

from portal.models.common import Input, RecordId, Source, Title, enum_column
from portal.models.numbers import Whole
from portal.models.times import Day

# A fine in whole units of its currency; the column is a 64-bit integer on every database.
MAX_AMOUNT = 10**15


class Currency(StrEnum):
    """The currency a penalty is stated in (ISO 4217 codes). Amounts in different currencies
    are never added together: totals are given per currency."""

    CNY = "CNY"
    USD = "USD"
    EUR = "EUR"
    HKD = "HKD"
    GBP = "GBP"
    JPY = "JPY"


class PenaltyIn(Input):
    """One penalty: who was fined, how much in which currency, by whom, when, and the source."""

    enterprise_id: RecordId | None = Field(
        default=None,
        description="The enterprise fined. Required on an incident's penalty; on an "
        "enterprise's own list it is that enterprise (leave it out).",
    )
    amount: Whole | None = Field(
        default=None,
        ge=1,
        le=MAX_AMOUNT,
        description="The fine in whole units of `currency`; null when the source gives none.",
    )
    currency: Currency = Field(description="ISO 4217 code: " + ", ".join(Currency) + ".")
    approximate: bool = Field(
        default=False, description="The source gives the amount as approximate ('about')."
    )
    authority_zh: Title = Field(description="Who imposed it (a court, a customs office).")
    authority_en: Title | None = None
    department_id: RecordId | None = Field(
        default=None, description="The department that imposed it, when it is one on the portal."
    )
    decided_on: Day | None = Field(
        default=None, description="The date of the decision or judgment; null when unknown."
    )
    source: Source | None = Field(default=None, description="Where the penalty was published.")

    @field_serializer("source")
    def _source_as_json(self, source: Source | None) -> dict[str, Any] | None:
        # Stored in a JSON column: dates as text, whatever the dump mode.
        return None if source is None else source.model_dump(mode="json", exclude_none=True)


class Penalty(SQLModel, table=True):
    """The table of penalties outside inspections. `record_id` is the incident or enterprise
    whose list holds the penalty (no foreign key: it points at either table)."""

    __tablename__ = "penalty"
    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(index=True, max_length=40)
    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=40)
    amount: int | None = Field(default=None, sa_type=BigInteger)
    currency: str = Field(sa_type=enum_column(3))
    approximate: bool = False
    authority_zh: str = Field(sa_type=String(300))
    authority_en: str | None = Field(default=None, sa_type=String(300))
    department_id: str | None = Field(default=None, max_length=40)
    decided_on: date | None = None
    source: dict[str, Any] | None = Field(default=None, sa_type=JSON)


def check_penalties(penalties: list[PenaltyIn], own_id: str | None, kind: str) -> None:
    """An incident's penalty names the enterprise fined; an enterprise's names only itself."""
    for n, p in enumerate(penalties):
        if kind == "incidents" and p.enterprise_id is None:
            raise ValueError(
                f"penalties.{n}.enterprise_id is required: name the enterprise the penalty fined"
            )
        if kind == "enterprises" and p.enterprise_id not in (None, own_id):
            raise ValueError(
                f"penalties.{n}.enterprise_id: an enterprise's penalties are its own; leave "
                "enterprise_id out, or put the penalty on the incident it followed"
            )


# How an amount is written in each language: (before, after) the number.
_SIGNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "CNY": (("¥", ""), ("", "元")),
    "USD": (("US$", ""), ("", "美元")),
    "EUR": (("€", ""), ("", "欧元")),
    "HKD": (("HK$", ""), ("", "港元")),
    "GBP": (("£", ""), ("", "英镑")),
    "JPY": (("JP¥", ""), ("", "日元")),
}


def money(amount: int, currency: str, lang: str, approximate: bool = False) -> str:
    """An amount in its own currency, as a reader writes it: ¥1,200,000, about US$162,000,
    约162,000美元. Never converted."""
    en, zh = _SIGNS.get(currency, ((f"{currency} ", ""), ("", f" {currency}")))
    before, after = en if lang == "en" else zh
    about = ("about " if lang == "en" else "约") if approximate else ""
    return f"{about}{before}{amount:,}{after}"
