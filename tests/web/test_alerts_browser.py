"""The "Get email alerts" form in Chromium: a reader asks for a daily summary from a filtered
listing, gets the confirmation mail from a real SMTP server on loopback, confirms with the
button, and the box passes axe-core with no serious violation, in both languages."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import AXE, Tab, browser
from flask import Flask
from smtp_support import Inbox, free_port, link_in, smtp_server
from sqlmodel import Session, select
from werkzeug.serving import make_server

from conftest import portal_like
from factories import basics
from portal.models.alert import AlertSubscription

__all__ = ["browser"]


@pytest.fixture
def served(app: Flask, session: Session) -> Iterator[tuple[str, Inbox]]:
    """The portal with a relay, served over HTTP on loopback; its address and the inbox."""
    basics(session)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with smtp_server() as (inbox, smtp_url):
        mailing = portal_like(
            app, SMTP_URL=smtp_url, ALERTS_FROM="alerts@clearwater.example.org", BASE_URL=base
        )
        server = make_server("127.0.0.1", port, mailing, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base, inbox
        finally:
            server.shutdown()
            server.server_close()


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations (evaluated outside the page's CSP)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ask_for_alerts_and_confirm_in_chromium(
    browser: Any, served: tuple[str, Inbox], session: Session, lang: str
) -> None:
    base, inbox = served
    tab = Tab(browser)
    try:
        tab.visit(f"{base}/incidents?province=45&lang={lang}")
        page = tab.page
        form = page.locator("form.alert-form")
        assert form.count() == 1
        assert serious(page) == []
        # The browser refuses a malformed address itself; the server's refusals are tested in
        # tests/alerts/test_alerts_form.py.
        page.fill("#alert-email", "reader@example.org")
        page.locator("label[for=alert-daily]").click()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "/alerts/sent" in page.url
        assert page.locator("[role=status]").count() == 1
        assert tab.problems == []

        mail = inbox.next()
        assert mail["To"] == "reader@example.org"
        tab.visit(link_in(mail, "/alerts/confirm/"))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        status = page.locator("[role=status]").inner_text()
        assert re.search("one summary a day|每天", status), status
        assert tab.problems == []
    finally:
        tab.context.close()
    session.expire_all()
    sub = session.exec(select(AlertSubscription)).one()
    assert (sub.frequency, sub.lang, sub.confirmed_at is not None) == ("daily", lang, True)
    assert sub.feed == "/feeds/incidents.atom?province=45"
