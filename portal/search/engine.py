"""What every caller of search uses, whichever engine answers: Whoosh beside a SQLite database
(the embedded default), or PostgreSQL's own full text. The database URL chooses (`open_search`).

Callers (the API, the pages, feeds, the assistant, `portal reindex` and `portal check`) hold a
`SearchEngine` and never ask which one it is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from portal.codes import Issue
from portal.records.query import QueryError
from portal.search.index import CheckReport
from portal.search.query import SearchQuery, SearchResult


class SearchTooSlow(QueryError):
    """A search that would take longer than the engine allows one: narrow it."""

    def __init__(self, seconds: float) -> None:
        message = (
            f"This search would take longer than {seconds:g} seconds to answer; use fewer or "
            "more specific words, or add a filter (kind, province, from, to)."
        )
        super().__init__([Issue("search_too_slow", message, {"seconds": seconds})])


class SearchEngine(Protocol):
    """Search with facets and highlights, kept in step with the database, checked, rebuilt."""

    def available(self) -> bool:
        """True when searches can be answered now."""
        ...

    def rebuilding(self) -> bool:
        """True while searches must wait for a rebuild (503)."""
        ...

    def lag(self) -> int:
        """Revisions written to the database that searches do not see yet."""
        ...

    def where(self) -> str:
        """Where the index lives and how large it is, for a person to read."""
        ...

    def sync(self, limit: int | None = ...) -> int:
        """Take in what was written since the last sync; how many records that was."""
        ...

    def rebuild(self, progress: Callable[[int], None] | None = None, procs: int = 2) -> int:
        """Index every published record again; how many were indexed."""
        ...

    def check(self) -> CheckReport:
        """Compare the index with the database."""
        ...

    def search(
        self, query: SearchQuery, *, lang: str = "zh", with_facets: bool = True
    ) -> SearchResult:
        """Ranked hits with snippets and facets; IndexUnavailable or SearchTooSlow when not."""
        ...

    def close(self) -> None:
        """Let go of what the engine holds open in this process."""
        ...


def is_postgresql(database_url: str) -> bool:
    """True for a database whose search is PostgreSQL's own full text."""
    return database_url.startswith(("postgresql://", "postgresql+"))


def open_search(index_dir: Path | str, database_url: str) -> SearchEngine:
    """The search engine of a database: PostgreSQL full text for PostgreSQL, Whoosh (in
    `index_dir`) otherwise."""
    if is_postgresql(database_url):
        from portal.search.pg import PostgresSearch

        return PostgresSearch(database_url)
    from portal.search import SearchService

    return SearchService(Path(index_dir), database_url)
