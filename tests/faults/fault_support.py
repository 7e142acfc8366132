"""Shared by the fault tests: table counts, the `portal` command as a separate process, and
waiting for a condition with a deadline (never a bare sleep)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

PORTAL = str(Path(sys.executable).with_name("portal"))
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 60.0) -> T:
    """Poll until probe() gives something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.005)  # a poll interval, not a wait for the event


def portal_env(url: str, index_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `portal` process on this test's database and index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATABASE_URL=url, PORTAL_INDEX_DIR=str(index_dir), **extra)
    return env
