"""Issue 21: a record id, a unified social credit code or a permit number typed into search
finds the record holding it, first, on both engines (through the API and the /search page)."""

import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from portal.models import Enterprise


def _enterprise(session: Session) -> Enterprise:
    """A sample enterprise that has both a credit code and a permit number."""
    found = session.exec(
        select(Enterprise)
        .where(Enterprise.credit_code.is_not(None), Enterprise.permit_number.is_not(None))  # type: ignore[union-attr]
        .order_by(Enterprise.id)
    ).first()
    assert found is not None, "the sample data set has an enterprise with both identifiers"
    return found


def _first_from_api(client: FlaskClient, q: str) -> str:
    response = client.get("/api/v1/search", query_string={"q": q, "limit": 5})
    assert response.status_code == 200, q
    items = response.get_json()["items"]
    assert items, f"nothing found for {q}"
    return str(items[0]["id"])


def _first_on_page(client: FlaskClient, q: str, expected: str) -> None:
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200, q
    body = response.get_data(as_text=True)
    # Each hit's title links to its record, in the order of the hits.
    linked = re.findall(r'<a class="title" href="[^"]*/([A-Za-z]+-[^/?"]+)(?:\?[^"]*)?"', body)
    assert linked and linked[0] == expected, (q, linked[:3])


@pytest.mark.parametrize("q", ["INC-2012-0001", "inc-2012-0001", "Inc-2012-0001"])
def test_an_incident_id_finds_the_incident_first(sample_client: FlaskClient, q: str) -> None:
    assert _first_from_api(sample_client, q) == "INC-2012-0001"
    _first_on_page(sample_client, q, "INC-2012-0001")


def test_each_identifier_of_an_enterprise_finds_it_first(
    sample_client: FlaskClient, sample_session: Session
) -> None:
    enterprise = _enterprise(sample_session)
    assert enterprise.credit_code and enterprise.permit_number
    for q in (
        enterprise.id,
        enterprise.id.lower(),
        enterprise.credit_code,
        enterprise.credit_code.lower(),
        enterprise.permit_number,
    ):
        assert _first_from_api(sample_client, q) == enterprise.id, q
        _first_on_page(sample_client, q, enterprise.id)


def test_an_identifier_among_other_words_narrows_to_its_record(
    sample_client: FlaskClient, sample_session: Session
) -> None:
    enterprise = _enterprise(sample_session)
    q = f"{enterprise.name_zh} {enterprise.credit_code}"
    body = sample_client.get("/api/v1/search", query_string={"q": q}).get_json()
    # Every word matched (no fallback to any word), and only the record holding the code.
    assert not body["any_word"]
    assert [item["id"] for item in body["items"]] == [enterprise.id]
