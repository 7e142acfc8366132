"""The /ask page: a conversation with the assistant that works as a plain form without
JavaScript (each question is a POST that renders the whole conversation again), and that
static/ask.js turns into an in-place chat over POST /api/v1/ask.

The conversation lives in the page, in a hidden field, not on the server: nothing to store,
nothing to expire, and a form that changes nothing on the server needs no CSRF token (a forged
post could only show its sender an answer; see docs/decisions/0007-assistant.md).

This is the one Flask module of the assistant: the HTML blueprint of the house (portal/web) is
owned elsewhere, so the page's routes live beside the domain code they call.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, current_app, render_template, request

from portal.assistant.answer import Answer
from portal.assistant.inputs import MAX_QUESTION, BadQuestion, Turn
from portal.assistant.inputs import check as check_request
from portal.assistant.service import assistant_of, limit_text, spend
from portal.budget import client_address
from portal.search import IndexUnavailable

bp = Blueprint("ask", __name__)
KEEP_EXCHANGES = 6  # earlier exchanges kept in the page (and sent back as history)
MARKER = re.compile(r"\[(\d{1,3})\]")


def segments(text: str) -> list[list[tuple[str, int | None]]]:
    """An answer as paragraphs of (text, citation number) pieces, for linking the markers."""
    out = []
    for line in text.splitlines():
        pieces: list[tuple[str, int | None]] = []
        last = 0
        for match in MARKER.finditer(line):
            pieces.append((line[last : match.start()], None))
            pieces.append((match.group(), int(match.group(1))))
            last = match.end()
        pieces.append((line[last:], None))
        out.append([p for p in pieces if p[0]])
    return out


@bp.app_template_filter("answer_segments")
def answer_segments(text: str) -> list[list[tuple[str, int | None]]]:
    """Jinja filter: an answer's paragraphs with their [n] markers apart."""
    return segments(text)


def _transcript(raw: str | None) -> list[dict[str, Any]]:
    """The conversation the page carried, as far as it can be read (a bad one starts afresh)."""
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    kept = []
    for item in data[-KEEP_EXCHANGES:]:
        try:
            answer = Answer.model_validate(item["answer"])
            kept.append({"question": str(item["question"])[:MAX_QUESTION], "answer": answer})
        except (KeyError, TypeError, ValueError):
            continue
    return kept


def _history(transcript: list[dict[str, Any]]) -> list[Turn]:
    turns = []
    for exchange in transcript:
        turns.append(Turn(role="user", content=exchange["question"][:4000]))
        turns.append(Turn(role="assistant", content=exchange["answer"].answer[:4000]))
    return turns


def _render(transcript: list[dict[str, Any]], status: int = 200, **extra: Any) -> Any:
    headers = extra.pop("headers", {})
    stored = [
        {"question": e["question"], "answer": e["answer"].model_dump(mode="json")}
        for e in transcript
    ]
    page = render_template(
        "ask.html",
        transcript=transcript,
        stored=json.dumps(stored, ensure_ascii=False),
        max_question=MAX_QUESTION,
        mode=assistant_of(current_app).mode,
        limit=limit_text(current_app),
        **extra,
    )
    return page, status, headers


@bp.get("/ask")
def page() -> Any:
    """The chat page (a link may carry a question to start with: /ask?q=...)."""
    return _render([], question=(request.args.get("q") or "")[:MAX_QUESTION])


@bp.post("/ask")
def ask() -> Any:
    """Answer the form's question and show the whole conversation again."""
    transcript = _transcript(request.form.get("transcript"))
    question = request.form.get("question", "")
    try:
        asked = check_request({"question": question})
    except BadQuestion:
        error = "empty" if not question.strip() else "long"
        return _render(transcript, 400, error=error, question=question[:MAX_QUESTION])
    retry = spend(current_app, client_address())
    if retry is not None:
        return _render(
            transcript,
            429,
            error="limited",
            retry=retry,
            question=asked.question,
            headers={"Retry-After": str(retry)},
        )
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    try:
        answer = assistant_of(current_app).ask(asked.question, _history(transcript), base=base)
    except IndexUnavailable:
        return _render(transcript, 503, error="unavailable", question=asked.question)
    transcript = [*transcript, {"question": asked.question, "answer": answer}][-KEEP_EXCHANGES:]
    return _render(transcript)
