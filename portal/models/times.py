"""Dates and times of every record kind: their shape, their UTC offset and their range.

Every date and time a record carries (`Day`, `Instant`, `PastInstant`) lies from EARLIEST to
LATEST. A value outside it is refused with a sentence, through the API and `portal import`
alike, so no page, feed, download, index or assistant passage meets a date it cannot show."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

# Every date and time a record carries lies within these days, read in the UTC offset it is
# written with. Offsets stay under 24 hours, so showing a time in any zone (China time, UTC) moves
# it by less than a day and can never leave the calendar Python and the databases keep.
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)
# How far ahead of the portal's clock a publication time may be: a publisher's clock runs fast.
CLOCK_ALLOWANCE = timedelta(minutes=10)
# Validation context for values read back from the database: they were checked when written,
# and a row written before a rule existed is still shown (`portal check` lists it), not refused.
AS_STORED: dict[str, Any] = {"as_stored": True}

_EXAMPLE = "2012-01-15T09:00:00+08:00"
_TIME_SHAPE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?P<offset>[Zz]|[+-]\d{2}:\d{2})?$"
)
_DAY_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The same rules as the API document states them (years 19xx and 20xx, an offset under 24 h).
INSTANT_PATTERN = (
    r"^(19|20)\d{2}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
DAY_PATTERN = r"^(19|20)\d{2}-\d{2}-\d{2}$"


def _problem(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, message, ctx)


def _parse_instant(value: Any, handler: ValidatorFunctionWrapHandler) -> datetime:
    """A time with its UTC offset, or a sentence that says what to write instead."""
    if isinstance(value, str):
        shape = _TIME_SHAPE.match(value)
        if shape is None:
            raise _problem(
                "time_format",
                "'{value}' is not a time: write a date, T, a time and a UTC offset, e.g. {example}",
                value=value[:40],
                example=_EXAMPLE,
            )
        offset = shape.group("offset")
        if offset and offset[0] in "+-" and (int(offset[1:3]) > 23 or int(offset[4:]) > 59):
            raise _problem(
                "time_offset_range",
                "{offset} is not a UTC offset: give one from -23:59 to +23:59, e.g. +08:00",
                offset=offset,
            )
    elif not isinstance(value, datetime):
        raise _problem("time_type", "write a time as text, e.g. {example}", example=_EXAMPLE)
    try:
        moment: datetime = handler(value)
    except ValueError:  # a month 13 or a day 32 in the right shape
        raise _problem(
            "time_format", "{value} is not a time on the calendar", value=str(value)[:40]
        ) from None
    if moment.utcoffset() is None:
        raise _problem(
            "time_offset",
            "give a UTC offset, e.g. +08:00: write {example}, not the time alone",
            example=_EXAMPLE,
        )
    return moment


def _in_range(value: date, shown: str) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise _problem(
            "date_range",
            "{value} is outside {earliest} to {latest}, the dates the portal keeps",
            value=shown,
            earliest=EARLIEST.isoformat(),
            latest=LATEST.isoformat(),
        )


def _instant(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> datetime:
    """Refuse a time without its UTC offset, or outside EARLIEST to LATEST in that offset."""
    if (info.context or {}).get("as_stored"):
        return handler(value)
    moment = _parse_instant(value, handler)
    _in_range(moment, value if isinstance(value, str) else moment.isoformat())
    return moment


def _past_instant(value: datetime) -> datetime:
    """Refuse a publication time later than the portal's clock (and its allowance)."""
    now = datetime.now(UTC)
    if value > now + CLOCK_ALLOWANCE:
        raise _problem(
            "time_future",
            "{value} is in the future (the portal's clock says {now}); a publication time is "
            "when it was published, at most {minutes} minutes ahead",
            value=value.isoformat(),
            now=now.isoformat(timespec="seconds"),
            minutes=int(CLOCK_ALLOWANCE.total_seconds() // 60),
        )
    return value


def _day(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> date:
    """Refuse a date not written as 2012-01-15, or outside EARLIEST to LATEST."""
    if (info.context or {}).get("as_stored"):
        return handler(value)
    if isinstance(value, str) and not _DAY_SHAPE.match(value):
        raise _problem(
            "date_format", "'{value}' is not a date: write it as 2012-01-15", value=value[:40]
        )
    if not isinstance(value, str | date):
        raise _problem("date_type", "write a date as text, e.g. 2012-01-15")
    try:
        day: date = handler(value)
    except ValueError:
        raise _problem(
            "date_format", "{value} is not a date on the calendar", value=str(value)[:40]
        ) from None
    _in_range(day, value if isinstance(value, str) else day.isoformat())
    return day


def shown_in(moment: datetime, zone: tzinfo) -> datetime:
    """The moment in `zone`; one too near the calendar's ends to move (a row written before the
    range existed) stays in its own offset rather than breaking the page that shows it."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


_RANGE = f"from {EARLIEST.isoformat()} to {LATEST.isoformat()}"


def _time_schema(rule: str) -> tuple[WithJsonSchema, WithJsonSchema]:
    """What a time's field says in the API document: its shape and range in what it takes; in
    what it answers only a date-time, since a time at the range's edge is answered in UTC
    (1900-01-01T00:00:00+08:00 as 1899-12-31T16:00:00Z)."""
    said = {
        "type": "string",
        "format": "date-time",
        "description": f"A time with its UTC offset, e.g. {_EXAMPLE}; {rule}.",
    }
    return (
        WithJsonSchema({**said, "pattern": INSTANT_PATTERN}, mode="validation"),
        WithJsonSchema(said, mode="serialization"),
    )


# An aware time within the range: 2012-01-15T09:00:00+08:00.
Instant = Annotated[datetime, WrapValidator(_instant), *_time_schema(_RANGE)]
# An Instant that has already happened: when a record was published or a tip received.
PastInstant = Annotated[
    datetime,
    WrapValidator(_instant),
    AfterValidator(_past_instant),
    *_time_schema(f"{_RANGE}, and not later than the portal's clock"),
]
# A calendar date within the range: 2012-01-15.
Day = Annotated[
    date,
    WrapValidator(_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DAY_PATTERN,
            "description": f"A date, e.g. 2012-01-15; {_RANGE}.",
        }
    ),
]
