"""Listings, records and their history as JSON: /api/v1/<kind>, /<kind>/<id>, its history."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request
from sqlalchemy import bindparam, select

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp, problem_response
from portal.api.cache import RECORDS, records_json
from portal.api.http import (
    base_url,
    json_response,
    link_header,
    no_args,
    not_modified,
    query_string_problem,
    stamp,
    validator,
)
from portal.api.parameters import filter_model, query_parameters
from portal.api.problems import problem, query_problem
from portal.api.schemas import ITEMS, PAGES, Gone, History, RecordPath, Tombstone
from portal.cache import remembered
from portal.codes import status_code
from portal.conditional import standards_version
from portal.db import get_engine, request_session
from portal.models.common import RecordPublic, requested_id
from portal.records import (
    KINDS,
    LISTED_KINDS,
    PUBLIC_KINDS,
    QueryError,
    RecordQuery,
    UnknownKind,
    get_record,
    history,
    kind_of_id,
    parse_query,
    run,
    to_public,
)
from portal.records.listing import count, data_version

FEEDS_PER_RECORD = ("enterprises", "departments")
# Records listed at /api/v1/<kind> and read one by one at /api/v1/<kind>/<id>: responses too
# (their HTML is the page of what they answer).
RECORD_KINDS = LISTED_KINDS


def parse_args(kind: str, *, ignore: tuple[str, ...] = ()) -> RecordQuery | Response:
    """The request's query string as a RecordQuery (the HTML listing's parser), or a 400."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    try:
        query = parse_query(
            kind, request.args, default_limit=current_app.config["PAGE_SIZE"], ignore=ignore
        )
    except QueryError as exc:
        return query_problem(exc)
    if query.updated_since is not None:
        # A changes feed must carry withdrawals too, or a mirror would keep withdrawn records.
        query = replace(query, include_withdrawn=True)
    return query


def links(kind: str, record_id: str, publisher_id: str, base: str) -> dict[str, str]:
    """Where to find a record and what follows it."""
    try:
        publisher_kind = kind_of_id(publisher_id).name
    except UnknownKind:
        publisher_kind = "departments"
    feed = (
        f"{base}/feeds/{kind}/{record_id}.atom"
        if kind in FEEDS_PER_RECORD
        else f"{base}/feeds/{kind}.atom"
    )
    return {
        "self": f"{base}/api/v1/{kind}/{record_id}",
        "html": f"{base}/{kind}/{record_id}",
        "history": f"{base}/api/v1/{kind}/{record_id}/history",
        "feed": feed,
        "publisher": f"{base}/api/v1/{publisher_kind}/{publisher_id}",
    }


def item_json(item: RecordPublic, base: str) -> bytes:
    """One record as JSON bytes with its links (pydantic writes the record, in one pass)."""
    record = item.model_dump_json().encode()
    found = links(item.kind, item.id, item.publisher_id, base)
    subject = getattr(item, "subject_id", None)
    if item.kind == "responses" and subject:  # shown on the page of what it answers
        found["html"] = f"{base}/{kind_of_id(subject).name}/{subject}#{item.id}"
    extra = json.dumps(found, separators=(",", ":"))
    return record[:-1] + b',"links":' + extra.encode() + b"}"


def page_json(items: list[bytes], total: int, next_url: str | None) -> bytes:
    """The listing shape: {"items": [...], "total": N, "next": URL or null}."""
    tail = json.dumps({"total": total, "next": next_url}, separators=(",", ":"))
    return b'{"items":[' + b",".join(items) + b"]," + tail[1:].encode()


