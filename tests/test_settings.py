"""Every setting is read from its PORTAL_* variable and checked at start (issue 23): an operator
sets the rate limits and the cache's bounds like anything else, and a wrong value stops the
portal with a sentence naming the variable, the value and what it should be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from portal import create_app
from portal.cli import main
from portal.config import SETTINGS, ConfigError

WRONG_SIZE = (
    "PORTAL_RENDER_CACHE_MAX_BYTES must be a whole number from 0 to 1073741824, not 'lots'."
)


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, database_url: str, index_dir: Path) -> dict[str, str]:
    """An operator's environment on the test's database: no other PORTAL_ variable leaks in."""
    for name in [n for n in os.environ if n.startswith("PORTAL_")]:
        monkeypatch.delenv(name)
    env = {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INDEX_DIR": str(index_dir),
        "PORTAL_SEARCH_REBUILD_ON_START": "false",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _portal_from(monkeypatch: pytest.MonkeyPatch, **variables: str) -> Flask:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return create_app()  # as wsgi.py and gunicorn build it: no test overrides


def test_the_api_rate_limit_is_read_from_the_environment(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _portal_from(monkeypatch, PORTAL_API_RATE_LIMIT="5/minute").test_client()
    answers = [client.get("/api/v1/departments") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0].headers["RateLimit-Limit"] == "5"
    assert answers[5].headers["Retry-After"]


def test_the_assistant_limit_is_read_from_the_environment(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _portal_from(monkeypatch, PORTAL_ASK_RATE_LIMIT="2 per hour").test_client()
    answers = [client.post("/api/v1/ask", json={"question": "镉"}) for _ in range(3)]
    assert [a.status_code == 429 for a in answers] == [False, False, True]
    assert answers[2].get_json()["problems"] == ["The assistant answers 2 per hour per address."]


def test_a_wrong_value_stops_create_app_with_a_sentence(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError) as refused:
        _portal_from(monkeypatch, PORTAL_RENDER_CACHE_MAX_BYTES="lots")
    assert str(refused.value) == WRONG_SIZE


def test_every_wrong_value_is_named_at_once(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError) as refused:
        _portal_from(monkeypatch, PORTAL_API_RATE_LIMIT="fast", PORTAL_RENDER_CACHE="maybe")
    assert str(refused.value) == (
        "PORTAL_API_RATE_LIMIT must be a rate such as 300/minute or 5 per hour (one rate, at "
        "least 1), not 'fast'. PORTAL_RENDER_CACHE must be true or false (also 1/0, yes/no, "
        "on/off), not 'maybe'."
    )


def test_portal_config_stops_on_a_wrong_value(environ: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["config"], env={"PORTAL_RENDER_CACHE_MAX_BYTES": "lots"})
    assert result.exit_code == 1
    assert result.stderr == f"error: {WRONG_SIZE}\n"


def test_portal_run_stops_on_a_wrong_value_before_serving(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("the portal was served")

    monkeypatch.setattr(Flask, "run", serve)
    CliRunner().invoke(main, ["init"])
    result = CliRunner().invoke(main, ["run"], env={"PORTAL_RENDER_CACHE_MAX_BYTES": "lots"})
    assert result.exit_code == 1
    assert result.stderr == f"error: {WRONG_SIZE}\n"


def test_portal_config_lists_every_setting_in_effect_and_hides_keys(
    environ: dict[str, str],
) -> None:
    env = {
        "PORTAL_API_RATE_LIMIT": "5/minute",
        "PORTAL_SECRET_KEY": "k3y-never-shown",
        "PORTAL_REDIS_URL": "redis://:pa55word@127.0.0.1:6379/0",
        "PORTAL_RATELIMIT_ENABLED": "no",
        "PORTAL_TYPO_LIMIT": "1",
    }
    result = CliRunner().invoke(main, ["config"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [s.name for s in SETTINGS]
    shown = dict(line.split("=", 1) for line in lines)
    assert shown["PORTAL_API_RATE_LIMIT"] == "5/minute  # from the environment"
    assert shown["PORTAL_SECRET_KEY"] == "<set, not shown>  # from the environment"
    assert shown["PORTAL_REDIS_URL"] == "redis://:***@127.0.0.1:6379/0  # from the environment"
    assert shown["PORTAL_RATELIMIT_ENABLED"] == "false  # from the environment"
    assert shown["PORTAL_PAGE_SIZE"] == "50" and shown["PORTAL_REDIS_TIMEOUT"] == "0.5"
    assert "k3y-never-shown" not in result.output and "pa55word" not in result.output
    assert "note: PORTAL_TYPO_LIMIT is set but the portal has no such setting" in result.stderr
