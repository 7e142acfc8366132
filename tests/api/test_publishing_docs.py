"""docs/publishing.md stays true: its examples, run in order with real tokens, all succeed."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from curl import examples
from factories import publishing_token

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "publishing.md"


def test_the_clerks_guide_works_as_written(sample_app: Flask) -> None:
    tokens = {
        "$ENTERPRISE_TOKEN": publishing_token(sample_app, "ENT-GX-JINHE"),
        "$TOKEN": publishing_token(sample_app, "DEP-GX-HC-EEB"),
    }
    client = sample_app.test_client()
    steps = examples(GUIDE)
    assert [s.method for s in steps] == ["POST", "PATCH", "POST", "POST"]
    for step in steps:
        headers = dict(step.headers)
        for name, secret in tokens.items():
            headers = {k: v.replace(name, secret) for k, v in headers.items()}
        reply = client.open(step.path, method=step.method, headers=headers, data=step.body)
        assert 200 <= reply.status_code < 300, (step.line[:80], reply.get_json())
    history = client.get("/api/v1/inspections/INS-2026-0101/history").get_json()["items"]
    assert [r["action"] for r in history] == ["publish", "correct", "withdraw"]
    assert client.get("/api/v1/inspections/INS-2026-0101").status_code == 410
    assert "RSP-2026-0101" in client.get("/incidents/INC-2012-0001").get_data(as_text=True)
