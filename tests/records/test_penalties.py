"""Penalties outside inspections (issue 21): a court's fine after an incident and a customs
penalty on an enterprise's own record are published in a structured form, refused with a
sentence when incomplete, counted with the inspections' fines by every summary, totalled per
currency (CNY and USD never added), shown on the pages, downloads and in the assistant's facts."""

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

from conftest import _app, portal_like
from factories import basics, enterprise, incident, inspection, publishing_token
from portal.assistant.facts import facts
from portal.db import get_engine
from portal.records import compliance, get_record

COURT = {
    "amount": 162000,
    "currency": "USD",
    "approximate": True,
    "authority_zh": "示例法院（示例）",
    "authority_en": "Example court (example)",
    "decided_on": "2013-07-01",
    "source": {"title": "示例报道（示例）", "url": "https://example.org/court"},
}
CUSTOMS = {
    "amount": 80000,
    "currency": "CNY",
    "authority_zh": "示例海关（示例）",
    "authority_en": "Example customs (example)",
    "department_id": "DEP-GX-EEB",
}


@pytest.fixture
def portal_app(database_url: str, index_dir: Path) -> Flask:
    """The ministry, the Guangxi bureau and an enterprise (rate limits off)."""
    with Session(get_engine(database_url)) as session:
        basics(session)
    return portal_like(_app(database_url, index_dir), RATELIMIT_ENABLED=False)


def _post(client: FlaskClient, token: str, kind: str, body: dict[str, Any]) -> Any:
    body = {k: v for k, v in body.items() if k != "publisher_id"}
    return client.post(f"/api/v1/{kind}", json=body, headers={"Authorization": f"Bearer {token}"})


def _published(client: FlaskClient, token: str) -> str:
    """An enterprise with a customs penalty of its own, an inspection fine of ¥120,000 and an
    incident whose court fine is about US$162,000; returns the enterprise's id."""
    ent = enterprise(id="ENT-T-FINED", penalties=[CUSTOMS])
    for kind, body in (
        ("enterprises", ent),
        ("inspections", inspection(ent["id"], id="INS-T-FINED")),
        (
            "incidents",
            incident(
                id="INC-T-COURT",
                responsible=[{"enterprise_id": ent["id"]}],
                penalties=[{"enterprise_id": ent["id"], **COURT}],
            ),
        ),
    ):
        response = _post(client, token, kind, body)
        assert response.status_code == 201, response.get_data(as_text=True)
    return str(ent["id"])


def test_every_summary_counts_every_penalty_per_currency(
    portal_app: Flask, database_url: str
) -> None:
    client = portal_app.test_client()
    ent = _published(client, publishing_token(portal_app, "DEP-GX-EEB"))

    stored = client.get("/api/v1/incidents/INC-T-COURT").get_json()["penalties"]
    assert stored == [{"enterprise_id": ent, "department_id": None, **COURT}]
    own = client.get(f"/api/v1/enterprises/{ent}").get_json()["penalties"]
    assert own == [
        {
            "enterprise_id": ent,
            "approximate": False,
            "authority_en": "Example customs (example)",
            "decided_on": None,
            "source": None,
            **CUSTOMS,
        }
    ]

    with Session(get_engine(database_url)) as session:
        row = compliance.for_enterprise(session, ent)
        listed = compliance.penalties_of(session, ent)
    assert row is not None and row.penalties == 3
    assert row.fines_cny == 120000 + 80000
    assert [(f.currency, f.amount, f.approximate) for f in row.fines] == [
        ("CNY", 200000, False),
        ("USD", 162000, True),
    ]
    assert [(p.record_id, p.amount, p.currency) for p in listed] == [
        ("INS-T-FINED", 120000, "CNY"),  # 2023-05-10
        ("INC-T-COURT", 162000, "USD"),  # 2013-07-01
        (ent, 80000, "CNY"),  # no date: last
    ]

    for lang, cny, usd, count in (
        ("en", "¥200,000", "about US$162,000", "3</strong> penalties, from every source"),
        ("zh", "200,000元", "约162,000美元", "3</strong> 项处罚（全部来源）"),
    ):
        page = client.get(f"/enterprises/{ent}?lang={lang}").get_data(as_text=True)
        glance = page.split('class="figures small"')[1].split("</ul>")[0]
        assert f"<strong>{cny}</strong> · <strong>{usd}</strong>" in glance, glance
        assert count in glance, glance
        section = page.split('id="penalties-h"')[1].split("</section>")[0]
        assert section.count("<li>") == 3 and "INC-T-COURT" in section, section
        shown = client.get(f"/incidents/INC-T-COURT?lang={lang}").get_data(as_text=True)
        assert usd in shown.split('id="penalties-h"')[1], shown

    with Session(get_engine(database_url)) as session:
        said = {
            f.text for f in facts(get_record(session, "INC-T-COURT"), {}) if "penalties" in f.field
        }
    assert said == {
        f"{ent}于2013-07-01因龙江镉污染被示例法院（示例）罚款约162,000美元。",
        f"{ent} was fined about US$162,000 by Example court (example) on 2013-07-01 over "
        "Cadmium in the Longjiang.",
    }


