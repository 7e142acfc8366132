"""An incident whose start nobody knows yet (issue 21) is published through the API and
`portal import`, says "unknown" / "不详" wherever its start would be shown, and is dated by
when it was found (or else published) in listings, their filters, downloads and search."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import Portal, _app, portal_like
from factories import basics, incident, publishing_token
from portal.assistant.facts import facts
from portal.db import get_engine
from portal.records import get_record
from portal.search import SearchService

KNOWN, FOUND, BARE = "INC-T-KNOWN", "INC-T-FOUND", "INC-T-BARE"


@pytest.fixture
def portal_app(database_url: str, index_dir: Path) -> Flask:
    """The ministry, the Guangxi bureau and an enterprise, with an index."""
    with Session(get_engine(database_url)) as session:
        basics(session)
    SearchService(index_dir, database_url).rebuild(procs=1)
    return portal_like(_app(database_url, index_dir), RATELIMIT_ENABLED=False)


def _body(record_id: str, **kw: Any) -> dict[str, Any]:
    body = incident(id=record_id, published_at="2020-07-01T08:00:00+08:00")
    del body["publisher_id"], body["began_at"]
    return body | kw


def _publish_three(client: FlaskClient, token: str) -> str:
    """Began 1 June; unknown start, found 10 June; unknown start and found, published 20 June.
    Returns the enterprise held responsible for the second."""
    headers = {"Authorization": f"Bearer {token}"}
    ent = client.get("/api/v1/enterprises").get_json()["items"][0]["id"]
    for body in (
        _body(KNOWN, began_at="2020-06-01T08:00:00+08:00"),
        _body(  # began_at left out
            FOUND,
            found_at="2020-06-10T08:00:00+08:00",
            responsible=[{"enterprise_id": ent}],
        ),
        _body(BARE, began_at=None) | {"published_at": "2020-06-20T08:00:00+08:00"},
    ):
        response = client.post("/api/v1/incidents", json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)
    return ent


def _ids(client: FlaskClient, path: str) -> list[str]:
    """Every id of a JSON listing, following its `next` links one record a page."""
    out: list[str] = []
    url: str | None = path
    while url:
        page = client.get(url).get_json()
        out += [item["id"] for item in page["items"]]
        url = page["next"]
    return out


def test_unknown_start_is_published_dated_by_when_found_and_said_unknown(
    portal_app: Flask, database_url: str
) -> None:
    client = portal_app.test_client()
    ent = _publish_three(client, publishing_token(portal_app, "DEP-GX-EEB"))

    assert client.get(f"/api/v1/incidents/{FOUND}").get_json()["began_at"] is None
    # Dated by found_at, else published_at: in order, across keyset pages, and in from/to.
    assert _ids(client, "/api/v1/incidents?limit=1") == [BARE, FOUND, KNOWN]
    assert _ids(client, "/api/v1/incidents?limit=1&sort=oldest") == [KNOWN, FOUND, BARE]
    assert _ids(client, "/api/v1/incidents?from=2020-06-05&to=2020-06-15") == [FOUND]
    assert _ids(client, "/api/v1/incidents?from=2020-06-15") == [BARE]
    html = client.get("/incidents?limit=1&sort=oldest&lang=en").get_data(as_text=True)
    later = re.search(r'href="(/incidents\?[^"]*cursor=[^"]*)"', html)
    assert later, html
    second = client.get(later.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert FOUND in second and "start unknown, found" in second

    for lang, word, listed in (("en", "unknown", "start unknown"), ("zh", "不详", "开始时间不详")):
        page = client.get(f"/incidents/{FOUND}?lang={lang}").get_data(as_text=True)
        began = re.search(r"<dt>[^<]*</dt><dd><span class=\"note\">([^<]*)</span></dd>", page)
        assert began and began.group(1) == word, page
        assert listed in client.get(f"/incidents?lang={lang}").get_data(as_text=True)
        timeline = client.get(f"/enterprises/{ent}?lang={lang}").get_data(as_text=True)
        assert listed in timeline.split('class="timeline events"')[1], timeline

    table = client.get("/api/v1/incidents.csv").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(table))}
    assert rows[FOUND]["began_at"] == "" and rows[KNOWN]["began_at"].startswith("2020-06-01")
    lines = client.get("/api/v1/incidents.ndjson").get_data(as_text=True).splitlines()
    assert {json.loads(line)["id"]: json.loads(line)["began_at"] for line in lines}[BARE] is None
    parquet = pq.read_table(io.BytesIO(client.get("/api/v1/incidents.parquet").get_data()))
    assert {r["id"]: r["began_at"] for r in parquet.to_pylist()}[FOUND] is None
    for feed in ("/feeds/all.atom", "/feeds/incidents.rss", "/feeds/departments/DEP-GX-EEB.atom"):
        response = client.get(feed)
        assert response.status_code == 200 and FOUND in response.get_data(as_text=True), feed

    hits = client.get("/api/v1/search?q=龙江&kind=incidents&sort=oldest").get_json()["items"]
    assert [h["id"] for h in hits] == [KNOWN, FOUND, BARE]

    with Session(get_engine(database_url)) as session:
        record = get_record(session, FOUND)
        said = {f.text for f in facts(record, {}) if f.field == "began_at"}
    assert said == {
        "龙江镉污染的开始时间不详，于2020-06-10被发现。",
        "The start of Cadmium in the Longjiang is unknown; it was found on 2020-06-10.",
    }


def test_a_correction_may_make_the_start_unknown_but_not_after_it_was_found(
    portal_app: Flask,
) -> None:
    client = portal_app.test_client()
    token = publishing_token(portal_app, "DEP-GX-EEB")
    _publish_three(client, token)
    headers = {"Authorization": f"Bearer {token}"}

    def correct(record_id: str, changes: dict[str, Any]) -> Any:
        body = {"reason": "开始时间尚未查明", "revision": 1, "changes": changes}
        return client.patch(f"/api/v1/incidents/{record_id}", json=body, headers=headers)

    assert correct(KNOWN, {"began_at": None}).status_code == 200
    assert client.get(f"/api/v1/incidents/{KNOWN}").get_json()["began_at"] is None
    refused = correct(FOUND, {"began_at": "2020-06-11T08:00:00+08:00"})
    assert refused.status_code == 422 and "found_at is before began_at" in refused.get_data(
        as_text=True
    )


def test_portal_import_takes_incidents_without_a_start(
    app: Flask, database_url: str, portal: Portal, tmp_path: Path
) -> None:
    with Session(get_engine(database_url)) as session:
        basics(session)
    rows = [_body("INC-T-IMP1"), _body("INC-T-IMP2", began_at=None)]
    path = tmp_path / "incidents.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = portal("import", str(path), "--as", "DEP-GX-EEB")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    for record_id in ("INC-T-IMP1", "INC-T-IMP2"):
        assert client.get(f"/api/v1/incidents/{record_id}").get_json()["began_at"] is None
        assert "不详" in client.get(f"/incidents/{record_id}").get_data(as_text=True)


def test_the_published_schemas_let_the_start_be_empty(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    create = next(v for k, v in schemas.items() if k.startswith("IncidentCreate"))
    assert "began_at" not in create.get("required", [])
    assert {"type": "null"} in create["properties"]["began_at"]["anyOf"]
    package = client.get("/api/v1/datapackage.json").get_json()
    incidents = next(r for r in package["resources"] if r["name"].startswith("incidents"))
    began = next(f for f in incidents["schema"]["fields"] if f["name"] == "began_at")
    assert not began.get("constraints", {}).get("required")
    assert "empty when nobody knows" in began["description"]
