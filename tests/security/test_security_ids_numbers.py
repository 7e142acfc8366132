"""Ids are ASCII, numbers are numbers. `str.upper()` turns the dotless ı into I and the long ſ
into S, so a non-ASCII id must be a 404, never a second name of another record; and a JSON
`true` where a number belongs is refused, not stored as 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import table_counts
from factories import basics, enterprise, incident, inspection, publish, publishing_token
from portal import records
from portal.ingest import import_file

# Each the address of a sample record, but for one letter that upper-cases to the right one.
ALIASES = [
    "/incidents/ınc-2019-0001",
    "/incidents/ınc-2019-0001/history",
    "/api/v1/incidents/ınc-2019-0001",
    "/api/v1/incidents/ınc-2019-0001/history",
    "/feeds/enterprises/ent-gx-jınhe.atom",
    "/feeds/departments/dep-ſamr.rss",
    "/departments/DEP-ſAMR",
    "/tips/tıp-2023-0001",
]


@pytest.mark.parametrize("address", ALIASES)
def test_a_non_ascii_id_is_not_found(sample_client: FlaskClient, address: str) -> None:
    answer = sample_client.get(address)
    assert answer.status_code == 404, answer.status_code
    # The same address in ASCII, whatever its case, is the record.
    ascii_ = address.replace("ı", "i").replace("ſ", "s")
    assert sample_client.get(ascii_).status_code == 200


def test_a_non_ascii_id_in_a_filter_is_refused(sample_client: FlaskClient) -> None:
    answer = sample_client.get("/api/v1/incidents?enterprise=ent-gx-jınhe")
    assert answer.status_code == 400
    assert any("'enterprise' takes a record id" in p for p in answer.get_json()["problems"])
    assert sample_client.get("/api/v1/incidents?enterprise=ent-gx-jinhe").status_code == 200


def test_a_non_ascii_id_corrects_nothing(app: Any, client: FlaskClient, session: Session) -> None:
    basics(session)
    inc = incident(id="INC-2019-0001")
    publish(session, inc)
    token = publishing_token(app, "DEP-GX-EEB")
    before = table_counts(app.config["DATABASE_URL"])
    for action, body in (
        ("", {"reason": "改正", "revision": 1, "changes": {"status": "closed"}}),
        ("/withdraw", {"reason": "撤回此记录", "revision": 1}),
    ):
        answer = client.open(
            f"/api/v1/incidents/ınc-2019-0001{action}",
            method="POST" if action else "PATCH",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 404, answer.text
    after = table_counts(app.config["DATABASE_URL"])
    assert {k: v for k, v in after.items() if k != "audit_entry"} == {
        k: v for k, v in before.items() if k != "audit_entry"
    }


# -- numbers -----------------------------------------------------------------------------------
def _reading(**kw: Any) -> dict[str, Any]:
    return {**incident()["readings"][0], **kw}


def _designation(**kw: Any) -> dict[str, Any]:
    data = {
        "kind": "key_discharger",
        "from_year": 2023,
        "department_id": "DEP-GX-EEB",
        "source": {"title": "名录"},
    }
    return {**data, **kw}


def _figure(**kw: Any) -> dict[str, Any]:
    return {"site_zh": "总排口", "pollutant": "Pb", "value": 0.4, "unit": "mg/L", **kw}


# Every number a record takes, with a boolean in it: (kind, field, the body's changes).
BOOLEANS = [
    ("inspections", "penalty_yuan", {"penalty_yuan": True}),
    ("incidents", "latitude", {"latitude": True}),
    ("incidents", "longitude", {"longitude": False}),
    ("incidents", "readings.0.value", {"readings": [_reading(value=True)]}),
    ("incidents", "readings.0.latitude", {"readings": [_reading(latitude=True)]}),
    ("incidents", "readings.0.longitude", {"readings": [_reading(longitude=True)]}),
    ("enterprises", "latitude", {"latitude": True}),
    ("enterprises", "longitude", {"longitude": True}),
    ("enterprises", "designations.0.from_year", {"designations": [_designation(from_year=True)]}),
    ("enterprises", "designations.0.to_year", {"designations": [_designation(to_year=True)]}),
    ("disclosures", "figures.0.value", {"figures": [_figure(value=True)]}),
]


def _body(kind: str, ent: str) -> dict[str, Any]:
    from factories import disclosure

    body = {
        "inspections": lambda: inspection(ent),
        "incidents": incident,
        "enterprises": enterprise,
        "disclosures": lambda: disclosure(ent),
    }[kind]()
    return body


@pytest.mark.parametrize(("kind", "field", "changes"), BOOLEANS)
def test_a_boolean_is_not_a_number(
    app: Any, client: FlaskClient, session: Session, kind: str, field: str, changes: dict[str, Any]
) -> None:
    ent = basics(session)["enterprise"]
    publisher = ent if kind == "disclosures" else "DEP-GX-EEB"
    token = {"Authorization": f"Bearer {publishing_token(app, publisher)}"}
    body = _body(kind, ent)
    answer = client.post(f"/api/v1/{kind}", json={**body, **changes}, headers=token)
    assert answer.status_code == 422, answer.text
    assert any(p.startswith(f"{field}: ") and "true or false" in p for p in answer.json["problems"])
    # A correction is refused the same way, and the record keeps its number.
    assert client.post(f"/api/v1/{kind}", json=body, headers=token).status_code == 201
    patched = client.patch(
        f"/api/v1/{kind}/{body['id']}",
        json={"reason": "数字更正", "revision": 1, "changes": changes},
        headers=token,
    )
    assert patched.status_code == 422, patched.text
    assert records.get_record(session, body["id"]).revision == 1


def test_import_refuses_a_boolean_penalty(session: Session, tmp_path: Path) -> None:
    ent = basics(session)["enterprise"]
    path = tmp_path / "i.ndjson"
    path.write_text(json.dumps(inspection(ent, penalty_yuan=True)) + "\n", "utf-8")
    (problem,) = import_file(session, path, as_publisher="DEP-GX-EEB").problems
    assert problem.field == "penalty_yuan" and "true or false" in problem.message
    # A CSV cell is text: a number written there is still a number.
    csv = tmp_path / "i.csv"
    csv.write_text(
        "id,enterprise_id,inspected_on,inspection_type,outcome,findings_zh,penalty_yuan\n"
        f"INS-CSV-1,{ent},2023-05-10,routine,violation,超标。,150000\n",
        "utf-8",
    )
    assert import_file(session, csv, as_publisher="DEP-GX-EEB").ok
    session.commit()
    assert records.get_record(session, "INS-CSV-1").penalty_yuan == 150000
