"""The listing filters a count needs beyond city: county, park, river and an enterprise by name,
in SQL, in the JSON API and its OpenAPI document, and refused by search (the index lacks them)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, enterprise, incident, inspection, publish
from portal import records
from portal.db import get_engine
from portal.records import parse_query


def _world(session: Session) -> None:
    """Two invented enterprises in two counties and parks; incidents on two rivers."""
    basics(session)
    publish(
        session,
        enterprise(
            id="ENT-QX-1",
            name_zh="岚屿市澄岭再生铅有限公司",
            name_en="Lanyu Chengling Secondary Lead Co., Ltd.",
            city_zh="岚屿市",
            city_en="Lanyu",
            county_zh="沐溪县",
            county_en="Muxi County",
            park_zh="沐溪工业园区",
            park_en="Muxi Industrial Park",
        ),
    )
    publish(
        session,
        enterprise(
            id="ENT-QX-2",
            name_zh="岚屿市钧泰铜业有限公司",
            name_en="Lanyu Juntai Copper Co., Ltd.",
            city_zh="岚屿市",
            city_en="Lanyu",
            county_zh="棠川县",
            county_en="Tangchuan County",
        ),
    )
    for n, ent in enumerate(("ENT-QX-1", "ENT-QX-1", "ENT-QX-2")):
        publish(session, inspection(ent, id=f"INS-QX-{n}"))
    publish(
        session,
        incident(
            id="INC-QX-1",
            river_zh="澄溪河",
            river_en="Chengxi River",
            responsible=[{"enterprise_id": "ENT-QX-1"}],
        ),
    )
    publish(session, incident(id="INC-QX-2", river_zh="棠江", river_en="Tangjiang"))


def _ids(session: Session, kind: str, **args: str) -> set[str]:
    return {r.id for r in records.run(session, parse_query(kind, args)).rows}


@pytest.mark.parametrize(
    ("kind", "args", "expected"),
    [
        ("inspections", {"county": "沐溪县"}, {"INS-QX-0", "INS-QX-1"}),
        ("inspections", {"county": "tangchuan county"}, {"INS-QX-2"}),
        ("inspections", {"park": "Muxi Industrial Park"}, {"INS-QX-0", "INS-QX-1"}),
        ("enterprises", {"park": "沐溪工业园区"}, {"ENT-QX-1"}),
        ("enterprises", {"county": "棠川县"}, {"ENT-QX-2"}),
        ("incidents", {"river": "澄溪河"}, {"INC-QX-1"}),
        ("incidents", {"river": "TANGJIANG"}, {"INC-QX-2"}),
        ("incidents", {"county": "Muxi County"}, {"INC-QX-1"}),
        ("inspections", {"enterprise_name": "Chengling lead"}, {"INS-QX-0", "INS-QX-1"}),
        ("inspections", {"enterprise_name": "钧泰"}, {"INS-QX-2"}),
        ("incidents", {"enterprise_name": "澄岭"}, {"INC-QX-1"}),
        ("inspections", {"county": "沐溪"}, set()),  # a name as recorded, not a part of it
    ],
)
def test_place_and_name_filters(
    session: Session, kind: str, args: dict[str, str], expected: set[str]
) -> None:
    _world(session)
    assert _ids(session, kind, **args) == expected
    assert records.listing.count(session, parse_query(kind, args)) == len(expected)


def test_filters_that_do_not_apply_are_refused() -> None:
    with pytest.raises(records.QueryError, match="'river' does not apply to inspections"):
        parse_query("inspections", {"river": "澄溪河"})


def test_the_api_takes_them_and_documents_them(client: FlaskClient, database_url: str) -> None:
    with Session(get_engine(database_url)) as session:
        _world(session)
    page = client.get("/api/v1/inspections?county=Muxi%20County").get_json()
    assert page["total"] == 2 and {i["id"] for i in page["items"]} == {"INS-QX-0", "INS-QX-1"}
    river = client.get("/api/v1/incidents?river=Chengxi%20River").get_json()
    assert [i["id"] for i in river["items"]] == ["INC-QX-1"]
    doc = client.get("/api/v1/openapi.json").get_json()
    incidents = {p["name"] for p in doc["paths"]["/api/v1/incidents"]["get"]["parameters"]}
    assert {"county", "park", "river", "enterprise_name"} <= incidents
    inspections = {p["name"] for p in doc["paths"]["/api/v1/inspections"]["get"]["parameters"]}
    assert "river" not in inspections and "county" in inspections
    search = client.get("/api/v1/search?q=lead&county=Muxi")
    assert search.status_code == 400 and "Unknown parameter 'county'" in search.get_data(True)


def test_the_html_listing_shows_the_filter(client: FlaskClient, database_url: str) -> None:
    with Session(get_engine(database_url)) as session:
        _world(session)
    page = client.get("/incidents?river=澄溪河&lang=zh").get_data(as_text=True)
    assert (
        "河流" in page and "“<bdi>澄溪河</bdi>”" in page and 'name="river" value="澄溪河"' in page
    )
