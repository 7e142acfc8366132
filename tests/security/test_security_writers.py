"""Writers who may not: `portal import --as` corrects only records within the writer's bounds, a
correction never changes who published a record, and a record credits (timeline updates,
designations) only its writer or the departments under it, through the API and import alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from conftest import Portal, table_counts
from factories import basics, bureau, enterprise, incident, publish, publishing_token
from portal import records
from portal.ingest import import_file
from portal.models import Revision


def ndjson(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """The ministry with two provincial bureaus (Guangxi, Yunnan), an enterprise, and an
    incident of the Guangxi bureau with a reading and a responsible enterprise."""
    ids = basics(session)
    publish(session, {**bureau(), "id": "DEP-YN-EEB", "province": "53", "name_zh": "云南省厅"})
    inc = incident(responsible=[{"enterprise_id": ids["enterprise"], "role_zh": "排放源"}])
    publish(session, inc)
    return {**ids, "incident": inc}


def _row(inc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The incident as a correction file gives it: scalars only, no publisher, no parts."""
    keep = ("id", "title_zh", "summary_zh", "began_at", "province", "status")
    return {**{k: inc[k] for k in keep}, **changes}


# -- portal import --as: whose records it may correct ----------------------------------------------
@pytest.mark.parametrize("reason", [None, "改正标题"])
def test_import_as_another_department_corrects_nothing(
    portal: Portal, session: Session, world: dict[str, Any], tmp_path: Path, reason: str | None
) -> None:
    inc = world["incident"]
    path = ndjson(tmp_path / "theirs.ndjson", [_row(inc, title_zh="别人改的标题")])
    before = table_counts(portal.url)
    args = ["import", str(path), "--as", "DEP-YN-EEB"] + (["--reason", reason] if reason else [])
    result = portal(*args)
    assert result.exit_code == 1
    assert "was published by DEP-GX-EEB; DEP-YN-EEB may correct only" in result.output
    assert "--reason" not in result.output  # a reason is no way around it
    assert "nothing was written" in result.output
    assert table_counts(portal.url) == before
    session.expire_all()
    kept = records.get_record(session, inc["id"])
    assert (kept.publisher_id, kept.title_zh, kept.revision) == ("DEP-GX-EEB", "龙江镉污染", 1)
    assert [r.enterprise_id for r in kept.responsible] == [world["enterprise"]]
    assert len(kept.readings) == 1


