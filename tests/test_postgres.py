"""The CLI path on PostgreSQL (psycopg 3): init, load the sample, import again idempotently.

Runs against PORTAL_TEST_DATABASE_URL's server, or a local server on 127.0.0.1:5432; skips when
there is none, unless PORTAL_REQUIRE_SERVICES names postgresql (CI), which makes it fail."""

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from conftest import pg_database
from portal.cli import main


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_database("cw_cli") as url:
        yield url


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
