"""The index on disk, kept in step with the database through the revision log.

Every write to a record adds a revision row with the next version of the change log, numbered
in commit order (records/changelog.py: serial ids are not, on PostgreSQL). The index remembers
the last version it has absorbed (in a state document committed with the records it indexed), so
any process can bring it up to date: read the revisions after that version, re-index or remove
those records, commit. Whoosh allows one writer at a time; `ix.writer(timeout=...)` waits its turn,
and a second process that finds the work done does nothing.

A record that cannot be made into a document (a value no reader accepts, in a row written before
the models refused it, or by hand) is left out and logged, never a stop for the others: catch-up
and rebuild go on, and `portal check` names it with the reason. It is tried again at its next
revision.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import shutil
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col
from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import IndexWriter

from portal.models import Department, Enterprise, Revision
from portal.records.kinds import KINDS
from portal.search import build, recut, whoosh_inside
from portal.search.analysis import USER_WORDS, load_user_words, save_user_words
from portal.search.documents import (
    documents_one_by_one,
    documents_or_skip,
    names_to_teach,
)
from portal.search.schema import (
    SCHEMA_VERSION,
    SEARCHED_KINDS,
    STATE_ID,
    make_schema,
)

log = logging.getLogger(__name__)
WRITE_TIMEOUT = 30.0  # seconds a writer waits for another process's lock
BATCH = 500
TRIED_ALONE = 100  # records `check` tries to index one by one, to say why they are missing
VERSION_FILE = "schema-version"  # SCHEMA_VERSION of the code that built the index


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or being rebuilt; the database still answers."""


@dataclass
class CheckReport:
    """How the index and the database differ."""

    records: int = 0
    indexed: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    behind: int = 0  # revisions not yet absorbed
    unindexable: dict[str, str] = field(default_factory=dict)  # missing id -> why

    @property
    def ok(self) -> bool:
        """True when every published record is indexed at its current revision."""
        return not (self.missing or self.stale or self.extra or self.behind)


def open_index(path: Path) -> Index:
    """Open the index at path, or raise IndexUnavailable saying why."""
    with warnings.catch_warnings():
        # On a damaged index whoosh leaves its table of contents open; it is closed when the
        # exception goes, and that is not worth a warning.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            if not whoosh_index.exists_in(str(path)):
                raise IndexUnavailable(f"there is no search index in {path}")
            if _version(path) != SCHEMA_VERSION:
                raise IndexUnavailable(
                    f"the search index in {path} was built by an older version of the portal"
                )
            return whoosh_index.open_dir(str(path))
        except IndexUnavailable:
            raise
        except Exception as exc:  # whoosh raises many kinds on a damaged index
            problem = f"the search index in {path} cannot be read: {exc}"
        gc.collect()
    raise IndexUnavailable(problem)


def _version(path: Path) -> int:
    """The schema version the index at path was built with (0 when unknown)."""
    try:
        return int((path / VERSION_FILE).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def create_index(path: Path) -> Index:
    """A new, empty index at path (replacing nothing: the folder must hold no index)."""
    path.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(path), make_schema())


def last_revision_in_db(engine: Engine) -> int:
    """The change-log version of the newest revision in the database (0 when there is none)."""
    with Session(engine) as session:
        newest = session.scalars(select(func.max(col(Revision.version)))).one()
        return int(newest or 0)


def last_revision_in_index(ix: Index) -> int:
    """The change-log version of the newest revision the index has absorbed."""
    with ix.searcher() as searcher:
        stored = searcher.document(id=STATE_ID)
    return int(stored["last_revision"]) if stored else 0


def _write(writer: IndexWriter, docs: list[dict[str, Any]], gone: list[str]) -> None:
    for record_id in gone:
        writer.delete_by_term("id", record_id)
    for doc in docs:
        writer.update_document(**doc)


def _changed_since(session: Session, after: int, upto: int) -> Iterator[tuple[list[str], int]]:
    """Record ids with revisions of versions in (after, upto], in batches, with the last
    version of each batch.

    An id in two batches is indexed twice, which is harmless; nothing grows with the log."""
    last = after
    while True:
        rows = session.execute(
            select(col(Revision.version), col(Revision.record_id))
            .where(col(Revision.version) > last, col(Revision.version) <= upto)
            .order_by(col(Revision.version))
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        yield list(dict.fromkeys(record_id for _, record_id in rows)), last


def catch_up(path: Path, engine: Engine, *, limit: int | None = None) -> int:
    """Absorb the revisions the index has not seen; return how many records were re-indexed.

    With `limit`, stop after about that many records (a web request must not rebuild half the
    index); the next call goes on from the revision reached."""
    ix = open_index(path)
    target = last_revision_in_db(engine)
    if last_revision_in_index(ix) >= target:
        return 0
    writer = ix.writer(timeout=WRITE_TIMEOUT, delay=0.05)
    try:
        with writer.searcher() as searcher:
            stored = searcher.document(id=STATE_ID)
        done = int(stored["last_revision"]) if stored else 0
        count = 0
        with Session(engine) as session:
            batches: list[tuple[list[str], int]] = []
            for ids, reached in _changed_since(session, done, target):
                batches.append((ids, reached))
                count += len(ids)
                if limit is not None and count >= limit:
                    break
            # Every name is taught before any record is indexed; then the documents already
            # in the index that hold a new name as it was cut before are indexed again.
            made = documents_or_skip(session, batches[0][0]) if batches else ([], [], {})
            names = names_to_teach(made[0])
            for ids, _ in batches[1:]:
                names |= names_to_teach(documents_or_skip(session, ids)[0])
            old = recut.old_forms(names, recut.user_words(path / USER_WORDS))
            if save_user_words(path / USER_WORDS, names):
                load_user_words(path / USER_WORDS)
            written: set[str] = set()
            for number, (ids, reached) in enumerate(batches):
                docs, gone, _ = made if number == 0 else documents_or_skip(session, ids)
                _write(writer, docs, gone)
                done = reached
                written.update(ids)
            recut.whoosh_recut(writer, old, written, lambda i: documents_or_skip(session, i)[0])
        if count == 0:
            writer.cancel()  # another process did the work while this one waited
            return 0
        writer.update_document(id=STATE_ID, kind="__state__", last_revision=done)
        writer.commit()
        return count
    except BaseException as exc:
        _abandon(writer, exc)
        raise


def _abandon(writer: IndexWriter, exc: BaseException) -> None:
    """Cancel a writer whose work failed, whatever state it failed in.

    A write error in the middle of a commit (a full disk: ENOSPC) leaves Whoosh's segment and
    pool files open and can make `cancel()` itself fail, which would keep the write lock and
    leak a file descriptor per failed write. Close every file the writer, and the frames the
    error went through, still hold, and release the lock."""
    try:
        writer.cancel()
    except Exception:
        log.warning("cancelling a failed index writer failed too", exc_info=True)
    whoosh_inside.close_writer_searcher(writer)
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "locked", False):
        with contextlib.suppress(Exception):
            lock.release()
    whoosh_inside.close_files([writer, *_frames_of(exc)])


