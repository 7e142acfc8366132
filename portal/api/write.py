"""Publishing through the API: POST to publish, PATCH to correct, POST .../withdraw.

Every write names its publisher by token (Authorization: Bearer), is validated by the same
models and checks as an import, answers with the record at its new revision, and leaves one
entry in the audit log whatever its outcome. A refused write changes nothing but the log.
A POST with an Idempotency-Key is answered once: a retry gets the first answer again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_openapi3 import Tag
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portal import bodies, records
from portal.api.blueprint import bp, component, problem_response
from portal.api.listing import item_json
from portal.api.problems import error_of, problem
from portal.api.schemas import ITEMS, ProblemError, RecordPath
from portal.budget import client_address
from portal.conditional import base_url
from portal.db import request_session
from portal.jsondepth import MAX_DEPTH, too_deep
from portal.models.common import Reason, requested_id
from portal.records import KINDS, RecordError, get_record
from portal.records.checks import writer_of
from portal.records.tokens import (
    AuthError,
    Caller,
    audit,
    authenticate,
    check_change,
    check_publish,
    remember,
    remembered,
)

WRITABLE = ("departments", "enterprises", "incidents", "inspections", "disclosures", "responses")
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
TAG = Tag(
    name="publishing",
    description="Publishing, correcting and withdrawing records with a publisher's token. "
    "See docs/publishing.md.",
)
# A department credited outside the writer's bounds is a 403, not a 422: the same body from that
# department's token would be accepted, so what is refused is who sends it (as with a
# publisher_id that is not the token's own), not what it says.
_STATUS = {"invalid": 422, "forbidden": 403, "conflict": 409, "not_found": 404, "gone": 410}


class Withdrawal(BaseModel):
    """A withdrawal: why, and the revision it was decided on."""

    model_config = ConfigDict(extra="forbid")  # as _withdraw_view refuses any other field

    reason: Reason = Field(description="Why the record is withdrawn; shown publicly.")
    revision: int = Field(ge=1, description="The revision you read; 409 if it moved on since.")


def correction_body(kind: str) -> type[BaseModel]:
    """A kind's correction as the document states it: the reason, the revision, and the changes
    as an object of that kind's own fields, at least one (what records.correct accepts)."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in KINDS[kind].correction.model_fields.items()
        if name != "reason"
    }
    title = kind[:-1].capitalize()
    changes = create_model(
        f"{title}Changes",
        __config__=ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1}),
        __doc__=f"The fields of the {kind[:-1]} that change, with their new values.",
        **fields,
    )
    return create_model(
        f"{title}CorrectionRequest",
        __base__=Withdrawal,
        __doc__="A correction: the fields that change, why, and the revision they were made "
        "against.",
        reason=(Reason, Field(description="Why it is corrected; shown publicly in its history.")),
        changes=(changes, Field(description="The fields that change, with their new values.")),
    )


REFUSALS: dict[Any, Any] = {
    401: problem_response("Unauthorized: no token, or one that is unknown, expired or revoked."),
    403: problem_response(
        "Forbidden: the token may not write this kind or this record, or the record credits a "
        "department outside the token's publisher and the departments under it."
    ),
    404: problem_response("Not Found: no record has that id."),
    409: problem_response("Conflict: the id is taken, or the record moved past your revision."),
    410: problem_response("Gone: the record was withdrawn."),
    413: problem_response("Content Too Large: the body is over 2 MiB."),
    415: problem_response("Unsupported Media Type: send application/json."),
    422: problem_response("Unprocessable: each field that is wrong, in a sentence."),
}
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]


# -- the parts of every write -------------------------------------------------------------------
class Refused(Exception):
    """A write answered with a problem; nothing was written."""

    def __init__(
        self,
        status: int,
        message: str,
        problems: list[str] | None = None,
        *,
        code: str | None = None,
        errors: list[ProblemError] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []
        self.code, self.errors = code, errors or []


def _json_body() -> dict[str, Any]:
    # Read no further than the write API's limit (portal/bodies.py): a declared length over it
    # is refused unread, a body sent without one is cut off at the limit as it streams in.
    try:
        bodies.check_declared()
        if request.mimetype != "application/json":
            raise Refused(415, "Send the record as JSON with 'Content-Type: application/json'.")
        raw = bodies.read()
    except bodies.TooLarge as exc:
        raise Refused(
            413,
            f"The body is over {bodies.size_text(exc.limit)}; publish large sets with "
            "`portal import`.",
        ) from None
    if too_deep(raw):
        raise Refused(
            400,
            f"The body nests lists and objects more than {MAX_DEPTH} levels deep; a "
            "record nests at most four (docs/data-formats.md).",
        )
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "The body is not JSON; send one JSON object.") from None
    if not isinstance(body, dict):
        raise Refused(422, "The body must be one JSON object, not a list or a value.")
    return body


