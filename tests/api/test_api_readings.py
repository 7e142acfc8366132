"""Readings as a table: /api/v1/readings with its filters and cursor, and its CSV, NDJSON and
Parquet downloads, one row per reading of a live incident, judged against its standard."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from portal import records
from portal.models.incident import ReadingRow

LONGJIANG = "INC-2012-0001"


def _all(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    """Every item of the listing, following `next` to the end."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        next_url = body["next"]
    return items


def test_one_row_per_reading_as_the_incident_holds_them(sample_client: FlaskClient) -> None:
    incident = sample_client.get(f"/api/v1/incidents/{LONGJIANG}").get_json()
    rows = _all(sample_client, f"/api/v1/readings?incident={LONGJIANG.lower()}&limit=7")
    assert len(rows) == len(incident["readings"]) > 7
    for row, reading in zip(rows, incident["readings"], strict=True):
        assert row["incident_id"] == LONGJIANG
        assert row["incident_title_zh"] == "广西龙江河镉污染事件"
        assert (row["province"], row["province_name_zh"], row["province_name_en"]) == (
            "45",
            "广西壮族自治区",
            "Guangxi",
        )
        for name in ("site_zh", "measured_at", "pollutant", "value", "unit", "standard"):
            assert row[name] == reading[name], name
        assert row["limit"] == reading["limit"]
        assert row["exceedance_factor"] == reading["exceedance_factor"]
    dam = next(r for r in rows if r["value"] == 0.0247)  # Luodong dam, 19 Jan 2012
    assert (dam["limit"], dam["exceedance_factor"], dam["exceeds"]) == (0.005, 4.94, True)
    assert list(rows[0]) == list(ReadingRow.model_fields)


def test_filters_and_pages(sample_client: FlaskClient) -> None:
    everything = _all(sample_client, "/api/v1/readings?limit=1000")
    first = sample_client.get("/api/v1/readings?limit=50").get_json()
    assert first["total"] == len(everything) > 50
    paged = _all(sample_client, "/api/v1/readings?limit=50")
    assert paged == everything  # keyset pages: no repeats, no gaps
    cadmium = _all(sample_client, "/api/v1/readings?pollutant=镉&limit=1000")
    assert cadmium and {r["pollutant"] for r in cadmium} == {"Cd"}
    assert cadmium == [r for r in everything if r["pollutant"] == "Cd"]
    guangxi = _all(sample_client, "/api/v1/readings?province=Guangxi&limit=1000")
    assert guangxi == [r for r in everything if r["province"] == "45"]
    january = _all(sample_client, "/api/v1/readings?from=2012-01-19&to=2012-01-31&limit=1000")
    assert january and all(
        "2012-01-18T16:00" <= r["measured_at"] < "2012-01-31T16:00" for r in january
    )
    timed = [r for r in everything if r["measured_at"]]
    expected = [r for r in timed if "2012-01-18T16:00" <= r["measured_at"] < "2012-01-31T16:00"]
    assert january == expected


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("pollutant=unobtainium", "Unknown pollutant 'unobtainium'"),
        ("incident=ENT-0001", "'incident' takes an incident id"),
        ("from=2012-02-30", "'from' must be a date"),
        ("from=2013-01-01&to=2012-01-01", "'from' is after 'to'"),
        ("cursor=bm90LW91cnM", "'cursor' is not one this portal made"),
        ("limit=0", "'limit' must be from 1 to 1000"),
        ("river=Longjiang", "Unknown parameter 'river'"),
    ],
)
def test_bad_queries_say_what_to_fix(sample_client: FlaskClient, query: str, said: str) -> None:
    response = sample_client.get(f"/api/v1/readings?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert said in " ".join(response.get_json()["problems"])


def test_downloads_agree_with_the_pages(sample_client: FlaskClient) -> None:
    rows = _all(sample_client, "/api/v1/readings?province=45&limit=1000")
    columns = list(ReadingRow.model_fields)
    response = sample_client.get("/api/v1/readings.csv?province=45&bom=1")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["X-Total-Count"] == str(len(rows))
    assert 'filename="clearwater-readings.csv"' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    assert response.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == columns
    assert [r["site_zh"] for r in table] == [r["site_zh"] for r in rows]
    assert [float(r["value"]) for r in table] == [r["value"] for r in rows]
    lines = sample_client.get("/api/v1/readings.ndjson?province=45").data.splitlines()
    assert [json.loads(line) for line in lines] == rows
    data = sample_client.get("/api/v1/readings.parquet?province=45").data
    parquet = pq.read_table(io.BytesIO(data))
    assert parquet.schema.names == columns
    assert parquet.schema.field("measured_at").type == pa.timestamp("us", tz="UTC")
    assert parquet.schema.field("exceedance_factor").type == pa.float64()
    assert parquet.column("exceedance_factor").to_pylist() == [r["exceedance_factor"] for r in rows]
    frame = pd.read_parquet(io.BytesIO(data))
    assert len(frame) == len(rows) and frame["incident_id"].tolist()[0] == rows[0]["incident_id"]


def test_a_withdrawn_incident_takes_its_readings_away(
    sample_client: FlaskClient, sample_session: Session
) -> None:
    page = sample_client.get(f"/api/v1/readings?incident={LONGJIANG}")
    assert page.get_json()["total"] > 0
    download = sample_client.get("/api/v1/readings.csv")
    records.withdraw(sample_session, LONGJIANG, reason="Test of a withdrawal", author_id="X")
    sample_session.commit()
    # The data version moved: the validators no longer match, and the rows are gone.
    again = sample_client.get(
        f"/api/v1/readings?incident={LONGJIANG}", headers={"If-None-Match": page.headers["ETag"]}
    )
    assert again.status_code == 200 and again.get_json() == {"items": [], "total": 0, "next": None}
    fresh = sample_client.get(
        "/api/v1/readings.csv", headers={"If-None-Match": download.headers["ETag"]}
    )
    assert fresh.status_code == 200 and LONGJIANG not in fresh.get_data(as_text=True)


def test_revalidation_costs_no_rows(sample_client: FlaskClient) -> None:
    for url in ("/api/v1/readings?pollutant=Cd", "/api/v1/readings.parquet?pollutant=Cd"):
        first = sample_client.get(url)
        first.close()  # a download's body is not needed: let its session go
        again = sample_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]


def test_the_openapi_document_describes_readings(sample_client: FlaskClient) -> None:
    paths = sample_client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/readings", "/api/v1/readings.csv", "/api/v1/readings.parquet"):
        operation = paths[path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"incident", "pollutant", "province", "from", "to"} <= names
    assert {"limit", "cursor"} <= {
        p["name"] for p in paths["/api/v1/readings"]["get"]["parameters"]
    }
