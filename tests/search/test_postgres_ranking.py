"""What a search on PostgreSQL reads for each match of a common word (issue 20): the ranking
vector and the facet arrays from the row itself, never the whole tsvector out of TOAST, while
matching still reads every word of every field.

These run against a PostgreSQL server (PORTAL_TEST_DATABASE_URL's, or the local one) even when the
rest of the suite runs on SQLite, as tests/search/test_postgres_search.py does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import test_postgres_search as pgs
from sqlalchemy import select, text

from conftest import _app
from portal.db import get_engine
from portal.search import parse_search
from portal.search.pg import PostgresSearch, vectors
from portal.search.pg.tables import search_document

pg_template, pg_url = pgs.pg_template, pgs.pg_url  # the same sample database, per test
_found, _publish = pgs._found, pgs._publish

# Words no sample record holds: one in the lead of the text, one only far past it.
LEAD_WORD, DEEP_WORD = "zqxlead", "zqxdeep"
FILLER = "，".join(f"第{n}号排放口复核" for n in range(200))


def test_the_ranking_vector_and_facet_arrays_stay_in_the_row(pg_url: str) -> None:
    """Kept out of TOAST: a common word's thousands of matches are ranked and faceted from the
    table's own pages (in TOAST, 100,000 records took 300 ms and more per search)."""
    with get_engine(pg_url).connect() as conn:
        in_row = set(
            conn.execute(
                text(
                    "SELECT attname FROM pg_attribute WHERE attrelid = 'search_document'::regclass"
                    " AND attstorage = 'm'"
                )
            ).scalars()
        )
    assert in_row == {"rank_tsv", "enterprise", "department", "city", "pollutant", "sector"}


def test_a_long_text_ranks_by_its_lead_and_is_found_by_every_word(
    pg_url: str, tmp_path: Path
) -> None:
    _publish(pg_url, "INS-2024-7101", f"{LEAD_WORD} 浓度异常。{FILLER}。{DEEP_WORD} 浓度异常")
    with get_engine(pg_url).connect() as conn:
        tsv, rank_tsv, size = conn.execute(
            select(
                search_document.c.tsv,
                search_document.c.rank_tsv,
                text("pg_column_size(rank_tsv)"),
            ).where(search_document.c.record_id == "INS-2024-7101")
        ).one()
    assert f"'{DEEP_WORD}'" in tsv and f"'{DEEP_WORD}'" not in rank_tsv
    assert f"'{LEAD_WORD}'" in rank_tsv and size < 2000  # small enough for the row
    app = _app(pg_url, tmp_path / "index")
    for word in (LEAD_WORD, DEEP_WORD):
        assert _found(app, word)[0] == ["INS-2024-7101"]
    assert len(FILLER) > vectors.LEAD


# Queries of every shape: single words found in titles and deep in texts, alternatives, words of
# both languages, a phrase, an exclusion, a field, a filter.
PAGED = [
    {"q": "镉"},
    {"q": "cadmium"},
    {"q": "浓度异常"},
    {"q": "排放口"},
    {"q": "铅 锌"},
    {"q": "lead -cadmium"},
    {"q": '"排放口复核"'},
    {"q": "废水", "kind": "inspections"},
    {"q": "龙江 zqxnowhere"},  # no record holds both: the search falls back to any word
    {"q": f"{LEAD_WORD} OR {DEEP_WORD}"},
]


def _every_match_by_score(url: str, query: dict[str, str]) -> list[tuple[str, float]]:
    """The oracle: every match scored and sorted in one statement (by tier, then score, then
    id), as a page was chosen before the ranking vector had an index of its own."""
    from portal.search.pg import sql
    from portal.search.pg.tsquery import translate
    from portal.search.query import text_query, tiers

    parsed = parse_search(query)
    found: list[tuple[str, float]] = []
    for any_word in (False, True):  # as the search, any word when no record holds them all
        tsq = translate(text_query(parsed.text, any_word=any_word)[0])
        assert tsq is not None
        with get_engine(url).connect() as conn:
            where = sql.conditions(parsed.filters, lambda root: [root])
            score = sql._score(tsq)
            counted = [(translate(q) or "", w) for q, w in tiers(parsed.text, any_word=any_word)]
            level = [sql.tier(counted).desc()] if counted else []
            found = [
                (str(record_id), float(value))
                for record_id, value in conn.execute(
                    select(search_document.c.record_id, score)
                    .where(*where, search_document.c.tsv.op("@@")(sql._tsquery(tsq)))
                    .order_by(*level, score.desc(), search_document.c.record_id)
                )
            ]
        if found:
            break
    return found


def test_pages_by_score_are_the_pages_of_one_order_over_every_match(pg_url: str) -> None:
    """The page is chosen from the matches whose ranking vector holds the words, then from the
    rest by id (sql._ranked_page): every page, across the boundary between the two, is the page
    that one ORDER BY over every match's score would give."""
    for n in range(12):  # matches whose words are only deep in the text: they score 0
        _publish(pg_url, f"INS-2024-72{n:02d}", f"{FILLER}。{DEEP_WORD} 浓度异常，排放口复核")
    for n in range(3):
        _publish(pg_url, f"INS-2024-73{n:02d}", f"{LEAD_WORD} 浓度异常，排放口复核。{FILLER}")
    service = PostgresSearch(pg_url)
    checked = 0
    for query in PAGED:
        service.search(parse_search(query))  # the names the records taught jieba, read first
        expected = _every_match_by_score(pg_url, query)
        for limit in (1, 4, 20):
            for number in range(1, len(expected) // limit + 2):
                result = service.search(
                    parse_search({**query, "limit": str(limit), "page": str(number)})
                )
                got = [(hit.id, hit.score) for hit in result.hits]
                want = expected[(number - 1) * limit : number * limit]
                assert got == [(i, round(s, 3)) for i, s in want], (query, limit, number)
                checked += len(got)
    assert checked > 500  # the pages were not all empty
    mixed = _every_match_by_score(pg_url, {"q": "浓度异常"})
    assert {score > 0 for _, score in mixed} == {True, False}  # both steps were exercised


def test_a_search_without_words_is_never_compiled(pg_url: str) -> None:
    """`enable_seqscan = off` prices a search without words (every record, by date) at 10^10,
    past `jit_above_cost`: PostgreSQL then spent 0.7 to 1.5 s compiling a 4 ms statement, and
    on a busy server the search was refused as too slow. Each statement of a search runs with
    JIT off, even on a server that compiles everything."""
    from sqlalchemy import event

    service = PostgresSearch(pg_url)
    with get_engine(pg_url).connect() as conn:
        conn.exec_driver_sql(f'ALTER DATABASE "{conn.engine.url.database}" SET jit_above_cost = 0')
        conn.commit()
    settings: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if "search_document" in statement and "EXISTS" not in statement:
            with cursor.connection.cursor() as own:  # the statement's own rows stay unread
                own.execute("SELECT current_setting('jit')")
                settings.append(own.fetchone()[0])

    event.listen(service.engine, "after_cursor_execute", seen)
    try:
        result = service.search(parse_search({"q": "AND OR NOT"}))  # no word left
    finally:
        event.remove(service.engine, "after_cursor_execute", seen)
    assert result.total > 0 and result.hits
    assert settings and set(settings) == {"off"}
