"""An email alert end to end through a real SMTP server on loopback: the form on a listing, the
confirmation mail, nothing mailed before confirming, a mail per new revision (once), the
one-click unsubscribe that deletes the address."""

from __future__ import annotations

from email.message import EmailMessage

from alert_support import BASE, ask, inbox, mailing_app, mclient, nothing_kept, smtp
from flask import Flask
from flask.testing import FlaskClient
from smtp_support import Inbox, html_part, link_in, text_part
from sqlmodel import Session

from factories import incident, publish
from portal import records
from portal.alerts.sender import send_due

__all__ = ["inbox", "mailing_app", "mclient", "smtp"]
PAGE = "/incidents?province=45&lang=en"


def _confirm(mail: EmailMessage, client: FlaskClient) -> None:
    link = link_in(mail, "/alerts/confirm/")
    path = link.removeprefix(BASE)
    shown = client.get(path)
    assert shown.status_code == 200 and "确认" in shown.get_data(as_text=True)
    done = client.post(path)
    assert done.status_code == 200, done.get_data(as_text=True)


def test_subscribe_confirm_mail_once_and_unsubscribe(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session, database_url: str
) -> None:
    asked = ask(mclient, PAGE, "reader@example.org")
    assert asked.status_code == 303, asked.get_data(as_text=True)
    assert "/alerts/sent" in asked.headers["Location"]

    confirm_mail = inbox.next()
    assert confirm_mail["To"] == "reader@example.org"
    assert confirm_mail.get_content_type() == "multipart/alternative"
    assert "Confirm your email alert" in confirm_mail["Subject"]
    assert "Incidents · Guangxi" in confirm_mail["Subject"]
    link = link_in(confirm_mail, "/alerts/confirm/")
    assert link.startswith(f"{BASE}/alerts/confirm/") and link in html_part(confirm_mail)
    assert "List-Unsubscribe" not in confirm_mail  # a request, not a list mail yet

    # Nothing is mailed before the link is opened, whatever is published meanwhile.
    publish(session, incident(title_en="Before confirming"))
    assert send_due(mailing_app).mails == 0
    assert inbox.empty()

    path = link.removeprefix(BASE)
    assert mclient.get(path).status_code == 200  # a scanner opening the link confirms nothing
    assert send_due(mailing_app).mails == 0
    assert mclient.post(path).status_code == 200
    assert mclient.post(path).status_code == 404  # the link is spent

    # Records changed before the confirmation are not news; a new one is, once.
    assert send_due(mailing_app).mails == 0
    first = publish(session, incident(title_en="Lead below the smelter"))
    publish(session, incident(province="44", title_en="In Guangdong, not followed"))
    tally = send_due(mailing_app)
    assert (tally.mails, tally.records) == (1, 1)
    mail = inbox.next()
    assert mail["To"] == "reader@example.org"
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    assert "Lead below the smelter" in text_part(mail)
    assert "Lead below the smelter" in html_part(mail)
    assert "Guangdong" not in text_part(mail)
    assert "1 new or changed records" in mail["Subject"]
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{BASE}/alerts/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text_part(mail)

    # The sent-log: a second run mails nothing; a correction (a new revision) is news again.
    assert send_due(mailing_app).mails == 0
    assert inbox.empty()
    records.correct(
        session,
        first,
        {"status": "contained"},
        reason="The bureau contained the spill.",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    assert send_due(mailing_app).mails == 1
    corrected = text_part(inbox.next())
    assert "Lead below the smelter" in corrected and "The bureau contained the spill." in corrected
    assert send_due(mailing_app).mails == 0

    # One click, as a mail client does it (RFC 8058): a POST with no cookie and no token.
    stranger = mailing_app.test_client()
    gone = stranger.post(
        unsubscribe.removeprefix(BASE),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert gone.status_code == 200, gone.get_data(as_text=True)
    assert nothing_kept(database_url)  # the address, its links and its sent-log are gone
    publish(session, incident(title_en="After unsubscribing"))
    assert send_due(mailing_app).mails == 0
    assert inbox.empty()
    assert stranger.post(unsubscribe.removeprefix(BASE)).status_code == 404


def test_the_mail_speaks_the_subscribers_language(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    assert ask(mclient, "/incidents", "duzhe@example.org", lang="zh").status_code == 303
    mail = inbox.next()
    assert "确认" in mail["Subject"], mail["Subject"]
    _confirm(mail, mclient)
    publish(session, incident(title_en="English title", title_zh="中文标题的事件"))
    assert send_due(mailing_app).mails == 1
    alert = inbox.next()
    assert "中文标题的事件" in text_part(alert) and "English title" not in alert["Subject"]
    assert "停止" in text_part(alert)
