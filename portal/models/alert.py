"""Email alerts: who follows which feed, the secrets of their links, and what was sent to them.

A subscriber's address is personal data. It is kept in one column of one row, only while the
subscription lives: unsubscribing deletes the row, its links and its sent-log; a request nobody
confirmed is deleted after PORTAL_ALERT_CONFIRM_HOURS. Links carry random secrets of which only
the SHA-256 is stored, so a copy of the database unsubscribes or confirms no one. Nothing here
is ever read by the API, a download, a snapshot or the data package (docs/alerts.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.common import ID_MAX

FEED_MAX = 2000  # the longest feed address a subscription may follow


class Frequency(StrEnum):
    """A mail as soon as the sender next runs, or one digest a day."""

    immediate = "immediate"
    daily = "daily"


class LinkPurpose(StrEnum):
    """What a mailed link does."""

    confirm = "confirm"
    unsubscribe = "unsubscribe"


def _subscription_key() -> Column[int]:
    return Column(
        Integer,
        ForeignKey("alert_subscription.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


class AlertSubscription(SQLModel, table=True):
    """One address following one feed, in one language, at one frequency."""

    __tablename__ = "alert_subscription"
    __table_args__ = (UniqueConstraint("email", "feed"),)
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254))  # personal data: deleted with the row
    feed: str = Field(sa_type=String(FEED_MAX))  # /feeds/incidents.atom?province=45
    lang: str = Field(max_length=2)
    frequency: str = Field(max_length=16, index=True)
    created_at: datetime
    confirmed_at: datetime | None = Field(default=None, index=True)
    last_sent_at: datetime | None = None


class AlertLink(SQLModel, table=True):
    """A confirmation or unsubscribe link that was mailed: the SHA-256 of its secret."""

    __tablename__ = "alert_link"
    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(sa_column=_subscription_key())
    secret_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)
    created_at: datetime


class AlertSent(SQLModel, table=True):
    """One revision of one record mailed to one subscription: never mailed to it again."""

    __tablename__ = "alert_sent"
    __table_args__ = (UniqueConstraint("subscription_id", "record_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(sa_column=_subscription_key())
    record_id: str = Field(max_length=ID_MAX)
    revision: int
    sent_at: datetime
