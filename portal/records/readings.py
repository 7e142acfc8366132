"""Readings as one table: a row per reading of every live incident, judged against its standard.

An incident keeps its readings nested (its JSON, and a JSON cell of the incidents' CSV); this
is the same data flat, for a spreadsheet, pandas or a chart: which incident, where, when, what,
how much, against which limit. Rows come in the order the readings were published (the reading
table's key), which keyset pages walk with no sort of the whole set; a correction of an
incident publishes its readings again, after the others.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session, col

from portal.codes import Issue
from portal.models.common import requested_id
from portal.models.incident import Incident, IncidentReading, ReadingPublic, ReadingRow
from portal.models.vocab import provinces
from portal.records.kinds import KINDS
from portal.records.listing import _day_start
from portal.records.query import QueryError, bad, bad_cursor, dates_reversed, parse_value

FILTERS = ("incident", "pollutant", "province", "from", "to")
PAGE_PARAMS = ("cursor", "limit")
BATCH = 2000


@dataclass(frozen=True)
class ReadingQuery:
    """Which readings: of one incident, one pollutant, one province, measured within days."""

    incident: str | None = None
    pollutant: str | None = None
    province: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    after: int | None = None  # the cursor: the last reading of the previous page
    limit: int = 50

    def filters(self) -> dict[str, str]:
        """The filters as query-string values (without cursor and limit), for links."""
        values = {
            "incident": self.incident,
            "pollutant": self.pollutant,
            "province": self.province,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in values.items() if v is not None}


def encode_cursor(after: int) -> str:
    """The opaque, URL-safe cursor of the page after a reading."""
    return base64.urlsafe_b64encode(json.dumps(["R", after]).encode()).decode().rstrip("=")


def _decode_cursor(token: str) -> int:
    try:
        tag, after = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
        raise ValueError(token) from exc
    if tag != "R" or type(after) is not int or not 0 <= after < 2**63:
        raise ValueError(token)
    return after


def parse_reading_query(
    args: Mapping[str, str], *, default_limit: int = 50, ignore: tuple[str, ...] = ()
) -> ReadingQuery:
    """Query-string arguments as a ReadingQuery, or QueryError naming every problem (the
    listings' parser reads each value, so a value means the same everywhere)."""
    problems: list[Issue] = []
    known = (*FILTERS, *PAGE_PARAMS)
    for name in args:
        if name not in known and name not in ignore:
            usable = list(known)
            message = f"Unknown parameter '{name}'; readings take {', '.join(known)}."
            params: dict[str, str | list[str]] = {"name": name, "kind": "readings"}
            params["usable"] = usable
            problems.append(Issue("unknown_parameter", message, params))
    values: dict[str, Any] = {"limit": default_limit}
    incidents = KINDS["incidents"]
    for name in known:
        raw = args.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            if name == "incident":
                wanted = requested_id(raw.strip())
                if wanted is None or not wanted.startswith("INC-"):
                    message = "'incident' takes an incident id such as INC-2012-0001."
                    raise bad("not_a_record_id", message, name=name)
                values["incident"] = wanted
            elif name == "cursor":
                try:
                    values["after"] = _decode_cursor(raw.strip())
                except ValueError:
                    raise bad_cursor(name) from None
            else:
                key = {"from": "date_from", "to": "date_to"}.get(name, name)
                values[key] = parse_value(incidents, name, raw)
        except QueryError as exc:
            problems.extend(exc.issues)
    if problems:
        raise QueryError(problems)
    query = ReadingQuery(**values)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise dates_reversed()
    return query


def _selected(query: ReadingQuery) -> Select[Any]:
    """The SELECT of the readings a query matches (no order, no page): the reading's columns
    and its incident's title, province and sample flag."""
    reading = IncidentReading.__table__.c  # type: ignore[attr-defined]
    stmt = (
        select(
            *reading,
            col(Incident.title_zh).label("incident_title_zh"),
            col(Incident.title_en).label("incident_title_en"),
            col(Incident.province),
            col(Incident.sample),
        )
        .join(Incident, col(Incident.id) == reading.incident_id)
        .where(col(Incident.withdrawn_at).is_(None))
    )
    if query.incident:
        stmt = stmt.where(reading.incident_id == query.incident)
    if query.pollutant:
        stmt = stmt.where(reading.pollutant == query.pollutant)
    if query.province:
        stmt = stmt.where(col(Incident.province) == query.province)
    # Days in China time, as the listings read them; a reading of no known time is outside
    # every range of days.
    if query.date_from:
        stmt = stmt.where(reading.measured_at >= _day_start(query.date_from))
    if query.date_to:
        stmt = stmt.where(reading.measured_at < _day_start(query.date_to + timedelta(days=1)))
    return stmt


def _row(values: Mapping[str, Any]) -> ReadingRow:
    """A table row from a reading and its incident: judged against its standard, names beside
    the province code."""
    judged = ReadingPublic.judge(values)
    province = provinces().get(values["province"])
    return ReadingRow.model_construct(
        **judged.__dict__,
        incident_id=values["incident_id"],
        incident_title_zh=values["incident_title_zh"],
        incident_title_en=values["incident_title_en"],
        province=values["province"],
        province_name_zh=province.name_zh if province else None,
        province_name_en=province.name_en if province else None,
        sample=values["sample"],
    )


@dataclass(frozen=True)
class ReadingPage:
    """One page of readings, the total across pages, and where the next page starts."""

    rows: list[ReadingRow]
    total: int
    next_after: int | None


def count_readings(session: Session, query: ReadingQuery) -> int:
    """How many readings a query matches, across its pages."""
    stmt = _selected(replace(query, after=None)).subquery()
    return int(session.execute(select(func.count()).select_from(stmt)).scalar_one())


def _page(session: Session, query: ReadingQuery, size: int) -> tuple[list[ReadingRow], int | None]:
    reading = IncidentReading.__table__.c  # type: ignore[attr-defined]
    stmt = _selected(query)
    if query.after is not None:
        stmt = stmt.where(reading.id > query.after)
    result = session.execute(stmt.order_by(reading.id).limit(size + 1))
    found = [dict(r) for r in result.mappings()]
    more = len(found) > size
    found = found[:size]
    return [_row(r) for r in found], (found[-1]["id"] if more else None)


def run_readings(session: Session, query: ReadingQuery) -> ReadingPage:
    """One page of readings in publication order, the total and the next page's start."""
    rows, next_after = _page(session, query, query.limit)
    return ReadingPage(rows, count_readings(session, query), next_after)


def reading_batches(
    session: Session, query: ReadingQuery, size: int = BATCH
) -> Iterator[list[ReadingRow]]:
    """Every reading a query matches, in order, a keyset batch at a time (flat memory)."""
    query = replace(query, after=None)
    while True:
        rows, next_after = _page(session, query, size)
        yield rows
        if next_after is None:
            return
        query = replace(query, after=next_after)
