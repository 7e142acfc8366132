"""The change log follows commit order on PostgreSQL, where serial ids do not.

A transaction that takes a lower revision id and commits after one with a higher id used to be
skipped for good: search caught up to the higher id and the listing totals were kept under it.
These tests run against a PostgreSQL server (PORTAL_TEST_DATABASE_URL's, or the local one) even
when the rest of the suite runs on SQLite, since SQLite never commits two writers at once."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faults.fault_support import wait_for
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session

from conftest import Portal, _app, pg_database
from factories import basics, incident, publishing_token
from portal import records
from portal.db import dispose_engine, get_engine, upgrade
from portal.search import service_of, start


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database with a ministry, a bureau and an enterprise."""
    with pg_database("cw_order") as url:
        upgrade(url)
        with Session(get_engine(url)) as session:
            basics(session)
            session.commit()
        yield url


@pytest.fixture
def pg_app(pg_url: str, tmp_path: Path) -> Flask:
    """The portal on that database, with its search index built."""
    app = _app(pg_url, tmp_path / "index")
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    service_of(app).rebuild(procs=1)
    return app


def _publish(session: Session, record_id: str) -> None:
    records.publish(
        session,
        records.KINDS["incidents"],
        incident(id=record_id, summary_zh=f"提交顺序测试 {record_id}"),
        author_id="DEP-GX-EEB",
    )


def _waiting_on_a_lock(url: str) -> bool:
    """True when some session of this database waits for a lock another holds."""
    with get_engine(url).connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


def _total(app: Flask) -> int:
    response = app.test_client().get("/api/v1/incidents")
    assert response.status_code == 200
    return int(response.get_json()["total"])


def _search(app: Flask, words: str) -> tuple[set[str], int]:
    """The ids on the first page of a search, and how many records it found in all."""
    response = app.test_client().get("/api/v1/search", query_string={"q": words, "limit": "50"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    return {hit["id"] for hit in body["items"]}, int(body["total"])


def test_a_lower_revision_committed_last_is_indexed_and_counted(
    pg_app: Flask, pg_url: str, tmp_path: Path
) -> None:
    """Two sessions publish one incident each; the one that wrote first commits last."""
    before = _total(pg_app)
    first = Session(get_engine(pg_url))
    _publish(first, "INC-T-FIRST")  # flushed: its revision row (and id) is taken, uncommitted
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with Session(get_engine(pg_url)) as session:
                _publish(session, "INC-T-SECOND")
                session.commit()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    writer = threading.Thread(target=second)
    writer.start()
    # The second writer either commits at once (ids out of commit order) or waits for the
    # first (a change log in commit order); a listing is asked for at that moment either way.
    wait_for(
        "the second writer to commit or to wait for the first",
        lambda: not writer.is_alive() or _waiting_on_a_lock(pg_url),
    )
    assert _total(pg_app) in (before, before + 1)
    first.commit()
    first.close()
    writer.join(60)
    assert not writer.is_alive() and not errors, errors

    assert _total(pg_app) == before + 2
    assert _search(pg_app, "提交顺序测试")[0] == {"INC-T-FIRST", "INC-T-SECOND"}
    check = Portal(pg_url, tmp_path / "index")("check")
    assert check.exit_code == 0, check.output
    assert "agree" in check.output


def _writer(url: str, index_dir: str, worker: int, rounds: int, per_round: int) -> None:
    """One worker process: each transaction publishes `per_round` incidents, and corrects one
    and withdraws another of its previous round's (an import-sized transaction)."""
    start(Path(index_dir), url, rebuild_if_missing=False)  # as each gunicorn worker does
    engine = get_engine(url)
    for n in range(rounds):
        with Session(engine) as session:
            for k in range(per_round):
                _publish(session, f"INC-T-W{worker}-{n}-{k}")
            if n:
                records.correct(
                    session,
                    f"INC-T-W{worker}-{n - 1}-0",
                    {"summary_zh": f"更正 {worker} {n}"},
                    reason="Figure mistyped",
                    author_id="DEP-GX-EEB",
                )
                records.withdraw(
                    session,
                    f"INC-T-W{worker}-{n - 1}-1",
                    reason="Published twice",
                    author_id="DEP-GX-EEB",
                )
            session.commit()
    dispose_engine(url)


def test_interleaved_writers_leave_no_drift(pg_app: Flask, pg_url: str, tmp_path: Path) -> None:
    """Three processes write at once, each committing the moment it is done; then `portal
    check` finds no drift and the listing total and search are the database's."""
    assert _total(pg_app) == 0
    workers, rounds, per_round = 3, 6, 6
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=_writer, args=(pg_url, str(tmp_path / "index"), w, rounds, per_round)
        )
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(300)
        assert process.exitcode == 0

    live = workers * (rounds * per_round - (rounds - 1))  # one withdrawn per later round
    assert _total(pg_app) == live
    assert _search(pg_app, "提交顺序测试")[1] == live - workers * (rounds - 1)
    assert _search(pg_app, "更正")[1] == workers * (rounds - 1)
    check = Portal(pg_url, tmp_path / "index")("check")
    assert check.exit_code == 0, check.output
    assert f"Database: {live + 3:,} searchable records. Index: {live + 3:,}." in check.output


def test_two_corrections_of_one_record_at_once_the_later_is_a_409(
    pg_app: Flask, pg_url: str
) -> None:
    """Both read revision 1; the second waits for the first's commit and then finds revision 2
    taken. Its IntegrityError came from inside the records layer, before the API's commit, and
    was a 500."""
    with Session(get_engine(pg_url)) as session:
        _publish(session, "INC-T-RACE")
        session.commit()
    token = publishing_token(pg_app, "DEP-GX-EEB")
    first = Session(get_engine(pg_url))
    records.correct(
        first, "INC-T-RACE", {"status": "contained"}, reason="先到的更正", author_id="DEP-GX-EEB"
    )
    answers: list[Any] = []

    def second() -> None:
        answers.append(
            pg_app.test_client().patch(
                "/api/v1/incidents/INC-T-RACE",
                json={"reason": "后到的更正", "revision": 1, "changes": {"status": "closed"}},
                headers={"Authorization": f"Bearer {token}"},
            )
        )

    writer = threading.Thread(target=second)
    writer.start()
    wait_for("the second correction to wait for the first", lambda: _waiting_on_a_lock(pg_url))
    first.commit()
    first.close()
    writer.join(60)
    (answer,) = answers
    assert answer.status_code == 409, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    assert "read it and try again" in answer.get_json()["detail"]
    record = records.get_record(Session(get_engine(pg_url)), "INC-T-RACE")
    assert record is not None and record.revision == 2 and record.status == "contained"
