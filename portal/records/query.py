"""The typed listing query every surface shares, its parser, and its SQL."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from portal.models.common import ID_RE, INVISIBLE, requested_id
from portal.models.disclosure import DisclosureCategory
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import Outcome
from portal.models.vocab import pollutant_code, pollutants, province_code
from portal.records.kinds import Kind, kind_named

CHINA = timezone(timedelta(hours=8), "CST")
MAX_LIMIT = 1000
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)
MAX_TEXT = 500


class Sort(StrEnum):
    """Listing order by the kind's date."""

    newest = "newest"
    oldest = "oldest"


class QueryError(ValueError):
    """A listing query a person must fix; `problems` says each thing wrong in a sentence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the last row's sort value and id."""

    value: str
    id: str

    def encode(self) -> str:
        """Opaque, URL-safe form."""
        raw = json.dumps([self.value, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, kind: Kind | None = None) -> Cursor:
        """Parse an encoded cursor (of `kind`'s listings, when given), or raise ValueError."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            value, record_id = json.loads(raw)
        except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
            raise ValueError("cursor is not one this portal made") from exc
        if not (isinstance(value, str) and isinstance(record_id, str) and ID_RE.match(record_id)):
            raise ValueError("cursor is not one this portal made")
        timed = _is_time(value)
        if kind is not None and timed != kind.date_field.endswith("_at"):
            raise ValueError("cursor is not one of this listing")
        return cls(value, record_id)


def _is_time(value: str) -> bool:
    """Whether a cursor's sort value is a time (True) or a day (False), as `records.listing`
    writes them: a day, or a time with its offset, within the days a listing compares (a time
    without an offset, or one that overflows when moved to UTC or China time, is a tampered
    cursor, not a 500)."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            timed = False
        else:
            moment = datetime.fromisoformat(value)
            if moment.utcoffset() is None:
                raise ValueError("a time without an offset")
            day = moment.astimezone(UTC).date()
            timed = True
    except (ValueError, OverflowError) as exc:
        raise ValueError("cursor is not one this portal made") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError("cursor is not one this portal made")
    return timed


@dataclass(frozen=True)
class RecordQuery:
    """One listing: a kind, its filters, an order and a page."""

    kind: str
    department: str | None = None
    enterprise: str | None = None
    subject: str | None = None  # responses: the incident or inspection replied to
    province: str | None = None
    city: str | None = None
    county: str | None = None
    park: str | None = None
    river: str | None = None
    enterprise_name: str | None = None
    pollutant: str | None = None
    sector: str | None = None
    outcome: str | None = None
    status: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    updated_since: datetime | None = None
    text: str | None = None
    sample: bool | None = None
    sort: Sort = Sort.newest
    cursor: Cursor | None = None
    limit: int = 50
    include_withdrawn: bool = False

    def filters(self) -> dict[str, str]:
        """The filters as query-string values (without cursor and limit), for links."""
        out: dict[str, str] = {}
        for name in FILTER_PARAMS:
            value = getattr(self, _ATTR.get(name, name))
            if isinstance(value, bool):
                out[name] = "true" if value else "false"
            elif value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        if self.sort != Sort.newest:
            out["sort"] = self.sort.value
        return out

    def next_page(self, cursor: Cursor) -> RecordQuery:
        """The same query, from a cursor."""
        return replace(self, cursor=cursor)


FILTER_PARAMS = (
    "department",
    "enterprise",
    "subject",
    "province",
    "city",
    "county",
    "park",
    "river",
    "enterprise_name",
    "pollutant",
    "sector",
    "outcome",
    "status",
    "category",
    "from",
    "to",
    "updated_since",
    "text",
    "sample",
)
# Filters the listings run in SQL but the search index does not hold (a search refuses them).
LISTING_ONLY = ("county", "park", "river", "enterprise_name", "subject")
_ATTR = {"from": "date_from", "to": "date_to"}
PAGE_PARAMS = ("sort", "cursor", "limit")
_ENUMS: dict[str, type[StrEnum]] = {
    "sector": Sector,
    "outcome": Outcome,
    "category": DisclosureCategory,
}
_STATUS = {"incidents": IncidentStatus, "enterprises": EnterpriseStatus}


def _choices(enum: type[StrEnum]) -> str:
    return ", ".join(e.value for e in enum)


def parse_query(
    kind_name: str,
    args: Mapping[str, str],
    *,
    default_limit: int = 50,
    ignore: tuple[str, ...] = (),
) -> RecordQuery:
    """Turn query-string arguments into a RecordQuery, or raise QueryError listing every problem.

    `ignore` names parameters another layer handles (for example `lang` or `format`).
    """
    kind = kind_named(kind_name)
    problems: list[str] = []
    values: dict[str, Any] = {"kind": kind.name, "limit": default_limit}
    allowed = set(kind.filters) | set(PAGE_PARAMS) | set(ignore)
    for name in args:
        if name in allowed:
            continue
        if name in FILTER_PARAMS:
            problems.append(f"The filter '{name}' does not apply to {kind.name}.")
        else:
            usable = ", ".join(sorted(kind.filters | set(PAGE_PARAMS)))
            problems.append(f"Unknown parameter '{name}'; {kind.name} take {usable}.")
    for name in kind.filters | set(PAGE_PARAMS):
        raw = args.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[_ATTR.get(name, name)] = parse_value(kind, name, raw)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise QueryError(problems)
    query = RecordQuery(**values)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise QueryError(["'from' is after 'to': give the earlier date first."])
    return query


# What the API document states: a day as YYYY-MM-DD, a time as RFC 3339 with its offset (as
# every updated_at is written), a whole number in ASCII digits.
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9:]{8}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_WHOLE = re.compile(r"^-?[0-9]+$")


