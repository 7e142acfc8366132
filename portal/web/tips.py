"""Citizens' tips on the web: the public form, each tip's tracking page, and the moderation
page that departments and the association reach by signing in with their token.

Forms carry a CSRF token tied to the visitor's signed session cookie; the public form has a
field hidden from people (a trap for programs that fill every field) and a per-address budget.
A tip's contact is kept for moderators and never shown on a public page.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from werkzeug.wrappers import Response

from portal import records
from portal.budget import client_address, spend
from portal.db import request_session
from portal.models.common import requested_id
from portal.models.tip import TipKind, TipStatus
from portal.models.token import Scope, Token
from portal.models.vocab import provinces
from portal.records import PUBLIC_KINDS, Problem, RecordError, get_record, moderators
from portal.records.kinds import UnknownKind, kind_of_id
from portal.records.tips import file_tip, moderate, tip_public, tips_to_moderate
from portal.records.tokens import AuthError, authenticate
from portal.web.i18n import current_lang
from portal.web.problems import in_page_language

bp = Blueprint("tips", __name__)
CSRF_AGE = 4 * 3600  # seconds a form stays valid
TRAP = "website"  # the field people never see


# -- CSRF -------------------------------------------------------------------------------------
def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="clearwater-form")


def csrf_token() -> str:
    """A token for a form, bound to this visitor's session."""
    nonce = session.get("csrf")
    if not nonce:
        nonce = session["csrf"] = secrets.token_urlsafe(16)
    return str(_serializer().dumps(nonce))


def csrf_ok() -> bool:
    """True when the posted form carries a token this visitor's session issued recently."""
    sent, nonce = request.form.get("csrf", ""), session.get("csrf")
    if not sent or not nonce or len(sent) > 500:
        return False
    try:
        value = _serializer().loads(sent, max_age=CSRF_AGE)
    except BadSignature:
        return False
    return isinstance(value, str) and hmac.compare_digest(value, nonce)


@bp.app_context_processor
def form_helpers() -> dict[str, Any]:
    """`csrf_token()` for every template with a form."""
    return {"csrf_token": csrf_token}


def _lang() -> str:
    return current_lang()


# -- the public form --------------------------------------------------------------------------
def _subject(about: str) -> Any:
    """The public record a tip is about, or None (an id of no record, or of no public page)."""
    wanted = requested_id(about.strip())
    if wanted is None:
        return None
    found = get_record(request_session(current_app), wanted)
    return found if found is not None and found.kind in PUBLIC_KINDS else None


def _names_of(subject: Any) -> dict[str, Any]:
    if subject is None:
        return {}
    ids = [i for i in (subject.publisher_id, getattr(subject, "enterprise_id", None)) if i]
    return records.names(request_session(current_app), ids)


def _form_page(
    values: dict[str, str], problems: list[str], status: int = 200, notice: str | None = None
) -> Any:
    subject = _subject(values.get("about_id") or "")
    return (
        render_template(
            "tip_new.html",
            values=values,
            problems=problems,
            notice=notice,
            subject=subject,
            names=_names_of(subject),
            tip_kinds=[k.value for k in TipKind],
            provinces=provinces(),
            trap=TRAP,
        ),
        status,
    )


@bp.get("/tips/new")
def new_tip() -> Any:
    """The form to report a suspected pollution event or an error in a record.

    `?about=<record id>` (the "Report an error" link of every record page) fills in the record
    and names it above the form. An id of no record, or no id at all, is dropped with a
    sentence saying so: the form still works, tied to no record."""
    asked = (request.args.get("about") or "").strip()
    kind = request.args.get("kind", "")
    values = {"about_id": "", "kind": kind if kind in {k.value for k in TipKind} else ""}
    notice = None
    if asked:
        values["kind"] = values["kind"] or TipKind.record_error.value
        shown, wanted = asked[:40], requested_id(asked)
        if wanted is not None and _subject(wanted) is not None:
            values["about_id"] = wanted
        elif wanted is None:
            notice = gettext(
                "“%(given)s” is not a record id, so this tip is not tied to a record. "
                "If you know the record's id, give it below.",
                given=shown,
            )
        else:
            notice = gettext(
                "There is no record %(id)s, so this tip is not tied to a record. "
                "Check the id, or say in your words which record you mean.",
                id=wanted,
            )
    values["kind"] = values["kind"] or TipKind.pollution.value
    return _form_page(values, [], notice=notice)


