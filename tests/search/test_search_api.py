"""GET /api/v1/search: the same search as JSON, with facets, next links and problem+json."""

from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import whoosh_only
from factories import inspection, publish
from portal import records
from portal.db import get_engine


def test_search_json_shape(sample_client: FlaskClient) -> None:
    response = sample_client.get("/api/v1/search?q=cadmium%20Hechi&lang=en&limit=5")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"items", "total", "next", "facets", "suggestion", "any_word"}
    assert body["total"] > 5 and len(body["items"]) == 5
    first = body["items"][0]
    assert set(first) >= {"id", "kind", "title", "url", "html", "snippet", "score", "date"}
    assert first["url"].endswith(f"/api/v1/{first['kind']}/{first['id']}")
    assert "page=2" in body["next"]
    assert {f["value"] for f in body["facets"]["kind"]} >= {"incidents"}
    assert 'rel="alternate"' in response.headers["Link"]


def test_next_page_continues(sample_client: FlaskClient) -> None:
    first = sample_client.get("/api/v1/search?q=镉&limit=10").get_json()
    second = sample_client.get(first["next"]).get_json()
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_filters_match_the_listing(sample_client: FlaskClient) -> None:
    found = sample_client.get("/api/v1/search?q=镉&kind=incidents&province=Guangxi&limit=50")
    ids = {i["id"] for i in found.get_json()["items"]}
    listing = sample_client.get("/api/v1/incidents?province=45&pollutant=Cd&limit=100").get_json()
    assert ids <= {i["id"] for i in listing["items"]} | {"INC-2012-0001"}
    assert "INC-2012-0001" in ids


def test_bad_arguments_are_problems(sample_client: FlaskClient) -> None:
    for query in (
        "q=" + "x" * 10_000,
        "q=镉&page=0",
        "q=镉&limit=1000",
        "q=镉&colour=red",
        "q=镉&lang=fr",
        "q=镉&kind=ships",
    ):
        response = sample_client.get(f"/api/v1/search?{query}")
        assert 400 <= response.status_code < 500, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]


@whoosh_only
def test_missing_index_is_503_with_retry_after(client: FlaskClient) -> None:
    response = client.get("/api/v1/search?q=镉")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.mimetype == "application/problem+json"


def test_a_very_long_word_is_searched_without_a_spelling_suggestion(
    sample_client: FlaskClient,
) -> None:
    # Whoosh's corrector costs seconds on a word of hundreds of letters; such a word is
    # searched as it is and answered without "did you mean".
    response = sample_client.get("/api/v1/search?q=" + "cadmiun" * 140)
    assert response.status_code == 200
    assert response.get_json()["total"] == 0 and response.get_json()["suggestion"] is None
    short = sample_client.get("/api/v1/search?q=cadmiun").get_json()
    assert short["suggestion"] == "cadmium"


def test_records_of_the_same_date_come_by_id_whichever_the_order(
    sample_client: FlaskClient, sample_url: str
) -> None:
    # Both engines give equal dates in id order, newest or oldest first, and a correction
    # (which moves a record to the end of a Whoosh index) does not change it.
    with Session(get_engine(sample_url)) as session:
        for record_id in ("INS-TIE-1", "INS-TIE-2"):
            publish(
                session,
                inspection(
                    "ENT-0001",
                    id=record_id,
                    findings_zh="同日复查排放口锑浓度异常。",
                    publisher_id="DEP-MEE",
                ),
            )

    def order(sort: str) -> list[str]:
        body = sample_client.get(f"/api/v1/search?q=同日复查 锑&sort={sort}&limit=50").get_json()
        return [item["id"] for item in body["items"] if item["id"].startswith("INS-TIE-")]

    assert order("newest") == order("oldest") == ["INS-TIE-1", "INS-TIE-2"]
    with Session(get_engine(sample_url)) as session:
        records.correct(
            session,
            "INS-TIE-1",
            {"findings_zh": "同日复查排放口锑浓度异常，已采样。"},
            reason="Sampling added",
            author_id="DEP-MEE",
        )
        session.commit()
    assert order("newest") == order("oldest") == ["INS-TIE-1", "INS-TIE-2"]
