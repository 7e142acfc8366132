"""Revisions: every publish, correction and withdrawal, with who, when, why and what changed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.common import ID_MAX, enum_column


class Action(StrEnum):
    """What a revision did to its record."""

    publish = "publish"
    correct = "correct"
    withdraw = "withdraw"


class RevisionBase(SQLModel):
    """The public facts of one revision."""

    record_id: str = Field(max_length=ID_MAX, index=True)
    kind: str = Field(max_length=32)
    number: int
    action: Action = Field(sa_type=enum_column())
    at: datetime = Field(index=True)  # when this portal recorded the revision
    # When what the revision says was published: a record's first publication keeps the time it
    # was published (an import of old records, the sample set); a correction or withdrawal made
    # here is published when it is recorded. None: recorded before the portal kept it (0013).
    published_at: datetime | None = None
    author_id: str = Field(max_length=ID_MAX)
    reason: str | None = Field(default=None, sa_type=String(2000))
    # {field: {"old": value, "new": value}}; empty for the first publication.
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Revision(RevisionBase, table=True):
    """The revision table: append-only; `snapshot` is the whole record after this revision."""

    __table_args__ = (UniqueConstraint("record_id", "number", name="uq_revision_record_number"),)
    id: int | None = Field(default=None, primary_key=True)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    batch: str | None = Field(default=None, max_length=64)
    token_id: int | None = None  # the publishing token of an API write; None for imports
    # The revision's place in the change log, handed out under the change counter's row lock
    # (records/changelog.py), so that it follows commit order; ids do not on PostgreSQL.
    version: int = Field(sa_type=BigInteger, unique=True, index=True)


class ChangeCounter(SQLModel, table=True):
    """One row: the last version handed to a revision. Every write transaction bumps it first,
    and its row lock makes the next writer wait until this one commits (decision 0016)."""

    __tablename__ = "change_counter"
    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)


class RevisionPublic(RevisionBase):
    """A revision as the public history shows it."""


class RecordPollutant(SQLModel, table=True):
    """Which pollutants a record concerns: the one index behind every pollutant filter."""

    __tablename__ = "record_pollutant"
    record_id: str = Field(primary_key=True, max_length=ID_MAX)
    pollutant: str = Field(primary_key=True, max_length=16, index=True)
    kind: str = Field(sa_type=String(32))
