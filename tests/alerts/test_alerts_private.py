"""Nothing about subscribers is public: no API address, download, snapshot or data package
holds an address or an alert table, and links are stored only as hashes."""

from __future__ import annotations

from pathlib import Path

from alert_support import BASE, ask, inbox, mailing_app, mclient, smtp
from flask import Flask
from flask.testing import FlaskClient
from smtp_support import Inbox, link_in
from sqlmodel import Session, select

from conftest import table_counts
from factories import incident, publish
from portal.alerts.sender import send_due
from portal.api.snapshot import write_snapshot
from portal.db import get_engine
from portal.models.alert import AlertLink
from portal.records.tokens import digest

__all__ = ["inbox", "mailing_app", "mclient", "smtp"]
ADDRESS = "private.reader@example.org"


def test_no_public_surface_shows_a_subscriber(
    mailing_app: Flask,
    mclient: FlaskClient,
    inbox: Inbox,
    session: Session,
    database_url: str,
    tmp_path: Path,
) -> None:
    assert ask(mclient, "/incidents?lang=en", ADDRESS).status_code == 303
    confirm = link_in(inbox.next(), "/alerts/confirm/")
    assert mclient.post(confirm.removeprefix(BASE)).status_code == 200
    publish(session, incident())
    assert send_due(mailing_app).mails == 1
    unsubscribe = inbox.next()["List-Unsubscribe"].strip("<>")
    assert table_counts(database_url)["alert_subscription"] == 1

    # Links are kept as hashes only.
    secret = unsubscribe.rsplit("/", 1)[1].split("?")[0]
    engine = get_engine(database_url)
    with Session(engine) as db:
        kept = set(db.exec(select(AlertLink.secret_hash)).all())
    assert digest(secret) in kept and secret not in kept

    anonymous = mailing_app.test_client()
    for path in (
        "/api/v1/datapackage.json",
        "/api/v1/openapi.json",
        "/api/v1/incidents",
        "/api/v1/incidents.csv",
        "/api/v1/incidents.ndjson",
        "/api/v1/responses.csv",
        "/feeds/all.atom",
        "/incidents?lang=en",
    ):
        answer = anonymous.get(path)
        assert answer.status_code == 200, path
        body = answer.get_data(as_text=True)
        assert ADDRESS not in body and "alert_subscription" not in body, path
    for path in ("/api/v1/alerts", "/api/v1/alert_subscription", "/api/v1/subscriptions"):
        assert anonymous.get(path).status_code == 404, path

    folder = write_snapshot(engine, tmp_path / "snapshots")
    for file in folder.rglob("*"):
        if file.is_file():
            text = file.read_bytes().decode("utf-8", "replace")
            assert ADDRESS not in text and "alert_" not in text, file.name