def _since(raw: str) -> datetime:
    """updated_since: a time with its offset, or a day (from its midnight, UTC)."""
    try:
        if not (_DAY.match(raw) or _TIME.match(raw)):
            raise ValueError(raw)
        moment = datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            "'updated_since' must be a date or time in ISO 8601, e.g. 2024-03-01T00:00:00Z."
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 in UTC: before or after every record
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)
    return moment


def parse_value(kind: Kind | None, name: str, raw: str) -> Any:
    """One query-string value as its filter's type, or ValueError with a sentence to fix it.

    `kind` None (a search across kinds) accepts the statuses of every kind. The value is
    measured and searched for control characters as given, then read without the spaces around
    it (as the API document's maxLength and patterns count it)."""
    if len(raw) > MAX_TEXT:
        raise ValueError(f"'{name}' is longer than {MAX_TEXT} characters.")
    if INVISIBLE.search(raw):
        raise ValueError(f"'{name}' holds an invisible control character; remove it.")
    raw = raw.strip()
    if name in ("department", "enterprise"):
        wanted = requested_id(raw)  # ASCII, at most 40 characters, either case
        if wanted is None:
            raise ValueError(f"'{name}' takes a record id such as DEP-MEE or ENT-0001.")
        return wanted
    if name == "subject":
        wanted = requested_id(raw)
        if wanted is None or not wanted.startswith(("INC-", "INS-")):
            raise ValueError(
                "'subject' takes the id of the incident or inspection replied to, such as "
                "INC-2012-0001 or INS-2024-0001."
            )
        return wanted
    if name == "province":
        code = province_code(raw)
        if code is None:
            raise ValueError(f"Unknown province '{raw}'; use a name (广西, Guangxi) or code (45).")
        return code
    if name == "pollutant":
        code = pollutant_code(raw)
        if code is None:
            raise ValueError(
                f"Unknown pollutant '{raw}'; use a name or symbol such as cadmium, 镉 or Cd "
                f"(known: {', '.join(sorted(pollutants()))})."
            )
        return code
    if name == "status" and kind is None:
        allowed = [e.value for enum in _STATUS.values() for e in enum]
        if raw.lower() not in allowed:
            raise ValueError(f"'status' must be one of {', '.join(dict.fromkeys(allowed))}.")
        return raw.lower()
    if name == "status" and kind is not None and kind.name not in _STATUS:
        # A search of one kind reaches here with that kind (a listing refuses it earlier).
        raise ValueError(f"The filter 'status' does not apply to {kind.name}.")
    if name in _ENUMS or name == "status":
        enum = _STATUS[kind.name] if name == "status" and kind else _ENUMS[name]
        try:
            return enum(raw.lower()).value
        except ValueError:
            raise ValueError(f"'{name}' must be one of {_choices(enum)}.") from None
    if name in ("from", "to"):
        try:
            if not _DAY.match(raw):
                raise ValueError(raw)
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"'{name}' must be a date as YYYY-MM-DD, not '{raw}'.") from None
        # Days are compared in China time and UTC, so keep a day's margin from datetime's limits:
        # nothing is kept before the first or after the last, so the answer is the same.
        return min(max(day, FIRST_DAY), LAST_DAY)
    if name == "updated_since":
        return _since(raw)
    if name == "sample":
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise ValueError("'sample' must be true (illustrative records only) or false (real ones).")
    if name == "sort":
        try:
            return Sort(raw.lower())
        except ValueError:
            raise ValueError(f"'sort' must be one of {_choices(Sort)}.") from None
    if name == "cursor":
        try:
            return Cursor.decode(raw, kind)
        except ValueError:
            raise ValueError(
                "'cursor' is not one this portal made; follow the 'next' link as given."
            ) from None
    if name == "limit":
        try:
            if not _WHOLE.match(raw):  # int() also reads "1_0", "+5" and other scripts' digits
                raise ValueError(raw)
            limit = int(raw)
        except ValueError:
            raise ValueError(f"'limit' must be a whole number from 1 to {MAX_LIMIT}.") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"'limit' must be from 1 to {MAX_LIMIT}, not {limit}.")
        return limit
    return raw  # text, city, county, park, river, enterprise_name
