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

from portal.codes import Issue
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
    """A query a person must fix; `issues` says each thing wrong (a code, its parameters and a
    sentence), `problems` the sentences alone."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(" ".join(i.message for i in issues))
        self.issues = issues

    @property
    def problems(self) -> list[str]:
        """Each problem in an English sentence."""
        return [i.message for i in self.issues]


def bad(code: str, message: str, **params: Any) -> QueryError:
    """A QueryError of one issue (parameters as CODES names them)."""
    return QueryError([Issue(code, message, params)])


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


def _choices(enum: type[StrEnum]) -> list[str]:
    return [e.value for e in enum]


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
    problems: list[Issue] = []
    values: dict[str, Any] = {"kind": kind.name, "limit": default_limit}
    allowed = set(kind.filters) | set(PAGE_PARAMS) | set(ignore)
    for name in args:
        if name in allowed:
            continue
        if name in FILTER_PARAMS:
            problems.append(not_applicable(name, kind.name))
        else:
            usable = sorted(kind.filters | set(PAGE_PARAMS))
            problems.append(
                Issue(
                    "unknown_parameter",
                    f"Unknown parameter '{name}'; {kind.name} take {', '.join(usable)}.",
                    {"name": name, "kind": kind.name, "usable": usable},
                )
            )
    for name in kind.filters | set(PAGE_PARAMS):
        raw = args.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[_ATTR.get(name, name)] = parse_value(kind, name, raw)
        except QueryError as exc:
            problems.extend(exc.issues)
    if problems:
        raise QueryError(problems)
    query = RecordQuery(**values)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise dates_reversed()
    return query


def dates_reversed() -> QueryError:
    """'from' after 'to'."""
    return bad("dates_reversed", "'from' is after 'to': give the earlier date first.")


def not_applicable(name: str, kind: str) -> Issue:
    """A listing filter given to a kind that has no such field."""
    return Issue(
        "filter_not_applicable",
        f"The filter '{name}' does not apply to {kind}.",
        {"name": name, "kind": kind},
    )


def bad_lang() -> QueryError:
    """A `lang` other than zh or en (feeds and the search API read it)."""
    message = "'lang' must be zh or en."
    return bad("not_one_of", message, name="lang", choices=["zh", "en"])


def not_one_of(name: str, choices: list[str]) -> QueryError:
    """A value that is none of the choices."""
    message = f"'{name}' must be one of {', '.join(choices)}."
    return bad("not_one_of", message, name=name, choices=choices)


def too_long(name: str, most: int, message: str = "") -> QueryError:
    """A value longer than its parameter takes."""
    message = message or f"'{name}' is longer than {most} characters."
    return bad("value_too_long", message, name=name, max=most)


def control_character(name: str) -> QueryError:
    """A value holding a character nobody can see."""
    message = f"'{name}' holds an invisible control character; remove it."
    return bad("control_character", message, name=name)


def bad_cursor(name: str) -> QueryError:
    """A cursor this portal did not make."""
    message = f"'{name}' is not one this portal made; follow the 'next' link as given."
    return bad("bad_cursor", message, name=name)


def not_whole(name: str, low: int, high: int) -> QueryError:
    """A value that is not a whole number."""
    message = f"'{name}' must be a whole number from {low} to {high}."
    return bad("not_a_whole_number", message, name=name, low=low, high=high)


def out_of_range(name: str, low: int, high: int, value: int) -> QueryError:
    """A whole number outside its range."""
    message = f"'{name}' must be from {low} to {high}, not {value}."
    return bad("out_of_range", message, name=name, low=low, high=high, value=value)


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
        message = "'updated_since' must be a date or time in ISO 8601, e.g. 2024-03-01T00:00:00Z."
        raise bad("not_a_time", message, name="updated_since") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 in UTC: before or after every record
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)
    return moment


def parse_value(kind: Kind | None, name: str, raw: str) -> Any:
    """One query-string value as its filter's type, or QueryError saying how to fix it.

    `kind` None (a search across kinds) accepts the statuses of every kind. The value is
    measured and searched for control characters as given, then read without the spaces around
    it (as the API document's maxLength and patterns count it)."""
    if len(raw) > MAX_TEXT:
        raise too_long(name, MAX_TEXT)
    if INVISIBLE.search(raw):
        raise control_character(name)
    raw = raw.strip()
    if name in ("department", "enterprise"):
        wanted = requested_id(raw)  # ASCII, at most 40 characters, either case
        if wanted is None:
            message = f"'{name}' takes a record id such as DEP-MEE or ENT-0001."
            raise bad("not_a_record_id", message, name=name)
        return wanted
    if name == "subject":
        wanted = requested_id(raw)
        if wanted is None or not wanted.startswith(("INC-", "INS-")):
            raise bad(
                "not_a_reply_subject",
                "'subject' takes the id of the incident or inspection replied to, such as "
                "INC-2012-0001 or INS-2024-0001.",
                name=name,
            )
        return wanted
    if name == "province":
        code = province_code(raw)
        if code is None:
            message = f"Unknown province '{raw}'; use a name (广西, Guangxi) or code (45)."
            raise bad("unknown_province", message, value=raw)
        return code
    if name == "pollutant":
        code = pollutant_code(raw)
        if code is None:
            known = sorted(pollutants())
            raise bad(
                "unknown_pollutant",
                f"Unknown pollutant '{raw}'; use a name or symbol such as cadmium, 镉 or Cd "
                f"(known: {', '.join(known)}).",
                value=raw,
                known=known,
            )
        return code
    if name == "status" and kind is None:
        allowed = [e.value for enum in _STATUS.values() for e in enum]
        if raw.lower() not in allowed:
            raise not_one_of("status", list(dict.fromkeys(allowed)))
        return raw.lower()
    if name == "status" and kind is not None and kind.name not in _STATUS:
        # A search of one kind reaches here with that kind (a listing refuses it earlier).
        raise QueryError([not_applicable("status", kind.name)])
    if name in _ENUMS or name == "status":
        enum = _STATUS[kind.name] if name == "status" and kind else _ENUMS[name]
        try:
            return enum(raw.lower()).value
        except ValueError:
            raise not_one_of(name, _choices(enum)) from None
    if name in ("from", "to"):
        try:
            if not _DAY.match(raw):
                raise ValueError(raw)
            day = date.fromisoformat(raw)
        except ValueError:
            message = f"'{name}' must be a date as YYYY-MM-DD, not '{raw}'."
            raise bad("not_a_date", message, name=name, value=raw) from None
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
        message = "'sample' must be true (illustrative records only) or false (real ones)."
        raise bad("not_a_boolean", message, name=name)
    if name == "sort":
        try:
            return Sort(raw.lower())
        except ValueError:
            raise not_one_of("sort", _choices(Sort)) from None
    if name == "cursor":
        try:
            return Cursor.decode(raw, kind)
        except ValueError:
            raise bad_cursor("cursor") from None
    if name == "limit":
        try:
            if not _WHOLE.match(raw):  # int() also reads "1_0", "+5" and other scripts' digits
                raise ValueError(raw)
            limit = int(raw)
        except ValueError:
            raise not_whole("limit", 1, MAX_LIMIT) from None
        if not 1 <= limit <= MAX_LIMIT:
            raise out_of_range("limit", 1, MAX_LIMIT, limit)
        return limit
    return raw  # text, city, county, park, river, enterprise_name
