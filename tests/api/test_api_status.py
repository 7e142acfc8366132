"""GET /api/v1/status: the database, Redis and search, each reported as a field, never an error;
200 while the database answers, 503 (with the same body) when it does not."""

from __future__ import annotations

import socket
from pathlib import Path

import redis
from flask import Flask
from sqlmodel import Session

from conftest import _app, need, portal_like, whoosh_only
from portal.db import dispose_engine, get_engine
from portal.records.listing import data_version


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_everything_answers(sample_app: Flask, sample_url: str) -> None:
    response = sample_app.test_client().get("/api/v1/status")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    with Session(get_engine(sample_url)) as session:
        version, changed_at = data_version(session)
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {
        "reachable": True,
        "problem": None,
        "version": version,
        "last_change_at": changed_at.isoformat().replace("+00:00", "Z"),
    }
    assert body["redis"] == {"reachable": None, "problem": None, "configured": False}
    assert body["search"] == {
        "reachable": True,
        "problem": None,
        "rebuilding": False,
        "lag": 0,
        "last_indexed_at": body["database"]["last_change_at"],
    }


@whoosh_only
def test_no_index_yet_is_degraded_not_an_error(app: Flask) -> None:
    response = app.test_client().get("/api/v1/status")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"]["reachable"] is True
    assert body["search"]["reachable"] is False
    assert body["search"]["problem"] == "There is no readable search index."


def test_redis_reachable_or_not(sample_app: Flask) -> None:
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        need("redis", "no Redis server at 127.0.0.1:6379")
    up = portal_like(sample_app, REDIS_URL=url, RATELIMIT_STORAGE_URI="memory://")
    body = up.test_client().get("/api/v1/status").get_json()
    assert body["status"] == "ok"
    assert body["redis"] == {"reachable": True, "problem": None, "configured": True}

    dead = f"redis://127.0.0.1:{_free_port()}/0"
    down = portal_like(sample_app, REDIS_URL=dead, RATELIMIT_STORAGE_URI="memory://")
    response = down.test_client().get("/api/v1/status")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["redis"]["configured"] is True and body["redis"]["reachable"] is False
    assert body["redis"]["problem"].startswith("Redis does not answer: ")
    assert body["database"]["reachable"] is True and body["search"]["lag"] == 0


def test_the_database_down_is_a_503_with_the_same_body(sample_index: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/clearwater"
    app = _app(url, sample_index)
    try:
        response = app.test_client().get("/api/v1/status")
    finally:
        dispose_engine(url)
    assert response.status_code == 503
    assert response.mimetype == "application/json"  # a status, not a problem
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_json()
    assert body["status"] == "down"
    assert body["database"]["reachable"] is False
    assert body["database"]["problem"].startswith("The database does not answer: ")
    assert body["search"]["lag"] is None


def test_status_takes_no_parameters(sample_client) -> None:
    response = sample_client.get("/api/v1/status?verbose=1")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_the_document_describes_it(sample_client) -> None:
    document = sample_client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/status"]["get"]
    for code in ("200", "503"):
        schema = operation["responses"][code]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/PortalStatus"}
    status = document["components"]["schemas"]["PortalStatus"]
    assert set(status["properties"]) == {"status", "database", "redis", "search"}
