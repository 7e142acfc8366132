"""Publish, correct and withdraw: history is kept, tombstones stay readable, nothing half-done."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from factories import basics, enterprise, incident, inspection, publish
from portal import records
from portal.models import IncidentReading, Revision
from portal.records import RecordError


def test_publish_makes_revision_one_with_a_snapshot(session: Session) -> None:
    ids = basics(session)
    rec = records.get_record(session, ids["enterprise"])
    assert rec is not None and rec.revision == 1
    (rev,) = records.history(session, ids["enterprise"])
    assert rev.action == "publish" and rev.number == 1 and rev.changes == {}
    assert rev.author_id == "DEP-GX-EEB"


def test_publishing_the_same_id_twice_is_a_conflict(session: Session) -> None:
    basics(session)
    data = incident()
    publish(session, data)
    with pytest.raises(RecordError) as err:
        records.publish(session, records.KINDS["incidents"], data, author_id="DEP-GX-EEB")
    assert err.value.status == "conflict"


def test_correction_keeps_old_values_and_reason(session: Session) -> None:
    ids = basics(session)
    ins = inspection(ids["enterprise"])
    publish(session, ins)
    number = records.correct(
        session,
        ins["id"],
        {"penalty_yuan": 99_999},
        reason="Amount mistyped in the decision",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    assert number == 2
    assert records.get_record(session, ins["id"]).penalty_yuan == 99_999  # type: ignore[union-attr]
    first, second = records.history(session, ins["id"])
    assert second.action == "correct"
    assert second.reason == "Amount mistyped in the decision"
    assert second.changes == {"penalty_yuan": {"old": 120000, "new": 99999}}
    assert first.changes == {}


def test_correcting_nested_readings_replaces_them(session: Session) -> None:
    basics(session)
    inc = incident()
    publish(session, inc)
    reading = {**inc["readings"][0], "value": 0.0030}
    records.correct(
        session,
        inc["id"],
        {"readings": [reading]},
        reason="Wrong site reading",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    rows = session.exec(
        select(IncidentReading).where(IncidentReading.incident_id == inc["id"])
    ).all()
    assert [r.value for r in rows] == [0.0030]
    pub = records.get_record(session, inc["id"])
    assert pub.readings[0].exceeds is False  # type: ignore[union-attr]


def test_correction_is_validated_as_a_whole(session: Session) -> None:
    ids = basics(session)
    ins = inspection(ids["enterprise"])
    publish(session, ins)
    with pytest.raises(RecordError, match="deadline is before inspected_on"):
        records.correct(
            session,
            ins["id"],
            {"deadline": "2020-01-01"},
            reason="new deadline",
            author_id="DEP-GX-EEB",
        )


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"penalty_yuan": 120000}, "same again", "changes nothing"),
        ({"penalty_yuan": 5}, "", "at least 3 characters"),
        ({"no_such_field": 1}, "typo", "not a field"),
        ({"penalty_yuan": -1}, "negative", "greater than or equal to 0"),
    ],
)
def test_bad_corrections_are_refused_and_write_nothing(
    session: Session, changes: dict, reason: str, message: str
) -> None:
    ids = basics(session)
    ins = inspection(ids["enterprise"])
    publish(session, ins)
    with pytest.raises(RecordError, match=message):
        records.correct(session, ins["id"], changes, reason=reason, author_id="DEP-GX-EEB")
    session.rollback()
    assert len(records.history(session, ins["id"])) == 1


def test_stale_revision_is_a_conflict(session: Session) -> None:
    ids = basics(session)
    ins = inspection(ids["enterprise"])
    publish(session, ins)
    records.correct(
        session,
        ins["id"],
        {"penalty_yuan": 1000},
        reason="first fix",
        author_id="DEP-GX-EEB",
        expected_revision=1,
    )
    with pytest.raises(RecordError, match="at revision 2, not 1") as err:
        records.correct(
            session,
            ins["id"],
            {"penalty_yuan": 2000},
            reason="second fix",
            author_id="DEP-GX-EEB",
            expected_revision=1,
        )
    assert err.value.status == "conflict"


def test_withdrawal_leaves_a_readable_tombstone(session: Session) -> None:
    ids = basics(session)
    ins = inspection(ids["enterprise"])
    publish(session, ins)
    when = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    records.withdraw(
        session,
        ins["id"],
        reason="Published against the wrong enterprise",
        author_id="DEP-GX-EEB",
        now=when,
    )
    session.commit()
    rec = records.get_record(session, ins["id"])
    assert rec is not None
    assert rec.withdrawn_at == when and rec.withdrawn_by == "DEP-GX-EEB"
    assert rec.withdrawal_reason == "Published against the wrong enterprise"
    assert rec.findings_zh == ins["findings_zh"]  # type: ignore[attr-defined]
    assert [r.action for r in records.history(session, ins["id"])] == ["publish", "withdraw"]
    # Gone from listings by default, present when asked for.
    query = records.RecordQuery(kind="inspections")
    assert records.run(session, query).total == 0
    assert (
        records.run(session, records.RecordQuery(kind="inspections", include_withdrawn=True)).total
        == 1
    )
    with pytest.raises(RecordError, match="withdrawn") as err:
        records.correct(
            session, ins["id"], {"penalty_yuan": 1}, reason="late fix", author_id="DEP-GX-EEB"
        )
    assert err.value.status == "gone"
    with pytest.raises(RecordError, match="already withdrawn"):
        records.withdraw(session, ins["id"], reason="again", author_id="DEP-GX-EEB")


def test_unknown_references_are_refused(session: Session) -> None:
    basics(session)
    with pytest.raises(RecordError) as err:
        records.publish(
            session, records.KINDS["inspections"], inspection("ENT-NOPE"), author_id="DEP-GX-EEB"
        )
    assert [p.field for p in err.value.problems] == ["enterprise_id"]
    assert "there is no enterprise ENT-NOPE" in str(err.value)


def test_enterprise_cannot_publish_an_inspection(session: Session) -> None:
    ids = basics(session)
    with pytest.raises(RecordError, match="published by a department"):
        records.publish(
            session,
            records.KINDS["inspections"],
            inspection(ids["enterprise"], publisher_id=ids["enterprise"]),
            author_id=ids["enterprise"],
        )


def test_credit_code_belongs_to_one_enterprise(session: Session) -> None:
    ids = basics(session)
    code = records.get_record(session, ids["enterprise"]).credit_code  # type: ignore[union-attr]
    with pytest.raises(RecordError, match="already belongs to"):
        records.publish(
            session,
            records.KINDS["enterprises"],
            enterprise(credit_code=code),
            author_id="DEP-GX-EEB",
        )


def test_failed_write_leaves_no_revision(session: Session) -> None:
    basics(session)
    before = len(session.exec(select(Revision)).all())
    with pytest.raises(RecordError):
        records.publish(
            session,
            records.KINDS["incidents"],
            incident(responsible=[{"enterprise_id": "ENT-NOPE"}]),
            author_id="DEP-GX-EEB",
        )
    session.rollback()
    assert len(session.exec(select(Revision)).all()) == before
