"""Alembic environment: the portal's models are the target; SQLite gets batch mode for ALTERs."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import portal.models  # noqa: F401  (registers every table on SQLModel.metadata)
from portal.db import get_engine

config = context.config
target_metadata = SQLModel.metadata
# PostgreSQL's search tables belong to the search engine (portal/search/pg/tables.py, migration
# 0008), not to the models: autogenerate must not offer to drop them.
SEARCH_TABLES = frozenset({"search_document", "search_word"})


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Compare every table but the search engine's."""
    return not (type_ == "table" and name in SEARCH_TABLES)


def run_migrations_offline() -> None:
    """Emit SQL to stdout without a connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on the configured database in one transaction."""
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = get_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table and drops the old one, which SQLite refuses while other
            # tables' foreign keys refer to it. Off for the migration (the pragma does nothing
            # inside a transaction, so before it), every key checked after it, then on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_name=include_name,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(
                            f"the migration left {len(broken)} rows whose foreign keys point "
                            f"nowhere (first: {tuple(broken[0])}); nothing was changed"
                        )
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
