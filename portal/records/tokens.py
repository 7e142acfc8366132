"""Who may write: publishing tokens, what each may do, the audit log and idempotent answers.

A token is a secret shown once; the database keeps its SHA-256 hash. A token belongs to one
publisher and carries scopes (the kinds it may publish, correct and withdraw, and `tips`).
Departments hold enterprises, incidents and inspections by default (and departments if asked);
the industry association also moderates tips; an enterprise holds its own disclosures and
responses. A record is corrected or withdrawn only by its own publisher.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from portal.models.common import ID_MAX
from portal.models.department import Department, DepartmentFunction
from portal.models.enterprise import Enterprise
from portal.models.moderator import ModeratorSession
from portal.models.token import AuditEntry, IdempotentAnswer, Scope, Token, TokenPublic

PREFIX = "cw_"
DEPARTMENT_SCOPES = (
    Scope.departments,
    Scope.enterprises,
    Scope.incidents,
    Scope.inspections,
    Scope.tips,
)
ENTERPRISE_SCOPES = (Scope.disclosures, Scope.responses)
# Held only when asked for: publishing other departments; moderating tips, which is the
# association's by default and a department's when the operator grants it.
NOT_BY_DEFAULT = (Scope.departments, Scope.tips)
IDEMPOTENCY_DAYS = 7  # how long a remembered answer is replayed


class AuthError(Exception):
    """A request that may not write: `status` 401 (who are you?) or 403 (not this)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class TokenError(ValueError):
    """A token command that cannot be carried out, in a sentence."""


@dataclass(frozen=True)
class Caller:
    """The publisher a request writes as, and what its token allows."""

    token_id: int
    publisher_id: str
    scopes: frozenset[str]

    @property
    def is_enterprise(self) -> bool:
        """True when the publisher is an enterprise."""
        return self.publisher_id.startswith("ENT-")


