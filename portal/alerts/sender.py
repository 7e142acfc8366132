"""Sending alerts: `portal alerts send [--daily]` and the worker call `send_due`.

For each confirmed subscription of the frequency: build its feed from its address (the feed's
own builder), keep the changes made since it was confirmed that its sent-log lacks, and mail
them in one message. The sent-log rows are written, and the mail handed to the relay, inside
one transaction that commits only after the relay accepted the mail:

- the relay refuses, or the process dies before the relay accepts: nothing is logged, and the
  next run mails the same records (nothing is lost);
- the process dies after the relay accepted and before the commit: the next run mails them
  again. Alerts are at-least-once (docs/decisions/0028-email-alerts.md): a second copy
  of a mail about a pollution incident costs less than a missed one.
- two senders at once: the sent-log's unique key (subscription, record, revision) makes the
  second one's insert fail, and it sends nothing for that subscription.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from flask import Flask, render_template, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.alerts import store
from portal.alerts.mail import RelayError, compose, deliver, relay
from portal.conditional import base_url
from portal.db import request_session
from portal.feeds import Entry, change_entries, feed_changes, feed_title, followed
from portal.models.alert import AlertSubscription, Frequency, LinkPurpose
from portal.records import Change
from portal.records.tokens import now_utc
from portal.web.i18n import LOCALES

log = logging.getLogger(__name__)
MOST_ITEMS = 200  # records in one mail at most; the mail links to the page for the rest
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"</p>|<br\s*/?>", re.I)


class AlertsOff(RuntimeError):
    """Alerts cannot be sent with these settings; the message says which to set."""


@dataclass
class Tally:
    """What one sending run did."""

    mails: int = 0
    records: int = 0
    failed: int = 0
    unfollowable: int = 0
    expired: int = 0


def plain(fragment: str) -> str:
    """An entry's HTML summary as plain text, a line per paragraph."""
    text = _TAG.sub("", _BREAK.sub("\n", fragment))
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def link(endpoint: str, lang: str, **values: Any) -> str:
    """An absolute link into the portal, in the subscriber's language."""
    return base_url() + url_for(endpoint, lang=lang, **values)


def address_with_lang(sub: AlertSubscription) -> str:
    """The followed feed's address in the subscriber's language."""
    joiner = "&" if "?" in sub.feed else "?"
    return f"{sub.feed}{joiner}lang={sub.lang}" if sub.lang == "en" else sub.feed


def _render(name: str, **context: Any) -> tuple[str, str]:
    return render_template(f"{name}.txt", **context), render_template(f"{name}.html", **context)


def confirmation(
    app: Flask, sub: AlertSubscription, secret: str, title: str, page: str
) -> EmailMessage:
    """The mail with the link that confirms a request (or, for an address that already
    follows the feed, says so and gives the link that stops it)."""
    already = sub.confirmed_at is not None
    purpose = LinkPurpose.unsubscribe if already else LinkPurpose.confirm
    endpoint = "alerts.unsubscribe_page" if already else "alerts.confirm_page"
    target = link(endpoint, sub.lang, secret=secret)
    with force_locale(LOCALES[sub.lang]):
        subject = (
            gettext("You already receive these alerts: %(title)s", title=title)
            if already
            else gettext("Confirm your email alert: %(title)s", title=title)
        )
        text, body = _render(
            "alert_confirm",
            already=already,
            title=title,
            page=page,
            target=target,
            purpose=purpose.value,
            hours=int(app.config["ALERT_CONFIRM_HOURS"]),
            lang=sub.lang,
        )
    return compose(
        sender=str(app.config["ALERTS_FROM"]),
        to=sub.email,
        subject=subject,
        text=text,
        html=body,
        unsubscribe=target if already else None,
    )


