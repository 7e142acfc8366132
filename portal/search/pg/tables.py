"""The tables PostgreSQL full text keeps beside the records (migration 0008; none on SQLite).

`search_document` holds one row per searchable record: its words as a `tsvector` made by the
portal's own analysis (search/pg/vectors.py), and the columns filters and facets read. A
withdrawn record keeps a row with `live` false and its last revision, so that a reindex batch
that read the record before the withdrawal cannot bring it back (writes never go backwards in
`revision`). `search_word` is the vocabulary every node shares: the names jieba is taught and
the English words "did you mean" picks from, each with the change-log version that added it.
"""

from __future__ import annotations

import threading

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

from portal.search.schema import SCHEMA_VERSION

# Bump LAYOUT when what a row holds changes (weights, positions, columns): `portal check` then
# reports rows written before as stale and `portal reindex` rewrites them. SCHEMA_VERSION moves
# with what goes into a document, which both engines share.
LAYOUT = 3
ANALYSIS = SCHEMA_VERSION * 100 + LAYOUT

metadata = MetaData()

# Migration 0008 also sets `toast_tuple_target = 256` on search_document: its rows stay small
# (the tsvector and texts live in TOAST), so that counting the matches of a common word reads
# few pages. Migration 0010 keeps in the row (`SET STORAGE MAIN`) what every match is read
# for: the facet arrays and `rank_tsv`, the smaller vector a search ranks by (vectors.py).

search_document = Table(
    "search_document",
    metadata,
    Column("record_id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("live", Boolean, nullable=False),
    Column("analysis", Integer, nullable=False),
    Column("tsv", TSVECTOR, nullable=False),
    Column("rank_tsv", TSVECTOR, nullable=False),
    Column("boost", Float, nullable=False),
    Column("enterprise", ARRAY(Text), nullable=False),
    Column("department", ARRAY(Text), nullable=False),
    Column("city", ARRAY(Text), nullable=False),
    Column("pollutant", ARRAY(Text), nullable=False),
    Column("sector", ARRAY(Text), nullable=False),
    Column("province", String),
    Column("outcome", String),
    Column("status", String),
    Column("category", String),
    Column("sample", Boolean, nullable=False),
    Column("date", DateTime(timezone=True)),
    Column("day", Date),
    Column("year", String),
    # What a hit shows (Whoosh's stored fields): its title in each language and the texts its
    # snippet is cut from, so that a page of hits is one statement.
    Column("label_zh", Text),
    Column("label_en", Text),
    Column("text_zh", Text),
    Column("text_en", Text),
    Index("ix_search_document_tsv", "tsv", postgresql_using="gin"),
    Index("ix_search_document_rank_tsv", "rank_tsv", postgresql_using="gin"),
    Index("ix_search_document_date", "date"),
    Index("ix_search_document_department", "department", postgresql_using="gin"),
    Index("ix_search_document_enterprise", "enterprise", postgresql_using="gin"),
)

search_word = Table(
    "search_word",
    metadata,
    Column("role", String(1), primary_key=True),  # N: a name for jieba, S: a spelling word
    Column("word", Text, primary_key=True),
    Column("version", BigInteger, nullable=False),
    Index("ix_search_word_version", "version"),
)

NAME, SPELLING = "N", "S"
TABLES = frozenset(metadata.tables)

_READY: set[str] = set()
_READY_LOCK = threading.Lock()


def has_tables(engine: Engine) -> bool:
    """True when the database is PostgreSQL and migrated to hold the search tables."""
    if engine.dialect.name != "postgresql":
        return False
    key = str(engine.url)
    if key in _READY:
        return True
    if not inspect(engine).has_table("search_document"):
        return False  # asked again next time: `portal init` may add them while we run
    with _READY_LOCK:
        _READY.add(key)
    return True