def _record_error(exc: RecordError) -> Refused:
    problems = [f"{p.field}: {p.message}" for p in exc.problems]
    errors = [error_of(p.issue, p.field) for p in exc.problems]
    status = _STATUS.get(exc.status, 422)
    lead = {
        422: "The record was not written: fix each field below and send it again.",
        403: "The record was not written: it speaks for a department this token does not "
        "(each field below).",
        409: "The record was not written: " + (problems[0] if problems else "conflict."),
        404: "There is no such record.",
        410: "The record was withdrawn and cannot change.",
    }[status]
    # A 422 is a record to fix field by field; the other refusals are named by their status.
    invalid = "invalid_record" if status == 422 else None
    return Refused(status, lead, problems, code=invalid, errors=errors)


def _answer(session: Session, record_id: str, status: int) -> tuple[dict[str, Any], str]:
    item = get_record(session, record_id)
    assert item is not None
    base = base_url()
    body: dict[str, Any] = json.loads(item_json(item, base))
    return body, f"{base}/api/v1/{item.kind}/{item.id}"


def _respond(body: dict[str, Any], status: int, location: str, replayed: bool = False) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status)
    response.mimetype = "application/json"
    response.headers["Location"] = location
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _write(
    action: str,
    kind: str,
    record_id: str | None,
    do: Callable[[Session, Caller, dict[str, Any]], tuple[str, int]],
) -> Response:
    """Authenticate, read the body, write, log; refusals roll back and are logged too."""
    session = request_session(current_app)
    caller: Caller | None = None
    client = client_address()
    try:
        caller = authenticate(session, request.headers.get("Authorization"))
        body = _json_body()
        key = request.headers.get("Idempotency-Key")
        fingerprint = ""
        if key is not None:
            if action != "publish":
                raise Refused(422, "Idempotency-Key is for publishing (POST); leave it out here.")
            if not KEY_RE.match(key):
                raise Refused(
                    422, "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID)."
                )
            fingerprint = hashlib.sha256(
                json.dumps([kind, body], sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest()
            earlier = remembered(session, caller.token_id, key)
            if earlier is not None:
                if earlier.request_hash != fingerprint:
                    raise Refused(
                        422,
                        "This Idempotency-Key was used for a different request; use a new key "
                        "for a new record.",
                    )
                session.commit()  # last_used_at
                return _respond(earlier.body, earlier.status, earlier.location or "", True)
        # Another request may take the same id, key or revision between our reads and our
        # writes: its row wins at our INSERT (inside the records layer) or at COMMIT.
        try:
            written_id, revision = do(session, caller, body)
            status = 201 if action == "publish" else 200
            answer, location = _answer(session, written_id, status)
            if key is not None:
                remember(session, caller.token_id, key, fingerprint, status, answer, location)
            audit(
                session,
                action=action,
                status=status,
                via="api",
                actor_id=caller.publisher_id,
                token_id=caller.token_id,
                record_id=written_id,
                revision=revision,
                client=client,
            )
            session.commit()
        except IntegrityError:
            session.rollback()
            return _after_race(session, caller, key, fingerprint, kind, record_id)
        return _respond(answer, status, location)
    except AuthError as exc:
        refusal = Refused(exc.status, exc.message)
    except RecordError as exc:
        refusal = _record_error(exc)
    except Refused as exc:
        refusal = exc
    session.rollback()
    audit(
        session,
        action=action,
        status=refusal.status,
        via="api",
        actor_id=caller.publisher_id if caller else None,
        token_id=caller.token_id if caller else None,
        record_id=record_id,
        detail=refusal.message,
        client=client,
    )
    session.commit()
    headers = {}
    if refusal.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="clearwater"'
    return problem(
        refusal.status,
        refusal.message,
        refusal.problems,
        code=refusal.code,
        errors=refusal.errors,
        headers=headers,
    )


def _after_race(
    session: Session,
    caller: Caller,
    key: str | None,
    fingerprint: str,
    kind: str,
    record_id: str | None,
) -> Response:
    """Another request committed the same id (or key) first: replay its answer if it was this
    very request, else say the id is taken."""
    if key is not None:
        earlier = remembered(session, caller.token_id, key)
        if earlier is not None and earlier.request_hash == fingerprint:
            return _respond(earlier.body, earlier.status, earlier.location or "", True)
    return problem(409, f"Another request wrote this {kind[:-1]} first; read it and try again.")


# -- the three writes ---------------------------------------------------------------------------
def _publish_view(kind: str) -> Callable[[], Response]:
    def do(session: Session, caller: Caller, body: dict[str, Any]) -> tuple[str, int]:
        check_publish(caller, kind, body)
        data = {**body, "publisher_id": body.get("publisher_id") or caller.publisher_id}
        written = records.publish(
            session,
            KINDS[kind],
            data,
            author_id=caller.publisher_id,
            token_id=caller.token_id,
            writer=writer_of(session, caller.publisher_id),
        )
        return written, 1

    def view() -> Response:
        return _write("publish", kind, None, do)

    view.__name__ = f"publish_{kind[:-1]}"
    return view


def _owned(session: Session, caller: Caller, kind: str, record_id: str) -> Any:
    wanted = requested_id(record_id)  # ids are ASCII: "ınc-…" is no other name of INC-…
    item = get_record(session, wanted) if wanted else None
    if item is None or item.kind != kind:
        raise Refused(404, f"There is no record {record_id[:60]} among the {kind}.")
    check_change(caller, kind, item.publisher_id, item.id)
    return item


def _revision(body: dict[str, Any]) -> int:
    revision = body.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        raise Refused(
            422,
            "Give 'revision': the revision number you read (it is in the record's JSON), so "
            "that a change made meanwhile is not overwritten.",
        )
    return revision


def _reason(body: dict[str, Any]) -> str:
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise Refused(422, "Give 'reason': why the record changes. It is shown publicly.")
    return reason


def _correct_view(kind: str) -> Callable[..., Response]:
    def view(path: RecordPath) -> Response:
        record_id = path.record_id[:60]

        def do(session: Session, caller: Caller, body: dict[str, Any]) -> tuple[str, int]:
            item = _owned(session, caller, kind, record_id)
            unknown = sorted(set(body) - {"reason", "revision", "changes"})
            if unknown:
                raise Refused(
                    422,
                    f"Unknown field(s) {', '.join(u[:40] for u in unknown)}: a correction is "
                    "{'reason', 'revision', 'changes': {...}}.",
                )
            changes = body.get("changes")
            if not isinstance(changes, dict) or not changes:
                raise Refused(422, "Give 'changes': an object of the fields to change.")
            revision = records.correct(
                session,
                item.id,
                changes,
                reason=_reason(body),
                author_id=caller.publisher_id,
                expected_revision=_revision(body),
                token_id=caller.token_id,
                writer=writer_of(session, caller.publisher_id),
            )
            return item.id, revision

        return _write("correct", kind, record_id, do)

    view.__name__ = f"correct_{kind[:-1]}"
    return view


def _withdraw_view(kind: str) -> Callable[..., Response]:
    def view(path: RecordPath) -> Response:
        record_id = path.record_id[:60]

        def do(session: Session, caller: Caller, body: dict[str, Any]) -> tuple[str, int]:
            item = _owned(session, caller, kind, record_id)
            unknown = sorted(set(body) - {"reason", "revision"})
            if unknown:
                raise Refused(
                    422,
                    f"Unknown field(s) {', '.join(u[:40] for u in unknown)}: a withdrawal is "
                    "{'reason', 'revision'}.",
                )
            revision = records.withdraw(
                session,
                item.id,
                reason=_reason(body),
                author_id=caller.publisher_id,
                expected_revision=_revision(body),
                token_id=caller.token_id,
            )
            return item.id, revision

        return _write("withdraw", kind, record_id, do)

    view.__name__ = f"withdraw_{kind[:-1]}"
    return view


WITHDRAWAL = component(Withdrawal)

for _kind in WRITABLE:
    _create = KINDS[_kind].create
    bp.post(
        f"/{_kind}",
        tags=[TAG],
        summary=f"Publish one of the {_kind}",
        description=f"Publish a new record as the token's publisher (`publisher_id` may be left "
        f"out). The body is the same as one {_kind[:-1]} of an import file (docs/data-formats.md). "
        "Send an `Idempotency-Key` header to make retries safe: the same key and body answer "
        "the first answer again (`Idempotent-Replayed: true`).",
        responses={201: ITEMS[_kind], **REFUSALS},
        security=SECURITY,
        openapi_extensions={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": component(_create)}},
            }
        },
    )(_publish_view(_kind))
    bp.patch(
        f"/{_kind}/<record_id>",
        tags=[TAG],
        summary=f"Correct one of the {_kind}",
        description="Change fields of your own record. The reason is public and the old values "
        "stay in its history. Send the revision you read: a record that moved on answers 409.",
        responses={200: ITEMS[_kind], **REFUSALS},
        security=SECURITY,
        openapi_extensions={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": component(correction_body(_kind))}},
            }
        },
    )(_correct_view(_kind))
    bp.post(
        f"/{_kind}/<record_id>/withdraw",
        tags=[TAG],
        summary=f"Withdraw one of the {_kind}",
        description="Withdraw your own record: it leaves listings and search, and its page and "
        "feed entry say who withdrew it, when and why.",
        responses={200: ITEMS[_kind], **REFUSALS},
        security=SECURITY,
        openapi_extensions={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": WITHDRAWAL}},
            }
        },
    )(_withdraw_view(_kind))
