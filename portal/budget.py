"""Per-client budgets for actions that cost or invite abuse (asking the assistant, filing a
tip) and for the API (portal/api/limits.py), counted in one store: memory, or Redis shared by
every worker. The `limits` library keeps the store and the windows; nothing else is needed of a
rate-limiting framework (decision 0014).

While a Redis store does not answer, budgets are counted in this process's memory instead
(portal/circuit.py decides when to ask Redis again): a client gets at most a budget per worker
during an outage, never an unlimited one, and no request waits for a Redis that is gone.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import request
from limits import RateLimitItem, WindowStats, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import STRATEGIES, RateLimiter

from portal.circuit import Circuit


class RateLimits:
    """The store and the strategy every budget is counted in, with a fallback in memory when
    the store is a Redis behind a circuit."""

    def __init__(
        self,
        uri: str,
        strategy: str,
        *,
        enabled: bool = True,
        circuit: Circuit | None = None,
        **options: Any,
    ) -> None:
        if strategy not in STRATEGIES:
            known = ", ".join(sorted(STRATEGIES))
            raise ValueError(f"RATELIMIT_STRATEGY {strategy!r} is not one of: {known}")
        self.enabled = enabled
        self.circuit = circuit
        self.storage = storage_from_string(uri, **options)
        self.limiter: RateLimiter = STRATEGIES[strategy](self.storage)
        self.local: RateLimiter = (
            STRATEGIES[strategy](MemoryStorage()) if circuit is not None else self.limiter
        )

    def hit(self, item: RateLimitItem, *keys: str, cost: int = 1) -> tuple[bool, WindowStats]:
        """Spend `cost` of a budget: whether the action may go ahead and the window after it.
        Counted in the shared store while it answers, else in memory; a store without a
        circuit raises its errors."""
        circuit = self.circuit
        if circuit is None or circuit.allows():
            try:
                allowed = self.limiter.hit(item, *keys, cost=cost)
                stats = self.limiter.get_window_stats(item, *keys)
            except Exception as exc:
                if circuit is None:
                    raise
                circuit.failed(exc)
            else:
                if circuit is not None:
                    circuit.succeeded()
                return allowed, stats
        return self.local.hit(item, *keys, cost=cost), self.local.get_window_stats(item, *keys)


def client_address() -> str:
    """The address a request came from (the proxy's view of it when ProxyFix is set up)."""
    return address_of(request.environ)


def address_of(environ: Mapping[str, Any]) -> str:
    """The client address of a WSGI request, as `client_address` gives it inside Flask."""
    return environ.get("REMOTE_ADDR") or "127.0.0.1"


def spend(app: Any, action: str, limit: str, client: str) -> int | None:
    """Count one `action` against the client's budget (`limit`, as "5 per hour"); the seconds
    to wait when it is spent, None when the action may go ahead."""
    limiter: RateLimits | None = app.extensions.get("clearwater_limiter")
    if limiter is None:
        return None
    # Under the portal's own key prefix, as the API's rate limits: two portals (or two test
    # apps) sharing one Redis keep their budgets apart.
    prefix = str(app.config.get("RATELIMIT_KEY_PREFIX", ""))
    allowed, stats = limiter.hit(parse(limit), prefix, action, client)
    if allowed:
        return None
    return max(1, int(stats.reset_time - time.time()))
