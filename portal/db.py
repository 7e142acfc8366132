"""Engine and session lifecycle; migrations through Alembic."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, request
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or its URL cannot be used; the message says which."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# A database that does not answer, or a row another transaction holds, fails a request after a
# few seconds (a 503 with Retry-After) instead of holding it, and its worker, indefinitely.
# SQLite's counterpart is its busy_timeout above.
CONNECT_TIMEOUT = 5  # seconds to open a connection
LOCK_TIMEOUT_MS = 5000  # waiting for another transaction's lock
_PG_CONNECT = {
    "connect_timeout": CONNECT_TIMEOUT,
    "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
}

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(url: str) -> Engine:
    """Return the one engine for a database URL (SQLite gets foreign keys and WAL)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = _create(url)
        return engine


def dispose_engine(url: str) -> None:
    """Close every pooled connection of a URL's engine and forget it."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def _create(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args=_PG_CONNECT)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseUnavailable(f"The database URL {redact(url)!r} is not usable: {exc}") from exc
    return engine


def redact(url: str) -> str:
    """Hide a password in a database URL before it is shown to anyone."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        return f"{scheme}://{creds}@{host}"
    return url


def check_connection(engine: Engine) -> None:
    """Open one connection, or raise DatabaseUnavailable with one readable line."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"Cannot reach the database at {redact(str(engine.url))}: {reason}"
        ) from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Any:
    """Alembic configuration pointing at the portal's migrations and the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    engine = get_engine(url)
    check_connection(engine)
    command.upgrade(alembic_config(url), "head")


def is_migrated(engine: Engine) -> bool:
    """True when the database carries the portal's schema."""
    return inspect(engine).has_table("alembic_version")


def init_app(app: Flask) -> None:
    """Give each request a session (g.db) that is closed at teardown."""

    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()

    app.teardown_appcontext(close_session)
    app.before_request(_refuse_nul_in_path)


def _refuse_nul_in_path() -> None:
    """No address of the portal holds a NUL, and PostgreSQL text cannot: a path with one is a
    404 before an id taken from it reaches a query (query-string values are refused with a
    sentence by the filters' own parsing)."""
    if "\x00" in request.path:
        abort(404)


def request_session(app: Flask) -> Session:
    """The request's session, opened on first use."""
    if "db" not in g:
        g.db = Session(get_engine(app.config["DATABASE_URL"]), expire_on_commit=False)
    session: Session = g.db
    return session