def alert(
    app: Flask, sub: AlertSubscription, entries: list[Entry], title: str, page: str, secret: str
) -> EmailMessage:
    """The mail of new and changed records, with its one-click unsubscribe."""
    stop = link("alerts.unsubscribe_page", sub.lang, secret=secret)
    with force_locale(LOCALES[sub.lang]):
        subject = gettext(
            "%(title)s: %(count)d new or changed records", title=title, count=len(entries)
        )
        text, body = _render(
            "alert_mail",
            title=title,
            page=page,
            # A summary is the feed entry's HTML: portal.feeds escapes every record text in it.
            entries=[(e, Markup(e.summary), plain(e.summary)) for e in entries],  # noqa: S704  # nosec B704
            unsubscribe=stop,
            daily=sub.frequency == Frequency.daily,
            lang=sub.lang,
        )
    return compose(
        sender=str(app.config["ALERTS_FROM"]),
        to=sub.email,
        subject=subject,
        text=text,
        html=body,
        unsubscribe=stop,
    )


def check_settings(app: Flask) -> None:
    """AlertsOff unless a relay, a sender and the portal's public address are set."""
    if not app.config.get("SMTP_URL"):
        raise AlertsOff("set PORTAL_SMTP_URL (and PORTAL_ALERTS_FROM) to send email alerts")
    if not app.config.get("BASE_URL"):
        raise AlertsOff(
            "set PORTAL_BASE_URL to the portal's public https address: every alert mail links "
            "to it, and its unsubscribe link must work from any mail client"
        )


def send_due(app: Flask, *, daily: bool = False, now: datetime | None = None) -> Tally:
    """Mail every confirmed subscription of the frequency what changed since its last mail
    (and delete the requests nobody confirmed in time); RelayError when the relay is down."""
    check_settings(app)
    tally = Tally()
    frequency = Frequency.daily if daily else Frequency.immediate
    with app.test_request_context("/", base_url=str(app.config["BASE_URL"])):
        db = request_session(app)
        moment = now or now_utc()
        tally.expired = store.expire(
            db, now=moment, confirm_hours=int(app.config["ALERT_CONFIRM_HOURS"])
        )
        db.commit()
        due = store.due(db, frequency)
        db.rollback()
        if not due:
            return tally
        seen = Round()
        with relay(str(app.config["SMTP_URL"])) as smtp:
            for sub_id in due:
                _send_one(app, smtp, sub_id, moment, tally, seen)
    return tally


@dataclass
class Round:
    """What one run has built already: subscribers of the same feed in the same language share
    its feed, its changes and the entries of the same records (built once, not per address)."""

    feeds: dict[str, Any] = field(default_factory=dict)  # address -> (feed, changes) or error
    entries: dict[tuple[str, tuple[Change, ...]], list[Entry]] = field(default_factory=dict)


def _feed_of(db: Any, sub: AlertSubscription, seen: Round) -> Any:
    """The subscription's feed and its newest changes; the HTTPException if it has none."""
    address = address_with_lang(sub)
    if address not in seen.feeds:
        try:
            feed, found, lang = followed(address)
        except HTTPException as exc:
            seen.feeds[address] = exc
        else:
            seen.feeds[address] = (feed, lang, feed_changes(db, feed, MOST_ITEMS, found))
    return seen.feeds[address]


def _send_one(app: Flask, smtp: Any, sub_id: int, now: datetime, tally: Tally, seen: Round) -> None:
    db = request_session(app)
    sub = db.get(AlertSubscription, sub_id)
    if sub is None or sub.confirmed_at is None:  # unsubscribed since the list was read
        db.rollback()
        return
    built = _feed_of(db, sub, seen)
    if isinstance(built, HTTPException):
        log.warning("alert %s cannot follow %s: %s", sub_id, sub.feed, built.description)
        db.rollback()
        tally.unfollowable += 1
        return
    feed, lang, changes = built
    todo = store.unsent(db, sub, changes)
    if not todo:
        db.rollback()
        return
    try:
        store.log_sent(db, sub, todo, now)
    except (IntegrityError, OperationalError):  # another sender mails them (or holds SQLite)
        db.rollback()
        return
    secret = store.new_link(db, sub, LinkPurpose.unsubscribe, now)
    key = (lang, tuple(todo))
    if key not in seen.entries:
        seen.entries[key] = change_entries(db, todo, lang, base_url())
    msg = alert(app, sub, seen.entries[key], feed_title(feed, lang), feed.html_url, secret)
    try:
        deliver(smtp, msg)
    except RelayError as exc:
        log.warning("alert %s not sent: %s", sub_id, exc)
        db.rollback()
        tally.failed += 1
        return
    db.commit()
    tally.mails += 1
    tally.records += len(todo)
