"""Rendered listings and feeds kept under the data version (portal/cache.py): served again while
nothing changed, never after a write by anyone, and a cache that fails is only a miss."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine
from sqlmodel import Session

from factories import basics, incident, publish
from portal import create_app
from portal.cache import cache
from portal.db import get_engine


def _ids(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def test_the_store_is_simple_by_default_and_redis_when_configured(
    database_url: str, index_dir: Path
) -> None:
    # No search rebuild on start: a thread left rebuilding after the test would hold a
    # connection to a database the teardown drops.
    base = {"DATABASE_URL": database_url, "INDEX_DIR": str(index_dir)}
    plain = create_app({**base, "SEARCH_REBUILD_ON_START": False})
    shared = create_app(
        {**base, "SEARCH_REBUILD_ON_START": False, "REDIS_URL": "redis://127.0.0.1:1/0"}
    )
    assert plain.config["CACHE_TYPE"] == "SimpleCache"
    assert shared.config["CACHE_TYPE"] == "RedisCache"
    assert shared.config["CACHE_REDIS_URL"] == "redis://127.0.0.1:1/0"


def test_a_write_elsewhere_changes_the_kept_listing_and_feed_at_once(
    app: Flask, database_url: str
) -> None:
    with Session(get_engine(database_url)) as session:
        basics(session)
        publish(session, incident(id="INC-2012-0001"))
    client = app.test_client()
    listing = "/api/v1/incidents?province=45"
    assert _ids(client, listing) == ["INC-2012-0001"]
    feed = client.get("/feeds/all.atom").get_data()
    with app.app_context():
        kept = len(cache.cache._cache)  # type: ignore[attr-defined]  # SimpleCache's dict
    assert kept >= 2  # the page and the feed
    assert _ids(client, listing) == ["INC-2012-0001"]  # served again

    # Another writer (its own engine and session, as another process would have) publishes.
    elsewhere = create_engine(database_url)
    try:
        with Session(elsewhere) as other:
            publish(other, incident(id="INC-2013-0002", began_at="2013-01-15T09:00:00+08:00"))
    finally:
        elsewhere.dispose()
    assert _ids(client, listing) == ["INC-2013-0002", "INC-2012-0001"]
    after = client.get("/feeds/all.atom").get_data()
    assert b"INC-2013-0002" in after and b"INC-2013-0002" not in feed


def test_an_unreachable_cache_is_a_miss(database_url: str, index_dir: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(index_dir),
            "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "SEARCH_REBUILD_ON_START": False,
        }
    )
    with Session(get_engine(database_url)) as session:
        basics(session)
        publish(session, incident(id="INC-2012-0001"))
    client = app.test_client()
    assert _ids(client, "/api/v1/incidents") == ["INC-2012-0001"]
    assert client.get("/feeds/all.atom").status_code == 200


def test_a_rendering_over_the_bound_is_not_kept(database_url: str, index_dir: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(index_dir),
            "SEARCH_REBUILD_ON_START": False,
            "RENDER_CACHE_MAX_BYTES": 200,  # smaller than any listing with a record in it
        }
    )
    with Session(get_engine(database_url)) as session:
        basics(session)
        publish(session, incident(id="INC-2012-0001"))
    client = app.test_client()
    assert _ids(client, "/api/v1/incidents") == ["INC-2012-0001"]
    assert client.get("/feeds/all.atom").status_code == 200
    with app.app_context():
        assert len(cache.cache._cache) == 0  # type: ignore[attr-defined]
