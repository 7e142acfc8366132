"""The OpenAPI document is generated from the response models, and its reader needs no CDN."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

KINDS = ["enterprises", "incidents", "inspections", "disclosures", "departments", "responses"]


def test_the_document_describes_every_kind(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] == "Clearwater open-data API"
    for kind in KINDS:
        for path in (f"/api/v1/{kind}", f"/api/v1/{kind}/{{record_id}}", f"/api/v1/{kind}.csv"):
            assert "get" in doc["paths"][path], path
    schemas = doc["components"]["schemas"]
    # The public models, as the records layer defines them, with their nested parts.
    reading = schemas["ReadingPublic"]["properties"]
    assert {"exceedance_factor", "limit", "standard"} <= set(reading)
    item = schemas["IncidentItem"]["properties"]
    assert item["links"]["$ref"].endswith("/Links") and "readings" in item
    assert set(schemas["Problem"]["properties"]) == {
        "type",
        "title",
        "status",
        "code",
        "detail",
        "problems",
        "errors",
    }
    assert "tombstone" in schemas["Gone"]["properties"]


def test_query_parameters_are_documented_per_kind(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/inspections"]["get"]["parameters"]}
    assert params["outcome"]["schema"]["enum"] == [
        "compliant",
        "violation",
        "rectification_ordered",
    ]
    assert params["limit"]["schema"]["maximum"] == 1000
    assert "updated_since" in params and "cursor" in params and "status" not in params
    csv = {p["name"] for p in doc["paths"]["/api/v1/inspections.csv"]["get"]["parameters"]}
    assert "bom" in csv and "limit" not in csv and "cursor" not in csv
    errors = doc["paths"]["/api/v1/incidents/{record_id}"]["get"]["responses"]
    assert "application/problem+json" in errors["410"]["content"]
    assert "application/problem+json" in errors["400"]["content"]


def test_the_reader_serves_its_own_assets(client: FlaskClient) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    assert "v1/openapi.json" in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        with client.get(f"/api/{asset}") as response:
            assert response.status_code == 200, asset
