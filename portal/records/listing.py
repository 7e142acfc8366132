"""Running a RecordQuery: the SQL of its filters, keyset pages and the total."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from cachetools import LRUCache
from sqlalchemy import Select, exists, false, func, or_, select
from sqlmodel import Session, col

from portal.models.department import Department
from portal.models.enterprise import Enterprise
from portal.models.incident import IncidentEnterprise, IncidentUpdate
from portal.models.revision import RecordPollutant, Revision
from portal.records.kinds import kind_named
from portal.records.query import CHINA, Cursor, RecordQuery, Sort


def department_subtree(session: Session, root: str) -> list[str]:
    """A department and every bureau below it."""
    ids, frontier = [root], [root]
    while frontier:
        children = session.scalars(
            select(col(Department.id)).where(col(Department.parent_id).in_(frontier))
        )
        frontier = [c for c in children if c not in ids]
        ids.extend(frontier)
    return ids


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, CHINA)


def _member(outer: Any, inner_key: Any, *conditions: Any, walk: bool) -> Any:
    """`outer` is one of the `inner_key` values where the conditions hold.

    Two spellings of one condition, for two plans: a page walks the date index and probes
    each row (EXISTS stops after a page's worth); a count starts from the other table's index
    (IN), instead of probing it once for every record of the kind."""
    if walk:
        return exists().where(inner_key == outer, *conditions)
    return outer.in_(select(inner_key).where(*conditions))


def filtered(session: Session, query: RecordQuery, *, walk: bool = True) -> Select[Any]:
    """The SELECT of a kind's table with every filter of the query applied (no order, no page).

    `walk` for a page in date order; False for counting the whole set (see `_member`)."""
    kind = kind_named(query.kind)
    table = kind.table
    stmt = select(table)
    via_enterprise = kind.name in ("inspections", "disclosures")
    place: Any = Enterprise if via_enterprise else table
    at_place: list[Any] = []  # conditions on the enterprise of an inspection or disclosure
    if not query.include_withdrawn:
        stmt = stmt.where(table.withdrawn_at.is_(None))
    if query.department:
        subtree = department_subtree(session, query.department)
        if kind.name == "departments":
            stmt = stmt.where(table.id.in_(subtree))
        elif kind.name == "incidents":
            stmt = stmt.where(
                or_(
                    table.publisher_id.in_(subtree),
                    exists().where(
                        col(IncidentUpdate.incident_id) == table.id,
                        col(IncidentUpdate.department_id).in_(subtree),
                    ),
                )
            )
        else:
            stmt = stmt.where(table.publisher_id.in_(subtree))
    if query.enterprise:
        if kind.name == "incidents":
            stmt = stmt.where(
                _member(
                    table.id,
                    col(IncidentEnterprise.incident_id),
                    col(IncidentEnterprise.enterprise_id) == query.enterprise,
                    walk=walk,
                )
            )
        else:
            stmt = stmt.where(table.enterprise_id == query.enterprise)
    if query.subject:
        stmt = stmt.where(table.subject_id == query.subject)
    if query.province:
        at_place.append(place.province == query.province)
    if query.city:
        city = query.city.casefold()
        at_place.append(or_(func.lower(place.city_zh) == city, func.lower(place.city_en) == city))
    # Conditions on the enterprise: its own row, the one inspected or disclosing, or for an
    # incident the enterprises it holds responsible (an incident has no county or park).
    of_enterprise = _enterprise_conditions(query)
    if of_enterprise and kind.name == "incidents":
        stmt = stmt.where(
            exists().where(
                col(IncidentEnterprise.incident_id) == table.id,
                col(Enterprise.id) == col(IncidentEnterprise.enterprise_id),
                *of_enterprise,
            )
        )
    elif of_enterprise:
        at_place += of_enterprise
    if query.river:
        river = query.river.casefold()
        stmt = stmt.where(
            or_(func.lower(table.river_zh) == river, func.lower(table.river_en) == river)
        )
    if at_place and via_enterprise:
        stmt = stmt.where(_member(table.enterprise_id, col(Enterprise.id), *at_place, walk=walk))
    elif at_place:
        stmt = stmt.where(*at_place)
    if query.pollutant:
        stmt = stmt.where(
            _member(
                table.id,
                col(RecordPollutant.record_id),
                col(RecordPollutant.pollutant) == query.pollutant,
                walk=walk,
            )
        )
    for name in ("outcome", "status", "category"):
        value = getattr(query, name)
        if value is not None:
            stmt = stmt.where(getattr(table, name) == value)
    date_col = kind.date_key(table)  # an incident of unknown start: when found, or published
    is_datetime = kind.date_field.endswith("_at")
    if query.date_from:
        stmt = stmt.where(
            date_col >= (_day_start(query.date_from) if is_datetime else query.date_from)
        )
    if query.date_to:
        end = query.date_to + timedelta(days=1)
        stmt = stmt.where(date_col < (_day_start(end) if is_datetime else end))
    if query.sample is not None:
        stmt = stmt.where(table.sample == query.sample)
    if query.updated_since:
        # What this portal wrote since: an import of old records is news to a mirror.
        stmt = stmt.where(table.recorded_at > query.updated_since)
    if query.text:
        words = [w for w in query.text.split() if w][:10]
        for word in words:
            pattern = _like(word)
            stmt = stmt.where(
                or_(*(getattr(table, f).ilike(pattern, escape="\\") for f in kind.text_fields))
            )
        if not words:
            stmt = stmt.where(false())
    return stmt


def _enterprise_conditions(query: RecordQuery) -> list[Any]:
    """The query's filters that are facts of an enterprise: sector, county, park, name."""
    out: list[Any] = []
    if query.sector:
        out.append(col(Enterprise.sector) == query.sector)
    for name in ("county", "park"):
        value = getattr(query, name)
        if value:
            folded = value.casefold()
            out.append(
                or_(
                    func.lower(getattr(Enterprise, f"{name}_zh")) == folded,
                    func.lower(getattr(Enterprise, f"{name}_en")) == folded,
                )
            )
    if query.enterprise_name:
        words = [w for w in query.enterprise_name.split() if w][:10]
        for word in words:
            pattern = _like(word)
            out.append(
                or_(
                    col(Enterprise.name_zh).ilike(pattern, escape="\\"),
                    col(Enterprise.name_en).ilike(pattern, escape="\\"),
                )
            )
        if not words:
            out.append(false())
    return out


@dataclass(frozen=True)
class Page:
    """One page of a listing: its rows, the total across pages, and the cursor of the next."""

    query: RecordQuery
    rows: list[Any]
    total: int
    next_cursor: Cursor | None


def _sort_value(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


# By version, not id: versions follow commit order (records/changelog.py), so no revision can
# be committed later under a lower number than one already seen, and a key never goes stale.
_NEWEST = (
    select(col(Revision.version), col(Revision.at)).order_by(col(Revision.version).desc()).limit(1)
)


def data_version(session: Session) -> tuple[int, datetime | None]:
    """The newest revision's change-log version and time: every publication, correction and
    withdrawal moves it, so anything computed from the records stays valid while it stays the
    same.

    Asked on every cached read (portal/cache.py), so it goes to the session's connection
    directly: the ORM's execution path cost more than the indexed lookup itself."""
    row = session.connection().execute(_NEWEST).first()
    return (int(row[0] or 0), row[1]) if row else (0, None)


def revision_time(session: Session, version: int) -> datetime | None:
    """When the newest revision at or below a change-log version was written (None if none):
    how recent the newest change is that a copy caught up to `version` holds."""
    newest = (
        select(col(Revision.at))
        .where(col(Revision.version) <= version)
        .order_by(col(Revision.version).desc())
        .limit(1)
    )
    row = session.connection().execute(newest).first()
    return row[0] if row else None


class _Totals:
    """Listing totals by query and data version, in this process (a write changes the version,
    so a stale total is never served). Counting 45,000 matching rows costs tens of
    milliseconds; the first page of a popular listing is asked for again and again."""

    def __init__(self, size: int = 2048) -> None:
        self._values: LRUCache[tuple[Any, ...], int] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # cachetools' caches are not safe across threads

    def get(self, session: Session, query: RecordQuery) -> int:
        version, _ = data_version(session)
        key = (
            str(session.get_bind().engine.url),
            version,
            replace(query, cursor=None, limit=0, sort=Sort.newest),
        )
        with self._lock:
            known = self._values.get(key)
        if known is not None:
            return known
        stmt = filtered(session, query, walk=False)
        total = int(session.scalars(select(func.count()).select_from(stmt.subquery())).one())
        with self._lock:
            self._values[key] = total
        return total


TOTALS = _Totals()


def count(session: Session, query: RecordQuery) -> int:
    """How many records a listing query matches (across all its pages)."""
    return TOTALS.get(session, query)


def run(session: Session, query: RecordQuery, *, with_total: bool = True) -> Page:
    """Run a listing query: one page of table rows in order, the total and the next cursor."""
    kind = kind_named(query.kind)
    total = count(session, query) if with_total else -1
    rows = list(session.scalars(page_statement(session, query)))
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        last = rows[-1]
        next_cursor = Cursor(_sort_value(kind.date_of(last)), last.id)
    return Page(query, rows, int(total), next_cursor)


def page_statement(session: Session, query: RecordQuery) -> Any:
    """The statement of one page of a listing, in order, one row over the page (so a next page
    is known to exist): what the date indexes must answer without sorting every match."""
    kind = kind_named(query.kind)
    table = kind.table
    stmt = filtered(session, query)
    date_col = kind.date_key(table)
    newest = query.sort == Sort.newest
    if query.cursor:
        raw = datetime.fromisoformat(query.cursor.value)
        value: date | datetime = raw if kind.date_field.endswith("_at") else raw.date()
        # Written so the date index can seek to the page (date <= last, then the tie on id);
        # an OR alone makes SQLite scan from the top for every page.
        if newest:
            stmt = stmt.where(date_col <= value, or_(date_col < value, table.id < query.cursor.id))
        else:
            stmt = stmt.where(date_col >= value, or_(date_col > value, table.id > query.cursor.id))
    order = (date_col.desc(), table.id.desc()) if newest else (date_col.asc(), table.id.asc())
    return stmt.order_by(*order).limit(query.limit + 1)
