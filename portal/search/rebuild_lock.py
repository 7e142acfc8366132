"""The rebuild lock: one process at a time rebuilds a Whoosh index folder.

An advisory lock (`fcntl.flock`) on a file beside the index. The kernel releases it when the
holder's file is closed, however the holder ends, killed included, so no lock outlives its
process. The holder's process id is written in the file for whoever looks, and only spares the
others a lock call when there is no file: it never decides. It did before (a file created with
O_EXCL naming a process id): a killed rebuilder left the file, and once its id was a live
process's again (a restarted container gives the portal the id it had), every search answered
"being rebuilt" and every rebuild was refused until someone deleted the file.

The holder removes the file when it is done, while it still holds the lock. Another process may
have opened the file just before and lock it just after: a file no longer at the path. So a
lock counts only when the file locked is the one at the path (else the taker tries again).
Linux and other POSIX systems only (`fcntl`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

TRIES = 100  # times a taker tries again past a file just removed or a check's shared lock


class RebuildLock:
    """The lock of one index folder, as this process takes and releases it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process is rebuilding."""
        for _ in range(TRIES):
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            if not _lock_exclusive(fd):
                os.close(fd)
                return False
            if _is_at(fd, self.path):
                with contextlib.suppress(OSError):  # a full disk: the id is only for people
                    os.ftruncate(fd, 0)  # a killed rebuilder's id
                    os.write(fd, str(os.getpid()).encode())
                self._fd = fd
                return True
            os.close(fd)  # its holder removed it as we opened it: take the one there now
        return False

    def release(self) -> None:
        """Remove the file and let the lock go."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)  # the kernel releases the lock with the last descriptor


def _lock_exclusive(fd: int) -> bool:
    """Lock `fd` for writing; False when a rebuilder holds it. `held` takes a shared lock for
    an instant on a file a killed rebuilder left: that is waited out, not taken for a holder."""
    for _ in range(TRIES):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # held for writing: a rebuild
        fcntl.flock(fd, fcntl.LOCK_UN)  # only checks held it a moment ago
    return False


def _is_at(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev)


def held(path: Path) -> bool:
    """True while a process, this one included, holds the lock at `path`.

    No file (the usual case: searches ask this every time) means none does, with no lock
    call. A file is checked with a shared lock for an instant: it is granted when the
    process that wrote the file died without releasing."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
