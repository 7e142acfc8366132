"""Reading records as the public sees them: one record, a page of a listing, history, counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session, col

from portal.models.common import RecordPublic
from portal.models.disclosure import FigurePublic
from portal.models.incident import ReadingPublic, ResponsibleIn, UpdateIn
from portal.models.penalty import PenaltyIn
from portal.models.response import Response
from portal.models.revision import RecordPollutant, Revision, RevisionPublic
from portal.models.times import AS_STORED
from portal.records.kinds import KINDS, PUBLIC_KINDS, Kind, UnknownKind, kind_of_id
from portal.records.listing import Page, filtered, run
from portal.records.query import RecordQuery


def _stored(model: type[Any]) -> Any:
    """Build a part's public model from its stored row, validated when it was written."""
    fields = tuple(model.model_fields)
    return lambda row: model.model_construct(**{name: row.get(name) for name in fields})


_PART_PUBLIC: dict[str, Any] = {
    "readings": ReadingPublic.judge,
    "figures": FigurePublic.judge,
    "responsible": _stored(ResponsibleIn),
    "updates": _stored(UpdateIn),
    "penalties": lambda row: PenaltyIn.model_validate(
        {name: row.get(name) for name in PenaltyIn.model_fields}, context=AS_STORED
    ),  # validated again (a handful a record): its currency and source are typed
}


def to_public(session: Session, kind: Kind, rows: Sequence[Any]) -> list[RecordPublic]:
    """Public models for table rows, loading their parts in one query per part (no N+1).

    Parts are read as plain rows (no ORM objects): a page of incidents holds thousands of
    readings."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    extra: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    if kind.has_pollutants or kind.pollutant_parts:
        for record_id, code in session.execute(
            select(col(RecordPollutant.record_id), col(RecordPollutant.pollutant))
            .where(col(RecordPollutant.record_id).in_(ids))
            .order_by(RecordPollutant.pollutant)
        ):
            extra[record_id]["pollutants"].append(code)
    for part in kind.parts:
        table: Any = part.table.__table__  # type: ignore[attr-defined]
        fk = table.c[part.fk]
        judged = _PART_PUBLIC[part.name]
        result = session.execute(select(table).where(fk.in_(ids)).order_by(*part.order()))
        keys = tuple(result.keys())
        for values in result:
            child = dict(zip(keys, values, strict=True))
            extra[child[part.fk]][part.name].append(judged(child))
    out = []
    for row in rows:
        data = {c: getattr(row, c) for c in kind.columns}
        # As stored: a row from before a rule (a date's range, say) is shown, not refused.
        public = {**data, "kind": kind.name, **extra[row.id]}
        out.append(kind.public.model_validate(public, context=AS_STORED))
    return out


def get_record(session: Session, record_id: str) -> RecordPublic | None:
    """One record by id, withdrawn or not; None when no record has that id."""
    try:
        kind = kind_of_id(record_id)
    except UnknownKind:
        return None
    row = session.get(kind.table, record_id)
    if row is None:
        return None
    return to_public(session, kind, [row])[0]


def list_records(session: Session, query: RecordQuery) -> tuple[Page, list[RecordPublic]]:
    """Run a listing query and return its page with public models of the rows."""
    page = run(session, query)
    return page, to_public(session, KINDS[query.kind], page.rows)


def freshness(session: Session, query: RecordQuery) -> tuple[int, datetime | None, int]:
    """How many records a listing query matches, when this portal last wrote one, and the sum
    of their revision numbers.

    Cheap validators for a listing or a download (ETag, Last-Modified): a publication or a
    withdrawal changes the count, a correction the revisions, whatever its timestamp.
    """
    table = KINDS[query.kind].table
    count, newest, revisions = session.execute(
        filtered(session, query, walk=False).with_only_columns(
            func.count(), func.max(table.recorded_at), func.coalesce(func.sum(table.revision), 0)
        )
    ).one()
    return int(count), newest, int(revisions)


class Change(NamedTuple):
    """Which revision of a record a reader last saw, when it was made and when it was recorded."""

    id: str
    updated_at: datetime
    revision: int
    recorded_at: datetime

    @property
    def order(self) -> tuple[datetime, datetime, str]:
        """Newest first by this: what the portal recorded last, then what changed last."""
        return (self.recorded_at, self.updated_at, self.id)


def recent_changes(session: Session, query: RecordQuery, limit: int) -> list[Change]:
    """The records a query matches, most recently recorded first (then most recently changed),
    withdrawn ones included (a feed keeps a withdrawal as an entry that says so). Keys only:
    cheap enough to decide a 304."""
    table = KINDS[query.kind].table
    stmt = (
        filtered(session, replace(query, include_withdrawn=True))
        .with_only_columns(table.id, table.updated_at, table.revision, table.recorded_at)
        .order_by(table.recorded_at.desc(), table.updated_at.desc(), table.id.desc())
        .limit(limit)
    )
    return [Change(*row) for row in session.execute(stmt)]


def get_records(session: Session, ids: Iterable[str]) -> dict[str, RecordPublic]:
    """Public models of records of any kinds by id, one query per kind and part."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for record_id in ids:
        try:
            by_kind[kind_of_id(record_id).name].append(record_id)
        except UnknownKind:
            continue
    out: dict[str, RecordPublic] = {}
    for kind_name, wanted in by_kind.items():
        kind = KINDS[kind_name]
        rows = list(session.scalars(select(kind.table).where(kind.table.id.in_(wanted))))
        out.update((item.id, item) for item in to_public(session, kind, rows))
    return out


