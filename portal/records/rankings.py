"""Rankings over a listing's whole filtered set, ordered by the database: the enterprises with the
largest fines, or with the most records of a kind (violations found, incidents held responsible
for). Whatever filters the listing takes, the ranking takes, so a ranking and the listing that
shows its records agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from portal.models.incident import IncidentEnterprise
from portal.models.inspection import Inspection
from portal.records.kinds import kind_named
from portal.records.listing import filtered
from portal.records.query import RecordQuery


@dataclass(frozen=True)
class Fined:
    """An enterprise's fines within a listing: the largest, the sum, how many, and the
    inspection that carried the largest."""

    enterprise_id: str
    largest: int
    total: int
    fines: int
    inspection_id: str


@dataclass(frozen=True)
class Counted:
    """An enterprise and how many records of a listing are its own."""

    enterprise_id: str
    records: int


def fined(session: Session, query: RecordQuery, limit: int, by: str = "largest") -> list[Fined]:
    """The enterprises fined within an inspections listing, by their largest single fine (or
    `by="total"`, the sum of their fines), largest first; ties by the other figure, then id."""
    if query.kind != "inspections":
        raise ValueError("fines are ranked over an inspections listing")
    sub = filtered(session, query, walk=False).where(col(Inspection.penalty_yuan) > 0).subquery()
    largest = func.max(sub.c.penalty_yuan).label("largest")
    total = func.sum(sub.c.penalty_yuan).label("total")
    order = (largest.desc(), total.desc()) if by == "largest" else (total.desc(), largest.desc())
    stmt = (
        select(sub.c.enterprise_id, largest, total, func.count().label("fines"))
        .group_by(sub.c.enterprise_id)
        .order_by(*order, sub.c.enterprise_id)
        .limit(limit)
    )
    out = []
    for row in session.execute(stmt):
        top = session.scalars(
            select(sub.c.id)
            .where(sub.c.enterprise_id == row.enterprise_id)
            .order_by(sub.c.penalty_yuan.desc(), sub.c.inspected_on.desc(), sub.c.id)
            .limit(1)
        ).one()
        out.append(Fined(row.enterprise_id, int(row.largest), int(row.total), row.fines, top))
    return out


def by_enterprise(session: Session, query: RecordQuery, limit: int) -> list[Counted]:
    """The enterprises with the most records in a listing (inspections or disclosures of
    theirs, incidents that hold them responsible), most first; ties by id."""
    kind = kind_named(query.kind)
    sub = filtered(session, query, walk=False).subquery()
    key: Any
    if kind.name == "incidents":
        key = col(IncidentEnterprise.enterprise_id)
        base = select(key, func.count().label("n")).join(
            sub, sub.c.id == col(IncidentEnterprise.incident_id)
        )
    elif kind.name in ("inspections", "disclosures", "responses"):
        key = sub.c.enterprise_id
        base = select(key, func.count().label("n"))
    else:
        raise ValueError(f"{kind.name} are not ranked by enterprise")
    stmt = base.group_by(key).order_by(func.count().desc(), key).limit(limit)
    return [Counted(row[0], int(row[1])) for row in session.execute(stmt)]
