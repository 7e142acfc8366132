"""Citizens' tips on the web: the public form, each tip's tracking page, and the moderation
page that departments and the association reach by signing in with their token.

Forms carry a CSRF token tied to the visitor's signed session cookie; the public form has a
field hidden from people (a trap for programs that fill every field) and a per-address budget.
A tip's contact is kept for moderators and never shown on a public page.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
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
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from werkzeug.wrappers import Response

from portal.budget import spend
from portal.db import request_session
from portal.models.common import ID_RE
from portal.models.tip import TipKind, TipStatus
from portal.models.token import Scope, Token
from portal.models.vocab import provinces
from portal.records import RecordError, get_record
from portal.records.tips import file_tip, moderate, tip_public, tips_to_moderate
from portal.records.tokens import AuthError, authenticate
from portal.web.i18n import current_lang, t

bp = Blueprint("tips", __name__)
TIP_LIMIT = "5 per hour"  # tips one address may file
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
def _form_page(values: dict[str, str], problems: list[str], status: int = 200) -> Any:
    about = values.get("about_id") or ""
    subject = None
    if about and ID_RE.match(about.upper()):
        subject = get_record(request_session(current_app), about.upper())
    return (
        render_template(
            "tip_new.html",
            values=values,
            problems=problems,
            subject=subject,
            tip_kinds=[k.value for k in TipKind],
            provinces=provinces(),
            trap=TRAP,
        ),
        status,
    )


@bp.get("/tips/new")
def new_tip() -> Any:
    """The form to report a suspected pollution event or an error in a record."""
    about = (request.args.get("about") or "")[:60]
    kind = "record_error" if about else "pollution"
    return _form_page({"about_id": about, "kind": request.args.get("kind", kind)}, [])


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
            [
                t(
                    "表单已过期或不是从本站提交的。请再提交一次。",
                    "The form expired or was not sent from this site. Please send it again.",
                    lang,
                )
            ],
            400,
        )
    if request.form.get(TRAP):
        return _form_page(
            values,
            [t("无法接收此提交。", "This submission cannot be accepted.", lang)],
            400,
        )
    limit = str(current_app.config.get("TIP_RATE_LIMIT", TIP_LIMIT))
    wait = spend(current_app, "tips", limit, get_remote_address())
    if wait is not None:
        page, _ = _form_page(
            values,
            [
                t(
                    f"此地址提交的线索过多，请 {wait // 60 + 1} 分钟后再试。",
                    f"Too many tips from your address; try again in {wait // 60 + 1} minutes.",
                    lang,
                )
            ],
        )
        return page, 429, {"Retry-After": str(wait)}
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    if "about_id" in data:
        data["about_id"] = data["about_id"].upper()
    db = request_session(current_app)
    try:
        tip_id = file_tip(db, data, client=get_remote_address())
    except RecordError as exc:
        db.rollback()
        problems = [f"{_field_name(p.field, lang)}: {p.message}" for p in exc.problems]
        return _form_page(values, problems, 422)
    db.commit()
    return redirect(url_for("tips.tip_page", tip_id=tip_id, lang=lang, new=1), 303)


def _field_name(field: str, lang: str) -> str:
    names = {
        "kind": ("类型", "Kind"),
        "about_id": ("记录编号", "Record id"),
        "text": ("内容", "What you saw"),
        "place": ("地点", "Place"),
        "province": ("省份", "Province"),
        "contact": ("联系方式", "Contact"),
    }
    pair = names.get(field.split(".")[0])
    return t(*pair, lang) if pair else field


@bp.get("/tips/<tip_id>")
def tip_page(tip_id: str) -> Any:
    """A tip's public tracking page: its status and what became of it; never the contact."""
    found = None
    if len(tip_id) <= 40 and ID_RE.match(tip_id.upper()):
        found = tip_public(request_session(current_app), tip_id.upper())
    if found is None:
        abort(404, description=t("没有这条线索。", "There is no such tip.", _lang()))
    return render_template("tip.html", tip=found, new=request.args.get("new") == "1")


# -- moderation -------------------------------------------------------------------------------
def _moderator(db: Session) -> Token | None:
    """The signed-in moderator's token, if it still may moderate (revocation ends a sign-in)."""
    token_id = session.get("moderator")
    if not isinstance(token_id, int):
        return None
    token = db.get(Token, token_id)
    now = datetime.now(UTC)
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or Scope.tips not in token.scopes
    ):
        session.pop("moderator", None)
        return None
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
    return render_template(
        "moderate.html",
        tips=tips_to_moderate(db, status),
        moderator=token,
        status=status,
        statuses=[s.value for s in TipStatus],
    )


@bp.post("/moderate/login")
def moderation_login() -> Any:
    """Sign in with a token that holds the tips scope."""
    lang = _lang()
    if not csrf_ok():
        problems = [t("表单已过期，请重试。", "The form expired; please try again.", lang)]
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
            t(
                "此令牌没有审核线索的权限。",
                "This token may not moderate tips; ask your operator for the tips scope.",
                lang,
            )
        ]
        return render_template("moderate_login.html", problems=problems), 403
    db.commit()
    session.clear()
    session["moderator"] = caller.token_id
    session["csrf"] = secrets.token_urlsafe(16)
    return redirect(url_for("tips.moderation", lang=lang), 303)


@bp.post("/moderate/logout")
def moderation_logout() -> Response:
    """Sign out."""
    session.pop("moderator", None)
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
        expired = t("表单已过期，请重试。", "The form expired; please try again.", lang)
        abort(400, description=expired)
    try:
        moderate(
            db,
            tip_id.upper()[:40],
            status=request.form.get("status", ""),
            moderator_id=token.publisher_id,
            token_id=token.id,
            reason=request.form.get("reason"),
            linked_record_id=request.form.get("linked_record_id"),
        )
    except RecordError as exc:
        db.rollback()
        status = {"not_found": 404, "conflict": 409}.get(exc.status, 422)
        return (
            render_template(
                "moderate.html",
                tips=tips_to_moderate(db),
                moderator=token,
                status=None,
                statuses=[s.value for s in TipStatus],
                problems=[f"{tip_id}: {p.message}" for p in exc.problems],
            ),
            status,
        )
    db.commit()
    return redirect(url_for("tips.moderation", lang=lang), 303)
