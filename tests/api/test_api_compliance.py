"""GET /api/v1/enterprises/compliance and its downloads (issue 22): numbered pages whose `next`
links walk the whole table, the same rows in CSV, NDJSON and Parquet in the order asked, 304 on
a repeated request, and a 400 problem with a sentence for every query it cannot read."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow.parquet as pq
import pytest
from flask.testing import FlaskClient

PATH = "/api/v1/enterprises/compliance"


def _walk(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        url = body["next"]
    return items


def test_pages_and_downloads_agree(sample_client: FlaskClient) -> None:
    query = "province=45&sort=penalties&order=desc"
    first = sample_client.get(f"{PATH}?{query}&limit=2").get_json()
    assert first["page"] == 1 and first["pages"] == -(-first["total"] // 2)
    walked = _walk(sample_client, f"{PATH}?{query}&limit=2")
    assert len(walked) == first["total"] >= 5
    assert {i["province"] for i in walked} == {"45"}
    assert [i["penalties"] for i in walked] == sorted(
        (i["penalties"] for i in walked), reverse=True
    )
    jinhe = next(i for i in walked if i["enterprise_id"] == "ENT-GX-JINHE")
    assert jinhe["fines"] == [{"currency": "USD", "amount": 162000, "approximate": True}]
    assert jinhe["fines_cny"] == 0 and jinhe["links"]["enterprise"].endswith("/ENT-GX-JINHE")
    ids = [i["enterprise_id"] for i in walked]
    plain = [{k: v for k, v in i.items() if k != "links"} for i in walked]

    text = sample_client.get(f"{PATH}.csv?{query}&bom=1").get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["enterprise_id"] for r in rows] == ids
    assert json.loads(rows[ids.index("ENT-GX-JINHE")]["fines"]) == jinhe["fines"]
    assert [int(r["penalties"]) for r in rows] == [i["penalties"] for i in walked]

    lines = sample_client.get(f"{PATH}.ndjson?{query}").get_data(as_text=True).splitlines()
    assert [json.loads(line) for line in lines] == plain

    table = pq.read_table(io.BytesIO(sample_client.get(f"{PATH}.parquet?{query}").get_data()))
    assert table.column("enterprise_id").to_pylist() == ids
    assert str(table.schema.field("last_inspection").type) == "date32[day]"
    assert str(table.schema.field("fines_cny").type) == "int64"


def test_a_repeated_request_is_not_modified(sample_client: FlaskClient) -> None:
    for url in (PATH, f"{PATH}.csv"):
        response = sample_client.get(url)
        tag = response.headers["ETag"]
        again = sample_client.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304, url


def test_links_name_the_alternates(sample_client: FlaskClient) -> None:
    links = sample_client.get(f"{PATH}?sector=mining&limit=1").headers["Link"]
    assert 'rel="next"' in links
    assert "/enterprises/compliance?sector=mining>" in links
    assert f"{PATH}.parquet?sector=mining>" in links


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("sort=password", "'sort' must be one of"),
        ("sort=name&order=random", "'order' must be asc"),
        ("province=%E7%81%AB%E6%98%9F", "Unknown province '火星'"),
        ("page=99999999999999999999", "'page' must be a whole number from 1 to 100,000."),
        ("limit=-5", "'limit' must be a whole number from 1 to 1,000."),
        ("sector=", "'sector' is given with no value"),
        ("city=%00", "invisible control characters"),
        ("where=1", "Unknown parameter 'where'"),
    ],
)
def test_a_hostile_query_is_a_400_with_a_sentence(
    sample_client: FlaskClient, query: str, words: str
) -> None:
    response = sample_client.get(f"{PATH}?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert words in response.get_json()["detail"] + " ".join(response.get_json()["problems"])


def test_a_page_past_the_last_is_not_found_and_says_how_many(
    sample_client: FlaskClient,
) -> None:
    response = sample_client.get(f"{PATH}?page=40")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"].startswith("Page 40 is past the last page (1) of ")


def test_a_download_refuses_paging(sample_client: FlaskClient) -> None:
    response = sample_client.get(f"{PATH}.csv?page=2")
    assert response.status_code == 400
    assert "A download is the whole filtered table: remove page" in response.get_json()["detail"]
    assert sample_client.get(f"{PATH}.ndjson?bom=1").status_code == 400
