"""The assistant as JSON: POST /api/v1/ask with a question (and the conversation so far), and
GET /api/v1/ask?q= for a single question (a link, or a client that cannot POST)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from flask_openapi3 import Tag

from portal import bodies
from portal.api.blueprint import bp, component, problem_response
from portal.api.http import base_url, json_response, query_string_problem
from portal.api.problems import problem
from portal.assistant import MAX_QUESTION, Answer, AskRequest, BadQuestion, check_request
from portal.assistant.service import assistant_of, limit_text, spend
from portal.budget import client_address
from portal.jsondepth import MAX_DEPTH, too_deep
from portal.models.common import TEXT_PATTERN, with_pattern
from portal.search import IndexUnavailable

TAG = Tag(
    name="assistant",
    description="Questions in plain Chinese or English, answered only from the records, with "
    "every statement cited; a refusal when the records hold nothing on it.",
)
EXAMPLE = "Which enterprises were held responsible for the Longjiang cadmium spill?"
DESCRIPTION = (
    "Answers from Clearwater's records only. Offline (the default) the answer quotes the "
    "records' own sentences; with PORTAL_LLM_BASE_URL a language model writes it from "
    "numbered sources. Either way every statement carries a [n] marker that points at a "
    "citation (the record and the words quoted), citations that name no record are removed, "
    "and an answer left without one is a refusal (`grounded` false, `refusal` says why). "
    "Counting questions are counted by the database, with the listing that reproduces the "
    "count. Questions are limited per client (429 with Retry-After)."
)


REQUEST_BODY = {
    "required": True,
    "description": "The question, and the earlier turns when it follows up on them.",
    "content": {
        "application/json": {
            "schema": component(AskRequest),
            "example": {"question": EXAMPLE, "history": []},
        }
    },
}
RESPONSES: dict[Any, Any] = {
    200: Answer,
    413: problem_response(
        "Content Too Large: the body is over 512 KiB (PORTAL_MAX_QUESTION_BYTES)."
    ),
    503: problem_response("The search index is being rebuilt; retry shortly."),
}


def _answer(question: str, history: list[Any]) -> Response:
    retry = spend(current_app, client_address())
    if retry is not None:
        return problem(
            429,
            f"Too many questions from your address: wait {retry} seconds, then ask again.",
            [f"The assistant answers {limit_text(current_app)} per address."],
            headers={"Retry-After": str(retry)},
        )
    base = base_url()
    try:
        answer = assistant_of(current_app).ask(question, history, base=base)
    except IndexUnavailable as exc:
        return problem(
            503,
            f"The assistant cannot search just now: {exc}. Ask again in a minute.",
            headers={"Retry-After": "30"},
        )
    return json_response(answer.model_dump(mode="json"))


def _body() -> Any:
    """The request body as JSON, or a problem response saying what is wrong with it."""
    try:
        raw = bodies.read()  # no further than PORTAL_MAX_QUESTION_BYTES (portal/bodies.py)
    except bodies.TooLarge as exc:
        return problem(413, f"The body is over {bodies.size_text(exc.limit)}; send one question.")
    hint = (
        'Send JSON such as {"question": "...", "history": []} with Content-Type: application/json.'
    )
    if not raw.strip():
        return problem(400, f"The body is empty. {hint}")
    if too_deep(raw):
        return problem(
            400,
            f"The body nests lists and objects more than {MAX_DEPTH} levels deep. {hint}",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, f"The body is not UTF-8 text (is it binary?). {hint}")
    try:
        return json.loads(text)
    except ValueError as exc:
        return problem(400, f"The body is not valid JSON ({exc}). {hint}")


@bp.post(
    "/ask",
    tags=[TAG],
    summary="Ask the assistant",
    description=DESCRIPTION,
    responses=RESPONSES,
    openapi_extensions={"requestBody": REQUEST_BODY},
)
def ask() -> Response:
    """POST /api/v1/ask."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    payload = _body()
    if isinstance(payload, Response):
        return payload
    try:
        asked = check_request(payload)
    except BadQuestion as exc:
        return problem(400, exc.problems[0], exc.problems)
    return _answer(asked.question, asked.history)


@bp.get(
    "/ask",
    tags=[TAG],
    summary="Ask the assistant one question",
    description="The same answer as POST /api/v1/ask for a question without history.",
    responses=RESPONSES,
    openapi_extensions={
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "required": True,
                # Something to read, and no control character (query_string_problem).
                "schema": with_pattern(
                    {"type": "string", "minLength": 1, "maxLength": MAX_QUESTION}, TEXT_PATTERN
                ),
                "description": "The question, in Chinese or English.",
                "example": EXAMPLE,
            }
        ]
    },
)
def ask_one() -> Response:
    """GET /api/v1/ask?q=."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    unknown = sorted({name[:40] for name in request.args if name != "q"})
    if unknown:
        return problem(400, f"Unknown parameter {', '.join(unknown[:5])}; this address takes q.")
    if not (request.args.get("q") or "").strip():
        return problem(400, "Give the question as q: /api/v1/ask?q=What+happened+on+the+Longjiang")
    try:
        asked = check_request({"question": request.args["q"]})
    except BadQuestion as exc:
        return problem(400, exc.problems[0], exc.problems)
    return _answer(asked.question, asked.history)
