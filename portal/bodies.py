"""Request bodies: the most each address reads, refused before it is read, and JSON no deeper
than a reader needs.

Every request gets a limit before its view runs (`request.max_content_length`): the write API's
(PORTAL_MAX_BODY_BYTES), the assistant API's (PORTAL_MAX_QUESTION_BYTES), or the forms' for
every other address (PORTAL_MAX_FORM_BYTES). A Content-Length over it is refused at once; a body
sent without one (chunked) is cut off by Werkzeug as it streams in, at the limit, so no worker
holds more than the limit of anyone's body. The API's two readers (`api/write.py`,
`api/ask.py`) refuse with their own sentences, so that a refused write is still audited; the
pages answer the 413 page of `portal/web/errors.py`.

The API's readers check JSON for depth before parsing it (`portal/jsondepth.py`, which the
importer shares).
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

__all__ = ["TooLarge", "check_declared", "init_app", "read", "size_text"]

API_PATH = "/api/"
ASK_PATH = "/api/v1/ask"


class TooLarge(Exception):
    """A body over the address's limit; `limit` is that limit in bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is over {size_text(limit)}")
        self.limit = limit


def size_text(n: int) -> str:
    """A byte count as people write limits: 2 MiB, 512 KiB, else bytes."""
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if n >= unit and n % unit == 0:
            return f"{n // unit} {name}"
    return f"{n:,} bytes"


def limit_for(path: str) -> int:
    """The most bytes of body the address at `path` reads (from the app's settings)."""
    config = current_app.config
    if path == ASK_PATH:
        return int(config["MAX_QUESTION_BYTES"])
    if path.startswith(API_PATH):
        return int(config["MAX_BODY_BYTES"])
    return int(config["MAX_FORM_BYTES"])


def _limit_request() -> None:
    """Give the request its address's limit; refuse a page's body that is larger."""
    limit = limit_for(request.path)
    request.max_content_length = limit
    if request.path.startswith(API_PATH):
        return  # the API's readers refuse with their own sentence (and the write API audits it)
    declared = request.content_length
    if declared is not None and declared > limit:
        abort(413)
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    # Read it now, at most the limit, so that the form parser meets the whole body or none.
    if declared is None and chunked and _went_on(request.get_data(cache=True)):
        abort(413)


def _went_on(data: bytes) -> bool:
    """True when a body sent without a Content-Length goes on past what was read of it.

    Werkzeug stops reading such a body at the limit without a word (its LimitedStream's
    readall), so a form or JSON cut there would be parsed as if whole: one more byte asked of
    the server's stream tells a body of exactly the limit from a longer one."""
    limit = request.max_content_length
    if request.content_length is not None or limit is None or len(data) < limit:
        return False
    return bool(request.environ["wsgi.input"].read(1))


def check_declared() -> None:
    """TooLarge when the request says (Content-Length) its body is over the request's limit."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise TooLarge(limit)


def read() -> bytes:
    """The request body, read no further than the request's limit; TooLarge beyond it."""
    check_declared()
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        data = None
    if data is None or _went_on(data):
        raise TooLarge(request.max_content_length or 0)
    return data


def init_app(app: Flask) -> None:
    """Set Flask's own limits from the settings and give every request its address's limit."""
    config = app.config  # MAX_*_BYTES and MAX_FORM_PARTS come from portal/config.py's table
    # Flask's defaults for anything read before the hook: the largest limit of any address.
    config["MAX_CONTENT_LENGTH"] = max(
        int(config[k]) for k in ("MAX_BODY_BYTES", "MAX_QUESTION_BYTES", "MAX_FORM_BYTES")
    )
    config["MAX_FORM_MEMORY_SIZE"] = int(config["MAX_FORM_BYTES"])
    app.before_request(_limit_request)
