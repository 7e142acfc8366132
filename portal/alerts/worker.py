"""`portal alerts worker`: mail immediate alerts soon after a publication, without cron.

Every process that writes records through the app (the write API, the moderation page) pushes
a wake-up onto a Redis list after a commit that wrote records (`install`); the worker blocks on
that list (BLPOP) for at most PORTAL_ALERT_POLL_SECONDS, then runs a sending round either way.
So a publication is mailed within a round's time, and a write Redis never heard of (an import
from the command line, Redis away) within the polling interval. Without Redis the worker just
polls. The sent-log makes a round that finds nothing new cost a few queries and send nothing,
and several workers (or a worker and cron) never mail the same record twice.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from redis import Redis, RedisError
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession

from portal.alerts.mail import RelayError
from portal.alerts.sender import Tally, send_due
from portal.records.write import WRITTEN

log = logging.getLogger(__name__)
WAKE = "alerts:wake"  # the list's name after the cache's key prefix
_PENDING = "alerts_wake_pending"
_WAKERS: dict[Any, tuple[str, str, float]] = {}  # engine -> (Redis URL, list key, timeout)


def wake_key(app: Flask) -> str:
    """The Redis list the worker waits on (two portals on one Redis keep their own)."""
    return f"{app.config['CACHE_KEY_PREFIX']}{WAKE}"


def install(app: Flask, engine: Any) -> None:
    """Wake the worker after each commit on this engine that wrote records (Redis only)."""
    url = str(app.config.get("REDIS_URL") or "")
    if url and app.config.get("SMTP_URL"):
        _WAKERS[engine] = (url, wake_key(app), float(app.config["REDIS_TIMEOUT"]))


@event.listens_for(OrmSession, "before_commit")
def _note(session: OrmSession) -> None:
    # The search index's after_commit hook takes the WRITTEN mark away: read it before.
    if session.info.get(WRITTEN) and session.get_bind().engine in _WAKERS:
        session.info[_PENDING] = True


@event.listens_for(OrmSession, "after_commit")
def _wake(session: OrmSession) -> None:
    if not session.info.pop(_PENDING, False):
        return
    url, key, timeout = _WAKERS[session.get_bind().engine]
    try:
        client = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        with client.pipeline() as pipe:
            pipe.lpush(key, "1")
            pipe.ltrim(key, 0, 0)  # one wake-up is enough
            pipe.execute()
    except RedisError as exc:  # the worker's polling mails it a little later
        log.warning("could not wake the alerts worker: %s", exc)


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def run(app: Flask, *, stop: threading.Event | None = None, rounds: int | None = None) -> int:
    """Send rounds until `stop` is set (or `rounds` have run); the number of mails sent."""
    stop = stop or threading.Event()
    poll = float(app.config["ALERT_POLL_SECONDS"])
    url = str(app.config.get("REDIS_URL") or "")
    client = Redis.from_url(url, socket_timeout=poll + 5) if url else None
    key, sent, done = wake_key(app), 0, 0
    while not stop.is_set() and (rounds is None or done < rounds):
        tally = _round(app)
        sent += tally.mails
        done += 1
        if stop.is_set() or (rounds is not None and done >= rounds):
            break
        if client is None:
            stop.wait(poll)
            continue
        try:
            client.blpop([key], timeout=poll)
        except RedisError as exc:
            log.warning("Redis is away (%s); polling every %g s", exc, poll)
            stop.wait(poll)
    return sent


def _round(app: Flask) -> Tally:
    try:
        tally = send_due(app)
    except (RelayError, SQLAlchemyError) as exc:  # the relay or the database is away: next round
        log.warning("alerts round failed: %s", exc)
        return Tally()
    if tally.mails or tally.failed:
        log.info(
            "alerts: %d mail(s), %d record(s), %d failed", tally.mails, tally.records, tally.failed
        )
    return tally
