"""Secrets never reach a log: token secrets (good, wrong and revoked), the session and form
tokens, the app's SECRET_KEY and the language model's API key, with every logger at DEBUG
(SQLAlchemy's statements and rows included) through a token's whole life, a moderator's
sign-in and sign-out, failed authentication and a question to the assistant."""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import Portal
from factories import department, incident, publish
from portal.search import service_of

LLM_KEY = "sk-clearwater-" + secrets.token_hex(16)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, set before the app and its database engine exist."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    return caplog


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """The log as written, and every record's raw parts (arguments, extras, exceptions)."""
    return caplog.text + "\n".join(repr(vars(r)) for r in caplog.records)


def form_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_no_secret_is_ever_logged(
    all_logs: pytest.LogCaptureFixture,
    app: Flask,
    client: FlaskClient,
    session: Session,
    portal: Portal,
    tmp_path: Path,
) -> None:
    publish(session, department())
    publish(session, department(id="DEP-CNMIA", name_zh="再生金属分会", function="association"))
    made = portal("token", "create", "DEP-CNMIA")
    assert made.exit_code == 0, made.output
    secret = made.output.splitlines()[1]
    token_id = made.output.split()[1]
    wrong = "cw_" + secrets.token_urlsafe(32)  # someone's mistyped token is a secret too

    # Publishing: a good token, then a wrong one.
    body = incident(id="INC-2026-0001", title_zh="龙江镉污染", summary_zh="龙江河段镉超标。")
    body.pop("publisher_id")
    good = client.post(
        "/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {secret}"}
    )
    assert good.status_code == 201, good.get_json()
    bad = client.post("/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {wrong}"})
    assert bad.status_code == 401

    # A moderator signs in, fails to with a wrong token, signs out.
    mod = app.test_client()
    csrf = form_token(mod, "/moderate")
    assert mod.post("/moderate/login", data={"csrf": csrf, "token": wrong}).status_code == 401
    csrf = form_token(mod, "/moderate")
    assert mod.post("/moderate/login", data={"csrf": csrf, "token": secret}).status_code == 303
    cookie = mod.get_cookie("session")
    assert cookie is not None
    out = mod.post("/moderate/logout", data={"csrf": form_token(mod, "/moderate")})
    assert out.status_code == 303

    # Revoked, the token is refused.
    assert portal("token", "revoke", token_id).exit_code == 0
    revoked = client.post(
        "/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {secret}"}
    )
    assert revoked.status_code == 401

    # The assistant with a model server that needs a key (and is down: the failure is logged).
    service_of(app).rebuild(procs=1)
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(
        settings,
        llm_base_url="http://127.0.0.1:9/v1",
        llm_model="qwen2.5:7b-instruct",
        llm_api_key=LLM_KEY,
    )
    app.extensions.pop("assistant", None)
    answer = client.post("/api/v1/ask", json={"question": "龙江镉污染是哪个部门发布的？"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]

    logged = everything_logged(all_logs)
    # The loggers that could leak were heard: SQL with its parameters, the model's client
    # sending the request, and the chain logging the failure with its traceback.
    heard = {r.name for r in all_logs.records}
    assert {"sqlalchemy.engine.Engine", "openai._base_client", "portal.assistant.chain"} <= heard
    for name, value in {
        "token secret": secret,
        "the secret after its public hint": secret[9:],
        "a wrong token": wrong,
        "the moderator's session cookie": cookie.value,
        "a form token": csrf,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PORTAL_LLM_API_KEY": LLM_KEY,
    }.items():
        assert value not in logged, f"{name} was logged"


def test_settings_never_print_the_keys() -> None:
    from portal.config import load_settings

    settings = load_settings({"PORTAL_SECRET_KEY": "s3cret-key", "PORTAL_LLM_API_KEY": LLM_KEY})
    # A settings object that ends up in a log line or a traceback shows no key.
    assert LLM_KEY not in repr(settings) and "s3cret-key" not in repr(settings)


OPERAND = r"[\w.\[\]'\"]*(?:secret|csrf|nonce|signature|password|api_key|digest)[\w.\[\]'\"]*"
SECRETISH = rf"{OPERAND}(?:\([^()]*\))?"
COMPARISON = re.compile(rf"{SECRETISH}\s*[!=]=(?!=)|(?<![!=<>])[!=]=\s*{SECRETISH}", re.IGNORECASE)


def _secret_comparisons(source: str) -> list[str]:
    """Lines that compare something secret with == or != (they should use compare_digest).
    Database lookups by hash (col(...) == digest(...)) are index searches, not checks."""
    found = []
    for line in source.splitlines():
        code = line.split("#", 1)[0]
        if COMPARISON.search(code) and "col(" not in code:
            found.append(line.strip())
    return found


def test_secrets_are_compared_in_constant_time() -> None:
    root = Path(__file__).resolve().parents[2] / "portal"
    offenders = {}
    for path in root.rglob("*.py"):
        lines = _secret_comparisons(path.read_text("utf-8"))
        if lines:
            offenders[str(path.relative_to(root))] = lines
    assert offenders == {}
    # The checker finds what it looks for.
    assert _secret_comparisons("if session['csrf'] == sent:\n") != []
    assert _secret_comparisons("if token.secret_hash != digest(secret):\n") != []
    assert _secret_comparisons("if sent == nonce:\n") != []
    assert _secret_comparisons("ok = hmac.compare_digest(sent, nonce)\n") == []
    assert _secret_comparisons('if scheme.lower() != "bearer" or not secret:\n') == []


def test_the_two_secret_checks_use_compare_digest() -> None:
    root = Path(__file__).resolve().parents[2] / "portal"
    tokens = (root / "records" / "tokens.py").read_text("utf-8")
    forms = (root / "web" / "tips.py").read_text("utf-8")
    assert "hmac.compare_digest(token.secret_hash, digest(secret))" in tokens
    assert re.search(r"hmac\.compare_digest\(value, nonce\)", forms)
