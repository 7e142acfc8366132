"""Errors under /api as application/problem+json (RFC 9457), never an HTML page or a traceback."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.api.schemas import Problem, ProblemError
from portal.codes import PROBLEM_CODES, Issue, status_code
from portal.db import DatabaseUnavailable
from portal.records.query import QueryError

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
FEEDS_PREFIX = "/feeds/"  # feed readers are programs too: their errors are problem+json

# What a person can do about each status, when the code that raised it said nothing better.
_ADVICE = {
    400: "Check the query string against the API guide (/api/docs).",
    404: "Check the address: the API lives under /api/v1; see /api/docs for every path.",
    405: "This address answers other methods; see the Allow header.",
    414: "Shorten the query string.",
    429: "Too many requests from your address: wait for the time in Retry-After, then retry.",
    500: "Something went wrong on our side and has been logged. Try again later.",
    503: "The records database cannot be reached just now. Try again in a minute.",
}


_BUSY = (
    "The records database is busy with another write just now and nothing was changed. "
    "Try again in a few seconds."
)


def _is_lock_wait(exc: Exception) -> bool:
    """True for a write that gave up waiting for another's lock (SQLite busy, PostgreSQL
    lock_timeout), as opposed to a database that cannot be reached."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "database is locked" in text or "lock timeout" in text


def is_api_request() -> bool:
    """True when the request is for the API or a feed (their errors are problem+json)."""
    return request.path == "/api" or request.path.startswith((API_PREFIX, FEEDS_PREFIX))


def problem(
    status: int,
    detail: str,
    problems: Iterable[str] = (),
    *,
    code: str | None = None,
    errors: Iterable[ProblemError] = (),
    headers: dict[str, str] | None = None,
    body: BaseModel | None = None,
) -> Response:
    """A problem+json response: the status phrase as title, its code (the status's name unless
    a more specific one is given), a sentence, and each problem (with its code in `errors`)."""
    if code is not None and code not in PROBLEM_CODES:
        raise ValueError(f"problem code {code!r} is not in portal.codes.PROBLEM_CODES")
    payload = body or Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        code=code or status_code(status),
        detail=detail,
        problems=list(problems),
        errors=list(errors),
    )
    response = Response(payload.model_dump_json(), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def error_of(issue: Issue, field: str | None = None) -> ProblemError:
    """One issue as problem+json's `errors` holds it."""
    return ProblemError(
        code=issue.code, params=dict(issue.params), field=field, detail=issue.message
    )


def query_problem(exc: QueryError, detail: str | None = None) -> Response:
    """400 invalid_query: each problem with the query string, in a sentence and as a code."""
    count = len(exc.issues)
    return problem(
        400,
        detail or f"The query has {count} problem{'s' * (count > 1)}.",
        exc.problems,
        code="invalid_query",
        errors=[error_of(issue) for issue in exc.issues],
    )


def from_http_exception(exc: HTTPException) -> Response:
    """The problem for a werkzeug HTTP error, keeping its headers (Allow, Retry-After)."""
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    issues: list[Issue] | None = getattr(exc, "issues", None)  # a feed's query (feeds.py)
    if issues is not None:
        return query_problem(QueryError(issues), exc.description)
    if status == 429:
        return problem(429, _ADVICE[429], [f"The limit is {exc.description}."], headers=headers)
    # A description of our own (abort(404, "...")) says more than werkzeug's default one.
    described = exc.description if exc.description != type(exc).description else None
    detail = described or _ADVICE.get(status) or HTTPStatus(status).description
    return problem(status, detail, [described] if described else [], headers=headers)


def install(app: Flask) -> None:
    """Answer every 4xx/5xx under /api with problem+json; other paths keep their pages.

    Flask looks up one app-wide handler per exception class, so ours takes the HTML pages'
    handler (registered by the web blueprint before us) and hands it everything outside /api.
    """
    previous: Callable[[Any], Any] | None = app.error_handler_spec[None][None].get(HTTPException)

    def http_error(exc: HTTPException) -> Any:
        if is_api_request():
            if (exc.code or 500) >= 500:
                app.logger.error("API error %s on %s", exc.code, request.path)
            return from_http_exception(exc)
        return previous(exc) if previous else exc

    app.register_error_handler(HTTPException, http_error)

    previous_db = app.error_handler_spec[None][None].get(DatabaseUnavailable)

    def database_down(exc: Exception) -> Any:
        if is_api_request():
            app.logger.error("database unavailable: %s", str(exc).splitlines()[0])
            if _is_lock_wait(exc):
                return problem(503, _BUSY, code="database_busy", headers={"Retry-After": "5"})
            return problem(
                503, _ADVICE[503], code="database_unavailable", headers={"Retry-After": "30"}
            )
        if previous_db is not None:
            return previous_db(exc)
        raise exc

    app.register_error_handler(DatabaseUnavailable, database_down)
    app.register_error_handler(OperationalError, database_down)
