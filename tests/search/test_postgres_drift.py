"""No drift between PostgreSQL's search rows and the records under many writers at once.

Issue 20's target: after 1,000 interleaved writes from 4 processes, `portal check` finds nothing
to mend. The rows are written by each writer's own transaction (search/pg/writing.py), so this is
what would catch a row written from a read taken before another writer's commit, a withdrawal
that leaves its row searchable, or a correction that loses to an older one. Four OS processes
publish, correct and withdraw inspections at once, most corrections on records they all share
(each names the revision it read, as the API does, and a refused write is read again and
retried, as a client does after a 409); then every record's row must be of its newest revision
and search must find each record by the words of that revision only.

The suite runs 4 x 100 writes (16 to 73 s on the shared two cores); `python bench/drift.py`
runs the issue's 4 x 250 with the same code and prints the drift. It runs against a PostgreSQL
server (PORTAL_TEST_DATABASE_URL's, or the local one) even when the rest of the suite runs on
SQLite, as the other PostgreSQL search tests do."""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from conftest import PG_SERVER, Portal, pg_admin, pg_database_url, pg_drop
from factories import basics, inspection
from portal import records
from portal.db import dispose_engine, get_engine, upgrade
from portal.search import parse_search
from portal.search.pg import PostgresSearch

SERVER = PG_SERVER
WORKERS, WRITES = 4, 100  # committed writes per worker here; bench/drift.py: 250 (issue 20)
SHARED = 16  # inspections every worker corrects; each worker may withdraw two of them
AUTHOR = "DEP-GX-EEB"
INSPECTIONS = records.KINDS["inspections"].table


def make_database(server: str = SERVER) -> str:
    """A fresh, migrated PostgreSQL database on `server` with a bureau, an enterprise and the
    shared inspections; its URL."""
    name = f"cw_drift_{uuid.uuid4().hex[:10]}"
    with pg_admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_database_url(name, server)
    upgrade(url)
    with Session(get_engine(url)) as session:
        enterprise = basics(session)["enterprise"]
        for n in range(SHARED):
            records.publish(
                session,
                records.KINDS["inspections"],
                _body(enterprise, f"INS-SHARED-{n:02d}", marker(-1, n)),
                author_id=AUTHOR,
            )
        session.commit()
    return url


def drop_database(url: str, server: str = SERVER) -> None:
    """Drop a database make_database made on `server`."""
    pg_drop(url)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """This test's own database (make_database)."""
    url = make_database()
    yield url
    drop_database(url)


def marker(worker: int, step: int) -> str:
    """A made-up English word naming one write: search finds a revision by it alone."""
    n, letters = (worker + 1) * 1000 + step, ""
    while n:
        n, digit = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
    return f"qz{letters}x"


def _body(enterprise: str, record_id: str, word: str) -> dict[str, Any]:
    return inspection(
        enterprise,
        id=record_id,
        publisher_id=AUTHOR,
        findings_zh="并发写入的巡查记录",
        findings_en=f"Concurrent writers check {word}",
    )


def _revision(session: Session, record_id: str) -> int:
    found = session.execute(select(INSPECTIONS.revision).where(INSPECTIONS.id == record_id))
    return int(found.scalar_one())


def _writer(url: str, worker: int, writes: int, start: Any, results: Any) -> None:
    """One process: `writes` committed writes, each its own transaction, in a seeded order."""
    rng = random.Random(worker)
    engine = get_engine(url)
    own: list[str] = []
    shared = [f"INS-SHARED-{n:02d}" for n in range(SHARED)]
    withdrawn_shared = 0
    done: Counter[str] = Counter()
    with Session(engine) as session:  # connected before the race starts
        enterprise = str(session.execute(select(INSPECTIONS.enterprise_id)).scalars().first())
    start.wait(600)  # every process spawned and connected, however busy the machine
    step = 0
    while step < writes:
        roll = rng.random()
        if not own or roll < 0.25:
            action, record_id = "publish", f"INS-W{worker}-{step:03d}"
        elif roll < 0.88:
            on_shared = shared and rng.random() < 0.7
            action, record_id = "correct", rng.choice(shared if on_shared else own)
        elif shared and withdrawn_shared < 2 and step > writes // 2 and rng.random() < 0.5:
            action, record_id = "withdraw", rng.choice(shared)
        else:
            action, record_id = "withdraw", rng.choice(own)
        word = marker(worker, step)
        try:
            with Session(engine) as session:
                if action == "publish":
                    records.publish(
                        session,
                        records.KINDS["inspections"],
                        _body(enterprise, record_id, word),
                        author_id=AUTHOR,
                    )
                elif action == "correct":
                    records.correct(
                        session,
                        record_id,
                        {"findings_en": f"Concurrent writers check {word}"},
                        reason=f"worker {worker} step {step}",
                        author_id=AUTHOR,
                        expected_revision=_revision(session, record_id),
                    )
                else:
                    records.withdraw(
                        session,
                        record_id,
                        reason=f"worker {worker} step {step}",
                        author_id=AUTHOR,
                        expected_revision=_revision(session, record_id),
                    )
                session.commit()
        except records.RecordError as exc:
            done[f"refused: {exc.status}"] += 1  # another worker wrote it first
            if exc.status == "gone":
                shared.remove(record_id)
            continue
        except IntegrityError:  # read before another's commit, written after it
            done["refused: same revision"] += 1
            continue
        done[action] += 1
        step += 1
        if action == "publish":
            own.append(record_id)
        elif action == "withdraw":
            (own if record_id in own else shared).remove(record_id)
            withdrawn_shared += record_id.startswith("INS-SHARED")
    dispose_engine(url)
    results.put((worker, dict(done)))


