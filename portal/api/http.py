"""HTTP manners shared by the API's routes: JSON, validators and 304s, CORS, rate-limit headers."""

from __future__ import annotations

from typing import Any

import pydantic_core
from flask import Flask, Response, request

from portal.api.limits import headers_for, standing
from portal.api.problems import is_api_request, problem
from portal.conditional import base_url, not_modified, stamp, validator
from portal.models.common import INVISIBLE

__all__ = ["base_url", "json_response", "link_header", "not_modified", "stamp", "validator"]

CORS_EXPOSED = (
    "ETag, Link, Retry-After, Content-Disposition, X-Total-Count, "
    "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy"
)
MAX_QUERY_BYTES = 8000
# Parameters whose empty value means something: no words (a search of everything).
MAY_BE_EMPTY = ("q",)


def json_response(payload: Any, status: int = 200) -> Response:
    """Serialise plain data (already in JSON form) as UTF-8 JSON, Chinese unescaped."""
    return Response(pydantic_core.to_json(payload), status=status, mimetype="application/json")


def query_string_problem() -> Response | None:
    """Refuse query strings too long to be a query, holding invisible control characters (the
    text fields' rule, INVISIBLE), or giving a parameter with nothing in it."""
    size = len(request.query_string)
    if size > MAX_QUERY_BYTES:
        return problem(
            414,
            f"The query string is {size:,} bytes; the API takes up to {MAX_QUERY_BYTES:,}.",
        )
    args = list(request.args.items(multi=True))
    bad = [name for name, value in args if INVISIBLE.search(name + value)]
    if bad:
        names = ", ".join(sorted({n[:40] for n in bad}))
        return problem(400, f"Remove the invisible control characters from: {names}.")
    # An empty filter is not "any": the document declares none of them empty, and a client that
    # sends `updated_since=` has lost the value it meant to send.
    empty = sorted({name[:40] for name, value in args if not value.strip()} - set(MAY_BE_EMPTY))
    if empty:
        names = ", ".join(f"'{name}'" for name in empty[:5])
        return problem(
            400,
            f"{names} {'is' if len(empty) == 1 else 'are'} given with no value: give one, or "
            "leave the parameter out.",
        )
    return None


def no_args() -> Response | None:
    """A 400 for an address that takes no query parameters but was given some."""
    if not request.args:
        return None
    names = ", ".join(sorted({name[:40] for name in request.args})[:5])
    return problem(400, f"This address takes no query parameters; remove {names}.")


def link_header(links: list[tuple[str, str, str | None]]) -> str:
    """A Link header from (url, rel, type) triples."""
    parts = []
    for url, rel, media_type in links:
        part = f'<{url}>; rel="{rel}"'
        if media_type:
            part += f'; type="{media_type}"'
        parts.append(part)
    return ", ".join(parts)


def _rate_limit_headers(response: Response) -> None:
    current = standing()
    if current is None:
        return
    headers = response.headers
    for name, value in headers_for(current, response.status_code):
        headers[name] = value


def decorate(response: Response) -> Response:
    """CORS for public reads and rate-limit headers on every API answer (the security headers of
    every response are portal/web/security.py's)."""
    if not is_api_request():
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        headers["Access-Control-Max-Age"] = "86400"
    _rate_limit_headers(response)
    return response


def install(app: Flask) -> None:
    """Add the API's response headers to the app."""
    app.after_request(decorate)