def now_utc() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def digest(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def allowed_scopes(session: Session, publisher_id: str) -> tuple[Scope, ...]:
    """The scopes a publisher's tokens may carry; TokenError when there is no such publisher."""
    if publisher_id.startswith("DEP-"):
        dep = session.get(Department, publisher_id)
        if dep is None or dep.withdrawn_at is not None:
            raise TokenError(f"There is no department {publisher_id}; publish it first.")
        return DEPARTMENT_SCOPES
    if publisher_id.startswith("ENT-"):
        ent = session.get(Enterprise, publisher_id)
        if ent is None or ent.withdrawn_at is not None:
            raise TokenError(f"There is no enterprise {publisher_id}; publish it first.")
        return ENTERPRISE_SCOPES
    raise TokenError(f"{publisher_id} is not a publisher: give a DEP-... or ENT-... id.")


def default_scopes(session: Session, publisher_id: str) -> tuple[Scope, ...]:
    """The scopes a token gets when none are asked for."""
    allowed = allowed_scopes(session, publisher_id)
    dep = session.get(Department, publisher_id) if publisher_id.startswith("DEP-") else None
    association = dep is not None and dep.function == DepartmentFunction.association
    return tuple(s for s in allowed if s not in NOT_BY_DEFAULT or (association and s == Scope.tips))


def create_token(
    session: Session,
    publisher_id: str,
    *,
    scopes: Iterable[str] = (),
    label: str | None = None,
    days: int | None = None,
    now: datetime | None = None,
) -> tuple[str, TokenPublic]:
    """Make a token for a publisher; returns the secret (shown once) and the token's facts."""
    moment = now or now_utc()
    allowed = allowed_scopes(session, publisher_id)
    asked = list(dict.fromkeys(scopes))
    if not asked:
        asked = [s.value for s in default_scopes(session, publisher_id)]
    known = {s.value for s in Scope}
    for scope in asked:
        if scope not in known:
            raise TokenError(f"Unknown scope {scope!r}; scopes are {', '.join(sorted(known))}.")
        if scope not in {s.value for s in allowed}:
            raise TokenError(
                f"{publisher_id} may not hold the scope {scope!r}; it may hold "
                f"{', '.join(s.value for s in allowed)}."
            )
    if days is not None and not 1 <= days <= 3650:
        raise TokenError("--days must be from 1 to 3650.")
    if label is not None and len(label) > 200:
        raise TokenError("Keep the label under 200 characters.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = Token(
        publisher_id=publisher_id,
        label=label,
        scopes=sorted(asked),
        secret_hash=digest(secret),
        hint=secret[: len(PREFIX) + 6],
        created_at=moment,
        expires_at=moment + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    assert token.id is not None
    audit(
        session,
        action="token-create",
        actor_id=publisher_id,
        token_id=token.id,
        via="cli",
        status=201,
        detail="scopes: " + ", ".join(token.scopes),
        now=moment,
    )
    return secret, TokenPublic.model_validate(token, from_attributes=True)


def list_tokens(session: Session, publisher_id: str | None = None) -> list[TokenPublic]:
    """Every token (or a publisher's), newest first, without secrets."""
    stmt = select(Token).order_by(col(Token.id).desc())
    if publisher_id:
        stmt = stmt.where(col(Token.publisher_id) == publisher_id)
    return [TokenPublic.model_validate(t, from_attributes=True) for t in session.exec(stmt)]


def end_token(
    session: Session, token_id: int, *, how: str, now: datetime | None = None
) -> TokenPublic:
    """Revoke a token, or expire it now (`how` "revoke" or "expire")."""
    moment = now or now_utc()
    token = session.get(Token, token_id)
    if token is None:
        raise TokenError(f"There is no token {token_id}; `portal token list` shows them.")
    if token.revoked_at is not None:
        raise TokenError(f"Token {token_id} was already revoked on {token.revoked_at:%Y-%m-%d}.")
    if how == "revoke":
        token.revoked_at = moment
    else:
        if token.expires_at is not None and token.expires_at <= moment:
            raise TokenError(f"Token {token_id} has already expired.")
        token.expires_at = moment
    session.add(token)
    # Its moderators' sign-ins end with it: a copied cookie must not outlive the token.
    session.connection().execute(
        update(ModeratorSession)
        .where(
            col(ModeratorSession.token_id) == token_id,
            col(ModeratorSession.ended_at).is_(None),
        )
        .values(ended_at=moment, ended_why=how)
    )
    audit(
        session,
        action=f"token-{how}",
        actor_id=token.publisher_id,
        token_id=token.id,
        via="cli",
        status=200,
        now=moment,
    )
    session.flush()
    return TokenPublic.model_validate(token, from_attributes=True)


def authenticate(session: Session, header: str | None, *, now: datetime | None = None) -> Caller:
    """The caller an Authorization header names, or AuthError(401) saying what is wrong."""
    if not header:
        raise AuthError(
            401, "Writing needs a publishing token: send 'Authorization: Bearer <token>'."
        )
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise AuthError(401, "Send the token as 'Authorization: Bearer <token>'.")
    if len(secret) > 200 or not secret.startswith(PREFIX):
        raise AuthError(401, "This is not a Clearwater publishing token.")
    token = session.exec(select(Token).where(col(Token.secret_hash) == digest(secret))).first()
    if token is None or not hmac.compare_digest(token.secret_hash, digest(secret)):
        raise AuthError(401, "This token is not known; ask your administrator for a new one.")
    moment = now or now_utc()
    if token.revoked_at is not None:
        raise AuthError(401, f"This token was revoked on {token.revoked_at:%Y-%m-%d}.")
    if token.expires_at is not None and token.expires_at <= moment:
        raise AuthError(401, f"This token expired on {token.expires_at:%Y-%m-%d}.")
    assert token.id is not None
    session.connection().execute(
        update(Token).where(col(Token.id) == token.id).values(last_used_at=moment)
    )
    return Caller(token.id, token.publisher_id, frozenset(token.scopes))


def check_publish(caller: Caller, kind: str, data: Mapping[str, Any]) -> None:
    """May the caller publish this record? AuthError(403) when not."""
    _check_scope(caller, kind)
    publisher = data.get("publisher_id")
    if publisher is not None and publisher != caller.publisher_id:
        raise AuthError(
            403,
            f"This token publishes as {caller.publisher_id}, not as {publisher}; "
            "leave publisher_id out or give your own.",
        )
    enterprise = data.get("enterprise_id")
    if caller.is_enterprise and enterprise is not None and enterprise != caller.publisher_id:
        raise AuthError(
            403, f"An enterprise publishes only its own {kind}; this one is {enterprise}'s."
        )


def check_change(caller: Caller, kind: str, record_publisher: str, record_id: str) -> None:
    """May the caller correct or withdraw this record? Only its own publisher may."""
    _check_scope(caller, kind)
    if record_publisher != caller.publisher_id:
        raise AuthError(
            403,
            f"{record_id} was published by {record_publisher}; only its publisher may correct "
            "or withdraw it. To point out an error, report it as a tip.",
        )


def _check_scope(caller: Caller, kind: str) -> None:
    if kind not in caller.scopes:
        held = ", ".join(sorted(caller.scopes)) or "nothing"
        raise AuthError(403, f"This token may not write {kind}; it may write {held}.")


def audit(
    session: Session,
    *,
    action: str,
    status: int,
    via: str,
    actor_id: str | None = None,
    token_id: int | None = None,
    record_id: str | None = None,
    revision: int | None = None,
    detail: str | None = None,
    client: str | None = None,
    now: datetime | None = None,
) -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    session.connection().execute(
        insert(AuditEntry).values(
            at=now or now_utc(),
            actor_id=actor_id,
            token_id=token_id,
            via=via,
            action=action,
            record_id=_storable(record_id or "")[:ID_MAX] or None,
            revision=revision,
            status=status,
            detail=_storable(detail or "")[:2000] or None,
            client=_storable(client or "")[:64] or None,
        )
    )


def _storable(text: str) -> str:
    """Text any database keeps: a refusal may quote what the caller sent, and PostgreSQL takes
    no NUL and no lone surrogate (found by bench/fuzz_api.sh: a 500 instead of the refusal)."""
    return text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def audit_entries(
    session: Session,
    *,
    actor_id: str | None = None,
    record_id: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest audit entries, optionally of one publisher or record, or since a time."""
    stmt = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if actor_id:
        stmt = stmt.where(col(AuditEntry.actor_id) == actor_id)
    if record_id:
        stmt = stmt.where(col(AuditEntry.record_id) == record_id)
    if since:
        stmt = stmt.where(col(AuditEntry.at) >= since)
    return list(session.exec(stmt))


def remembered(
    session: Session, token_id: int, key: str, *, now: datetime | None = None
) -> IdempotentAnswer | None:
    """The answer already given to a request with this Idempotency-Key (within 7 days)."""
    cutoff = (now or now_utc()) - timedelta(days=IDEMPOTENCY_DAYS)
    return session.exec(
        select(IdempotentAnswer).where(
            col(IdempotentAnswer.token_id) == token_id,
            col(IdempotentAnswer.key) == key,
            col(IdempotentAnswer.created_at) >= cutoff,
        )
    ).first()


def remember(
    session: Session,
    token_id: int,
    key: str,
    request_hash: str,
    status: int,
    body: dict[str, Any],
    location: str | None,
    *,
    now: datetime | None = None,
) -> None:
    """Keep the answer to an idempotent request, in the same transaction as its write."""
    moment = now or now_utc()
    cutoff = moment - timedelta(days=IDEMPOTENCY_DAYS)
    # An expired answer under the same key makes room for the new one.
    stale = session.exec(
        select(IdempotentAnswer).where(
            col(IdempotentAnswer.token_id) == token_id,
            col(IdempotentAnswer.key) == key,
            col(IdempotentAnswer.created_at) < cutoff,
        )
    ).first()
    if stale is not None:
        session.delete(stale)
        session.flush()
    session.add(
        IdempotentAnswer(
            token_id=token_id,
            key=key,
            request_hash=request_hash,
            status=status,
            body=body,
            location=location,
            created_at=moment,
        )
    )
    session.flush()
