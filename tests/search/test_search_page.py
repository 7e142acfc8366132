"""/search as a citizen uses it: both languages, facets, highlights, and no input that breaks it."""

import html

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import whoosh_only


def page(client: FlaskClient, **args: str) -> tuple[int, str]:
    response = client.get("/search", query_string=args)
    return response.status_code, response.get_data(as_text=True)


def test_chinese_query_finds_the_longjiang_incident(sample_client: FlaskClient) -> None:
    status, html = page(sample_client, q="龙江 镉")
    assert status == 200
    assert "INC-2012-0001" in html and "<mark>镉</mark>" in html


def test_english_query_finds_chinese_only_records(sample_client: FlaskClient) -> None:
    status, html = page(sample_client, q="arsenic Laibin", lang="en")
    assert status == 200 and "INC-2022-0002" in html


def test_facets_link_to_narrower_searches(sample_client: FlaskClient) -> None:
    _, html = page(sample_client, q="cadmium", lang="en")
    assert "kind=incidents" in html and "pollutant=Cd" in html
    status, narrowed = page(sample_client, q="cadmium", kind="incidents", province="45")
    assert status == 200
    assert "INC-2012-0001" in narrowed and "ENT-0001" not in narrowed


def test_phrase_and_exclusion(sample_client: FlaskClient) -> None:
    _, with_arsenic = page(sample_client, q="镉 河池", kind="incidents")
    _, without = page(sample_client, q="镉 河池 -砷", kind="incidents")
    assert "INC-2019-0002" in with_arsenic and "INC-2019-0002" not in without
    _, phrase = page(sample_client, q='"Longjiang river"', lang="en")
    assert "INC-2012-0001" in phrase


def test_did_you_mean(sample_client: FlaskClient) -> None:
    _, html = page(sample_client, q="cadmiun", lang="en")
    assert "Did you mean" in html and "cadmium" in html


def test_sorting_by_date(sample_client: FlaskClient) -> None:
    _, newest = page(sample_client, q="镉", kind="incidents", sort="newest")
    _, oldest = page(sample_client, q="镉", kind="incidents", sort="oldest")
    assert newest.index("INC-2025") < newest.index("INC-2019")
    assert oldest.index("INC-2012-0001") < oldest.index("INC-2025")


@pytest.mark.parametrize(
    "q",
    [
        "",
        "x" * 1000,
        '"unbalanced',
        "((( ]]]",
        "title:(",
        "*:*",
        "AND OR NOT",
        "-",
        '""',
        "\x00\x01binary\xff",
        "<script>alert(1)</script>",
        "镉" * 500,
        "🐟 ☠️",
        "‮reversed",
    ],
)
def test_odd_queries_never_fail(sample_client: FlaskClient, q: str) -> None:
    status, html = page(sample_client, q=q)
    assert status == 200
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"q": "x" * 10_000}, "longer than 1000 characters"),
        ({"q": "镉", "page": "-1"}, "'page' must be from 1"),
        ({"q": "镉", "page": "99999999999"}, "'page' must be from 1"),
        ({"q": "镉", "page": "two"}, "'page' must be a whole number"),
        ({"q": "镉", "limit": "500"}, "'limit' must be from 1 to 50"),
        ({"q": "镉", "page": "400", "limit": "50"}, "10,000 deep at most"),
        ({"q": "镉", "kind": "ships"}, "'kind' must be one of"),
        ({"q": "镉", "pollutant": "kryptonite"}, "Unknown pollutant"),
        ({"q": "镉", "colour": "red"}, "Unknown parameter 'colour'"),
        ({"q": "镉", "sort": "random"}, "'sort' must be one of"),
        ({"q": "镉", "from": "2020-13-01"}, "'from' must be a date"),
    ],
)
def test_bad_arguments_are_400_with_a_sentence(
    sample_client: FlaskClient, args: dict, message: str
) -> None:
    # The sentences are checked in English; Chinese pages say them in Chinese
    # (tests/web/test_web_problems.py).
    status, text = page(sample_client, **args, lang="en")
    assert status == 400 and message in html.unescape(text)


def test_search_box_on_every_page(sample_client: FlaskClient) -> None:
    for url in ("/", "/incidents", "/incidents/INC-2012-0001", "/about"):
        assert 'role="search"' in sample_client.get(url).get_data(as_text=True)


@whoosh_only
def test_missing_index_says_it_is_being_rebuilt(client: FlaskClient) -> None:
    # The test app has no index and starts no rebuild: search says so; listings answer.
    response = client.get("/search?q=镉")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "being rebuilt" in response.get_data(as_text=True) or "正在重建" in response.get_data(
        as_text=True
    )
    assert client.get("/incidents").status_code == 200


def test_dates_are_china_days_as_in_the_listings(sample_client: FlaskClient) -> None:
    # The Longjiang incident began on 15 January 2012, China time.
    _, on_the_day = page(
        sample_client, q="镉", kind="incidents", **{"from": "2012-01-15", "to": "2012-01-15"}
    )
    _, day_before = page(
        sample_client, q="镉", kind="incidents", **{"from": "2012-01-14", "to": "2012-01-14"}
    )
    assert "INC-2012-0001" in on_the_day and "INC-2012-0001" not in day_before
    _, by_year = page(sample_client, q="镉", lang="en")
    assert "from=2012-01-01" in by_year  # the year facet counts it in 2012


def test_a_date_filter_keeps_the_china_day_of_an_early_morning_record(
    sample_client: FlaskClient, sample_url: str
) -> None:
    """07:30 in Hechi is still the day before in UTC: the search counts it on its China day,
    as the listings do, at either end of a range."""
    from factories import incident, publish
    from portal.db import get_engine

    with Session(get_engine(sample_url)) as session:
        publish(
            session,
            incident(
                id="INC-2012-0777",
                publisher_id="DEP-MEE",
                began_at="2012-03-05T07:30:00+08:00",
            ),
        )
    ask = {"q": "镉", "kind": "incidents"}
    assert "INC-2012-0777" in page(sample_client, **ask, to="2012-03-05")[1]
    assert "INC-2012-0777" in page(sample_client, **ask, **{"from": "2012-03-05"})[1]
    assert "INC-2012-0777" not in page(sample_client, **ask, to="2012-03-04")[1]
    assert "INC-2012-0777" not in page(sample_client, **ask, **{"from": "2012-03-06"})[1]
    listing = sample_client.get("/api/v1/incidents?from=2012-03-05&to=2012-03-05").get_json()
    assert "INC-2012-0777" in [item["id"] for item in listing["items"]]
