"""Every test gets its own migrated database (SQLite, or PostgreSQL when PORTAL_TEST_DATABASE_URL
is set), an app, a client and a CLI runner. Migrating once per worker and copying keeps it fast."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from portal import create_app
from portal.cli import main as portal_cli
from portal.db import dispose_engine, get_engine, upgrade
from portal.search import SearchService

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
# No test may touch the project's own index: anything that forgets its own folder gets this one.
os.environ["PORTAL_INDEX_DIR"] = tempfile.mkdtemp(prefix="clearwater-index-")
REQUIRED = {s.strip() for s in os.environ.get("PORTAL_REQUIRE_SERVICES", "").split(",") if s}
_counter = itertools.count()
# For tests of the Whoosh index itself (its folder, its rebuild): on PostgreSQL, search lives in
# the database and an app has no index folder to lose or damage.
whoosh_only = pytest.mark.skipif(
    bool(PG_URL), reason="PostgreSQL searches its own full text, without an index folder"
)


def need(service: str, reason: str) -> None:
    """Skip for a missing service, unless CI said it must be there (then fail)."""
    if service in REQUIRED or "all" in REQUIRED:
        pytest.fail(f"{service} is required here (PORTAL_REQUIRE_SERVICES) but {reason}")
    pytest.skip(reason)


def _admin(url: str) -> psycopg.Connection[Any]:
    u = make_url(url)
    return psycopg.connect(
        host=u.host,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=u.database,
        autocommit=True,
        connect_timeout=3,
    )


# The server of the tests that need PostgreSQL even when the suite runs on SQLite (commit order,
# search on PostgreSQL, two nodes): the suite's own, or the local one.
PG_SERVER = PG_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pg_admin(server: str = PG_SERVER) -> psycopg.Connection[Any]:
    """An autocommit connection to the server's maintenance database; skips (or, where CI
    requires PostgreSQL, fails) when there is no server."""
    try:
        return _admin(server)
    except psycopg.OperationalError as exc:
        u = make_url(server)
        need("postgresql", f"no PostgreSQL server at {u.host}:{u.port}: {exc}")
        raise


def pg_database_url(name: str, server: str = PG_SERVER) -> str:
    """The URL of database `name` on the server."""
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pg_drop(url: str) -> None:
    """Let go of the database's connections and drop it."""
    dispose_engine(url)
    with pg_admin(pg_database_url("postgres", url)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@contextmanager
def pg_database(prefix: str, server: str = PG_SERVER, template: str | None = None) -> Iterator[str]:
    """A new, empty (or `template`'s copy) database of its own on the server; dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with pg_admin(server) as admin:
        copy = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    url = pg_database_url(name, server)
    try:
        yield url
    finally:
        pg_drop(url)


def _pg_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


class Databases:
    """Makes fresh databases from a migrated template, on SQLite or PostgreSQL."""

    def __init__(self, root: Path, worker: str) -> None:
        self.root = root
        self.worker = worker.replace("gw", "w")
        self.templates: dict[str, str] = {}

    def template(self, name: str, fill: Any = None) -> str:
        """A migrated (and optionally filled) template database, made once per worker."""
        if name in self.templates:
            return self.templates[name]
        if PG_URL:
            db = f"cwt_{name}_{self.worker}_{os.getpid()}"
            with _admin(PG_URL) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
                conn.execute(f'CREATE DATABASE "{db}"')
            url = _pg_url(db)
        else:
            url = f"sqlite:///{self.root / f'template-{name}.db'}"
        upgrade(url)
        if fill:
            fill(url)
        dispose_engine(url)
        self.templates[name] = url
        return url

    def fresh(self, template: str, tmp_path: Path) -> str:
        """A new database copied from a template."""
        if PG_URL:
            db = f"cw_{self.worker}_{os.getpid()}_{next(_counter)}"
            source = make_url(template).database
            with _admin(PG_URL) as conn:
                conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{source}"')
            return _pg_url(db)
        target = tmp_path / "portal.db"
        shutil.copyfile(make_url(template).database or "", target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """Forget a test database."""
        dispose_engine(url)
        if PG_URL:
            with _admin(PG_URL) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        """Drop the templates."""
        for url in self.templates.values():
            self.drop(url)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """The per-worker database maker."""
    if PG_URL:
        try:
            _admin(PG_URL).close()
        except psycopg.OperationalError as exc:
            pytest.exit(f"PORTAL_TEST_DATABASE_URL is set but unreachable: {exc}", returncode=1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    dbs = Databases(tmp_path_factory.mktemp("databases"), worker)
    yield dbs
    dbs.close()


def portal_like(app: Flask, **config: Any) -> Flask:
    """Another portal on the same database and index as `app`, with other settings (its rate
    limits start afresh: the RATELIMIT_* settings are not carried over)."""
    settings_ = {k: v for k, v in app.config.items() if not k.startswith("RATELIMIT_")}
    return create_app({**settings_, **config})


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of the fuzzing tests: `examples` inputs, the same ones every run
    (derandomized, no example database), no deadline and no health checks (each example is a
    request to, or an import into, a real portal)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


def table_counts(url: str) -> dict[str, int]:
    """Rows in every table of the portal's database (the migration marker aside)."""
    engine = get_engine(url)
    meta = MetaData()
    with warnings.catch_warnings():  # SQLite cannot reflect expression indexes (0011)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in meta.tables.items()
            if name != "alembic_version"
        }


