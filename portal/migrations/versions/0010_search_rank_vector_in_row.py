"""search rank vector in row

Search on PostgreSQL at 100,000 records ranked a common word by reading every match's whole
tsvector out of TOAST, and counted its facets from arrays TOAST held too (issue 20). A second,
smaller tsvector, `rank_tsv` (titles, names and the first words of each text), is what a search
ranks by now; it and the facet arrays are kept in the row (`SET STORAGE MAIN`), so that the
matches of a common word are counted, faceted and ranked from the table's own pages. Existing
rows get an empty `rank_tsv` here; `portal reindex` fills it (`portal check` reports them stale,
search/pg/tables.py: LAYOUT), and rewriting every row moves the arrays into it. SQLite: nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 18:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_ROW = ("rank_tsv", "enterprise", "department", "city", "pollutant", "sector")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.add_column(
        "search_document",
        sa.Column("rank_tsv", postgresql.TSVECTOR(), nullable=False, server_default=""),
    )
    op.alter_column("search_document", "rank_tsv", server_default=None)
    storage = ", ".join(f"ALTER COLUMN {name} SET STORAGE MAIN" for name in IN_ROW)
    op.execute(f"ALTER TABLE search_document {storage}")


def downgrade() -> None:
    if not _postgresql():
        return
    storage = ", ".join(f"ALTER COLUMN {name} SET STORAGE EXTENDED" for name in IN_ROW[1:])
    op.execute(f"ALTER TABLE search_document {storage}")
    op.drop_column("search_document", "rank_tsv")
