"""incident date indexes

Since 0009 an incident with no known start is dated by when it was found, else published: the
listings sort and filter incidents on `coalesce(began_at, found_at, published_at)`, and the
(filter, began_at, id) indexes of 0005 no longer gave a page in order, so every page sorted
every match (1,000 incidents at 100,000 records: 12 to 35 ms a page, against under 1 ms). These
indexes hold the expression itself; SQLite and PostgreSQL both use an index on an expression
when a query names the same expression (tests/records/test_incident_date_indexes.py reads the
plans).

SQLAlchemy cannot reflect an expression index on SQLite, and Alembic's batch mode (which copies
a SQLite table to alter it) would leave these out: a later migration that alters `incident` in
batch mode must create them again. The plan test fails if they are gone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATED = "coalesce(began_at, found_at, published_at)"
INDEXES = (
    ("ix_incident_dated_id", ()),
    ("ix_incident_province_dated_id", ("province",)),
    ("ix_incident_status_dated_id", ("status",)),
)


def upgrade() -> None:
    for name, filters in INDEXES:
        op.create_index(name, "incident", [*filters, sa.text(DATED), "id"], unique=False)
    for column in ("province", "status"):
        op.drop_index(f"ix_incident_{column}_began_at_id", table_name="incident")


def downgrade() -> None:
    for column in ("province", "status"):
        op.create_index(
            f"ix_incident_{column}_began_at_id", "incident", [column, "began_at", "id"]
        )
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="incident")
