"""Downloads: /api/v1/<kind>.csv, .ndjson and .parquet stream the whole filtered set; the
data package."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from flask import Response, current_app, request
from sqlmodel import Session

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp
from portal.api.datapackage import package
from portal.api.export import chunks, consistent_read
from portal.api.http import base_url, link_header, no_args, not_modified, stamp, validator
from portal.api.limits import metered
from portal.api.listing import alternates, parse_args
from portal.api.parameters import filter_model, query_parameters
from portal.api.problems import problem
from portal.db import get_engine
from portal.records import LISTED_KINDS, RecordQuery
from portal.records.listing import count, data_version

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",  # pyarrow is imported at the first one
}
FORMATS = tuple(MEDIA)
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no", "")
Q = TypeVar("Q")


def _closing(session: Session, body: Iterator[bytes]) -> Iterator[bytes]:
    """A download's bytes, read in the download's own session (closed when done), so the
    request can end first."""
    try:
        yield from body
    finally:
        session.close()


def _snapshot_session() -> tuple[Session, int, datetime | None]:
    """A session of its own for a streamed download, reading one snapshot of the database, and
    the data version (and its time) that snapshot holds: the download's validators and its
    bytes come from the same data."""
    session = Session(get_engine(current_app.config["DATABASE_URL"]))
    try:
        consistent_read(session)
        version, changed_at = data_version(session)
    except Exception:
        session.close()
        raise
    return session, version, changed_at


def bom_wanted() -> bool | Response:
    """Whether a CSV download starts with a byte-order mark (`bom=1`), or a 400."""
    raw = request.args.get("bom", "").strip().lower()
    if raw not in _TRUE + _FALSE:
        return problem(400, "'bom' must be 1 (start with a byte-order mark) or 0.")
    return raw in _TRUE


def _bom_argument(fmt: str) -> bool | Response:
    """The `bom` parameter of a CSV download (False for other formats), or a 400."""
    return bom_wanted() if fmt == "csv" else False


Links = list[tuple[str, str, str | None]]


def serve_download(
    name: str,
    fmt: str,
    parse: Callable[[tuple[str, ...]], Q | Response],
    write: Callable[[Session, Q, bool], Iterator[bytes]],
    total: Callable[[Session, Q], int],
    links: Callable[[Q, str], Links],
) -> Response:
    """A whole filtered set as a file: `parse` reads the query string (ignoring the names it is
    given), `write` the bytes, `total` the count, `links` the alternates.

    Validators come from the data version (one indexed row), as the JSON pages' do: a
    revalidation or a repeated download of unchanged data reads none of the rows. The tag is
    strong (one data version gives one file) and the client's budget is charged by the bytes
    sent (portal.api.limits.metered)."""
    paging = [arg for arg in ("limit", "cursor") if arg in request.args]
    if paging:
        return problem(
            400,
            "A download is the whole filtered set: remove "
            f"{' and '.join(paging)} (they page the JSON listing).",
        )
    bom = _bom_argument(fmt)
    if isinstance(bom, Response):
        return bom
    query = parse(("bom",) if fmt == "csv" else ())
    if isinstance(query, Response):
        return query
    session, version, changed_at = _snapshot_session()
    tag = validator("download", name, fmt, bom, repr(query), version)
    cached = not_modified(tag, changed_at, weak=False)
    if cached is not None:
        session.close()
        return cached
    count_ = total(session, query)
    if request.method == "HEAD":  # headers only: let the connection go now
        session.close()
        response = Response(iter(()), content_type=MEDIA[fmt])  # no length, as a GET
    else:
        body = metered(_closing(session, write(session, query, bom)))
        response = Response(body, content_type=MEDIA[fmt])
        response.call_on_close(session.close)  # a body never started still lets it go
    response.headers["Content-Disposition"] = f'attachment; filename="clearwater-{name}.{fmt}"'
    response.headers["X-Total-Count"] = str(count_)
    own = f"/api/v1/{name}.{fmt}"
    response.headers["Link"] = link_header(
        [alt for alt in links(query, base_url()) if own not in alt[0]]
    )
    return stamp(response, tag, changed_at, weak=False)


def _download_view(kind: str, fmt: str) -> Callable[[], Response]:
    def parse(ignore: tuple[str, ...]) -> RecordQuery | Response:
        query = parse_args(kind, ignore=ignore)
        if isinstance(query, Response):
            return query
        return replace(query, limit=1)  # batches set their own size; keep the tag stable

    def view() -> Response:
        return serve_download(
            kind,
            fmt,
            parse,
            lambda session, query, bom: chunks(session, query, fmt, bom=bom),
            count,
            lambda query, base: alternates(kind, query, base),
        )

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
