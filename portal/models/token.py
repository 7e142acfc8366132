"""Publishing tokens, the audit log of writes, and remembered answers to idempotent requests.

A token belongs to one publisher (a department or an enterprise) and carries scopes: the kinds
it may publish, correct and withdraw, and `tips` for moderating citizens' tips. Only a SHA-256
hash of the secret is stored; the secret is shown once, when the token is made.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.common import ID_MAX


class Scope(StrEnum):
    """What a token may do: publish, correct and withdraw one kind, or moderate tips."""

    departments = "departments"
    enterprises = "enterprises"
    incidents = "incidents"
    inspections = "inspections"
    disclosures = "disclosures"
    responses = "responses"
    tips = "tips"


class Token(SQLModel, table=True):
    """One publishing token: whose it is, what it may do, and whether it still may."""

    id: int | None = Field(default=None, primary_key=True)
    publisher_id: str = Field(max_length=ID_MAX, index=True)
    label: str | None = Field(default=None, sa_type=String(200))
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    secret_hash: str = Field(max_length=64, unique=True)
    hint: str = Field(max_length=16)  # the secret's first characters, to tell tokens apart
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class AuditEntry(SQLModel, table=True):
    """One write or attempted write: who, when, from which token, what, and the outcome.

    Append-only: nothing in the portal updates or deletes these rows."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    token_id: int | None = Field(default=None, index=True)
    via: str = Field(max_length=16)  # api, cli, web
    action: str = Field(max_length=32)  # publish, correct, withdraw, token-create, ...
    record_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    revision: int | None = None
    status: int  # the HTTP status the write was answered with (CLI: 200 or 4xx alike)
    detail: str | None = Field(default=None, sa_type=String(2000))
    client: str | None = Field(default=None, max_length=64)  # address the request came from


class IdempotentAnswer(SQLModel, table=True):
    """The answer to a POST made with an Idempotency-Key, replayed when the request repeats."""

    __tablename__ = "idempotent_answer"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_idempotent_token_key"),)
    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(index=True)
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status: int
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    location: str | None = Field(default=None, max_length=500)
    created_at: datetime


class TokenPublic(SQLModel):
    """A token as `portal token list` shows it: never the secret or its hash."""

    id: int
    publisher_id: str
    label: str | None
    scopes: list[str]
    hint: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
