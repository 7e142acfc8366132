"""Moderator sessions end on the server: a cookie copied before sign-out, before its token was
revoked, or older than PORTAL_MODERATOR_SESSION_HOURS opens nothing. The cookie is HttpOnly,
SameSite=Lax and, behind TLS, Secure; the moderation pages are never stored by a cache."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session

from conftest import portal_like
from factories import department, publish, publishing_token
from portal.db import get_engine
from portal.models import ModeratorSession, Token
from portal.records.tokens import end_token

CONTACT = "witness@example.org"


def form_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def sign_in(app: Flask, secret: str, **kw: Any) -> tuple[FlaskClient, Any]:
    """A moderator's browser, signed in; and the answer to its sign-in."""
    mod = app.test_client()
    answer = mod.post(
        "/moderate/login",
        data={"csrf": form_token(mod, "/moderate"), "token": secret},
        **kw,
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return mod, answer


def copy_of(app: Flask, mod: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the moderator's cookie."""
    cookie = mod.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def opens_the_queue(client: FlaskClient) -> bool:
    page = client.get("/moderate?lang=en").get_data(as_text=True)
    return CONTACT in page


@pytest.fixture
def moderation(app: Flask, client: FlaskClient, session: Session) -> dict[str, Any]:
    """The association, its token, and a tip with a contact waiting for moderation."""
    publish(session, department())
    publish(session, department(id="DEP-CNMIA", name_zh="再生金属分会", function="association"))
    sent = client.post(
        "/tips",
        data={
            "csrf": form_token(client, "/tips/new"),
            "kind": "pollution",
            "text": "Grey water from the slag heap after every rain.",
            "contact": CONTACT,
        },
    )
    assert sent.status_code == 303
    tip = sent.headers["Location"].split("/tips/")[1].split("?")[0]
    return {"secret": publishing_token(app, "DEP-CNMIA"), "tip": tip}


def test_a_cookie_copied_before_sign_out_opens_nothing(
    app: Flask, moderation: dict[str, Any]
) -> None:
    mod, _ = sign_in(app, moderation["secret"])
    thief = copy_of(app, mod)
    assert opens_the_queue(thief)  # the same session while it lasts
    out = mod.post("/moderate/logout?lang=en", data={"csrf": form_token(mod, "/moderate")})
    assert out.status_code == 303
    assert not opens_the_queue(thief)
    decided = thief.post(
        f"/moderate/{moderation['tip']}?lang=en",
        data={"csrf": form_token(thief, "/moderate"), "status": "under_review"},
    )
    assert decided.status_code == 401
    # Signing in again is a new session; the old cookie stays dead.
    again, _ = sign_in(app, moderation["secret"])
    assert opens_the_queue(again) and not opens_the_queue(thief)


@pytest.mark.parametrize("how", ["revoke", "expire"])
def test_ending_the_token_ends_its_sessions(
    app: Flask, session: Session, moderation: dict[str, Any], how: str
) -> None:
    mod, _ = sign_in(app, moderation["secret"])
    thief = copy_of(app, mod)
    token_id = session.exec(Token.__table__.select()).first().id  # the only token
    end_token(session, token_id, how=how)
    session.commit()
    assert not opens_the_queue(thief) and not opens_the_queue(mod)
    ended = session.exec(ModeratorSession.__table__.select()).first()
    assert ended.ended_at is not None


def test_a_session_older_than_its_lifetime_is_refused(
    app: Flask, moderation: dict[str, Any]
) -> None:
    short = portal_like(app, MODERATOR_SESSION_HOURS=2)
    mod, _ = sign_in(short, moderation["secret"])
    assert opens_the_queue(mod)
    engine = get_engine(app.config["DATABASE_URL"])
    with engine.begin() as conn:  # the sign-in was three hours ago
        conn.execute(
            update(ModeratorSession).values(created_at=datetime.now(UTC) - timedelta(hours=3))
        )
    assert not opens_the_queue(mod)
    assert "Sign in" in mod.get("/moderate?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_cookie_and_the_pages_are_kept_private(
    app: Flask, moderation: dict[str, Any], scheme: str
) -> None:
    mod, answer = sign_in(app, moderation["secret"], base_url=f"{scheme}://localhost")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == (scheme == "https")
    for page in (
        mod.get("/moderate?lang=en", base_url=f"{scheme}://localhost"),
        app.test_client().get("/moderate?lang=en"),  # the sign-in form
        answer,
    ):
        assert page.headers["Cache-Control"] == "no-store"
