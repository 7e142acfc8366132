"""The served portal, as `make run` starts it, answers its home and record pages over HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PORTAL = str(Path(sys.executable).with_name("portal"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"portal run exited: {process.stdout.read()}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)  # polling a port that is not open yet
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_portal_run_serves_home_and_records(sample_url: str) -> None:
    port = free_port()
    env = {**os.environ, "PORTAL_DATABASE_URL": sample_url, "PORT": str(port)}
    process = subprocess.Popen(
        [PORTAL, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/about", process)
        home = urllib.request.urlopen(base + "/").read().decode()
        assert "INC-2012-0001" in home and "龙江" in home
        page = urllib.request.urlopen(base + "/incidents/INC-2012-0001?lang=en").read().decode()
        assert "Longjiang" in page and "0.005 mg/L" in page
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]
