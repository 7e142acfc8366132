"""What the API document says in words where a JSON Schema cannot, kept by the API fuzzers.

The document's schemas state every rule of one value: types, enums, patterns, lengths, ranges.
A few rules join two values, or the server's own state, and stand in the parameters'
descriptions instead (400 when broken):

- a listing's or a search's `from` is not after its `to`;
- a search goes 10,000 results deep: `page` × `limit` at most that;
- a search's `status` is one of its `kind`'s statuses;
- a `cursor` is one the portal made (from a `next` link), not any string of its alphabet.

Generated queries that break one are mended before they are sent (the dates swapped, the page
cut, the status or cursor dropped), never made invalid: a valid case stays valid, and an invalid
one keeps the invalid value it was generated with (a mended value was valid to begin with).
The suite (tests/api/test_api_schemathesis.py) and the nightly run (bench/fuzz_api.sh) both
send every generated query through `mend_query`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from portal.models.enterprise import EnterpriseStatus
from portal.models.incident import IncidentStatus
from portal.records.obligations import ObligationCursor
from portal.records.query import Cursor
from portal.search.query import MAX_DEPTH, MAX_PAGE_SIZE

_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CURSOR = re.compile(r"^[A-Za-z0-9_-]+$")
_STATUSES = {
    "incidents": {s.value for s in IncidentStatus},
    "enterprises": {s.value for s in EnterpriseStatus},
}
_ANY_STATUS = set().union(*_STATUSES.values())


def _day(value: Any) -> date | None:
    if isinstance(value, str) and _DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        return int(value)
    return None


def _made_here(path: str, cursor: str) -> bool:
    try:
        if path.endswith("/obligations"):
            ObligationCursor.decode(cursor)
        else:
            Cursor.decode(cursor)
    except ValueError:
        return False
    return True


def mend_query(path: str, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """The generated query of an operation at `path`, mended to keep the rules above."""
    if not isinstance(query, dict):
        return query
    query = dict(query)
    first, last = _day(query.get("from")), _day(query.get("to"))
    if first and last and first > last:
        query["from"], query["to"] = query["to"], query["from"]
    if path.endswith("/search"):
        page, limit = _whole(query.get("page")), _whole(query.get("limit")) or 20
        if page and page >= 1 and 1 <= limit <= MAX_PAGE_SIZE:
            query["page"] = min(page, MAX_DEPTH // limit)
        kind, status = query.get("kind"), query.get("status")
        given = isinstance(kind, str) and isinstance(status, str) and status in _ANY_STATUS
        if given and status not in _STATUSES.get(kind, ()):
            del query["status"]
    cursor = query.get("cursor")
    if isinstance(cursor, str) and _CURSOR.match(cursor) and not _made_here(path, cursor):
        del query["cursor"]
    return query
