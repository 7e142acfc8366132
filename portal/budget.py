"""Per-client budgets for actions that cost or invite abuse (asking the assistant, filing a
tip) and for the API (portal/api/limits.py), counted in one store: memory, or Redis shared by
every worker. The `limits` library keeps the store and the windows; nothing else is needed of a
rate-limiting framework (decision 0014)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from flask import request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES, RateLimiter

log = logging.getLogger(__name__)


class RateLimits:
    """The store and the strategy every budget is counted in."""

    def __init__(self, uri: str, strategy: str, *, enabled: bool = True, **options: Any) -> None:
        if strategy not in STRATEGIES:
            known = ", ".join(sorted(STRATEGIES))
            raise ValueError(f"RATELIMIT_STRATEGY {strategy!r} is not one of: {known}")
        self.enabled = enabled
        self.storage = storage_from_string(uri, **options)
        self.limiter: RateLimiter = STRATEGIES[strategy](self.storage)


def client_address() -> str:
    """The address a request came from (the proxy's view of it when ProxyFix is set up)."""
    return address_of(request.environ)


def address_of(environ: Mapping[str, Any]) -> str:
    """The client address of a WSGI request, as `client_address` gives it inside Flask."""
    return environ.get("REMOTE_ADDR") or "127.0.0.1"


def spend(app: Any, action: str, limit: str, client: str) -> int | None:
    """Count one `action` against the client's budget (`limit`, as "5 per hour"); the seconds
    to wait when it is spent, None when the action may go ahead. A store that is down lets the
    action through (logged), as the API does."""
    limiter = app.extensions.get("clearwater_limiter")
    if limiter is None:
        return None
    item = parse(limit)
    try:
        if limiter.limiter.hit(item, action, client):
            return None
        stats = limiter.limiter.get_window_stats(item, action, client)
    except Exception:
        log.warning("rate-limit store unavailable for %s", action, exc_info=True)
        return None
    return max(1, int(stats.reset_time - time.time()))
