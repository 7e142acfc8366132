"""A NUL, which PostgreSQL refuses in text, in any value a client sends: the address's path, a
query-string value of every route, a form field. Each is refused with a 4xx and a sentence,
never a 500 (run the suite with PORTAL_TEST_DATABASE_URL to hold this on PostgreSQL).

Found by this sweep on PostgreSQL: a moderator's reason holding a NUL reached the database
(a 500); and on every database, `kind` in the address of a kind's feed
(`/feeds/incidents.atom?kind=x`) broke the feed's link to its listing (a 500)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factories import publishing_token
from portal.records.query import FILTER_PARAMS

NUL = "INC-2012-0001\x00"  # an id with a NUL after it: past a prefix check, not past PostgreSQL
# One address of each view that reads the query string.
READS = (
    "/",
    "/incidents",
    "/inspections",
    "/search",
    "/obligations",
    "/tips/new",
    "/moderate",
    "/ask",
    "/incidents/INC-2012-0001",
    "/api/v1/incidents",
    "/api/v1/inspections.csv",
    "/api/v1/enterprises.ndjson",
    "/api/v1/search",
    "/api/v1/obligations",
    "/api/v1/ask",
    "/api/v1/incidents/INC-2012-0001",
    "/feeds/all.atom",
    "/feeds/incidents.atom",
    "/feeds/search.rss",
    "/feeds/enterprises/ENT-0001.atom",
    "/feeds/departments/DEP-MEE.atom",
    "/feeds/obligations.atom",
)
PARAMS = (*FILTER_PARAMS, "q", "lang", "kind", "about", "status", "cursor", "before", "limit")
PARAMS += ("sort", "year", "type", "bom", "new", "page")
PATHS = (
    "/incidents/INC-2012-0001%00",
    "/incidents/INC-2012-0001%00/history",
    "/api/v1/incidents/INC-2012-0001%00",
    "/api/v1/incidents/INC-2012-0001%00/history",
    "/feeds/enterprises/ENT-0001%00.atom",
    "/feeds/departments/DEP-MEE%00.rss",
    "/tips/TIP-2023-0001%00",
)


def _form_token(client: FlaskClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(url).get_data(as_text=True))
    assert found
    return found.group(1)


@pytest.fixture
def quiet(sample_app: Flask) -> FlaskClient:
    """A client that sees what a user would (no exception raised into the test, no budget)."""
    sample_app.config.update(PROPAGATE_EXCEPTIONS=False, TIP_RATE_LIMIT="1000 per minute")
    sample_app.extensions["clearwater_limiter"].enabled = False
    sample_app.logger.disabled = True
    return sample_app.test_client()


def test_a_nul_in_any_query_value_is_never_a_500(quiet: FlaskClient) -> None:
    failures = []
    for path in READS:
        for name in PARAMS:
            status = quiet.get(path, query_string={name: NUL}).status_code
            if status >= 500:
                failures.append((path, name, status))
    assert not failures


def test_a_nul_in_an_id_of_the_path_is_a_404(quiet: FlaskClient) -> None:
    for path in PATHS:
        assert quiet.get(path).status_code == 404, path
    auth = {"Authorization": f"Bearer {publishing_token(quiet.application, 'DEP-MEE')}"}
    body = {"reason": "更正", "revision": 1, "changes": {"status": "closed"}}
    for method, path in (
        ("patch", "/api/v1/incidents/INC-2012-0001%00"),
        ("post", "/api/v1/incidents/INC-2012-0001%00/withdraw"),
    ):
        assert getattr(quiet, method)(path, json=body, headers=auth).status_code == 404, path


def test_a_nul_in_a_form_is_refused_not_a_500(quiet: FlaskClient) -> None:
    fields = {"kind": "pollution", "text": "Yellow water in the river at night.", "province": "45"}
    for name in ("kind", "text", "place", "province", "contact", "about_id"):
        data = {**fields, "csrf": _form_token(quiet, "/tips/new"), name: NUL}
        assert quiet.post("/tips?lang=en", data=data).status_code in (400, 422), name
    assert quiet.post("/ask", data={"question": NUL, "transcript": NUL}).status_code < 500
    asked = quiet.post("/api/v1/ask", json={"question": "镉" + NUL, "history": []})
    assert asked.status_code < 500


def test_a_nul_in_a_moderation_decision_is_refused(quiet: FlaskClient) -> None:
    secret = publishing_token(quiet.application, "DEP-CMRA")  # the association moderates
    signed = quiet.post(
        "/moderate/login", data={"csrf": _form_token(quiet, "/moderate"), "token": secret}
    )
    assert signed.status_code == 303
    queue = quiet.get("/moderate?lang=en").get_data(as_text=True)
    tip_id = re.search(r'action="/moderate/(TIP-[^"?]+)', queue)
    assert tip_id, queue[:500]
    decisions = [
        {"status": "rejected", "reason": "Not in our region" + NUL},
        {"status": "accepted", "linked_record_id": NUL},
        {"status": "rejected" + NUL, "reason": "Not in our region."},
    ]
    for decision in decisions:
        data = {"csrf": _form_token(quiet, "/moderate?lang=en"), **decision}
        decided = quiet.post(f"/moderate/{tip_id.group(1)}?lang=en", data=data)
        assert decided.status_code == 422, decision
    said = quiet.post(
        f"/moderate/{tip_id.group(1)}?lang=en",
        data={"csrf": _form_token(quiet, "/moderate?lang=en"), **decisions[0]},
    ).get_data(as_text=True)
    assert "remove the invisible control characters" in said


def test_a_feed_of_one_kind_refuses_a_kind_in_its_address(quiet: FlaskClient) -> None:
    response = quiet.get("/feeds/incidents.atom?kind=lost")  # no kind of the listing's link
    assert response.status_code == 400
    assert "already follows its own kind" in response.get_json()["detail"]
