"""moderator sessions

A moderator's sign-in is a row on the server (its id's hash, its token, when it began, was last
seen and ended), so that signing out, or revoking the token, ends it for every copy of the
cookie.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderator_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_why", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    with op.batch_alter_table("moderator_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderator_session_token_id"), ["token_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("moderator_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderator_session_token_id"))
    op.drop_table("moderator_session")
