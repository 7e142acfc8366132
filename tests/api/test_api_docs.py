"""docs/api.md stays true: every curl example answers 2xx, and every endpoint has an example."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask

from conftest import Portal

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BASE = "http://127.0.0.1:5000"


def _examples() -> list[str]:
    text = API_MD.read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("curl ")]


def _request(line: str) -> tuple[str, str, str, dict[str, str]]:
    """(method, path, query string, headers) of one curl line."""
    words = shlex.split(line)
    urls = [w for w in words if w.startswith(BASE)]
    assert len(urls) == 1, line
    headers = dict(
        words[i + 1].split(": ", 1) for i, w in enumerate(words) if w in ("-H", "--header")
    )
    method = "HEAD" if "-I" in words or "--head" in words else "GET"
    parts = urlsplit(urls[0])
    return method, parts.path, quote(parts.query, safe="=&%"), headers


def test_there_are_examples() -> None:
    assert len(_examples()) >= 30


def test_every_curl_example_answers(
    sample_app: Flask, sample_portal: Portal, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    snapshots = tmp_path / "snapshots"
    assert sample_portal("snapshot", "--out", str(snapshots)).exit_code == 0
    sample_app.config["SNAPSHOT_DIR"] = str(snapshots)
    client = sample_app.test_client()
    for line in _examples():
        with subtests.test(line):
            method, path, query, headers = _request(line)
            with client.open(path, method=method, query_string=query, headers=headers) as reply:
                assert 200 <= reply.status_code < 300, reply.get_data(as_text=True)[:500]


def test_every_endpoint_has_an_example(sample_app: Flask) -> None:
    document = sample_app.test_client().get("/api/v1/openapi.json").get_json()
    paths = {_request(line)[1] for line in _examples()}
    for template in [*document["paths"], "/api/docs"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        assert any(re.fullmatch(pattern, p) for p in paths), f"no curl example for {template}"
