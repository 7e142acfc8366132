"""Hypothesis-generated queries and questions against search and the assistant.

Whatever a visitor types (any unicode, astral characters, control characters, NUL, bytes
that are not UTF-8, lone surrogates, query syntax, unbalanced quotes and brackets, very long
text), the portal answers with no 5xx: the JSON result or a problem+json with a sentence, and
an HTML page for /search. The runs are derandomized, so a failure repeats.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_from_bytes

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage

from conftest import fuzz_settings

EXAMPLES = 25
SYNTAX = [
    "title:",
    "title:(",
    "id:",
    "kind:incidents",
    "(",
    ")",
    "*:*",
    "*",
    "?",
    "AND",
    "OR",
    "NOT",
    "-",
    "+",
    '"',
    "'",
    "~",
    "~2",
    "^3",
    "[",
    "]",
    "{",
    "}",
    "[a TO z]",
    "{* TO *}",
    "\\",
    ":",
    "/",
    "&&",
    "||",
    "!",
    "镉",
    "龙江",
    "cadmium",
    "Hechi",
    "河池 镉 -砷",
    "\x00",
    "\u200b",
    "\ufeff",
    "𠀀",
    "🐟",
    "\U0010ffff",
    "%",
    "%00",
    "<mark>",
    "</mark>",
]
# Text of every kind: any code point Python can encode, astral ones, controls, NUL.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=80)
SYNTAX_TEXT = st.lists(st.sampled_from(SYNTAX) | ANY_TEXT, max_size=12).map(
    lambda parts: " ".join(parts)
)
HUGE = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(["镉", "a", "(", '"', "title:", "𠀀 "]),
    st.integers(500, 6000),
)
QUERY_TEXT = st.one_of(ANY_TEXT, SYNTAX_TEXT, HUGE)
# Raw bytes in the query string: what the HTTP layer carries that Python strings cannot (GBK,
# lone surrogates in CESU-8 form, overlong forms, truncated sequences).
RAW = st.one_of(
    st.binary(max_size=60),
    st.sampled_from(
        [
            b"\xed\xa0\x80",  # a lone high surrogate, as UTF-8 would write it
            b"\xed\xbf\xbf",
            "镉污染".encode("gbk"),
            b"\xc0\x80",  # overlong NUL
            b"\xe9\x95",  # cut short
            "龙江".encode("utf-16"),
        ]
    ),
)
FUZZ = fuzz_settings(EXAMPLES)


def _unlimited(app: Flask) -> Flask:
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    app.config["ASK_RATE_LIMIT"] = "1000000 per minute"
    return app


def _well_formed_json(response: Any, ok_keys: set[str]) -> dict[str, Any]:
    """A JSON result with its keys, or a problem+json with a sentence; never a 5xx."""
    text = response.get_data(as_text=True)
    assert response.status_code < 500, text[:500]
    if response.status_code == 200:
        assert response.mimetype == "application/json", response.mimetype
        body = json.loads(text)
        assert ok_keys <= set(body), sorted(body)
        return body
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json", (response.status_code, text[:300])
    body = json.loads(text)
    assert body["status"] == response.status_code
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    return body


def _query_string(fields: list[tuple[str, bytes]]) -> str:
    return "&".join(f"{name}={quote_from_bytes(value, safe='')}" for name, value in fields)


def test_search_api_answers_every_query(sample_app: Flask) -> None:
    client = _unlimited(sample_app).test_client()
    statuses: set[int] = set()

    @given(
        q=st.one_of(QUERY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")), RAW),
        extra=st.lists(
            st.tuples(
                st.sampled_from(["kind", "lang", "page", "limit", "province", "pollutant", "q"]),
                st.one_of(QUERY_TEXT.map(str.encode), RAW),
            ),
            max_size=2,
        ),
    )
    @FUZZ
    def run(q: bytes, extra: list[tuple[str, bytes]]) -> None:
        response = client.get(f"/api/v1/search?{_query_string([('q', q), *extra])}")
        statuses.add(response.status_code)
        body = _well_formed_json(response, {"items", "total", "facets"})
        if response.status_code == 200:
            assert isinstance(body["total"], int) and isinstance(body["items"], list)

    run()
    assert 200 in statuses  # the fuzzing reached the index, not only the validation


def test_search_page_answers_every_query(sample_app: Flask) -> None:
    client = _unlimited(sample_app).test_client()

    @given(q=st.one_of(QUERY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")), RAW))
    @FUZZ
    def run(q: bytes) -> None:
        response = client.get(f"/search?{_query_string([('q', q)])}")
        text = response.get_data(as_text=True)
        assert response.status_code < 500, text[:500]
        assert response.mimetype == "text/html"
        assert "<html" in text and "</html>" in text

    run()


class EchoModel(FakeListChatModel):
    """A language model that answers with whatever the test hands it: markers to no source,
    control characters, huge text."""

    reply: str = ""

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        return self.reply


ASK_KEYS = {"answer", "citations", "grounded", "mode"}
TURN = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "system", "", "x" * 300]), "content": ANY_TEXT}
)


def test_ask_answers_every_question(sample_app: Flask) -> None:
    """Questions and histories of any text, as JSON (lone surrogates escaped as \\ud800, which
    JSON allows) or as raw bytes; and a language model answering anything."""
    app = _unlimited(sample_app)
    model = EchoModel(responses=["unused"])
    app.config["ASSISTANT_CHAT_MODEL"] = model
    client = app.test_client()
    statuses: set[int] = set()

    @given(
        question=st.one_of(
            QUERY_TEXT,
            st.text(st.characters(), max_size=40),  # lone surrogates included
            st.sampled_from(["镉", "Which enterprises polluted the Longjiang?", "龙江镉污染"]),
            st.integers(-5, 10**20),
            st.none(),
            st.lists(st.text(max_size=5), max_size=3),
        ),
        history=st.one_of(
            st.lists(TURN, max_size=4),
            st.lists(st.one_of(st.text(max_size=5), st.integers(), st.none()), max_size=3),
            st.text(max_size=10),
        ),
        reply=st.one_of(
            st.sampled_from(["Jinhe [1].", "[0]", "[999999999999]", "NO_ANSWER", "[1][1][1]"]),
            ANY_TEXT.map(lambda s: s + " [1]"),
        ),
        raw=st.one_of(st.none(), RAW),
    )
    @FUZZ
    def run(question: Any, history: Any, reply: str, raw: bytes | None) -> None:
        model.reply = reply
        if raw is not None:
            response = client.post(
                "/api/v1/ask", data=raw, headers={"Content-Type": "application/json"}
            )
        else:
            body = json.dumps({"question": question, "history": history})  # \ud800 escapes
            response = client.post(
                "/api/v1/ask", data=body, headers={"Content-Type": "application/json"}
            )
        statuses.add(response.status_code)
        answer = _well_formed_json(response, ASK_KEYS)
        if response.status_code == 200:
            assert isinstance(answer["answer"], str) and isinstance(answer["citations"], list)
            for citation in answer["citations"]:
                assert {"id", "url", "passage"} <= set(citation)

    run()
    assert 200 in statuses and statuses - {200}  # answers and refusals were both reached


def test_ask_page_answers_every_question(sample_app: Flask) -> None:
    client = _unlimited(sample_app).test_client()

    @given(q=st.one_of(QUERY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")), RAW))
    @FUZZ
    def run(q: bytes) -> None:
        response = client.get(f"/ask?{_query_string([('q', q)])}")
        text = response.get_data(as_text=True)
        assert response.status_code < 500, text[:500]
        assert response.mimetype == "text/html"

    run()
