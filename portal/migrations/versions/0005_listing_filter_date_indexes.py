"""listing filter date indexes

Listings filter on one value and show the newest first; (filter, date, id) walks the matches in
order instead of sorting them all, and replaces the index on the filter alone.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, filter, date): the new index on all three replaces ix_<table>_<filter>.
INDEXES = (
    ("inspection", "outcome", "inspected_on"),
    ("disclosure", "category", "published_at"),
    ("enterprise", "province", "published_at"),
    ("enterprise", "sector", "published_at"),
    ("incident", "province", "began_at"),
    ("incident", "status", "began_at"),
)


def upgrade() -> None:
    for table, column, day in INDEXES:
        op.create_index(f"ix_{table}_{column}_{day}_id", table, [column, day, "id"], unique=False)
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column, day in reversed(INDEXES):
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
        op.drop_index(f"ix_{table}_{column}_{day}_id", table_name=table)
