"""One record's JSON, answered again without Flask: the API's hottest address, kept to its floor.

`GET /api/v1/<kind>/<id>` is what mirrors, scrapers and the pages' scripts ask most, and a
record's answer changes only with the record's revision. Flask's pipeline around that answer
(routing, contexts, path validation, hooks, a Response built header by header) cost more than
half of a kept record's CPU (docs/performance.md). So the first time Flask answers a record with
a 200, this middleware keeps the answer as sent (status, headers, body); the next time the same
address is asked, from the same host and scheme, of the same revision, it sends the same bytes
again by itself. Decision 0015 says why, and what keeps it honest.

Per request it still does what the answer depends on:

- it spends the request from the client's API budget, exactly as Flask's hook would
  (`portal.api.limits.charge`), and writes fresh RateLimit-* headers in their places;
- it looks the record's revision up (one primary-key read of a live record), so a correction
  or a withdrawal is seen by the very next request, on every worker.

Everything else goes to Flask, charged once (`portal.api.limits.CHARGED`): any method but GET,
a query string, a conditional or range request, an id that is not an id, a record not yet kept,
withdrawn or absent, a spent budget (the 429 is Flask's), a database error (the 503 is Flask's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Dialect

from portal.api.cache import ByteCache
from portal.api.limits import CHARGED, charge, headers_for
from portal.budget import address_of
from portal.conditional import standards_version
from portal.db import get_engine
from portal.models.common import requested_id

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

# The RateLimit-* headers of a 200, in the order portal.api.limits.headers_for gives them.
RATE_ORDER = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"]
RATE_HEADERS = frozenset(name.lower() for name in RATE_ORDER)
MAX_BODY = 1024 * 1024  # a larger answer is sent on, not kept
MAX_BYTES = 32 * 1024 * 1024  # answers kept per worker (one over an eighth of it is not kept)
# What a request carries that could change the answer or ask for another one: such requests
# are Flask's (their answers are cheap, or not a plain 200).
FLASK_ONLY = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
# The parts of the environ base_url(), HSTS and werkzeug read: an answer is kept per their values.
ADDRESS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


@dataclass(frozen=True, slots=True)
class Answer:
    """A 200 as Flask sent it; `rate_at` are the places of its RateLimit-* headers."""

    status: str
    headers: tuple[tuple[str, str], ...]
    rate_at: tuple[int, ...]
    body: bytes

    @property
    def size(self) -> int:
        """About the bytes it holds: the body and the headers' text."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class KeptRecords:
    """WSGI middleware in front of the portal's Flask app (installed by portal.api.init_app)."""

    def __init__(
        self,
        app: Flask,
        wsgi_app: WSGIApplication,
        kinds: Iterable[str],
        revision_of: Callable[[str], Any],
    ) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.answers: ByteCache[Answer] = ByteCache(MAX_BYTES, weigh=lambda a: a.size)
        self.revision_of = revision_of  # kind -> SELECT revision ... WHERE id = :id (live only)
        self._statements: dict[tuple[str, str, str], tuple[str, bool]] = {}
        names = "|".join(map(re.escape, kinds))
        self._path = re.compile(rf"/api/v1/({names})/([^/]+)")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        wanted = self._wanted(environ)
        if wanted is None:
            return self.wsgi_app(environ, start_response)
        kind, record_id = wanted
        app = self.app
        current, allowed = charged = charge(app, address_of(environ), 1)
        environ[CHARGED] = charged  # whatever happens next, this request is counted
        if not allowed:
            return self.wsgi_app(environ, start_response)
        try:
            revision = self._revision(app.config["DATABASE_URL"], kind, record_id)
        except Exception:  # any failure: Flask's full path meets it again and answers (503)
            return self.wsgi_app(environ, start_response)
        if revision is None:
            return self.wsgi_app(environ, start_response)  # withdrawn or absent: Flask says so
        key = (
            environ["PATH_INFO"],
            *[environ.get(name) for name in ADDRESS],
            revision,
            app.config["DATABASE_URL"],
            app.config.get("BASE_URL"),
            standards_version(),
        )
        answer = self.answers.get(key)
        if answer is None:
            return self._keep(key, environ, start_response)
        fresh = headers_for(current, 200) if current is not None else []
        if len(fresh) != len(answer.rate_at):
            return self._keep(key, environ, start_response)  # limits switched on or off
        headers = list(answer.headers)
        for at, header in zip(answer.rate_at, fresh, strict=True):
            headers[at] = header
        start_response(answer.status, headers)
        return [answer.body]

    def _revision(self, url: str, kind: str, record_id: str) -> int | None:
        """The live record's revision: the statement Flask's view runs, compiled once per
        database and kind and run on a pooled DB-API connection (SQLAlchemy's execution path
        cost more than the lookup itself)."""
        engine = get_engine(url)
        sql, positional = self._statement(engine.dialect, kind)
        raw = engine.raw_connection()  # the pool's: its connect settings, returned on close
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, (record_id,) if positional else {"id": record_id})
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            raw.close()
        return None if row is None else int(row[0])

    def _statement(self, dialect: Dialect, kind: str) -> tuple[str, bool]:
        key = (dialect.name, dialect.driver, kind)
        found = self._statements.get(key)
        if found is None:
            compiled = self.revision_of(kind).compile(dialect=dialect)
            if list(compiled.params) != ["id"]:
                raise RuntimeError(f"{kind}: the revision lookup must take one id")
            found = self._statements[key] = (str(compiled), bool(compiled.positional))
        return found

    def _wanted(self, environ: WSGIEnvironment) -> tuple[str, str] | None:
        """(kind, ID) of a plain GET of one record, else None."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        matched = self._path.fullmatch(environ.get("PATH_INFO", ""))
        if matched is None:
            return None
        record_id = requested_id(matched.group(2))
        if record_id is None:
            return None
        if any(name in environ for name in FLASK_ONLY):
            return None
        return matched.group(1), record_id

    def _keep(
        self, key: Hashable, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Flask's answer, kept when it is a 200 of a size worth keeping."""
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not sent or not sent[0][0].startswith("200 "):
            return result
        status, headers = sent[0]
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        if length is None or int(length) > MAX_BODY:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        rate_at = tuple(i for i, (k, _) in enumerate(headers) if k.lower() in RATE_HEADERS)
        if [headers[i][0] for i in rate_at] != RATE_ORDER[: len(rate_at)]:
            return [body]  # not the headers replay knows how to renew: send, don't keep
        self.answers.put(key, Answer(status, tuple(headers), rate_at, body))
        return [body]
