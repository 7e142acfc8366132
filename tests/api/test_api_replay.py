"""A record Flask has answered once is answered again without Flask (portal/api/replay.py): the
same bytes but for fresh rate-limit headers, counted against the client's budget, and never
stale after a correction or a withdrawal."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import portal_like
from factories import basics, incident, publish
from portal import records

FRESH = ("RateLimit-Remaining", "RateLimit-Reset")  # the only headers a replay writes anew


def _watched(app: Flask) -> list[str]:
    """The paths of the requests that reach Flask, from now on (the replay passes the rest on
    to the app it wraps)."""
    seen: list[str] = []
    replay = app.wsgi_app
    flask = replay.wsgi_app  # type: ignore[attr-defined]

    def watching(environ: dict[str, Any], start_response: Any) -> Any:
        query = environ.get("QUERY_STRING")
        seen.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))
        return flask(environ, start_response)

    replay.wsgi_app = watching  # type: ignore[attr-defined]
    return seen


def _sent(response: Any) -> tuple[str, list[tuple[str, str]], bytes]:
    headers = [(k, v) for k, v in response.headers if k not in FRESH]
    return response.status, headers, response.data


def _one_of_each(client: FlaskClient, session: Session) -> list[str]:
    """The address of one record of every kind, a company's response to an inspection too."""
    paths = []
    for kind in ("enterprises", "incidents", "inspections", "disclosures", "departments"):
        item = client.get(f"/api/v1/{kind}?limit=1").get_json()["items"][0]
        paths.append(f"/api/v1/{kind}/{item['id']}")
    inspection = client.get(paths[2]).get_json()
    reply = {
        "id": "RSP-2026-0001",
        "enterprise_id": inspection["enterprise_id"],
        "publisher_id": inspection["enterprise_id"],
        "subject_id": inspection["id"],
        "text_zh": "我公司已按要求完成整改。",
    }
    publish(session, reply)
    return [*paths, "/api/v1/responses/RSP-2026-0001"]


def test_the_second_answer_is_the_first_byte_for_byte(
    sample_app: Flask, sample_session: Session
) -> None:
    plain = portal_like(sample_app, API_KEEP_ANSWERS=False).test_client()
    client = sample_app.test_client()
    paths = _one_of_each(client, sample_session)
    seen = _watched(sample_app)
    for path in paths:
        first = client.get(path)
        assert first.status_code == 200, path
        before = len(seen)
        second = client.get(path)
        assert len(seen) == before, f"{path}: the second answer went through Flask"
        assert _sent(second) == _sent(first), path
        assert _sent(plain.get(path)) == _sent(first), path  # and what Flask alone sends
        remaining = [int(r.headers["RateLimit-Remaining"]) for r in (first, second)]
        assert remaining[1] == remaining[0] - 1, path
        assert second.headers["RateLimit-Reset"].isdigit()


def test_a_correction_or_a_withdrawal_shows_at_the_next_request(
    client: FlaskClient, session: Session
) -> None:
    ids = basics(session)
    item = incident()
    publish(session, item)
    path = f"/api/v1/incidents/{item['id']}"
    kept = client.get(path)
    assert client.get(path).data == kept.data
    records.correct(
        session, item["id"], {"status": "contained"}, reason="已控制", author_id=ids["bureau"]
    )
    session.commit()
    corrected = client.get(path)
    assert corrected.get_json()["status"] == "contained"
    assert corrected.get_json()["revision"] == 2
    assert corrected.headers["ETag"] != kept.headers["ETag"]
    assert client.get(path).data == corrected.data
    records.withdraw(session, item["id"], reason="重复发布", author_id=ids["bureau"])
    session.commit()
    gone = client.get(path)
    assert gone.status_code == 410 and gone.get_json()["tombstone"]["revision"] == 3


def test_each_answer_spends_the_budget_once(sample_app: Flask) -> None:
    app = portal_like(sample_app, API_RATE_LIMIT="3 per hour")
    seen = _watched(app)
    client = app.test_client()
    path = "/api/v1/incidents/INC-2012-0001"
    left = [client.get(path).headers["RateLimit-Remaining"] for _ in range(3)]
    assert left == ["2", "1", "0"]  # the first through Flask, the others replayed
    assert seen == [path]
    refused = client.get(path)
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert seen == [path, path]  # the 429 is Flask's, charged by the replay path only once


@pytest.mark.parametrize(
    ("how", "status"),
    [
        ({"headers": {"If-None-Match": "ETAG"}}, 304),
        ({"query_string": "fields=id"}, 400),
        ({"method": "HEAD"}, 200),
        ({"headers": {"Range": "bytes=0-10"}}, 200),
        ({"path": "/api/v1/incidents/inc-2012-0001"}, 200),
        ({"path": "/api/v1/departments/INC-2012-0001"}, 404),
        ({"path": "/api/v1/incidents/INC-2099-0404"}, 404),
        ({"path": "/api/v1/incidents/INC-2012-0001/history"}, 200),
    ],
)
def test_what_the_replay_leaves_to_flask(
    sample_app: Flask, how: dict[str, Any], status: int
) -> None:
    client = sample_app.test_client()
    path = "/api/v1/incidents/INC-2012-0001"
    kept = client.get(path)
    client.get(path)
    seen = _watched(sample_app)
    how = dict(how)
    headers = {
        k: kept.headers["ETag"] if v == "ETAG" else v for k, v in how.pop("headers", {}).items()
    }
    asked = how.pop("path", path)
    response = client.open(asked, method=how.pop("method", "GET"), headers=headers, **how)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert len(seen) == 1, "the request went past Flask"
    if status == 200 and asked == path:
        assert response.headers["ETag"] == kept.headers["ETag"]
        assert response.data in (b"", kept.data)  # HEAD has no body


def test_each_host_mount_point_and_scheme_gets_its_own_answer(sample_client: FlaskClient) -> None:
    path = "/api/v1/incidents/INC-2012-0001"
    bases = {
        "http://localhost/": "http://localhost",
        "http://data.example.org/": "http://data.example.org",
        "http://data.example.org/portal/": "http://data.example.org/portal",
        "https://data.example.org/portal/": "https://data.example.org/portal",
        "http://data.example.org:8443/": "http://data.example.org:8443",
        "https://data.example.org:8443/": "https://data.example.org:8443",
        "Host: mirror.example": "http://mirror.example",  # as a server behind a proxy sees it
    }
    for _ in range(2):  # the second round is replayed
        for base, portal in bases.items():
            if base.startswith("Host: "):
                response = sample_client.get(path, headers={"Host": base[6:]})
            else:
                response = sample_client.get(path, base_url=base)
            assert response.get_json()["links"]["self"] == f"{portal}{path}"
            assert response.headers["Link"].startswith(f"<{portal}/incidents/")
            secure = "Strict-Transport-Security" in response.headers
            assert secure is base.startswith("https:")
