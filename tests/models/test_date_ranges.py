"""Every date and time of every kind lies from 1900-01-01 to 2099-12-31 and a time carries its
UTC offset: anything else is refused with a sentence, through the API (422, the field named)
and `portal import` (the line and the field, exit 1), and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from conftest import Portal
from factories import basics, disclosure, enterprise, incident, inspection, publish
from portal.ingest import import_file
from portal.models import Revision, Tip
from portal.models.incident import IncidentCorrection
from portal.records.tokens import create_token

OUTSIDE = "is outside 1900-01-01 to 2099-12-31"
OFFSET = "give a UTC offset, e.g. +08:00"
READING = incident()["readings"][0]
SOURCE = {"title": "河池市生态环境局通报"}
DESIGNATION = {"kind": "key_discharger", "from_year": 2021, "department_id": "DEP-GX-EEB"}


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """The ministry, the Guangxi bureau, one enterprise, and a token for the bureau and it."""
    ids = basics(session)
    tokens = {who: create_token(session, who)[0] for who in ("DEP-GX-EEB", ids["enterprise"])}
    session.commit()
    return {**ids, "tokens": tokens}


def _body(kind: str, world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    ent = world["enterprise"]
    made = {
        "incidents": lambda: incident(),
        "inspections": lambda: inspection(ent),
        "disclosures": lambda: disclosure(ent),
        "enterprises": lambda: enterprise(),
    }[kind]()
    return {**made, **changes}


def _revisions(session: Session) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(Revision)).one())


@pytest.mark.parametrize(
    ("kind", "changes", "field", "sentence"),
    [
        ("incidents", {"began_at": "9999-12-31T23:59:59Z"}, "began_at", OUTSIDE),
        ("incidents", {"began_at": "2012-01-15T08:00:00"}, "began_at", OFFSET),
        ("incidents", {"began_at": "2012-01-15T08:00:00+99:00"}, "began_at", "+99:00 is not"),
        ("incidents", {"began_at": "2012-01-15"}, "began_at", "write a date, T, a time"),
        ("incidents", {"began_at": 1326585600}, "began_at", "write a time as text"),
        ("incidents", {"found_at": "1899-12-31T23:59:59+08:00"}, "found_at", OUTSIDE),
        ("incidents", {"published_at": "2090-01-01T00:00:00+08:00"}, "published_at", "future"),
        (
            "incidents",
            {"readings": [{**READING, "measured_at": "0001-01-01T00:00:00Z"}]},
            "readings.0.measured_at",
            OUTSIDE,
        ),
        (
            "incidents",
            {"updates": [{"department_id": "DEP-GX-EEB", "at": "2012-01-16T10:00:00"}]},
            "updates.0.at",
            OFFSET,
        ),
        (
            "incidents",
            {"sources": [{**SOURCE, "published_on": "9999-12-31"}]},
            "sources.0.published_on",
            OUTSIDE,
        ),
        ("inspections", {"inspected_on": "0001-01-01"}, "inspected_on", OUTSIDE),
        ("inspections", {"deadline": "2100-01-01"}, "deadline", OUTSIDE),
        ("inspections", {"decided_on": "2023-5-10"}, "decided_on", "write it as 2012-01-15"),
        ("disclosures", {"period_start": "1899-12-31"}, "period_start", OUTSIDE),
        (
            "enterprises",
            {"designations": [{**DESIGNATION, "source": {**SOURCE, "published_on": "0001-01-01"}}]},
            "designations.0.source.published_on",
            OUTSIDE,
        ),
    ],
)
def test_a_date_outside_the_range_or_a_time_without_offset_is_refused_by_the_api(
    client: FlaskClient,
    session: Session,
    world: dict[str, Any],
    kind: str,
    changes: dict[str, Any],
    field: str,
    sentence: str,
) -> None:
    body = _body(kind, world, **changes)
    publisher = body.pop("publisher_id")
    token = world["tokens"][publisher if publisher in world["tokens"] else "DEP-GX-EEB"]
    before = _revisions(session)
    response = client.post(
        f"/api/v1/{kind}", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    problems = response.get_json()["problems"]
    assert any(p.startswith(f"{field}: ") and sentence in p for p in problems), problems
    assert _revisions(session) == before


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"began_at": "9999-12-31T23:59:59Z"}, f"began_at: 9999-12-31T23:59:59Z {OUTSIDE}"),
        ({"began_at": "2012-01-15T09:00:00"}, f"began_at: {OFFSET}"),
        (
            {
                "updates": [
                    {"department_id": "DEP-GX-EEB", "at": "0001-01-01T00:00:00Z", "text_zh": "x"}
                ]
            },
            f"updates.0.at: 0001-01-01T00:00:00Z {OUTSIDE}",
        ),
    ],
)
def test_a_correction_is_held_to_the_same_range(
    client: FlaskClient,
    session: Session,
    world: dict[str, Any],
    changes: dict[str, Any],
    sentence: str,
) -> None:
    publish(session, incident(id="INC-2012-0001"))
    before = _revisions(session)
    response = client.patch(
        "/api/v1/incidents/INC-2012-0001",
        json={"reason": "发生时间录入有误", "revision": 1, "changes": changes},
        headers={"Authorization": f"Bearer {world['tokens']['DEP-GX-EEB']}"},
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    problems = response.get_json()["problems"]
    assert any(p.startswith(sentence) for p in problems), problems
    assert _revisions(session) == before


def test_the_ends_of_the_range_in_any_offset_are_published_and_shown(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    """The first instant in the widest eastern offset and the last in the widest western one:
    in China time they fall on 1899-12-31 and 2100-01-02, which every page can still show."""
    body = _body(
        "incidents",
        world,
        id="INC-2099-0001",
        began_at="1900-01-01T00:00:00+23:59",
        found_at="2099-12-31T23:59:59.999999-23:59",
    )
    body.pop("publisher_id")
    token = world["tokens"]["DEP-GX-EEB"]
    response = client.post(
        "/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    for path in ("/", "/incidents", "/incidents?province=45", "/incidents/INC-2099-0001"):
        assert client.get(path).status_code == 200, path
    page = client.get("/incidents/INC-2099-0001").get_data(as_text=True)
    assert "1899-12-31" in page and "2100-01-02" in page


def test_import_names_the_line_and_field_of_a_time_without_offset(
    portal: Portal, session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    rows = [
        incident(id="INC-2012-0001"),
        incident(id="INC-2012-0002", began_at="2012-01-15T08:00:00"),
        incident(id="INC-2012-0003", began_at="2012-01-15T08:00:00+99:00"),
        incident(id="INC-2012-0004", found_at="9999-12-31T23:59:59Z"),
    ]
    path = tmp_path / "incidents.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    before = _revisions(session)
    result = portal("import", str(path), "--as", "DEP-GX-EEB")  # a traceback would raise here
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"incidents.ndjson: line 2, began_at: {OFFSET}" in result.output
    assert "incidents.ndjson: line 3, began_at: +99:00 is not a UTC offset" in result.output
    assert f"incidents.ndjson: line 4, found_at: 9999-12-31T23:59:59Z {OUTSIDE}" in result.output
    assert _revisions(session) == before


def test_a_tip_received_outside_the_range_is_refused(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    tips = [
        {"id": "TIP-2012-0001", "kind": "pollution", "text": "河水发黑。", "received_at": when}
        for when in ("0001-01-01T00:00:00Z", "2012-01-15T08:00:00")
    ]
    tips[1]["id"] = "TIP-2012-0002"
    path = tmp_path / "tips.ndjson"
    path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tips), "utf-8")
    result = import_file(session, path, as_publisher=None)
    assert not result.ok
    found = {(p.line, p.field) for p in result.problems}
    assert found == {(1, "received_at"), (2, "received_at")}, result.problems
    session.rollback()
    assert session.exec(select(func.count()).select_from(Tip)).one() == 0


def test_the_api_document_states_the_range_and_the_offset(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    # An incident's start may be unknown (issue 21): the time, or null.
    options = schemas["IncidentCreate"]["properties"]["began_at"]["anyOf"]
    began = next(option for option in options if option.get("type") == "string")
    assert began["format"] == "date-time" and "1900-01-01 to 2099-12-31" in began["description"]
    assert began["pattern"].startswith("^(19|20)")
    # A correction's field is optional (null, or the field with the same rules).
    corrected = IncidentCorrection.model_json_schema()["properties"]["began_at"]["anyOf"]
    assert began["pattern"] in [option.get("pattern") for option in corrected]
    day = schemas["InspectionCreate"]["properties"]["inspected_on"]
    assert day["format"] == "date" and day["pattern"] == r"^(19|20)\d{2}-\d{2}-\d{2}$"
