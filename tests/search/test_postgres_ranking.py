"""What a search on PostgreSQL reads for each match of a common word (issue 20): the ranking
vector and the facet arrays from the row itself, never the whole tsvector out of TOAST, while
matching still reads every word of every field.

These run against a PostgreSQL server (PORTAL_TEST_DATABASE_URL's, or the local one) even when the
rest of the suite runs on SQLite, as tests/search/test_postgres_search.py does."""

from __future__ import annotations

from pathlib import Path

import test_postgres_search as pgs
from sqlalchemy import select, text

from conftest import _app
from portal.db import get_engine
from portal.search.pg import vectors
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
