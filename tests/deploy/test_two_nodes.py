"""Two nodes over one PostgreSQL database, as docs/deployment.md sets them up.

Each node is a gunicorn started with the project's gunicorn.conf.py, on its own port, with its
own search index folder. A record published through one is found through the other, by search
and in the feed of everything, within a few seconds; a listing the other node had rendered and
kept is not served again after the write. With Redis, both nodes share the rate-limit counters
and the rendered-page cache.

Skips without a PostgreSQL server (or Redis, for the Redis test), unless PORTAL_REQUIRE_SERVICES
names them (CI), which makes them fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import free_port

from conftest import PG_SERVER, need, pg_database
from factories import basics, incident, publish
from portal.db import get_engine, session_scope, upgrade
from portal.records.tokens import create_token

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SERVER = PG_SERVER
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
START_TIMEOUT = 40.0  # seconds a node may take to answer (the machine may be busy)
SEEN_TIMEOUT = 5.0  # "within a few seconds"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database with the schema, two departments, an enterprise and an
    incident, dropped afterwards."""
    with pg_database("cw_deploy", SERVER) as url:
        upgrade(url)
        with session_scope(get_engine(url)) as session:
            basics(session)
            publish(session, incident(id="INC-2012-0001"))
        yield url


@pytest.fixture
def redis_url() -> str:
    """Redis for both nodes, or a skip."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need("redis", f"no Redis server at {REDIS}: {exc}")
    return REDIS


class Node:
    """One gunicorn of the portal, started with gunicorn.conf.py."""

    def __init__(self, name: str, url: str, index: Path, app: str, redis_url: str = "") -> None:
        if not GUNICORN.exists():
            pytest.fail(f"gunicorn is a dependency of the portal but {GUNICORN} is missing")
        self.name, self.port = name, free_port()
        env = {
            **os.environ,
            "PORT": str(self.port),
            "PORTAL_WORKERS": "1",
            "PORTAL_THREADS": "4",
            "PORTAL_WSGI_APP": app,
            "PORTAL_DATABASE_URL": url,
            "PORTAL_INDEX_DIR": str(index),
            "PORTAL_REDIS_URL": redis_url,
            "PORTAL_SECRET_KEY": "two-nodes",
            "PORTAL_LOG_LEVEL": "warning",
        }
        self.log = index.with_suffix(".log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def post(self, path: str, body: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def until(what: str, check: Callable[[], bool], timeout: float, nodes: list[Node]) -> float:
    """Poll `check` until it holds; the seconds it took, or a failure saying what never came."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        for node in nodes:
            if node.process.poll() is not None:
                pytest.fail(
                    f"node {node.name} exited ({node.process.returncode}):\n{node.output()}"
                )
        try:
            if check():
                return time.monotonic() - started
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {n.name}\n{n.output()}" for n in nodes)
            pytest.fail(f"{what} did not happen within {timeout:.0f} s\n{logs}")
        time.sleep(0.1)


@pytest.fixture
def nodes_factory(pg_url: str, tmp_path: Path) -> Iterator[Callable[..., tuple[Node, Node]]]:
    started: list[Node] = []

    def make(app: str = "wsgi:app", redis_url: str = "") -> tuple[Node, Node]:
        for name in ("a", "b"):
            started.append(Node(name, pg_url, tmp_path / f"index-{name}", app, redis_url))
        a, b = started
        # Each node builds its own index from the database at start (in the background).
        for node in (a, b):
            until(
                f"node {node.name} answering searches",
                lambda n=node: n.get("/api/v1/search?q=Cadmium")[0] == 200,
                START_TIMEOUT,
                started,
            )
        return a, b

    yield make
    for node in started:
        node.stop()


def _token(url: str) -> str:
    with session_scope(get_engine(url)) as session:
        return create_token(session, "DEP-GX-EEB")[0]


def _ids(body: bytes) -> list[str]:
    return [item["id"] for item in json.loads(body)["items"]]


def _publish_through(a: Node, url: str, word: str) -> str:
    data = incident(id=f"INC-2026-{uuid.uuid4().int % 10_000:04d}", title_en=f"Zinc in the {word}")
    data.pop("publisher_id")
    status, item = a.post("/api/v1/incidents", data, _token(url))
    assert status == 201, item
    return str(item["id"])


def test_published_on_one_node_is_found_on_the_other(
    pg_url: str, nodes_factory: Callable[..., tuple[Node, Node]]
) -> None:
    a, b = nodes_factory()
    listing = "/api/v1/incidents?province=45"
    # Node b renders the listing and keeps it (portal/cache.py); asked again, it is the same.
    status, _, first = b.get(listing)
    assert status == 200 and _ids(first) == ["INC-2012-0001"]
    assert b.get(listing)[2] == first
    status, _, feed = b.get("/feeds/all.atom")
    assert status == 200 and b"INC-2012-0001" in feed

    word = f"quokka{uuid.uuid4().hex[:6]}"
    new_id = _publish_through(a, pg_url, word)

    # Another process wrote: b's kept listing and feed must not be served again, at once.
    status, _, after = b.get(listing)
    assert status == 200 and _ids(after) == [new_id, "INC-2012-0001"]
    assert json.loads(after)["total"] == 2
    status, _, feed = b.get("/feeds/all.atom")
    assert new_id.encode() in feed

    # b's own index learns of a's write from the revision log, before its next search.
    def found() -> bool:
        status, _, body = b.get(f"/api/v1/search?q={word}")
        return status == 200 and _ids(body) == [new_id]

    until("the new record in node b's search", found, SEEN_TIMEOUT, [a, b])
    status, _, feed = b.get(f"/feeds/search.atom?q={word}")
    assert status == 200 and new_id.encode() in feed


def test_two_nodes_share_redis(
    pg_url: str, redis_url: str, nodes_factory: Callable[..., tuple[Node, Node]]
) -> None:
    import redis

    prefix = f"cwtest-{uuid.uuid4().hex[:8]}"
    app = (
        f"portal:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}-limits', "
        f"'CACHE_KEY_PREFIX': '{prefix}-cache:', "
        # Behind one load balancer every node has the same public address, and so the same
        # rendered pages (their links carry it).
        "'BASE_URL': 'https://clearwater.test'})"
    )
    a, b = nodes_factory(app, redis_url)
    store = redis.Redis.from_url(redis_url)
    try:
        # One client's budget is spent on both nodes: the counter lives in Redis.
        _, first, _ = a.get("/api/v1/departments")
        _, second, _ = b.get("/api/v1/departments")
        assert int(second["RateLimit-Remaining"]) < int(first["RateLimit-Remaining"])
        assert store.keys(f"*{prefix}-limits*")

        # The page a rendered is kept in Redis, where b finds it.
        listing = "/api/v1/incidents?province=45"
        assert _ids(a.get(listing)[2]) == ["INC-2012-0001"]
        kept = store.keys(f"{prefix}-cache:*")
        assert kept
        assert _ids(b.get(listing)[2]) == ["INC-2012-0001"]
        assert store.keys(f"{prefix}-cache:*") == kept  # b found a's page, added nothing

        new_id = _publish_through(a, pg_url, "quokka")
        assert _ids(b.get(listing)[2]) == [new_id, "INC-2012-0001"]
    finally:
        for pattern in (f"*{prefix}-limits*", f"{prefix}-cache:*"):
            for name in store.scan_iter(pattern):
                store.delete(name)
