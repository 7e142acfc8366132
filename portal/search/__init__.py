"""Full-text search behind a narrow interface: sync (index what changed), search, rebuild, check.

Two engines answer it (search/engine.py, chosen by the database URL): PostgreSQL's own full text
(search/pg/) for a PostgreSQL database, and the Whoosh index below for SQLite. One
`SearchService` per index folder and database. Records written anywhere reach the index
through the revision log: the process that commits catches up at once (see `install_hook`),
and every search first absorbs what other processes wrote.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from whoosh.index import Index
from whoosh.searching import Searcher

from portal.db import get_engine
from portal.records.listing import department_subtree
from portal.records.write import WRITTEN
from portal.search import index as store
from portal.search.analysis import load_user_words
from portal.search.engine import SearchEngine, SearchTooSlow, is_postgresql, open_search
from portal.search.index import CheckReport, IndexUnavailable
from portal.search.pg import writing as _pg_writing  # noqa: F401  (writes rows before commits)
from portal.search.query import SearchQuery, SearchResult, parse_search, run_search
from portal.search.rebuild_lock import RebuildLock, held
from portal.search.schema import STATE_ID

log = logging.getLogger(__name__)
LIVE_LIMIT = 2000  # records one commit or one request indexes before leaving the rest
REQUEST_LIMIT = 200

__all__ = [
    "CheckReport",
    "IndexUnavailable",
    "SearchEngine",
    "SearchQuery",
    "SearchResult",
    "SearchService",
    "SearchTooSlow",
    "open_search",
    "parse_search",
]


class SearchService:
    """The search index of one database, as one process uses it."""

    def __init__(self, index_dir: Path, database_url: str) -> None:
        self.path = Path(index_dir)
        self.database_url = database_url
        # One searcher per process, shared by its threads: its caches of postings and
        # per-document arrays (search/evaluate.py) are the bulk of a worker's memory, and a
        # searcher per thread multiplied them. Whoosh reads a searcher's files with seek and
        # read, so its threads take turns (`_reading`); a search is Python under the GIL
        # anyway, so turns cost little.
        self._reading = threading.RLock()
        self._current: Searcher | None = None
        self._current_identity: tuple[int, int] = (0, 0)
        self._rebuilding = threading.Event()
        self._ready = threading.Event()
        # Every searcher still open, closed when the service goes: their files are plain open
        # files (search/build.py), which must not be left to the garbage collector.
        self._open: set[Searcher] = set()
        self._open_lock = threading.Lock()
        weakref.finalize(self, _close_all, self._open, self._open_lock)

    @property
    def engine(self) -> Any:
        """The database engine."""
        return get_engine(self.database_url)

    @property
    def lock_path(self) -> Path:
        """Held by the one process rebuilding the index (search/rebuild_lock.py)."""
        return self.path.with_name(self.path.name + ".rebuild.lock")

    # -- state --------------------------------------------------------------------------
    def available(self) -> bool:
        """True when the index can be searched."""
        try:
            store.open_index(self.path)
        except IndexUnavailable:
            return False
        return True

    def rebuilding(self) -> bool:
        """True while some process rebuilds the index."""
        return self._rebuilding.is_set() or held(self.lock_path)

    # -- writing ------------------------------------------------------------------------
    def sync(self, limit: int | None = LIVE_LIMIT) -> int:
        """Index what was written since the index last caught up."""
        load_user_words(self.path / store.USER_WORDS)
        return store.catch_up(self.path, self.engine, limit=limit)

    def rebuild(self, progress: Callable[[int], None] | None = None, procs: int = 2) -> int:
        """Rebuild the whole index from the database (one process at a time)."""
        lock = RebuildLock(self.lock_path)
        if not lock.acquire():
            raise IndexUnavailable("another process is rebuilding the search index")
        self._rebuilding.set()
        try:
            return store.rebuild(self.path, self.engine, procs=procs, progress=progress)
        finally:
            self._rebuilding.clear()
            lock.release()
            self._ready.set()

    def rebuild_in_background(self) -> threading.Thread | None:
        """Start rebuilding a missing or unreadable index; None if another process does."""
        if held(self.lock_path):
            return None
        thread = threading.Thread(target=self._rebuild_quietly, name="search-rebuild", daemon=True)
        self._rebuilding.set()
        thread.start()
        return thread

    def _rebuild_quietly(self) -> None:
        try:
            count = self.rebuild(procs=1)
            log.info("search index rebuilt: %d records", count)
        except Exception:
            log.exception("search index rebuild failed")
        finally:
            self._rebuilding.clear()

    def wait_ready(self, timeout: float) -> bool:
        """Wait for a background rebuild started by this process."""
        return self._ready.wait(timeout)

    def check(self) -> CheckReport:
        """Compare the index with the database."""
        return store.check(self.path, self.engine)

    def lag(self) -> int:
        """Revisions in the database the index has not absorbed yet."""
        ix = store.open_index(self.path)
        return max(0, store.last_revision_in_db(self.engine) - store.last_revision_in_index(ix))

    def where(self) -> str:
        """The index folder and its size."""
        size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return f"in {self.path} ({size / 2**20:,.1f} MiB)"

    # -- reading ------------------------------------------------------------------------
    def _searcher(self) -> Searcher:
        """The process's searcher, reopened when the index changed (hold `_reading`).

        Not `Searcher.refresh()`: it reuses the readers of unchanged segments and with them
        their old deletions, so a corrected record would show its old text too."""
        cached = self._current
        identity = _identity(self.path)
        if cached is not None and self._current_identity == identity and cached.up_to_date():
            return cached
        if cached is not None:
            self._current = None
            self._forget(cached)
        ix: Index = store.open_index(self.path)
        load_user_words(self.path / store.USER_WORDS)
        searcher = ix.searcher()
        with self._open_lock:
            self._open.add(searcher)
        self._current, self._current_identity = searcher, identity
        return searcher

    def _forget(self, searcher: Searcher) -> None:
        with self._open_lock:
            self._open.discard(searcher)
        searcher.close()

    def close(self) -> None:
        """Close the process's searcher (its files)."""
        with self._reading:
            if self._current is not None:
                self._forget(self._current)
                self._current = None

    def search(
        self, query: SearchQuery, *, lang: str = "zh", with_facets: bool = True
    ) -> SearchResult:
        """Run a search, first absorbing recent writes; IndexUnavailable when it cannot."""
        if self.rebuilding():
            raise IndexUnavailable("the search index is being rebuilt")
        with self._reading:
            return self._search(query, lang=lang, with_facets=with_facets)

    def _search(self, query: SearchQuery, *, lang: str, with_facets: bool) -> SearchResult:
        searcher = self._searcher()
        newest = store.last_revision_in_db(self.engine)
        if _absorbed(searcher) < newest:
            try:
                self.sync(limit=REQUEST_LIMIT)
            except Exception:  # a busy writer must not fail a reader; the next one catches up
                log.warning("search index could not catch up before a search", exc_info=True)
            searcher = self._searcher()
        with Session(self.engine) as session:
            result = run_search(
                searcher,
                query,
                lang=lang,
                with_facets=with_facets,
                subtree=lambda root: department_subtree(session, root),
            )
        # What the index could not take in (a full disk, a read-only folder, an import still
        # being absorbed) is said with the hits, not left silently out of them.
        result.behind = max(0, newest - _absorbed(searcher))
        return result


