"""Alert subscriptions in the database: ask, confirm, unsubscribe, expire, and the sent-log.

Links carry a random secret (256 bits) of which only the SHA-256 is kept (`alert_link`), as for
publishing tokens and moderators' sign-ins. Every mail gets a link of its own, so a link keeps
working as long as the subscription lives, and unsubscribing deletes all of them with the
address."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from portal.models.alert import AlertLink, AlertSent, AlertSubscription, Frequency, LinkPurpose
from portal.records import Change
from portal.records.tokens import digest, now_utc

SECRET_MAX = 100  # longer than any secret made here: refused before hashing


def ask(
    session: Session, *, email: str, feed: str, lang: str, frequency: Frequency, now: datetime
) -> tuple[AlertSubscription, str]:
    """Record a request for alerts (or renew an unconfirmed one) and make the link to mail:
    a confirmation link, or, when the address already follows this feed, an unsubscribe link.
    A confirmed subscription keeps its language and frequency until it is confirmed anew."""
    sub = session.exec(
        select(AlertSubscription).where(
            col(AlertSubscription.email) == email, col(AlertSubscription.feed) == feed
        )
    ).first()
    if sub is None:
        sub = AlertSubscription(
            email=email, feed=feed, lang=lang, frequency=frequency.value, created_at=now
        )
    elif sub.confirmed_at is None:
        sub.lang, sub.frequency, sub.created_at = lang, frequency.value, now
    session.add(sub)
    session.flush()
    purpose = LinkPurpose.confirm if sub.confirmed_at is None else LinkPurpose.unsubscribe
    return sub, new_link(session, sub, purpose, now)


def new_link(session: Session, sub: AlertSubscription, purpose: LinkPurpose, now: datetime) -> str:
    """A new link's secret (shown only in the mail); its hash is kept."""
    assert sub.id is not None
    secret = secrets.token_urlsafe(32)
    session.add(
        AlertLink(
            subscription_id=sub.id,
            secret_hash=digest(secret),
            purpose=purpose.value,
            created_at=now,
        )
    )
    session.flush()
    return secret


def by_link(
    session: Session, secret: str, purpose: LinkPurpose, *, now: datetime, confirm_hours: int
) -> AlertSubscription | None:
    """The subscription a link names; None for an unknown, mistyped or expired link."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    link = session.exec(
        select(AlertLink).where(
            col(AlertLink.secret_hash) == digest(secret), col(AlertLink.purpose) == purpose.value
        )
    ).first()
    if link is None:
        return None
    if purpose == LinkPurpose.confirm and link.created_at <= now - timedelta(hours=confirm_hours):
        return None
    return session.get(AlertSubscription, link.subscription_id)


def confirm(session: Session, sub: AlertSubscription, now: datetime) -> None:
    """Start the alerts: records changed from now on are mailed; the confirmation links go."""
    if sub.confirmed_at is None:
        sub.confirmed_at = now
        session.add(sub)
    session.execute(
        delete(AlertLink).where(
            col(AlertLink.subscription_id) == sub.id,
            col(AlertLink.purpose) == LinkPurpose.confirm.value,
        )
    )
    session.flush()


def forget(session: Session, subscription_ids: Iterable[int]) -> int:
    """Delete subscriptions with their address, links and sent-log; how many there were."""
    ids = list(subscription_ids)
    if not ids:
        return 0
    for table in (AlertSent, AlertLink):
        session.execute(delete(table).where(col(table.subscription_id).in_(ids)))
    gone = session.exec(
        select(AlertSubscription.id).where(col(AlertSubscription.id).in_(ids))
    ).all()
    session.execute(delete(AlertSubscription).where(col(AlertSubscription.id).in_(ids)))
    session.flush()
    return len(gone)


def expire(session: Session, *, now: datetime | None = None, confirm_hours: int) -> int:
    """Delete the requests nobody confirmed in time, address and all; how many."""
    cutoff = (now or now_utc()) - timedelta(hours=confirm_hours)
    stale = session.exec(
        select(AlertSubscription.id).where(
            col(AlertSubscription.confirmed_at).is_(None),
            col(AlertSubscription.created_at) <= cutoff,
        )
    ).all()
    return forget(session, [i for i in stale if i is not None])


def due(session: Session, frequency: Frequency) -> list[int]:
    """The confirmed subscriptions of a frequency, oldest first."""
    rows = session.exec(
        select(AlertSubscription.id)
        .where(
            col(AlertSubscription.confirmed_at).is_not(None),
            col(AlertSubscription.frequency) == frequency.value,
        )
        .order_by(col(AlertSubscription.id))
    ).all()
    return [i for i in rows if i is not None]


def unsent(session: Session, sub: AlertSubscription, changes: Iterable[Change]) -> list[Change]:
    """The changes made since the subscription was confirmed that it was not mailed yet."""
    assert sub.confirmed_at is not None
    fresh = [c for c in changes if c.updated_at > sub.confirmed_at]
    if not fresh:
        return []
    sent = set(
        session.execute(
            select(AlertSent.record_id, AlertSent.revision).where(
                col(AlertSent.subscription_id) == sub.id,
                col(AlertSent.record_id).in_([c.id for c in fresh]),
            )
        ).all()
    )
    return [c for c in fresh if (c.id, c.revision) not in sent]


def log_sent(
    session: Session, sub: AlertSubscription, changes: Iterable[Change], now: datetime
) -> None:
    """Write the sent-log rows of a mail about to go (flushed: a second sender that got here
    first makes this raise IntegrityError, and this mail is not sent)."""
    assert sub.id is not None
    for change in changes:
        session.add(
            AlertSent(
                subscription_id=sub.id, record_id=change.id, revision=change.revision, sent_at=now
            )
        )
    sub.last_sent_at = now
    session.add(sub)
    session.flush()
