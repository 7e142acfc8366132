"""The API about itself: its index, the OpenAPI document, the reader at /api/docs, snapshots."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template_string, send_from_directory
from flask_openapi3_swagger.templates import swagger_html_string

from portal.api.blueprint import NOT_MODIFIED, TAGS, bp, problem_response
from portal.api.http import base_url, json_response, no_args, not_modified, stamp, validator
from portal.api.problems import problem
from portal.api.schemas import SnapshotPath, Snapshots
from portal.api.snapshot import DATE_RE, read_snapshot, snapshot_dates
from portal.records import PUBLIC_KINDS

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
                for kind in PUBLIC_KINDS
            },
            "openapi": f"{base}/api/v1/openapi.json",
            "docs": f"{base}/api/docs",
            "datapackage": f"{base}/api/v1/datapackage.json",
            "snapshots": f"{base}/api/v1/snapshots",
            "licence": "CC-BY-4.0",
        }
    )


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
