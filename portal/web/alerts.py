"""Email alerts on the web: the "Get email alerts" form beside every Subscribe box, the page
that says a confirmation link was mailed, and the confirm and unsubscribe pages of the links.

- The form is checked before anything is kept: its signed token (CSRF), the trap field, the
  address (one mailbox, no line breaks), the frequency and the feed, which must be one the
  portal serves (its own builder says so). Then the budget of the address and of the client;
  then the request is stored and the confirmation mailed in one transaction (a relay that
  refuses leaves nothing behind).
- The page answers the same whether or not the address already follows the feed: nothing
  about subscribers is ever shown (docs/alerts.md).
- A link's GET shows a button; its POST acts. Mail scanners that open links confirm or
  unsubscribe no one, and the unsubscribe POST needs no session or CSRF token (RFC 8058).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.alerts import store
from portal.alerts.address import AddressError, checked_address
from portal.alerts.mail import RelayError, deliver, relay
from portal.alerts.sender import confirmation
from portal.budget import client_address, spend
from portal.db import request_session
from portal.feeds import feed_title, followed
from portal.models.alert import FEED_MAX, Frequency, LinkPurpose
from portal.records.tokens import now_utc
from portal.web.i18n import LANGS, current_lang
from portal.web.problems import in_page_language
from portal.web.tips import CSRF_AGE, TRAP

bp = Blueprint("alerts", __name__)
SALT = "clearwater-alert-form"
# What is wrong with an address (portal/alerts/address.py's reasons), in the page language.
ADDRESS_PROBLEMS = {
    "control": lazy_gettext(
        "The email address holds a line break or another control character; give one "
        "address on one line."
    ),
    "empty": lazy_gettext("Give the email address the alerts should go to."),
    "long": lazy_gettext("The email address is longer than 254 characters."),
    "at": lazy_gettext("The email address needs one @ between a name and a domain."),
    "local": lazy_gettext(
        "The part of the email address before @ may hold letters, digits and . _ + - only "
        "(one address, without a name or spaces)."
    ),
    "domain": lazy_gettext("The domain after @ is not a valid domain name (such as example.org)."),
}


# -- the form's token -------------------------------------------------------------------------
# The form stands on listing, search and record pages, which keep no session: its token is
# signed with the portal's key and dated, not tied to a cookie (decision 0028). What it guards
# is that the form came from this site recently; nobody's session can be acted for here.
def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def alert_form_token() -> str:
    """The signed, dated token of the alert form."""
    return str(_serializer().dumps("alerts"))


def _token_ok(sent: str) -> bool:
    if not sent or len(sent) > 500:
        return False
    try:
        return bool(_serializer().loads(sent, max_age=CSRF_AGE) == "alerts")
    except BadSignature:
        return False


def alerts_on() -> bool:
    """Whether this portal mails alerts (a relay is set)."""
    return bool(current_app.config.get("SMTP_URL"))


@bp.app_context_processor
def alert_helpers() -> dict[str, Any]:
    """`alerts_on()` and `alert_form_token()` for the Subscribe box."""
    return {"alerts_on": alerts_on, "alert_form_token": alert_form_token, "alert_trap": TRAP}


@bp.after_request
def _never_stored(response: Response) -> Response:
    """The pages of a link carry its secret in their address: no cache keeps them."""
    if request.path.startswith("/alerts"):
        response.headers["Cache-Control"] = "no-store"
    return response


# -- the feed an alert follows -----------------------------------------------------------------
def canonical_feed(address: str) -> str:
    """The feed address a subscription keeps: the path and its filters in order, Atom, without
    the language or the number of entries (the alert has its own)."""
    parts = urlsplit(address)
    path = parts.path
    if path.endswith(".rss"):
        path = path[: -len(".rss")] + ".atom"
    pairs = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    kept = [(k, v) for k, v in pairs if k not in ("lang", "limit") and v != ""]
    return path + (f"?{urlencode(kept)}" if kept else "")


def _followable(address: str) -> tuple[str, str, str]:
    """The canonical address, the title and the page of a feed the form names; 422 if none."""
    if not address.startswith("/feeds/") or len(address) > FEED_MAX:
        abort(422, description=gettext("The form does not name a feed of this portal to follow."))
    canonical = canonical_feed(address)
    lang = current_lang()
    try:
        feed, _found, _ = followed(canonical + ("&" if "?" in canonical else "?") + f"lang={lang}")
    except HTTPException as exc:
        if exc.code == 503:
            raise
        issues = getattr(exc, "issues", None)  # a feed query's problems (QueryRefused)
        said = " ".join(in_page_language(issues)) if issues else str(exc.description)
        abort(422, description=gettext("This feed cannot be followed: %(why)s", why=said))
    return canonical, feed_title(feed, lang), feed.html_url


# -- pages -----------------------------------------------------------------------------------
def _form_page(values: dict[str, str], problems: list[str], status: int) -> tuple[str, int]:
    return (
        render_template("alerts.html", state="form", values=values, problems=problems),
        status,
    )


@bp.get("/alerts/new")
def new_alert() -> tuple[str, int]:
    """The alert form on a page of its own (for a feed given as ?feed=)."""
    values = {"feed": (request.args.get("feed") or "")[:FEED_MAX], "frequency": "immediate"}
    return _form_page(values, [], 200)


def _address_key(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()


@bp.post("/alerts")
def subscribe() -> Any:
    """Ask for alerts: check everything, keep the request, mail the confirmation link."""
    values = {
        name: (request.form.get(name) or "")[:FEED_MAX] for name in ("email", "feed", "frequency")
    }
    if not alerts_on():
        abort(503, description=gettext("This portal does not send email alerts."))
    if not _token_ok(request.form.get("csrf", "")):
        expired = gettext("The form expired or was not sent from this site. Please send it again.")
        return _form_page(values, [expired], 400)
    if request.form.get(TRAP):
        return _form_page(values, [gettext("This submission cannot be accepted.")], 400)
    problems = []
    try:
        email = checked_address(request.form.get("email") or "")
    except AddressError as exc:
        problems.append(str(ADDRESS_PROBLEMS[exc.reason]))
    frequency = values["frequency"] or Frequency.immediate.value
    if frequency not in {f.value for f in Frequency}:
        problems.append(gettext("Choose how often: as soon as something changes, or daily."))
    try:
        feed, title, page = _followable(request.form.get("feed") or "")
    except HTTPException as exc:
        if exc.code != 422:
            raise
        problems.append(str(exc.description))
    if problems:
        return _form_page(values, problems, 422)
    limit = str(current_app.config["ALERT_RATE_LIMIT"])
    wait = spend(current_app, "alerts", limit, client_address())
    if wait is None:
        wait = spend(current_app, "alert-mails", limit, _address_key(email))
    if wait is not None:
        busy = gettext(
            "Too many alert requests from your connection or for this address; try again in "
            "%(n)d minutes.",
            n=wait // 60 + 1,
        )
        page_, status = _form_page(values, [busy], 429)
        return page_, status, {"Retry-After": str(wait)}
    lang = current_lang() if current_lang() in LANGS else "zh"
    db = request_session(current_app)
    sub, secret = store.ask(
        db, email=email, feed=feed, lang=lang, frequency=Frequency(frequency), now=now_utc()
    )
    msg = confirmation(current_app._get_current_object(), sub, secret, title, page)  # type: ignore[attr-defined]
    try:
        with relay(str(current_app.config["SMTP_URL"])) as smtp:
            deliver(smtp, msg)
    except RelayError:
        db.rollback()
        current_app.logger.warning("confirmation mail not sent", exc_info=True)
        abort(
            503,
            description=gettext(
                "The confirmation mail could not be sent just now; nothing was kept. Please "
                "try again in a few minutes."
            ),
        )
    db.commit()
    return redirect(url_for("alerts.check_inbox", lang=lang), 303)


@bp.get("/alerts/sent")
def check_inbox() -> str:
    """After the form: look for the confirmation mail."""
    hours = int(current_app.config["ALERT_CONFIRM_HOURS"])
    return render_template("alerts.html", state="sent", hours=hours)


def _linked(secret: str, purpose: LinkPurpose) -> Any:
    db = request_session(current_app)
    return store.by_link(
        db,
        secret,
        purpose,
        now=now_utc(),
        confirm_hours=int(current_app.config["ALERT_CONFIRM_HOURS"]),
    )


def _dead_link() -> None:
    abort(
        404,
        description=gettext(
            "This link is not valid any more: it was used already, it expired, or it was cut "
            "short. Ask for alerts again from the page you want to follow."
        ),
    )


@bp.get("/alerts/confirm/<secret>")
def confirm_page(secret: str) -> str:
    """The confirmation link: a button that confirms (so a scanner opening it confirms nothing)."""
    sub = _linked(secret, LinkPurpose.confirm)
    if sub is None:
        _dead_link()
    return render_template("alerts.html", state="confirm", secret=secret)


@bp.post("/alerts/confirm/<secret>")
def confirm(secret: str) -> str:
    """Start the alerts of the link."""
    db = request_session(current_app)
    sub = _linked(secret, LinkPurpose.confirm)
    if sub is None:
        _dead_link()
    store.confirm(db, sub, now_utc())
    db.commit()
    return render_template("alerts.html", state="confirmed", frequency=sub.frequency)


@bp.get("/alerts/unsubscribe/<secret>")
def unsubscribe_page(secret: str) -> str:
    """The unsubscribe link: a button that stops the alerts."""
    sub = _linked(secret, LinkPurpose.unsubscribe)
    if sub is None:
        _dead_link()
    return render_template("alerts.html", state="unsubscribe", secret=secret)


@bp.post("/alerts/unsubscribe/<secret>")
def unsubscribe(secret: str) -> str:
    """Stop the alerts and delete the address (RFC 8058's one-click POST comes here too)."""
    db = request_session(current_app)
    sub = _linked(secret, LinkPurpose.unsubscribe)
    if sub is None:
        _dead_link()
    store.forget(db, [sub.id])
    db.commit()
    return render_template("alerts.html", state="unsubscribed")
