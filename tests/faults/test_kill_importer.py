"""kill -9 the importer half way through a large file, and again while it indexes.

A file is imported in one transaction (docs/reliability.md): killed while reading, the
database holds exactly what it held before, not one record of the file; killed after its
commit while the index catches up, the database holds the whole file, `portal check` names
the records the index lacks and `portal reindex` fills the gap. Importing the file again
afterwards writes it whole, once.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fault_support import PORTAL, portal_env, wait_for

from conftest import Portal, table_counts

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs named pipes (Linux)"
)


def _start_import(url: str, index_dir: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PORTAL, "import", str(path), "--as-recorded"],
        env=portal_env(url, index_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _open_for_writing(fifo: Path, proc: subprocess.Popen[bytes]) -> int | None:
    """The pipe's writing end once the importer has opened it for reading (None until then)."""
    assert proc.poll() is None, "the importer stopped before it opened its input"
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # no reader yet
            return None
        raise


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

    # 1. Killed half way through reading. The file comes through a pipe: the importer is given
    # the first half, has taken it in (the write returns only once it has read all but a pipe's
    # buffer), and waits for the rest, which never comes. No timing decides where it dies.
    data = big.read_bytes()
    half = data.index(b"\n", len(data) // 2) + 1
    fifo = tmp_path / "pipe" / big.name
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [PORTAL, "import", str(fifo), "--as-recorded", "--kind", "inspections"],
        env=portal_env(database_url, index_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    writer = wait_for("the importer to open the pipe", lambda: _open_for_writing(fifo, proc))
    with os.fdopen(writer, "wb") as pipe:
        os.set_blocking(writer, True)
        pipe.write(data[:half])
        pipe.flush()
        assert proc.poll() is None, "the importer stopped before the end of its input"
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
    proc.send_signal(signal.SIGKILL)  # while it indexes, or (on a fast machine) just after
    assert proc.wait(timeout=30) in (-signal.SIGKILL, 0)
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
