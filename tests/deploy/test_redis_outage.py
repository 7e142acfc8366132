"""A Redis that hangs (SIGSTOP) or dies (SIGKILL) under the portal (portal/circuit.py): every
request still answers, fast, from the process's own fallback (rate limits in memory, pages in a
local cache), Redis is asked again after PORTAL_REDIS_RETRY_AFTER, and the log holds one line
when it fails and one when it is back, never a traceback per request.

Before, a hung Redis held each request 5 to 15 s (redis-py's 5 s timeout, on the rate limit and
on the cache) and a stopped one logged two tracebacks per request (9.4 MB in 20 s).

Each test starts its own redis-server on a free loopback port; skips without one.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlmodel import Session

from conftest import need
from factories import basics, incident, publish
from portal import create_app
from portal.db import get_engine

PATHS = ("/api/v1/incidents", "/incidents?lang=en", "/feeds/all.atom")
FAST = 1.0  # seconds a request may take while Redis is away (PORTAL_REDIS_TIMEOUT is 0.5)
RETRY_AFTER = 1.0  # the circuit's wait in these tests (30 s by default)


class RedisServer:
    """A redis-server of the test's own, on a free loopback port, without persistence."""

    def __init__(self, binary: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)  # the server is not listening yet
        client.close()

    def signal(self, sig: signal.Signals) -> None:
        os.kill(self.process.pid, sig)

    def keys(self) -> int:
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        try:
            return int(client.dbsize())
        finally:
            client.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.signal(signal.SIGCONT)
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        need("redis", "redis-server is not installed")
    server = RedisServer(str(binary))
    yield server
    server.stop()


def _portal(database_url: str, index_dir: Path, server: RedisServer, **config: object) -> Flask:
    with Session(get_engine(database_url)) as session:
        basics(session)
        publish(session, incident(id="INC-2012-0001"))
    settings = {
        "DATABASE_URL": database_url,
        "INDEX_DIR": str(index_dir),
        "SEARCH_REBUILD_ON_START": False,
        "REDIS_URL": server.url,
        "REDIS_RETRY_AFTER": RETRY_AFTER,
    }
    return create_app({**settings, **config})


def _timed_round(app: Flask) -> list[float]:
    """Each of PATHS once: the seconds each took (every one must answer 200)."""
    client = app.test_client()
    took = []
    for path in PATHS:
        started = time.monotonic()
        response = client.get(path)
        took.append(time.monotonic() - started)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    return took


def _said(caplog: pytest.LogCaptureFixture, words: str) -> int:
    return sum(words in record.getMessage() for record in caplog.records)


def test_a_hung_then_dead_redis_costs_nothing_and_is_logged_once_per_outage(
    database_url: str, index_dir: Path, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    # Rounds are asked until the circuit tries Redis again: hundreds a second on a quiet
    # machine, past the default 300 a minute (a 429 failed it once in CI).
    app = _portal(database_url, index_dir, redis_server, API_RATE_LIMIT="100000 per minute")
    _timed_round(app)
    assert redis_server.keys() > 0  # the rate limits and the pages are in Redis

    redis_server.signal(signal.SIGSTOP)  # hung: connections open, nothing answers
    rounds = [_timed_round(app) for _ in range(5)]
    assert max(max(r) for r in rounds) < FAST, rounds
    # Only the first request waits for the timeout; the circuit spares the others.
    assert sum(sum(r) for r in rounds[1:]) < FAST, rounds
    assert _said(caplog, "is not answering") == 1

    redis_server.signal(signal.SIGCONT)
    deadline = time.monotonic() + RETRY_AFTER + 10
    while not _said(caplog, "answers again"):  # the circuit asks again after RETRY_AFTER
        assert time.monotonic() < deadline, "Redis was never asked again"
        assert max(_timed_round(app)) < FAST
    assert _said(caplog, "answers again") == 1

    redis_server.process.kill()  # dead: connections refused
    redis_server.process.wait(timeout=10)
    rounds = [_timed_round(app) for _ in range(5)]
    assert max(max(r) for r in rounds) < FAST, rounds
    assert _said(caplog, "is not answering") == 2  # one line for each outage
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def test_while_redis_is_away_budgets_are_counted_in_memory(
    database_url: str, index_dir: Path, redis_server: RedisServer
) -> None:
    app = _portal(database_url, index_dir, redis_server, API_RATE_LIMIT="3 per hour")
    client = app.test_client()
    redis_server.signal(signal.SIGSTOP)
    answers = [client.get("/api/v1/departments").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # limited still, never let through unlimited
