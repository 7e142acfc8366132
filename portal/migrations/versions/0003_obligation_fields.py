"""obligations: enterprise flags and designations, inspection sanctions and decision date

Existing rows get the defaults (not listed, no bonds, no designations, no sanctions).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:39:51.162501
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (with a constant default) on every engine: SQLite's batch mode would copy
    # and drop `enterprise`, which other tables' foreign keys refer to.
    op.add_column('enterprise', sa.Column('listed_company', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('enterprise', sa.Column('bond_issuer', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('enterprise', sa.Column('designations', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column('inspection', sa.Column('sanctions', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column('inspection', sa.Column('decided_on', sa.Date(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN is native in SQLite since 3.35, and these columns carry no index or key.
    op.drop_column('inspection', 'decided_on')
    op.drop_column('inspection', 'sanctions')
    op.drop_column('enterprise', 'designations')
    op.drop_column('enterprise', 'bond_issuer')
    op.drop_column('enterprise', 'listed_company')
