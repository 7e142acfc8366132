"""The JSON listings, records and histories: shape, links, cursors, tombstones, changes feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, enterprise, incident, publish
from portal import records

KINDS = ["enterprises", "incidents", "inspections", "disclosures", "departments"]


def test_every_listing_has_items_total_and_next(
    sample_client: FlaskClient, subtests: pytest.Subtests
) -> None:
    for kind in KINDS:
        with subtests.test(kind):
            response = sample_client.get(f"/api/v1/{kind}?limit=5")
            assert response.status_code == 200
            assert response.mimetype == "application/json"
            body = response.get_json()
            assert set(body) == {"items", "total", "next"}
            assert len(body["items"]) == 5 and body["total"] > 5
            assert body["next"].startswith(f"http://localhost/api/v1/{kind}?")
            item = body["items"][0]
            for field in ("id", "kind", "publisher_id", "revision", "updated_at", "links"):
                assert field in item
            assert set(item["links"]) == {"self", "html", "history", "feed", "publisher"}
            assert item["links"]["html"] == f"http://localhost/{kind}/{item['id']}"


def test_an_incident_carries_its_readings_judged_against_the_standard(
    sample_client: FlaskClient,
) -> None:
    item = sample_client.get("/api/v1/incidents/INC-2012-0001").get_json()
    reading = next(r for r in item["readings"] if r["value"] == 0.0247)
    assert reading["standard"] == "GB 3838-2002" and reading["limit"] == 0.005
    assert reading["exceedance_factor"] == pytest.approx(4.94) and reading["exceeds"] is True
    assert item["links"] == {
        "self": "http://localhost/api/v1/incidents/INC-2012-0001",
        "html": "http://localhost/incidents/INC-2012-0001",
        "history": "http://localhost/api/v1/incidents/INC-2012-0001/history",
        "feed": "http://localhost/feeds/incidents.atom",
        "publisher": f"http://localhost/api/v1/departments/{item['publisher_id']}",
    }


def test_enterprise_and_department_feeds_follow_the_record(sample_client: FlaskClient) -> None:
    item = sample_client.get("/api/v1/departments/DEP-MEE").get_json()
    assert item["links"]["feed"] == "http://localhost/feeds/departments/DEP-MEE.atom"


def test_filters_are_the_html_listings(sample_client: FlaskClient) -> None:
    body = sample_client.get("/api/v1/incidents?province=广西&pollutant=镉").get_json()
    assert body["total"] >= 1
    assert all(i["province"] == "45" and "Cd" in i["pollutants"] for i in body["items"])
    html = sample_client.get("/incidents?province=广西&pollutant=镉").get_data(as_text=True)
    assert all(i["id"] in html for i in body["items"])


def test_pages_follow_next_to_the_end_without_repeats(sample_client: FlaskClient) -> None:
    total = sample_client.get("/api/v1/inspections?limit=1").get_json()["total"]
    seen: list[str] = []
    url: str | None = "/api/v1/inspections?limit=40&sort=oldest"
    while url:
        response = sample_client.get(url)
        body = response.get_json()
        seen += [i["id"] for i in body["items"]]
        if body["next"]:
            assert f'<{body["next"]}>; rel="next"' in response.headers["Link"]
        url = body["next"]
    assert len(seen) == len(set(seen)) == total


def test_the_cursor_stays_correct_while_records_are_published(
    client: FlaskClient, session: Session
) -> None:
    basics(session)
    for n in range(6):
        publish(session, enterprise(published_at=f"2020-01-0{n + 1}T00:00:00+00:00"))
    first = client.get("/api/v1/enterprises?limit=4").get_json()
    assert first["total"] == 7  # with the one basics() publishes
    publish(session, enterprise())  # newest of all: sorts before the first page
    second = client.get(first["next"]).get_json()
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7  # no repeats, nothing skipped
    assert second["total"] == 8 and second["next"] is None


def test_limit_is_capped_at_a_thousand(sample_client: FlaskClient) -> None:
    assert sample_client.get("/api/v1/inspections?limit=1000").status_code == 200
    response = sample_client.get("/api/v1/inspections?limit=1001")
    assert response.status_code == 400
    assert "1000" in response.get_json()["problems"][0]


def test_the_next_link_keeps_the_filters(sample_client: FlaskClient) -> None:
    body = sample_client.get("/api/v1/inspections?outcome=violation&limit=2").get_json()
    args = parse_qs(urlsplit(body["next"]).query)
    assert args["outcome"] == ["violation"] and args["limit"] == ["2"] and args["cursor"]


def test_a_record_of_another_kind_is_not_found_here(sample_client: FlaskClient) -> None:
    response = sample_client.get("/api/v1/enterprises/INC-2012-0001")
    assert response.status_code == 404
    assert "/api/v1/incidents/INC-2012-0001" in response.get_json()["detail"]


def test_ids_are_case_insensitive(sample_client: FlaskClient) -> None:
    assert sample_client.get("/api/v1/incidents/inc-2012-0001").get_json()["id"] == "INC-2012-0001"


@pytest.fixture
def withdrawn(session: Session) -> str:
    basics(session)
    inc = incident()
    publish(session, inc)
    records.withdraw(
        session, inc["id"], reason="Published twice by mistake", author_id="DEP-GX-EEB"
    )
    session.commit()
    return str(inc["id"])


def test_a_withdrawn_record_answers_410_with_its_tombstone(
    client: FlaskClient, withdrawn: str
) -> None:
    response = client.get(f"/api/v1/incidents/{withdrawn}")
    assert response.status_code == 410
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 410 and "Published twice by mistake" in body["detail"]
    tomb = body["tombstone"]
    assert tomb["withdrawn_by"] == "DEP-GX-EEB"
    assert tomb["withdrawal_reason"] == "Published twice by mistake"
    assert tomb["revision"] == 2 and tomb["withdrawn_at"]
    assert tomb["history"].endswith(f"/api/v1/incidents/{withdrawn}/history")


def test_the_history_of_a_withdrawn_record_stays_public(
    client: FlaskClient, withdrawn: str
) -> None:
    response = client.get(f"/api/v1/incidents/{withdrawn}/history")
    assert response.status_code == 200
    body = response.get_json()
    assert [r["action"] for r in body["items"]] == ["publish", "withdraw"]
    assert body["total"] == 2 and body["next"] is None
    assert body["items"][1]["reason"] == "Published twice by mistake"


def test_history_lists_corrections_with_reason_and_changes(
    client: FlaskClient, session: Session
) -> None:
    basics(session)
    inc = incident()
    publish(session, inc)
    records.correct(
        session,
        inc["id"],
        {"status": "contained"},
        reason="Contained on day 3",
        author_id="DEP-MEE",
    )
    session.commit()
    revisions = client.get(f"/api/v1/incidents/{inc['id']}/history").get_json()["items"]
    assert revisions[1]["reason"] == "Contained on day 3"
    assert revisions[1]["author_id"] == "DEP-MEE"
    assert revisions[1]["changes"]["status"] == {"old": "investigating", "new": "contained"}
    item = client.get(f"/api/v1/incidents/{inc['id']}").get_json()
    assert item["revision"] == 2 and item["status"] == "contained"


def test_updated_since_is_a_changes_feed_with_withdrawals(
    client: FlaskClient, withdrawn: str
) -> None:
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    changed = client.get("/api/v1/incidents", query_string={"updated_since": since}).get_json()
    assert [i["id"] for i in changed["items"]] == [withdrawn]
    assert changed["items"][0]["withdrawal_reason"] == "Published twice by mistake"
    assert client.get("/api/v1/incidents").get_json()["total"] == 0  # gone from the default
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = client.get("/api/v1/incidents", query_string={"updated_since": future}).get_json()
    assert later["total"] == 0


def test_the_index_links_everything(sample_client: FlaskClient) -> None:
    body = sample_client.get("/api/v1").get_json()
    assert set(body["kinds"]) == {*KINDS, "responses"}
    for url in [body["openapi"], body["datapackage"], body["snapshots"], body["docs"]]:
        assert sample_client.get(url).status_code == 200
