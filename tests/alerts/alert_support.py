"""Fixtures of the alert tests: an app that mails alerts through a real SMTP server on loopback,
with records to follow (imported by each test module)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from smtp_support import Inbox, smtp_server
from sqlmodel import Session

from conftest import portal_like, table_counts
from factories import basics

BASE = "https://clearwater.example.org"
ALERT_TABLES = ("alert_subscription", "alert_link", "alert_sent")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    """The SMTP server and its URL."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, str]) -> Inbox:
    """What the SMTP server received."""
    return smtp[0]


@pytest.fixture
def mailing_app(app: Flask, smtp: tuple[Inbox, str], session: Session) -> Flask:
    """The portal with a relay, a sender and a public address, and a ministry, a bureau and an
    enterprise published."""
    basics(session)
    return portal_like(
        app,
        SMTP_URL=smtp[1],
        ALERTS_FROM="Clearwater <alerts@clearwater.example.org>",
        BASE_URL=BASE,
    )


@pytest.fixture
def mclient(mailing_app: Flask) -> FlaskClient:
    """A browser on that portal."""
    return mailing_app.test_client()


def alert_form(client: FlaskClient, page: str) -> dict[str, str]:
    """The hidden fields of the alert form on a page (its token and the feed it follows)."""
    html = client.get(page).get_data(as_text=True)
    form = re.search(r'<form class="alert-form".*?</form>', html, re.S)
    assert form, "no alert form on " + page
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    return {k: v.replace("&amp;", "&") for k, v in fields.items()}


def ask(client: FlaskClient, page: str, email: str, lang: str = "en", **extra: str) -> Any:
    """Fill the alert form of a page with an address and send it."""
    data = {**alert_form(client, page), "email": email, "frequency": "immediate", **extra}
    return client.post(f"/alerts?lang={lang}", data=data)


def alert_rows(url: str) -> dict[str, int]:
    """Rows in each alert table."""
    counts = table_counts(url)
    return {name: counts[name] for name in ALERT_TABLES}


def nothing_kept(url: str) -> bool:
    """No subscription, link or sent-log row at all."""
    return not any(alert_rows(url).values())
