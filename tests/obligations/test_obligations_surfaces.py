"""The sample data exercises every status; the API documents itself; the enterprise page's
partial; imports carry the new fields."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlmodel import Session

import factories
from portal import records
from portal.ingest import import_file
from portal.records import obligations as ob


def test_the_sample_shows_every_status_with_links(sample_app: Flask) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    client = sample_app.test_client()
    body = client.get("/api/v1/obligations?limit=1000").get_json()
    assert all(body["counts"][s] > 0 for s in ("filed_on_time", "filed_late", "overdue"))
    assert body["counts"]["not_yet_due"] > 0
    assert {o["type"] for o in body["items"]} == {"annual", "temporary"}
    assert all(o["sample"] for o in body["items"])  # the real Longjiang records carry no flags

    page = client.get("/obligations?lang=en").get_data(as_text=True)
    for status in ("Filed on time", "Filed late", "Overdue", "Not yet due"):
        assert f"</strong> {status}</a>" in page
    assert re.search(r'href="/enterprises/ENT-\d{4}\?lang=en"', page)
    assert re.search(r'href="/disclosures/DIS-\d{4}-\d{4}\?lang=en"', page)
    assert 'href="http://localhost/feeds/obligations.atom?lang=en"' in page
    for link in set(re.findall(r'href="(/(?:enterprises|disclosures|inspections)/[^"]+)"', page)):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_sample_listed_company_fined_below_the_threshold_is_not_obliged(
    sample_app: Flask,
) -> None:
    # ENT-0030 is a listed company fined ¥99,000 in 2021 (INS-2021-0020).
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    body = sample_app.test_client().get("/api/v1/obligations?enterprise=ENT-0030").get_json()
    assert body["total"] == 0


def test_the_api_is_documented_and_revalidates(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/api/v1/obligations"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["status"]["schema"]["enum"] == [s.value for s in ob.Status]
    assert params["year"]["schema"]["minimum"] == 2022
    assert {"200", "304", "400"} <= set(operation["responses"])
    assert "ObligationItem" in doc["components"]["schemas"]
    first = client.get("/api/v1/obligations")
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/obligations", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_pages_of_the_api_follow_next(sample_app: Flask) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    client = sample_app.test_client()
    whole = client.get("/api/v1/obligations?limit=1000").get_json()
    seen, url = [], "/api/v1/obligations?limit=7"
    while url:
        body = client.get(url.replace("http://localhost", "")).get_json()
        seen += [o["id"] for o in body["items"]]
        url = body["next"]
    assert seen == [o["id"] for o in whole["items"]] and len(seen) == whole["total"]


def test_the_enterprise_page_partial_in_one_line(sample_app: Flask) -> None:
    with sample_app.test_request_context("/enterprises/ENT-0010?lang=en"):
        from portal.db import request_session

        session = request_session(sample_app)
        item = records.get_record(session, "ENT-0010")
        obligations = ob.for_enterprise(session, "ENT-0010", ob.clock("2025-06-30"))
        html = render_template_string(
            '{% with obligations_section=true %}{% include "_obligations.html" %}{% endwith %}',
            obligations=obligations,
            item=item,
        )
        none = render_template_string(
            '{% with obligations_section=true %}{% include "_obligations.html" %}{% endwith %}',
            obligations=[],
            item=item,
        )
    assert '<h2 id="obligations-h">Legal environmental disclosure obligations</h2>' in html
    assert 'id="ENT-0010/temporary/INS-2025-0006"' in html and "Overdue" in html
    assert "Annual report for 2023" in html and "Filed late" in html
    assert "/obligations?enterprise=ENT-0010" in html
    assert '<th scope="col">Enterprise</th>' not in html  # its own page names it already
    assert "has no record that obliges this enterprise" in none


def test_csv_imports_carry_the_new_fields(session: Session, tmp_path: Path) -> None:
    factories.publish(session, factories.department())
    factories.publish(session, factories.bureau())
    ent = factories.enterprise()
    enterprises = tmp_path / "enterprises.csv"
    enterprises.write_text(
        "id,publisher_id,name_zh,sector,province,credit_code,listed_company,designations\n"
        f"{ent['id']},DEP-GX-EEB,测试厂,secondary_lead,广西,{ent['credit_code']},true,"
        '"[{""kind"": ""cleaner_production_audit"", ""from_year"": 2023, ""to_year"": 2024, '
        '""department_id"": ""DEP-GX-EEB"", ""source"": {""title"": ""测试名单"", '
        '""published_on"": ""2023-03-31""}}]"\n',
        "utf-8",
    )
    result = import_file(session, enterprises, as_publisher=None)
    assert result.ok, result.problems
    inspections = tmp_path / "inspections.csv"
    inspections.write_text(
        "id,publisher_id,enterprise_id,inspected_on,decided_on,inspection_type,outcome,"
        "findings_zh,penalty_yuan,sanctions\n"
        f"INS-T-CSV1,DEP-GX-EEB,{ent['id']},2024-03-01,2024-03-20,targeted,violation,超标排放,"
        "80000,production_limit;daily_penalty\n",
        "utf-8",
    )
    result = import_file(session, inspections, as_publisher=None)
    assert result.ok, result.problems
    session.commit()
    saved = records.get_record(session, ent["id"])
    assert saved.listed_company and saved.designations[0].to_year == 2024  # type: ignore[attr-defined]
    assert saved.designations[0].source.published_on.isoformat() == "2023-03-31"  # type: ignore[attr-defined]
    found = records.get_record(session, "INS-T-CSV1")
    assert found.sanctions == ["daily_penalty", "production_limit"]  # type: ignore[attr-defined]
    assert found.decided_on.isoformat() == "2024-03-20"  # type: ignore[attr-defined]


def test_bad_new_fields_are_refused_with_their_place(session: Session) -> None:
    factories.publish(session, factories.department())
    factories.publish(session, factories.bureau())
    kind = records.kind_named("enterprises")
    bad = factories.enterprise(
        designations=[
            {
                "kind": "key_discharger",
                "from_year": 2024,
                "to_year": 2023,
                "department_id": "DEP-GX-EEB",
                "source": {"title": "x"},
            }
        ]
    )
    try:
        records.validate_item(kind, bad)
    except records.RecordError as exc:
        assert any("to_year is before from_year" in p.message for p in exc.problems)
    else:
        raise AssertionError("a designation ending before it begins was accepted")
    ent = factories.publish(session, factories.enterprise())
    ins = records.kind_named("inspections")
    for changes, said in [
        ({"outcome": "compliant", "penalty_yuan": None, "sanctions": ["detention"]}, "compliant"),
        ({"sanctions": ["public_shaming"]}, "sanctions.0"),
        ({"decided_on": "2023-05-01"}, "decided_on is before inspected_on"),
    ]:
        try:
            records.validate_item(ins, factories.inspection(ent, **changes))
        except records.RecordError as exc:
            assert any(said in f"{p.field} {p.message}" for p in exc.problems), exc.problems
        else:
            raise AssertionError(changes)
