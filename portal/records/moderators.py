"""Moderators' sign-ins on the server: begun with a token that may moderate, checked on every
moderation request, ended by signing out, by age, or by the token's revocation or expiry
(`tokens.end_token` ends them all at once).

The cookie holds a random id (256 bits); the table keeps only its SHA-256, so a copy of the
database signs no one in. Flask's signed cookie alone would stay valid for 31 days wherever it
was copied to; this row is what makes signing out mean something."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.models.moderator import ModeratorSession
from portal.models.token import Scope, Token
from portal.records.tokens import digest, now_utc


def begin(session: Session, token_id: int, *, now: datetime | None = None) -> str:
    """Record a sign-in with this token; returns the id for the cookie (shown only there)."""
    moment = now or now_utc()
    secret = secrets.token_urlsafe(32)
    session.add(
        ModeratorSession(
            secret_hash=digest(secret), token_id=token_id, created_at=moment, last_seen_at=moment
        )
    )
    session.flush()
    return secret


def moderator(
    session: Session, secret: object, *, hours: int, now: datetime | None = None
) -> Token | None:
    """The token of a live sign-in, marked as seen; None when the cookie names none.

    A sign-in lives while it is not ended, younger than `hours`, and its token is neither
    revoked nor expired and still holds the tips scope. One that fails is ended here."""
    if not isinstance(secret, str) or not secret or len(secret) > 100:
        return None
    moment = now or now_utc()
    row = session.exec(
        select(ModeratorSession).where(
            col(ModeratorSession.secret_hash) == digest(secret),
            col(ModeratorSession.ended_at).is_(None),
        )
    ).first()
    if row is None:
        return None
    token = session.get(Token, row.token_id)
    why = None
    if row.created_at <= moment - timedelta(hours=hours):
        why = "age"
    elif token is None or token.revoked_at is not None:
        why = "revoke"
    elif token.expires_at is not None and token.expires_at <= moment:
        why = "expire"
    elif Scope.tips not in token.scopes:
        why = "scope"
    if why is not None:
        row.ended_at, row.ended_why = moment, why
        session.add(row)
        session.flush()
        return None
    row.last_seen_at = moment
    session.add(row)
    session.flush()
    return token


def end(session: Session, secret: object, *, now: datetime | None = None) -> None:
    """Sign out: end the sign-in the cookie names (nothing when it names none)."""
    if not isinstance(secret, str) or not secret or len(secret) > 100:
        return
    session.connection().execute(
        update(ModeratorSession)
        .where(
            col(ModeratorSession.secret_hash) == digest(secret),
            col(ModeratorSession.ended_at).is_(None),
        )
        .values(ended_at=now or now_utc(), ended_why="sign-out")
    )
