"""Responses (enterprises' replies) as a listing, like every other kind: /api/v1/responses with
its filters and cursor, its CSV and NDJSON downloads, its feed and its OpenAPI description."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import feedparser
from flask.testing import FlaskClient
from sqlmodel import Session

import factories
from portal import records


def _all(client: FlaskClient, url: str) -> list[dict[str, object]]:
    """Every item of a listing, following `next` to the end."""
    items: list[dict[str, object]] = []
    next_url: str | None = url
    while next_url:
        body = client.get(next_url).get_json()
        items += body["items"]
        next_url = body["next"]
    return items


def test_the_listing_pages_to_the_end_without_repeats(sample_client: FlaskClient) -> None:
    response = sample_client.get("/api/v1/responses?limit=3")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "next"} and body["total"] > 3
    assert 'rel="next"' in response.headers["Link"]
    assert "/feeds/responses.atom" in response.headers["Link"]  # no HTML listing: its feed
    items = _all(sample_client, "/api/v1/responses?limit=3")
    assert len(items) == len({i["id"] for i in items}) == body["total"]
    dates = [i["published_at"] for i in items]
    assert dates == sorted(dates, reverse=True)
    first = items[0]
    subject = first["subject_id"]
    assert first["links"]["html"].endswith(f"#{first['id']}")  # type: ignore[index]
    assert f"/{records.kind_of_id(str(subject)).name}/{subject}#" in first["links"]["html"]  # type: ignore[index]


def test_filters_by_enterprise_subject_and_dates(sample_client: FlaskClient) -> None:
    mine = _all(sample_client, "/api/v1/responses?enterprise=ENT-0028")
    assert {"RSP-2019-0001", "RSP-2019-0004"} <= {i["id"] for i in mine}
    assert {i["enterprise_id"] for i in mine} == {"ENT-0028"}
    replies = _all(sample_client, "/api/v1/responses?subject=inc-2019-0001")
    assert replies and {i["subject_id"] for i in replies} == {"INC-2019-0001"}
    dated = _all(sample_client, "/api/v1/responses?from=2024-01-01&to=2024-12-31")
    everything = _all(sample_client, "/api/v1/responses?limit=1000")
    assert dated and len(dated) < len(everything)
    assert all(str(i["published_at"]).startswith("2024") for i in dated)


def test_bad_filters_are_problems(sample_client: FlaskClient) -> None:
    for url, words in [
        ("/api/v1/responses?subject=ENT-0028", "subject"),
        ("/api/v1/responses?subject=../etc", "subject"),
        ("/api/v1/responses?province=45", "province"),
        ("/api/v1/incidents?subject=INC-2019-0001", "subject"),
        ("/api/v1/responses.csv?limit=5", "limit"),
    ]:
        response = sample_client.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        assert words in json.dumps(response.get_json()), url


def test_updated_since_carries_withdrawn_replies(client: FlaskClient, session: Session) -> None:
    ids = factories.basics(session)
    ent = ids["enterprise"]
    incident = factories.incident(responsible=[{"enterprise_id": ent}])
    factories.publish(session, incident)
    before = datetime.now(UTC).isoformat()
    for n in (1, 2):
        reply = {
            "id": f"RSP-T-000{n}",
            "publisher_id": ent,
            "enterprise_id": ent,
            "subject_id": incident["id"],
            "text_zh": f"第 {n} 份回应。",
        }
        factories.publish(session, reply)
    records.withdraw(session, "RSP-T-0001", reason="误发，已另行回应", author_id=ent)
    session.commit()
    listed = client.get("/api/v1/responses").get_json()
    assert [i["id"] for i in listed["items"]] == ["RSP-T-0002"]
    changes = client.get("/api/v1/responses", query_string={"updated_since": before}).get_json()
    by_id = {i["id"]: i for i in changes["items"]}
    assert set(by_id) == {"RSP-T-0001", "RSP-T-0002"}
    assert by_id["RSP-T-0001"]["withdrawal_reason"] == "误发，已另行回应"


def test_downloads_and_feed_are_the_filtered_listing(sample_client: FlaskClient) -> None:
    wanted = [i["id"] for i in _all(sample_client, "/api/v1/responses?enterprise=ENT-0028")]
    response = sample_client.get("/api/v1/responses.csv?enterprise=ENT-0028")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == wanted
    assert {"enterprise_id", "subject_id", "text_zh"} <= set(rows[0])
    again = sample_client.get(
        "/api/v1/responses.csv?enterprise=ENT-0028",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    lines = sample_client.get("/api/v1/responses.ndjson?enterprise=ENT-0028").get_data(as_text=True)
    assert [json.loads(line)["id"] for line in lines.splitlines()] == wanted
    feed = feedparser.parse(sample_client.get("/feeds/responses.atom?enterprise=ENT-0028").data)
    assert feed.bozo == 0
    assert {e.id.rsplit(":", 1)[1] for e in feed.entries} == set(wanted)
    by_subject = feedparser.parse(
        sample_client.get("/feeds/responses.rss?subject=INC-2019-0001").data
    )
    assert by_subject.bozo == 0 and by_subject.entries
    assert by_subject.feed.link.endswith("/incidents/INC-2019-0001?lang=zh")


def test_the_api_document_and_index_describe_the_listing(sample_client: FlaskClient) -> None:
    doc = sample_client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/responses"]["get"]["parameters"]}
    assert {"enterprise", "subject", "from", "to", "updated_since", "cursor", "limit"} <= set(
        params
    )
    assert "province" not in params
    assert params["subject"]["schema"]["pattern"].startswith("^[Ii][Nn][CcSs]")
    for fmt in ("csv", "ndjson"):
        assert "get" in doc["paths"][f"/api/v1/responses.{fmt}"]
    index = sample_client.get("/api/v1").get_json()
    assert index["kinds"]["responses"]["csv"].endswith("/api/v1/responses.csv")
