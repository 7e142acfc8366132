"""One Settings object, read from PORTAL_* environment variables, with embedded defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.layout import INDEX_DIR, STATE_DIR


@dataclass(frozen=True)
class Setting:
    """One configurable value: its environment name, default and help text."""

    name: str
    default: str
    help: str


# The one table of settings. docs/configuration.md must describe every row (tests/test_docs.py).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "PORTAL_DATABASE_URL",
        f"sqlite:///{STATE_DIR / 'clearwater.db'}",
        "SQLAlchemy URL of the records database. SQLite file under data/ by default; "
        "PostgreSQL as postgresql+psycopg://user@host:5432/name.",
    ),
    Setting(
        "PORTAL_INDEX_DIR",
        str(INDEX_DIR),
        "Folder of the Whoosh search index (SQLite only: on PostgreSQL, search lives in the "
        "database). It is rebuilt from the database when missing; give each node its own.",
    ),
    Setting(
        "PORTAL_SECRET_KEY",
        "",
        "Key that signs sessions and forms. Empty means a random key per process, "
        "which is fine for one process; set it when several workers serve the portal.",
    ),
    Setting(
        "PORTAL_BASE_URL",
        "",
        "Public address of the portal (https://example.org) used in links that leave the "
        "request, such as the CLI's output. Empty means links are relative to each request.",
    ),
    Setting(
        "PORTAL_PAGE_SIZE",
        "50",
        "Records per page of a listing when the request does not say.",
    ),
    Setting(
        "PORTAL_REDIS_URL",
        "",
        "Redis that keeps the API's rate-limit counters and the rendered listings and feeds, "
        "shared by every worker and node (redis://127.0.0.1:6379/0). Empty means counters "
        "and cache in each process's memory.",
    ),
    Setting(
        "PORTAL_REDIS_TIMEOUT",
        "0.5",
        "Seconds to wait for Redis to connect or answer before the request goes on without it "
        "(Redis answers in a millisecond when it is well).",
    ),
    Setting(
        "PORTAL_REDIS_RETRY_AFTER",
        "30",
        "Seconds a Redis that failed is left alone: meanwhile each process counts rate limits in "
        "its own memory and keeps rendered pages in its own cache, then asks Redis again. One "
        "log line says when it failed, one when it answers again.",
    ),
    Setting(
        "PORTAL_MAX_BODY_BYTES",
        "2097152",
        "Largest body the write API reads (2 MiB holds an incident with 2,000 readings). A "
        "larger one is a 413, refused before it is read, or cut off at the limit when it is "
        "sent without a Content-Length; publish large sets with `portal import`.",
    ),
    Setting(
        "PORTAL_MAX_QUESTION_BYTES",
        "524288",
        "Largest body of POST /api/v1/ask (512 KiB: a question and 20 earlier turns of 4,000 "
        "characters fit even with every character escaped as \\uXXXX).",
    ),
    Setting(
        "PORTAL_MAX_FORM_BYTES",
        "262144",
        "Largest form the pages accept (a tip, a question on /ask, a moderation decision), and "
        "the most any other address reads; a tip of 20,000 Chinese characters fits in 256 KiB.",
    ),
    Setting(
        "PORTAL_MAX_FORM_PARTS",
        "50",
        "Most fields one multipart form may carry (the tip form has ten); more is a 413.",
    ),
    Setting(
        "PORTAL_MODERATOR_SESSION_HOURS",
        "8",
        "Hours a moderator's sign-in lasts (1 to 720); then the moderator signs in again. "
        "Signing out, or revoking or expiring the token, ends it at once on the server.",
    ),
    Setting(
        "PORTAL_SNAPSHOT_DIR",
        str(STATE_DIR / "snapshots"),
        "Folder of the dated snapshots that `portal snapshot` writes and /api/v1/snapshots "
        "lists and serves.",
    ),
    Setting(
        "PORTAL_FEED_TAG_AUTHORITY",
        "",
        "Domain in the tag URIs that identify feed entries (tag:example.org,2026:INC-2012-0001). "
        "Set it once and never change it; empty means the host of PORTAL_BASE_URL, else "
        "localhost.",
    ),
    Setting(
        "PORTAL_LLM_BASE_URL",
        "",
        "Address of an OpenAI-compatible server (Ollama, vLLM, llama.cpp: "
        "http://127.0.0.1:11434/v1) that the /ask assistant writes its answers with. Empty "
        "means the offline mode: answers quote the records' own sentences.",
    ),
    Setting(
        "PORTAL_LLM_MODEL",
        "",
        "Name of the model on that server (qwen2.5:7b-instruct, say); required with "
        "PORTAL_LLM_BASE_URL.",
    ),
    Setting(
        "PORTAL_LLM_API_KEY",
        "",
        "Key the language-model server asks for, if any (local servers usually ask none).",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one portal process."""

    database_url: str
    index_dir: str
    secret_key: str = field(repr=False)  # keys never show in a log line or traceback
    base_url: str
    page_size: int
    redis_url: str = ""
    redis_timeout: float = 0.5
    redis_retry_after: float = 30.0
    max_body_bytes: int = 2 * 1024 * 1024
    max_question_bytes: int = 512 * 1024
    max_form_bytes: int = 256 * 1024
    max_form_parts: int = 50
    moderator_session_hours: int = 8
    snapshot_dir: str = str(STATE_DIR / "snapshots")
    feed_tag_authority: str = ""
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    extra: Mapping[str, Any] = field(default_factory=dict)


