"""The migrations build exactly the schema the models describe (no create_all anywhere)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import portal.models  # noqa: F401
from portal.db import get_engine, is_migrated


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = get_engine(database_url)
    assert is_migrated(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
