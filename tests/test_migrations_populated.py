"""Migrations run on databases that hold records, not only on empty ones.

Migration 0003 once failed on a populated SQLite database: batch mode copied `enterprise` and
could not drop the old table, which incidents and inspections refer to."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from portal.db import alembic_config, dispose_engine, get_engine

TABLES = ("enterprise", "incident", "inspection", "disclosure", "department", "revision")


def _counts(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def test_down_to_the_first_publishing_schema_and_back_keeps_every_row(sample_url: str) -> None:
    before = _counts(sample_url)
    assert before["enterprise"] > 0 and before["incident"] > 0
    config = alembic_config(sample_url)
    command.downgrade(config, "0002")
    dispose_engine(sample_url)
    with get_engine(sample_url).connect() as conn:
        columns = set(conn.execute(text("SELECT * FROM enterprise LIMIT 1")).keys())
    assert "listed_company" not in columns
    command.upgrade(config, "head")
    dispose_engine(sample_url)
    assert _counts(sample_url) == before
    with get_engine(sample_url).connect() as conn:
        listed = conn.execute(
            text("SELECT count(*) FROM enterprise WHERE listed_company")
        ).scalar_one()
        designations = conn.execute(
            text("SELECT designations FROM enterprise LIMIT 1")
        ).scalar_one()
    assert listed == 0  # existing rows take the defaults
    assert designations in ("[]", [])
