"""Schemathesis against the OpenAPI document with every check it has (`--checks all`): no server
error, every response as documented, every request the document calls valid accepted and every
one it calls invalid refused.

Valid and invalid requests for every operation, a few examples each, so the file stays well
under a minute or two. (Schemathesis's own pytest loader does not run under pytest 9, so each
operation's strategy is driven by Hypothesis here.) What the checks expect beyond the document is
in schemathesis.toml, the rules the document states in words in tests/openapi_rules.py: the
nightly run (bench/fuzz_api.sh) reads both too.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.config import SchemathesisConfig

from conftest import fuzz_settings
from fuzz_writers import steer
from openapi_rules import mend_query

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 8
NO_LIMIT = "1000000 per minute"


@pytest.fixture
def fuzzed_app(sample_app: Flask, tmp_path: Path) -> Flask:
    """The sample portal with its rate limits lifted, so that generated requests reach the
    logic instead of a 429, and snapshots of its own."""
    sample_app.config.update(
        API_RATE_LIMIT=NO_LIMIT, ASK_RATE_LIMIT=NO_LIMIT, SNAPSHOT_DIR=str(tmp_path / "snaps")
    )
    return sample_app


def load_schema(app: Flask) -> Any:
    """The app's OpenAPI document, with schemathesis.toml; every check enabled."""
    config = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    checks = schema.config.checks_config_for()
    disabled = [n for n in CHECKS.get_all_names() if not checks.get_by_name(name=n).enabled]
    assert not disabled, f"every check runs: {disabled} are off"
    return schema


def cases(operation: Any, mode: GenerationMode) -> Any:
    """Generated cases, their queries kept to the rules the document states in words."""

    def mend(case: Any) -> Any:
        case.query = mend_query(operation.path, case.query)
        return case

    return operation.as_strategy(generation_mode=mode).map(mend)


def _exercise(operation: Any, mode: GenerationMode) -> None:
    @given(case=cases(operation, mode))
    @fuzz_settings(EXAMPLES)
    def run(case: Any) -> None:
        case.call_and_validate()  # no checks named: all of them

    run()


def _writes(operation: Any) -> bool:
    return "publishing" in (operation.tags or ())


def test_every_operation_keeps_its_promises(fuzzed_app: Flask) -> None:
    """Every operation but the writes, which the next test makes with tokens (and the
    `ignored_auth` check there sends each without one too)."""
    schema = load_schema(fuzzed_app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if not _writes(operation)]
    assert len(operations) >= 25  # four per kind, search, ask, and the documents about the API
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # no parameter can be made invalid
            except Exception as exc:  # collect them all, then fail with every one
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


# -- writes, with tokens --------------------------------------------------------------------
# A bureau that holds enterprises, incidents and inspections of the sample, and an enterprise
# that holds disclosures and a response; generated writes are steered (tests/fuzz_writers.py)
# to publish as the token's own publisher and at records it holds, so writes get past 403 and
# 404 to validation, conflicts, corrections and withdrawals.
WRITERS = {"DEP-HA-EE": ("departments", "enterprises", "incidents", "inspections")}
WRITERS["ENT-0011"] = ("disclosures", "responses")
WRITE_EXAMPLES = 4


def _owned(app: Flask, publisher: str, kind: str) -> list[str]:
    from sqlalchemy import select

    from portal.db import get_engine
    from portal.records import KINDS

    table: Any = KINDS[kind].table
    with get_engine(app.config["DATABASE_URL"]).connect() as conn:
        return sorted(
            conn.execute(select(table.id).where(table.publisher_id == publisher)).scalars()
        )


def test_writes_with_a_token_keep_their_promises(fuzzed_app: Flask) -> None:
    from factories import publishing_token

    sample_app = fuzzed_app
    schema = load_schema(sample_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if _writes(operation)]
    assert len(operations) == 18  # publish, correct and withdraw for six kinds
    failures: dict[str, str] = {}
    statuses: list[int] = []
    for publisher, kinds in WRITERS.items():
        token = publishing_token(sample_app, publisher, scopes=kinds)
        headers = {"Authorization": f"Bearer {token}"}
        for operation in operations:
            kind = operation.path.removeprefix("/api/v1/").split("/")[0]
            if kind not in kinds:
                continue
            owned = _owned(sample_app, publisher, kind)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = st.builds(
                    steer,
                    cases(operation, mode),
                    st.just(publisher),
                    st.just(owned),
                    st.integers(0, 2),
                    st.integers(0, 50),
                    positive=st.just(mode is GenerationMode.POSITIVE),
                )

                @given(case=strategy)
                @fuzz_settings(WRITE_EXAMPLES)
                def run(case: Any) -> None:
                    # Hypothesis seeds the global random module alike for every example, and
                    # Whoosh names a new index segment from it: reseed, or two examples' writes
                    # would make segments of the same name.
                    random.seed()
                    response = case.call_and_validate(headers=headers)
                    statuses.append(response.status_code)

                try:
                    run()
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE
                except Exception as exc:
                    failures[f"{operation.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    assert all(s < 500 for s in statuses)
    # The tokens got past the door: writes were made, and others refused for their content.
    assert {200, 201} & set(statuses)
    assert 422 in statuses
