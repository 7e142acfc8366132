"""Keeping `search_document` in step with the records: in the very transaction that writes them
(a session hook, before its commit), and by `portal reindex`, batch by batch, while the portal
serves. Writes never take a row back to an older revision, so the two can run at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, event, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from portal.db import dispose_engine, get_engine
from portal.models import Department, Enterprise
from portal.records.changelog import take_versions
from portal.records.kinds import KINDS, kind_of_id
from portal.records.write import WRITTEN
from portal.search.build import record_batches
from portal.search.documents import (
    RECORD_ERRORS,
    documents_for,
    documents_or_skip,
    names_to_teach,
)
from portal.search.index import TRIED_ALONE, CheckReport, compare_with_records
from portal.search.pg import vectors
from portal.search.pg.recut import recut
from portal.search.pg.tables import ANALYSIS, NAME, SPELLING, has_tables, search_document
from portal.search.pg.vocabulary import Vocabulary, vocabulary_of, wanted_names
from portal.search.recut import old_forms
from portal.search.schema import SEARCHED_KINDS

log = logging.getLogger(__name__)
BATCH = 500
# A reindex batch may wait for a long import's commit (it holds the change-log lock, and the
# rows it indexed) instead of failing after the portal's usual five seconds.
REINDEX_LOCK_TIMEOUT_MS = 600_000


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert or replace rows, unless the row there is of a later revision, or the same.

    A row written again unchanged (a reindex with nothing new to say) is left alone: rewriting
    it would only leave a dead copy behind, and a reindex of a million records would double
    the table."""
    if not rows:
        return
    stmt = insert(search_document)
    stmt = stmt.on_conflict_do_update(
        index_elements=[search_document.c.record_id],
        set_={c.name: stmt.excluded[c.name] for c in search_document.c if c.name != "record_id"},
        where=and_(
            search_document.c.revision <= stmt.excluded.revision,
            text("(search_document.*) IS DISTINCT FROM (excluded.*)"),
        ),
    )
    conn.execute(stmt, rows)


def _gone_rows(conn: Connection, gone: Sequence[str]) -> list[dict[str, Any]]:
    """Tombstones of withdrawn records; records no longer there at all lose their row."""
    rows: list[dict[str, Any]] = []
    found: set[str] = set()
    by_kind: dict[str, list[str]] = {}
    for record_id in gone:
        by_kind.setdefault(kind_of_id(record_id).name, []).append(record_id)
    for kind_name, ids in by_kind.items():
        table = KINDS[kind_name].table
        for record_id, revision in conn.execute(
            select(table.id, table.revision).where(table.id.in_(ids))
        ):
            rows.append(vectors.tombstone(record_id, kind_name, revision))
            found.add(record_id)
    vanished = [i for i in gone if i not in found]
    if vanished:
        conn.execute(delete(search_document).where(search_document.c.record_id.in_(vanished)))
    return rows


