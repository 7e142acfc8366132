"""Stored dates outside the range the models keep: rows written before the range existed.

The models refuse a date or time outside EARLIEST to LATEST (models/common.py), so no write
makes such a row today; `portal check` lists the ones an older portal let in, so that their
publishers can correct them. Pages, feeds and the index show them meanwhile (see `shown_in`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Column, Table, or_, select
from sqlmodel import Session

from portal.models.times import EARLIEST, LATEST
from portal.models.tip import Tip
from portal.records.kinds import KINDS

# A time is kept in UTC, the offset it was written with gone: the range's ends, moved by the
# widest offset (under a day), bound what the models can have accepted.
_TIME_LOW = datetime.combine(EARLIEST, time.min, UTC) - timedelta(days=1)
_TIME_HIGH = datetime.combine(LATEST, time.max, UTC) + timedelta(days=1)
# The portal's own clock (updated_at: a publication time that was checked when it was given).
_SERVER_SET = frozenset({"updated_at", "recorded_at", "withdrawn_at", "decided_at"})


@dataclass(frozen=True)
class StrayDate:
    """One stored date outside the range: which record, which field (dotted for parts), what."""

    record_id: str
    field: str
    value: date


def _python_type(column: Column[Any]) -> type:
    kind = column.type
    return getattr(kind, "impl", kind).python_type


def _date_columns(table: Table) -> list[Column[Any]]:
    return [
        c for c in table.columns if c.name not in _SERVER_SET and issubclass(_python_type(c), date)
    ]


def _targets() -> list[tuple[Table, str, str]]:
    """(table, the column naming the record, the prefix of its fields) of every dated table."""
    out: list[tuple[Table, str, str]] = []
    for kind in KINDS.values():
        out.append((kind.table.__table__, "id", ""))
        out.extend((p.table.__table__, p.fk, f"{p.name}.") for p in kind.parts)  # type: ignore[attr-defined]
    out.append((Tip.__table__, "id", ""))  # type: ignore[attr-defined]
    return out


def stray_dates(session: Session, limit: int = 1000) -> list[StrayDate]:
    """Stored dates and times outside EARLIEST to LATEST, at most `limit` of each field."""
    found: list[StrayDate] = []
    for table, key, prefix in _targets():
        for column in _date_columns(table):
            is_time = issubclass(_python_type(column), datetime)
            low, high = (_TIME_LOW, _TIME_HIGH) if is_time else (EARLIEST, LATEST)
            rows = session.execute(
                select(table.c[key], column)
                .where(or_(column < low, column > high))
                .order_by(table.c[key])
                .limit(limit)
            )
            found.extend(StrayDate(rid, prefix + column.name, value) for rid, value in rows)
    return found
