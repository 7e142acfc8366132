"""The CLI path on PostgreSQL (psycopg 3): init, load the sample, import again idempotently.

Runs against PORTAL_TEST_DATABASE_URL's server, or a local server on 127.0.0.1:5432; skips when
there is none, unless PORTAL_REQUIRE_SERVICES names postgresql (CI), which makes it fail."""

import os
import re
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from conftest import need
from portal.cli import main
from portal.db import dispose_engine

SERVER = (
    os.environ.get("PORTAL_TEST_DATABASE_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def pg_url() -> Iterator[str]:
    server = make_url(SERVER)
    params = {
        "host": server.host,
        "port": server.port or 5432,
        "user": server.username,
        "password": server.password,
        "dbname": server.database,
        "autocommit": True,
    }
    try:
        admin = psycopg.connect(**params, connect_timeout=3)
    except psycopg.OperationalError as exc:
        need("postgresql", f"no PostgreSQL server at {server.host}:{server.port}: {exc}")
    name = f"cw_cli_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    yield url
    dispose_engine(url)
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_cli_on_postgresql(pg_url: str) -> None:
    env = {"PORTAL_DATABASE_URL": pg_url}
    runner = CliRunner()
    assert runner.invoke(main, ["init"], env=env).exit_code == 0
    loaded = runner.invoke(main, ["load-sample"], env=env)
    assert loaded.exit_code == 0, loaded.output
    new = int(re.search(r"Sample loaded: (\d+) new", loaded.output).group(1))  # type: ignore[union-attr]
    assert new > 400
    again = runner.invoke(main, ["load-sample"], env=env)
    assert f"0 new, {new} already there" in again.output
