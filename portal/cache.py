"""Rendered listings and feeds, remembered under the data's version (Flask-Caching).

A key holds the version of the data (`records.listing.data_version`: the newest revision's
change-log version, which follows commit order) beside what the response depends on (the query,
the portal's address, the standards). Every
publication, correction and withdrawal, by any process on any node, adds a revision, so the next
request computes another key and renders afresh: nothing is ever invalidated by hand and a
write shows at once. Old keys are simply never asked for again and age out.

The store is Flask-Caching's: `SimpleCache` in each worker by default, `RedisCache` shared by
every worker and node when PORTAL_REDIS_URL is set (the rate limits' Redis). The JSON of single
records stays in `portal.api.cache.RECORDS` (keyed by each record's own revision, so it outlives
data versions); the rendered page is built from it and kept here.

A cache that fails (Redis gone) is never an error: the database still answers. Redis is asked
through a circuit (portal/circuit.py, shared with the rate limits): after a failure it is left
alone for PORTAL_REDIS_RETRY_AFTER seconds, and renderings are kept meanwhile in a small cache of
the process, as without Redis. One log line says when Redis failed, one when it is back.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import Flask, current_app
from flask_caching import Cache
from flask_caching.backends import SimpleCache
from sqlmodel import Session

from portal.circuit import Circuit, circuit_for, redis_options
from portal.records import obligations
from portal.records.listing import data_version
from portal.records.obligations import Obligation

log = logging.getLogger(__name__)
T = TypeVar("T")

cache = Cache()
CIRCUIT = "clearwater_cache_circuit"  # app.extensions: the Redis cache's circuit, when Redis
LOCAL = "clearwater_local_cache"  # app.extensions: where renderings go while Redis is away


def init_cache(app: Flask) -> Cache:
    """SimpleCache per worker, or RedisCache shared by all when PORTAL_REDIS_URL is set (the
    CACHE_* and RENDER_CACHE* settings are portal/config.py's; a test may set CACHE_TYPE)."""
    redis_url = app.config.get("REDIS_URL") or ""
    if redis_url:
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", redis_url)
    else:
        app.config.setdefault("CACHE_TYPE", "SimpleCache")
    if app.config["CACHE_TYPE"] == "RedisCache":
        app.config.setdefault("CACHE_OPTIONS", redis_options(app.config))
        app.extensions[CIRCUIT] = circuit_for(app, str(app.config["CACHE_REDIS_URL"]))
        app.extensions[LOCAL] = SimpleCache(
            threshold=int(app.config["CACHE_THRESHOLD"]),
            default_timeout=int(app.config["CACHE_DEFAULT_TIMEOUT"]),
        )
    cache.init_app(app)
    return cache


def key(namespace: str, version: object, *parts: object) -> str:
    """A short key from everything a rendering depends on; the version comes first."""
    text = "\x1f".join(str(p) for p in (current_app.config["DATABASE_URL"], version, *parts))
    return f"{namespace}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def remembered(
    namespace: str, version: object, parts: tuple[object, ...], build: Callable[[], T]
) -> T:
    """The value kept under (version, parts), else `build()`'s, kept for the next request."""
    if not current_app.config["RENDER_CACHE"]:
        return build()
    name = key(namespace, version, *parts)
    found = _kept("get", name)
    if found is not None:
        value: T = found
        return value
    value = build()
    if _size(value) <= current_app.config["RENDER_CACHE_MAX_BYTES"]:
        _kept("set", name, value)
    return value


def _kept(method: str, *args: Any) -> Any:
    """cache.get or cache.set: in Redis while its circuit allows, else in the process's own
    cache. An error is a miss, never the request's failure (logged once per outage)."""
    circuit: Circuit | None = current_app.extensions.get(CIRCUIT)
    if circuit is None:
        try:
            return getattr(cache, method)(*args)
        except Exception:  # a store of a deployment's own choosing: a miss, logged
            log.warning("cache %s failed", method, exc_info=True)
            return None
    if circuit.allows():
        try:
            found = getattr(cache, method)(*args)
        except Exception as exc:
            circuit.failed(exc)
        else:
            circuit.succeeded()
            return found
    return getattr(current_app.extensions[LOCAL], method)(*args)


def _size(value: object) -> int:
    """Bytes of the text and bytes in a value (a rendering, or a tuple holding one)."""
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return sum(_size(v) for v in value)
    return 0


def all_obligations(session: Session, today: date) -> list[Obligation]:
    """Every disclosure obligation as of `today` (records.obligations.compute, seconds at
    10,000 enterprises), kept under the data version and the day, so that /obligations, its API
    and its feed share one computation, in every worker when Redis is set."""
    version, _ = data_version(session)
    return remembered(
        "obligations", version, (today.isoformat(),), lambda: obligations.compute(session, today)
    )


def overdue_by_enterprise(session: Session, today: date) -> dict[str, int]:
    """How many disclosure obligations of each enterprise are overdue as of `today` (from the
    kept computation of every obligation): the compliance table's last column."""
    counts: dict[str, int] = {}
    for o in all_obligations(session, today):
        if o.status == obligations.Status.overdue:
            counts[o.enterprise_id] = counts.get(o.enterprise_id, 0) + 1
    return counts