class ConfigError(ValueError):
    """A setting has a value the portal cannot use."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from the environment (or the mapping given), falling back to defaults."""
    env = os.environ if environ is None else environ
    values = {s.name: env.get(s.name, "") or s.default for s in SETTINGS}
    try:
        page_size = int(values["PORTAL_PAGE_SIZE"])
    except ValueError:
        raise ConfigError(
            f"PORTAL_PAGE_SIZE must be a whole number, not {values['PORTAL_PAGE_SIZE']!r}."
        ) from None
    if not 1 <= page_size <= 1000:
        raise ConfigError("PORTAL_PAGE_SIZE must be between 1 and 1000.")
    limits = {
        name: _number(values, f"PORTAL_{name.upper()}", kind, low, high)
        for name, kind, low, high in _NUMBERS
    }
    if values["PORTAL_LLM_BASE_URL"] and not values["PORTAL_LLM_MODEL"]:
        raise ConfigError("PORTAL_LLM_MODEL must name the model when PORTAL_LLM_BASE_URL is set.")
    return Settings(
        database_url=values["PORTAL_DATABASE_URL"],
        index_dir=values["PORTAL_INDEX_DIR"],
        secret_key=values["PORTAL_SECRET_KEY"],
        base_url=values["PORTAL_BASE_URL"].rstrip("/"),
        page_size=page_size,
        redis_url=values["PORTAL_REDIS_URL"],
        redis_timeout=limits["redis_timeout"],
        redis_retry_after=limits["redis_retry_after"],
        max_body_bytes=int(limits["max_body_bytes"]),
        max_question_bytes=int(limits["max_question_bytes"]),
        max_form_bytes=int(limits["max_form_bytes"]),
        max_form_parts=int(limits["max_form_parts"]),
        moderator_session_hours=int(limits["moderator_session_hours"]),
        snapshot_dir=values["PORTAL_SNAPSHOT_DIR"],
        feed_tag_authority=values["PORTAL_FEED_TAG_AUTHORITY"],
        llm_base_url=values["PORTAL_LLM_BASE_URL"].rstrip("/"),
        llm_model=values["PORTAL_LLM_MODEL"],
        llm_api_key=values["PORTAL_LLM_API_KEY"],
    )


# Numeric settings beside the page size: (field of Settings, its type, lowest, highest).
_NUMBERS: tuple[tuple[str, type[float], float, float], ...] = (
    ("redis_timeout", float, 0.01, 60),
    ("redis_retry_after", float, 0.1, 3600),
    ("max_body_bytes", int, 1024, 1024**3),
    ("max_question_bytes", int, 1024, 1024**3),
    ("max_form_bytes", int, 1024, 1024**3),
    ("max_form_parts", int, 1, 10_000),
    ("moderator_session_hours", int, 1, 720),
)


def _number(
    values: Mapping[str, str], name: str, kind: type[float], low: float, high: float
) -> float:
    """A numeric setting within its range, or ConfigError saying what is wrong."""
    try:
        value = kind(values[name])
    except ValueError:
        what = "a whole number" if kind is int else "a number of seconds"
        raise ConfigError(f"{name} must be {what}, not {values[name]!r}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, not {value:g}.")
    return value
