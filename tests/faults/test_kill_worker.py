"""kill -9 the gunicorn worker while a client publishes through the API with Idempotency-Keys.

The client publishes inspections one after another, each with its own key, and retries any
write that got no answer (the connection dropped with the worker) or a 5xx, with the same key
and body, until it is acknowledged. Meanwhile the worker is killed twice while a write is in
flight; gunicorn's master starts another. Afterwards: every write is acknowledged with 201
(a retry of a write that had committed is answered from its key, not refused as a duplicate),
each record is in the database once, at revision 1, with its parts, and `portal check` finds
the index in agreement (or `portal reindex` makes it so).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fault_support import portal_env, wait_for
from serving import free_port
from sqlalchemy import text

from conftest import Portal, table_counts
from factories import publishing_token
from portal.db import get_engine

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WRITES = 30
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _workers(master: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry))
    return found


class Publisher(threading.Thread):
    """Publishes WRITES inspections, retrying each unanswered one with its key."""

    def __init__(self, port: int, token: str) -> None:
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.done = 0
        self.in_flight = threading.Event()
        self.retried: list[str] = []
        self.replayed: list[str] = []
        self.answers: dict[str, int] = {}
        self.error: BaseException | None = None

    def _post(self, body: dict[str, Any], key: str) -> tuple[int, dict[str, str]] | None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.in_flight.set()
            conn.request(
                "POST",
                "/api/v1/inspections",
                body=json.dumps(body, ensure_ascii=False).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        except (ConnectionError, http.client.HTTPException, OSError):
            return None  # no answer: the worker went away with the request
        finally:
            self.in_flight.clear()
            conn.close()

    def run(self) -> None:
        try:
            for n in range(1, WRITES + 1):
                record_id = f"INS-2034-{n:04d}"
                body = {
                    "id": record_id,
                    "enterprise_id": "ENT-GX-JINHE",
                    "inspected_on": "2024-07-01",
                    "inspection_type": "routine",
                    "outcome": "violation",
                    "findings_zh": f"第{n}次写入：废水镉超标。",
                    "penalty_yuan": 1000 * n,
                    "pollutants": ["Cd"],
                }
                deadline = time.monotonic() + 120
                while True:
                    answer = self._post(body, f"kill-worker-{n}")
                    if answer is not None and answer[0] < 500:
                        break
                    assert time.monotonic() < deadline, f"{record_id} never acknowledged"
                    self.retried.append(record_id)
                status, headers = answer
                self.answers[record_id] = status
                if headers.get("Idempotent-Replayed") == "true":
                    self.replayed.append(record_id)
                self.done = n
        except BaseException as exc:
            self.error = exc


def test_killing_workers_during_writes_loses_and_doubles_nothing(
    sample_url: str, sample_index: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = portal_env(sample_url, sample_index, PORT=str(port), PORTAL_WORKERS="1")
    log = (tmp_path / "gunicorn.log").open("wb")
    master = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_for("gunicorn to answer", lambda: _answers(port), timeout=90)
        from flask import Flask

        app = Flask("token")
        app.config["DATABASE_URL"] = sample_url
        token = publishing_token(app, "DEP-GX-HC-EEB")
        before = table_counts(sample_url)
        client = Publisher(port, token)
        client.start()
        kills = 0
        # A kill can land just after a write was answered; kill again (up to four times)
        # until at least one landed on a write in flight, so the test never rests on timing.
        for after_writes in (5, 12, 19, 26):
            if kills >= 2 and client.retried:
                break
            wait_for(f"{after_writes} writes", lambda n=after_writes: client.done >= n, 120)
            wait_for("a write in flight", client.in_flight.is_set, 60)
            (worker,) = wait_for("the worker", lambda: _workers(master.pid), 60)
            os.kill(worker, signal.SIGKILL)
            kills += 1
            wait_for("a new worker", lambda w=worker: set(_workers(master.pid)) - {w}, 90)
        client.join(timeout=300)
        assert not client.is_alive() and client.error is None, client.error
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)
        log.close()

    assert kills >= 2
    # The kills landed on writes in flight: their answers were lost and they were retried
    # (a retry whose first attempt had committed comes back Idempotent-Replayed).
    assert client.retried
    assert set(client.replayed) <= set(client.retried)
    ids = [f"INS-2034-{n:04d}" for n in range(1, WRITES + 1)]
    assert client.answers == dict.fromkeys(ids, 201)  # every write acknowledged, none refused
    after = table_counts(sample_url)
    assert after["inspection"] == before["inspection"] + WRITES
    assert after["revision"] == before["revision"] + WRITES
    with get_engine(sample_url).connect() as conn:
        rows = conn.execute(
            text(
                "SELECT i.id, i.revision, i.penalty_yuan, count(p.record_id) FROM inspection i "
                "LEFT JOIN record_pollutant p ON p.record_id = i.id "
                "WHERE i.id LIKE 'INS-2034-%' GROUP BY i.id, i.revision, i.penalty_yuan"
            )
        ).all()
    assert sorted(r[0] for r in rows) == ids
    for record_id, revision, penalty, pollutants in rows:
        assert (revision, pollutants) == (1, 1), record_id  # whole: its parts came with it
        assert penalty == 1000 * int(record_id[-4:])

    portal = Portal(sample_url, sample_index)
    check = portal("check")
    if check.exit_code != 0:  # a worker died between its commit and its index update
        assert "run `portal reindex`" in check.output
        assert portal("reindex", "--procs", "1").exit_code == 0
        check = portal("check")
    assert check.exit_code == 0 and "agree" in check.output, check.output


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/api/v1/inspections?limit=1")
        return conn.getresponse().status == 200
    except OSError:  # not listening yet, or too busy starting to answer in time
        return False
    finally:
        conn.close()  # also when the answer timed out: a leaked socket is an error here
