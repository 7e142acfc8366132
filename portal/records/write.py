"""Publish, correct and withdraw: every write to a record goes through here, with its revision.

Functions here flush but never commit: the caller owns the transaction (`db.session_scope`), so
a whole import, or one API request, is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from portal.models.common import INVISIBLE, Input
from portal.models.revision import Action, RecordPollutant, Revision
from portal.records.changelog import take_versions
from portal.records.checks import (
    Problem,
    RecordError,
    Writer,
    check_credits,
    check_references,
    may_not_change,
    no_such_record,
    reason_too_long,
    validation_problems,
    withdrawn,
)
from portal.records.kinds import Kind, UnknownKind, kind_of_id


@dataclass
class Planned:
    """What a write will do to one record."""

    action: Action | None  # None: the record already says exactly this
    record_id: str
    item: Any  # the validated create model of the record's kind
    snapshot: dict[str, Any]
    old_snapshot: dict[str, Any] | None = None
    old_revision: int = 0


# The ids of the records a session wrote in its transaction (a set), so that whoever keeps
# copies (the search index) can follow, before or after the commit; records itself knows
# nothing of them.
WRITTEN = "records_written"


def _written(session: Session, ids: Sequence[str]) -> None:
    """Add ids to what this session's transaction wrote (WRITTEN)."""
    session.info.setdefault(WRITTEN, set()).update(ids)


def now_utc() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def snapshot_of(item: Input) -> dict[str, Any]:
    """The record as published, in JSON form, without its id: what revisions store and compare."""
    return item.model_dump(mode="json", exclude={"id"})