def test_a_withdrawn_incident_takes_its_penalties_out_of_the_totals(
    portal_app: Flask, database_url: str
) -> None:
    client = portal_app.test_client()
    token = publishing_token(portal_app, "DEP-GX-EEB")
    ent = _published(client, token)
    gone = client.post(
        "/api/v1/incidents/INC-T-COURT/withdraw",
        json={"reason": "published in error", "revision": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert gone.status_code == 200, gone.get_data(as_text=True)
    with Session(get_engine(database_url)) as session:
        row = compliance.for_enterprise(session, ent)
    assert row is not None and row.penalties == 2
    assert [(f.currency, f.amount) for f in row.fines] == [("CNY", 200000)]


def test_a_correction_keeps_or_replaces_the_penalties(portal_app: Flask) -> None:
    client = portal_app.test_client()
    token = publishing_token(portal_app, "DEP-GX-EEB")
    ent = _published(client, token)
    headers = {"Authorization": f"Bearer {token}"}

    def correct(changes: dict[str, Any], revision: int) -> Any:
        body = {"reason": "更正处罚信息", "revision": revision, "changes": changes}
        return client.patch("/api/v1/incidents/INC-T-COURT", json=body, headers=headers)

    assert correct({"status": "closed"}, 1).status_code == 200
    assert len(client.get("/api/v1/incidents/INC-T-COURT").get_json()["penalties"]) == 1
    fixed = {"enterprise_id": ent, **COURT, "amount": 160000}
    assert correct({"penalties": [fixed]}, 2).status_code == 200
    after = client.get("/api/v1/incidents/INC-T-COURT").get_json()["penalties"]
    assert [p["amount"] for p in after] == [160000]


@pytest.mark.parametrize(
    ("kind", "penalty", "words"),
    [
        ("incidents", {**COURT}, "penalties.0.enterprise_id is required"),
        ("incidents", {"enterprise_id": "ENT-NOPE", **COURT}, "there is no enterprise ENT-NOPE"),
        (
            "incidents",
            {"enterprise_id": "ENT-T-X", **COURT, "currency": "yuan"},
            "Input should be 'CNY', 'USD'",
        ),
        ("incidents", {"enterprise_id": "ENT-T-X", **COURT, "amount": 0}, "greater than or equal"),
        ("incidents", {"enterprise_id": "ENT-T-X", **COURT, "amount": True}, "not a number"),
        ("incidents", {"enterprise_id": "ENT-T-X", "amount": 5, "currency": "CNY"}, "authority_zh"),
        ("enterprises", {"enterprise_id": "ENT-T-OTHER", **COURT}, "penalties are its own"),
    ],
)
def test_an_incomplete_penalty_is_refused_with_a_sentence(
    portal_app: Flask, kind: str, penalty: dict[str, Any], words: str
) -> None:
    client = portal_app.test_client()
    token = publishing_token(portal_app, "DEP-GX-EEB")
    assert _post(client, token, "enterprises", enterprise(id="ENT-T-X")).status_code == 201
    body = (
        incident(responsible=[{"enterprise_id": "ENT-T-X"}], penalties=[penalty])
        if kind == "incidents"
        else enterprise(penalties=[penalty])
    )
    response = _post(client, token, kind, body)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert words in response.get_data(as_text=True)
    assert "penalties" in response.get_data(as_text=True)


def test_downloads_carry_the_penalties(portal_app: Flask) -> None:
    client = portal_app.test_client()
    ent = _published(client, publishing_token(portal_app, "DEP-GX-EEB"))
    table = client.get("/api/v1/incidents.csv").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(table)))
    assert json.loads(row["penalties"])[0]["currency"] == "USD"
    parquet = pq.read_table(io.BytesIO(client.get("/api/v1/enterprises.parquet").get_data()))
    own = {r["id"]: r["penalties"] for r in parquet.to_pylist()}[ent]
    assert json.loads(own)[0]["authority_zh"] == "示例海关（示例）"
    package = client.get("/api/v1/datapackage.json").get_json()
    fields = {
        f["name"]: f
        for r in package["resources"]
        if r["name"].startswith("incidents")
        for f in r["schema"]["fields"]
    }
    assert "currency" in fields["penalties"]["description"]


def test_the_sample_jinhe_page_no_longer_says_no_fines(sample_client: FlaskClient) -> None:
    """The sample's text says Jinhe was fined about US$162,000; its page says so too."""
    page = sample_client.get("/enterprises/ENT-GX-JINHE?lang=en").get_data(as_text=True)
    glance = page.split('class="figures small"')[1].split("</ul>")[0]
    assert re.search(r"<strong>about US\$162,000</strong>\s*in fines", glance), glance
    assert "¥0" not in glance
