"""The migrations build exactly the schema the models describe (no create_all anywhere)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import portal.models  # noqa: F401
from portal.db import get_engine, is_migrated
from portal.search.pg.tables import TABLES as SEARCH_TABLES


def _models_only(name: str | None, type_: str, _parents: object) -> bool:
    """The search engine's tables (PostgreSQL only) are compared in tests/search."""
    return not (type_ == "table" and name in SEARCH_TABLES)


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = get_engine(database_url)
    assert is_migrated(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _models_only}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