def _current(session: Session, kind: Kind, ids: Sequence[str]) -> dict[str, tuple[int, Any, dict]]:
    """For each existing id: its revision, withdrawal time and the snapshot of that revision."""
    table = kind.table
    out: dict[str, tuple[int, Any, dict]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        rows = session.exec(
            select(table.id, table.revision, table.withdrawn_at, col(Revision.snapshot))
            .join(
                Revision,
                (col(Revision.record_id) == table.id) & (col(Revision.number) == table.revision),
            )
            .where(table.id.in_(chunk))
        )
        for record_id, revision, withdrawn_at, snapshot in rows:
            out[record_id] = (revision, withdrawn_at, snapshot)
    return out


def _as_now(kind: Kind, record_id: str, old: dict[str, Any]) -> dict[str, Any]:
    """A stored snapshot as the current models write it: a field added since (a figure's item,
    `entered_by`) takes its default, so a record filed again unchanged is still unchanged and a
    correction lists only what it changed. A snapshot the models no longer accept stays as it is."""
    try:
        return snapshot_of(kind.create.model_validate({**old, "id": record_id}))
    except ValidationError:
        return old


def _keep_parts(kind: Kind, item: Any, old: Mapping[str, Any]) -> Any:
    """The item with each nested part it leaves out (readings, responsible, updates, figures)
    taken from the published record: a file that corrects a title need not repeat 2,000
    readings, and leaving them out must not delete them. A part given, even [], replaces."""
    absent = [p.name for p in kind.parts if p.name not in item.model_fields_set]
    if not absent:
        return item
    data = {**item.model_dump(mode="json"), **{name: old.get(name, []) for name in absent}}
    return kind.create.model_validate(data)


def plan(
    session: Session,
    kind: Kind,
    items: Sequence[Any],
    *,
    now: datetime,
    allow_corrections: bool = False,
    writer: Writer | None = None,
) -> tuple[list[Planned], list[Problem]]:
    """Decide what publishing these validated items means: new, unchanged, or a correction.

    With a `writer` (an import --as), a record is corrected only within the writer's bounds and
    credits only departments within them; None trusts each item (loading the sample set).
    Whoever writes, a correction never changes a record's publisher."""
    ids = [item.id for item in items]
    current = _current(session, kind, [i for i in ids if i])
    problems: list[Problem] = []
    kept: list[Any] = []
    for index, item in enumerate(items):
        try:
            kept.append(
                _keep_parts(kind, item, current[item.id][2]) if item.id in current else item
            )
        except ValidationError as exc:  # a part kept from before a rule existed
            problems.extend(validation_problems(index, exc, kind.create))
            kept.append(item)
    items = kept
    problems.extend(check_references(session, kind, items))
    if writer is not None:
        published = {i: snapshot for i, (_, _, snapshot) in current.items()}
        problems.extend(check_credits(kind, items, writer, published))
    planned: list[Planned] = []
    for index, item in enumerate(items):
        record_id = item.id
        if record_id is None:
            problems.append(Problem(index, "id", "is required", "missing"))
            continue
        if not record_id.startswith(f"{kind.prefix}-"):  # an unknown prefix too (AAA-1)
            message = f"a {kind.name[:-1]} id starts with {kind.prefix}-"
            problems.append(Problem(index, "id", message, "id_prefix", {"prefix": kind.prefix}))
            continue
        if record_id not in current:
            if item.published_at is None:
                item.published_at = now
            planned.append(Planned(Action.publish, record_id, item, snapshot_of(item)))
            continue
        revision, withdrawn_at, old = current[record_id]
        old = _as_now(kind, record_id, old)
        if item.published_at is None:
            item.published_at = datetime.fromisoformat(old["published_at"])
        snapshot = snapshot_of(item)
        if snapshot == old:
            planned.append(Planned(None, record_id, item, snapshot, old, revision))
            continue
        refusal = may_not_change(record_id, old["publisher_id"], item.publisher_id, writer, index)
        if refusal is not None:
            problems.append(refusal)
        elif withdrawn_at is not None:
            problems.append(withdrawn(index, record_id))
        elif not allow_corrections:
            fields = ", ".join(sorted(k for k in snapshot if snapshot.get(k) != old.get(k)))
            problems.append(
                Problem(
                    index,
                    "id",
                    f"{record_id} exists with different {fields}; a correction "
                    "needs a reason (import with --reason)",
                    "exists_different",
                    {"id": record_id, "fields": fields.split(", ")},
                )
            )
        else:
            planned.append(Planned(Action.correct, record_id, item, snapshot, old, revision))
    return planned, problems


def _row_values(kind: Kind, record_id: str, item: Input) -> dict[str, Any]:
    data = item.model_dump()
    values = {c: data[c] for c in kind.columns if c in data}
    values["id"] = record_id
    values["sources"] = item.model_dump(mode="json", include={"sources"})["sources"]
    return values


def _write_parts(session: Session, kind: Kind, plans: Sequence[Planned], replace: bool) -> None:
    conn = session.connection()
    ids = [p.record_id for p in plans]
    if replace and ids:
        for part in kind.parts:
            conn.execute(delete(part.table).where(getattr(part.table, part.fk).in_(ids)))
        conn.execute(delete(RecordPollutant).where(col(RecordPollutant.record_id).in_(ids)))
    for part in kind.parts:
        columns = set(part.table.__table__.columns.keys()) - {"id"}  # type: ignore[attr-defined]
        rows = []
        for p in plans:
            for child in getattr(p.item, part.name):
                values = {k: v for k, v in child.model_dump().items() if k in columns}
                values[part.fk] = p.record_id
                for name in part.own:
                    if values.get(name) is None:
                        values[name] = p.record_id
                rows.append(values)
        if rows:
            conn.execute(insert(part.table), rows)
    pollutant_rows: list[dict[str, str]] = []
    for p in plans:
        codes = set(getattr(p.item, "pollutants", None) or []) if kind.has_pollutants else set()
        for part_name in kind.pollutant_parts:
            parts = getattr(p.item, part_name)
            codes.update(child.pollutant for child in parts if child.pollutant is not None)
        pollutant_rows.extend(
            {"record_id": p.record_id, "pollutant": c, "kind": kind.name} for c in sorted(codes)
        )
    if pollutant_rows:
        conn.execute(insert(RecordPollutant), pollutant_rows)


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Field by field, the old and new values where they differ."""
    return {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def apply(
    session: Session,
    kind: Kind,
    plans: Sequence[Planned],
    *,
    author_id: str | None,
    now: datetime,
    reason: str | None = None,
    batch: str | None = None,
    token_id: int | None = None,
) -> int:
    """Write planned publications and corrections with their revisions; return how many changed.

    `author_id` None credits each record's own publisher (loading the sample set).
    """
    conn = session.connection()
    changing = [p for p in plans if p.action is not None]
    if not changing:
        return 0
    versions = take_versions(session, len(changing))  # first: writers queue here, in order
    new = [p for p in plans if p.action == Action.publish]
    corrections = [p for p in plans if p.action == Action.correct]
    if new:
        rows = []
        for p in new:
            values = _row_values(kind, p.record_id, p.item)
            # A new record last changed when it was published, which may be long before this
            # portal recorded it (an import of a department's old records).
            values.update(updated_at=p.item.published_at, recorded_at=now, revision=1)
            rows.append(values)
        conn.execute(insert(kind.table), rows)
        _write_parts(session, kind, new, replace=False)
    for p in corrections:
        values = _row_values(kind, p.record_id, p.item)
        values.update(updated_at=now, recorded_at=now, revision=p.old_revision + 1)
        conn.execute(update(kind.table).where(kind.table.id == p.record_id).values(**values))
    if corrections:
        _write_parts(session, kind, corrections, replace=True)
    revisions = [
        {
            "record_id": p.record_id,
            "kind": kind.name,
            "number": p.old_revision + 1,
            "action": p.action.value,
            "at": now,
            "published_at": p.item.published_at if p.action == Action.publish else now,
            "author_id": author_id or p.item.publisher_id,
            "reason": reason if p.action == Action.correct else None,
            "changes": changed_fields(p.old_snapshot or {}, p.snapshot) if p.old_snapshot else {},
            "snapshot": p.snapshot,
            "batch": batch,
            "token_id": token_id,
            "version": version,
        }
        for p, version in zip(changing, versions, strict=True)
        if p.action is not None
    ]
    conn.execute(insert(Revision), revisions)
    _written(session, [p.record_id for p in changing])
    return len(revisions)


def validate_item(kind: Kind, data: Mapping[str, Any], index: int = 0) -> Any:
    """Validate one record's data with its kind's create model, or raise RecordError."""
    try:
        return kind.create.model_validate(dict(data))
    except ValidationError as exc:
        raise RecordError(validation_problems(index, exc, kind.create)) from None


def publish(
    session: Session,
    kind: Kind,
    data: Mapping[str, Any],
    *,
    author_id: str,
    now: datetime | None = None,
    token_id: int | None = None,
    writer: Writer | None = None,
) -> str:
    """Publish one new record (revision 1); its id must be new. Returns the id.

    With a `writer`, a department the record credits outside its bounds is refused as
    "forbidden": the same record from that department would be accepted."""
    moment = now or now_utc()
    item = validate_item(kind, data)
    if writer is not None:
        denied = check_credits(kind, [item], writer, {})
        if denied:
            raise RecordError(denied, status="forbidden")
    plans, problems = plan(session, kind, [item], now=moment)
    if problems:
        raise RecordError(problems)
    if plans[0].action is None:
        raise RecordError(
            [
                Problem(
                    0,
                    "id",
                    f"{plans[0].record_id} is already published",
                    "already_published",
                    {"id": plans[0].record_id},
                )
            ],
            status="conflict",
        )
    apply(session, kind, plans, author_id=author_id, now=moment, token_id=token_id)
    session.flush()
    return plans[0].record_id


def _load_current(session: Session, record_id: str) -> tuple[Kind, int, Any, dict[str, Any]]:
    try:
        kind = kind_of_id(record_id)
    except UnknownKind as exc:
        unknown = Problem(0, "id", str(exc), "no_such_record", {"id": record_id})
        raise RecordError([unknown], status="not_found") from None
    current = _current(session, kind, [record_id])
    if record_id not in current:
        raise RecordError([no_such_record(0, "id", record_id)], status="not_found")
    revision, withdrawn_at, snapshot = current[record_id]
    return kind, revision, withdrawn_at, snapshot


def correct(
    session: Session,
    record_id: str,
    changes: Mapping[str, Any],
    *,
    reason: str,
    author_id: str,
    expected_revision: int | None = None,
    now: datetime | None = None,
    token_id: int | None = None,
    writer: Writer | None = None,
) -> int:
    """Correct fields of a record: a new revision keeps the old values and the reason.

    With a `writer`, the record must be within its bounds and may credit no new department
    outside them ("forbidden"). Returns the new revision number.
    """
    moment = now or now_utc()
    kind, revision, withdrawn_at, old = _load_current(session, record_id)
    if withdrawn_at is not None:
        raise RecordError([withdrawn(0, record_id)], "gone")
    if writer is not None:
        refusal = may_not_change(record_id, old["publisher_id"], old["publisher_id"], writer)
        if refusal is not None:
            raise RecordError([refusal], status="forbidden")
    if "publisher_id" in changes:
        raise RecordError(
            [
                Problem(
                    0,
                    "publisher_id",
                    f"a correction never changes who published a record: {record_id} stays "
                    f"{old['publisher_id']}'s; leave publisher_id out of the changes",
                    "publisher_change",
                    {"id": record_id, "owner": old["publisher_id"]},
                )
            ]
        )
    _check_revision(record_id, revision, expected_revision)
    try:
        checked = kind.correction.model_validate({**changes, "reason": reason})
    except ValidationError as exc:
        raise RecordError(validation_problems(0, exc, kind.correction)) from None
    patch = checked.model_dump(mode="json", exclude_unset=True, exclude={"reason"})
    item = validate_item(kind, {**old, **patch, "id": record_id})
    snapshot = snapshot_of(item)
    old = _as_now(kind, record_id, old)
    if snapshot == old:
        raise RecordError([Problem(0, "record", "the correction changes nothing", "unchanged")])
    problems = check_references(session, kind, [item])
    if problems:
        raise RecordError(problems)
    if writer is not None:
        denied = check_credits(kind, [item], writer, {record_id: old})
        if denied:
            raise RecordError(denied, status="forbidden")
    planned = Planned(Action.correct, record_id, item, snapshot, old, revision)
    reason_text: str = checked.reason  # type: ignore[attr-defined]
    apply(
        session,
        kind,
        [planned],
        author_id=author_id,
        now=moment,
        reason=reason_text,
        token_id=token_id,
    )
    session.flush()
    return revision + 1


def _check_revision(record_id: str, revision: int, expected: int | None) -> None:
    """Optimistic concurrency: a change names the revision it was made against."""
    if expected is not None and expected != revision:
        raise RecordError(
            [
                Problem(
                    0,
                    "revision",
                    f"{record_id} is at revision {revision}, not {expected}; read it again "
                    "and reapply your change",
                    "revision_conflict",
                    {"id": record_id, "revision": revision, "expected": expected},
                )
            ],
            status="conflict",
        )


def withdraw(
    session: Session,
    record_id: str,
    *,
    reason: str,
    author_id: str,
    now: datetime | None = None,
    token_id: int | None = None,
    expected_revision: int | None = None,
) -> int:
    """Withdraw a record: it stays readable as a tombstone saying who, when and why."""
    moment = now or now_utc()
    kind, revision, withdrawn_at, old = _load_current(session, record_id)
    if withdrawn_at is not None:
        message = f"{record_id} is already withdrawn"
        already = Problem(0, "id", message, "already_withdrawn", {"id": record_id})
        raise RecordError([already], status="gone")
    _check_revision(record_id, revision, expected_revision)
    # A reason is shown publicly: the rules of a correction's (models.common.Reason), read as sent.
    found = INVISIBLE.search(reason)
    if found:
        position, character = found.start() + 1, f"U+{ord(found.group()):04X}"
        raise RecordError(
            [
                Problem(
                    0,
                    "reason",
                    f"character {position} is an invisible control character "
                    f"({character}); remove it",
                    "control_character_at",
                    {"position": position, "character": character},
                )
            ]
        )
    if len(reason) > 2000:
        raise RecordError([reason_too_long()])
    reason = reason.strip()
    if len(reason) < 3:
        message = "say why the record is withdrawn"
        raise RecordError([Problem(0, "reason", message, "reason_required")])
    (version,) = take_versions(session, 1)  # before the record's row: see records/changelog.py
    conn = session.connection()
    conn.execute(
        update(kind.table)
        .where(kind.table.id == record_id)
        .values(
            withdrawn_at=moment,
            withdrawn_by=author_id,
            withdrawal_reason=reason,
            revision=revision + 1,
            updated_at=moment,
            recorded_at=moment,
        )
    )
    conn.execute(
        insert(Revision),
        [
            {
                "record_id": record_id,
                "kind": kind.name,
                "number": revision + 1,
                "action": Action.withdraw.value,
                "at": moment,
                "published_at": moment,
                "author_id": author_id,
                "reason": reason,
                "changes": {"withdrawn": {"old": False, "new": True}},
                "snapshot": old,
                "batch": None,
                "token_id": token_id,
                "version": version,
            }
        ],
    )
    _written(session, [record_id])
    session.flush()
    return revision + 1
