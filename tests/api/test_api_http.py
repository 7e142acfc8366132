"""HTTP manners: problem+json for every error, bad input, validators and 304s, CORS, rate limits."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis
from flask import Flask, request
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import need, portal_like
from factories import basics, enterprise, publish
from portal import records

BAD = [
    ("/api/v1/incidents?colour=red", 400, "Unknown parameter 'colour'"),
    ("/api/v1/enterprises?outcome=violation", 400, "does not apply to enterprises"),
    ("/api/v1/incidents?limit=abc", 400, "whole number"),
    ("/api/v1/incidents?limit=0", 400, "from 1 to 1000"),
    ("/api/v1/incidents?limit=-1", 400, "from 1 to 1000"),
    ("/api/v1/incidents?limit=1000000000", 400, "from 1 to 1000"),
    ("/api/v1/incidents?from=2024-02-30", 400, "YYYY-MM-DD"),
    ("/api/v1/incidents?from=2024-05-01&to=2024-01-01", 400, "earlier date first"),
    ("/api/v1/incidents?updated_since=yesterday", 400, "ISO 8601"),
    ("/api/v1/incidents?to=2024-W09-5", 400, "'to' must be a date as YYYY-MM-DD"),
    ("/api/v1/incidents?updated_since=", 400, "given with no value"),
    ("/api/v1/inspections.csv?updated_since=2024-03-01T00:00:00", 400, "ISO 8601"),
    ("/api/v1/incidents?sample=perhaps", 400, "'sample' must be"),
    ("/api/v1/incidents?status=lost", 400, "'status' must be one of"),
    ("/api/v1/incidents?province=Atlantis", 400, "Unknown province"),
    ("/api/v1/incidents?pollutant=kryptonite", 400, "Unknown pollutant"),
    ("/api/v1/incidents?cursor=bm90IGEgY3Vyc29y", 400, "'cursor' is not one this portal made"),
    ("/api/v1/incidents?cursor=WyJ4IiwiSU5DLTEiXQ", 400, "'cursor' is not one"),
    ("/api/v1/incidents?text=%00", 400, "control characters"),
    ("/api/v1/incidents/INC-9999-9999", 404, "There is no record INC-9999-9999"),
    ("/api/v1/incidents/%3Cscript%3E", 404, "There is no record"),
    ("/api/v1/incidents/INC-2012-0001?fields=id", 400, "takes no query parameters"),
    ("/api/v1/incidents/INC-9999-9999/history", 404, "There is no record"),
    ("/api/v1/incidents.csv?limit=10", 400, "whole filtered set"),
    ("/api/v1/incidents.csv?bom=maybe", 400, "'bom' must be"),
    ("/api/v1/incidents.ndjson?bom=1", 400, "Unknown parameter 'bom'"),
    ("/api/v1/tips", 404, "Check the address"),
    ("/api/v1/incidents.xml", 404, "Check the address"),
    ("/api/v2/incidents", 404, "Check the address"),
    ("/api/v1/snapshots/1999-01-01/SHA256SUMS", 404, "no snapshot"),
    ("/api/v1/datapackage.json?x=1", 400, "takes no query parameters"),
]


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    assert isinstance(body["problems"], list)
    return body


def test_bad_input_is_a_4xx_problem_that_says_why(
    sample_client: FlaskClient, subtests: pytest.Subtests
) -> None:
    for url, status, says in BAD:  # one database for all: each case is read-only
        with subtests.test(url):
            body = _assert_problem(sample_client.get(url), status)
            assert says in body["detail"] + " ".join(body["problems"])


def test_every_problem_is_listed_at_once(sample_client: FlaskClient) -> None:
    body = _assert_problem(sample_client.get("/api/v1/incidents?limit=0&from=x&colour=red"), 400)
    assert len(body["problems"]) == 3


def test_a_huge_query_string_is_414_not_a_crash(sample_client: FlaskClient) -> None:
    body = _assert_problem(sample_client.get("/api/v1/incidents?text=" + "x" * 20_000), 414)
    assert "8,000" in body["detail"]
    _assert_problem(sample_client.get("/api/v1/incidents?text=" + "水" * 600), 400)


def test_wrong_methods_are_405_problems_with_allow(sample_client: FlaskClient) -> None:
    # POST publishes to a listing and PATCH corrects a record (with a token); nothing else.
    wrong = {
        "/api/v1/incidents": ["put", "patch", "delete"],
        "/api/v1/incidents/INC-2012-0001": ["post", "put", "delete"],
        "/api/v1/incidents.csv": ["post", "put", "patch", "delete"],
    }
    for url, methods in wrong.items():
        for method in methods:
            response = getattr(sample_client, method)(url)
            _assert_problem(response, 405)
            assert "GET" in response.headers["Allow"]
    assert sample_client.post("/api/v1/incidents").status_code == 401


def test_html_pages_keep_their_html_errors(sample_client: FlaskClient) -> None:
    response = sample_client.get("/incidents/INC-9999-9999")
    assert response.status_code == 404 and response.mimetype == "text/html"


REVALIDATED = [
    "/api/v1/incidents?province=45",
    "/api/v1/incidents/INC-2012-0001",
    "/api/v1/incidents/INC-2012-0001/history",
    "/api/v1/incidents.csv?province=45",
    "/api/v1/incidents.ndjson",
    "/api/v1/inspections.parquet?outcome=violation",
    "/api/v1/datapackage.json",
    "/api/v1/openapi.json",
    "/api/v1/snapshots",
]


def test_revalidation_answers_304(sample_client: FlaskClient, subtests: pytest.Subtests) -> None:
    for url in REVALIDATED:
        with subtests.test(url):
            first = sample_client.get(url)
            first.close()  # a download's body is not needed: let its session go
            etag = first.headers["ETag"]
            # Downloads are one file per data version: a strong tag; the rest are weak.
            download = url.split("?")[0].endswith((".csv", ".ndjson", ".parquet"))
            assert etag.startswith('"' if download else 'W/"')
            again = sample_client.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.data == b""
            assert again.headers["ETag"] == etag
            assert again.headers["Access-Control-Allow-Origin"] == "*"
            if "Last-Modified" in first.headers:
                modified = first.headers["Last-Modified"]
                since = sample_client.get(url, headers={"If-Modified-Since": modified})
                assert since.status_code == 304
            assert sample_client.get(url, headers={"If-None-Match": 'W/"old"'}).status_code == 200


def test_a_change_changes_the_validators(client: FlaskClient, session: Session) -> None:
    ids = basics(session)
    listing = client.get("/api/v1/enterprises")
    record = client.get(f"/api/v1/enterprises/{ids['enterprise']}")
    records.correct(
        session, ids["enterprise"], {"status": "suspended"}, reason="Ordered to stop", author_id="X"
    )
    session.commit()
    for before in (listing, record):
        url = (
            "/api/v1/enterprises"
            if before is listing
            else f"/api/v1/enterprises/{ids['enterprise']}"
        )
        after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    publish(session, enterprise())
    assert client.get("/api/v1/enterprises").headers["ETag"] != listing.headers["ETag"]


def test_public_reads_allow_any_origin(sample_client: FlaskClient) -> None:
    for url in ["/api/v1/incidents", "/api/v1/nope", "/api/v1/incidents.csv"]:
        response = sample_client.get(url, headers={"Origin": "https://example.org"})
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = sample_client.options(
        "/api/v1/incidents",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert sample_client.get("/incidents").headers.get("Access-Control-Allow-Origin") is None


def test_listings_link_their_alternates(sample_client: FlaskClient) -> None:
    link = sample_client.get("/api/v1/incidents?province=45&limit=2").headers["Link"]
    assert 'rel="next"' in link
    assert "</incidents?province=45>" not in link  # absolute URLs
    assert '<http://localhost/incidents?province=45>; rel="alternate"; type="text/html"' in link
    assert "/api/v1/incidents.csv?province=45>" in link


def _limited(app: Flask, **config: Any) -> FlaskClient:
    """A client of the same portal with other rate-limit settings."""
    return portal_like(app, **config).test_client()


def _exhaust(client: FlaskClient, allowed: int) -> Any:
    for n in range(allowed):
        response = client.get("/api/v1/departments?limit=1")
        assert response.status_code == 200
        assert response.headers["RateLimit-Limit"] == str(allowed)
        assert response.headers["RateLimit-Remaining"] == str(allowed - n - 1)
    return client.get("/api/v1/departments?limit=1")


def test_rate_limit_answers_429_with_retry_after(sample_app: Flask) -> None:
    client = _limited(sample_app, API_RATE_LIMIT="3 per hour")
    response = _exhaust(client, 3)
    body = _assert_problem(response, 429)
    assert "3 per 1 hour" in body["problems"][0]
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert response.headers["RateLimit-Remaining"] == "0"
    assert response.headers["RateLimit-Policy"] == "3;w=3600"
    # The HTML pages and the reader are not limited.
    assert client.get("/incidents").status_code == 200
    assert client.get("/api/docs").status_code == 200


def _remaining(client: FlaskClient) -> int:
    """What is left of the budget, as the next request (which spends one) sees it, plus it."""
    return int(client.get("/api/v1/departments?limit=1").headers["RateLimit-Remaining"]) + 1


def test_a_download_spends_the_budget_by_the_bytes_it_sends(sample_app: Flask) -> None:
    unit = 1024
    client = _limited(
        sample_app, API_RATE_LIMIT="100 per hour", API_DOWNLOAD_COST=10, API_DOWNLOAD_BYTES=unit
    )
    small = "/api/v1/departments.csv?province=45"
    sent = len(client.get(small).data)
    assert unit < sent < 9 * unit
    assert _remaining(client) == 100 - 1 - sent // unit
    before = _remaining(client)  # (that look spent one)
    large = client.get("/api/v1/departments.csv")
    assert len(large.data) > 9 * unit  # the most a download costs: API_DOWNLOAD_COST
    assert _remaining(client) == before - 1 - 10
    # Unchanged data, asked again conditionally, or its headers only: one request each.
    before = _remaining(client)
    etag = large.headers["ETag"]
    assert client.get("/api/v1/departments.csv", headers={"If-None-Match": etag}).status_code == 304
    assert client.head("/api/v1/departments.csv").status_code == 200
    assert _remaining(client) == before - 1 - 2


def test_a_download_takes_what_is_left_when_it_costs_more(sample_app: Flask) -> None:
    client = _limited(
        sample_app, API_RATE_LIMIT="6 per hour", API_DOWNLOAD_COST=10, API_DOWNLOAD_BYTES=1024
    )
    sent = client.get("/api/v1/departments.csv")  # sent whole: it had begun
    assert sent.status_code == 200 and len(sent.data) > 9 * 1024
    _assert_problem(client.get("/api/v1/departments?limit=1"), 429)


def test_rate_limits_are_shared_through_redis(sample_app: Flask) -> None:
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        need("redis", "no Redis server at 127.0.0.1:6379")
    prefix = f"cwtest-{uuid.uuid4().hex}"
    one = _limited(
        sample_app, REDIS_URL=url, API_RATE_LIMIT="3 per hour", RATELIMIT_KEY_PREFIX=prefix
    )
    two = _limited(
        sample_app, REDIS_URL=url, API_RATE_LIMIT="3 per hour", RATELIMIT_KEY_PREFIX=prefix
    )
    assert one.get("/api/v1/departments?limit=1").status_code == 200
    assert two.get("/api/v1/departments?limit=1").status_code == 200
    assert one.get("/api/v1/departments?limit=1").status_code == 200
    _assert_problem(two.get("/api/v1/departments?limit=1"), 429)  # the fourth, across workers
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_a_server_error_is_a_problem_too(
    sample_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.api import listing

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug")

    client = _limited(sample_app, TESTING=False, PROPAGATE_EXCEPTIONS=False)
    monkeypatch.setattr(listing, "run", broken)
    client.application.logger.disabled = True
    body = _assert_problem(client.get("/api/v1/incidents"), 500)
    assert "logged" in body["detail"] and "a bug" not in str(body)


def test_a_database_that_is_down_is_a_503_problem(sample_app: Flask) -> None:
    client = _limited(
        sample_app, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none", TESTING=False
    )
    client.application.logger.disabled = True
    response = client.get("/api/v1/incidents/INC-2012-0001")
    _assert_problem(response, 503)
    assert response.headers["Retry-After"] == "30"


def test_an_address_no_route_answers_does_not_spend_the_budget(sample_app: Flask) -> None:
    client = _limited(sample_app, API_RATE_LIMIT="2 per hour")
    for _ in range(3):
        _assert_problem(client.get("/api/v1/departments/DEP-MEE/nothing/here"), 404)
    response = client.get("/api/v1/departments?limit=1")
    assert response.status_code == 200 and response.headers["RateLimit-Remaining"] == "1"


def test_links_keep_the_address_and_mount_point_the_portal_is_served_under(
    sample_client: FlaskClient,
) -> None:
    """Behind a proxy that mounts the portal under /portal (SCRIPT_NAME), every link the API
    gives carries that prefix, as a URL (the host is not turned into an IRI)."""
    base = "http://xn--fiqs8s.example/portal/"  # 中国.example, as a client sends it
    record = sample_client.get("/api/v1/incidents/INC-2012-0001", base_url=base)
    assert record.status_code == 200
    alternate = "<http://xn--fiqs8s.example/portal/incidents/INC-2012-0001>"
    assert record.headers["Link"].startswith(alternate)
    listing = sample_client.get("/api/v1/incidents?limit=1", base_url=base)
    assert listing.get_json()["next"].startswith("http://xn--fiqs8s.example/portal/api/v1/")


def test_api_and_feed_answers_never_carry_a_session_cookie(sample_app: Flask) -> None:
    """Sessions belong to the pages (forms, moderation): a data answer sets no cookie even
    when the browser sends the page's session, so shared caches may keep it; the session is
    not even opened for it."""
    sample_client = sample_app.test_client()
    form = sample_client.get("/tips/new?lang=en")
    assert form.status_code == 200 and "Set-Cookie" in form.headers  # the form's token
    for url in ["/api/v1/incidents", "/api/v1/incidents/INC-2012-0001", "/feeds/all.atom"]:
        response = sample_client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    for path, opened in [("/api/v1/incidents", False), ("/feeds/all.atom", False), ("/", True)]:
        with sample_app.test_request_context(path):
            session = sample_app.session_interface.open_session(sample_app, request)
            assert (session is not None) is opened, path
