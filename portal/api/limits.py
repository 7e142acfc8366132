"""Rate limits per client on /api/v1 and the feeds: in memory, or in Redis for many workers.

The store and the strategy are portal/budget.py's (the `limits` library, set by the
RATELIMIT_* settings); the API's one budget is checked here, in a single before-request hook
that parses the limit once per setting, makes one `hit` and keeps the window for the
RateLimit-* headers (portal.api.http). Flask-Limiter, used before, spent a quarter of a cached
record request's CPU on its per-request machinery (finding each endpoint's limits, its request
context, its own headers), none of which the portal used.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app, g, request
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from portal.budget import RateLimits, client_address
from portal.circuit import circuit_for, redis_options

API_PATH = "/api/v1/"
FEEDS_PATH = "/feeds/"
SCOPE = "api"  # the budget's name in the store, beside the client's address


@dataclass(frozen=True)
class Standing:
    """Where the client stands after this request: for the RateLimit-* headers."""

    limit: RateLimitItem
    remaining: int
    reset_at: float  # when the window frees the next request (epoch seconds)


def _exempt() -> bool:
    """The versioned API and the feeds count; the docs reader and its assets do not, nor an
    address no route answers."""
    return (
        not request.path.startswith((API_PATH, FEEDS_PATH))
        or request.method == "OPTIONS"
        or request.endpoint is None
    )


@lru_cache(maxsize=32)
def _parsed(limit: str) -> RateLimitItem:
    """The limit of a setting ("300 per minute"), parsed once: settings may change at run time
    (tests raise them), so it is looked up by its text on each request."""
    return parse(limit)


def standing() -> Standing | None:
    """This request's standing, when the API's limit was checked for it."""
    return g.get("clearwater_rate")


# Where the kept-record path (portal/api/replay.py) leaves the charge it made before handing a
# request to Flask, so that the request is counted once. A WSGI key with a dot: no client header
# can set it.
CHARGED = "clearwater.rate"


def charge(app: Flask, client: str, cost: int) -> tuple[Standing | None, bool]:
    """Spend `cost` from the client's API budget: where the client stands after it (None when
    limits are off or the store is down) and whether the request may go ahead."""
    limits: RateLimits = app.extensions["clearwater_limiter"]
    if not limits.enabled:
        return None, True
    config = app.config
    item = _parsed(str(config["API_RATE_LIMIT"]))
    keys = (str(config["RATELIMIT_KEY_PREFIX"]), client, SCOPE)
    # A Redis that does not answer is counted around in memory (portal/circuit.py), so only a
    # store without a circuit (RATELIMIT_SWALLOW_ERRORS off) can raise here.
    allowed, stats = limits.hit(item, *keys, cost=cost)
    return Standing(item, max(0, stats.remaining), stats.reset_time), allowed


def check() -> None:
    """Spend the request's cost from the client's budget (unless the kept-record path already
    did); 429 when it is spent."""
    if _exempt():
        return
    charged = request.environ.pop(CHARGED, None)
    if charged is None:
        charged = charge(current_app, client_address(), 1)  # a download pays more as it sends
    current, allowed = charged
    if current is not None:
        g.clearwater_rate = current
    if not allowed:
        assert current is not None
        raise TooManyRequests(str(current.limit))


def metered(body: Iterable[bytes]) -> Iterator[bytes]:
    """A download's body that, once sent, spends one more request of the client's budget for
    each API_DOWNLOAD_BYTES it sent, up to API_DOWNLOAD_COST in all (the request itself paid
    one): a 304, a HEAD (never iterated) or a small file costs about one request, a large one
    what the setting says. Spent even when the budget cannot cover it: what is left is taken.

    Call it in the request: the body is sent after the request's context has ended."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return _metered(app, client_address(), body)


def _metered(app: Flask, client: str, body: Iterable[bytes]) -> Iterator[bytes]:
    unit = int(app.config["API_DOWNLOAD_BYTES"])
    most = int(app.config["API_DOWNLOAD_COST"])
    sent = 0
    try:
        for chunk in body:
            sent += len(chunk)
            yield chunk
    finally:
        extra = min(most - 1, sent // unit)
        if extra > 0:
            _spend_after(app, client, extra)


def _spend_after(app: Flask, client: str, cost: int) -> None:
    """Spend what a sent download owes; a window without room for all of it loses what it has
    (a moving window refuses a hit larger than what is left, and would charge nothing)."""
    current, allowed = charge(app, client, cost)
    if not allowed and current is not None and current.remaining > 0:
        charge(app, client, current.remaining)


def headers_for(current: Standing, status: int) -> list[tuple[str, str]]:
    """The RateLimit-* headers of a response (and Retry-After on a 429)."""
    limit = current.limit
    reset = seconds_to_reset(current)
    headers = [
        ("RateLimit-Limit", str(limit.amount)),
        ("RateLimit-Remaining", str(current.remaining)),
        ("RateLimit-Reset", str(reset)),
        ("RateLimit-Policy", f"{limit.amount};w={limit.get_expiry()}"),
    ]
    if status == 429:
        headers.append(("Retry-After", str(max(1, reset))))
    return headers


def init_limiter(app: Flask) -> RateLimits:
    """Attach the store of every budget (Redis when PORTAL_REDIS_URL is set, memory otherwise)
    and check the API's budget before each request. The API_* and RATELIMIT_* settings are
    portal/config.py's; a test may set the store's address and options outright."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    config = app.config
    uri = str(config["RATELIMIT_STORAGE_URI"])
    options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})  # limits' storage_from_string
    circuit = None
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        options = {**redis_options(config), **options}
        if config["RATELIMIT_SWALLOW_ERRORS"]:
            circuit = circuit_for(app, uri)
    limits = RateLimits(
        uri,
        str(config["RATELIMIT_STRATEGY"]),
        enabled=bool(config["RATELIMIT_ENABLED"]),
        circuit=circuit,
        **options,
    )
    app.extensions["clearwater_limiter"] = limits
    app.before_request(check)
    return limits


def seconds_to_reset(current: Standing) -> int:
    """Whole seconds until the window frees the next request."""
    return max(0, int(current.reset_at - time.time()))
