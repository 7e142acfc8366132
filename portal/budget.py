"""Per-client budgets for actions that cost or invite abuse (asking the assistant, filing a
tip), counted in the rate limiter's store: memory, or Redis shared by every worker."""

from __future__ import annotations

import logging
import time
from typing import Any

from limits import parse

log = logging.getLogger(__name__)


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
