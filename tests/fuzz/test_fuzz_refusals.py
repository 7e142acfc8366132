"""Writes that the API fuzzing turned into 500s, kept as cases: each must be refused with a 4xx
problem+json. Refused writes quote what the caller sent in the audit log, and PostgreSQL
stores neither NUL nor lone surrogates; a pollutant or a credit code sent as a list crashed
its validator."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from factories import enterprise, incident, publishing_token

HC = "DEP-GX-HC-EEB"
READING = incident()["readings"][0]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/v1/inspections/INS-2020-0004", {"\x00x": 1, "reason": "r", "revision": 1}),
        ("POST", "/api/v1/inspections/INS-2020-0004/withdraw", {"\ud800": 1, "reason": "r"}),
        ("PATCH", "/api/v1/inspections/INS-" + "9" * 50, {"reason": "\x00", "revision": 1}),
        ("POST", "/api/v1/inspections/%00/withdraw", {"reason": "x", "revision": 1}),
        (
            "POST",
            "/api/v1/inspections",
            {
                "id": "INS-2035-0001",
                "enterprise_id": "ENT-GX-JINHE",
                "inspected_on": "2024-05-10",
                "inspection_type": "routine",
                "outcome": "compliant",
                "findings_zh": "现场\ud800检查\x00。",
            },
        ),
        # A pollutant that is not text (a list), as bench/fuzz_api.sh sent: was a 500.
        ("POST", "/api/v1/incidents", {**incident(publisher_id=HC), "pollutants": [["Cd"]]}),
        (
            "POST",
            "/api/v1/incidents",
            {**incident(publisher_id=HC), "readings": [{**READING, "pollutant": ["Cd"]}]},
        ),
        # A credit code that is not text: was a 500 too.
        ("POST", "/api/v1/enterprises", {**enterprise(publisher_id=HC), "credit_code": ["x"]}),
    ],
)
def test_hostile_bytes_in_a_write_are_refused_not_a_500(
    sample_app: Flask, method: str, path: str, body: dict[str, object]
) -> None:
    token = publishing_token(sample_app, "DEP-GX-HC-EEB")
    response = sample_app.test_client().open(
        path,
        method=method,
        data=json.dumps(body),  # a lone surrogate travels as the JSON escape \ud800
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]
