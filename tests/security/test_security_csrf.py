"""Cross-site request forgery: every route that takes a POST (or any other writing method) is
listed here and accounted for. An HTML form without this visitor's token is refused with a 400
and a sentence, and writes nothing; the API writes with a bearer token only, so a browser's
cookie alone (all a forging site can borrow) writes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, func, select

from factories import department, incident, publish, publishing_token
from portal.models import AuditEntry, Revision, Tip

# Every writing route outside the API, by endpoint, and how it is protected.
FORMS = {
    "tips.submit_tip": "/tips?lang=en",
    "tips.moderation_login": "/moderate/login?lang=en",
    "tips.moderation_logout": "/moderate/logout?lang=en",
    "tips.moderation_decide": "/moderate/{tip}?lang=en",
}
# The /ask form changes nothing on the server and reads no cookie: a forged post could only
# show its sender an answer (docs/decisions/0007-assistant.md, docs/security.md).
NO_STATE = {"ask.ask"}
# The alert form stands on pages that keep no session: its token is signed and dated, not tied
# to a cookie (docs/decisions/0028-email-alerts.md); tests/alerts/test_alerts_form.py refuses
# it missing or forged. The confirm and unsubscribe links were mailed to one address: the
# secret in the link is the credential, and RFC 8058's one-click POST carries no token.
SIGNED_FORM = {"alerts.subscribe"}
MAILED_LINKS = {"alerts.confirm", "alerts.unsubscribe"}
WRITING = {"POST", "PUT", "PATCH", "DELETE"}


def form_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def state(session: Session) -> tuple[Any, ...]:
    """Everything a forged post could change: tips and their status, revisions, the audit log."""
    session.expire_all()
    tips = tuple(session.exec(select(Tip.id, Tip.status).order_by(col(Tip.id))).all())
    revisions = session.exec(select(func.count()).select_from(Revision)).one()
    audit = session.exec(select(func.count()).select_from(AuditEntry)).one()
    return tips, revisions, audit


@pytest.fixture
def moderated(app: Flask, client: FlaskClient, session: Session) -> dict[str, Any]:
    """The association, a tip from the public form, and a signed-in moderator's client."""
    publish(session, department())
    publish(session, department(id="DEP-CNMIA", name_zh="再生金属分会", function="association"))
    sent = client.post(
        "/tips",
        data={
            "csrf": form_token(client, "/tips/new"),
            "kind": "pollution",
            "text": "Grey water from the slag heap after rain.",
        },
    )
    assert sent.status_code == 303
    tip_id = sent.headers["Location"].split("/tips/")[1].split("?")[0]
    mod = app.test_client()
    secret = publishing_token(app, "DEP-CNMIA")
    signed = mod.post(
        "/moderate/login", data={"csrf": form_token(mod, "/moderate"), "token": secret}
    )
    assert signed.status_code == 303
    return {"tip": tip_id, "mod": mod, "secret": secret}


def test_every_writing_route_is_accounted_for(app: Flask) -> None:
    outside_api = set()
    for rule in app.url_map.iter_rules():
        if not (rule.methods or set()) & WRITING:
            continue
        if rule.rule.startswith("/api/"):
            continue  # bearer tokens: test_a_cookie_alone_cannot_write_through_the_api
        outside_api.add(rule.endpoint)
    accounted = set(FORMS) | NO_STATE | SIGNED_FORM | MAILED_LINKS
    assert outside_api == accounted, "a new form must check csrf_ok(): add it here"


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_a_form_without_this_visitors_token_is_refused(
    app: Flask, session: Session, moderated: dict[str, Any], endpoint: str
) -> None:
    mod: FlaskClient = moderated["mod"]
    url = FORMS[endpoint].format(tip=moderated["tip"])
    fields = {
        "tips.submit_tip": {"kind": "pollution", "text": "A forged tip."},
        "tips.moderation_login": {"token": moderated["secret"]},
        "tips.moderation_logout": {},
        "tips.moderation_decide": {"status": "rejected", "reason": "Forged by another site."},
    }[endpoint]
    forgeries = {
        "none": {},
        "made up": {"csrf": "Imh0dHBzOi8vZXZpbC5leGFtcGxlIg.forged.signature"},
        "another visitor's": {"csrf": form_token(app.test_client(), "/tips/new")},
    }
    for forgery, token in forgeries.items():
        before = state(session)
        response = mod.post(url, data={**fields, **token})
        assert response.status_code == 400, (endpoint, forgery, response.status_code)
        page = response.get_data(as_text=True)
        assert re.search(r"expired|not sent from this site", page), (forgery, page[:500])
        assert "again" in page, (forgery, page[:500])  # what to do about it
        assert state(session) == before, forgery
        # Still signed in: a forged sign-out or sign-in changed no one's session.
        assert "Sign out" in mod.get("/moderate?lang=en").get_data(as_text=True), forgery


def test_the_real_forms_still_work(session: Session, moderated: dict[str, Any]) -> None:
    mod: FlaskClient = moderated["mod"]
    queue = "/moderate?lang=en"
    decided = mod.post(
        f"/moderate/{moderated['tip']}?lang=en",
        data={"csrf": form_token(mod, queue), "status": "under_review"},
    )
    assert decided.status_code == 303
    out = mod.post("/moderate/logout?lang=en", data={"csrf": form_token(mod, queue)})
    assert out.status_code == 303
    assert "Sign out" not in mod.get(queue).get_data(as_text=True)


def test_the_ask_form_writes_nothing(
    client: FlaskClient, session: Session, moderated: dict[str, Any]
) -> None:
    before = state(session)
    response = client.post("/ask?lang=en", data={"question": "Who polluted the Longjiang?"})
    assert response.status_code in (200, 503)  # answered, or the index is not built here
    assert state(session) == before


def test_a_cookie_alone_cannot_write_through_the_api(
    session: Session, moderated: dict[str, Any]
) -> None:
    mod: FlaskClient = moderated["mod"]  # holds a signed-in moderator's session cookie
    body = incident(id="INC-2026-0001")
    body.pop("publisher_id")
    before = state(session)
    as_json = mod.post("/api/v1/incidents", json=body)
    # What a forging page can send without a preflight: a form post.
    as_form = mod.post("/api/v1/incidents", data={"id": "INC-2026-0002", "title_zh": "伪造"})
    for response in (as_json, as_form):
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert "Bearer" in response.get_json()["detail"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert state(session)[1] == before[1]  # no revision written
    # Browsers may not send credentials cross-origin to the API, nor preflight a write.
    preflight = mod.options(
        "/api/v1/incidents",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "POST" not in preflight.headers.get("Access-Control-Allow-Methods", "")
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    assert "Access-Control-Allow-Credentials" not in as_json.headers
