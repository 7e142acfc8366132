"""Sending: what each kind of feed's alert mails, the daily summary, expiry, a relay that
refuses, two senders at once, a sender killed after the relay took the mail (at-least-once),
and `portal alerts send` as cron runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from alert_support import (
    BASE,
    alert_rows,
    ask,
    inbox,
    mailing_app,
    mclient,
    smtp,
)
from flask import Flask
from flask.testing import FlaskClient
from smtp_support import WAIT, Inbox, html_part, link_in, text_part
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from conftest import PG_URL
from factories import enterprise, incident, inspection, publish
from portal import records
from portal.alerts import store
from portal.alerts.sender import send_due
from portal.db import get_engine
from portal.models.alert import AlertSubscription
from portal.records.tokens import now_utc
from portal.search import service_of

__all__ = ["inbox", "mailing_app", "mclient", "smtp"]


def follow(client: FlaskClient, inbox: Inbox, page: str, frequency: str = "immediate") -> None:
    """Ask for alerts on a page and confirm them."""
    assert ask(client, page, "reader@example.org", frequency=frequency).status_code == 303
    link = link_in(inbox.next(), "/alerts/confirm/")
    assert client.post(link.removeprefix(BASE)).status_code == 200


def mailed(app: Flask, inbox: Inbox, daily: bool = False) -> list[str]:
    """The text of each mail one sending run sends."""
    tally = send_due(app, daily=daily)
    mails = inbox.drain()
    assert tally.mails == len(mails)
    return [text_part(m) for m in mails]


def test_an_alert_on_an_enterprise_follows_what_its_feed_follows(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    ours, theirs = enterprise(), enterprise()
    publish(session, ours)
    publish(session, theirs)
    follow(mclient, inbox, f"/enterprises/{ours['id']}?lang=en")
    publish(session, inspection(ours["id"], findings_en="Cadmium at the outfall of ours."))
    publish(session, inspection(theirs["id"], findings_en="Theirs, not followed."))
    [text] = mailed(mailing_app, inbox)
    assert "Cadmium at the outfall of ours." in text and "Theirs" not in text
    assert mailed(mailing_app, inbox) == []


def test_an_alert_on_a_department_and_on_one_record(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    watched = publish(session, incident(title_en="The watched spill"))
    other = publish(session, incident(title_en="Another spill"))
    follow(mclient, inbox, f"/incidents/{watched}?lang=en")
    records.correct(session, other, {"status": "closed"}, reason="Closed.", author_id="DEP-GX-EEB")
    session.commit()
    assert mailed(mailing_app, inbox) == []  # another record's correction is not this one's
    records.correct(
        session, watched, {"status": "contained"}, reason="Dams released.", author_id="DEP-GX-EEB"
    )
    session.commit()
    [text] = mailed(mailing_app, inbox)
    assert "The watched spill" in text and "Dams released." in text

    follow(mclient, inbox, "/departments/DEP-GX-EEB?lang=en")
    publish(session, incident(title_en="Published by the bureau"))
    texts = mailed(mailing_app, inbox)
    assert len(texts) == 1 and "Published by the bureau" in texts[0]


def test_an_alert_on_a_search(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    if not PG_URL:  # Whoosh: build the (empty) index; PostgreSQL searches in the database
        service_of(mailing_app).rebuild(procs=1)
    follow(mclient, inbox, "/search?q=arsenic&lang=en")
    publish(session, incident(title_en="Arsenic in the Diaojiang", summary_en="Arsenic found."))
    publish(session, incident(title_en="Lead in the Xiangjiang", summary_en="Lead found."))
    [text] = mailed(mailing_app, inbox)
    assert "Arsenic in the Diaojiang" in text and "Xiangjiang" not in text


def test_the_daily_summary(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    follow(mclient, inbox, "/incidents?lang=en", frequency="daily")
    publish(session, incident(title_en="Morning spill"))
    publish(session, incident(title_en="Evening spill"))
    assert mailed(mailing_app, inbox) == []  # the immediate run leaves daily ones alone
    [text] = mailed(mailing_app, inbox, daily=True)
    assert "Morning spill" in text and "Evening spill" in text
    assert "since the last daily summary" in text
    assert mailed(mailing_app, inbox, daily=True) == []


def test_unconfirmed_requests_expire_address_and_all(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, database_url: str
) -> None:
    assert ask(mclient, "/incidents?lang=en", "reader@example.org").status_code == 303
    link = link_in(inbox.next(), "/alerts/confirm/")
    assert send_due(mailing_app, now=now_utc() + timedelta(hours=47)).expired == 0
    assert send_due(mailing_app, now=now_utc() + timedelta(hours=49)).expired == 1
    assert not any(alert_rows(database_url).values())
    assert mclient.get(link.removeprefix(BASE)).status_code == 404


def test_a_relay_that_refuses_loses_nothing(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session, database_url: str
) -> None:
    follow(mclient, inbox, "/incidents?lang=en")
    publish(session, incident(title_en="Refused once"))
    inbox.refuse = True
    tally = send_due(mailing_app)
    assert (tally.mails, tally.failed) == (0, 1)
    assert alert_rows(database_url)["alert_sent"] == 0
    inbox.refuse = False
    [text] = mailed(mailing_app, inbox)
    assert "Refused once" in text


def test_two_senders_cannot_log_one_revision_twice(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session, database_url: str
) -> None:
    follow(mclient, inbox, "/incidents?lang=en")
    record_id = publish(session, incident())
    change = records.recent_changes(session, records.RecordQuery(kind="incidents"), 1)[0]
    assert change.id == record_id
    engine = get_engine(database_url)
    with Session(engine) as one, Session(engine) as two:
        sub_one = one.exec(select(AlertSubscription)).one()
        sub_two = two.exec(select(AlertSubscription)).one()
        # Both read the sent-log before either wrote: both think the revision is unsent.
        assert store.unsent(one, sub_one, [change]) == store.unsent(two, sub_two, [change])
        store.log_sent(one, sub_one, [change], now_utc())
        one.commit()
        with pytest.raises(IntegrityError):
            store.log_sent(two, sub_two, [change], now_utc())
        two.rollback()
    assert mailed(mailing_app, inbox) == []  # the first sender's mail counts


def _cli_env(app: Flask) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PORTAL_DATABASE_URL": str(app.config["DATABASE_URL"]),
        "PORTAL_INDEX_DIR": str(app.config["INDEX_DIR"]),
        "PORTAL_SMTP_URL": str(app.config["SMTP_URL"]),
        "PORTAL_ALERTS_FROM": str(app.config["ALERTS_FROM"]),
        "PORTAL_BASE_URL": BASE,
    }


CLI = [sys.executable, "-c", "from portal.cli import main; main()", "alerts", "send"]


def test_a_sender_killed_after_the_relay_took_the_mail_sends_it_again(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session, database_url: str
) -> None:
    """At-least-once: the relay has the mail, the sent-log was never committed."""
    follow(mclient, inbox, "/incidents?lang=en")
    publish(session, incident(title_en="Mailed twice rather than never"))
    inbox.hold = threading.Event()
    sender = subprocess.Popen(CLI, env=_cli_env(mailing_app))
    try:
        assert inbox.holding.wait(WAIT * 3), "the sender never reached the relay"
        os.kill(sender.pid, signal.SIGKILL)  # between the relay's receipt and the commit
        sender.wait(WAIT)
    finally:
        inbox.hold.set()
        if sender.poll() is None:
            sender.kill()
    assert "Mailed twice rather than never" in text_part(inbox.next())
    assert alert_rows(database_url)["alert_sent"] == 0
    inbox.hold = None
    done = subprocess.run(CLI, env=_cli_env(mailing_app), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 mail(s) with 1 record(s) sent" in done.stdout
    assert "Mailed twice rather than never" in text_part(inbox.next())
    assert alert_rows(database_url)["alert_sent"] == 1
    again = subprocess.run(CLI, env=_cli_env(mailing_app), capture_output=True, text=True)
    assert "0 mail(s)" in again.stdout and inbox.empty()


def test_the_command_says_what_is_missing(mailing_app: Flask) -> None:
    env = _cli_env(mailing_app)
    no_base = subprocess.run(
        CLI, env={**env, "PORTAL_BASE_URL": ""}, capture_output=True, text=True
    )
    assert no_base.returncode == 1 and "set PORTAL_BASE_URL" in no_base.stderr
    no_from = subprocess.run(
        CLI, env={**env, "PORTAL_ALERTS_FROM": ""}, capture_output=True, text=True
    )
    assert no_from.returncode == 1
    assert "PORTAL_ALERTS_FROM must give the sender" in no_from.stderr


def test_record_text_is_escaped_in_the_mail(
    mailing_app: Flask, mclient: FlaskClient, inbox: Inbox, session: Session
) -> None:
    follow(mclient, inbox, "/incidents?lang=en")
    publish(
        session,
        incident(
            title_en='<script>alert("title")</script> spill',
            summary_en='<img src=x onerror=alert(1)> "quoted" & more',
        ),
    )
    assert send_due(mailing_app).mails == 1
    mail = inbox.next()
    body = html_part(mail)
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert '<script>alert("title")</script> spill' in text_part(mail)  # plain text, as written
