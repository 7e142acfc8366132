"""Disclosure obligations on a fixed calendar, as a reader sees them on /obligations and in the
API: the 15 March deadline, five working days across a holiday week, the ¥100,000 threshold, a
correction that moves an obligation, and a year before the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

import factories
from portal import records
from portal.records import obligations as ob

SOURCE = {"title": "测试：重点排污单位名录（测试用）", "published_on": "2023-03-31"}


def key_discharger(session: Session, from_year: int = 2023, **kw: Any) -> str:
    """Publish an enterprise that the bureau designated a key discharger from `from_year`."""
    ent = factories.enterprise(
        designations=[
            {
                "kind": "key_discharger",
                "from_year": from_year,
                "department_id": "DEP-GX-EEB",
                "source": SOURCE,
            }
        ],
        **kw,
    )
    return factories.publish(session, ent)


def setup(session: Session) -> None:
    factories.publish(session, factories.department())
    factories.publish(session, factories.bureau())


def annual_report(session: Session, enterprise_id: str, year: int, published_at: str) -> str:
    data = factories.disclosure(
        enterprise_id,
        period_start=f"{year}-01-01",
        period_end=f"{year}-12-31",
        published_at=published_at,
    )
    return factories.publish(session, data)


def api(client: FlaskClient, **args: Any) -> dict[str, Any]:
    response = client.get("/api/v1/obligations", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def row_of(page: str, obligation_id: str) -> str:
    """The table row of one obligation on the page."""
    start = page.index(f'<tr id="{obligation_id}"')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def today(app: Flask) -> Any:
    def set_day(day: str) -> None:
        app.config["OBLIGATIONS_TODAY"] = day

    return set_day


# -- the annual report: by 15 March ------------------------------------------------------------
def test_an_annual_report_filed_on_15_march_is_on_time_and_on_16_march_late(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    on_time, late = key_discharger(session), key_discharger(session)
    # Late in the evening of 15 March, China time (15:30 UTC), is still 15 March.
    annual_report(session, on_time, 2023, "2024-03-15T23:30:00+08:00")
    annual_report(session, late, 2023, "2024-03-16T00:10:00+08:00")
    today("2024-06-30")

    page = client.get("/obligations?year=2023&lang=en").get_data(as_text=True)
    first, second = row_of(page, f"{on_time}/annual/2023"), row_of(page, f"{late}/annual/2023")
    assert "Annual report for 2023" in first and "2024-03-15" in first
    assert "Filed on time" in first and "late" not in first
    assert "Filed late" in second and "1 day late" in second
    assert "Key pollutant-discharging unit" in second

    items = {o["enterprise_id"]: o for o in api(client, year=2023)["items"]}
    assert items[on_time]["status"] == "filed_on_time"
    assert items[on_time]["filed_on"] == "2024-03-15"
    assert items[late]["status"] == "filed_late" and items[late]["days_late"] == 1
    assert items[late]["links"]["disclosure"].endswith(
        f"/disclosures/{items[late]['disclosure_id']}"
    )


def test_before_15_march_it_is_not_yet_due_and_after_it_overdue(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    eid = key_discharger(session)
    today("2024-03-15")
    (item,) = api(client, enterprise=eid, year=2023)["items"]
    assert item["status"] == "not_yet_due" and item["due"] == "2024-03-15"
    today("2024-03-16")
    (item,) = api(client, enterprise=eid, year=2023)["items"]
    assert item["status"] == "overdue" and item["overdue_since"] == "2024-03-16"
    page = client.get(f"/obligations?enterprise={eid}&lang=en").get_data(as_text=True)
    assert "Overdue" in row_of(page, f"{eid}/annual/2023")


def test_counts_at_the_top_follow_the_other_filters(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    eid = key_discharger(session, from_year=2022)
    annual_report(session, eid, 2022, "2023-03-01T10:00:00+08:00")
    today("2024-06-30")
    body = api(client, enterprise=eid, status="overdue")
    assert body["total"] == 1 and [o["year"] for o in body["items"]] == [2023]
    assert body["counts"] == {
        "filed_on_time": 1,
        "filed_late": 0,
        "overdue": 1,
        "not_yet_due": 1,
    }
    assert body["as_of"] == "2024-06-30"
    page = client.get(f"/obligations?enterprise={eid}&lang=en").get_data(as_text=True)
    assert "<strong>1</strong> Filed on time" in page and "<strong>1</strong> Overdue" in page


# -- the temporary report: 5 working days, on China's official calendar -------------------------
# State Council General Office, 国务院办公厅关于2024年部分节假日安排的通知
# (https://www.gov.cn/gongbao/2023/issue_10806/202311/content_6913823.html): Spring Festival off
# from Saturday 10 to Saturday 17 February 2024; Sunday 4 and Sunday 18 February are working days.
# A decision on Friday 9 February: 18 (Sun, make-up), 19, 20, 21, 22 February -> due Thursday 22.
#
# 国务院办公厅关于2025年部分节假日安排的通知
# (https://www.gov.cn/gongbao/2024/issue_11726/202411/content_6989767.html): National Day and
# Mid-Autumn off from 1 to 8 October 2025; Sunday 28 September and Saturday 11 October are
# working days. A decision on Friday 26 September: 28 (Sun), 29, 30 September, 9, 10 October
# -> due Friday 10 October.
@pytest.mark.parametrize(
    ("decided", "due"),
    [("2024-02-09", "2024-02-22"), ("2025-09-26", "2025-10-10")],
)
def test_a_decision_on_the_friday_before_a_holiday_week_is_due_on_the_right_working_day(
    session: Session, client: FlaskClient, today: Any, decided: str, due: str
) -> None:
    assert date.fromisoformat(decided).weekday() == 4  # a Friday
    setup(session)
    eid = key_discharger(session, from_year=2024)
    inspection = factories.inspection(
        eid, inspected_on=decided, decided_on=decided, penalty_yuan=50000
    )
    factories.publish(session, inspection)
    today(due)
    (item,) = api(client, enterprise=eid, type="temporary")["items"]
    assert item["due"] == due and item["status"] == "not_yet_due"
    assert not item["due_estimated"]
    assert item["decision"]["inspection_id"] == inspection["id"]
    page = client.get(f"/obligations?enterprise={eid}&type=temporary&lang=en").get_data(
        as_text=True
    )
    row = row_of(page, f"{eid}/temporary/{inspection['id']}")
    assert f'<time datetime="{due}">{due}</time>' in row and "Not yet due" in row

    day_after = date.fromordinal(date.fromisoformat(due).toordinal() + 1).isoformat()
    today(day_after)
    (item,) = api(client, enterprise=eid, type="temporary")["items"]
    assert item["status"] == "overdue"

    # A temporary report for that decision, filed on the due day, is on time.
    report = factories.disclosure(
        eid,
        category="violations_penalties",
        report_type="temporary",
        period_start=decided,
        period_end=decided,
        published_at=f"{due}T17:00:00+08:00",
    )
    factories.publish(session, report)
    (item,) = api(client, enterprise=eid, type="temporary")["items"]
    assert item["status"] == "filed_on_time" and item["disclosure_id"] == report["id"]


def test_working_days_follow_the_official_calendar() -> None:
    # 2024-02-18 is a Sunday worked in lieu; 2024-02-12 a Monday of the Spring Festival.
    assert ob.is_working_day(date(2024, 2, 18)) == (True, False)
    assert ob.is_working_day(date(2024, 2, 12)) == (False, False)
    assert ob.add_working_days(date(2024, 2, 9), 5) == (date(2024, 2, 22), False)
    # A year whose calendar is not known: Monday to Friday, and said to be an estimate.
    assert ob.add_working_days(date(2100, 1, 1), 5) == (date(2100, 1, 8), True)


# -- who is obliged: listed companies and bond issuers punished the year before -----------------
def listed(session: Session, **kw: Any) -> str:
    return factories.publish(session, factories.enterprise(listed_company=True, **kw))


def test_a_listed_company_fined_99999_is_not_obliged_and_one_fined_100000_is(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    below, at = listed(session), listed(session)
    factories.publish(session, factories.inspection(below, penalty_yuan=99_999))
    fined = factories.inspection(at, penalty_yuan=100_000)
    factories.publish(session, fined)
    today("2024-06-30")

    assert api(client, enterprise=below)["total"] == 0
    (item,) = api(client, enterprise=at)["items"]
    assert item["id"] == f"{at}/annual/2024" and item["status"] == "not_yet_due"
    (reason,) = item["reasons"]
    assert reason["kind"] == "listed_company"
    assert reason["decisions"][0]["inspection_id"] == fined["id"]
    assert reason["decisions"][0]["grounds"] == ["large_fine"]

    page = client.get("/obligations?lang=en").get_data(as_text=True)
    row = row_of(page, f"{at}/annual/2024")
    assert "Listed company punished the year before" in row and "fine ¥100,000" in row
    assert f'id="{below}/' not in page
    empty = client.get(f"/obligations?enterprise={below}&lang=en").get_data(as_text=True)
    assert "No obligation matches" in empty


def test_a_sanction_beyond_the_fine_obliges_a_bond_issuer(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    eid = factories.publish(session, factories.enterprise(bond_issuer=True))
    factories.publish(
        session, factories.inspection(eid, penalty_yuan=30_000, sanctions=["production_suspension"])
    )
    today("2024-06-30")
    (item,) = api(client, enterprise=eid)["items"]
    assert [r["kind"] for r in item["reasons"]] == ["bond_issuer"]
    assert item["reasons"][0]["decisions"][0]["grounds"] == ["production_suspension"]
    row = row_of(client.get("/obligations?lang=en").get_data(as_text=True), item["id"])
    assert "Bond issuer punished the year before" in row and "production suspended" in row


def test_only_penalties_of_ecology_and_environment_departments_count(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    factories.publish(
        session,
        factories.department(
            id="DEP-SAMR",
            publisher_id="DEP-SAMR",
            name_zh="国家市场监督管理总局",
            name_en="State Administration for Market Regulation",
            function="market_regulation",
        ),
    )
    eid = listed(session)
    factories.publish(
        session, factories.inspection(eid, publisher_id="DEP-SAMR", penalty_yuan=500_000)
    )
    today("2024-06-30")
    assert api(client, enterprise=eid)["total"] == 0


def test_a_correction_of_the_fine_moves_the_obligation(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    eid = listed(session)
    fined = factories.inspection(eid, penalty_yuan=99_999)
    factories.publish(session, fined)
    today("2024-06-30")
    assert api(client, enterprise=eid)["total"] == 0

    records.correct(
        session,
        fined["id"],
        {"penalty_yuan": 100_000},
        reason="罚款金额录入错误，应为十万元",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    (item,) = api(client, enterprise=eid)["items"]
    assert item["id"] == f"{eid}/annual/2024"

    # The decision was in January 2024, not 2023: the obligation moves to the next year.
    records.correct(
        session,
        fined["id"],
        {"inspected_on": "2024-01-05"},
        reason="检查日期有误",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    assert api(client, enterprise=eid)["total"] == 0  # 2025 is not here yet
    today("2025-01-02")
    (item,) = api(client, enterprise=eid)["items"]
    assert item["id"] == f"{eid}/annual/2025"


def test_a_withdrawn_penalty_obliges_nobody(
    session: Session, client: FlaskClient, today: Any
) -> None:
    setup(session)
    eid = listed(session)
    fined = factories.inspection(eid, penalty_yuan=300_000)
    factories.publish(session, fined)
    records.withdraw(session, fined["id"], reason="录入了错误的企业", author_id="DEP-GX-EEB")
    session.commit()
    today("2024-06-30")
    assert api(client, enterprise=eid)["total"] == 0


# -- a year before the rules, and other bad input -------------------------------------------------
def test_a_year_before_the_rules_is_answered_plainly(
    session: Session, client: FlaskClient, today: Any
) -> None:
    today("2024-06-30")
    response = client.get("/api/v1/obligations?year=2021")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    assert "no disclosure obligations for 2021" in detail
    assert "in force from 2022-02-08" in detail and "MEE Order No. 24" in detail

    page = client.get("/obligations?year=2021&lang=zh")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "2021 年没有企业环境信息依法披露义务" in text and "2022-02-08 起施行" in text
    english = client.get("/obligations?year=2021&lang=en").get_data(as_text=True)
    assert "There are no disclosure obligations for 2021" in english


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("year=next", "'year' must be a year"),
        ("year=2031", "Obligations for 2031 are not known yet"),
        ("status=late", "'status' must be one of filed_on_time, filed_late, overdue"),
        ("type=quarterly", "'type' must be one of annual, temporary"),
        ("province=Atlantis", "Unknown province 'Atlantis'"),
        ("sector=gold", "'sector' must be one of"),
        ("enterprise=not an id", "'enterprise' takes a record id"),
        ("limit=0", "'limit' must be from 1 to 1000"),
        ("cursor=bm9wZQ", "'cursor' is not one this portal made"),
        ("colour=red", "Unknown parameter 'colour'"),
    ],
)
def test_bad_filters_are_refused_with_a_sentence(
    client: FlaskClient, today: Any, query: str, said: str
) -> None:
    today("2024-06-30")
    response = client.get(f"/api/v1/obligations?{query}")
    assert response.status_code == 400
    assert any(said in p for p in response.get_json()["problems"]), response.get_json()
    page = client.get(f"/obligations?{query}&lang=en")
    assert page.status_code == 400 and said in page.get_data(as_text=True).replace("&#39;", "'")


def test_every_problem_is_listed_at_once(client: FlaskClient) -> None:
    body = client.get("/api/v1/obligations?year=1999&status=x&colour=red").get_json()
    assert body["detail"] == "The query has 3 problems." and len(body["problems"]) == 3
