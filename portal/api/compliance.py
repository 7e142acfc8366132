"""The enterprise compliance table as JSON and downloads: GET /api/v1/enterprises/compliance,
and .csv, .ndjson, .parquet beside it (the /enterprises/compliance page's twins)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pydantic_core
from flask import Response, current_app, request
from pydantic import BaseModel, Field
from sqlmodel import Session

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp, problem_response
from portal.api.downloads import FORMATS, MEDIA, bom_wanted
from portal.api.export import consistent_read, table_chunks
from portal.api.http import (
    base_url,
    link_header,
    not_modified,
    query_string_problem,
    stamp,
    validator,
)
from portal.api.limits import metered
from portal.api.obligations import today
from portal.api.parameters import search_filter_parameters
from portal.api.problems import error_of, problem, query_problem
from portal.cache import overdue_by_enterprise, remembered
from portal.db import get_engine, request_session
from portal.records import compliance as cp
from portal.records.listing import data_version
from portal.records.query import MAX_LIMIT, QueryError

PATH = "/enterprises/compliance"


class ComplianceLinks(BaseModel):
    """Where to read the enterprise and the records behind its figures."""

    enterprise: str = Field(description="The enterprise's page (its penalties listed).")
    enterprise_api: str = Field(description="The enterprise in the API.")
    inspections_api: str = Field(description="Its inspections in the API.")
    incidents_api: str = Field(description="The incidents that hold it responsible, in the API.")


class ComplianceItem(cp.ComplianceRow):
    """One enterprise's compliance figures with links."""

    links: ComplianceLinks


class ComplianceList(BaseModel):
    """A page of the compliance table."""

    items: list[ComplianceItem]
    total: int = Field(description="Enterprises matching the filters, across all pages.")
    page: int
    pages: int = Field(description="The number of the last page (1 when there is none).")
    next: str | None = Field(description="URL of the next page; null on the last page.")
    as_of: date = Field(description="The day overdue obligations are judged on (China).")


def _string(values: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [str(v) for v in values]}


# The place and sector filters as the listings document them (the same parser reads them).
FILTER_PARAMETERS: list[dict[str, Any]] = [
    *search_filter_parameters(cp.FILTERS, []),
    {
        "name": "sort",
        "in": "query",
        "required": False,
        "description": "The column to sort by; ties are ordered by enterprise id. `name` sorts "
        "by the Chinese name; `fines_cny` by the CNY total (other currencies are not sortable: "
        "they are never added up).",
        "schema": {**_string(cp.SORTS), "default": "name"},
    },
    {
        "name": "order",
        "in": "query",
        "required": False,
        "description": "asc (smallest first) or desc (largest first); empty values come last "
        "either way.",
        "schema": {**_string(cp.Order), "default": "asc"},
    },
]
PAGE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": f"The page, from 1 to {cp.MAX_PAGE:,}; past the last page is a 404 that "
        "says how many there are.",
        "schema": {"type": "integer", "minimum": 1, "maximum": cp.MAX_PAGE, "default": 1},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Enterprises per page, 1 to {MAX_LIMIT}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
    },
]


def parse(*, ignore: tuple[str, ...] = ()) -> cp.ComplianceQuery | Response:
    """The request's query string as a ComplianceQuery, or a 400 with a sentence per problem."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    try:
        return cp.parse_compliance_query(
            request.args, default_limit=current_app.config["PAGE_SIZE"], ignore=ignore
        )
    except QueryError as exc:
        return _bad(exc)


def _bad(exc: QueryError) -> Response:
    count = len(exc.problems)
    return query_problem(exc, exc.problems[0] if count == 1 else None)


def links(row: cp.ComplianceRow, base: str) -> ComplianceLinks:
    """Where to read what one row's figures rest on."""
    ent = row.enterprise_id
    return ComplianceLinks(
        enterprise=f"{base}/enterprises/{ent}",
        enterprise_api=f"{base}/api/v1/enterprises/{ent}",
        inspections_api=f"{base}/api/v1/inspections?enterprise={ent}",
        incidents_api=f"{base}/api/v1/incidents?enterprise={ent}",
    )


def _alternates(query: cp.ComplianceQuery, base: str, own: str) -> list[tuple[str, str, str]]:
    qs = urlencode(query.filters())
    tail = f"?{qs}" if qs else ""
    found = [(f"{base}{PATH}{tail}", "alternate", "text/html")]
    found += [(f"{base}/api/v1{PATH}{tail}", "alternate", "application/json")]
    found += [
        (f"{base}/api/v1{PATH}.{fmt}{tail}", "alternate", MEDIA[fmt].split(";")[0])
        for fmt in FORMATS
    ]
    return [alt for alt in found if own not in alt[0]]


