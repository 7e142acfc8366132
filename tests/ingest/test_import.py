"""`portal import`: every bad file is refused whole with each problem's line and field;
good files import once, and importing them again changes nothing."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from factories import basics, enterprise, incident, inspection
from portal.ingest import import_file
from portal.models import Enterprise, Inspection, Revision


def write_ndjson(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def run(session: Session, path: Path, as_publisher: str | None = "DEP-GX-EEB", **kw):
    result = import_file(session, path, as_publisher=as_publisher, **kw)
    if result.ok:
        session.commit()
    else:
        session.rollback()
    return result


@pytest.fixture
def ready(session: Session) -> dict[str, str]:
    return basics(session)


def test_good_ndjson_imports_and_reimport_changes_nothing(session, ready, tmp_path):
    rows = [inspection(ready["enterprise"]) for _ in range(3)]
    path = write_ndjson(tmp_path / "inspections.ndjson", rows)
    first = run(session, path)
    assert (first.ok, first.kind, first.new, first.unchanged) == (True, "inspections", 3, 0)
    revisions = count(session, Revision)
    again = run(session, path)
    assert (again.new, again.unchanged, again.corrected) == (0, 3, 0)
    assert count(session, Revision) == revisions


def test_csv_with_lists_and_nested_json(session, ready, tmp_path):
    path = tmp_path / "incidents.csv"
    readings = json.dumps(
        [
            {
                "site_zh": "拉浪",
                "pollutant": "镉",
                "value": "0.0247",
                "unit": "mg/L",
                "standard": "GB 3838-2002",
                "standard_class": "III",
            }
        ],
        ensure_ascii=False,
    ).replace('"', '""')
    path.write_text(
        "\ufeffid,title_zh,summary_zh,began_at,province,status,pollutants,readings\n"
        'INC-CSV-1,龙江,"有逗号, 也有引号""",2012-01-15T09:00:00+08:00,'
        f'广西,closed,Cd;As,"{readings}"\n',
        "utf-8",
    )
    result = run(session, path)
    assert result.ok, result.problems
    from portal import records

    rec = records.get_record(session, "INC-CSV-1")
    assert rec.pollutants == ["As", "Cd"] and rec.summary_zh == '有逗号, 也有引号"'
    assert rec.readings[0].exceedance_factor == 4.94


def test_json_array_imports(session, ready, tmp_path):
    path = tmp_path / "ents.json"
    path.write_text(json.dumps([enterprise(), enterprise()], ensure_ascii=False, indent=2), "utf-8")
    assert run(session, path).new == 2


def test_every_bad_row_is_reported_and_nothing_written(session, ready, tmp_path):
    good = inspection(ready["enterprise"])
    rows = [
        good,
        inspection(ready["enterprise"], inspected_on="2023-02-30"),  # bad date, line 2
        inspection("ENT-NOBODY"),  # unknown enterprise, line 3
        inspection(ready["enterprise"], findings_zh="长" * 20_001),  # oversized, line 4
        {**good, "id": good["id"]},  # duplicate id, line 5
        inspection(ready["enterprise"], colour="red"),  # unknown field, line 6
    ]
    result = run(session, write_ndjson(tmp_path / "bad.ndjson", rows))
    assert not result.ok
    found = {(p.line, p.field) for p in result.problems}
    assert {
        (2, "inspected_on"),
        (3, "enterprise_id"),
        (4, "findings_zh"),
        (5, "id"),
        (6, "colour"),
    } <= found
    messages = " | ".join(str(p) for p in result.problems)
    assert "there is no enterprise ENT-NOBODY" in messages
    assert "appears again (first on line 1)" in messages
    assert "at most 20000 characters" in messages
    assert count(session, Inspection) == 0


def test_bad_credit_code_names_the_position(session, ready, tmp_path):
    row = enterprise(credit_code="91350100M000100Y44")
    result = run(session, write_ndjson(tmp_path / "e.ndjson", [row]))
    (problem,) = result.problems
    assert problem.line == 1 and problem.field == "credit_code"
    assert "Character 18" in problem.message
    assert count(session, Enterprise) == 1  # only the one from basics()


