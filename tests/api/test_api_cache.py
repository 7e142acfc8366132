"""Remembered record JSON is never stale, and the memory it takes is bounded."""

from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, incident, publish
from portal import records
from portal.api.cache import ByteCache


def test_a_correction_shows_at_once_in_a_listing(client: FlaskClient, session: Session) -> None:
    ids = basics(session)
    item = incident()
    publish(session, item)
    first = client.get("/api/v1/incidents").get_json()["items"][0]
    assert first["status"] == "investigating" and len(first["readings"]) == 1
    assert client.get("/api/v1/incidents").get_json()["items"][0] == first  # remembered
    reading = {**item["readings"][0], "value": 0.5}
    records.correct(
        session,
        item["id"],
        {"status": "contained", "readings": [reading]},
        reason="复测结果更正",
        author_id=ids["bureau"],
    )
    session.commit()
    again = client.get("/api/v1/incidents").get_json()["items"][0]
    assert again["status"] == "contained" and again["revision"] == 2
    assert again["readings"][0]["value"] == 0.5
    assert again["readings"][0]["exceedance_factor"] == 100.0  # 0.5 / 0.005 mg/L, class III


def test_the_cache_is_bounded_by_bytes() -> None:
    cache = ByteCache(max_bytes=800)
    for n in range(20):
        cache.put(n, b"x" * 100)
    assert cache.size <= 800
    assert cache.get(0) is None and cache.get(19) == b"x" * 100
    cache.put("huge", b"y" * 700)  # over an eighth of the bound: not kept
    assert cache.get("huge") is None
    cache.put(19, b"z")
    assert cache.get(19) == b"z" and cache.size == 7 * 100 + 1


def test_the_cache_weighs_other_values_by_what_they_hold() -> None:
    """Kept answers (portal/api/replay.py) are weighed by their body and headers."""
    cache: ByteCache[tuple[bytes, str]] = ByteCache(
        max_bytes=1600, weigh=lambda v: len(v[0]) + len(v[1])
    )
    for n in range(10):
        cache.put(n, (b"x" * 100, "h" * 100))
    assert cache.size == 8 * 200 and len(cache) == 8
    assert cache.get(1) is None and cache.get(2) == (b"x" * 100, "h" * 100)
    cache.put("big", (b"x" * 100, "h" * 101))  # over an eighth of the bound by its headers
    assert cache.get("big") is None
