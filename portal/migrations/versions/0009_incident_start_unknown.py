"""incident start unknown

An incident's start (`incident.began_at`) may be unknown: most incidents are found before
anyone knows when they began (issue 21). The column becomes nullable; nothing else changes.
Batch mode, so SQLite (which cannot alter a column) copies the table with its indexes.

Downgrading needs every incident to have a start again: one without is given the time it was
found, or failing that published (the date listings already sort it by).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.alter_column(
            "began_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True
        )


def downgrade() -> None:
    op.execute(
        "UPDATE incident SET began_at = COALESCE(found_at, published_at) WHERE began_at IS NULL"
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.alter_column(
            "began_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