def _load_sample(url: str) -> None:
    result = CliRunner().invoke(portal_cli, ["load-sample"], env={"PORTAL_DATABASE_URL": url})
    assert result.exit_code == 0, result.output


@pytest.fixture
def database_url(databases: Databases, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for this test."""
    url = databases.fresh(databases.template("empty"), tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def sample_url(databases: Databases, tmp_path: Path) -> Iterator[str]:
    """A fresh database holding the sample data set."""
    url = databases.fresh(databases.template("sample", _load_sample), tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on the test's empty database."""
    with Session(get_engine(database_url), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def sample_session(sample_url: str) -> Iterator[Session]:
    """A session on the test's sample database."""
    with Session(get_engine(sample_url), expire_on_commit=False) as s:
        yield s


def _app(url: str, index_dir: Path) -> Flask:
    # Tests build indexes on purpose; an app never starts a rebuild thread of its own here.
    return create_app(
        {
            "DATABASE_URL": url,
            "INDEX_DIR": str(index_dir),
            "TESTING": True,
            "SEARCH_REBUILD_ON_START": False,
        }
    )


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """This test's own search index folder (empty until something builds it)."""
    return tmp_path / "index"


@pytest.fixture
def app(database_url: str, index_dir: Path) -> Flask:
    """The portal on the empty database."""
    return _app(database_url, index_dir)


@pytest.fixture(scope="session")
def sample_index_template(databases: Databases) -> Path:
    """The sample database's search index, built once per worker."""
    template = databases.template("sample", _load_sample)
    folder = databases.root / "index-sample"
    if not (folder / "userwords.txt").exists():
        SearchService(folder, template).rebuild(procs=1)
        dispose_engine(template)
    return folder


@pytest.fixture
def sample_index(sample_url: str, sample_index_template: Path, index_dir: Path) -> Path:
    """This test's copy of the sample index (it matches the sample database's revisions)."""
    shutil.copytree(sample_index_template, index_dir)
    return index_dir


@pytest.fixture
def sample_app(sample_url: str, sample_index: Path) -> Flask:
    """The portal on the sample database, with its search index."""
    return _app(sample_url, sample_index)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the empty portal."""
    return app.test_client()


@pytest.fixture
def sample_client(sample_app: Flask) -> FlaskClient:
    """A test client of the portal with the sample data."""
    return sample_app.test_client()


class Portal:
    """Runs the `portal` command against one database, as a user would from a shell."""

    def __init__(self, url: str, index_dir: Path) -> None:
        self.url = url
        self.env = {"PORTAL_DATABASE_URL": url, "PORTAL_INDEX_DIR": str(index_dir)}
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Any:
        return self.runner.invoke(portal_cli, list(args), env=self.env, catch_exceptions=False)


@pytest.fixture
def portal(database_url: str, index_dir: Path) -> Portal:
    """The CLI against the test's empty database."""
    return Portal(database_url, index_dir)


@pytest.fixture
def sample_portal(sample_url: str, index_dir: Path) -> Portal:
    """The CLI against the test's sample database."""
    return Portal(sample_url, index_dir)
