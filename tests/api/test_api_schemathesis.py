"""Schemathesis against the OpenAPI document: no server error, every response as documented.

Valid and invalid requests for every operation, a few examples each, so the file stays well
under a minute. (Schemathesis's own pytest loader does not run under pytest 9, so each
operation's strategy is driven by Hypothesis here.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


def _exercise(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def test_every_operation_keeps_its_promises(sample_app: Flask, tmp_path: Path) -> None:
    sample_app.config["API_RATE_LIMIT"] = "1000000 per minute"
    sample_app.config["SNAPSHOT_DIR"] = str(tmp_path / "snapshots")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", sample_app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25  # five per kind, and the documents about the API
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # no parameter can be made invalid
            except Exception as exc:  # collect them all, then fail with every one
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
