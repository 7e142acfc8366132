"""Parquet downloads: the same set as the CSV, typed columns, sent a row group at a time."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from flask.testing import FlaskClient

from portal.api import export, parquet

KINDS = ["enterprises", "incidents", "inspections", "disclosures", "departments", "responses"]


def _table(client: FlaskClient, url: str) -> pa.Table:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_streamed
    assert response.headers["Content-Type"] == "application/vnd.apache.parquet"
    return pq.read_table(io.BytesIO(response.data))


def test_every_listing_downloads_as_parquet_with_the_csv_rows(
    sample_client: FlaskClient, subtests: pytest.Subtests
) -> None:
    for kind in KINDS:
        with subtests.test(kind):
            table = _table(sample_client, f"/api/v1/{kind}.parquet")
            lines = sample_client.get(f"/api/v1/{kind}.ndjson").get_data(as_text=True)
            items = [json.loads(line) for line in lines.splitlines()]
            assert table.num_rows == len(items) > 0
            assert table.column("id").to_pylist() == [i["id"] for i in items]
            assert table.column_names == list(items[0])


def test_columns_are_typed(sample_client: FlaskClient) -> None:
    table = _table(sample_client, "/api/v1/incidents.parquet?province=45")
    types = {f.name: f.type for f in table.schema}
    assert types["began_at"] == pa.timestamp("us", tz="UTC")
    assert types["sample"] == pa.bool_() and types["revision"] == pa.int64()
    assert types["pollutants"] == pa.list_(pa.string())
    row = next(r for r in table.to_pylist() if r["id"] == "INC-2012-0001")
    assert row["began_at"].year == 2012 and row["began_at"].utcoffset().total_seconds() == 0
    assert "Cd" in row["pollutants"] and row["sample"] is False and row["withdrawn_at"] is None
    readings = json.loads(row["readings"])  # nested parts: JSON text, as in the CSV
    assert any(r["exceedance_factor"] and r["exceedance_factor"] > 4 for r in readings)
    item = sample_client.get("/api/v1/incidents/INC-2012-0001").get_json()
    assert readings == item["readings"]
    inspections = _table(sample_client, "/api/v1/inspections.parquet")
    assert inspections.schema.field("penalty_yuan").type == pa.int64()
    assert inspections.schema.field("inspected_on").type == pa.date32()


def test_the_listing_filters_apply(sample_client: FlaskClient) -> None:
    listed = sample_client.get("/api/v1/inspections?outcome=violation&limit=1000").get_json()
    table = _table(sample_client, "/api/v1/inspections.parquet?outcome=violation&sort=oldest")
    assert table.column("id").to_pylist() == [i["id"] for i in reversed(listed["items"])]
    assert set(table.column("outcome").to_pylist()) == {"violation"}
    refused = sample_client.get("/api/v1/inspections.parquet?bom=1")
    assert refused.status_code == 400  # bom is the CSV's alone


def test_an_empty_listing_is_a_valid_file_with_its_columns(sample_client: FlaskClient) -> None:
    table = _table(sample_client, "/api/v1/incidents.parquet?text=nothing-like-this")
    assert table.num_rows == 0
    assert table.schema == parquet.schema("incidents")


def test_pandas_reads_it(sample_client: FlaskClient) -> None:
    import pandas

    data = sample_client.get("/api/v1/enterprises.parquet").data
    frame = pandas.read_parquet(io.BytesIO(data))
    assert len(frame) == sample_client.get("/api/v1/enterprises?limit=1").get_json()["total"]


def test_it_is_sent_a_row_group_at_a_time(
    sample_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat: each row group leaves as a chunk of the body as soon as it is made,
    so the server never holds more than one group, and the footer comes last."""
    monkeypatch.setattr(export, "BATCH", 4)
    monkeypatch.setattr(export, "PARTS_BATCH", 4)  # enterprises carry penalties as parts
    monkeypatch.setattr(parquet, "GROUP_ROWS", 8)
    response = sample_client.get("/api/v1/enterprises.parquet")
    chunks = [c for c in response.response if c]  # the body as the server sends it
    data = b"".join(chunks)
    source = pq.ParquetFile(io.BytesIO(data))
    total = source.metadata.num_rows
    assert total > 16
    groups = [source.metadata.row_group(g).num_rows for g in range(source.num_row_groups)]
    assert sum(groups) == total and max(groups) <= 8 and len(groups) >= total // 8
    assert len(chunks) == total // 8 + 1  # a chunk per full group, then the rest and the footer
    assert chunks[0].startswith(b"PAR1") and chunks[-1].endswith(b"PAR1")
    monkeypatch.setattr(parquet, "GROUP_BYTES", 1)  # heavy rows: a group ends by its size too
    data = sample_client.get("/api/v1/enterprises.parquet").data
    source = pq.ParquetFile(io.BytesIO(data))
    assert source.num_row_groups == -(-total // 4)  # every batch of 4 its own group


def test_the_data_package_describes_the_parquet_columns(sample_client: FlaskClient) -> None:
    descriptor = sample_client.get("/api/v1/datapackage.json").get_json()
    resource = next(r for r in descriptor["resources"] if r["name"] == "incidents-parquet")
    assert resource["mediatype"] == "application/vnd.apache.parquet"
    fields = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    assert list(fields) == parquet.schema("incidents").names
    # A Parquet list: `any` to Table Schema, which has no type frictionless reads it as (its
    # `array` is JSON text or a Python list; pandas gives numpy arrays), and said in words.
    assert fields["began_at"] == "datetime" and fields["pollutants"] == "any"
    described = next(f for f in resource["schema"]["fields"] if f["name"] == "pollutants")
    assert "Parquet list of strings" in described["description"]
    assert fields["readings"] == "string"  # JSON text
