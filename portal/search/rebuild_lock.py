"""The rebuild lock: one process at a time rebuilds a Whoosh index folder.

An advisory lock (`fcntl.flock`) on a file beside the index. The kernel releases it when the
holder's file is closed, however the holder ends, killed included, so no lock outlives its
process. The holder's process id is written in the file for whoever looks, and only spares the
others a lock call when there is none: it never decides. It did before (a file created with
O_EXCL naming a process id, deleted after the rebuild): a killed rebuilder left the file, and once
its id was a live process's again (a restarted container gives the portal the id it had), every
search answered "being rebuilt" and every rebuild was refused until someone deleted the file.

The file is never deleted: a process could lock a file already unlinked while another creates
and locks a new one, and both would rebuild. Linux and other POSIX systems only (`fcntl`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


class RebuildLock:
    """The lock of one index folder, as this process takes and releases it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another holder has it."""
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass  # a full disk: the lock holds all the same, only the id is missing
        self._fd = fd
        return True

    def release(self) -> None:
        """Let the lock go (the file stays, empty)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # the kernel releases the lock with the last descriptor


def held(path: Path) -> bool:
    """True while a process, this one included, holds the lock at `path`.

    An empty or missing file means none does, with no lock call (searches ask this every
    time). A file naming a process is checked with a shared lock for an instant: if it is
    granted, the holder died without releasing, and its id is cleared."""
    try:
        if not path.read_bytes().strip():
            return False
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        with contextlib.suppress(OSError):
            os.truncate(path, 0)  # the dead holder's id: later callers need not lock
        return False
    finally:
        os.close(fd)
