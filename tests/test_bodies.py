"""Request bodies (portal/bodies.py): each address reads at most its limit, a larger body is a
413 said in the reader's terms (problem+json on the API, a page in its language), and JSON
nested past any record's depth is a 400, not the parser's RecursionError (a 500 before).

The cut-off of bodies sent without a Content-Length is tested over real HTTP in
tests/deploy/test_body_limits_http.py."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import portal_like
from factories import basics, publishing_token
from portal.api.write import WRITABLE
from portal.bodies import size_text
from portal.jsondepth import MAX_DEPTH, too_deep

DEEP = b"[" * 100_000  # the RecursionError of issue 19
CLOSED_DEEP = b'{"changes": ' + b"[" * 40 + b"1" + b"]" * 40 + b"}"  # valid JSON, 41 deep


def test_depth_counts_brackets_outside_strings() -> None:
    assert not too_deep(b'{"readings": [{"value": 1}, {"value": 2}]}')
    assert not too_deep(json.dumps({"text": "[" * 1000}).encode())  # inside a string
    assert not too_deep(json.dumps({"text": '\\"[[[' * 100}).encode())  # escaped quotes
    assert not too_deep(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    assert too_deep(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert too_deep(DEEP) and too_deep(CLOSED_DEEP)
    # Two thousand readings side by side are many brackets but only three levels.
    readings = json.dumps({"readings": [{"v": [i]} for i in range(2000)]}).encode()
    assert not too_deep(readings)


def test_sizes_are_said_as_limits_are_written() -> None:
    assert [size_text(n) for n in (2 * 1024 * 1024, 512 * 1024, 1000)] == [
        "2 MiB",
        "512 KiB",
        "1,000 bytes",
    ]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    body: dict = response.get_json()
    return body


@pytest.mark.parametrize("body", [DEEP, CLOSED_DEEP], ids=["unclosed", "closed"])
def test_deep_json_is_a_400_on_ask_and_every_write(
    app: Flask, session: Session, body: bytes
) -> None:
    basics(session)
    auth = {"Authorization": f"Bearer {publishing_token(app, 'DEP-MEE')}"}
    client = app.test_client()
    asked = client.post("/api/v1/ask", data=body, content_type="application/json")
    assert "levels deep" in _problem(asked, 400)["detail"]
    for kind in WRITABLE:
        for method, path in (
            ("post", f"/api/v1/{kind}"),
            ("patch", f"/api/v1/{kind}/{kind[:3].upper()}-X1"),
            ("post", f"/api/v1/{kind}/{kind[:3].upper()}-X1/withdraw"),
        ):
            sent = getattr(client, method)(
                path, data=body, content_type="application/json", headers=auth
            )
            detail = _problem(sent, 400)["detail"]
            assert f"more than {MAX_DEPTH} levels deep" in detail, (method, path)


def test_the_api_refuses_bodies_over_its_limits(app: Flask, session: Session) -> None:
    basics(session)
    small = portal_like(app, MAX_BODY_BYTES=4096, MAX_QUESTION_BYTES=2048)
    auth = {"Authorization": f"Bearer {publishing_token(small, 'DEP-MEE')}"}
    client = small.test_client()
    padded = json.dumps({"id": "INC-2024-0001", "note": "x" * 5000}).encode()
    written = client.post(
        "/api/v1/incidents", data=padded, content_type="application/json", headers=auth
    )
    assert "The body is over 4 KiB" in _problem(written, 413)["detail"]
    question = json.dumps({"question": "镉?", "history": [{"role": "user", "content": "x" * 3000}]})
    asked = client.post("/api/v1/ask", data=question, content_type="application/json")
    assert "The body is over 2 KiB" in _problem(asked, 413)["detail"]


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "Shorten the text and send it again."), ("zh", "请缩短文字后重新提交")],
)
@pytest.mark.parametrize("path", ["/tips", "/ask", "/moderate/login", "/moderate/TIP-2026-X"])
def test_a_form_over_the_limit_is_a_413_page_in_the_page_language(
    client: FlaskClient, path: str, lang: str, says: str
) -> None:
    limit = client.application.config["MAX_FORM_BYTES"]
    response = client.post(f"{path}?lang={lang}", data={"text": "水" * (limit // 9 + 10)})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert says in response.get_data(as_text=True)


def test_a_multipart_form_with_too_many_fields_is_a_413(client: FlaskClient) -> None:
    # (A urlencoded form is bounded by its bytes alone: Werkzeug reads it in one piece.)
    parts = client.application.config["MAX_FORM_PARTS"]
    fields = {f"f{n}": "1" for n in range(parts + 1)}
    response = client.post("/tips?lang=en", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Shorten the text" in response.get_data(as_text=True)


def test_the_longest_tip_the_form_allows_still_fits(client: FlaskClient) -> None:
    page = client.get("/tips/new").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    textarea = re.search(r'<textarea[^>]* name="text"[^>]* maxlength="(\d+)"', page)
    assert textarea is not None
    maxlength = int(textarea.group(1))
    sent = client.post(
        "/tips?lang=en",
        data={
            "csrf": csrf.group(1),
            "kind": "pollution",
            "text": "镉" * maxlength,
            "place": "金" * 200,
            "contact": "reader@example.org",
        },
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)[:300]
