"""Tips: a citizen's report, held for moderation; the contact is never published."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import ID_MAX, Body, Input, Name, RecordId, enum_column
from portal.models.department import Province
from portal.models.times import PastInstant


class TipKind(StrEnum):
    """A suspected pollution event, or an error in a published record."""

    pollution = "pollution"
    record_error = "record_error"


class TipStatus(StrEnum):
    """Where moderation of a tip stands."""

    received = "received"
    under_review = "under_review"
    accepted = "accepted"
    rejected = "rejected"


class TipBase(SQLModel):
    """What the citizen reports, and where."""

    kind: TipKind = Field(sa_type=enum_column())
    about_id: str | None = Field(default=None, max_length=ID_MAX)
    text: Body = Field(sa_type=String(20000))
    place: Name | None = Field(default=None, sa_type=String(200))
    province: Province | None = Field(default=None, max_length=2)


class TipCreate(TipBase, Input):
    """A tip as a citizen files it; contact is optional and private."""

    id: RecordId | None = None
    about_id: RecordId | None = None
    received_at: PastInstant | None = None
    sample: bool = False
    contact: Name | None = None


class Tip(TipBase, table=True):
    """The tip table."""

    id: str = Field(primary_key=True, max_length=ID_MAX)
    received_at: datetime = Field(index=True)
    status: str = Field(default=TipStatus.received, sa_type=enum_column(), index=True)
    status_reason: str | None = Field(default=None, sa_type=String(2000))
    decided_by: str | None = Field(default=None, max_length=ID_MAX)
    decided_at: datetime | None = None
    linked_record_id: str | None = Field(default=None, max_length=ID_MAX)
    sample: bool = False
    contact: str | None = Field(default=None, sa_type=String(200))


class TipPublic(TipBase):
    """A tip's public tracking view: never the contact."""

    id: str
    received_at: datetime
    status: TipStatus
    status_reason: str | None = None
    linked_record_id: str | None = None
    sample: bool