@bp.post("/tips")
def submit_tip() -> Any:
    """Receive a tip; on success, its tracking page."""
    lang = _lang()
    values = {
        name: (request.form.get(name) or "").strip()
        for name in ("kind", "about_id", "text", "place", "province", "contact")
    }
    if not csrf_ok():
        return _form_page(
            values,
            [gettext("The form expired or was not sent from this site. Please send it again.")],
            400,
        )
    if request.form.get(TRAP):
        return _form_page(
            values,
            [gettext("This submission cannot be accepted.")],
            400,
        )
    limit = str(current_app.config["TIP_RATE_LIMIT"])
    wait = spend(current_app, "tips", limit, client_address())
    if wait is not None:
        page, _ = _form_page(
            values,
            [
                gettext(
                    "Too many tips from your address; try again in %(n)d minutes.",
                    n=wait // 60 + 1,
                )
            ],
        )
        return page, 429, {"Retry-After": str(wait)}
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    if "about_id" in data:
        # Not an id (ınc-… is not INC-…): kept as typed, and the tip's model says why.
        data["about_id"] = requested_id(data["about_id"]) or data["about_id"]
    db = request_session(current_app)
    try:
        tip_id = file_tip(db, data, client=client_address())
    except RecordError as exc:
        db.rollback()
        said = in_page_language([p.issue for p in exc.problems], form=True)
        problems = [f"{_field_name(p.field)}: {m}" for p, m in zip(exc.problems, said, strict=True)]
        return _form_page(values, problems, 422)
    db.commit()
    return redirect(url_for("tips.tip_page", tip_id=tip_id, lang=lang, new=1), 303)


# The form's fields as its labels name them (lazy: said in the language of each request).
FIELD_NAMES = {
    "kind": lazy_gettext("Kind"),
    "about_id": lazy_gettext("Record id"),
    "text": lazy_gettext("What you saw"),
    "place": lazy_gettext("Place"),
    "province": lazy_gettext("Province"),
    "contact": lazy_gettext("Contact"),
}


def _field_name(field: str) -> str:
    name = FIELD_NAMES.get(field.split(".")[0])
    return str(name) if name is not None else field


@bp.get("/tips/<tip_id>")
def tip_page(tip_id: str) -> Any:
    """A tip's public tracking page: its status and what became of it; never the contact."""
    wanted = requested_id(tip_id)
    found = tip_public(request_session(current_app), wanted) if wanted else None
    if found is None:
        abort(404, description=gettext("There is no such tip."))
    return render_template(
        "tip.html",
        tip=found,
        new=request.args.get("new") == "1",
        record_links=_record_links([found.about_id, found.linked_record_id]),
    )


def _record_links(ids: Iterable[str | None]) -> dict[str, str]:
    """The page of each record a tip names (ids of kinds with no public page get no link)."""
    out = {}
    for record_id in ids:
        if not record_id:
            continue
        try:
            kind = kind_of_id(record_id).name
        except UnknownKind:
            continue
        if kind in PUBLIC_KINDS:
            out[record_id] = url_for("web.record", kind=kind, record_id=record_id, lang=_lang())
    return out


def _queue_page(
    db: Session, token: Token, status: str | None, problems: list[str] | None = None
) -> str:
    """The moderation queue: the tips with the status asked for (else those waiting)."""
    tips = tips_to_moderate(db, status)
    return render_template(
        "moderate.html",
        tips=tips,
        moderator=token,
        status=status,
        statuses=[s.value for s in TipStatus],
        problems=problems or [],
        names=records.names(db, [token.publisher_id]),
        record_links=_record_links(t.about_id for t in tips),
    )


