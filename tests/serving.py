"""The portal served as it is deployed, for the tests that talk HTTP to it: gunicorn with the
project's gunicorn.conf.py on a free local port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    """A local TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1", timeout=5) as reply:
            return bool(reply.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_for_answer(
    master: subprocess.Popen[bytes], port: int, timeout: float, output: Callable[[], str]
) -> None:
    """Poll until the server on `port` answers; fail with its `output` if it exits first or
    has not answered within `timeout` seconds (nothing to wait on but the port itself)."""
    deadline = time.monotonic() + timeout
    while not _answers(port):
        assert master.poll() is None, output()
        assert time.monotonic() < deadline, f"gunicorn did not answer within {timeout} s"
        time.sleep(0.05)  # polling a port that is not open yet


@contextmanager
def gunicorn(log: Path, timeout: float = 90, **variables: str) -> Iterator[int]:
    """gunicorn with gunicorn.conf.py, one worker, the environment's PORTAL_ settings replaced by
    `variables`; its port once it answers. Its output goes to `log`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORT=str(port), PORTAL_WORKERS="1", **variables)
    with log.open("wb") as out:
        master = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
        try:
            wait_for_answer(master, port, timeout, log.read_text)
            yield port
        finally:
            master.terminate()
            master.wait(timeout=30)
