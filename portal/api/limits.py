"""Rate limits per client on /api/v1 and the feeds: in memory, or in Redis for many workers.

Flask-Limiter holds the store and the strategy (its RATELIMIT_* settings, and the budgets of
portal/budget.py); the API's one budget is checked here, in a single before-request hook that
parses the limit once per setting, makes one `hit` and keeps the window for the RateLimit-*
headers (portal.api.http). Flask-Limiter's own per-request machinery (finding the limits of
each endpoint, its request context) was a quarter of a cached record request's CPU.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

API_PATH = "/api/v1/"
FEEDS_PATH = "/feeds/"
DOWNLOAD_SUFFIXES = (".csv", ".ndjson")
SCOPE = "api"  # the budget's name in the store, beside the client's address

# Settings a deployment (or a test) may override in the app config.
DEFAULTS = {
    "API_RATE_LIMIT": "300 per minute",  # one budget per client address across /api/v1
    "API_DOWNLOAD_COST": 10,  # a whole-set download counts as this many requests
    "RATELIMIT_STRATEGY": "moving-window",  # no burst at a window's edge; tests stay exact
    "RATELIMIT_KEY_PREFIX": "clearwater",
    "RATELIMIT_SWALLOW_ERRORS": True,  # a Redis outage logs and lets requests through
    "RATELIMIT_HEADERS_ENABLED": False,  # portal.api.http writes the RateLimit-* headers
}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Standing:
    """Where the client stands after this request: for the RateLimit-* headers."""

    limit: RateLimitItem
    remaining: int
    reset_at: float  # when the window frees the next request (epoch seconds)


def _exempt() -> bool:
    """The versioned API and the feeds count; the docs reader and its assets do not, nor an
    address no route answers (as Flask-Limiter's own check left them)."""
    return (
        not request.path.startswith((API_PATH, FEEDS_PATH))
        or request.method == "OPTIONS"
        or request.endpoint is None
    )


def _cost() -> int:
    """Downloads stream whole sets, so they spend more of the budget."""
    if request.path.endswith(DOWNLOAD_SUFFIXES):
        return int(current_app.config["API_DOWNLOAD_COST"])
    return 1


@lru_cache(maxsize=32)
def _parsed(limit: str) -> RateLimitItem:
    """The limit of a setting ("300 per minute"), parsed once: settings may change at run time
    (tests raise them), so it is looked up by its text on each request."""
    return parse(limit)


def standing() -> Standing | None:
    """This request's standing, when the API's limit was checked for it."""
    return g.get("clearwater_rate")


def check() -> None:
    """Spend the request's cost from the client's budget; 429 when it is spent."""
    if _exempt():
        return
    app = current_app
    limiter: Limiter = app.extensions["clearwater_limiter"]
    if not limiter.enabled:
        return
    config = app.config
    item = _parsed(str(config["API_RATE_LIMIT"]))
    keys = (str(config["RATELIMIT_KEY_PREFIX"]), get_remote_address(), SCOPE)
    strategy = limiter.limiter
    try:
        allowed = strategy.hit(item, *keys, cost=_cost())
        stats = strategy.get_window_stats(item, *keys)
    except Exception:
        if not config["RATELIMIT_SWALLOW_ERRORS"]:
            raise
        log.warning("rate-limit store unavailable; request let through", exc_info=True)
        return
    g.clearwater_rate = Standing(item, max(0, stats.remaining), stats.reset_time)
    if not allowed:
        raise TooManyRequests(str(item))


def init_limiter(app: Flask) -> Limiter:
    """Attach the limiter: Redis when PORTAL_REDIS_URL is set, memory otherwise."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # Flask-Limiter keeps the store and the strategy, with no limits of its own; `check` does
    # the rest. Its before-request hook would only look for limits on each endpoint and find
    # none (a millisecond a request), so it is taken out again.
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    app.extensions["clearwater_limiter"] = limiter
    app.before_request(check)
    return limiter


def seconds_to_reset(current: Standing) -> int:
    """Whole seconds until the window frees the next request."""
    return max(0, int(current.reset_at - time.time()))
