"""The database locked or unreachable for a moment: every request gets a 503 with Retry-After
and a sentence (problem+json under /api, an HTML page elsewhere), within a few seconds, never
a hang or a 500; and when the database is back, the same requests succeed.

SQLite: another connection holds the write lock (BEGIN IMMEDIATE); writers wait SQLite's busy
timeout (5 s), then get the 503; readers are not blocked in WAL mode and keep answering.
PostgreSQL: the URL points at a port where nothing listens; the connection is cut and mended;
a table is locked by another transaction (writes give up after the lock timeout, 5 s).
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from conftest import PG_URL, _app
from factories import publishing_token
from portal.db import dispose_engine

READS = ["/api/v1/incidents", "/api/v1/incidents/INC-2012-0001", "/api/v1/search?q=镉"]
PAGES = ["/incidents?lang=en", "/incidents/INC-2012-0001?lang=en", "/?lang=en"]
PATIENCE = 15.0  # seconds a request may take to give up: the lock timeout and some slack


def _inspection(n: int) -> dict[str, Any]:
    return {
        "id": f"INS-2032-{n:04d}",
        "enterprise_id": "ENT-GX-JINHE",
        "inspected_on": "2024-05-10",
        "inspection_type": "routine",
        "outcome": "compliant",
        "findings_zh": "现场检查未发现问题。",
    }


def _unavailable(response: Any, started: float, *, api: bool) -> None:
    took = time.monotonic() - started
    text = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, text[:400])
    assert took < PATIENCE, f"took {took:.1f} s"
    assert int(response.headers["Retry-After"]) > 0
    if api:
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == 503 and "Try again" in body["detail"]
    else:
        assert response.mimetype == "text/html"
        assert "Try again" in text and "</html>" in text


def _everything_refused(app: Flask, token: str, n: int, *, reads: bool = True) -> None:
    client = app.test_client()
    for path in READS if reads else []:
        started = time.monotonic()
        _unavailable(client.get(path), started, api=True)
    for path in PAGES if reads else []:
        started = time.monotonic()
        _unavailable(client.get(path), started, api=False)
    started = time.monotonic()
    response = client.post(
        "/api/v1/inspections",
        json=_inspection(n),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"k-{n}"},
    )
    _unavailable(response, started, api=True)


def _busy(app: Flask, token: str, n: int) -> None:
    """A write that waited for another's lock says the database is busy, not gone."""
    response = app.test_client().post(
        "/api/v1/inspections",
        json=_inspection(n),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"k-{n}"},
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "busy" in response.get_json()["detail"]


def _everything_works(app: Flask, token: str, n: int) -> None:
    client = app.test_client()
    for path in READS + PAGES:
        assert client.get(path).status_code == 200, path
    response = client.post(
        "/api/v1/inspections",
        json=_inspection(n),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"k-{n}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)


@contextmanager
def _sqlite_lock(url: str) -> Iterator[None]:
    """Another connection holding SQLite's write lock, as a long write or a backup would."""
    conn = sqlite3.connect(make_url(url).database or "", isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def app(sample_app: Flask) -> Flask:
    sample_app.config["API_RATE_LIMIT"] = "1000000 per minute"
    return sample_app


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's locks (PostgreSQL has its own test below)")
def test_sqlite_locked_for_a_moment(app: Flask) -> None:
    token = publishing_token(app, "DEP-GX-HC-EEB")
    url = app.config["DATABASE_URL"]
    with _sqlite_lock(url):
        _everything_refused(app, token, 1, reads=False)
        _busy(app, token, 1)
        # Readers are not blocked by a writer in SQLite's WAL mode: they go on answering.
        client = app.test_client()
        for path in READS + PAGES:
            assert client.get(path).status_code == 200, path
    _everything_works(app, token, 1)
    with _sqlite_lock(url):  # and again: nothing was left half done by the refused write
        _everything_refused(app, token, 2, reads=False)
    _everything_works(app, token, 2)
    client = app.test_client()
    for n in (1, 2):  # each write refused under the lock was written once when retried
        record = client.get(f"/api/v1/inspections/INS-2032-{n:04d}").get_json()
        assert record["revision"] == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Forwarder:
    """A TCP forwarder to PostgreSQL that can be cut: the database unreachable for a moment."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.open = True
        self.pairs: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.pairs += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse new connections and break the open ones."""
        self.open = False
        for s in self.pairs:
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.pairs.clear()

    def mend(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def test_postgresql_unreachable(sample_url: str, sample_index: Path, tmp_path: Path) -> None:
    """A PostgreSQL URL whose port has no server: 503s at once, for reads, pages and writes."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/clearwater"
    app = _app(url, sample_index)
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    try:
        # No token can be checked without the database: the write is refused with a 503 too.
        _everything_refused(app, "cw_" + "x" * 43, 1)
    finally:
        dispose_engine(url)


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
def test_postgresql_cut_for_a_moment_then_back(sample_url: str, sample_index: Path) -> None:
    real = make_url(sample_url)
    forwarder = Forwarder(real.host or "127.0.0.1", real.port or 5432)
    url = real.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False)
    app = _app(url, sample_index)
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    try:
        token = publishing_token(app, "DEP-GX-HC-EEB")
        _everything_works(app, token, 1)
        # The record's answer is kept (portal/api/replay.py): cut, it must not be sent again.
        assert len(app.wsgi_app.answers) == 1  # type: ignore[attr-defined]
        forwarder.cut()
        _everything_refused(app, token, 2)
        forwarder.mend()
        _everything_works(app, token, 2)
    finally:
        dispose_engine(url)
        forwarder.close()


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
def test_postgresql_table_locked_for_a_moment(app: Flask) -> None:
    import psycopg

    token = publishing_token(app, "DEP-GX-HC-EEB")
    u = make_url(app.config["DATABASE_URL"])
    with psycopg.connect(
        host=u.host, port=u.port or 5432, user=u.username, dbname=u.database
    ) as holder:
        holder.execute("LOCK TABLE inspection IN ACCESS EXCLUSIVE MODE")
        _everything_refused(app, token, 1, reads=False)
        _busy(app, token, 1)
        holder.rollback()
    _everything_works(app, token, 1)
