"""Citizen tips: received and held for moderation; the contact never leaves this module's rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from portal.models.tip import Tip, TipCreate
from portal.records.kinds import UnknownKind, kind_of_id
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
            problems.append(Problem(index, "id", "a tip id starts with TIP-"))
            continue
        if item.about_id and not _exists(session, item.about_id):
            problems.append(Problem(index, "about_id", f"there is no record {item.about_id}"))
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
