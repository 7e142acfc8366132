"""disclosure figures beyond pollutants

A disclosure's figure is an item, a value and a unit of data/units.csv; the pollutant and the
site are optional (issue 21: an environmental-protection investment in 万元, t CO2e of carbon
emissions, m³ of wastewater, staff trained, MWh). Two columns name the item; `pollutant` and
`site_zh` become nullable. Batch mode, so SQLite copies the table with its indexes.

Downgrading needs every figure to have a pollutant and a site: figures without one are deleted
(they could not be stored before this revision).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure_figure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_zh", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("item_en", sa.String(length=200), nullable=True))
        batch_op.alter_column("site_zh", existing_type=sa.String(length=200), nullable=True)
        batch_op.alter_column(
            "pollutant", existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True
        )


def downgrade() -> None:
    op.execute("DELETE FROM disclosure_figure WHERE pollutant IS NULL OR site_zh IS NULL")
    with op.batch_alter_table("disclosure_figure", schema=None) as batch_op:
        batch_op.alter_column(
            "pollutant", existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        )
        batch_op.alter_column("site_zh", existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column("item_en")
        batch_op.drop_column("item_zh")
