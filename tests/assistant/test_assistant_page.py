"""The /ask page: a conversation that works as a plain form without JavaScript, with sources
under each answer and a note on what the assistant can and cannot do, in Chinese and English."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

LONGJIANG = "Which enterprises were held responsible for the Longjiang cadmium spill?"


def _transcript(page: str) -> str:
    found = re.search(r'name="transcript" id="transcript" value="([^"]*)"', page)
    assert found is not None
    return html.unescape(found.group(1))


def test_the_page_explains_itself_in_both_languages(sample_client: FlaskClient) -> None:
    zh = sample_client.get("/ask?lang=zh").get_data(as_text=True)
    en = sample_client.get("/ask?lang=en").get_data(as_text=True)
    assert "助手能做什么" in zh and "它不能做什么" in zh
    assert "What the assistant does" in en and "What it cannot do" in en
    for page in (zh, en):
        assert '<form id="ask-form" class="ask" method="post"' in page
        assert 'maxlength="500"' in page
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
        assert scripts and all(s.startswith("/static/") for s in scripts)  # nothing from a CDN
    for asset in ("ask.js", "ask.css"):
        with sample_client.get(f"/static/{asset}") as response:
            assert response.status_code == 200
    prefilled = sample_client.get("/ask?lang=en&q=Longjiang").get_data(as_text=True)
    assert ">Longjiang</textarea>" in prefilled


def test_a_conversation_without_javascript(sample_client: FlaskClient) -> None:
    first = sample_client.post("/ask?lang=en", data={"question": LONGJIANG, "transcript": "[]"})
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "Sources (" in page and 'href="#turn-1-source-1"' in page
    assert 'id="turn-1-source-1"' in page and "/enterprises/ENT-GX-" in page
    follow = sample_client.post(
        "/ask?lang=en",
        data={"question": "When did the emergency response end?", "transcript": _transcript(page)},
    )
    page = follow.get_data(as_text=True)
    assert page.count('class="turn"') == 2 and LONGJIANG in page
    assert "23 February 2012" in page and "Read with the conversation as" in page


def test_the_form_says_what_is_wrong(sample_client: FlaskClient) -> None:
    empty = sample_client.post("/ask?lang=en", data={"question": "  ", "transcript": "[]"})
    assert empty.status_code == 400 and "Write a question first." in empty.get_data(as_text=True)
    long = sample_client.post("/ask?lang=zh", data={"question": "镉" * 10_000})
    assert long.status_code == 400 and "最多 500 个字" in long.get_data(as_text=True)
    broken = sample_client.post("/ask", data={"question": "你好", "transcript": "{not json"})
    assert broken.status_code == 200  # a spoilt conversation starts afresh


def test_text_is_escaped(sample_client: FlaskClient) -> None:
    page = sample_client.post(
        "/ask?lang=en", data={"question": "<script>alert(1)</script> Longjiang cadmium?"}
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_page_shares_the_question_budget(sample_app: Flask) -> None:
    sample_app.config["ASK_RATE_LIMIT"] = "1 per minute"
    client = sample_app.test_client()
    assert client.post("/ask", data={"question": "你好"}).status_code == 200
    limited = client.post("/ask?lang=en", data={"question": "你好"})
    assert limited.status_code == 429 and "Too many questions" in limited.get_data(as_text=True)
    assert client.post("/api/v1/ask", json={"question": "你好"}).status_code == 429
