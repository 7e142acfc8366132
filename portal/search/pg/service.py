"""Searching PostgreSQL's own full text: one SQL statement for the count and facets, one for the
page of hits, ranked by `ts_rank_cd` over the same query tree the Whoosh engine runs.

Each statement of a search is bounded (`statement_timeout`, set for its transaction): past it
PostgreSQL cancels the statement and the search is refused with a sentence (SearchTooSlow, a
400), never left to hold a worker. The bound is on the database's work, not on the wall clock
of the whole request: a busy worker's threads waiting their turn must not turn a fast search
into a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg.errors import QueryCanceled
from sqlalchemy import Connection, exists, func, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from portal.db import get_engine
from portal.records.kinds import KINDS
from portal.records.listing import department_subtree
from portal.search.engine import SearchTooSlow
from portal.search.index import CheckReport, IndexUnavailable
from portal.search.pg import sql, writing
from portal.search.pg.tables import has_tables, search_document
from portal.search.pg.tsquery import by_label, leaves, translate
from portal.search.pg.vocabulary import Vocabulary, vocabulary_of
from portal.search.query import (
    SearchQuery,
    SearchResult,
    make_hit,
    marked_terms,
    suggest,
    term_marker,
    text_query,
    tiers,
)
from portal.search.schema import SEARCHED_KINDS

STATEMENT_TIMEOUT_MS = 2000  # the most one statement of a search may take (issue 20)


class PostgresSearch:
    """Search inside the database: nothing to build, sync or catch up on any node."""

    def __init__(self, database_url: str, *, timeout_ms: int = STATEMENT_TIMEOUT_MS) -> None:
        self.database_url = database_url
        self.timeout_ms = timeout_ms
        self._filled = False

    @property
    def engine(self) -> Any:
        """The database engine."""
        return get_engine(self.database_url)

    # -- state ---------------------------------------------------------------------------
    def available(self) -> bool:
        """True when the search tables are there and hold the records (or there are none)."""
        if self._filled:
            return True
        if not has_tables(self.engine):
            return False
        with self.engine.connect() as conn:
            return self._holds_the_records(conn)

    def _holds_the_records(self, conn: Connection) -> bool:
        """False for a database upgraded with records but no rows yet (`portal reindex`)."""
        if self._filled:
            return True
        if conn.execute(select(exists().select_from(search_document))).scalar():
            self._filled = True
            return True
        return not any(
            conn.execute(select(exists().where(KINDS[k].table.withdrawn_at.is_(None)))).scalar()
            for k in SEARCHED_KINDS
        )

    def rebuilding(self) -> bool:
        """Never: a reindex rewrites rows in place while searches go on."""
        return False

    def lag(self) -> int:
        """Always 0: a record's row commits with the record."""
        return 0

    def where(self) -> str:
        """The search tables and their size on disk."""
        with self.engine.connect() as conn:
            size = conn.execute(
                select(func.pg_total_relation_size(text("'search_document'::regclass")))
            ).scalar_one()
        return f"in the database (search_document, {int(size) / 2**20:,.1f} MiB)"

    # -- writing ---------------------------------------------------------------------------
    def sync(self, limit: int | None = None) -> int:
        """Nothing to take in: rows are written in the records' own transactions."""
        return 0

    def rebuild(self, progress: Callable[[int], None] | None = None, procs: int = 2) -> int:
        """Rewrite every record's row in batches while the portal serves."""
        self._need_tables()
        return writing.rewrite(self.database_url, procs=procs, progress=progress)

    def check(self) -> CheckReport:
        """Compare the rows with the records."""
        self._need_tables()
        return writing.check(self.engine)

    def close(self) -> None:
        """Nothing is held open beyond the engine's pool."""

    def _need_tables(self) -> None:
        if not has_tables(self.engine):
            raise IndexUnavailable(
                "the database has no search tables yet: run `portal init` to upgrade it"
            )

    # -- reading -----------------------------------------------------------------------------
    def search(
        self, query: SearchQuery, *, lang: str = "zh", with_facets: bool = True
    ) -> SearchResult:
        """Run a search; IndexUnavailable before `portal reindex` filled the rows, SearchTooSlow
        past the time a search may take."""
        self._need_tables()
        vocabulary = vocabulary_of(str(self.engine.url))
        try:
            with Session(self.engine) as session:
                conn = session.connection()
                conn.execute(
                    select(
                        func.set_config("statement_timeout", str(self.timeout_ms), True),
                        # The planner prices `tsv @@ query` as cheap and may read every row
                        # (a common word at 100,000 records: 1.3 s) where the GIN index
                        # answers in a fraction of it; it never pays to scan here.
                        func.set_config("enable_seqscan", "off", True),
                        # That makes a search without words (every record, by date) cost 10^10
                        # to the planner, past `jit_above_cost`: compiling it took 0.7 to 1.5 s
                        # of a 4 ms statement, and on a busy server past the statement timeout.
                        func.set_config("jit", "off", True),
                    )
                )
                if not self._holds_the_records(conn):
                    raise IndexUnavailable(
                        "the records are not indexed for search yet: run `portal reindex`"
                    )
                vocabulary.refresh(conn)
                return _run(session, query, lang, with_facets, vocabulary)
        except OperationalError as exc:
            if isinstance(exc.orig, QueryCanceled):
                raise SearchTooSlow(self.timeout_ms / 1000) from None
            raise


def _run(
    session: Session,
    query: SearchQuery,
    lang: str,
    with_facets: bool,
    vocabulary: Vocabulary,
) -> SearchResult:
    conn = session.connection()
    tree, asked = text_query(query.text)
    filters = sql.conditions(query.filters, lambda root: department_subtree(session, root))

    tsq = translate(tree)
    total, facets = sql.count_and_facets(conn, tsq, filters, with_facets)
    any_word = False
    if total == 0 and asked:
        tree, _ = text_query(query.text, any_word=True)
        tsq = translate(tree)
        total, facets = sql.count_and_facets(conn, tsq, filters, with_facets)
        any_word = total > 0
    by_date = query.sort != "relevance" or not asked
    start = (query.page - 1) * query.limit
    labels = by_label(tree) if asked else {}
    found = []
    if total:
        counted = [(translate(q) or "", w) for q, w in tiers(query.text, any_word=any_word)]
        found = sql.page(
            conn,
            tsq,
            filters,
            by_date,
            query.sort,
            start,
            query.limit,
            labels,
            counted,
            negated=any(excluded for _, excluded in leaves(tree)),
            any_word=any_word,
        )
    marker = term_marker(marked_terms(tree))
    hits = [
        make_hit(row, row["score"] if asked else 0.0, row["matched"], lang, marker) for row in found
    ]
    corrector = vocabulary.corrector() if total == 0 and asked else None
    suggestion = suggest(corrector, query.text) if corrector is not None else None
    return SearchResult(query, hits, total, facets if with_facets else {}, suggestion, any_word)


__all__ = ["STATEMENT_TIMEOUT_MS", "PostgresSearch"]
