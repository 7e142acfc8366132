"""Every curl line of the guides works as pasted (issue 21).

tests/api/test_api_docs.py reads docs/api.md's examples into a test client, which encodes what it
is given; curl does not. An address with 广西 typed into it reaches a server as raw UTF-8, which
it reads as Latin-1 (a 400 naming 'å¹¿è¥¿') or refuses. Here each `curl` line of every sh block
in docs/*.md is run by a shell, as a reader would paste it (with $TOKEN and $ENTERPRISE_TOKEN
set), with the real curl binary, against the sample portal served by gunicorn with the project's
gunicorn.conf.py on a free port. Each must answer 2xx, and a listing or search in JSON must
find something (curl sending a word the server cannot read is also a search for nothing)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from serving import ROOT, gunicorn

from conftest import Portal
from curl import BASE
from factories import publishing_token

CURL = shutil.which("curl")
STATUS = "\n@@status="


def curl_lines(guide: Path) -> list[str]:
    """Every `curl` line of the guide's sh blocks, as written."""
    blocks = re.findall(r"```sh\n(.*?)```", guide.read_text("utf-8"), flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("curl ")]


GUIDES = sorted(p for p in (ROOT / "docs").glob("*.md") if curl_lines(p))


@pytest.fixture
def served(
    sample_app: Flask, sample_url: str, sample_index: Path, sample_portal: Portal, tmp_path: Path
) -> Iterator[str]:
    """The sample portal, with snapshots, under gunicorn; its address."""
    snapshots = tmp_path / "snapshots"
    assert sample_portal("snapshot", "--out", str(snapshots)).exit_code == 0
    with gunicorn(
        tmp_path / "gunicorn.log",
        PORTAL_DATABASE_URL=sample_url,
        PORTAL_INDEX_DIR=str(sample_index),
        PORTAL_SNAPSHOT_DIR=str(snapshots),
    ) as port:
        yield f"http://127.0.0.1:{port}"


def run(line: str, base: str, cwd: Path, tokens: dict[str, str]) -> tuple[int, str]:
    """Run one line in bash as written (only the address's port changed); status and body."""
    command = line.replace(BASE, base) + f" -w '{STATUS}%{{http_code}}'"
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], **tokens},
        capture_output=True,
        timeout=60,
    )
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0 and STATUS in out, (line, done.returncode, done.stderr[-300:])
    body, _, status = out.rpartition(STATUS)
    saved = re.search(r"-o (\S+)", line)
    if saved and saved.group(1) != "/dev/null":
        body = (cwd / saved.group(1)).read_text("utf-8", "replace")
    return int(status), body


def _found_nothing(body: str) -> bool:
    """A JSON listing or search with no item."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("items") == [] and "total" in data


@pytest.mark.skipif(CURL is None, reason="the curl binary is not installed")
def test_every_curl_line_works_as_pasted(
    served: str, sample_app: Flask, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    assert {p.name for p in GUIDES} >= {"api.md", "feeds.md", "publishing.md"}
    tokens = {
        "TOKEN": publishing_token(sample_app, "DEP-GX-HC-EEB"),
        "ENTERPRISE_TOKEN": publishing_token(sample_app, "ENT-GX-JINHE"),
    }
    for guide in GUIDES:
        for line in curl_lines(guide):
            with subtests.test(f"{guide.name}: {line[:90]}"):
                status, body = run(line, served, tmp_path, tokens)
                assert 200 <= status < 300, (status, body[:300])
                assert not _found_nothing(body), body[:300]