def _frames_of(exc: BaseException) -> list[Any]:
    """The local values of the frames an error went through (where a failed write's files are)."""
    values: list[Any] = []
    tb = exc.__traceback__
    while tb is not None:
        values.extend(tb.tb_frame.f_locals.values())
        tb = tb.tb_next
    return values


def rebuild(
    path: Path, engine: Engine, *, procs: int = 2, progress: Callable[[int], None] | None = None
) -> int:
    """Build a fresh index from the database beside the old one, then swap it in.

    `procs` processes analyse the records (search/build.py); readers keep the old index until
    the swap, and keep it for good when the build fails (a full disk): the error is raised and
    nothing of the new one is left. Returns the number of records indexed (a record that cannot
    be indexed is left out and logged)."""
    target = last_revision_in_db(engine)
    fresh = path.with_name(path.name + f".building-{int(time.time())}")
    if fresh.exists():
        shutil.rmtree(fresh)
    ix = create_index(fresh)
    try:
        with Session(engine) as session:
            names: set[str] = set()
            names.update(session.scalars(select(col(Department.name_zh))))
            names.update(session.scalars(select(col(Enterprise.name_zh))))
            for column in ("river_zh", "place_zh", "city_zh"):
                table = KINDS["incidents"].table
                names.update(n for n in session.scalars(select(getattr(table, column))) if n)
        save_user_words(fresh / USER_WORDS, names)
        load_user_words(fresh / USER_WORDS)
        segments, count = build.build(fresh, engine, procs=procs, progress=progress)
        state = {"id": STATE_ID, "kind": "__state__", "last_revision": target}
        build.commit_segments(ix, segments, state)
        (fresh / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
    except BaseException as exc:
        whoosh_inside.close_files([ix, *_frames_of(exc)])  # a failed segment's files are still open
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap(fresh, path)
    try:
        catch_up(path, engine)  # what was published while the rebuild ran
    except Exception:  # the new index is in place; the next write or search catches up
        log.warning("catching up after the rebuild failed", exc_info=True)
    return count


def _swap(fresh: Path, path: Path) -> None:
    old = path.with_name(path.name + f".old-{int(time.time() * 1000)}")
    keep = [p for p in path.iterdir() if p.name == "README.md"] if path.exists() else []
    if path.exists():
        path.rename(old)
    try:
        fresh.rename(path)
    except BaseException:
        if old.exists():
            old.rename(path)  # never leave the portal without the index it had
        raise
    for extra in keep:
        shutil.copy2(old / extra.name, path / extra.name)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def check(path: Path, engine: Engine) -> CheckReport:
    """Compare the index with the database: missing, stale and extra records, revisions behind."""
    report = CheckReport()
    ix = open_index(path)
    indexed: dict[str, int] = {}
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            if fields.get("id") != STATE_ID:
                indexed[fields["id"]] = int(fields.get("revision", 0))
    report.indexed = len(indexed)
    report.behind = max(0, last_revision_in_db(engine) - last_revision_in_index(ix))
    with Session(engine) as session:
        compare_with_records(session, report, indexed)
        report.unindexable = documents_one_by_one(session, report.missing[:TRIED_ALONE])[2]
    return report


def compare_with_records(
    session: Session,
    report: CheckReport,
    indexed: Mapping[str, object],
    expected: Callable[[int], object] = lambda revision: revision,
) -> None:
    """Fill the report's missing, stale and extra records and its count of live records, for
    either engine: `indexed` maps each indexed id to what it was indexed at, `expected` says
    what that should be for a record's revision."""
    live: set[str] = set()
    for kind_name in SEARCHED_KINDS:
        table = KINDS[kind_name].table
        for rid, revision in session.execute(
            select(table.id, table.revision).where(table.withdrawn_at.is_(None))
        ):
            live.add(rid)
            if rid not in indexed:
                report.missing.append(rid)
            elif indexed[rid] != expected(revision):
                report.stale.append(rid)
    report.records = len(live)
    report.extra = sorted(set(indexed) - live)
