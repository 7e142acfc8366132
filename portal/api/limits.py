"""Rate limits per client on /api/v1 (Flask-Limiter): in memory, or in Redis for many workers."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

API_PATH = "/api/v1/"
FEEDS_PATH = "/feeds/"
DOWNLOAD_SUFFIXES = (".csv", ".ndjson")

# Settings a deployment (or a test) may override in the app config.
DEFAULTS = {
    "API_RATE_LIMIT": "300 per minute",  # one budget per client address across /api/v1
    "API_DOWNLOAD_COST": 10,  # a whole-set download counts as this many requests
    "RATELIMIT_STRATEGY": "moving-window",  # no burst at a window's edge; tests stay exact
    "RATELIMIT_KEY_PREFIX": "clearwater",
    "RATELIMIT_SWALLOW_ERRORS": True,  # a Redis outage logs and lets requests through
    "RATELIMIT_HEADERS_ENABLED": False,  # portal.api.http writes the RateLimit-* headers
}


def _exempt() -> bool:
    """The versioned API and the feeds count; the docs reader and its assets do not."""
    return not request.path.startswith((API_PATH, FEEDS_PATH)) or request.method == "OPTIONS"


def _cost() -> int:
    """Downloads stream whole sets, so they spend more of the budget."""
    if request.path.endswith(DOWNLOAD_SUFFIXES):
        return int(current_app.config["API_DOWNLOAD_COST"])
    return 1


def _limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def init_limiter(app: Flask) -> Limiter:
    """Attach the limiter: Redis when PORTAL_REDIS_URL is set, memory otherwise."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(
        key_func=get_remote_address,
        application_limits=[_limit],
        application_limits_exempt_when=_exempt,
        application_limits_cost=_cost,
    )
    limiter.init_app(app)
    app.extensions["clearwater_limiter"] = limiter
    return limiter
