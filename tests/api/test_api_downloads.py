"""Downloads: the whole filtered set, streamed in batches, flat CSV, NDJSON; the data package."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, enterprise, inspection, publish
from portal import records
from portal.api import export

KINDS = ["enterprises", "incidents", "inspections", "disclosures", "departments", "responses"]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every download cross many keyset batches even on the sample set."""
    monkeypatch.setattr(export, "BATCH", 7)
    monkeypatch.setattr(export, "PARTS_BATCH", 5)


def _csv(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_streamed
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_a_download_is_the_whole_set_across_batches(
    sample_client: FlaskClient, small_batches: None, subtests: pytest.Subtests
) -> None:
    for kind in KINDS:
        with subtests.test(kind):
            total = sample_client.get(f"/api/v1/{kind}?limit=1").get_json()["total"]
            rows = _csv(sample_client, f"/api/v1/{kind}.csv")
            assert len(rows) == total > 7
            assert len({r["id"] for r in rows}) == total
            text = sample_client.get(f"/api/v1/{kind}.ndjson").get_data(as_text=True)
            assert [json.loads(line)["id"] for line in text.splitlines()] == [r["id"] for r in rows]


def test_downloads_take_the_listing_filters(sample_client: FlaskClient) -> None:
    listed = sample_client.get("/api/v1/inspections?outcome=violation&limit=1000").get_json()
    rows = _csv(sample_client, "/api/v1/inspections.csv?outcome=violation")
    assert [r["id"] for r in rows] == [i["id"] for i in listed["items"]]
    assert {r["outcome"] for r in rows} == {"violation"}


def test_csv_columns_are_flat(sample_client: FlaskClient) -> None:
    rows = _csv(sample_client, "/api/v1/incidents.csv?province=45")
    row = next(r for r in rows if r["id"] == "INC-2012-0001")
    assert row["pollutants"] == "Cd" or ";" in row["pollutants"]
    readings = json.loads(row["readings"])  # nested parts: one JSON cell
    assert any(r["exceedance_factor"] and r["exceedance_factor"] > 4 for r in readings)
    assert json.loads(row["sources"])[0]["title"]
    assert row["sample"] == "false" and row["withdrawn_at"] == ""
    assert row["began_at"].startswith("2012-01-")


def test_ndjson_lines_are_api_items_without_links_with_names(sample_client: FlaskClient) -> None:
    response = sample_client.get("/api/v1/inspections.ndjson")
    assert response.mimetype == "application/x-ndjson"
    first = json.loads(response.get_data(as_text=True).splitlines()[0])
    item = sample_client.get(f"/api/v1/inspections/{first['id']}").get_json()
    named = sample_client.get(f"/api/v1/enterprises/{item['enterprise_id']}").get_json()
    names = {"enterprise_name_zh": named["name_zh"], "enterprise_name_en": named["name_en"]}
    assert first == {**{k: v for k, v in item.items() if k != "links"}, **names}
    assert list(first).index("enterprise_name_zh") == list(first).index("enterprise_id") + 1


def test_names_stand_beside_codes(sample_client: FlaskClient) -> None:
    rows = _csv(sample_client, "/api/v1/incidents.csv?province=45")
    row = next(r for r in rows if r["id"] == "INC-2012-0001")
    assert (row["province"], row["province_name_zh"], row["province_name_en"]) == (
        "45",
        "广西壮族自治区",
        "Guangxi",
    )
    header = list(rows[0])
    assert header.index("province_name_zh") == header.index("province") + 1
    for kind in ("inspections", "disclosures", "responses"):
        rows = _csv(sample_client, f"/api/v1/{kind}.csv")
        enterprises = {r["id"]: r for r in _csv(sample_client, "/api/v1/enterprises.csv")}
        for r in rows:
            named = enterprises[r["enterprise_id"]]
            assert (r["enterprise_name_zh"], r["enterprise_name_en"]) == (
                named["name_zh"],
                named["name_en"],
            )


def test_a_renamed_enterprise_moves_the_downloads_of_what_names_it(
    client: FlaskClient, session: Session
) -> None:
    ids = basics(session)
    publish(session, inspection(ids["enterprise"]))
    before = client.get("/api/v1/inspections.csv")
    assert "Renamed Smelter" not in before.get_data(as_text=True)
    records.correct(
        session, ids["enterprise"], {"name_en": "Renamed Smelter"}, reason="New name", author_id="X"
    )
    session.commit()
    after = client.get("/api/v1/inspections.csv", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "Renamed Smelter" in after.get_data(as_text=True)


def test_bom_for_spreadsheets(sample_client: FlaskClient) -> None:
    plain = sample_client.get("/api/v1/departments.csv").data
    marked = sample_client.get("/api/v1/departments.csv?bom=1").data
    assert not plain.startswith(b"\xef\xbb\xbf") and marked == b"\xef\xbb\xbf" + plain
    response = sample_client.get("/api/v1/departments.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clearwater-departments.csv"' in response.headers["Content-Disposition"]


def test_formulas_in_text_are_neutralised(client: FlaskClient, session: Session) -> None:
    basics(session)
    publish(session, enterprise(name_zh='=HYPERLINK("http://evil")', name_en="+1 smelter"))
    publish(session, enterprise(name_zh="@SUM(A1)", name_en="-2 works", park_zh="正常园区"))
    rows = _csv(client, "/api/v1/enterprises.csv")
    names = {r["name_zh"] for r in rows} | {r["name_en"] for r in rows}
    assert '\'=HYPERLINK("http://evil")' in names and "'@SUM(A1)" in names
    assert "'+1 smelter" in names and "'-2 works" in names
    assert "正常园区" in {r["park_zh"] for r in rows}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_cells_are_neutralised_but_numbers_are_not() -> None:
    assert export.cell("=1+2", export.Column.scalar) == "'=1+2"
    assert export.cell("\tx", export.Column.scalar) == "'\tx"
    assert export.cell(-3.5, export.Column.scalar) == -3.5
    assert export.cell(["Cd", "Pb"], export.Column.joined) == "Cd;Pb"
    assert export.cell(True, export.Column.scalar) == "true"
    assert export.cell(None, export.Column.json) == ""


def test_an_empty_set_is_a_header_only(sample_client: FlaskClient) -> None:
    rows = sample_client.get("/api/v1/incidents.csv?province=65&text=nothing-like-this").data
    assert rows.count(b"\r\n") == 1 and rows.startswith(b"id,kind,")
    assert sample_client.get("/api/v1/incidents.ndjson?text=nothing-like-this").data == b""


def test_head_sends_headers_only(sample_client: FlaskClient) -> None:
    response = sample_client.head("/api/v1/inspections.csv")
    assert response.status_code == 200 and response.data == b"" and response.headers["ETag"]


def test_the_data_package_validates_with_every_download(
    sample_client: FlaskClient, tmp_path: Path
) -> None:
    response = sample_client.get("/api/v1/datapackage.json")
    descriptor = response.get_json()
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"]
    names = {r["name"] for r in descriptor["resources"]}
    tables = [*KINDS, "readings"]
    assert names == {f"{k}-{f}" for k in tables for f in ("csv", "ndjson", "parquet")}
    keys = {r["name"]: r["schema"]["foreignKeys"] for r in descriptor["resources"]}
    assert {
        "fields": ["enterprise_id"],
        "reference": {"resource": "enterprises-csv", "fields": ["id"]},
    } in keys["inspections-csv"]
    assert {"fields": ["parent_id"], "reference": {"resource": "", "fields": ["id"]}} in keys[
        "departments-parquet"
    ]
    assert keys["readings-ndjson"][0]["reference"]["resource"] == "incidents-ndjson"
    penalty = next(
        f
        for r in descriptor["resources"]
        if r["name"] == "inspections-csv"
        for f in r["schema"]["fields"]
        if f["name"] == "penalty_yuan"
    )
    assert penalty["type"] == "integer" and penalty["unit"] == "CNY (yuan)"
    for res in descriptor["resources"]:  # paths are relative: fetch each beside the descriptor
        (tmp_path / res["path"]).write_bytes(sample_client.get(f"/api/v1/{res['path']}").data)
    # Parquet too: frictionless reads it through pandas (lists as numpy arrays, integers with
    # gaps as floats), which the descriptor allows for (decision 0024); pyarrow checks the
    # types themselves in test_api_parquet.py.
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:10]


def test_a_download_keeps_the_listing_order_in_both_directions(
    sample_client: FlaskClient, small_batches: None
) -> None:
    for sort in ("newest", "oldest"):
        listed = sample_client.get(f"/api/v1/inspections?limit=1000&sort={sort}").get_json()
        rows = _csv(sample_client, f"/api/v1/inspections.csv?sort={sort}")
        assert [r["id"] for r in rows] == [i["id"] for i in listed["items"]]


def test_a_strong_tag_is_the_same_bytes(sample_client: FlaskClient) -> None:
    for url in (
        "/api/v1/incidents.csv?bom=1",
        "/api/v1/inspections.ndjson",
        "/api/v1/disclosures.parquet",
        "/api/v1/readings.parquet",
    ):
        first, again = sample_client.get(url), sample_client.get(url)
        assert first.headers["ETag"] == again.headers["ETag"]
        assert not first.headers["ETag"].startswith("W/")
        assert first.data == again.data, url
        assert first.headers["Last-Modified"]
