"""A listing page: its query read from the address, a page forwards or backwards from a cursor,
the filter form's choices, the filters in force with links that drop each, and the same listing
as JSON, CSV, NDJSON and a feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from sqlmodel import Session

from portal import records
from portal.codes import Issue
from portal.models import vocab
from portal.models.disclosure import DisclosureCategory
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import Outcome
from portal.records import Cursor, Page, QueryError, RecordQuery, Sort, parse_query
from portal.records.kinds import Kind, kind_named

CHOICES: dict[str, list[str]] = {
    "sector": [s.value for s in Sector],
    "outcome": [o.value for o in Outcome],
    "category": [c.value for c in DisclosureCategory],
}
STATUSES = {
    "incidents": [s.value for s in IncidentStatus],
    "enterprises": [s.value for s in EnterpriseStatus],
}
OWN = ("lang", "before")  # parameters the page handles, not the records query


@dataclass
class ListingPage:
    """One page of a listing and the links around it."""

    query: RecordQuery
    page: Page
    items: list[Any]
    next_args: dict[str, str] | None
    prev_args: dict[str, str] | None
    first_args: dict[str, str] | None


def read_query(
    kind: str, args: Mapping[str, str], page_size: int
) -> tuple[RecordQuery, Cursor | None]:
    """The listing query of the address and the `before` cursor of a page backwards."""
    query = parse_query(kind, args, default_limit=page_size, ignore=OWN)
    raw = (args.get("before") or "").strip()
    if not raw:
        return query, None
    if query.cursor is not None:
        message = "Give 'cursor' or 'before', not both: follow the page links as given."
        raise QueryError([Issue("cursor_and_before", message)])
    try:
        return query, Cursor.decode(raw, kind_named(kind))
    except ValueError:
        message = "'before' is not one this portal made; follow the page links as given."
        raise QueryError([Issue("bad_cursor", message, {"name": "before"})]) from None


def _cursor_of(row: Any, kind: Kind) -> Cursor:
    """Where a page starts or ends: the row's sort value and id (as the records layer writes it)."""
    value: date | datetime = kind.date_of(row)
    text = value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value.isoformat()
    return Cursor(text, row.id)


def run_page(
    session: Session,
    query: RecordQuery,
    before: Cursor | None,
    args: Mapping[str, str],
    lang: str,
) -> ListingPage:
    """The page asked for, forwards from `cursor` or backwards from `before`, with its links."""
    kind = kind_named(query.kind)
    base = {k: v for k, v in args.items() if k not in ("cursor", "before") and v != ""}
    base["lang"] = lang
    if before is None:
        page, items = records.list_records(session, query)
        prev_args = None
        if query.cursor is not None and page.rows:
            prev_args = {**base, "before": _cursor_of(page.rows[0], kind).encode()}
        next_args = {**base, "cursor": page.next_cursor.encode()} if page.next_cursor else None
    else:
        flipped = Sort.oldest if query.sort == Sort.newest else Sort.newest
        page, items = records.list_records(session, replace(query, sort=flipped, cursor=before))
        rows, items = page.rows[::-1], items[::-1]
        page = replace(page, rows=rows)
        prev_args = None
        if page.next_cursor is not None and rows:
            prev_args = {**base, "before": _cursor_of(rows[0], kind).encode()}
        next_args = {**base, "cursor": _cursor_of(rows[-1], kind).encode()} if rows else None
    first_args = base if (query.cursor is not None or before is not None) else None
    return ListingPage(query, page, items, next_args, prev_args, first_args)


def form_choices(kind: str) -> dict[str, list[tuple[str, str]]]:
    """The values of each select of a kind's filter form, as (value, label key) pairs."""
    filters = kind_named(kind).filters
    out: dict[str, list[tuple[str, str]]] = {}
    if "province" in filters:
        out["province"] = [(code, code) for code in vocab.provinces()]
    if "pollutant" in filters:
        out["pollutant"] = [(code, code) for code in vocab.pollutants()]
    for name in ("sector", "outcome", "category"):
        if name in filters:
            out[name] = [(v, v) for v in CHOICES[name]]
    if "status" in filters and kind in STATUSES:
        out["status"] = [(v, v) for v in STATUSES[kind]]
    return out


def without(filters: Mapping[str, str], name: str) -> dict[str, str]:
    """The filters with one left out (for the link that removes it)."""
    return {k: v for k, v in filters.items() if k != name}


def alternates(kind: str, filters: Mapping[str, str]) -> dict[str, str]:
    """The same listing as JSON, CSV (plain, and with a byte-order mark for Excel, which reads
    a CSV without one in the computer's legacy code page: GBK on Chinese Windows), NDJSON and
    Parquet (the whole filtered set)."""
    qs = urlencode({k: v for k, v in filters.items() if k != "sort"})
    suffix = f"?{qs}" if qs else ""
    return {
        "json": f"/api/v1/{kind}{suffix}",
        "csv": f"/api/v1/{kind}.csv{suffix}",
        "excel": f"/api/v1/{kind}.csv?{qs}{'&' if qs else ''}bom=1",
        "ndjson": f"/api/v1/{kind}.ndjson{suffix}",
        "parquet": f"/api/v1/{kind}.parquet{suffix}",
    }


def listing_url(kind: str, args: Mapping[str, str], lang: str) -> str:
    """The address of a listing page with these arguments."""
    values: dict[str, Any] = {**args, "lang": lang}
    return url_for("web.listing", kind=kind, **values)
