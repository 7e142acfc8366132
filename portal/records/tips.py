"""Citizen tips: received and held for moderation; the contact never leaves this module's rows."""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert
from sqlmodel import Session, col, select

from portal.codes import Param
from portal.models.common import INVISIBLE, requested_id
from portal.models.tip import Tip, TipCreate, TipPublic, TipStatus
from portal.records.checks import RecordError, no_such_record, reason_too_long, validation_problems
from portal.records.kinds import UnknownKind, kind_of_id
from portal.records.tokens import audit
from portal.records.write import Problem

TIP_PREFIX = "TIP"
_COMPARED = ("kind", "about_id", "text", "place", "province", "received_at", "sample", "contact")


def receive_tips(
    session: Session, items: Sequence[TipCreate], *, now: datetime
) -> tuple[int, int, list[Problem]]:
    """Store new tips (status received); an identical tip again is unchanged, a different one
    under the same id is refused. Returns (new, unchanged, problems)."""
    problems: list[Problem] = []
    ids = [t.id for t in items if t.id]
    existing = {t.id: t for t in session.exec(select(Tip).where(col(Tip.id).in_(ids)))}
    rows: list[dict[str, Any]] = []
    unchanged = 0
    for index, item in enumerate(items):
        if not item.id or not item.id.startswith(TIP_PREFIX + "-"):
            message = "a tip id starts with TIP-"
            problems.append(Problem(index, "id", message, "id_prefix", {"prefix": TIP_PREFIX}))
            continue
        if item.about_id and not _exists(session, item.about_id):
            problems.append(no_such_record(index, "about_id", item.about_id))
            continue
        values = item.model_dump()
        values["received_at"] = item.received_at or now
        old = existing.get(item.id)
        if old is None:
            rows.append(values)
        elif all(getattr(old, f) == values[f] for f in _COMPARED):
            unchanged += 1
        else:
            problems.append(
                Problem(
                    index,
                    "id",
                    f"{item.id} was received with other content; a tip cannot be changed by import",
                    "tip_changed",
                    {"id": item.id},
                )
            )
    if rows and not problems:
        session.connection().execute(insert(Tip), rows)
    return len(rows), unchanged, problems


def _exists(session: Session, record_id: str) -> bool:
    try:
        table = kind_of_id(record_id).table
    except UnknownKind:
        return False
    return session.get(table, record_id) is not None


# -- tips filed on the portal, and their moderation ---------------------------------------------
_ALPHABET = string.ascii_uppercase + string.digits
FINAL = (TipStatus.accepted, TipStatus.rejected)
NEXT: dict[TipStatus, tuple[TipStatus, ...]] = {
    TipStatus.received: (TipStatus.under_review, TipStatus.accepted, TipStatus.rejected),
    TipStatus.under_review: (TipStatus.accepted, TipStatus.rejected),
}


def new_tip_id(now: datetime) -> str:
    """An id nobody can guess (TIP-2026-K7Q2M9X4ZP): the tracking page is found by it."""
    return f"{TIP_PREFIX}-{now:%Y}-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def no_such_tip(tip_id: str) -> Problem:
    """A tip id nobody was given."""
    return Problem(0, "id", f"there is no tip {tip_id}", "no_such_tip", {"id": tip_id})


def file_tip(
    session: Session,
    data: dict[str, Any],
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> str:
    """Receive one tip from the public form; RecordError says each field to fix."""
    moment = now or datetime.now(UTC)
    try:
        item = TipCreate.model_validate({**data, "id": new_tip_id(moment)})
    except ValidationError as exc:
        raise RecordError(validation_problems(0, exc, TipCreate)) from None
    if item.about_id and not _exists(session, item.about_id):
        raise RecordError([no_such_record(0, "about_id", item.about_id)])
    values = item.model_dump()
    values["received_at"] = moment
    values["sample"] = False
    session.connection().execute(insert(Tip), [values])
    audit(session, action="tip-file", status=201, via="web", record_id=item.id, client=client)
    assert item.id is not None
    return item.id


def tip_public(session: Session, tip_id: str) -> TipPublic | None:
    """A tip as its tracking page shows it: never the contact."""
    tip = session.get(Tip, tip_id)
    return None if tip is None else TipPublic.model_validate(tip, from_attributes=True)


def tips_to_moderate(session: Session, status: str | None = None, limit: int = 100) -> list[Tip]:
    """Tips for moderators (with their contact), oldest undecided first."""
    stmt = select(Tip).order_by(col(Tip.received_at)).limit(limit)
    if status:
        stmt = stmt.where(col(Tip.status) == status)
    else:
        stmt = stmt.where(col(Tip.status).in_([s.value for s in NEXT]))
    return list(session.exec(stmt))


def moderate(
    session: Session,
    tip_id: str,
    *,
    status: str,
    moderator_id: str,
    token_id: int | None = None,
    reason: str | None = None,
    linked_record_id: str | None = None,
    now: datetime | None = None,
) -> TipPublic:
    """Move a tip on: under review, accepted (linked to the record it led to) or rejected
    (with a reason the public reads). Decided tips stay decided."""
    moment = now or datetime.now(UTC)
    tip = session.get(Tip, tip_id)
    if tip is None:
        raise RecordError([no_such_tip(tip_id)], status="not_found")
    try:
        wanted = TipStatus(status)
    except ValueError:
        choices = [s.value for s in TipStatus]
        message = f"status must be one of {', '.join(choices)}"
        params: dict[str, Param] = {"name": "status", "choices": choices}
        raise RecordError([Problem(0, "status", message, "not_one_of", params)]) from None
    current = TipStatus(tip.status)
    if wanted not in NEXT.get(current, ()):
        message = f"{tip_id} is {current.value}; it cannot become {wanted.value}"
        moves: dict[str, Param] = {"id": tip_id, "status": current.value, "wanted": wanted.value}
        moved = Problem(0, "status", message, "status_transition", moves)
        raise RecordError([moved], status="conflict")
    reason = (reason or "").strip() or None
    if reason and len(reason) > 2000:
        raise RecordError([reason_too_long()])
    if reason and INVISIBLE.search(reason):  # PostgreSQL refuses a NUL in text: a 500 before
        message = "remove the invisible control characters"
        raise RecordError([Problem(0, "reason", message, "control_character", {"name": "reason"})])
    if wanted == TipStatus.rejected and (reason is None or len(reason) < 3):
        message = "say why the tip is rejected; it is public"
        raise RecordError([Problem(0, "reason", message, "reason_required")])
    if wanted == TipStatus.accepted:
        linked = requested_id((linked_record_id or "").strip()) or ""
        if not linked or not _exists(session, linked):
            message = "name the published record the tip led to"
            unnamed = Problem(0, "linked_record_id", message, "linked_record_required")
            raise RecordError([unnamed])
        tip.linked_record_id = linked
    tip.status = wanted.value
    tip.status_reason = reason
    if wanted in FINAL:
        tip.decided_by, tip.decided_at = moderator_id, moment
    session.add(tip)
    audit(
        session,
        action=f"tip-{wanted.value}",
        status=200,
        via="web",
        actor_id=moderator_id,
        token_id=token_id,
        record_id=tip_id,
        detail=reason,
        now=moment,
    )
    session.flush()
    return TipPublic.model_validate(tip, from_attributes=True)
