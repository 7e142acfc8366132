"""Hostile and mistaken input to the alert form: each is a 4xx with a sentence, keeps nothing and
mails nothing; the budget per address and per client; nothing about subscribers is shown."""

from __future__ import annotations

import pytest
from alert_support import alert_form, alert_rows, ask, inbox, mailing_app, mclient, smtp
from flask import Flask
from flask.testing import FlaskClient
from smtp_support import Inbox, link_in

from conftest import portal_like

__all__ = ["inbox", "mailing_app", "mclient", "smtp"]
PAGE = "/incidents?lang=en"


@pytest.mark.parametrize(
    ("email", "said"),
    [
        ("a@b.c\r\nBcc: victim@example.org", "line break"),
        ("reader@example.org\nBcc: victim@example.org", "line break"),
        ("", "Give the email address"),
        ("no-at-sign.example.org", "one @"),
        ("Reader <reader@example.org>", "before @ may hold"),
        ("one@example.org, two@example.org", "before @ may hold"),
        ("reader@localhost", "not a valid domain"),
        ("reader@exa mple.org", "not a valid domain"),
        ("x" * 250 + "@example.org", "longer than 254"),
    ],
)
def test_a_bad_address_is_refused_and_nothing_is_kept(
    mclient: FlaskClient, inbox: Inbox, database_url: str, email: str, said: str
) -> None:
    answer = ask(mclient, PAGE, email)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert said in page
    assert not any(alert_rows(database_url).values())
    assert inbox.empty()


def test_the_form_without_its_token_or_with_the_trap_filled_is_refused(
    mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    fields = alert_form(mclient, PAGE)
    missing = mclient.post(
        "/alerts?lang=en", data={"feed": fields["feed"], "email": "reader@example.org"}
    )
    assert missing.status_code == 400
    assert "The form expired or was not sent from this site" in missing.get_data(as_text=True)
    forged = mclient.post(
        "/alerts?lang=en",
        data={"csrf": "forged.token", "feed": fields["feed"], "email": "reader@example.org"},
    )
    assert forged.status_code == 400
    trapped = ask(mclient, PAGE, "reader@example.org", website="http://spam.example")
    assert trapped.status_code == 400
    assert "cannot be accepted" in trapped.get_data(as_text=True)
    assert not any(alert_rows(database_url).values())
    assert inbox.empty()


@pytest.mark.parametrize(
    ("feed", "said"),
    [
        ("/feeds/incidents.atom?outcome=nonsense", "cannot be followed"),
        ("/feeds/enterprises/ENT-NONE-0000.atom", "cannot be followed"),
        ("/feeds/nowhere.atom", "cannot be followed"),
        ("https://elsewhere.example/feeds/incidents.atom", "does not name a feed"),
        ("/api/v1/incidents", "does not name a feed"),
        ("/feeds/incidents.atom?" + "q=x&" * 600, "does not name a feed"),
    ],
)
def test_a_feed_the_portal_does_not_serve_is_refused(
    mclient: FlaskClient, inbox: Inbox, database_url: str, feed: str, said: str
) -> None:
    answer = ask(mclient, PAGE, "reader@example.org", feed=feed)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert said in answer.get_data(as_text=True)
    assert not any(alert_rows(database_url).values())
    assert inbox.empty()


def test_an_oversized_form_is_refused(
    mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    fields = alert_form(mclient, PAGE)
    answer = mclient.post(
        "/alerts?lang=en", data={**fields, "email": "reader@example.org", "pad": "x" * 400_000}
    )
    assert answer.status_code == 413
    assert not any(alert_rows(database_url).values())
    assert inbox.empty()


def test_a_wrong_frequency_is_refused(
    mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    answer = ask(mclient, PAGE, "reader@example.org", frequency="hourly")
    assert answer.status_code == 422
    assert "Choose how often" in answer.get_data(as_text=True)
    assert not any(alert_rows(database_url).values())


def test_the_budget_of_an_address_and_of_a_client(
    mailing_app: Flask, inbox: Inbox, database_url: str
) -> None:
    limited = portal_like(mailing_app, ALERT_RATE_LIMIT="2 per hour")
    client = limited.test_client()
    assert ask(client, PAGE, "reader@example.org").status_code == 303
    assert ask(client, "/inspections?lang=en", "reader@example.org").status_code == 303
    third = ask(client, "/enterprises?lang=en", "reader@example.org")
    assert third.status_code == 429 and int(third.headers["Retry-After"]) > 0
    assert "Too many alert requests" in third.get_data(as_text=True)
    assert len(inbox.drain()) == 2
    assert alert_rows(database_url)["alert_subscription"] == 2
    # Another client asking for the same address is held by the address's budget.
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert ask(other, "/enterprises?lang=en", "reader@example.org").status_code == 429
    assert inbox.empty()


def test_the_answer_says_nothing_about_who_subscribes(
    mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    first = ask(mclient, PAGE, "reader@example.org")
    link = link_in(inbox.next(), "/alerts/confirm/")
    assert mclient.post(link.split("example.org", 1)[1]).status_code == 200
    again = ask(mclient, PAGE, "reader@example.org")
    stranger = ask(mclient, PAGE, "someone.else@example.org")
    assert first.status_code == again.status_code == stranger.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == stranger.headers["Location"]
    # The subscriber hears that nothing changed, with the link that stops the alerts.
    notice = inbox.next()
    assert "already receive" in notice["Subject"]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Confirm your email alert" in inbox.next()["Subject"]
    assert alert_rows(database_url)["alert_subscription"] == 2
    page = mclient.get("/alerts/sent?lang=en").get_data(as_text=True)
    assert "reader@example.org" not in page


def test_a_relay_that_refuses_keeps_nothing(
    mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    inbox.refuse = True
    answer = ask(mclient, PAGE, "reader@example.org")
    assert answer.status_code == 503
    assert "could not be sent just now" in answer.get_data(as_text=True)
    assert not any(alert_rows(database_url).values())


def test_no_form_and_no_alerts_without_a_relay(client: FlaskClient, database_url: str) -> None:
    page = client.get(PAGE).get_data(as_text=True)
    assert "Subscribe" in page and "alert-form" not in page
    answer = client.post("/alerts?lang=en", data={"email": "reader@example.org"})
    assert answer.status_code == 503
    assert "does not send email alerts" in answer.get_data(as_text=True)
    assert not any(alert_rows(database_url).values())


def test_dead_links_are_404_with_a_sentence(mclient: FlaskClient) -> None:
    for path in ("/alerts/confirm/nothing-here", "/alerts/unsubscribe/" + "x" * 300):
        for method in (mclient.get, mclient.post):
            answer = method(path + "?lang=en")
            assert answer.status_code == 404
            assert "This link is not valid any more" in answer.get_data(as_text=True)
            assert answer.headers["Cache-Control"] == "no-store"
