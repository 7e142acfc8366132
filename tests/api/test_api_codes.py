"""problem+json carries a stable `code`, and each problem of a query or a record its own code
and parameters: the codes the portal can emit are the codes docs/api.md lists, no more, no fewer,
and the OpenAPI document declares both."""

from __future__ import annotations

import ast
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any, get_args

from api.test_api_write import auth, new_inspection, world, writes
from flask import Flask
from flask.testing import FlaskClient
from pydantic_core.core_schema import ErrorType
from sqlmodel import Session

from portal.codes import CODES, PROBLEM_CODES, status_code

__all__ = ["world"]  # a fixture, used by name

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "api.md"
# Calls whose first string argument (or `code=`) is a code: an issue, a problem of a write, a
# pydantic error of our validators', and the helpers that make them.
MAKERS = {"Issue", "Problem", "PydanticCustomError", "bad", "_problem"}


def _table(heading: str) -> list[list[str]]:
    """The rows of the table under a heading of docs/api.md, cell by cell, without backticks."""
    text = API_MD.read_text(encoding="utf-8").split(f"### {heading}\n", 1)[1]
    rows = []
    for line in text.split("\n#", 1)[0].splitlines():
        if line.startswith("| ") and not line.startswith(("| code ", "|---")):
            rows.append([cell.strip().replace("`", "") for cell in line.strip("|").split(" | ")])
    return rows


def _literals() -> tuple[set[str], set[str], set[str]]:
    """Codes named in portal/'s source: those given to the issue makers, those given as `code=`
    to a problem+json answer, and every string the API's modules hold."""
    issues, problems, api = set(), set(), set()
    for path in (ROOT / "portal").rglob("*.py"):
        if path.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            held = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if held and path.parent.name == "api":
                api.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name in MAKERS:
                # Problem(index, field, message, code, ...): the code is its last string.
                found = strings[-1:] if name == "Problem" else strings[:1]
                issues.update(s for s in found if isinstance(s, str))
            for keyword in node.keywords if name in ("problem", "Refused") else ():
                if keyword.arg == "code":
                    problems.update(
                        c.value
                        for c in ast.walk(keyword.value)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    )
    return issues, problems, api


def test_the_documented_error_codes_are_the_codes() -> None:
    documented = {code: (meaning, params) for code, meaning, params in _table("Error codes")}
    assert len(documented) == len(_table("Error codes")), "a code is listed twice"
    assert documented == {
        code: (meaning, ", ".join(params) or "—") for code, (meaning, params) in CODES.items()
    }


def test_the_documented_problem_codes_are_the_codes() -> None:
    assert dict(_table("Problem codes")) == PROBLEM_CODES


def test_every_code_can_be_emitted_and_every_emitted_code_is_known() -> None:
    issues, problems, api = _literals()
    pydantic = set(get_args(ErrorType))
    assert issues - set(CODES) == set(), "a code not in portal.codes.CODES"
    assert set(CODES) - issues - pydantic == set(), "a code nothing emits"
    by_status = {status_code(s) for s in HTTPStatus}
    assert problems - set(PROBLEM_CODES) == set()
    assert set(PROBLEM_CODES) - api - by_status == set(), "a problem code nothing emits"


