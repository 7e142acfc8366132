"""search rank vector index

A search by relevance on PostgreSQL scored every match of its words to find the top 20: a
common word of the texts (废水, 30,180 matches at 100,000 records) read and scored 12,000 heap
pages per page of hits. Only the matches whose ranking vector (`rank_tsv`: titles, names, the
lead of each text) holds the words score above 0, and they are found by their own GIN index
(148 of those 30,180), so a page is chosen from them first (search/pg/sql.py: _ranked_page).
SQLite: nothing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_search_document_rank_tsv",
        "search_document",
        ["rank_tsv"],
        postgresql_using="gin",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_search_document_rank_tsv", table_name="search_document")
