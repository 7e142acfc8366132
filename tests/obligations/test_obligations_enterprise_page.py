"""An enterprise's page shows its disclosure obligations: computed for it alone, the same as
its slice of every enterprise's obligations (the /obligations page and API)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlmodel import Session, col

from portal.models.enterprise import Enterprise
from portal.records import obligations as ob


def test_the_enterprise_page_shows_its_obligations(
    sample_app: Flask, sample_client: FlaskClient
) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    listed = sample_client.get("/api/v1/obligations?year=2024&limit=5").get_json()["items"]
    assert listed
    enterprise = listed[0]["enterprise_id"]
    page = sample_client.get(f"/enterprises/{enterprise}?lang=en").get_data(as_text=True)
    assert "Annual report for 2024" in page
    plain = sample_client.get("/enterprises/ENT-GX-JINHE?lang=en")
    assert plain.status_code == 200


def test_an_enterprises_obligations_are_its_slice_of_all_of_them(sample_session: Session) -> None:
    """The enterprise page computes one enterprise's obligations from its own rows; they must be
    exactly what the full computation (the /obligations page and API) holds for it."""
    ids = sorted(sample_session.scalars(select(col(Enterprise.id))))
    for day in (ob.clock("2023-03-16"), ob.clock("2025-06-30")):
        full = ob.compute(sample_session, day)
        obliged = {o.enterprise_id for o in full}
        assert len(obliged) >= 5  # the sample obliges several enterprises, for several reasons
        for enterprise_id in [*ids, "ENT-NOT-HERE"]:
            alone = ob.for_enterprise(sample_session, enterprise_id, day)
            assert alone == [o for o in full if o.enterprise_id == enterprise_id], enterprise_id


def test_an_enterprises_obligations_read_only_its_own_rows(sample_session: Session) -> None:
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    engine = sample_session.get_bind().engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        found = ob.for_enterprise(sample_session, "ENT-0010", ob.clock("2025-06-30"))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert found
    gathering = [
        (s, p)
        for s, p in statements
        if re.search(r"\bFROM (enterprise|inspection|disclosure)\b", s)
    ]
    assert len(gathering) == 3  # the enterprise, its penalty decisions, its disclosures
    for statement, parameters in gathering:
        values = parameters.values() if isinstance(parameters, dict) else parameters
        assert "ENT-0010" in values, statement


def test_the_enterprise_page_lists_what_the_obligations_page_lists(
    sample_app: Flask, sample_client: FlaskClient
) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    rows = 0
    for enterprise in ("ENT-0010", "ENT-0024", "ENT-0030", "ENT-0027", "ENT-GX-JINHE"):
        listed = sample_client.get(
            f"/api/v1/obligations?enterprise={enterprise}&limit=1000"
        ).get_json()["items"]
        page = sample_client.get(f"/enterprises/{enterprise}?lang=en").get_data(as_text=True)
        shown = re.findall(rf'<tr id="({enterprise}/[^"]+)"', page)
        assert shown == [o["id"] for o in listed], enterprise
        rows += len(shown)
    assert rows >= 8