def test_the_openapi_document_declares_the_codes(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    problem, error = schemas["Problem"], schemas["ProblemError"]
    assert "code" in problem["required"]
    assert problem["properties"]["code"]["enum"] == sorted(PROBLEM_CODES)
    assert problem["properties"]["errors"]["items"]["$ref"].endswith("/ProblemError")
    assert error["properties"]["code"]["enum"] == sorted(CODES)
    assert set(error["required"]) == {"code", "detail"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    said = [f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in body["errors"]]
    assert said == body["problems"]
    return body


def test_a_bad_query_has_a_code_for_each_problem(client: FlaskClient) -> None:
    body = _problem(client.get("/api/v1/incidents?colour=red&limit=0&outcome=x"), 400)
    assert body["code"] == "invalid_query"
    by_code = {e["code"]: e for e in body["errors"]}
    assert set(by_code) == {"unknown_parameter", "filter_not_applicable", "out_of_range"}
    assert by_code["out_of_range"]["params"] == {
        "name": "limit",
        "low": 1,
        "high": 1000,
        "value": 0,
    }
    assert by_code["filter_not_applicable"]["params"] == {"name": "outcome", "kind": "incidents"}
    unknown = by_code["unknown_parameter"]["params"]
    assert unknown["name"] == "colour" and "limit" in unknown["usable"]
    assert all(e["field"] is None for e in body["errors"])


def test_search_and_obligations_problems_have_codes(client: FlaskClient) -> None:
    body = _problem(client.get("/api/v1/search?q=x&kind=tips"), 400)
    assert body["code"] == "invalid_query"
    assert body["errors"][0]["code"] == "not_one_of"
    assert "incidents" in body["errors"][0]["params"]["choices"]
    body = _problem(client.get("/api/v1/search?q=x&lang=fr"), 400)
    assert [e["params"] for e in body["errors"]] == [{"name": "lang", "choices": ["zh", "en"]}]
    body = _problem(client.get("/api/v1/obligations?year=2019"), 400)
    assert body["code"] == "invalid_query"
    assert body["errors"][0]["code"] == "before_rules"
    assert body["errors"][0]["params"] == {
        "year": 2019,
        "in_force": "2022-02-08",
        "first": 2022,
        "due": 2023,
    }


def test_a_refused_record_has_a_code_for_each_field(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    before = writes(session)
    body = new_inspection(world["A"])
    body.update(outcome="guilty", id="INS 2024", findings_zh="bad\x00byte")
    del body["inspected_on"]
    response = client.post(
        "/api/v1/inspections", json=body, headers=auth(world["tokens"]["DEP-GX-EEB"])
    )
    refused = _problem(response, 422)
    assert refused["code"] == "invalid_record"
    by_field = {e["field"]: (e["code"], e["params"]) for e in refused["errors"]}
    assert by_field["inspected_on"] == ("missing", {})
    assert by_field["outcome"] == (
        "enum",
        {
            "expected": "'compliant', 'violation' or 'rectification_ordered'",
            "choices": ["compliant", "violation", "rectification_ordered"],
        },
    )
    assert by_field["id"] == ("record_id_format", {})
    assert by_field["findings_zh"] == (
        "control_character_at",
        {"position": 4, "character": "U+0000"},
    )
    assert writes(session) == before


def test_write_refusals_have_codes(client: FlaskClient, world: dict[str, Any]) -> None:
    headers = auth(world["tokens"]["DEP-GX-EEB"])
    body = {**new_inspection(world["A"]), "id": "INS-2023-0001"}
    conflict = _problem(client.post("/api/v1/inspections", json=body, headers=headers), 409)
    assert conflict["code"] == "conflict"
    assert [(e["code"], e["params"]) for e in conflict["errors"]] == [
        ("already_published", {"id": "INS-2023-0001"})
    ]
    missing = client.patch(
        "/api/v1/inspections/INS-2099-0001",
        json={"reason": "a correction", "changes": {"findings_en": "x"}},
        headers=headers,
    )
    assert _problem(missing, 404)["code"] == "not_found"
    unsigned = client.post("/api/v1/inspections", json=body)
    assert _problem(unsigned, 401)["code"] == "unauthorized"


def test_every_other_problem_names_its_status(client: FlaskClient) -> None:
    assert _problem(client.get("/api/v1/incidents/INC-2099-0001"), 404)["code"] == "not_found"
    assert _problem(client.get("/api/v1/nowhere"), 404)["code"] == "not_found"
    assert _problem(client.delete("/api/v1/incidents"), 405)["code"] == "method_not_allowed"
    long = client.get("/api/v1/incidents?text=" + "x" * 9000)
    assert _problem(long, 414)["code"] == "uri_too_long"
    assert re.fullmatch(r"[a-z_]+", status_code(418)) and status_code(799) == "http_error"


def test_a_feeds_bad_query_has_codes_too(client: FlaskClient) -> None:
    body = _problem(client.get("/feeds/inspections.atom?sort=newest&lang=fr"), 400)
    assert body["code"] == "invalid_query"
    assert [(e["code"], e["params"]) for e in body["errors"]] == [
        ("not_one_of", {"name": "lang", "choices": ["zh", "en"]}),
        ("order_fixed", {"name": "sort"}),
    ]
    assert body["detail"] == " ".join(body["problems"])
    body = _problem(client.get("/feeds/obligations.atom?status=overdue"), 400)
    assert [e["code"] for e in body["errors"]] == ["filter_fixed"]
    body = _problem(client.get("/feeds/all.atom?colour=red"), 400)
    assert [e["code"] for e in body["errors"]] == ["unknown_parameter"]
