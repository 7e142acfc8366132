"""penalties outside inspections

A `penalty` table for penalties an inspection does not carry: a court's fine of an enterprise
after an incident, a customs penalty (issue 21). Each row belongs to the `penalties` list of an
incident or of an enterprise (`record_id`, no foreign key: it points at either table) and names
the enterprise fined, the amount in whole units of its currency, the authority, the date and
the source. Existing records have no penalties.

Two indexes on `inspection` let the enterprise compliance table (issue 22) count each
enterprise's inspections, violations, last inspection, fines and open rectification orders
without reading the inspections' rows (which hold their findings): 0.7 s a page at 100,000
records before, about 0.1 s after.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDER = (
    "withdrawn_at IS NULL AND outcome = 'rectification_ordered' "
    "AND follow_up_zh IS NULL AND follow_up_en IS NULL"
)


def upgrade() -> None:
    op.create_table(
        "penalty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("enterprise_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("authority_zh", sa.String(length=300), nullable=False),
        sa.Column("authority_en", sa.String(length=300), nullable=True),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_penalty_record_id", "penalty", ["record_id"], unique=False)
    op.create_index("ix_penalty_enterprise_id", "penalty", ["enterprise_id"], unique=False)
    # The compliance table reads its inspection figures from indexes alone (models/__init__.py).
    op.create_index(
        "ix_inspection_compliance",
        "inspection",
        ["enterprise_id", "withdrawn_at", "outcome", "inspected_on", "penalty_yuan"],
    )
    open_order = sa.text(OPEN_ORDER)
    op.create_index(
        "ix_inspection_open_order",
        "inspection",
        ["enterprise_id"],
        sqlite_where=open_order,
        postgresql_where=open_order,
    )


def downgrade() -> None:
    op.drop_index("ix_inspection_open_order", table_name="inspection")
    op.drop_index("ix_inspection_compliance", table_name="inspection")
    op.drop_index("ix_penalty_enterprise_id", table_name="penalty")
    op.drop_index("ix_penalty_record_id", table_name="penalty")
    op.drop_table("penalty")
