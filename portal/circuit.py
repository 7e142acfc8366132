"""Redis, asked only while it answers: short timeouts, and a circuit that leaves a failed Redis
alone for a while.

Redis holds the rate-limit counters (portal/budget.py) and the rendered pages (portal/cache.py)
that every worker shares. Both have a fallback in the process (counters in memory, a small
local cache), so a Redis that is gone must cost a request nothing but the fallback. Before this,
a hung Redis (SIGSTOP) held every request for redis-py's 5 s timeout, twice, and a stopped one
logged two tracebacks per request.

So each Redis client waits PORTAL_REDIS_TIMEOUT at most (connect and read, no retries), and
the first failure opens the circuit: for PORTAL_REDIS_RETRY_AFTER seconds nobody asks Redis;
then one request asks again, and an answer closes the circuit. One warning says when Redis
failed and one when it answers again; what happens in between is not logged per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)
EXTENSION = "clearwater_redis_circuits"


class Circuit:
    """Whether to ask one Redis now: yes while it answers; after a failure, no until
    `retry_after` seconds have passed, when one caller asks again."""

    def __init__(
        self, name: str, retry_after: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.retry_after = retry_after
        self.outages = 0  # failures that opened the circuit, for tests and status
        self._clock = clock
        self._open_until: float | None = None  # None: closed, Redis is asked
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """True while Redis is being left alone (or waits for its probe's answer)."""
        return self._open_until is not None

    def allows(self) -> bool:
        """True when the caller may ask Redis: the circuit is closed, or its wait is over (the
        first caller after it probes; the others keep to the fallback meanwhile)."""
        with self._lock:
            if self._open_until is None:
                return True
            now = self._clock()
            if now < self._open_until:
                return False
            self._open_until = now + self.retry_after
            return True

    def failed(self, exc: BaseException) -> None:
        """Redis did not answer: open the circuit (and say so, once per outage)."""
        with self._lock:
            first = self._open_until is None
            self._open_until = self._clock() + self.retry_after
            if first:
                self.outages += 1
        if first:
            reason = (str(exc).splitlines() or [""])[0][:200]
            log.warning(
                "Redis %s is not answering (%s: %s); rate limits count in each process's "
                "memory and pages are kept per process; asking again in %g s",
                self.name,
                type(exc).__name__,
                reason,
                self.retry_after,
            )

    def succeeded(self) -> None:
        """Redis answered: close the circuit (and say so, when it was open)."""
        if self._open_until is None:  # the common case, without the lock
            return
        with self._lock:
            was_open = self._open_until is not None
            self._open_until = None
        if was_open:
            log.warning("Redis %s answers again; shared rate limits and cache resume", self.name)


def redis_options(config: Any) -> dict[str, Any]:
    """Keyword arguments for every Redis client of the portal: PORTAL_REDIS_TIMEOUT to connect
    and to read, and no retry (the circuit decides when to ask again)."""
    timeout = float(config["REDIS_TIMEOUT"])
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }


def circuit_for(app: Any, url: str) -> Circuit:
    """The app's circuit for the Redis at `url` (one per address, shared by the rate limits
    and the cache when they use the same Redis)."""
    circuits: dict[str, Circuit] = app.extensions.setdefault(EXTENSION, {})
    if url not in circuits:
        name = url.split("@")[-1]  # never a password in a log line
        retry_after = float(app.config["REDIS_RETRY_AFTER"])
        circuits[url] = Circuit(name, retry_after)
    return circuits[url]
