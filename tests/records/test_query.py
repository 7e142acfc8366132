"""RecordQuery: one parser for every surface, filters that mean what they say, stable pages."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from factories import basics, department, disclosure, enterprise, incident, inspection, publish
from portal import records
from portal.records import QueryError, parse_query


def ids(session: Session, kind: str, **args: str) -> list[str]:
    """Every id a listing returns, following cursors."""
    query = parse_query(kind, args)
    out = []
    while True:
        page = records.run(session, query)
        out += [r.id for r in page.rows]
        if page.next_cursor is None:
            return out
        query = query.next_page(page.next_cursor)


@pytest.fixture
def world(session: Session) -> dict[str, str]:
    """Two provinces, two sectors, three inspections, two incidents."""
    base = basics(session)
    publish(
        session,
        department(
            id="DEP-SAMR",
            publisher_id="DEP-SAMR",
            name_zh="国家市场监督管理总局",
            function="market_regulation",
        ),
    )
    lead = enterprise(
        id="ENT-ZJ-1",
        province="浙江",
        city_zh="宁波市",
        city_en="Ningbo",
        sector="secondary_lead",
        publisher_id="DEP-MEE",
    )
    publish(session, lead)
    publish(session, inspection(base["enterprise"], id="INS-A", inspected_on="2023-01-05"))
    publish(
        session,
        inspection(
            base["enterprise"],
            id="INS-B",
            inspected_on="2023-06-05",
            outcome="compliant",
            penalty_yuan=None,
            pollutants=["Pb"],
        ),
    )
    publish(
        session,
        inspection(
            "ENT-ZJ-1",
            id="INS-C",
            inspected_on="2024-02-01",
            publisher_id="DEP-SAMR",
            pollutants=[],
        ),
    )
    publish(session, incident(id="INC-A", responsible=[{"enterprise_id": base["enterprise"]}]))
    publish(
        session,
        incident(
            id="INC-B",
            began_at="2020-03-01T00:00:00+08:00",
            province="浙江",
            readings=[],
            pollutants=["Pb"],
            updates=[
                {
                    "department_id": "DEP-SAMR",
                    "at": "2020-03-02T00:00:00+08:00",
                    "text_zh": "已立案",
                }
            ],
        ),
    )
    publish(session, disclosure(base["enterprise"], id="DIS-A"))
    return {**base, "lead": "ENT-ZJ-1"}


@pytest.mark.parametrize(
    ("kind", "args", "expected"),
    [
        ("inspections", {}, ["INS-C", "INS-B", "INS-A"]),
        ("inspections", {"sort": "oldest"}, ["INS-A", "INS-B", "INS-C"]),
        ("inspections", {"province": "Guangxi"}, ["INS-B", "INS-A"]),
        ("inspections", {"province": "浙江"}, ["INS-C"]),
        ("inspections", {"city": "ningbo"}, ["INS-C"]),
        ("inspections", {"sector": "secondary_lead"}, ["INS-C"]),
        ("inspections", {"outcome": "compliant"}, ["INS-B"]),
        ("inspections", {"pollutant": "cadmium"}, ["INS-A"]),
        ("inspections", {"pollutant": "铅"}, ["INS-B"]),
        ("inspections", {"department": "DEP-MEE"}, ["INS-B", "INS-A"]),  # bureaus under it
        ("inspections", {"department": "DEP-SAMR"}, ["INS-C"]),
        ("inspections", {"enterprise": "ENT-ZJ-1"}, ["INS-C"]),
        ("inspections", {"from": "2023-06-05", "to": "2023-06-05"}, ["INS-B"]),
        ("inspections", {"text": "镉超标"}, ["INS-C", "INS-B", "INS-A"]),
        ("inspections", {"text": "100%_"}, []),  # LIKE wildcards are literal
        ("incidents", {"pollutant": "Cd"}, ["INC-A"]),  # from the reading
        ("incidents", {"department": "DEP-SAMR"}, ["INC-B"]),  # via its timeline
        ("incidents", {"enterprise": "ENT-T0003"}, []),
        ("incidents", {"from": "2012-01-15", "to": "2012-01-15"}, ["INC-A"]),
        ("incidents", {"sector": "primary_smelting"}, ["INC-A"]),
        ("disclosures", {"pollutant": "Pb"}, ["DIS-A"]),
        ("disclosures", {"province": "浙江"}, []),
        ("enterprises", {"province": "45", "sector": "primary_smelting"}, None),
        ("departments", {"department": "DEP-MEE"}, None),
    ],
)
def test_filters(
    session: Session, world: dict, kind: str, args: dict, expected: list | None
) -> None:
    got = ids(session, kind, **args)
    # The count spells each filter for a set-driven plan, the pages for an index walk: the
    # two must agree.
    assert records.run(session, parse_query(kind, args)).total == len(got)
    if expected is None:  # ids that depend on the factory's counter
        if kind == "enterprises":
            expected = [world["enterprise"]]
        else:
            expected = sorted(["DEP-MEE", "DEP-GX-EEB"], reverse=True)
            got = sorted(got, reverse=True)
    assert got == expected


def test_enterprise_filter_on_incidents_uses_the_responsible_list(
    session: Session, world: dict
) -> None:
    assert ids(session, "incidents", enterprise=world["enterprise"]) == ["INC-A"]


def test_total_counts_every_page(session: Session, world: dict) -> None:
    page = records.run(session, parse_query("inspections", {"limit": "1"}))
    assert page.total == 3 and len(page.rows) == 1 and page.next_cursor is not None


def test_totals_are_fresh_after_every_write(session: Session, world: dict) -> None:
    query = parse_query("inspections", {"outcome": "violation", "limit": "1"})
    before = records.run(session, query).total
    assert records.run(session, query).total == before  # asked again: the same, from memory
    publish(session, inspection(world["enterprise"], id="INS-D"))
    assert records.run(session, query).total == before + 1
    records.withdraw(session, "INS-D", reason="重复录入的检查记录", author_id="DEP-GX-EEB")
    session.commit()
    assert records.run(session, query).total == before


def test_cursor_pages_stay_correct_while_records_are_added(session: Session) -> None:
    base = basics(session)
    for n in range(5):
        publish(
            session,
            inspection(base["enterprise"], id=f"INS-P{n}", inspected_on=f"2023-01-0{n + 1}"),
        )
    first = records.run(session, parse_query("inspections", {"limit": "2"}))
    assert [r.id for r in first.rows] == ["INS-P4", "INS-P3"]
    # A newer record arrives between page 1 and page 2: it must not shift page 2.
    publish(session, inspection(base["enterprise"], id="INS-P9", inspected_on="2023-02-01"))
    second = records.run(session, first.query.next_page(first.next_cursor))  # type: ignore[arg-type]
    assert [r.id for r in second.rows] == ["INS-P2", "INS-P1"]


def test_same_date_ties_are_broken_by_id(session: Session) -> None:
    base = basics(session)
    for n in range(5):
        publish(session, inspection(base["enterprise"], id=f"INS-S{n}", inspected_on="2023-01-01"))
    assert ids(session, "inspections", limit="2") == [f"INS-S{n}" for n in (4, 3, 2, 1, 0)]


def test_updated_since_lists_what_changed(session: Session) -> None:
    base = basics(session)
    publish(session, inspection(base["enterprise"], id="INS-U1"))
    publish(session, inspection(base["enterprise"], id="INS-U2"))
    later = datetime.now(UTC) + timedelta(seconds=1)
    records.correct(
        session,
        "INS-U1",
        {"penalty_yuan": 5},
        reason="typo fix",
        author_id="DEP-GX-EEB",
        now=later + timedelta(seconds=1),
    )
    session.commit()
    assert ids(session, "inspections", updated_since=later.isoformat()) == ["INS-U1"]


@pytest.mark.parametrize(
    ("kind", "args", "message"),
    [
        ("inspections", {"outcome": "guilty"}, "'outcome' must be one of compliant"),
        ("inspections", {"pollutant": "kryptonite"}, "Unknown pollutant 'kryptonite'"),
        ("inspections", {"province": "Atlantis"}, "Unknown province 'Atlantis'"),
        ("inspections", {"from": "2023-02-30"}, "'from' must be a date as YYYY-MM-DD"),
        ("inspections", {"from": "2024-01-01", "to": "2023-01-01"}, "'from' is after 'to'"),
        ("inspections", {"limit": "0"}, "'limit' must be from 1 to 1000, not 0"),
        ("inspections", {"limit": "-1"}, "'limit' must be from 1 to 1000"),
        ("inspections", {"limit": "1000000000"}, "'limit' must be from 1 to 1000"),
        ("inspections", {"limit": "ten"}, "'limit' must be a whole number"),
        ("inspections", {"cursor": "not-a-cursor"}, "'cursor' is not one this portal made"),
        ("inspections", {"cursor": "WyJ4IiwiSU5TLTEiXQ"}, "'cursor' is not one this portal made"),
        ("inspections", {"status": "closed"}, "The filter 'status' does not apply to inspections"),
        ("inspections", {"colour": "red"}, "Unknown parameter 'colour'"),
        ("inspections", {"enterprise": "../../etc/passwd"}, "'enterprise' takes a record id"),
        ("inspections", {"text": "x" * 501}, "'text' is longer than 500 characters"),
        ("inspections", {"updated_since": "yesterday"}, "'updated_since' must be a date"),
        ("incidents", {"status": "sleeping"}, "'status' must be one of reported"),
        ("enterprises", {"sample": "maybe"}, "'sample' must be true"),
    ],
)
def test_bad_queries_say_what_to_fix(kind: str, args: dict, message: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(kind, args)
    assert any(message in p for p in err.value.problems), err.value.problems


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(QueryError) as err:
        parse_query("inspections", {"outcome": "x", "limit": "0", "colour": "red"})
    assert len(err.value.problems) == 3


def test_unknown_kind() -> None:
    with pytest.raises(records.UnknownKind, match="no record kind 'ships'"):
        parse_query("ships", {})


def test_filters_round_trip_to_query_strings() -> None:
    args = {"province": "广西", "pollutant": "镉", "from": "2012-01-01", "sort": "oldest"}
    query = parse_query("incidents", args)
    assert query.filters() == {
        "province": "45",
        "pollutant": "Cd",
        "from": "2012-01-01",
        "sort": "oldest",
    }
    assert parse_query("incidents", query.filters()) == query