def test_import_naming_itself_the_publisher_of_another_record_is_refused(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    inc = world["incident"]
    row = _row(inc, title_zh="改", publisher_id="DEP-YN-EEB")
    result = import_file(
        session, ndjson(tmp_path / "x.ndjson", [row]), as_publisher="DEP-YN-EEB", reason="为什么"
    )
    assert [(p.line, p.field) for p in result.problems] == [(1, "id")]
    assert "was published by DEP-GX-EEB" in result.problems[0].message


def test_a_correction_never_changes_the_publisher(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    # The ministry may correct its bureau's record, but not make it its own.
    inc = world["incident"]
    path = ndjson(tmp_path / "x.ndjson", [_row(inc, title_zh="改", publisher_id="DEP-MEE")])
    result = import_file(session, path, as_publisher="DEP-MEE", reason="核实后更正")
    session.rollback()
    (problem,) = result.problems
    assert problem.field == "publisher_id"
    assert "a correction never changes who published a record" in problem.message
    # Left out, the publisher stays the record's own, and the revision names who corrected it.
    ndjson(path, [_row(inc, title_zh="改")])
    result = import_file(session, path, as_publisher="DEP-MEE", reason="核实后更正")
    assert result.ok and result.corrected == 1, result.problems
    session.commit()
    corrected = records.get_record(session, inc["id"])
    assert (corrected.publisher_id, corrected.title_zh) == ("DEP-GX-EEB", "改")
    authors = session.exec(
        select(Revision.author_id).where(col(Revision.record_id) == inc["id"])
    ).all()
    assert authors == ["DEP-GX-EEB", "DEP-MEE"]


def test_a_correction_keeps_the_parts_the_file_leaves_out(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    inc, ent = world["incident"], world["enterprise"]
    path = ndjson(tmp_path / "x.ndjson", [_row(inc, title_zh="新标题")])
    result = import_file(session, path, as_publisher="DEP-GX-EEB", reason="标题有误")
    assert result.corrected == 1, result.problems
    session.commit()
    kept = records.get_record(session, inc["id"])
    assert kept.title_zh == "新标题"
    assert [(r.site_zh, r.value) for r in kept.readings] == [("拉浪", 0.0247)]
    assert [(r.enterprise_id, r.role_zh) for r in kept.responsible] == [(ent, "排放源")]
    # Given, they replace what was published exactly; an empty list removes them.
    reading = {**inc["readings"][0], "site_zh": "三岔", "value": 0.01}
    ndjson(path, [_row(inc, title_zh="新标题", readings=[reading], responsible=[])])
    result = import_file(session, path, as_publisher="DEP-GX-EEB", reason="换测点")
    assert result.corrected == 1, result.problems
    session.commit()
    replaced = records.get_record(session, inc["id"])
    assert [(r.site_zh, r.value) for r in replaced.readings] == [("三岔", 0.01)]
    assert replaced.responsible == []
    # The same file again is unchanged, parts and all.
    assert import_file(session, path, as_publisher="DEP-GX-EEB").unchanged == 1


def test_a_csv_correction_without_the_parts_columns_keeps_them(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    inc = world["incident"]
    path = tmp_path / "x.csv"
    path.write_text(
        "id,title_zh,summary_zh,began_at,province,status\n"
        f"{inc['id']},新标题,{inc['summary_zh']},{inc['began_at']},45,investigating\n",
        "utf-8",
    )
    result = import_file(session, path, as_publisher="DEP-GX-EEB", reason="标题有误")
    assert result.corrected == 1, result.problems
    session.commit()
    kept = records.get_record(session, inc["id"])
    assert (len(kept.readings), len(kept.responsible)) == (1, 1)


# -- the API: a correction cannot change the publisher ------------------------------------------
def test_an_api_correction_cannot_change_the_publisher(
    app: Any, client: FlaskClient, world: dict[str, Any]
) -> None:
    token = publishing_token(app, "DEP-GX-EEB")
    inc = world["incident"]
    before = table_counts(app.config["DATABASE_URL"])
    answer = client.patch(
        f"/api/v1/incidents/{inc['id']}",
        json={"reason": "换发布者", "revision": 1, "changes": {"publisher_id": "DEP-MEE"}},
        headers=auth(token),
    )
    assert answer.status_code == 422
    assert "publisher_id: a correction never changes who published a record" in answer.text
    after = table_counts(app.config["DATABASE_URL"])
    assert {k: v for k, v in after.items() if k != "audit_entry"} == {
        k: v for k, v in before.items() if k != "audit_entry"
    }


# -- credits: timeline updates and designations -------------------------------------------------
def _update(department_id: str) -> dict[str, Any]:
    return {"department_id": department_id, "at": "2012-01-20T10:00:00+08:00", "text_zh": "通报。"}


def _designation(department_id: str) -> dict[str, Any]:
    return {
        "kind": "key_discharger",
        "from_year": 2023,
        "department_id": department_id,
        "source": {"title": "重点排污单位名录"},
    }


@pytest.mark.parametrize(
    ("writer", "credited", "status"),
    [
        ("DEP-GX-EEB", "DEP-YN-EEB", 403),  # another bureau
        ("DEP-GX-EEB", "DEP-MEE", 403),  # its own ministry
        ("DEP-GX-EEB", "DEP-GX-EEB", 201),  # itself
        ("DEP-MEE", "DEP-GX-EEB", 201),  # a bureau under the writer
    ],
)
def test_the_api_credits_only_the_writer_and_the_departments_under_it(
    app: Any,
    client: FlaskClient,
    world: dict[str, Any],
    writer: str,
    credited: str,
    status: int,
) -> None:
    token = publishing_token(app, writer)
    data = incident(updates=[_update(writer), _update(credited)])
    del data["publisher_id"]
    answer = client.post("/api/v1/incidents", json=data, headers=auth(token))
    assert answer.status_code == status, answer.text
    ent = enterprise(designations=[_designation(credited)])
    del ent["publisher_id"]
    answer = client.post("/api/v1/enterprises", json=ent, headers=auth(token))
    assert answer.status_code == status, answer.text
    if status == 403:
        problems = answer.get_json()["problems"]
        assert problems == [
            f"designations.0.department_id: {credited} is neither {writer} nor a department "
            f"under it; {writer} may credit only itself and the departments under it"
        ]


def test_an_api_correction_may_not_add_a_statement_of_another_department(
    app: Any, client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    # A timeline loaded from the sample set may already credit others: correcting the record
    # keeps their statements, but adding or rewriting one in their name is refused.
    loaded = incident(updates=[_update("DEP-MEE")])
    publish(session, loaded)
    token = publishing_token(app, "DEP-GX-EEB")
    url = f"/api/v1/incidents/{loaded['id']}"
    ok = client.patch(
        url,
        json={"reason": "事态已控制", "revision": 1, "changes": {"status": "contained"}},
        headers=auth(token),
    )
    assert ok.status_code == 200, ok.text
    for updates in (
        [_update("DEP-MEE"), _update("DEP-YN-EEB")],
        [_update("DEP-MEE") | {"text_zh": "改写"}],
    ):
        refused = client.patch(
            url,
            json={"reason": "补充时间线", "revision": 2, "changes": {"updates": updates}},
            headers=auth(token),
        )
        assert refused.status_code == 403, refused.text
        assert refused.get_json()["problems"][0].startswith(
            f"updates.{len(updates) - 1}.department_id: "
        )
    assert records.get_record(session, loaded["id"]).revision == 2


def test_a_correction_may_not_remove_a_statement_of_another_department(
    app: Any, client: FlaskClient, session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    # The incident's owner could empty its timeline and so take back what the ministry said.
    loaded = incident(updates=[_update("DEP-MEE"), _update("DEP-GX-EEB")])
    publish(session, loaded)
    token = publishing_token(app, "DEP-GX-EEB")
    url = f"/api/v1/incidents/{loaded['id']}"
    for updates in ([], [_update("DEP-GX-EEB")]):
        refused = client.patch(
            url,
            json={"reason": "整理时间线", "revision": 1, "changes": {"updates": updates}},
            headers=auth(token),
        )
        assert refused.status_code == 403, refused.text
        assert refused.get_json()["problems"] == [
            "updates: the entry credited to DEP-MEE is its own: DEP-GX-EEB may not remove or "
            "change it; keep it as it is, and ask DEP-MEE to correct it"
        ]
    rows = [{**_row(loaded), "updates": [_update("DEP-GX-EEB")]}]
    imported = import_file(
        session, ndjson(tmp_path / "i.ndjson", rows), as_publisher="DEP-GX-EEB", reason="整理"
    )
    session.rollback()
    assert [(p.line, p.field) for p in imported.problems] == [(1, "updates")]
    # Its own statement it may take back; the ministry's stays.
    own = client.patch(
        url,
        json={
            "reason": "撤回本厅通报",
            "revision": 1,
            "changes": {"updates": [_update("DEP-MEE")]},
        },
        headers=auth(token),
    )
    assert own.status_code == 200, own.text
    kept = records.get_record(session, loaded["id"])
    assert [u.department_id for u in kept.updates] == ["DEP-MEE"]


def test_a_department_places_departments_only_under_itself(
    app: Any, client: FlaskClient, session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    # A department record the bureau published but placed under the ministry: moving it under
    # the bureau would have let the bureau correct everything that department publishes.
    publish(
        session,
        {**bureau(), "id": "DEP-ZZ", "publisher_id": "DEP-GX-EEB", "name_zh": "某局"},
    )
    token = publishing_token(app, "DEP-GX-EEB", scopes=["departments"])
    moved = client.patch(
        "/api/v1/departments/DEP-ZZ",
        json={"reason": "隶属调整", "revision": 1, "changes": {"parent_id": "DEP-GX-EEB"}},
        headers=auth(token),
    )
    assert moved.status_code == 403, moved.text
    assert moved.get_json()["problems"] == [
        "parent_id: DEP-ZZ is under DEP-MEE, outside DEP-GX-EEB's; only DEP-MEE may move it"
    ]
    elsewhere = {**bureau(), "id": "DEP-YN-KM", "parent_id": "DEP-YN-EEB", "name_zh": "昆明局"}
    del elsewhere["publisher_id"]
    placed = client.post("/api/v1/departments", json=elsewhere, headers=auth(token))
    assert placed.status_code == 403, placed.text
    assert "not under DEP-YN-EEB" in placed.get_json()["problems"][0]
    rows = [{**elsewhere, "publisher_id": "DEP-GX-EEB"}]
    imported = import_file(session, ndjson(tmp_path / "d.ndjson", rows), as_publisher="DEP-GX-EEB")
    session.rollback()
    assert [(p.line, p.field) for p in imported.problems] == [(1, "parent_id")]
    own = {**elsewhere, "id": "DEP-GX-HC", "parent_id": "DEP-GX-EEB", "name_zh": "河池局"}
    assert client.post("/api/v1/departments", json=own, headers=auth(token)).status_code == 201
    assert records.get_record(session, "DEP-ZZ").parent_id == "DEP-MEE"


def test_import_credits_only_the_writer_and_the_departments_under_it(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    rows = [
        incident(updates=[_update("DEP-GX-EEB"), _update("DEP-YN-EEB")]),
        enterprise(designations=[_designation("DEP-MEE")]),
    ]
    inc = import_file(session, ndjson(tmp_path / "i.ndjson", rows[:1]), as_publisher="DEP-GX-EEB")
    session.rollback()
    assert [(p.line, p.field) for p in inc.problems] == [(1, "updates.1.department_id")]
    ent = import_file(session, ndjson(tmp_path / "e.ndjson", rows[1:]), as_publisher="DEP-GX-EEB")
    session.rollback()
    assert [(p.line, p.field) for p in ent.problems] == [(1, "designations.0.department_id")]
    # Loading a trusted set (no --as: the sample) keeps each row's credits as they are.
    for name, row in (("i", rows[0]), ("e", rows[1])):
        trusted = import_file(
            session, ndjson(tmp_path / f"{name}.ndjson", [row]), as_publisher=None
        )
        assert trusted.ok and trusted.new == 1, trusted.problems
    session.commit()


def test_one_file_may_hold_a_bureau_and_the_bureau_under_it(
    session: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    city = {**bureau(), "id": "DEP-GX-HC", "parent_id": "DEP-GX-EEB", "name_zh": "河池局"}
    county = {**city, "id": "DEP-GX-HC-JCJ", "parent_id": "DEP-GX-HC", "name_zh": "金城江局"}
    rows = [{**d, "publisher_id": "DEP-GX-EEB"} for d in (county, city)]  # child first
    imported = import_file(session, ndjson(tmp_path / "d.ndjson", rows), as_publisher="DEP-GX-EEB")
    assert imported.problems == []
    session.commit()
    assert records.get_record(session, "DEP-GX-HC-JCJ").parent_id == "DEP-GX-HC"
