"""The patterns the API document states for text say exactly what the validators accept, so a
fuzzer reading the document neither sends text it calls valid that is refused, nor text it
calls invalid that is taken (issue 19)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from conftest import fuzz_settings
from portal.assistant.text import normalise
from portal.models.common import (
    INVISIBLE,
    NO_CONTROL_PATTERN,
    READABLE_PATTERN,
    TEXT_PATTERN,
    Body,
)

# Every character a client can send (surrogates are not characters of UTF-8 text).
EVERY = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
BODY: TypeAdapter[str] = TypeAdapter(Body)
# Characters around the edges of each rule, for generated strings to be made of.
EDGES = st.sampled_from(
    list("\t\n\r a镉\x00\x07\x0b\x1c\x7f\x85\x9f\xa0\u1680\u2000\u200b\u3000\ufeff\ufffe")
)


def _body_accepts(text: str) -> bool:
    try:
        BODY.validate_python(text)
    except ValidationError:
        return False
    return True


def test_no_control_pattern_refuses_exactly_the_invisible_characters() -> None:
    allowed = re.compile(NO_CONTROL_PATTERN)
    refused = [c for c in EVERY if not allowed.search(c)]
    assert refused == [c for c in EVERY if INVISIBLE.search(c)]


def test_text_pattern_is_what_a_text_field_accepts_one_character_at_a_time() -> None:
    pattern = re.compile(TEXT_PATTERN)
    for c in EVERY[:0x10000]:  # the rules name no character past the first plane
        assert bool(pattern.search(c)) == _body_accepts(c), f"U+{ord(c):04X}"
        assert bool(pattern.search(f" {c}x")) == _body_accepts(f" {c}x"), f"U+{ord(c):04X}"


@given(st.text(EDGES, max_size=8) | st.text(max_size=8))
@fuzz_settings(300)
def test_text_pattern_is_what_a_text_field_accepts(text: str) -> None:
    assert bool(re.search(TEXT_PATTERN, text)) == _body_accepts(text)


@given(st.text(EDGES, max_size=8) | st.text(max_size=8))
@fuzz_settings(300)
def test_readable_pattern_is_a_question_with_something_to_read(text: str) -> None:
    assert bool(re.search(READABLE_PATTERN, text)) == bool(normalise(text))