def _json(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


def alternates(kind: str, query: RecordQuery, base: str) -> list[tuple[str, str, str | None]]:
    """The same query as a page for people (responses have none: a feed instead) and as
    downloads."""
    qs = urlencode(query.filters())
    suffix = f"?{qs}" if qs else ""
    shown = (
        (f"{base}/{kind}{suffix}", "alternate", "text/html")
        if kind in PUBLIC_KINDS
        else (f"{base}/feeds/{kind}.atom{suffix}", "alternate", "application/atom+xml")
    )
    return [
        shown,
        (f"{base}/api/v1/{kind}.csv{suffix}", "alternate", "text/csv"),
        (f"{base}/api/v1/{kind}.ndjson{suffix}", "alternate", "application/x-ndjson"),
        (f"{base}/api/v1/{kind}.parquet{suffix}", "alternate", "application/vnd.apache.parquet"),
    ]


def _page_view(kind: str) -> Callable[[], Response]:
    def view() -> Response:
        query = parse_args(kind)
        if isinstance(query, Response):
            return query
        session = request_session(current_app)
        base = base_url()
        # Validators from the data version (one indexed row): any write moves it, and a
        # revalidation costs no scan of the matching rows.
        version, changed_at = data_version(session)
        tag = validator("page", repr(query), version, base)
        cached = not_modified(tag, changed_at)
        if cached is not None:
            return cached

        def render() -> tuple[bytes, str | None]:
            total = count(session, query)
            page = run(session, query, with_total=False)
            items = records_json(
                page.rows,
                lambda row: _fragment_key(row.id, row.revision, base),
                lambda rows: [item_json(i, base) for i in to_public(session, KINDS[kind], rows)],
            )
            next_url = None
            if page.next_cursor is not None:
                args = {**request.args.to_dict(), "cursor": page.next_cursor.encode()}
                next_url = f"{base}/api/v1/{kind}?{urlencode(args)}"
            return page_json(items, total, next_url), next_url

        # The rendered page, kept under the data version (portal/cache.py): a write anywhere
        # moves the version, so the next request renders afresh.
        body, next_url = remembered(
            "api-page",
            version,
            (repr(query), request.query_string, base, standards_version()),
            render,
        )
        response = stamp(_json(body), tag, changed_at)
        rels = alternates(kind, query, base)
        if next_url:
            rels.insert(0, (next_url, "next", None))
        response.headers["Link"] = link_header(rels)
        return response

    view.__name__ = f"list_{kind}"
    return view


def _find(kind: str, record_id: str) -> RecordPublic | Response:
    """The record, or a 404 that says where it might be instead."""
    refused = no_args()
    if refused is not None:
        return refused
    wanted = requested_id(record_id)
    item = None
    if wanted is not None:
        item = get_record(request_session(current_app), wanted)
    if item is None:
        return problem(404, f"There is no record {record_id[:60]} among the {kind}.")
    if item.kind != kind:
        return problem(
            404,
            f"{item.id} is not among the {kind}; it is at /api/v1/{item.kind}/{item.id}.",
        )
    return item


def tombstone(item: RecordPublic, base: str) -> Response:
    """410 with who withdrew the record, when and why."""
    assert item.withdrawn_at is not None
    body = Gone(
        title="Gone",
        status=410,
        code=status_code(410),
        detail=f"{item.id} was withdrawn by {item.withdrawn_by} on "
        f"{item.withdrawn_at.date().isoformat()}: {item.withdrawal_reason}",
        tombstone=Tombstone(
            id=item.id,
            kind=item.kind,
            revision=item.revision,
            withdrawn_at=item.withdrawn_at,
            withdrawn_by=item.withdrawn_by or "",
            withdrawal_reason=item.withdrawal_reason or "",
            history=f"{base}/api/v1/{item.kind}/{item.id}/history",
        ),
    )
    return problem(410, body.detail, body=body)


def _fragment_key(record_id: str, revision: int, base: str) -> tuple[str, str, int, str, str]:
    """Where a record's JSON is kept (portal/api/cache.py), for listings and the record alike:
    its database, id, revision, the portal's address and the standards it is judged by."""
    return (current_app.config["DATABASE_URL"], record_id, revision, base, standards_version())


@cache
def revision_of(kind: str) -> Any:
    """SELECT revision, recorded_at of one live record by id (built once per kind)."""
    table = KINDS[kind].table
    return select(table.revision, table.recorded_at).where(
        table.id == bindparam("id"), table.withdrawn_at.is_(None)
    )


def _kept(kind: str, record_id: str) -> Response | None:
    """The record's JSON from the fragments listings keep (portal/api/cache.py), found by one
    primary-key lookup of its revision; None when it is not kept, withdrawn, of another kind
    or absent (the full path below answers those)."""
    wanted = requested_id(record_id)
    if request.args or wanted is None:
        return None
    engine = get_engine(current_app.config["DATABASE_URL"])
    with engine.connect() as conn:  # one lookup: no ORM session to open and close
        found = conn.execute(revision_of(kind), {"id": wanted}).first()
    if found is None:
        return None
    revision, recorded_at = found
    base = base_url()
    body = RECORDS.get(_fragment_key(wanted, revision, base))
    if body is None:
        return None
    tag = validator("record", wanted, revision, recorded_at, base)
    response = not_modified(tag, recorded_at) or stamp(_json(body), tag, recorded_at)
    response.headers["Link"] = link_header([(f"{base}/{kind}/{wanted}", "alternate", "text/html")])
    return response


def _record_view(kind: str) -> Callable[..., Response]:
    def view(path: RecordPath) -> Response:
        kept = _kept(kind, path.record_id)
        if kept is not None:
            return kept
        item = _find(kind, path.record_id)
        if isinstance(item, Response):
            return item
        base = base_url()
        if item.withdrawn_at is not None:
            return tombstone(item, base)
        tag = validator("record", item.id, item.revision, item.recorded_at, base)
        cached = not_modified(tag, item.recorded_at)
        if cached is not None:
            return cached
        body = item_json(item, base)
        RECORDS.put(_fragment_key(item.id, item.revision, base), body)
        response = stamp(_json(body), tag, item.recorded_at)
        response.headers["Link"] = link_header(
            [(f"{base}/{kind}/{item.id}", "alternate", "text/html")]
        )
        return response

    view.__name__ = f"get_{kind[:-1]}"
    return view


def _history_view(kind: str) -> Callable[..., Response]:
    def view(path: RecordPath) -> Response:
        item = _find(kind, path.record_id)
        if isinstance(item, Response):
            return item
        tag = validator("history", item.id, item.revision, item.recorded_at)
        cached = not_modified(tag, item.recorded_at)
        if cached is not None:
            return cached
        revisions = history(request_session(current_app), item.id)
        body = {
            "items": [r.model_dump(mode="json") for r in revisions],
            "total": len(revisions),
            "next": None,
        }
        return stamp(json_response(body), tag, item.recorded_at)

    view.__name__ = f"{kind[:-1]}_history"
    return view


NOT_FOUND = problem_response("Not Found: no record of this kind has that id.")

for _kind in LISTED_KINDS:
    bp.get(
        f"/{_kind}",
        tags=[TAGS["records"]],
        summary=f"List {_kind}",
        description=f"A page of {_kind}, newest first, filtered by the same query string as "
        f"the /{_kind} page. `next` (and the Link header) carries the keyset cursor; `limit` "
        "is capped at 1,000. Answers 304 to If-None-Match / If-Modified-Since.",
        responses={200: PAGES[_kind], 304: NOT_MODIFIED},
        openapi_extensions={"parameters": query_parameters(filter_model(_kind, "page"))},
    )(_page_view(_kind))

for _kind in RECORD_KINDS:
    bp.get(
        f"/{_kind}/<record_id>",
        tags=[TAGS["records"]],
        summary=f"One of the {_kind}",
        description="The record with its nested parts and links. A withdrawn record answers "
        "410 with its tombstone: who withdrew it, when and why.",
        responses={
            200: ITEMS[_kind],
            304: NOT_MODIFIED,
            404: NOT_FOUND,
            410: problem_response("Gone: the record was withdrawn.", Gone),
        },
    )(_record_view(_kind))
    bp.get(
        f"/{_kind}/<record_id>/history",
        tags=[TAGS["records"]],
        summary=f"History of one of the {_kind}",
        description="Every revision, oldest first, with its author, reason and the fields that "
        "changed. Withdrawn records keep their history (200).",
        responses={200: History, 304: NOT_MODIFIED, 404: NOT_FOUND},
    )(_history_view(_kind))
