"""Citizen tips filed on the portal: received, reviewed, accepted or rejected, in public, with
the contact kept private."""

import re

import pytest
from sqlmodel import Session, col, select

from factories import basics, incident, publish
from portal.models import AuditEntry
from portal.records import RecordError
from portal.records.tips import file_tip, moderate, tip_public, tips_to_moderate


def test_a_tip_from_received_to_accepted(session: Session) -> None:
    ids = basics(session)
    publish(session, incident(id="INC-2026-0001"))
    tip_id = file_tip(
        session,
        {
            "kind": "pollution",
            "text": "河池市金城江区某冶炼厂夜间向龙江排放黄色废水。",
            "place": "金城江区",
            "province": "广西",
            "contact": "138 0000 0000",
        },
        client="203.0.113.7",
    )
    session.commit()
    assert re.fullmatch(r"TIP-\d{4}-[A-Z0-9]{10}", tip_id)
    shown = tip_public(session, tip_id)
    assert shown is not None and shown.status == "received"
    assert "contact" not in shown.model_dump() and "138" not in shown.model_dump_json()
    # Moderators see it, with the contact, to follow it up.
    (waiting,) = tips_to_moderate(session)
    assert waiting.id == tip_id and waiting.contact == "138 0000 0000"

    moderate(session, tip_id, status="under_review", moderator_id=ids["bureau"])
    accepted = moderate(
        session,
        tip_id,
        status="accepted",
        moderator_id=ids["bureau"],
        linked_record_id="inc-2026-0001",
        reason="已立案调查，见事件记录",
    )
    session.commit()
    assert accepted.status == "accepted" and accepted.linked_record_id == "INC-2026-0001"
    assert tips_to_moderate(session) == []
    actions = session.exec(
        select(AuditEntry.action).where(col(AuditEntry.record_id) == tip_id)
    ).all()
    assert list(actions) == ["tip-file", "tip-under_review", "tip-accepted"]
    # Decided is decided.
    with pytest.raises(RecordError) as refused:
        moderate(session, tip_id, status="rejected", moderator_id=ids["bureau"], reason="重复")
    assert refused.value.status == "conflict"


def test_a_rejection_says_why(session: Session) -> None:
    ids = basics(session)
    tip_id = file_tip(session, {"kind": "record_error", "text": "企业名称写错了。"})
    with pytest.raises(RecordError, match="say why"):
        moderate(session, tip_id, status="rejected", moderator_id=ids["bureau"])
    with pytest.raises(RecordError, match="name the published record"):
        moderate(session, tip_id, status="accepted", moderator_id=ids["bureau"])
    with pytest.raises(RecordError, match="name the published record"):
        moderate(
            session,
            tip_id,
            status="accepted",
            moderator_id=ids["bureau"],
            linked_record_id="INC-2099-0001",
        )
    with pytest.raises(RecordError, match="status must be"):
        moderate(session, tip_id, status="deleted", moderator_id=ids["bureau"])
    done = moderate(
        session,
        tip_id,
        status="rejected",
        moderator_id=ids["bureau"],
        reason="经核对，企业名称与营业执照一致。",
    )
    assert done.status == "rejected" and done.status_reason.startswith("经核对")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "pollution", "text": ""}, "text"),
        ({"kind": "pollution", "text": "x" * 20_001}, "text"),
        ({"kind": "pollution", "text": "废水\x00排放"}, "text"),
        ({"kind": "rumour", "text": "有人排污"}, "kind"),
        ({"kind": "pollution", "text": "有人排污", "province": "Atlantis"}, "province"),
        ({"kind": "record_error", "text": "有误", "about_id": "INC-2099-0001"}, "about_id"),
        ({"kind": "record_error", "text": "有误", "about_id": "../etc"}, "about_id"),
        ({"kind": "pollution", "text": "有人排污", "status": "accepted"}, "status"),
        ({"kind": "pollution", "text": "有人排污", "contact": "x" * 500}, "contact"),
    ],
)
def test_bad_tips_are_refused_and_nothing_is_kept(session: Session, data: dict, field: str) -> None:
    basics(session)
    with pytest.raises(RecordError) as refused:
        file_tip(session, data)
    assert any(p.field.startswith(field) for p in refused.value.problems), refused.value
    session.rollback()
    assert tips_to_moderate(session) == []
