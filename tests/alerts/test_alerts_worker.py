"""`portal alerts worker`: woken through Redis by a publication (its polling interval is far
longer than the test waits), and polling without Redis."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from alert_support import BASE, ask, inbox, mailing_app, smtp
from flask import Flask
from smtp_support import WAIT, Inbox, link_in, text_part
from sqlmodel import Session

from conftest import need, portal_like
from factories import incident, publish
from portal.alerts import worker

__all__ = ["inbox", "mailing_app", "smtp"]
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_url() -> str:
    """Redis, or a skip (a failure where CI requires it)."""
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need("redis", f"no Redis server at {REDIS}: {exc}")
    return REDIS


def _follow(app: Flask, inbox: Inbox) -> None:
    client = app.test_client()
    assert ask(client, "/incidents?lang=en", "reader@example.org").status_code == 303
    link = link_in(inbox.next(), "/alerts/confirm/")
    assert client.post(link.removeprefix(BASE)).status_code == 200


@contextmanager
def running(app: Flask) -> Iterator[threading.Event]:
    """The worker in a thread until the block ends."""
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(app,), kwargs={"stop": stop}, daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        url = app.config.get("REDIS_URL")
        if url:  # wake it from its BLPOP so it sees the stop
            redis.Redis.from_url(url).lpush(worker.wake_key(app), "1")
        thread.join(WAIT)
        assert not thread.is_alive()


def test_a_publication_wakes_the_worker_through_redis(
    mailing_app: Flask, inbox: Inbox, session: Session, redis_url: str
) -> None:
    prefix = f"alerts-test-{uuid.uuid4().hex[:8]}"
    app = portal_like(
        mailing_app,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"{prefix}:",
        RATELIMIT_KEY_PREFIX=prefix,
        ALERT_POLL_SECONDS=3600.0,  # only a wake-up can mail within the test's wait
    )
    _follow(app, inbox)
    with running(app):
        publish(session, incident(title_en="Woken by Redis"))
        assert "Woken by Redis" in text_part(inbox.next())
        publish(session, incident(title_en="And again"))
        assert "And again" in text_part(inbox.next())
    assert inbox.empty()


def test_without_redis_the_worker_polls(mailing_app: Flask, inbox: Inbox, session: Session) -> None:
    app = portal_like(mailing_app, ALERT_POLL_SECONDS=1.0)
    _follow(app, inbox)
    with running(app):
        publish(session, incident(title_en="Found by polling"))
        assert "Found by polling" in text_part(inbox.next())
    assert inbox.empty()


def test_portals_sharing_one_redis_keep_their_address_budgets_apart(
    mailing_app: Flask, inbox: Inbox, redis_url: str
) -> None:
    """The per-address budget is counted under the portal's own key prefix, as the API's rate
    limits are: a second portal on the same Redis (or the next test run) starts afresh."""
    apps = [
        portal_like(
            mailing_app,
            REDIS_URL=redis_url,
            RATELIMIT_KEY_PREFIX=f"alerts-test-{uuid.uuid4().hex[:8]}",
            ALERT_RATE_LIMIT="1 per hour",
        )
        for _ in range(2)
    ]
    first, second = (app.test_client() for app in apps)
    assert ask(first, "/incidents?lang=en", "shared@example.org").status_code == 303
    assert ask(first, "/incidents?lang=en", "shared@example.org").status_code == 429
    assert ask(second, "/incidents?lang=en", "shared@example.org").status_code == 303
    inbox.next()
    inbox.next()
