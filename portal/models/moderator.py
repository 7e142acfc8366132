"""Moderators' sign-ins, kept on the server so that signing out really ends one.

The browser's cookie carries a random session id; the table keeps its SHA-256 hash, the token it
signed in with, and when it began, was last seen and ended. A cookie copied before sign-out
(or before the token was revoked) names an ended row and opens nothing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ModeratorSession(SQLModel, table=True):
    """One sign-in on /moderate: its hashed id, its token, and when it began, was seen, ended."""

    __tablename__ = "moderator_session"
    id: int | None = Field(default=None, primary_key=True)
    secret_hash: str = Field(max_length=64, unique=True)  # the cookie's id is never stored
    token_id: int = Field(index=True)
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None
    ended_why: str | None = Field(default=None, max_length=16)  # sign-out, revoke, expire, age
