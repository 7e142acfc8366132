"""docs/api.md stays true: every curl example answers 2xx, and every endpoint has an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from conftest import Portal
from curl import Example, examples
from factories import publishing_token

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _examples() -> list[Example]:
    return examples(API_MD)


def test_there_are_examples() -> None:
    assert len(_examples()) >= 30


def test_every_curl_example_answers(
    sample_app: Flask, sample_portal: Portal, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    snapshots = tmp_path / "snapshots"
    assert sample_portal("snapshot", "--out", str(snapshots)).exit_code == 0
    sample_app.config["SNAPSHOT_DIR"] = str(snapshots)
    client = sample_app.test_client()
    token = publishing_token(sample_app, "DEP-GX-HC-EEB")
    for example in _examples():
        with subtests.test(example.line):
            headers = {k: v.replace("$TOKEN", token) for k, v in example.headers.items()}
            with client.open(
                example.path,
                method=example.method,
                query_string=example.query,
                headers=headers,
                data=example.body,
            ) as reply:
                assert 200 <= reply.status_code < 300, reply.get_data(as_text=True)[:500]


def test_every_endpoint_has_an_example(sample_app: Flask) -> None:
    document = sample_app.test_client().get("/api/v1/openapi.json").get_json()
    paths = {example.path for example in _examples()}
    # Writes are the same for every kind (the guide says so): one example per shape is enough.
    writes = {
        path
        for path, operations in document["paths"].items()
        if any("security" in op for op in operations.values())
    }
    for template in [*document["paths"], "/api/docs"]:
        shape = (
            re.sub(r"^/api/v1/[a-z]+", "/api/v1/{kind}", template)
            if template in writes
            else template
        )
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(shape))
        assert any(re.fullmatch(pattern, p) for p in paths), f"no curl example for {template}"
