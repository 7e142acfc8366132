"""Bodies sent without a Content-Length (chunked) to a real gunicorn, as gunicorn.conf.py runs
the portal: each is cut off at its address's limit (portal/bodies.py) and answered 413, and
the worker neither reads nor keeps the rest.

Before, the write API read a 200 MB chunked body before its 413 and a 200 MB form post to
/tips raised a worker from 190 to 593 MiB. Here each body is 100 MiB; what the client managed
to send is what the worker's socket took (its kernel buffers included), and the worker's peak
memory (VmHWM) is read before and after.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import free_port
from sqlmodel import Session

from factories import basics, incident
from portal.db import dispose_engine, get_engine, session_scope
from portal.records.tokens import create_token

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
MiB = 1024 * 1024
SENT = 100 * MiB  # what each client tries to send
# Bytes past the limit the worker's socket may still take in before the client is stopped:
# the kernel's receive and send buffers on loopback (tcp_rmem grows to a few MiB).
SLACK = 16 * MiB
MEMORY_SLACK = 40 * MiB  # growth of the worker's peak memory across all four requests


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[int, str, int]]:
    """A gunicorn of the portal (one worker): its port, a write token and the worker's pid."""
    with Session(get_engine(database_url)) as session:
        basics(session)
    with session_scope(get_engine(database_url)) as session:
        token = create_token(session, "DEP-MEE")[0]
    dispose_engine(database_url)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "PORTAL_WORKERS": "1",
        "PORTAL_THREADS": "2",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INDEX_DIR": str(tmp_path / "index"),
        "PORTAL_SECRET_KEY": "body-limits",
        "PORTAL_LOG_LEVEL": "warning",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/about", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)  # the port is not open yet
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(children) == 1, children
        yield port, token, int(children[0])
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        dispose_engine(database_url)


def _peak_memory(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _send_chunked(port: int, path: str, headers: dict[str, str], lead: bytes) -> tuple[int, int]:
    """POST a body of SENT bytes in chunks, without a Content-Length, until the server answers
    or stops taking it: the answer's status and the bytes the client managed to send."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)  # measure the server's side
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Transfer-Encoding: chunked"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = bytearray()
    answered = threading.Event()

    def read() -> None:
        try:
            while data := sock.recv(65536):
                answer.extend(data)
                if b"\r\n" in answer:
                    answered.set()
        except OSError:
            pass  # reset by the server after its answer
        answered.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    piece = lead + b"a" * (256 * 1024 - len(lead))
    sent = 0
    try:
        while sent < SENT and not answered.is_set():
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
            piece = b"a" * len(piece)
        if sent >= SENT:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and closed: it takes no more
    answered.wait(30)
    sock.close()
    reader.join(5)
    status_line = bytes(answer).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 "), bytes(answer[:200])
    return int(status_line.split()[1]), sent


def test_chunked_bodies_are_cut_off_at_each_limit(served: tuple[int, str, int]) -> None:
    port, token, worker = served
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    json_type = {"Content-Type": "application/json"}
    cases = [
        ("/tips?lang=en", form, b"text=", 256 * 1024),
        ("/ask?lang=en", form, b"question=", 256 * 1024),
        ("/api/v1/ask", json_type, b'{"question": "', 512 * 1024),
        (
            "/api/v1/incidents",
            {**json_type, "Authorization": f"Bearer {token}"},
            b'{"id": "INC-2026-0001", "note": "',
            2 * MiB,
        ),
    ]
    before = _peak_memory(worker)
    for path, headers, lead, limit in cases:
        status, sent = _send_chunked(port, path, headers, lead)
        assert status == 413, path
        assert sent < limit + SLACK, f"{path}: the client sent {sent / MiB:.1f} MiB"
    grown = _peak_memory(worker) - before
    assert grown < MEMORY_SLACK, f"the worker's peak memory grew by {grown / MiB:.0f} MiB"


def _post_chunked(port: int, path: str, body: bytes, headers: dict[str, str]) -> int:
    """POST a whole body in chunks (no Content-Length); the answer's status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=iter([body]), headers=headers, encode_chunked=True)
        return connection.getresponse().status
    finally:
        connection.close()


def test_chunked_bodies_within_the_limit_are_read_whole(served: tuple[int, str, int]) -> None:
    port, token, _ = served
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    at_limit = b"text=" + b"a" * (256 * 1024 - 5)
    # The whole form is read (it then lacks its form token: a 400 page), one byte more is not.
    assert _post_chunked(port, "/tips?lang=en", at_limit, form) == 400
    assert _post_chunked(port, "/tips?lang=en", at_limit + b"a", form) == 413
    record = incident(id="INC-2026-0002")
    record.pop("publisher_id")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    assert _post_chunked(port, "/api/v1/incidents", json.dumps(record).encode(), headers) == 201
