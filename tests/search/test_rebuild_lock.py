"""One process at a time rebuilds the Whoosh index, and a rebuilder that dies holds nothing.

The rebuilder here is another process, stopped inside its rebuild (its progress callback waits
on its stdin) and then killed with SIGKILL, as the OOM killer or a container's stop would."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.search import IndexUnavailable, SearchService, parse_search

HOLDER = """
import sys
from portal.search import SearchService

def hold(_done):
    print("held", flush=True)
    sys.stdin.read()  # until killed

SearchService(sys.argv[1], sys.argv[2]).rebuild(progress=hold, procs=1)
"""


@pytest.fixture
def holder(sample_url: str, index_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process, in the middle of rebuilding the test's index."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(index_dir), sample_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "held", "the rebuilder did not start"
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def _kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def test_a_rebuild_waits_for_no_one_once_the_rebuilder_is_killed(
    holder: subprocess.Popen[str], sample_url: str, index_dir: Path
) -> None:
    service = SearchService(index_dir, sample_url)
    assert service.rebuilding()
    with pytest.raises(IndexUnavailable, match="another process is rebuilding"):
        service.rebuild(procs=1)
    _kill(holder)
    assert not service.rebuilding()
    assert service.rebuild(procs=1) > 0
    assert service.search(parse_search({"q": "龙江 镉"})).total > 0


def test_a_killed_rebuilder_whose_process_id_comes_back_blocks_nothing(
    holder: subprocess.Popen[str], sample_url: str, index_dir: Path
) -> None:
    """A restarted container gives the portal the id the killed rebuilder had: the lock file
    names a live process (here this one). Before flock, that process counted as the rebuilder
    for good: every search answered 'being rebuilt' and every rebuild was refused."""
    service = SearchService(index_dir, sample_url)
    _kill(holder)
    assert service.lock_path.read_text() == str(holder.pid)  # what the killed rebuilder left
    service.lock_path.write_text(str(os.getpid()))  # its id, now a live process's
    assert not service.rebuilding()
    assert service.rebuild(procs=1) > 0
    assert service.search(parse_search({"q": "龙江 镉"})).total > 0
    assert not service.rebuilding() and not service.lock_path.exists()