# -- moderation -------------------------------------------------------------------------------
SIGN_IN = "moderator_session"  # the cookie's key for the id of the sign-in kept on the server


@bp.after_request
def _never_stored(response: Response) -> Response:
    """Moderation pages show contacts: no cache, proxy or back button keeps a copy."""
    if request.path.startswith("/moderate"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _moderator(db: Session) -> Token | None:
    """The signed-in moderator's token while its sign-in lives on the server (records/moderators:
    not signed out, not too old, its token not revoked or expired); commits its last-seen time."""
    hours = int(current_app.config["MODERATOR_SESSION_HOURS"])
    token = moderators.moderator(db, session.get(SIGN_IN), hours=hours)
    db.commit()
    if token is None:
        session.pop(SIGN_IN, None)
    return token


@bp.get("/moderate")
def moderation() -> Any:
    """Tips waiting for a decision, for a signed-in moderator; else the sign-in form."""
    db = request_session(current_app)
    token = _moderator(db)
    if token is None:
        return render_template("moderate_login.html", problems=[])
    status = request.args.get("status") or None
    if status is not None and status not in {s.value for s in TipStatus}:
        status = None
    return _queue_page(db, token, status)


@bp.post("/moderate/login")
def moderation_login() -> Any:
    """Sign in with a token that holds the tips scope."""
    lang = _lang()
    if not csrf_ok():
        problems = [gettext("The form expired; please try again.")]
        return render_template("moderate_login.html", problems=problems), 400
    db = request_session(current_app)
    secret = (request.form.get("token") or "").strip()
    try:
        caller = authenticate(db, f"Bearer {secret}")
    except AuthError as exc:
        db.rollback()
        return render_template("moderate_login.html", problems=[exc.message]), 401
    if Scope.tips not in caller.scopes:
        db.rollback()
        problems = [
            gettext("This token may not moderate tips; ask your operator for the tips scope.")
        ]
        return render_template("moderate_login.html", problems=problems), 403
    sign_in = moderators.begin(db, caller.token_id)
    db.commit()
    session.clear()
    session[SIGN_IN] = sign_in
    session["csrf"] = secrets.token_urlsafe(16)
    return redirect(url_for("tips.moderation", lang=lang), 303)


@bp.post("/moderate/logout")
def moderation_logout() -> Response:
    """Sign out (a form of this site only: another site cannot sign a moderator out)."""
    if not csrf_ok():
        expired = gettext(
            "The sign-out form expired or was not sent from this site; reload the page and "
            "sign out again."
        )
        abort(400, description=expired)
    db = request_session(current_app)
    moderators.end(db, session.pop(SIGN_IN, None))  # every copy of the cookie ends with it
    db.commit()
    return redirect(url_for("tips.moderation", lang=_lang()), 303)


@bp.post("/moderate/<tip_id>")
def moderation_decide(tip_id: str) -> Any:
    """Move one tip on: under review, accepted with its record, or rejected with a reason."""
    lang = _lang()
    db = request_session(current_app)
    token = _moderator(db)
    if token is None:
        return render_template("moderate_login.html", problems=[]), 401
    if not csrf_ok():
        expired = gettext("The form expired; please try again.")
        abort(400, description=expired)
    wanted = requested_id(tip_id)
    try:
        if wanted is None:
            unknown = Problem(0, "id", "there is no such tip", "no_such_tip", {"id": tip_id[:40]})
            raise RecordError([unknown], status="not_found")
        moderate(
            db,
            wanted,
            status=request.form.get("status", ""),
            moderator_id=token.publisher_id,
            token_id=token.id,
            reason=request.form.get("reason"),
            linked_record_id=request.form.get("linked_record_id"),
        )
    except RecordError as exc:
        db.rollback()
        status = {"not_found": 404, "conflict": 409}.get(exc.status, 422)
        said = in_page_language([p.issue for p in exc.problems], form=True)
        problems = [f"{tip_id[:40]}: {s}" for s in said]
        return _queue_page(db, token, None, problems), status
    db.commit()
    return redirect(url_for("tips.moderation", lang=lang), 303)
