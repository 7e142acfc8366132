"""change log version

Every revision gets its place in the change log (`revision.version`), handed out by a one-row
counter (`change_counter`) under its row lock, so that the log follows commit order: on
PostgreSQL serial ids do not, and a revision with a lower id committed late was never indexed.
Existing revisions keep their order: their version is their id (decision 0016).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.BigInteger(), nullable=True))
    # Revisions written so far were committed in their ids' order as far as anyone can tell
    # now (an index or cache built from them used the ids), so the ids are their versions.
    op.execute("UPDATE revision SET version = id")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.alter_column("version", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index("ix_revision_version", ["version"], unique=True)
    op.execute(
        "INSERT INTO change_counter (id, version) SELECT 1, COALESCE(MAX(version), 0) FROM revision"
    )


def downgrade() -> None:
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index("ix_revision_version")
        batch_op.drop_column("version")
    op.drop_table("change_counter")
