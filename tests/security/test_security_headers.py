"""Security headers on every kind of response: pages, API JSON, problems, downloads, feeds, static
files, the API reader, 304, 404, 405, 413 and 500; HSTS only over TLS."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, incident, publish, publishing_token
from portal.web.security import DATA_POLICY, POLICY


@pytest.fixture
def filled(session: Session) -> dict[str, str]:
    ids = basics(session)
    publish(session, incident(id="INC-2012-0001"))
    return ids


def check_headers(response: Any, *, html: bool) -> str:
    """The headers every response carries; returns its policy."""
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, (response.status_code, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP here
    if html:
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
    else:
        assert policy == DATA_POLICY
    return policy


def test_every_kind_of_response_is_protected(
    app: Flask, client: FlaskClient, filled: dict[str, str]
) -> None:
    token = publishing_token(app, "DEP-GX-EEB")
    listing = client.get("/api/v1/incidents")
    cases: list[tuple[str, Any, int, bool]] = [
        ("home page", client.get("/"), 200, True),
        ("record page", client.get("/incidents/INC-2012-0001"), 200, True),
        ("tip form", client.get("/tips/new"), 200, True),
        ("html 404", client.get("/no-such-page"), 404, True),
        ("html 405", client.post("/about"), 405, True),
        ("api json", listing, 200, False),
        (
            "api 304",
            client.get("/api/v1/incidents", headers={"If-None-Match": listing.headers["ETag"]}),
            304,
            False,
        ),
        ("api 404 problem", client.get("/api/v1/incidents/INC-1999-0001"), 404, False),
        ("api 405 problem", client.delete("/api/v1/incidents"), 405, False),
        ("api 401 problem", client.post("/api/v1/incidents", json={}), 401, False),
        (
            "api 413 problem",
            client.post(
                "/api/v1/incidents",
                data=b"x" * (2 * 1024 * 1024 + 1),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            ),
            413,
            False,
        ),
        ("csv download", client.get("/api/v1/incidents.csv"), 200, False),
        ("ndjson download", client.get("/api/v1/incidents.ndjson"), 200, False),
        ("openapi", client.get("/api/v1/openapi.json"), 200, False),
        ("atom feed", client.get("/feeds/all.atom"), 200, False),
        ("rss feed", client.get("/feeds/all.rss"), 200, False),
        ("feed 404 problem", client.get("/feeds/enterprises/ENT-NONE.atom"), 404, False),
        ("static css", client.get("/static/style.css"), 200, False),
        ("static svg", client.get("/static/favicon.svg"), 200, False),
        ("api cors preflight", client.options("/api/v1/incidents"), 200, False),
    ]
    for name, response, status, html in cases:
        assert response.status_code == status, (name, response.status_code)
        check_headers(response, html=html)
        if status >= 400 and not html:
            assert response.mimetype == "application/problem+json", name
            assert response.get_json()["detail"], name
        response.close()
    # A data response opened in a browser loads nothing: the SVG cannot run a script.
    assert "script-src" not in DATA_POLICY and "default-src 'none'" in DATA_POLICY


def test_a_500_is_protected_too(database_url: str, index_dir: Any) -> None:
    from portal import create_app

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(index_dir),
            "SEARCH_REBUILD_ON_START": False,
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-page", "broken_page", broken)
    app.add_url_rule("/api/v1/broken", "broken_api", broken)
    client = app.test_client()
    page = client.get("/broken-page")
    assert page.status_code == 500 and page.mimetype == "text/html"
    check_headers(page, html=True)
    problem = client.get("/api/v1/broken")
    assert problem.status_code == 500 and problem.mimetype == "application/problem+json"
    check_headers(problem, html=False)
    assert "a bug" not in page.get_data(as_text=True) + problem.get_data(as_text=True)


def test_the_api_reader_allows_its_own_inline_code_by_hash_only(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = check_headers(response, html=True)
    page = response.get_data()
    blocks = re.findall(rb"<(script|style)>(.*?)</\1>", page, flags=re.S)
    assert blocks  # Swagger UI's page has inline blocks: each is allowed by its hash
    for tag, body in blocks:
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        directive = "script-src" if tag == b"script" else "style-src"
        allowed = next(d for d in policy.split("; ") if d.startswith(directive))
        assert f"'sha256-{digest}'" in allowed
    # Every other page keeps the plain policy: no hash of the reader's code opens them.
    assert client.get("/").headers["Content-Security-Policy"] == POLICY


def test_hsts_only_over_tls(client: FlaskClient) -> None:
    secure = client.get("/", base_url="https://portal.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    api = client.get("/api/v1/incidents", base_url="https://portal.example")
    assert "Strict-Transport-Security" in api.headers
    # A client cannot claim TLS by header: the portal trusts no X-Forwarded-Proto itself
    # (gunicorn sets the scheme from it for its --forwarded-allow-ips only).
    forged = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers
