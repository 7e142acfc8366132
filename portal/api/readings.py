"""Readings as a table: GET /api/v1/readings, and .csv, .ndjson and .parquet of the whole set.

One row per reading of a live incident (portal.records.readings), with the incident's id and
title, the province's names beside its code, and the limit and exceedance factor computed from
data/standards.csv. The JSON pages, the downloads and their validators work as the listings'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pydantic_core
from flask import Response, current_app, request
from pydantic import BaseModel, Field

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp
from portal.api.downloads import MEDIA, serve_download
from portal.api.http import (
    base_url,
    link_header,
    not_modified,
    query_string_problem,
    stamp,
    validator,
)
from portal.api.parameters import CURSOR, query_parameters
from portal.api.problems import query_problem
from portal.api.table import table_chunks
from portal.cache import remembered
from portal.db import request_session
from portal.models.incident import ReadingRow
from portal.models.vocab import pollutant_spellings, province_spellings
from portal.records.listing import data_version
from portal.records.query import MAX_LIMIT, QueryError
from portal.records.readings import (
    ReadingQuery,
    count_readings,
    encode_cursor,
    parse_reading_query,
    reading_batches,
    run_readings,
)

FORMATS = ("csv", "ndjson", "parquet")
INCIDENT_PATTERN = r"^[Ii][Nn][Cc](-[A-Za-z0-9]{1,12}){1,5}$"  # an incident's id, either case


class ReadingList(BaseModel):
    """A page of readings, in the order they were published."""

    items: list[ReadingRow]
    total: int = Field(description="Readings matching the filters, across all pages.")
    next: str | None = Field(description="URL of the next page; null on the last page.")


def _parameters(surface: str) -> list[dict[str, Any]]:
    """The query parameters of the readings' page or one of their downloads."""
    params: list[dict[str, Any]] = [
        {
            "name": "incident",
            "in": "query",
            "required": False,
            "description": "An incident id: its readings only.",
            "schema": {"type": "string", "pattern": INCIDENT_PATTERN, "maxLength": 40},
            "example": "INC-2012-0001",
        },
        {
            "name": "pollutant",
            "in": "query",
            "required": False,
            "description": "A pollutant by code or name: Cd, 镉, cadmium.",
            "schema": {"type": "string", "enum": list(pollutant_spellings())},
            "example": "Cd",
        },
        {
            "name": "province",
            "in": "query",
            "required": False,
            "description": "The incident's province by name (广西, Guangxi) or code (45).",
            "schema": {"type": "string", "enum": list(province_spellings())},
            "example": "45",
        },
    ]
    for name, side in (("from", "on or after"), ("to", "on or before")):
        params.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": f"Measured {side} this day (China time); readings of no known "
                "time are left out when a day is given. `from` not after `to` (400).",
                "schema": {"type": "string", "format": "date"},
            }
        )
    if surface == "page":
        params += [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Readings per page, 1 to {MAX_LIMIT}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": CURSOR["description"],
                "schema": {"type": "string", "maxLength": 500, "pattern": CURSOR["pattern"]},
            },
        ]
    if surface == "csv":
        params += query_parameters(_BomModel)
    return params


class _BomModel(BaseModel):
    bom: bool = Field(False, description="CSV only: start with a UTF-8 byte-order mark for Excel.")


def _parse(ignore: tuple[str, ...] = ()) -> ReadingQuery | Response:
    refused = query_string_problem()
    if refused is not None:
        return refused
    try:
        return parse_reading_query(
            request.args, default_limit=current_app.config["PAGE_SIZE"], ignore=ignore
        )
    except QueryError as exc:
        return query_problem(exc)


def _alternates(query: ReadingQuery, base: str) -> list[tuple[str, str, str | None]]:
    qs = urlencode(query.filters())
    suffix = f"?{qs}" if qs else ""
    return [
        (f"{base}/api/v1/readings.{fmt}{suffix}", "alternate", MEDIA[fmt].split(";")[0])
        for fmt in FORMATS
    ]


@bp.get(
    "/readings",
    tags=[TAGS["records"]],
    summary="Readings as a table",
    description="One row per reading of every live incident: the incident's id and title, the "
    "site, time, pollutant, value and unit, and the limit of the standard it is judged "
    "against with the exceedance factor (value / limit), computed from the portal's table of "
    "standards. In the order the readings were published; `next` (and the Link header) carries "
    "the keyset cursor. Answers 304 to If-None-Match / If-Modified-Since.",
    responses={200: ReadingList, 304: NOT_MODIFIED},
    openapi_extensions={"parameters": _parameters("page")},
)
def list_readings() -> Response:
    """GET /api/v1/readings."""
    query = _parse()
    if isinstance(query, Response):
        return query
    session = request_session(current_app)
    base = base_url()
    version, changed_at = data_version(session)
    tag = validator("readings", repr(query), version, base)
    cached = not_modified(tag, changed_at)
    if cached is not None:
        return cached

    def render() -> tuple[bytes, str | None]:
        page = run_readings(session, query)
        next_url = None
        if page.next_after is not None:
            args = {**request.args.to_dict(), "cursor": encode_cursor(page.next_after)}
            next_url = f"{base}/api/v1/readings?{urlencode(args)}"
        body = {"items": page.rows, "total": page.total, "next": next_url}
        return pydantic_core.to_json(body), next_url

    body, next_url = remembered(
        "api-readings", version, (repr(query), request.query_string, base), render
    )
    response = stamp(Response(body, mimetype="application/json"), tag, changed_at)
    rels = _alternates(query, base)
    if next_url:
        rels.insert(0, (next_url, "next", None))
    response.headers["Link"] = link_header(rels)
    return response


def _download_view(fmt: str) -> Callable[[], Response]:
    def view() -> Response:
        return serve_download(
            "readings",
            fmt,
            _parse,
            lambda session, query, bom: table_chunks(
                ReadingRow, reading_batches(session, query), fmt, bom=bom
            ),
            count_readings,
            _alternates,
        )

    view.__name__ = f"download_readings_{fmt}"
    return view


for _fmt in FORMATS:
    bp.get(
        f"/readings.{_fmt}",
        tags=[TAGS["downloads"]],
        summary=f"Download readings as {_fmt.upper()}",
        description="Every reading matching the filters, one row each, streamed (no row cap, "
        "flat memory); the columns of /api/v1/readings, described in /api/v1/datapackage.json."
        + (
            " UTF-8; `bom=1` adds a byte-order mark for Excel; text cells starting with = + - @ "
            "get a leading apostrophe."
            if _fmt == "csv"
            else " Typed columns (times in UTC, numbers, booleans, strings)."
            if _fmt == "parquet"
            else ""
        ),
        responses={
            200: {
                "description": "The whole filtered set.",
                "content": {
                    MEDIA[_fmt].split(";")[0]: {
                        "schema": {"type": "string", "format": "binary"}
                        if _fmt == "parquet"
                        else {"type": "string"}
                    }
                },
            },
            304: NOT_MODIFIED,
        },
        openapi_extensions={"parameters": _parameters(_fmt)},
    )(_download_view(_fmt))