def _rows_behind(url: str) -> list[tuple[Any, ...]]:
    """Records whose search row is missing, of another revision, or live when it is withdrawn
    (or the other way round)."""
    with get_engine(url).connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT i.id, i.revision, i.withdrawn_at IS NULL, d.revision, d.live "
                    "FROM inspection i LEFT JOIN search_document d ON d.record_id = i.id "
                    "WHERE d.revision IS DISTINCT FROM i.revision "
                    "OR d.live IS DISTINCT FROM (i.withdrawn_at IS NULL)"
                )
            )
        )


def run_writers(url: str, workers: int, writes: int) -> dict[int, dict[str, int]]:
    """Start `workers` writer processes at once; what each wrote and had refused."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(workers), context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, w, writes, start, results))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    done: dict[int, dict[str, int]] = {}
    while len(done) < workers:  # a worker that failed says so at once, not after a timeout
        if any(p.exitcode not in (None, 0) for p in processes):
            raise RuntimeError("a writer failed (its traceback is on stderr)")
        try:
            worker, counts = results.get(timeout=1)
        except queue.Empty:
            continue
        done[worker] = counts
    for process in processes:
        process.join(60)
    return done


def interleaving(url: str) -> tuple[int, int]:
    """How the writers met on the shared records: how many of those corrected were changed by one
    process only, and how often the process changes from one revision to the next (commit
    order) among all of theirs."""
    with get_engine(url).connect() as conn:
        history = conn.execute(
            text(
                "SELECT record_id, reason FROM revision WHERE record_id LIKE 'INS-SHARED-%' "
                "AND number > 1 ORDER BY version"
            )
        ).all()
    by = [(rid, reason.split(" step")[0]) for rid, reason in history]
    alone = sum(len({w for r, w in by if r == rid}) == 1 for rid in {rid for rid, _ in by})
    return alone, sum(a[1] != b[1] for a, b in itertools.pairwise(by))


def drift(url: str) -> list[str]:
    """Each record whose row is behind (missing, another revision, live when withdrawn or the
    other way round), or that search does not find by its newest revision's word alone (or
    finds when withdrawn), with what is wrong."""
    wrong = [f"{row[0]}: row {row[3:]} for record {row[1:3]}" for row in _rows_behind(url)]
    with get_engine(url).connect() as conn:
        current = conn.execute(
            text(
                "SELECT i.id, i.withdrawn_at IS NULL, r.snapshot ->> 'findings_en' FROM inspection "
                "i JOIN revision r ON r.record_id = i.id AND r.number = i.revision"
            )
        ).all()
    search = PostgresSearch(url)
    for record_id, live, findings in current:
        if not record_id.startswith("INS-SHARED") and live:
            continue  # a record only its publisher wrote: the rows above are enough
        word = findings.split()[-1]
        found = [h.id for h in search.search(parse_search({"q": word}), with_facets=False).hits]
        if found != ([record_id] if live else []):
            wrong.append(f"{record_id}: a search for {word!r} finds {found}")
    return wrong


@pytest.mark.slow
def test_interleaved_writes_from_4_processes_leave_no_drift(pg_url: str, tmp_path: Path) -> None:
    done = run_writers(pg_url, WORKERS, WRITES)
    writes = sum(n for counts in done.values() for a, n in counts.items() if "refused" not in a)
    assert writes == WORKERS * WRITES
    # The writers did meet on the shared records: each was changed by more than one process,
    # and the processes' writes alternate in commit order.
    alone, switches = interleaving(pg_url)
    assert alone == 0 and switches > WORKERS

    check = Portal(pg_url, tmp_path / "index")("check")
    assert check.exit_code == 0, check.output
    assert drift(pg_url) == []
