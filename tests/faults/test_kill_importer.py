"""kill -9 the importer half way through a large file, and again while it indexes.

A file is imported in one transaction (docs/reliability.md): killed while reading, the
database holds exactly what it held before, not one record of the file; killed after its
commit while the index catches up, the database holds the whole file, `portal check` names
the records the index lacks and `portal reindex` fills the gap. Importing the file again
afterwards writes it whole, once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fault_support import PORTAL, portal_env, read_position, table_counts, wait_for

from conftest import Portal

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _start_import(url: str, index_dir: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PORTAL, "import", str(path), "--as-recorded"],
        env=portal_env(url, index_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def test_a_killed_import_leaves_no_partial_record(
    portal: Portal, database_url: str, index_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    assert portal("generate", "--records", "900", "--out", str(out)).exit_code == 0
    assert portal("reindex", "--procs", "1").exit_code == 0
    for path in sorted(out.glob("0[1-3]-*.ndjson")):  # departments, enterprises, incidents
        result = portal("import", str(path), "--as-recorded")
        assert result.exit_code == 0, result.output
    big = next(out.glob("04-inspections.ndjson"))
    rows = sum(1 for line in big.read_bytes().splitlines() if line.strip())
    size = big.stat().st_size
    assert size > 1 << 19 and rows > 300  # a large file, read in many chunks
    before = table_counts(database_url)

    # 1. Killed half way through reading (its own offset in the file says where it is).
    proc = _start_import(database_url, index_dir, big)
    wait_for("the importer to read half the file", lambda: read_position(proc.pid, big) > size // 2)
    assert proc.poll() is None, "the import finished before it could be killed"
    _kill(proc)
    assert table_counts(database_url) == before  # not one row of the file, in any table
    check = portal("check")
    assert check.exit_code == 0 and "agree" in check.output, check.output

    # 2. Killed after its commit, while the search index absorbs the new records.
    proc = _start_import(database_url, index_dir, big)
    wait_for(
        "the import's commit",
        lambda: table_counts(database_url)["inspection"] > before["inspection"],
    )
    _kill(proc)
    after = table_counts(database_url)
    assert after["inspection"] == before["inspection"] + rows  # the whole file, or none of it
    assert after["revision"] == before["revision"] + rows
    check = portal("check")
    if check.exit_code != 0:  # the kill landed before the index caught up
        assert "run `portal reindex`" in check.output
        assert portal("reindex", "--procs", "1").exit_code == 0
        check = portal("check")
    assert check.exit_code == 0 and "agree" in check.output, check.output

    # 3. The same file again: nothing new, nothing doubled.
    again = portal("import", str(big), "--as-recorded")
    assert again.exit_code == 0 and f"0 new, 0 corrected, {rows} unchanged" in again.output
    assert table_counts(database_url)["inspection"] == after["inspection"]