def _absorbed(searcher: Searcher) -> int:
    """The change-log version a searcher's index has absorbed."""
    stored = searcher.document(id=STATE_ID)
    return int(stored["last_revision"]) if stored else 0


def _close_all(searchers: set[Searcher], lock: threading.Lock) -> None:
    with lock:
        for searcher in list(searchers):
            searcher.close()
        searchers.clear()


def start(index_dir: Path, database_url: str, *, rebuild_if_missing: bool = True) -> SearchEngine:
    """The search engine of a process. On PostgreSQL, search is in the database: nothing to
    start. With Whoosh: index after its commits, and rebuild a missing or unreadable index in
    the background (the rest of the portal answers meanwhile)."""
    if is_postgresql(database_url):
        return open_search(index_dir, database_url)
    service = SearchService(Path(index_dir), database_url)
    register(service)
    if rebuild_if_missing and not service.available():
        service.rebuild_in_background()
    return service


def service_of(app: Any) -> SearchEngine:
    """The search engine an app was given by create_app."""
    service: SearchEngine = app.extensions["search"]
    return service


def _identity(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_ino, stat.st_dev)


# -- keeping the index in step with commits -------------------------------------------------

_SERVICES: dict[Any, SearchService] = {}


def register(service: SearchService) -> None:
    """Index after every commit that wrote records to this service's database."""
    _SERVICES[service.engine] = service


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if not session.info.pop(WRITTEN, False):
        return
    service = _SERVICES.get(session.get_bind().engine)
    if service is None or not service.available():
        return
    try:
        service.sync()
    except Exception:
        # The record is published; `portal check` will show the gap, `portal reindex` fills it.
        log.exception("indexing after commit failed")


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(WRITTEN, None)
