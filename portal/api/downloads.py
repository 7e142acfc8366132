"""Downloads: /api/v1/<kind>.csv, .ndjson and .parquet stream the whole filtered set; the
data package."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace

from flask import Response, current_app, request
from sqlmodel import Session

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp
from portal.api.datapackage import package
from portal.api.export import chunks, consistent_read
from portal.api.http import base_url, link_header, no_args, not_modified, stamp, validator
from portal.api.listing import alternates, parse_args
from portal.api.parameters import filter_model, query_parameters
from portal.api.problems import problem
from portal.db import get_engine, request_session
from portal.records import LISTED_KINDS, RecordQuery
from portal.records.read import freshness

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",  # pyarrow is imported at the first one
}
FORMATS = tuple(MEDIA)
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no", "")


def bom_wanted() -> bool | Response:
    """Whether a CSV download starts with a byte-order mark (`bom=1`), or a 400."""
    raw = request.args.get("bom", "").strip().lower()
    if raw not in _TRUE + _FALSE:
        return problem(400, "'bom' must be 1 (start with a byte-order mark) or 0.")
    return raw in _TRUE


def _stream(url: str, query: RecordQuery, fmt: str, bom: bool) -> Iterator[bytes]:
    """The download's bytes, read in its own session so the request can end first."""
    with Session(get_engine(url)) as session:
        consistent_read(session)
        yield from chunks(session, query, fmt, bom=bom)


def _download_view(kind: str, fmt: str) -> Callable[[], Response]:
    def view() -> Response:
        paging = [name for name in ("limit", "cursor") if name in request.args]
        if paging:
            return problem(
                400,
                "A download is the whole filtered set: remove "
                f"{' and '.join(paging)} (they page the JSON listing).",
            )
        bom = False
        if fmt == "csv":
            wanted = bom_wanted()
            if isinstance(wanted, Response):
                return wanted
            bom = wanted
        query = parse_args(kind, ignore=("bom",) if fmt == "csv" else ())
        if isinstance(query, Response):
            return query
        query = replace(query, limit=1)  # batches set their own size; keep the tag stable
        total, newest, revisions = freshness(request_session(current_app), query)
        tag = validator("download", fmt, bom, repr(query), total, newest, revisions)
        cached = not_modified(tag, newest)
        if cached is not None:
            return cached
        body = _stream(current_app.config["DATABASE_URL"], query, fmt, bom)
        response = Response(body, content_type=MEDIA[fmt])
        response.headers["Content-Disposition"] = f'attachment; filename="clearwater-{kind}.{fmt}"'
        response.headers["X-Total-Count"] = str(total)
        own = f"/api/v1/{kind}.{fmt}"
        response.headers["Link"] = link_header(
            [alt for alt in alternates(kind, query, base_url()) if own not in alt[0]]
        )
        return stamp(response, tag, newest)

    view.__name__ = f"download_{kind}_{fmt}"
    return view


def datapackage() -> Response:
    """The Frictionless Data Package describing every download (CC BY 4.0)."""
    refused = no_args()
    if refused is not None:
        return refused
    text = json.dumps(package(), ensure_ascii=False, indent=2)
    tag = validator("datapackage", text)
    cached = not_modified(tag, None)
    if cached is not None:
        return cached
    return stamp(Response(text, mimetype="application/json"), tag, None)


for _kind in LISTED_KINDS:
    for _fmt in FORMATS:
        bp.get(
            f"/{_kind}.{_fmt}",
            tags=[TAGS["downloads"]],
            summary=f"Download {_kind} as {_fmt.upper()}",
            description=f"Every {_kind[:-1]} matching the filters, streamed (no row cap, flat "
            "memory). Columns are described in /api/v1/datapackage.json. "
            + (
                "UTF-8; `bom=1` adds a byte-order mark for Excel. Lists of codes are joined "
                "with ';', nested parts are JSON cells, and text cells starting with = + - @ "
                "get a leading apostrophe so spreadsheets do not run them."
                if _fmt == "csv"
                else "One JSON record per line, the same fields as the API's items."
                if _fmt == "ndjson"
                else "Typed columns (timestamps in UTC, dates, integers, numbers, booleans, "
                "strings), lists of codes as Parquet lists, nested parts as JSON text; written "
                "and sent a row group at a time, the footer last."
            ),
            responses={
                200: {
                    "description": "The whole filtered set.",
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
            openapi_extensions={"parameters": query_parameters(filter_model(_kind, _fmt))},
        )(_download_view(_kind, _fmt))

bp.get(
    "/datapackage.json",
    tags=[TAGS["about"]],
    summary="The data package",
    description="A Frictionless Data Package describing every download: fields, types, units, "
    "licence (CC BY 4.0) and sources. Resource paths are relative to this address.",
    responses={
        200: {
            "description": "The data package descriptor.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        304: NOT_MODIFIED,
    },
)(datapackage)
