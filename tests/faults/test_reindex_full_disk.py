"""`portal reindex` on a full disk never leaves the portal with less index than it had: the new
index is built beside the old one and swapped in only when it is whole, so when the build fails
the old index stays as it was, searches go on answering from it, and the command exits 1 with a
sentence saying what to do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import test_disk_full
from test_disk_full import _fill

from conftest import Portal, _app, whoosh_only

ROOM = 256 * 1024  # bytes; the sample's index takes some 2 MiB
small_disk = test_disk_full.small_disk  # the fixture: a 12 MiB tmpfs for this test


def _files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir()}


@whoosh_only
def test_a_reindex_that_fails_keeps_the_old_index(
    sample_url: str, sample_index: Path, small_disk: Path
) -> None:
    index = small_disk / "index"
    shutil.copytree(sample_index, index)
    before = _files(index)
    portal = Portal(sample_url, index)
    ballast = _fill(small_disk)
    # Room for the small files (the rebuild's lock, the words list), not for a whole index.
    os.truncate(ballast, ballast.stat().st_size - ROOM)

    failed = portal("reindex", "--procs", "1")
    assert failed.exit_code == 1
    assert "error: the search index could not be rebuilt (No space left on device)" in (
        failed.output
    )
    assert "the index that was there is kept" in failed.output
    assert "Traceback" not in failed.output
    assert _files(index) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["ballast", "index"]  # nothing left

    checked = portal("check")
    assert "The index and the database agree." in checked.output, checked.output
    client = _app(sample_url, index).test_client()
    hits = client.get("/api/v1/search?q=龙江 镉").get_json()
    assert "INC-2012-0001" in {hit["id"] for hit in hits["items"]}

    ballast.unlink()
    assert portal("reindex", "--procs", "2").exit_code == 0
    assert portal("check").exit_code == 0
