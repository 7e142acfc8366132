"""The API about itself: its index, its status, the OpenAPI document, the reader at /api/docs,
snapshots."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import redis
from flask import Blueprint, Response, current_app, render_template_string, send_from_directory
from flask_openapi3_swagger.templates import swagger_html_string
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp, component, problem_response
from portal.api.http import base_url, json_response, no_args, not_modified, stamp, validator
from portal.api.problems import problem
from portal.api.schemas import SnapshotPath, Snapshots
from portal.api.snapshot import DATE_RE, read_snapshot, snapshot_dates
from portal.db import DatabaseUnavailable, get_engine
from portal.records import LISTED_KINDS
from portal.records.listing import data_version, revision_time
from portal.search import IndexUnavailable, service_of

REDIS_TIMEOUT = 1.0  # seconds the status waits for Redis: a hung Redis is reported, not waited on

# /api/docs: Swagger UI from the flask-openapi3-swagger package, its assets served locally.
docs = Blueprint("api_docs", __name__, url_prefix="/api")


@docs.get("/docs")
def reader() -> str:
    """The OpenAPI document in Swagger UI (assets from /api/swagger/, no CDN)."""
    return render_template_string(
        swagger_html_string, doc_url="v1/openapi.json", swagger_config=None, oauth_config=None
    )


def _json_object(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }


@bp.get(
    "",
    tags=[TAGS["about"]],
    summary="What the API offers",
    responses={200: _json_object("Links to every listing, download and document.")},
)
def index() -> Response:
    """Links to every listing, download and document of the API."""
    refused = no_args()
    if refused is not None:
        return refused
    base = base_url()
    return json_response(
        {
            "version": "v1",
            "kinds": {
                kind: {
                    "items": f"{base}/api/v1/{kind}",
                    "csv": f"{base}/api/v1/{kind}.csv",
                    "ndjson": f"{base}/api/v1/{kind}.ndjson",
                }
                for kind in LISTED_KINDS
            },
            "openapi": f"{base}/api/v1/openapi.json",
            "docs": f"{base}/api/docs",
            "datapackage": f"{base}/api/v1/datapackage.json",
            "snapshots": f"{base}/api/v1/snapshots",
            "licence": "CC-BY-4.0",
        }
    )


class Part(BaseModel):
    """Whether one part the portal depends on answers."""

    reachable: bool | None = Field(description="None when the part is not configured.")
    problem: str | None = Field(default=None, description="Why it does not answer, for a person.")


class DatabaseState(Part):
    """The database: the source of every record."""

    version: int | None = Field(default=None, description="The change log's newest version.")
    last_change_at: datetime | None = Field(
        default=None, description="When the newest change was made."
    )


class RedisState(Part):
    """Redis: the rate limits and the rendered pages shared by every worker (optional)."""

    configured: bool


class SearchState(Part):
    """The search index (or, on PostgreSQL, the database's own full text)."""

    rebuilding: bool = False
    lag: int | None = Field(
        default=None, description="Changes (revisions) written that search does not show yet."
    )
    last_indexed_at: datetime | None = Field(
        default=None, description="When the newest change that search shows was made."
    )


class PortalStatus(BaseModel):
    """What answers and what does not; `ok`, `degraded` (Redis or search), or `down` (the
    database, with status 503)."""

    status: Literal["ok", "degraded", "down"]
    database: DatabaseState
    redis: RedisState
    search: SearchState


def _database() -> tuple[DatabaseState, Session | None]:
    session = Session(get_engine(current_app.config["DATABASE_URL"]))
    try:
        version, at = data_version(session)
    except (SQLAlchemyError, DatabaseUnavailable) as exc:
        session.close()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return DatabaseState(
            reachable=False, problem=f"The database does not answer: {reason}"
        ), None
    return DatabaseState(reachable=True, version=version, last_change_at=at), session


def _redis() -> RedisState:
    url = current_app.config.get("REDIS_URL") or ""
    if not url:
        return RedisState(configured=False, reachable=None)
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        # The portal goes on without it (counters in memory, pages rendered afresh).
        return RedisState(configured=True, reachable=False, problem=f"Redis does not answer: {exc}")
    finally:
        client.close()
    return RedisState(configured=True, reachable=True)


def _search(session: Session | None) -> SearchState:
    try:
        return _search_state(session)
    except Exception as exc:  # whatever search raises, the status reports it and still answers
        current_app.logger.warning("status: search state unknown", exc_info=True)
        return SearchState(reachable=False, problem=f"Search does not answer: {exc}")


def _search_state(session: Session | None) -> SearchState:
    engine = service_of(current_app)
    if engine.rebuilding():
        return SearchState(reachable=False, rebuilding=True, problem="The index is being rebuilt.")
    if not engine.available():
        return SearchState(reachable=False, problem="There is no readable search index.")
    if session is None:  # without the database, the lag cannot be known
        return SearchState(reachable=True)
    try:
        lag = engine.lag()
    except IndexUnavailable as exc:
        return SearchState(reachable=False, problem=f"The index cannot be read: {exc}.")
    version, _ = data_version(session)
    return SearchState(
        reachable=True, lag=lag, last_indexed_at=revision_time(session, version - lag)
    )


@bp.get(
    "/status",
    tags=[TAGS["about"]],
    summary="What answers: the database, Redis and search",
    description="Whether the database, Redis (when configured) and the search index answer, how "
    "many changes search has not taken in yet (`search.lag`) and when the newest change it "
    "shows was made. A part that does not answer is reported here, never as an error: the "
    "answer is 200 while the database answers (`status` is `degraded` when Redis or search does "
    "not, or search lags), and 503 with the same body when it does not. Never cached.",
    responses={
        200: PortalStatus,
        503: {
            "description": "The database does not answer: the same body, `status` is `down`.",
            "content": {"application/json": {"schema": component(PortalStatus)}},
        },
    },
)
def status() -> Response:
    """The state of every part the portal depends on, and the search index's lag."""
    refused = no_args()
    if refused is not None:
        return refused
    database, session = _database()
    try:
        search = _search(session)
    finally:
        if session is not None:
            session.close()
    cache = _redis()
    if not database.reachable:
        overall: Literal["ok", "degraded", "down"] = "down"
    elif cache.reachable is False or not search.reachable or search.lag:
        overall = "degraded"
    else:
        overall = "ok"
    body = PortalStatus(status=overall, database=database, redis=cache, search=search)
    response = json_response(body.model_dump(mode="json"), 503 if overall == "down" else 200)
    response.headers["Cache-Control"] = "no-store"
    if overall == "down":
        response.headers["Retry-After"] = "30"
    return response


@bp.get(
    "/openapi.json",
    tags=[TAGS["about"]],
    summary="This OpenAPI document",
    responses={200: _json_object("The OpenAPI 3.1 document."), 304: NOT_MODIFIED},
)
def openapi_document() -> Response:
    """The OpenAPI 3.1 document, generated from the models that shape every response."""
    refused = no_args()
    if refused is not None:
        return refused
    document = current_app.api_doc  # type: ignore[attr-defined]
    text = json.dumps(document, ensure_ascii=False)
    tag = validator("openapi", text)
    cached = not_modified(tag, None)
    if cached is not None:
        return cached
    return stamp(Response(text, mimetype="application/json"), tag, None)


def _root() -> Path:
    return Path(current_app.config["SNAPSHOT_DIR"])


@bp.get(
    "/snapshots",
    tags=[TAGS["about"]],
    summary="Dated snapshots",
    description="Every snapshot written by `portal snapshot`, newest first: its files with "
    "sizes and SHA-256 checksums, and how many records were added, changed and withdrawn "
    "since the previous one.",
    responses={200: Snapshots},
)
def snapshots() -> Response:
    """Every dated snapshot, newest first."""
    refused = no_args()
    if refused is not None:
        return refused
    base, root = base_url(), _root()
    items = []
    for day in snapshot_dates(root):
        info = asdict(read_snapshot(root, day))
        for f in info["files"]:
            f["url"] = f"{base}/api/v1/snapshots/{day}/{f['name']}"
            del f["rows"]
        items.append(info)
    response = json_response({"items": items, "total": len(items), "next": None})
    tag = validator("snapshots", response.get_data())
    return not_modified(tag, None) or stamp(response, tag, None)


@bp.get(
    "/snapshots/<date>/<name>",
    tags=[TAGS["about"]],
    summary="One file of a snapshot",
    description="A file of a dated snapshot (`latest` names the newest). Files never change.",
    responses={
        200: {
            "description": "The file.",
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        },
        404: problem_response("Not Found: no such snapshot or file."),
    },
)
def snapshot_file(path: SnapshotPath) -> Response:
    """One file of a snapshot; `latest` is the newest snapshot."""
    root = _root()
    dates = snapshot_dates(root)
    day = dates[0] if path.date == "latest" and dates else path.date
    if not DATE_RE.match(day) or day not in dates:
        return problem(404, f"There is no snapshot {path.date[:20]}; see /api/v1/snapshots.")
    # Snapshot files have short plain names; anything else (a name too long for the file
    # system, a dot file, a NUL) is simply not there, and never reaches the file system.
    name = path.name
    if (
        len(name) > 100
        or name.startswith(".")
        or "\x00" in name
        or not (root / day / name).is_file()
    ):
        return problem(404, f"The snapshot {day} has no file {name[:60]}.")
    response = send_from_directory(root / day, name, conditional=True, max_age=0)
    if path.date == "latest":
        response.headers["Content-Location"] = f"/api/v1/snapshots/{day}/{path.name}"
        response.headers["Cache-Control"] = "public, no-cache"
    else:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
