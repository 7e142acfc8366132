"""Disclosure obligations as JSON: GET /api/v1/obligations, the /obligations page's twin."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pydantic_core
from flask import Response, current_app, request
from pydantic import BaseModel, Field

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp
from portal.api.http import (
    base_url,
    link_header,
    not_modified,
    query_string_problem,
    stamp,
    validator,
)
from portal.api.parameters import CURSOR, ID_PATTERN
from portal.api.problems import query_problem
from portal.cache import all_obligations, remembered
from portal.db import request_session
from portal.models.enterprise import Sector
from portal.models.vocab import province_spellings
from portal.records import obligations as ob
from portal.records.listing import data_version
from portal.records.query import MAX_LIMIT, MAX_TEXT


class ObligationLinks(BaseModel):
    """Where to read the enterprise, the disclosure that met the obligation and the decision."""

    enterprise: str = Field(description="The enterprise's page.")
    enterprise_api: str = Field(description="The enterprise in the API.")
    disclosure: str | None = Field(description="The disclosure's page; null when none was filed.")
    disclosure_api: str | None = Field(description="The disclosure in the API.")
    decision: str | None = Field(description="The inspection holding the penalty decision.")
    html: str = Field(description="The obligation on the /obligations page.")


class ObligationItem(ob.Obligation):
    """One obligation with its links."""

    links: ObligationLinks


class StatusCounts(BaseModel):
    """How many obligations match the other filters, by status."""

    filed_on_time: int
    filed_late: int
    overdue: int
    not_yet_due: int


class ObligationList(BaseModel):
    """A page of obligations, the latest due first."""

    items: list[ObligationItem]
    total: int = Field(description="Obligations matching the filters, across all pages.")
    next: str | None = Field(description="URL of the next page; null on the last page.")
    counts: StatusCounts = Field(description="By status, under the filters other than status.")
    as_of: date = Field(description="The day the statuses are judged on (China).")
    first_year: int = Field(description="The first reporting year under the rules (2022).")


def _enum(values: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value for v in values]}


PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "year",
        "in": "query",
        "required": False,
        "description": "The reporting year, from 2022 (the rules are in force from 2022-02-08) "
        "to this year; for a temporary report, the year of its decision.",
        # This year when the document was made: a later one is not known yet (400).
        "schema": {"type": "integer", "minimum": ob.FIRST_YEAR, "maximum": ob.clock(None).year},
        "example": 2024,
    },
    {
        "name": "province",
        "in": "query",
        "required": False,
        "description": "The enterprise's province by name (广西, Guangxi) or code (45).",
        "schema": {"type": "string", "enum": list(province_spellings())},
        "example": "45",
    },
    {
        "name": "sector",
        "in": "query",
        "required": False,
        "description": "The enterprise's sector.",
        "schema": _enum(Sector),
    },
    {
        "name": "status",
        "in": "query",
        "required": False,
        "description": "Where the obligation stands today.",
        "schema": _enum(ob.Status),
    },
    {
        "name": "type",
        "in": "query",
        "required": False,
        "description": "The annual report, or a temporary report about one decision.",
        "schema": _enum(ob.ObligationType),
    },
    {
        "name": "enterprise",
        "in": "query",
        "required": False,
        "description": "An enterprise id.",
        "schema": {"type": "string", "pattern": ID_PATTERN, "maxLength": 40},
        "example": "ENT-0001",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Obligations per page, 1 to {MAX_LIMIT}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
    },
    {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": CURSOR["description"],
        "schema": {"type": "string", "maxLength": MAX_TEXT, "pattern": CURSOR["pattern"]},
    },
]


def today() -> date:
    """The day obligations are judged on: the app's OBLIGATIONS_TODAY, else today in China."""
    return ob.clock(current_app.config.get("OBLIGATIONS_TODAY"))


def links(o: ob.Obligation, base: str) -> ObligationLinks:
    """Where to read what an obligation rests on."""
    return ObligationLinks(
        enterprise=f"{base}/enterprises/{o.enterprise_id}",
        enterprise_api=f"{base}/api/v1/enterprises/{o.enterprise_id}",
        disclosure=f"{base}/disclosures/{o.disclosure_id}" if o.disclosure_id else None,
        disclosure_api=f"{base}/api/v1/disclosures/{o.disclosure_id}" if o.disclosure_id else None,
        decision=f"{base}/inspections/{o.decision.inspection_id}" if o.decision else None,
        html=f"{base}/obligations?{urlencode({'enterprise': o.enterprise_id})}#{o.id}",
    )


def _bad(exc: ob.ObligationQueryError) -> Response:
    # One problem: say it as the detail, plainly.
    return query_problem(exc, exc.problems[0] if len(exc.problems) == 1 else None)


@bp.get(
    "/obligations",
    tags=[TAGS["records"]],
    summary="Disclosure obligations",
    description="Who had to disclose under MEE Order No. 24, what was due and whether it was "
    "filed: the annual report for year Y by 15 March of Y+1, a temporary report within 5 "
    "working days of a penalty decision. Derived from the published enterprises, inspections "
    "and disclosures (docs/obligations.md). The latest due first; `counts` by status. A year "
    "before 2022 (the rules are in force from 2022-02-08) is a 400 that says so. Answers 304 "
    "to If-None-Match / If-Modified-Since.",
    responses={200: ObligationList, 304: NOT_MODIFIED},
    openapi_extensions={"parameters": PARAMETERS},
)
def list_obligations() -> Response:
    """GET /api/v1/obligations."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    day = today()
    try:
        query = ob.parse_obligation_query(
            request.args, day, default_limit=current_app.config["PAGE_SIZE"]
        )
    except ob.ObligationQueryError as exc:
        return _bad(exc)
    session = request_session(current_app)
    base = base_url()
    version, changed_at = data_version(session)
    tag = validator("obligations", repr(query), version, day, base)
    cached = not_modified(tag, changed_at)
    if cached is not None:
        return cached

    def render() -> tuple[bytes, str | None]:
        page = ob.select_page(all_obligations(session, day), query)
        next_url = None
        if page.next_cursor is not None:
            args = {**request.args.to_dict(), "cursor": page.next_cursor.encode()}
            next_url = f"{base}/api/v1/obligations?{urlencode(args)}"
        body = {
            "items": [
                {**o.model_dump(mode="json"), "links": links(o, base).model_dump(mode="json")}
                for o in page.items
            ],
            "total": page.total,
            "next": next_url,
            "counts": page.counts,
            "as_of": day.isoformat(),
            "first_year": ob.FIRST_YEAR,
        }
        return pydantic_core.to_json(body), next_url

    # The rendered page, kept under the data version and the day (portal/cache.py): reading the
    # kept computation of every obligation costs more than a kept page.
    body, next_url = remembered(
        "api-obligations",
        version,
        (repr(query), request.query_string, base, day.isoformat()),
        render,
    )
    response = stamp(Response(body, mimetype="application/json"), tag, changed_at)
    filters = query.filters()
    html_qs = urlencode(filters)
    feed_qs = urlencode({k: v for k, v in filters.items() if k != "status"})
    rels: list[tuple[str, str, str | None]] = [
        (f"{base}/obligations{'?' * bool(html_qs)}{html_qs}", "alternate", "text/html"),
        (
            f"{base}/feeds/obligations.atom{'?' * bool(feed_qs)}{feed_qs}",
            "alternate",
            "application/atom+xml",
        ),
    ]
    if next_url:
        rels.insert(0, (next_url, "next", None))
    response.headers["Link"] = link_header(rels)
    return response