def test_wrong_csv_columns_are_named(session, ready, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("id,name,sector\nENT-X1,某厂,mining\n", "utf-8")
    (problem,) = run(session, path).problems
    assert "unknown column(s) name for enterprises" in problem.message
    assert "name_zh" in problem.message


def test_missing_required_field_in_csv(session, ready, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("id,name_zh\nENT-X1,某厂\n", "utf-8")
    fields = {p.field for p in run(session, path).problems}
    assert {"sector", "province"} <= fields


def test_gbk_file_is_refused_with_a_hint(session, ready, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("id,name_zh,sector,province\nENT-X1,某冶炼厂,mining,广西\n".encode("gbk"))
    (problem,) = run(session, path).problems
    assert problem.line == 2 and "not UTF-8" in problem.message and "GB18030" in problem.message
    assert count(session, Enterprise) == 1


@pytest.mark.parametrize("suffix", [".ndjson", ".json", ".csv"])
def test_truncated_file_writes_nothing(session, ready, tmp_path, suffix):
    rows = [inspection(ready["enterprise"]) for _ in range(4)]
    path = tmp_path / f"cut{suffix}"
    if suffix == ".ndjson":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    elif suffix == ".json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
    else:
        text = (
            "id,publisher_id,enterprise_id,inspected_on,inspection_type,outcome,findings_zh\n"
            + "".join(
                f"{r['id']},DEP-GX-EEB,{r['enterprise_id']},2023-01-01,routine,violation,"
                '"超标, 整改"\n'
                for r in rows
            )
        )
    path.write_text(text[: int(len(text) * 0.8)], "utf-8")
    result = run(session, path)
    assert not result.ok
    assert any("cut short" in p.message or "not valid JSON" in p.message for p in result.problems)
    assert count(session, Inspection) == 0


def test_rows_of_another_kind_are_refused(session, ready, tmp_path):
    rows = [inspection(ready["enterprise"]), incident()]
    result = run(session, write_ndjson(tmp_path / "mixed.ndjson", rows))
    assert "a file holds one kind of record" in result.problems[0].message


def test_changed_rows_need_a_reason_then_become_corrections(session, ready, tmp_path):
    row = inspection(ready["enterprise"])
    path = write_ndjson(tmp_path / "i.ndjson", [row])
    run(session, path)
    write_ndjson(path, [{**row, "penalty_yuan": 150000}])
    refused = run(session, path)
    assert "exists with different penalty_yuan" in refused.problems[0].message
    accepted = run(session, path, reason="Penalty amount corrected by the decision")
    assert accepted.corrected == 1
    history = session.exec(select(Revision).where(Revision.record_id == row["id"])).all()
    assert [h.reason for h in history] == [None, "Penalty amount corrected by the decision"]


def test_publisher_bounds(session, ready, tmp_path):
    # A ministry may import for its bureaus; a bureau may not import for another department.
    row = inspection(ready["enterprise"], publisher_id="DEP-GX-EEB")
    assert run(session, write_ndjson(tmp_path / "a.ndjson", [row]), as_publisher="DEP-MEE").ok
    other = inspection(ready["enterprise"], publisher_id="DEP-MEE")
    result = run(session, write_ndjson(tmp_path / "b.ndjson", [other]), as_publisher="DEP-GX-EEB")
    assert "is not DEP-GX-EEB or one of its bureaus" in result.problems[0].message
    missing = run(session, write_ndjson(tmp_path / "c.ndjson", [row]), as_publisher="DEP-NOBODY")
    assert "no department or enterprise has that id" in missing.problems[0].message


def test_rows_without_publisher_take_the_importer(session, ready, tmp_path):
    row = inspection(ready["enterprise"])
    del row["publisher_id"]
    assert run(session, write_ndjson(tmp_path / "a.ndjson", [row])).ok
    assert session.get(Inspection, row["id"]).publisher_id == "DEP-GX-EEB"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", b"PK", "unknown file type .xlsx"),
        ("x.ndjson", b"", "holds no records"),
        ("x.json", b'{"id": "INS-1"}', "one array of records"),
        ("x.ndjson", b"[1, 2]\n", "each line must be one JSON object"),
        ("x.csv", b"", "the file is empty"),
        ("x.ndjson", b'{"id": "XYZ-1"}\n', "does not start with a known prefix"),
    ],
)
def test_unreadable_files(session, ready, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(session, path)
    assert not result.ok
    assert any(message in str(p) for p in result.problems), result.problems


def test_oversized_line_is_refused(session, ready, tmp_path):
    path = tmp_path / "big.ndjson"
    path.write_text(json.dumps(inspection(ready["enterprise"], findings_zh="x" * (1 << 20))) + "\n")
    assert "longer than 1 MiB" in run(session, path).problems[0].message


def test_control_characters_are_refused(session, ready, tmp_path):
    row = inspection(ready["enterprise"], findings_zh="bad\u0000byte")
    (problem,) = run(session, write_ndjson(tmp_path / "c.ndjson", [row])).problems
    assert problem.field == "findings_zh" and "U+0000" in problem.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.ndjson", b"[" * 100_000 + b"\n"),
        ("deep.ndjson", b'{"id": "INS-X", "findings_zh": ' + b"[" * 100_000 + b"\n"),
        ("deep.json", b"[" * 100_000),
        ("deep.csv", b'id,readings\nINC-X,"' + b"[" * 100_000 + b'"\n'),
    ],
)
def test_json_nested_past_any_record_is_a_problem_not_a_crash(
    session, ready, tmp_path, name, content
):
    # A RecursionError traceback before: the parser recursed once per `[`.
    path = tmp_path / name
    path.write_bytes(content)
    before = count(session, Revision)
    result = run(session, path)
    assert not result.ok
    assert any("levels deep" in p.message for p in result.problems), result.problems
    assert count(session, Revision) == before
