"""What is wrong with an address is said in the page language: the records and search layers'
English sentences come back in Chinese on a Chinese page, with the parameter and value given."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.records import QueryError, parse_query
from portal.search import parse_search
from portal.web.problems import in_page_language

# Addresses that break each rule the listing and search parsers state, one sentence each.
BAD_LISTINGS = [
    {"outcome": "guilty"},
    {"status": "lost"},
    {"limit": "-1"},
    {"limit": "many"},
    {"cursor": "bm90LWEtY3Vyc29y"},
    {"colour": "red"},
    {"category": "x"},
    {"to": "2024-02-30"},
    {"from": "yesterday"},
    {"from": "2020-02-01", "to": "2020-01-01"},
    {"text": "\x00"},
    {"text": "x" * 501},
    {"province": "Atlantis"},
    {"pollutant": "kryptonite"},
    {"enterprise": "<b>"},
    {"sample": "perhaps"},
    {"sort": "random"},
    {"updated_since": "soon"},
]
BAD_SEARCHES = [
    {"q": "x" * 1001},
    {"kind": "tips"},
    {"page": "0"},
    {"page": "x"},
    {"page": "600", "limit": "50"},
    {"colour": "red"},
]


def _problems_of(args: dict[str, str], kind: str | None) -> list[str]:
    with pytest.raises(QueryError) as caught:
        if kind is None:
            parse_search(args)
        else:
            parse_query(kind, args)
    return caught.value.problems


def _is_chinese(sentence: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", sentence))


@pytest.mark.parametrize(
    ("kind", "args"),
    [("inspections", a) for a in BAD_LISTINGS]
    + [("incidents", {"outcome": "violation"})]
    + [(None, a) for a in BAD_SEARCHES],
)
def test_every_problem_sentence_is_said_in_chinese(
    app: Flask, kind: str | None, args: dict[str, str]
) -> None:
    english = _problems_of(args, kind)
    with app.test_request_context("/?lang=zh"):
        chinese = in_page_language(english)
    assert len(chinese) == len(english)
    for said, came in zip(chinese, english, strict=True):
        assert said != came and _is_chinese(said), came
    with app.test_request_context("/?lang=en"):
        assert in_page_language(english) == english


def test_an_unknown_sentence_comes_through_as_it_was(app: Flask) -> None:
    with app.test_request_context("/?lang=zh"):
        assert in_page_language(["Something new went wrong."]) == ["Something new went wrong."]


def test_the_bad_filter_page_speaks_chinese(client: FlaskClient) -> None:
    response = client.get("/inspections?outcome=guilty&lang=zh")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "“outcome”只能是以下之一：compliant、violation、rectification_ordered。" in page
    assert "must be one of" not in page
    assert '<a href="/inspections?lang=zh">不加筛选条件的全部检查</a>' in page
    english = client.get("/inspections?outcome=guilty&lang=en").get_data(as_text=True)
    assert "&#39;outcome&#39; must be one of compliant, violation, rectification_ordered." in (
        english
    )


def test_a_value_given_in_the_address_stays_text(client: FlaskClient) -> None:
    page = client.get("/inspections?from=<script>x</script>&lang=zh").get_data(as_text=True)
    assert "“from”应是 YYYY-MM-DD 格式的日期，而不是“&lt;script&gt;x&lt;/script&gt;”。" in page
    assert "<script>x" not in page


def test_search_problems_speak_chinese(client: FlaskClient) -> None:
    response = client.get("/search?q=x&page=0&lang=zh")
    assert response.status_code == 400
    assert "“page”应在 1 到 10000 之间，而不是 0。" in response.get_data(as_text=True)
