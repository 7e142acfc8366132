"""provenance: recorded and published times

Keeps three times apart (issue 21, decision 0029): when a record's fact happened (its own
fields), when it was published and by whom, and when this portal recorded it.

- Every record table gains `recorded_at` (when the portal last wrote the record), and
  `updated_at` becomes the record's last real change: its publication, or its last correction
  or withdrawal. Feeds list by (recorded_at, updated_at, id), hence that index.
- `first_published_by_zh` / `_en` name who published a record first when that was not its
  publisher; `entered_by` says who entered it here: `publisher` (its own clerk) or `editor`
  (compiled from the public sources the record names).
- `revision.published_at`: when what the revision says was published (a record's first
  publication keeps its own time; a correction is published when it is recorded).

Existing rows: `recorded_at` takes the old `updated_at` (it was the time of the last write). A
record never corrected last changed when it was published, so its `updated_at` becomes its
`published_at`, and its first revision's `published_at` too; later revisions were published
when they were recorded.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 20:30:00.000000
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "department": "departments",
    "disclosure": "disclosures",
    "enterprise": "enterprises",
    "incident": "incidents",
    "inspection": "inspections",
    "response": "responses",
}
UTC_TIME = sqlmodel.sql.sqltypes.UTCDateTime()
# SQLite's batch mode copies `incident` and cannot carry its expression indexes (0011): made again.
DATED = "coalesce(began_at, found_at, published_at)"
INCIDENT_INDEXES = (
    ("ix_incident_dated_id", ()),
    ("ix_incident_province_dated_id", ("province",)),
    ("ix_incident_status_dated_id", ("status",)),
)


@contextmanager
def _batch(table: str) -> Iterator[Any]:
    """Alter a table in batch mode; SQLite's copy of `incident` leaves its expression indexes
    out with a warning (they are made again by _incident_indexes)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table(table, schema=None) as batch_op:
            yield batch_op


def _incident_indexes() -> None:
    for name, filters in INCIDENT_INDEXES:
        columns = ", ".join([*filters, DATED, "id"])
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON incident ({columns})")


def upgrade() -> None:
    with _batch("revision") as batch_op:
        batch_op.add_column(sa.Column("published_at", UTC_TIME, nullable=True))
    op.execute("UPDATE revision SET published_at = at WHERE number > 1")
    for table, kind in TABLES.items():
        with _batch(table) as batch_op:
            batch_op.add_column(sa.Column("recorded_at", UTC_TIME, nullable=True))
            batch_op.add_column(
                sa.Column("first_published_by_zh", sa.String(length=200), nullable=True)
            )
            batch_op.add_column(
                sa.Column("first_published_by_en", sa.String(length=200), nullable=True)
            )
            batch_op.add_column(
                sa.Column(
                    "entered_by",
                    sa.String(length=16),
                    nullable=False,
                    server_default="publisher",
                )
            )
        op.execute(f"UPDATE {table} SET recorded_at = updated_at")  # noqa: S608  # nosec B608
        op.execute(
            f"UPDATE {table} SET updated_at = published_at WHERE revision = 1"  # noqa: S608  # nosec B608
        )
        op.execute(
            f"UPDATE revision SET published_at = (SELECT published_at FROM {table} "  # noqa: S608  # nosec B608
            f"WHERE {table}.id = revision.record_id) WHERE number = 1 AND kind = '{kind}'"
        )
        with _batch(table) as batch_op:
            batch_op.alter_column("recorded_at", existing_type=UTC_TIME, nullable=False)
            batch_op.create_index(
                f"ix_{table}_recorded_updated_id",
                ["recorded_at", "updated_at", "id"],
                unique=False,
            )
    _incident_indexes()


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"UPDATE {table} SET updated_at = recorded_at")  # noqa: S608  # nosec B608
        with _batch(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_recorded_updated_id")
            batch_op.drop_column("entered_by")
            batch_op.drop_column("first_published_by_en")
            batch_op.drop_column("first_published_by_zh")
            batch_op.drop_column("recorded_at")
    _incident_indexes()
    with _batch("revision") as batch_op:
        batch_op.drop_column("published_at")