def latest_revisions(session: Session, changes: Iterable[Change]) -> dict[str, RevisionPublic]:
    """The revision each record is at (what a correction or withdrawal changed, and why)."""
    wanted = {c.id: c.revision for c in changes}
    if not wanted:
        return {}
    # By record id (an index seek; SQLite scans for a row-value IN), the public columns only:
    # a revision's snapshot is the whole record, never needed here.
    fields = tuple(RevisionPublic.model_fields)
    rows = session.execute(
        select(*(getattr(Revision, f) for f in fields)).where(
            col(Revision.record_id).in_(list(wanted))
        )
    )
    out = {}
    for row in rows:
        data = dict(zip(fields, row, strict=True))
        if wanted.get(data["record_id"]) == data["number"]:
            out[data["record_id"]] = RevisionPublic.model_validate(data)
    return out


def history(session: Session, record_id: str) -> list[RevisionPublic]:
    """Every revision of a record, oldest first."""
    rows = session.scalars(
        select(Revision).where(col(Revision.record_id) == record_id).order_by(col(Revision.number))
    )
    return [RevisionPublic.model_validate(r, from_attributes=True) for r in rows]


def responses_to(session: Session, subject_id: str) -> list[RecordPublic]:
    """The enterprises' replies to a record, oldest first (right of reply)."""
    rows = session.scalars(
        select(Response)
        .where(col(Response.subject_id) == subject_id, col(Response.withdrawn_at).is_(None))
        .order_by(col(Response.published_at))
    )
    return to_public(session, KINDS["responses"], list(rows))


# What a record page lists beside the record: an enterprise's incidents, inspections and
# disclosures; a department's incidents and inspections.
_RELATED = {
    "enterprises": ("incidents", "inspections", "disclosures"),
    "departments": ("incidents", "inspections"),
}


def related_to(
    session: Session, record: RecordPublic, limit: int = 20
) -> dict[str, list[RecordPublic]]:
    """The newest records of other kinds that concern this enterprise or department."""
    out = {}
    for other in _RELATED.get(record.kind, ()):
        if record.kind == "enterprises":
            query = RecordQuery(kind=other, enterprise=record.id, limit=limit)
        else:
            query = RecordQuery(kind=other, department=record.id, limit=limit)
        out[other] = list_records(session, query)[1]
    return out


def counts(session: Session) -> dict[str, int]:
    """How many published (not withdrawn) records of each public kind there are."""
    out = {}
    for name in PUBLIC_KINDS:
        table = KINDS[name].table
        out[name] = session.scalars(
            select(func.count()).select_from(table).where(table.withdrawn_at.is_(None))
        ).one()
    return out


def names(session: Session, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """Display names (zh, en) of departments and enterprises, for pages that name them."""
    out: dict[str, tuple[str, str | None]] = {}
    for kind_name in ("departments", "enterprises"):
        table = KINDS[kind_name].table
        wanted = [i for i in set(ids) if i.startswith(KINDS[kind_name].prefix + "-")]
        if wanted:
            for rid, zh, en in session.execute(
                select(table.id, table.name_zh, table.name_en).where(table.id.in_(wanted))
            ):
                out[rid] = (zh, en)
    return out


def empty(session: Session) -> bool:
    """True when no record of any kind has been published yet."""
    return all(session.scalars(select(KINDS[n].table.id).limit(1)).first() is None for n in KINDS)