def _documents(session: Session, ids: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Documents of the records, leaving out (and logging) one that cannot be made into one.

    No rollback here, unlike documents_or_skip: this runs inside the writer's transaction."""
    try:
        return documents_for(session, ids)
    except RECORD_ERRORS:
        pass
    docs: list[dict[str, Any]] = []
    gone: list[str] = []
    for record_id in ids:
        try:
            one, one_gone = documents_for(session, [record_id])
        except RECORD_ERRORS as exc:
            log.error("search: %s cannot be indexed, left out: %s", record_id, exc)
            continue
        docs += one
        gone += one_gone
    return docs, gone


def write_documents(session: Session, ids: Iterable[str]) -> None:
    """Analyse the records written in this session's transaction and save their rows in it.

    Every name the records define is taught before any of them is analysed (a first pass over
    the batches when there are several), and rows already written that hold a new name as it
    was cut before are analysed again (search/recut.py)."""
    conn = session.connection()
    vocabulary = vocabulary_of(str(conn.engine.url))
    vocabulary.refresh(conn)
    wanted = sorted(set(ids))
    batches = [wanted[start : start + BATCH] for start in range(0, len(wanted), BATCH)]
    first = _documents(session, batches[0]) if batches else ([], [])
    names = names_to_teach(first[0])
    for batch in batches[1:]:
        names |= names_to_teach(_documents(session, batch)[0])
    old = old_forms(wanted_names(names) - vocabulary.known[NAME], vocabulary.known[NAME])
    vocabulary.add(conn, names, ())  # taught before anything is analysed
    for number, batch in enumerate(batches):
        docs, gone = first if number == 0 else _documents(session, batch)
        spelling: set[str] = set()
        rows = [vectors.row(doc, spelling) for doc in docs]
        vocabulary.add(conn, (), spelling)
        _upsert(conn, rows + _gone_rows(conn, gone))
    recut(
        conn,
        old,
        wanted,
        lambda ids: _documents(session, ids)[0],
        lambda rows: _upsert(conn, rows),
    )


@event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    """Index what the records layer says this transaction wrote, before it commits."""
    written = session.info.get(WRITTEN)
    if not written:
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if has_tables(engine):
        write_documents(session, written)  # type: ignore[arg-type]


# -- reindex ---------------------------------------------------------------------------------


def all_names(session: Session) -> set[str]:
    """Every name jieba should know before a whole reindex (as the Whoosh rebuild teaches)."""
    names: set[str] = set()
    names.update(session.scalars(select(col(Department.name_zh))))
    names.update(session.scalars(select(col(Enterprise.name_zh))))
    table = KINDS["incidents"].table
    for column in ("river_zh", "place_zh", "city_zh"):
        names.update(n for n in session.scalars(select(getattr(table, column))) if n)
    return wanted_names(names)


def _lock_patiently(session: Session) -> None:
    session.execute(select(func.set_config("lock_timeout", str(REINDEX_LOCK_TIMEOUT_MS), True)))


def _save_words(
    session: Session, vocabulary: Vocabulary, names: set[str], spelling: set[str]
) -> None:
    """Words a reindex found, under a change-log version of their own (taken in commit order)."""
    if not (wanted_names(names) - vocabulary.known[NAME] or spelling - vocabulary.known[SPELLING]):
        return
    take_versions(session, 1)  # a version with no revision: only the words carry it
    vocabulary.add(session.connection(), names, spelling)


def rewrite_batch(url: str, ids: Sequence[str]) -> int:
    """Rewrite the rows of some records in one transaction; how many were indexed."""
    engine = get_engine(url)
    vocabulary = vocabulary_of(str(engine.url))
    with Session(engine) as session:
        vocabulary.refresh(session.connection())
        docs, gone, _ = documents_or_skip(session, ids)
        names = names_to_teach(docs)
        old = old_forms(wanted_names(names) - vocabulary.known[NAME], vocabulary.known[NAME])
        _lock_patiently(session)
        _save_words(session, vocabulary, names, set())  # taught before the batch is analysed
        spelling: set[str] = set()
        rows = [vectors.row(doc, spelling) for doc in docs]
        _save_words(session, vocabulary, set(), spelling)
        conn = session.connection()
        _upsert(conn, rows + _gone_rows(conn, gone))
        # A name `all_names` does not hold (a province, an enterprise's city) is new here: the
        # batches before this one were cut without it.
        recut(conn, old, ids, lambda i: _documents(session, i)[0], lambda r: _upsert(conn, r))
        session.commit()
    return len(docs)


def _worker_batch(url: str, ids: Sequence[str]) -> tuple[int, int]:
    try:
        return rewrite_batch(url, ids), len(ids)
    finally:
        dispose_engine(url)


def rewrite(url: str, *, procs: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite every record's row (after an analysis change, or to fill a new database), in
    batches of its own transaction, while the portal keeps serving; how many were indexed."""
    engine = get_engine(url)
    vocabulary = vocabulary_of(str(engine.url))
    with Session(engine) as session:
        batches = [ids for _, ids in record_batches(session)]
        names = all_names(session)
    with Session(engine) as session:
        vocabulary.refresh(session.connection())
        _lock_patiently(session)
        _save_words(session, vocabulary, names, set())
        session.commit()
    count = 0
    if procs <= 1:
        for ids in batches:
            count += rewrite_batch(url, ids)
            if progress:
                progress(len(ids))
    else:
        with ProcessPoolExecutor(procs, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_worker_batch, url, ids) for ids in batches]
            for future in as_completed(futures):
                indexed, done = future.result()
                count += indexed
                if progress:
                    progress(done)
    _retire_strays(engine)
    # Every row was written anew: let the next writes reuse the old versions' space, and give
    # the planner the table's new numbers.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) search_document"))
    return count


def _retire_strays(engine: Engine) -> None:
    """Rows still live whose record is withdrawn or gone (a crash between the two, a database
    restored from a dump) are written again from the record, which makes them tombstones."""
    with Session(engine) as session:
        conn = session.connection()
        stray: list[str] = []
        for kind_name in SEARCHED_KINDS:
            table = KINDS[kind_name].table
            published = select(table.id).where(
                table.id == search_document.c.record_id, table.withdrawn_at.is_(None)
            )
            stray += conn.execute(
                select(search_document.c.record_id).where(
                    search_document.c.live,
                    search_document.c.kind == kind_name,
                    ~published.exists(),
                )
            ).scalars()
        if stray:
            _lock_patiently(session)
            _upsert(conn, _gone_rows(conn, stray))
            session.commit()


# -- check -----------------------------------------------------------------------------------


def check(engine: Engine) -> CheckReport:
    """Compare `search_document` with the records: missing, stale (another revision, or an
    older analysis) and extra rows. Nothing is ever behind: rows commit with their records."""
    report = CheckReport()
    with Session(engine) as session:
        indexed = {
            rid: (revision, analysis)
            for rid, revision, analysis in session.execute(
                select(
                    search_document.c.record_id,
                    search_document.c.revision,
                    search_document.c.analysis,
                ).where(search_document.c.live)
            )
        }
        compare_with_records(session, report, indexed, lambda revision: (revision, ANALYSIS))
        report.indexed = len(indexed)
        report.unindexable = documents_or_skip(session, report.missing[:TRIED_ALONE])[2]
    return report
