"""The disk full while indexing: a real ENOSPC from a small filesystem (tmpfs) that holds the
search index and is filled to the brim.

The record is published all the same (201, readable at once); the failure is logged;
searches go on answering from the index as it was; `portal check` names the record the index
lacks; once there is room again, `portal reindex` closes the gap and `portal check` passes.
"""

from __future__ import annotations

import errno
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Portal, _app, need, whoosh_only
from factories import publishing_token


def _fill(folder: Path) -> Path:
    """Write a ballast file until the filesystem refuses with ENOSPC."""
    ballast = folder / "ballast"
    block = b"\0" * 65536
    with ballast.open("wb") as handle:
        while True:
            try:
                handle.write(block)
                handle.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
    return ballast


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 12 MiB tmpfs, mounted for this test (needs Linux and the right to mount)."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        need("mount", "a full filesystem is simulated with a small tmpfs (Linux, mount)")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        need("mount", f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@whoosh_only
def test_a_full_disk_while_indexing_loses_no_record(
    sample_url: str,
    sample_index: Path,
    small_disk: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    index = small_disk / "index"
    shutil.copytree(sample_index, index)
    app = _app(sample_url, index)
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    client = app.test_client()
    token = publishing_token(app, "DEP-GX-HC-EEB")
    assert client.get("/api/v1/search?q=镉").status_code == 200  # the index works
    ballast = _fill(small_disk)

    body = {
        "id": "INS-2033-0001",
        "enterprise_id": "ENT-GX-JINHE",
        "inspected_on": "2024-06-01",
        "inspection_type": "targeted",
        "outcome": "violation",
        "findings_zh": "磁盘已满时发布的检查：渣场渗滤液镉超标。",
    }
    with caplog.at_level(logging.ERROR, logger="portal.search"):
        response = client.post(
            "/api/v1/inspections", json=body, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert client.get("/api/v1/inspections/INS-2033-0001").status_code == 200
    failures = [r for r in caplog.records if "indexing after commit failed" in r.getMessage()]
    assert failures, [r.getMessage() for r in caplog.records]
    assert any(
        isinstance(r.exc_info[1], OSError) and r.exc_info[1].errno == errno.ENOSPC
        for r in failures
        if r.exc_info
    )
    # Searches still answer, from the index as it was.
    assert client.get("/api/v1/search?q=镉").status_code == 200

    portal = Portal(sample_url, index)
    check = portal("check")
    assert check.exit_code == 1
    assert "INS-2033-0001" in check.output or "not yet absorbed" in check.output, check.output
    assert "run `portal reindex`" in check.output

    ballast.unlink()  # room again
    assert portal("reindex", "--procs", "1").exit_code == 0
    check = portal("check")
    assert check.exit_code == 0 and "agree" in check.output, check.output
    hits = client.get("/api/v1/search?q=渗滤液").get_json()
    assert "INS-2033-0001" in {hit["id"] for hit in hits["items"]}
