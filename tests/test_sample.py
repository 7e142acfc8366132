"""The sample data set: the real Longjiang incident as the sources report it, and an illustrative
set that is flagged as such and covers every sector, department and disclosure category."""

from collections import Counter

import pytest
from sqlmodel import Session, col, select

from portal import records
from portal.models import Department, Disclosure, Enterprise, Incident, Inspection, Response, Tip


def test_loading_again_changes_nothing(sample_portal) -> None:
    result = sample_portal("load-sample")
    assert result.exit_code == 0, result.output
    assert "0 new" in result.output


def test_load_sample_if_empty_skips_a_filled_database(sample_portal) -> None:
    result = sample_portal("load-sample", "--if-empty")
    assert "already has records" in result.output


def test_counts_are_as_the_issue_asks(sample_session: Session) -> None:
    def n(table: type) -> int:
        return len(sample_session.exec(select(table)).all())

    assert 35 <= n(Enterprise) <= 50
    assert 18 <= n(Incident) <= 25
    assert n(Inspection) == 150 and n(Disclosure) == 150
    assert n(Response) >= 10 and n(Tip) >= 5


def test_longjiang_incident_is_real_and_sourced(sample_session: Session) -> None:
    inc = records.get_record(sample_session, "INC-2012-0001")
    assert inc is not None and not inc.sample
    assert inc.province == "45" and "Cd" in inc.pollutants  # type: ignore[attr-defined]
    assert len(inc.sources) >= 3 and all(s["title"] for s in inc.sources)
    luodong = [
        r
        for r in inc.readings  # type: ignore[attr-defined]
        if r.pollutant == "Cd" and r.value == pytest.approx(0.0247)
    ]
    assert luodong and luodong[0].exceedance_factor == pytest.approx(4.94)
    names = records.names(sample_session, [r.enterprise_id for r in inc.responsible])  # type: ignore[attr-defined]
    zh_names = {zh for zh, _ in names.values()}
    assert "广西金河矿业股份有限公司" in zh_names
    assert "河池市金城江区鸿泉立德粉材料厂" in zh_names
    for enterprise_id in names:
        assert not records.get_record(sample_session, enterprise_id).sample  # type: ignore[union-attr]


def test_everything_else_is_flagged_illustrative(sample_session: Session) -> None:
    real_incidents = sample_session.exec(
        select(Incident).where(col(Incident.sample).is_(False))
    ).all()
    assert [i.id for i in real_incidents] == ["INC-2012-0001"]
    for table in (Inspection, Disclosure, Response, Tip):
        assert all(r.sample for r in sample_session.exec(select(table)).all()), table
    real_enterprises = sample_session.exec(
        select(Enterprise).where(col(Enterprise.sample).is_(False))
    ).all()
    assert len(real_enterprises) == 2


def test_inspections_come_from_all_six_functions(sample_session: Session) -> None:
    functions = {d.id: d.function for d in sample_session.exec(select(Department)).all()}
    used = Counter(functions[i.publisher_id] for i in sample_session.exec(select(Inspection)).all())
    assert {
        "environment",
        "market_regulation",
        "customs",
        "industry",
        "financial_regulation",
        "association",
    } <= set(used)
    outcomes = Counter(i.outcome for i in sample_session.exec(select(Inspection)).all())
    assert len(outcomes) == 3 and min(outcomes.values()) >= 10


def test_disclosures_cover_the_eight_categories(sample_session: Session) -> None:
    categories = {d.category for d in sample_session.exec(select(Disclosure)).all()}
    assert len(categories) == 8


def test_enterprises_cover_every_sector(sample_session: Session) -> None:
    sectors = {e.sector for e in sample_session.exec(select(Enterprise)).all()}
    assert len(sectors) == 8


def test_chinese_everywhere_english_mostly(sample_session: Session) -> None:
    rows = sample_session.exec(select(Inspection)).all()
    assert all(r.findings_zh for r in rows)
    assert sum(1 for r in rows if r.findings_en) / len(rows) >= 0.7


def test_some_readings_exceed_and_some_have_no_limit(sample_session: Session) -> None:
    _, items = records.list_records(
        sample_session, records.RecordQuery(kind="incidents", limit=100)
    )
    readings = [r for i in items for r in i.readings]  # type: ignore[attr-defined]
    assert any(r.exceeds for r in readings)
    assert any(r.exceeds is False for r in readings)
    assert any(r.limit is None for r in readings)
