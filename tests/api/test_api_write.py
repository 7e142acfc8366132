"""Publishing through the API: who may write what, idempotent retries, corrections in public,
the right of reply, and refusals that write nothing but the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, func, select

from factories import department, disclosure, enterprise, incident, inspection, publish
from portal.models import AuditEntry, Revision, Token
from portal.records.tokens import create_token, end_token


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """A ministry, its Guangxi bureau, the industry association, two enterprises and a token
    for each; an inspection of enterprise A by the bureau; an incident naming A."""
    publish(session, department())
    publish(
        session,
        department(
            id="DEP-GX-EEB",
            parent_id="DEP-MEE",
            name_zh="广西壮族自治区生态环境厅",
            name_en="Guangxi Department of Ecology and Environment",
            level="provincial",
            province="45",
        ),
    )
    publish(
        session,
        department(
            id="DEP-CNMIA",
            name_zh="中国有色金属工业协会再生金属分会",
            name_en="China Nonferrous Metals Industry Association, recycling branch",
            function="association",
        ),
    )
    ent_a, ent_b = enterprise(), enterprise()
    publish(session, ent_a)
    publish(session, ent_b)
    ins = inspection(ent_a["id"], id="INS-2023-0001")
    publish(session, ins)
    inc = incident(
        id="INC-2023-0001", responsible=[{"enterprise_id": ent_a["id"], "role_zh": "排放源"}]
    )
    publish(session, inc)
    tokens = {}
    for who in ("DEP-MEE", "DEP-GX-EEB", "DEP-CNMIA", ent_a["id"], ent_b["id"]):
        tokens[who] = create_token(session, who)[0]
    session.commit()
    return {"A": ent_a["id"], "B": ent_b["id"], "tokens": tokens}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def writes(session: Session) -> int:
    """Revisions in the database: a refused write must leave this unchanged."""
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(Revision)).one())


def new_inspection(enterprise_id: str, n: int = 2) -> dict[str, Any]:
    data = inspection(enterprise_id, id=f"INS-2024-{n:04d}")
    data.pop("publisher_id")
    return data


# -- the matrix: publisher x action x record owner ----------------------------------------------
def _publish_body(what: str, world: dict[str, Any], n: int) -> tuple[str, dict[str, Any]]:
    if what == "inspection":
        return "inspections", new_inspection(world["A"], n)
    if what == "incident":
        data = incident(id=f"INC-2024-{n:04d}")
        data.pop("publisher_id")
        return "incidents", data
    if what == "disclosure of A":
        data = disclosure(world["A"], id=f"DIS-2024-{n:04d}")
        data.pop("publisher_id")
        return "disclosures", data
    if what == "response of A":
        return "responses", {
            "id": f"RSP-2024-{n:04d}",
            "enterprise_id": world["A"],
            "subject_id": "INS-2023-0001",
            "text_zh": "我公司已完成整改。",
        }
    raise AssertionError(what)


PUBLISH_MATRIX = [
    # (publisher, what, expected status)
    ("DEP-GX-EEB", "inspection", 201),
    ("DEP-GX-EEB", "incident", 201),
    ("DEP-GX-EEB", "disclosure of A", 403),
    ("DEP-GX-EEB", "response of A", 403),
    ("DEP-MEE", "inspection", 201),
    ("DEP-CNMIA", "incident", 201),
    ("A", "inspection", 403),
    ("A", "incident", 403),
    ("A", "disclosure of A", 201),
    ("A", "response of A", 201),
    ("B", "disclosure of A", 403),
    ("B", "response of A", 403),
]


@pytest.mark.parametrize(("who", "what", "status"), PUBLISH_MATRIX)
def test_who_may_publish_what(
    client: FlaskClient, session: Session, world: dict[str, Any], who: str, what: str, status: int
) -> None:
    publisher = world.get(who, who)
    kind, body = _publish_body(what, world, PUBLISH_MATRIX.index((who, what, status)) + 10)
    before = writes(session)
    response = client.post(f"/api/v1/{kind}", json=body, headers=auth(world["tokens"][publisher]))
    assert response.status_code == status, response.get_json()
    if status == 201:
        item = response.get_json()
        assert item["publisher_id"] == publisher and item["revision"] == 1
        assert response.headers["Location"].endswith(f"/api/v1/{kind}/{item['id']}")
        assert client.get(f"/api/v1/{kind}/{item['id']}").status_code == 200
        assert writes(session) == before + 1
    else:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]
        assert writes(session) == before


CHANGE_MATRIX = [
    # (who, record, expected status for a correction and for a withdrawal)
    ("DEP-GX-EEB", "INS-2023-0001", 200),  # its own inspection
    ("DEP-MEE", "INS-2023-0001", 403),  # the ministry above it: not its record
    ("DEP-CNMIA", "INS-2023-0001", 403),
    ("A", "INS-2023-0001", 403),  # the inspected enterprise may reply, not correct
    ("B", "INS-2023-0001", 403),
]


@pytest.mark.parametrize(("who", "record_id", "status"), CHANGE_MATRIX)
@pytest.mark.parametrize("action", ["correct", "withdraw"])
def test_only_the_publisher_corrects_or_withdraws(
    client: FlaskClient,
    session: Session,
    world: dict[str, Any],
    who: str,
    record_id: str,
    status: int,
    action: str,
) -> None:
    token = world["tokens"][world.get(who, who)]
    before = writes(session)
    if action == "correct":
        response = client.patch(
            f"/api/v1/inspections/{record_id}",
            json={"reason": "罚款金额录入有误", "revision": 1, "changes": {"penalty_yuan": 100000}},
            headers=auth(token),
        )
    else:
        response = client.post(
            f"/api/v1/inspections/{record_id}/withdraw",
            json={"reason": "重复录入的检查记录", "revision": 1},
            headers=auth(token),
        )
    assert response.status_code == status, response.get_json()
    assert writes(session) == before + (1 if status == 200 else 0)
    if status == 200:
        assert response.get_json()["revision"] == 2


# -- who are you? -------------------------------------------------------------------------------
def test_tokens_that_cannot_write(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    expired_secret, expired = create_token(session, "DEP-GX-EEB", days=1)
    revoked_secret, revoked = create_token(session, "DEP-GX-EEB")
    end_token(session, revoked.id, how="revoke")
    session.commit()
    later = datetime.now(UTC) + timedelta(days=2)
    session.exec(select(Token).where(col(Token.id) == expired.id)).one().expires_at = (
        later - timedelta(days=3)
    )
    session.commit()
    body = new_inspection(world["A"])
    before = writes(session)
    for headers, words in (
        ({}, "needs a publishing token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Bearer"),
        ({"Authorization": "Bearer "}, "Bearer"),
        ({"Authorization": "Bearer cw_not-a-real-token"}, "not known"),
        ({"Authorization": "Bearer " + "x" * 5000}, "not a Clearwater"),
        (auth(expired_secret), "expired"),
        (auth(revoked_secret), "revoked"),
    ):
        response = client.post("/api/v1/inspections", json=body, headers=headers)
        assert response.status_code == 401, (headers, response.get_json())
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert words in response.get_json()["detail"]
    assert writes(session) == before
    # Each refusal is in the audit log, with the address it came from.
    refused = session.exec(select(AuditEntry).where(col(AuditEntry.status) == 401)).all()
    assert len(refused) == 7 and all(e.client for e in refused)


def test_a_token_narrowed_to_one_scope(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    secret, _ = create_token(session, "DEP-GX-EEB", scopes=["incidents"])
    session.commit()
    response = client.post(
        "/api/v1/inspections", json=new_inspection(world["A"]), headers=auth(secret)
    )
    assert response.status_code == 403
    assert "may not write inspections" in response.get_json()["detail"]


# -- bad bodies ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "words"),
    [
        ("post", "/api/v1/inspections", b"{not json", {}, 400, "not JSON"),
        ("post", "/api/v1/inspections", b"\xff\xfe\x00", {}, 400, "not JSON"),
        ("post", "/api/v1/inspections", b"[1, 2]", {}, 422, "one JSON object"),
        ("post", "/api/v1/inspections", b"{}", {"Content-Type": "text/plain"}, 415, "JSON"),
        ("post", "/api/v1/inspections", b"{}", {}, 422, "required"),
        ("post", "/api/v1/inspections", {"colour": "red"}, {}, 422, "fix each field"),
        ("post", "/api/v1/inspections", b" " * (3 * 1024 * 1024), {}, 413, "2 MiB"),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"revision": 1, "changes": {"outcome": "compliant"}},
            {},
            422,
            "reason",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "  ", "revision": 1, "changes": {"outcome": "compliant"}},
            {},
            422,
            "reason",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正", "changes": {"outcome": "compliant"}},
            {},
            422,
            "revision",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": "1", "changes": {"outcome": "compliant"}},
            {},
            422,
            "revision",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": 1, "changes": {}},
            {},
            422,
            "changes",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": 1, "changes": {"colour": "red"}},
            {},
            422,
            "fix each field",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": 1, "changes": {"outcome": "banana"}},
            {},
            422,
            "fix each field",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": 1, "changes": {"penalty_yuan": 1}, "x": 1},
            {},
            422,
            "Unknown field",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2023-0001",
            {"reason": "更正结论", "revision": 7, "changes": {"penalty_yuan": 1}},
            {},
            409,
            "revision 1",
        ),
        (
            "patch",
            "/api/v1/inspections/INS-2099-9999",
            {"reason": "更正结论", "revision": 1, "changes": {"penalty_yuan": 1}},
            {},
            404,
            "no record",
        ),
        (
            "patch",
            "/api/v1/inspections/../../etc/passwd",
            {"reason": "x", "revision": 1, "changes": {}},
            {},
            404,
            "",
        ),
        (
            "patch",
            "/api/v1/incidents/INS-2023-0001",
            {"reason": "更正结论", "revision": 1, "changes": {"status": "closed"}},
            {},
            404,
            "no record",
        ),
        ("post", "/api/v1/inspections/INS-2023-0001/withdraw", {"revision": 1}, {}, 422, "reason"),
        (
            "post",
            "/api/v1/inspections/INS-2023-0001/withdraw",
            {"reason": "重复录入的记录", "revision": 3},
            {},
            409,
            "revision 1",
        ),
        (
            "post",
            "/api/v1/inspections",
            {"id": "INS-2023-0001"},
            {"Idempotency-Key": "k" * 300},
            422,
            "Idempotency-Key",
        ),
    ],
)
def test_bad_writes_are_refused_and_write_nothing(
    client: FlaskClient,
    session: Session,
    world: dict[str, Any],
    method: str,
    path: str,
    body: Any,
    headers: dict[str, str],
    status: int,
    words: str,
) -> None:
    before = writes(session)
    headers = {**auth(world["tokens"]["DEP-GX-EEB"]), **headers}
    send = getattr(client, method)
    if isinstance(body, bytes):
        headers.setdefault("Content-Type", "application/json")
        response = send(path, data=body, headers=headers)
    else:
        response = send(path, json=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/problem+json"
    text = " ".join([response.get_json()["detail"], *response.get_json()["problems"]])
    assert words in text
    assert writes(session) == before


def test_publishing_an_existing_id_is_a_conflict(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    body = {**new_inspection(world["A"]), "id": "INS-2023-0001"}
    response = client.post(
        "/api/v1/inspections", json=body, headers=auth(world["tokens"]["DEP-GX-EEB"])
    )
    assert response.status_code == 409
    assert "already published" in response.get_json()["detail"]


# -- idempotency --------------------------------------------------------------------------------
def test_a_retried_publication_is_published_once(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    headers = {**auth(world["tokens"]["DEP-GX-EEB"]), "Idempotency-Key": "3f1c-retry-1"}
    body = new_inspection(world["A"])
    first = client.post("/api/v1/inspections", json=body, headers=headers)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    before = writes(session)
    again = client.post("/api/v1/inspections", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert writes(session) == before
    # The same key for another record is a mistake, said so.
    other = client.post("/api/v1/inspections", json=new_inspection(world["A"], 3), headers=headers)
    assert other.status_code == 422 and "different request" in other.get_json()["detail"]
    # Keys belong to a token: another publisher's same key is another request.
    mee = {**auth(world["tokens"]["DEP-MEE"]), "Idempotency-Key": "3f1c-retry-1"}
    assert (
        client.post(
            "/api/v1/inspections", json=new_inspection(world["A"], 4), headers=mee
        ).status_code
        == 201
    )


# -- corrections in public, the right of reply, who wrote it -----------------------------------
def test_a_correction_is_public_with_its_reason(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    token = world["tokens"]["DEP-GX-EEB"]
    response = client.patch(
        "/api/v1/inspections/INS-2023-0001",
        json={
            "reason": "罚款金额录入错误，以处罚决定书为准",
            "revision": 1,
            "changes": {"penalty_yuan": 100000},
        },
        headers=auth(token),
    )
    assert response.status_code == 200
    assert response.get_json()["penalty_yuan"] == 100000
    history = client.get("/api/v1/inspections/INS-2023-0001/history").get_json()["items"]
    last = history[-1]
    assert last["action"] == "correct" and last["author_id"] == "DEP-GX-EEB"
    assert last["reason"] == "罚款金额录入错误，以处罚决定书为准"
    assert last["changes"]["penalty_yuan"] == {"old": 120000, "new": 100000}
    page = client.get("/inspections/INS-2023-0001/history").get_data(as_text=True)
    assert "罚款金额录入错误" in page and "120000" in page
    # The revision names the token that made it; the audit log has the write.
    session.expire_all()
    revision = session.exec(
        select(Revision).where(
            col(Revision.record_id) == "INS-2023-0001", col(Revision.number) == 2
        )
    ).one()
    token_row = session.exec(select(Token).where(col(Token.id) == revision.token_id)).one()
    assert token_row.publisher_id == "DEP-GX-EEB" and token_row.last_used_at is not None
    entry = session.exec(
        select(AuditEntry).where(col(AuditEntry.action) == "correct", col(AuditEntry.status) == 200)
    ).one()
    assert entry.record_id == "INS-2023-0001" and entry.revision == 2 and entry.via == "api"


def test_the_right_of_reply(client: FlaskClient, session: Session, world: dict[str, Any]) -> None:
    token = world["tokens"][world["A"]]
    for subject, n in (("INS-2023-0001", 1), ("INC-2023-0001", 2)):
        response = client.post(
            "/api/v1/responses",
            json={
                "id": f"RSP-2024-{n:04d}",
                "enterprise_id": world["A"],
                "subject_id": subject,
                "text_zh": "我公司已按要求完成整改，并公开了监测数据。",
            },
            headers=auth(token),
        )
        assert response.status_code == 201, response.get_json()
        kind = "inspections" if subject.startswith("INS") else "incidents"
        page = client.get(f"/{kind}/{subject}").get_data(as_text=True)
        assert "我公司已按要求完成整改" in page and f'id="RSP-2024-{n:04d}"' in page
    feed = client.get(f"/feeds/enterprises/{world['A']}.atom").get_data(as_text=True)
    assert "RSP-2024-0001" in feed and "RSP-2024-0002" in feed
    # B is named by neither: it cannot reply to them.
    refused = client.post(
        "/api/v1/responses",
        json={
            "id": "RSP-2024-0003",
            "enterprise_id": world["B"],
            "subject_id": "INS-2023-0001",
            "text_zh": "这与我公司无关。",
        },
        headers=auth(world["tokens"][world["B"]]),
    )
    assert refused.status_code == 422
