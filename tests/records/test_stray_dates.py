"""Rows an older portal let in with dates outside the range (9999-12-31, 0001-01-01): every page,
feed, download, the index and the assistant still show them, and `portal check` names each one
so that its publisher can correct it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import update
from sqlmodel import Session

from conftest import Portal
from factories import basics, disclosure, incident, inspection, publish
from portal.db import get_engine
from portal.models import Disclosure, Incident, IncidentReading, IncidentUpdate, Inspection

FAR = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
FIRST = datetime(1, 1, 1, tzinfo=UTC)


def _older_portal_wrote(url: str) -> None:
    """Records published, then dates set as the write API accepted them before the range."""
    with Session(get_engine(url)) as session:
        ids = basics(session)
        publish(
            session,
            incident(
                id="INC-2012-0001",
                updates=[
                    {
                        "department_id": "DEP-GX-EEB",
                        "at": "2012-01-16T10:00:00+08:00",
                        "text_zh": "已启动应急响应。",
                    }
                ],
            ),
        )
        publish(session, inspection(ids["enterprise"], id="INS-2023-0001"))
        publish(session, disclosure(ids["enterprise"], id="DIS-2023-0001"))
    with get_engine(url).begin() as conn:
        conn.execute(
            update(Incident)
            .where(Incident.id == "INC-2012-0001")
            .values(began_at=FAR, found_at=FAR, published_at=FAR)
        )
        conn.execute(update(IncidentReading).values(measured_at=FIRST))
        conn.execute(update(IncidentUpdate).values(at=FAR))
        conn.execute(
            update(Inspection).values(inspected_on=date(1, 1, 1), deadline=date(9999, 12, 31))
        )
        conn.execute(update(Disclosure).values(period_start=date(1, 1, 1)))


def test_rows_from_before_the_range_are_shown_and_listed_by_check(
    app: Flask, database_url: str, portal: Portal, tmp_path: Path
) -> None:
    _older_portal_wrote(database_url)
    assert portal("reindex").exit_code == 0  # one such row stopped every later index write
    client = app.test_client()
    for path in (
        "/",
        "/incidents",
        "/incidents?province=45",
        "/incidents/INC-2012-0001",
        "/incidents/INC-2012-0001/history",
        "/inspections",
        "/inspections/INS-2023-0001",
        "/disclosures/DIS-2023-0001",
        "/departments/DEP-GX-EEB",
        "/enterprises",
        "/obligations",
        "/search?q=镉",
        "/feeds/all.atom",
        "/feeds/incidents.rss",
        "/feeds/departments/DEP-GX-EEB.atom",
        "/api/v1/incidents/INC-2012-0001",
        "/api/v1/incidents.csv",
        "/api/v1/incidents.ndjson",
        "/api/v1/inspections.csv",
        "/api/v1/disclosures.ndjson",
        "/api/v1/search?q=镉",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    assert "INC-2012-0001" in client.get("/api/v1/search?q=镉").get_data(as_text=True)
    answer = client.post("/api/v1/ask", json={"question": "龙江镉污染"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]

    result = portal("check")
    assert result.exit_code == 1, result.output
    for line in (
        "INC-2012-0001: began_at 9999-12-31T23:59:59+00:00 is outside 1900-01-01 to 2099-12-31",
        "INC-2012-0001: readings.measured_at 0001-01-01T00:00:00+00:00 is outside",
        "INC-2012-0001: updates.at 9999-12-31T23:59:59+00:00 is outside",
        "INS-2023-0001: inspected_on 0001-01-01 is outside",
        "INS-2023-0001: deadline 9999-12-31 is outside",
        "DIS-2023-0001: period_start 0001-01-01 is outside",
    ):
        assert line in result.output, result.output
    assert "The index and the database agree." in result.output
    assert result.output.strip().splitlines()[-1].startswith("error: 8 stored date(s) lie")
