"""search on postgresql

On PostgreSQL, search lives in the database: `search_document` (one row per searchable record:
a tsvector of the portal's own analysis, with a GIN index, and the columns filters and facets
read) and `search_word` (the names and spelling words every node shares). Both are written in
the transaction that writes the record (decision 0017). SQLite keeps its Whoosh index: nothing
changes there. Records already in the database are indexed by `portal reindex`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    text_array = postgresql.ARRAY(sa.Text())
    op.create_table(
        "search_document",
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("analysis", sa.Integer(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("boost", sa.Float(), nullable=False),
        sa.Column("enterprise", text_array, nullable=False),
        sa.Column("department", text_array, nullable=False),
        sa.Column("city", text_array, nullable=False),
        sa.Column("pollutant", text_array, nullable=False),
        sa.Column("sector", text_array, nullable=False),
        sa.Column("province", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("year", sa.String(), nullable=True),
        sa.Column("label_zh", sa.Text(), nullable=True),
        sa.Column("label_en", sa.Text(), nullable=True),
        sa.Column("text_zh", sa.Text(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("record_id"),
    )
    # Rows of a few hundred bytes in the table itself (the tsvector and the texts live beside
    # it, in TOAST): counting and faceting the matches of a common word reads every matching
    # row's page, three times fewer of them than at the default target (2 KB) at 100,000
    # records.
    op.execute("ALTER TABLE search_document SET (toast_tuple_target = 256)")
    op.create_index("ix_search_document_tsv", "search_document", ["tsv"], postgresql_using="gin")
    op.create_index("ix_search_document_date", "search_document", ["date"])
    op.create_index(
        "ix_search_document_department", "search_document", ["department"], postgresql_using="gin"
    )
    op.create_index(
        "ix_search_document_enterprise", "search_document", ["enterprise"], postgresql_using="gin"
    )
    op.create_table(
        "search_word",
        sa.Column("role", sa.String(length=1), nullable=False),
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("role", "word"),
    )
    op.create_index("ix_search_word_version", "search_word", ["version"])


def downgrade() -> None:
    if not _postgresql():
        return
    op.drop_table("search_word")
    op.drop_table("search_document")