@bp.get(
    PATH,
    tags=[TAGS["records"]],
    summary="The enterprise compliance table",
    description="Per enterprise: inspections, violations, open rectification orders, the last "
    "inspection, penalties from every source (inspections' fines and the penalties of "
    "incidents and enterprises) with their totals per currency, the incidents that hold it "
    "responsible and its overdue disclosure obligations. Filter by province, city, sector and "
    "park; sort by any column in either direction; numbered pages. Answers 304 to "
    "If-None-Match / If-Modified-Since. docs/compliance.md explains each column.",
    responses={
        200: ComplianceList,
        304: NOT_MODIFIED,
        404: problem_response("Not Found: the page is past the last; the sentence says how many."),
    },
    openapi_extensions={"parameters": FILTER_PARAMETERS + PAGE_PARAMETERS},
)
def compliance_table() -> Response:
    """GET /api/v1/enterprises/compliance."""
    query = parse()
    if isinstance(query, Response):
        return query
    session = request_session(current_app)
    day, base = today(), base_url()
    version, changed_at = data_version(session)
    tag = validator("compliance", repr(query), version, day, base)
    cached = not_modified(tag, changed_at)
    if cached is not None:
        return cached
    try:
        page = remembered(
            "api-compliance",
            version,
            (repr(query), day.isoformat()),
            lambda: cp.compliance_page(session, query, overdue_by_enterprise(session, day)),
        )
    except cp.PageOutOfRange as exc:  # a page that does not exist: the query itself is fine
        errors = [error_of(issue) for issue in exc.issues]
        return problem(404, exc.problems[0], exc.problems, errors=errors)
    next_url = None
    if query.page < page.pages:
        args = {**query.filters(), "page": query.page + 1, "limit": query.limit}
        next_url = f"{base}/api/v1{PATH}?{urlencode(args)}"
    body = {
        "items": [
            {**row.model_dump(mode="json"), "links": links(row, base).model_dump(mode="json")}
            for row in page.rows
        ],
        "total": page.total,
        "page": query.page,
        "pages": page.pages,
        "next": next_url,
        "as_of": day.isoformat(),
    }
    response = stamp(
        Response(pydantic_core.to_json(body), mimetype="application/json"), tag, changed_at
    )
    rels: list[tuple[str, str, str | None]] = list(_alternates(query, base, f"/api/v1{PATH}?"))
    if next_url:
        rels.insert(0, (next_url, "next", None))
    response.headers["Link"] = link_header(rels)
    return response


def _stream(
    url: str, query: cp.ComplianceQuery, overdue: dict[str, int], fmt: str, bom: bool
) -> Iterator[bytes]:
    """The download's bytes, read in its own session so the request can end first."""
    with Session(get_engine(url)) as session:
        consistent_read(session)
        yield from table_chunks(
            cp.ComplianceRow, cp.all_rows(session, query, overdue), fmt, bom=bom
        )


def _download_view(fmt: str) -> Callable[[], Response]:
    def view() -> Response:
        paging = [name for name in ("page", "limit") if name in request.args]
        if paging:
            return problem(
                400,
                "A download is the whole filtered table: remove "
                f"{' and '.join(paging)} (they page the JSON table).",
            )
        bom = False
        if fmt == "csv":
            wanted = bom_wanted()
            if isinstance(wanted, Response):
                return wanted
            bom = wanted
        query = parse(ignore=("bom",) if fmt == "csv" else ())
        if isinstance(query, Response):
            return query
        query = replace(query, page=1, limit=1)  # the whole table: keep the tag stable
        session = request_session(current_app)
        day = today()
        version, changed_at = data_version(session)
        tag = validator("compliance-download", fmt, bom, repr(query), version, day)
        cached = not_modified(tag, changed_at)
        if cached is not None:
            return cached
        overdue = overdue_by_enterprise(session, day)
        body = metered(_stream(current_app.config["DATABASE_URL"], query, overdue, fmt, bom))
        response = Response(body, content_type=MEDIA[fmt])
        response.headers["Content-Disposition"] = (
            f'attachment; filename="clearwater-enterprise-compliance.{fmt}"'
        )
        response.headers["Link"] = link_header(
            list(_alternates(query, base_url(), f"{PATH}.{fmt}"))
        )
        return stamp(response, tag, changed_at)

    view.__name__ = f"download_compliance_{fmt}"
    return view


for _fmt in FORMATS:
    bp.get(
        f"{PATH}.{_fmt}",
        tags=[TAGS["downloads"]],
        summary=f"Download the enterprise compliance table as {_fmt.upper()}",
        description="Every row of the compliance table matching the filters, in the order "
        "asked, streamed; the same columns as the JSON items without links (`fines`, the "
        "totals per currency, is a JSON cell in CSV and JSON text in Parquet). "
        + ("`bom=1` adds a byte-order mark for Excel." if _fmt == "csv" else ""),
        responses={
            200: {
                "description": "The whole filtered table.",
                "content": {
                    MEDIA[_fmt].split(";")[0]: {
                        "schema": {"type": "string"}
                        if _fmt != "parquet"
                        else {"type": "string", "format": "binary"}
                    }
                },
            },
            304: NOT_MODIFIED,
        },
        openapi_extensions={
            "parameters": FILTER_PARAMETERS
            + (
                [
                    {
                        "name": "bom",
                        "in": "query",
                        "required": False,
                        "description": "1: start with a byte-order mark (for Excel).",
                        "schema": {"type": "string", "enum": ["0", "1", "true", "false"]},
                    }
                ]
                if _fmt == "csv"
                else []
            )
        },
    )(_download_view(_fmt))
