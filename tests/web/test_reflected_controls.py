"""What a visitor typed comes back on the page without control characters (issue 21).

Every C0 and C1 control, NUL, the noncharacters U+FFFE and U+FFFF, and percent-escapes of bytes
that are not UTF-8 (a URL cannot carry a lone surrogate, but it can carry \\xed\\xa0\\x80) are
sent to each page that echoes a query value: /search and /ask (in `<title>`, the search box and
the question's `<textarea>`), a question /ask refuses, /tips/new?about=, a record id in a 404
sentence, and a parameter's name in a 400 sentence. The answer is a page (200 or 4xx, never a
5xx) holding no control character anywhere; /search and /ask show the words as typed, minus the
controls."""

from __future__ import annotations

import re
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from conftest import fuzz_settings

# What HTML cannot show: C0 controls but tab, newline, carriage return (HTML's own spaces), DEL,
# the C1 controls, the noncharacters U+FFFE and U+FFFF, and lone surrogates.
SHOWN_NEVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + ["\ufffe", "\uffff"]
READABLE = ["镉", "龙江", "cadmium", "Hechi", "a", " ", "<b>", "&", '"', "'", "é", "𠀀"]
# Byte sequences that are not UTF-8: a lone surrogate as UTF-8 would write it, an overlong NUL,
# a sequence cut short, a stray continuation byte, bytes UTF-8 never uses, GBK.
NOT_UTF8 = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"\xe9\x95", b"\x80", b"\xff\xfe"]
NOT_UTF8 += ["镉污染".encode("gbk")]
PIECE = st.one_of(
    st.sampled_from(CONTROLS).map(lambda c: c.encode("utf-8")),
    st.sampled_from(READABLE).map(str.encode),
    st.sampled_from(NOT_UTF8),
)
TYPED = st.lists(PIECE, min_size=1, max_size=12).map(b"".join)
FUZZ = fuzz_settings(40)


def _escaped(raw: bytes) -> str:
    return quote_from_bytes(raw, safe="")


def _as_read(raw: bytes) -> str:
    """The words as Flask reads them from the address (werkzeug keeps a sequence that is not
    UTF-8 as its percent-escapes)."""
    return Request.from_values(query_string=f"q={_escaped(raw)}").args["q"]


def _clean(response: object, what: str) -> str:
    status = response.status_code  # type: ignore[attr-defined]
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert status < 500, (what, status, html[:300])
    assert response.mimetype == "text/html", what  # type: ignore[attr-defined]
    found = SHOWN_NEVER.search(html)
    assert found is None, (what, status, hex(ord(found.group())), html[: found.start()][-120:])
    return html


def _shown(typed: str) -> str:
    """The words as the page writes them: controls gone, escaped as Jinja escapes."""
    return str(escape(SHOWN_NEVER.sub("", typed)))


@pytest.fixture
def open_client(sample_app: Flask) -> FlaskClient:
    sample_app.config["ASK_RATE_LIMIT"] = "1000000 per minute"
    return sample_app.test_client()


def test_search_page_shows_the_words_without_controls(open_client: FlaskClient) -> None:
    @given(raw=TYPED)
    @FUZZ
    def run(raw: bytes) -> None:
        html = _clean(open_client.get(f"/search?q={_escaped(raw)}&lang=en"), "search")
        words = _shown(_as_read(raw)).strip()
        if words:
            assert f'value="{words}"' in html  # the search box
            assert f"· \u2068{words}\u2069" in html.split("</title>")[0]  # the title, isolated

    run()


def test_ask_page_shows_the_question_without_controls(open_client: FlaskClient) -> None:
    @given(raw=TYPED)
    @FUZZ
    def run(raw: bytes) -> None:
        html = _clean(open_client.get(f"/ask?q={_escaped(raw)}"), "ask")
        textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, flags=re.S)
        assert textarea is not None
        assert textarea.group(1).strip() == _shown(_as_read(raw)).strip()

    run()


def test_a_refused_question_comes_back_without_controls(open_client: FlaskClient) -> None:
    """Only controls and spaces: refused as empty, and the form shows it again."""

    @given(raw=st.lists(st.sampled_from([*CONTROLS, " "]), min_size=1, max_size=8).map("".join))
    @FUZZ
    def run(raw: str) -> None:
        response = open_client.post("/ask", data={"question": raw, "transcript": "[]"})
        assert response.status_code == 400
        _clean(response, "ask refused")

    run()


@pytest.mark.parametrize(
    "address",
    [
        "/tips/new?about={}",
        "/incidents/INC-{}",
        "/incidents/INC-{}/history",
        "/search?{}=1",
        "/incidents?{}=1",
        "/obligations?{}=1",
    ],
)
def test_other_echoes_hold_no_controls(open_client: FlaskClient, address: str) -> None:
    @given(raw=TYPED)
    @FUZZ
    def run(raw: bytes) -> None:
        _clean(open_client.get(address.format(_escaped(raw))), address)

    run()
