"""Nested items come in one order on every database and every surface: a citation names an item
by its place (`responsible.1`), so the place must mean the same item wherever it is read.

The sample names ENT-GX-JINHE first; with no key order, PostgreSQL gave it first and SQLite
second, and the assistant's citations on PostgreSQL pointed at the other enterprise."""

from __future__ import annotations

import json

from flask.testing import FlaskClient


def test_responsible_enterprises_are_in_key_order_in_every_surface(
    sample_client: FlaskClient,
) -> None:
    record = sample_client.get("/api/v1/incidents/INC-2012-0001").get_json()
    shown = [r["enterprise_id"] for r in record["responsible"]]
    assert shown == sorted(shown) == ["ENT-GX-HONGQUAN", "ENT-GX-JINHE"]
    download = sample_client.get("/api/v1/incidents.ndjson")
    lines = [json.loads(line) for line in download.get_data(as_text=True).splitlines()]
    (downloaded,) = [line for line in lines if line["id"] == "INC-2012-0001"]
    assert [r["enterprise_id"] for r in downloaded["responsible"]] == shown
    listed = sample_client.get("/api/v1/incidents?province=guangxi").get_json()["items"]
    (in_listing,) = [item for item in listed if item["id"] == "INC-2012-0001"]
    assert [r["enterprise_id"] for r in in_listing["responsible"]] == shown
