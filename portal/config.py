"""Every setting of the portal in one table, read from PORTAL_* environment variables.

Each row names the variable, its default, its help and its kind (portal/configtypes.py); the
app's config key is the name without PORTAL_ (PORTAL_API_RATE_LIMIT is API_RATE_LIMIT in
app.config, where a test may override it). `load_settings` reads and checks them all before
anything starts, so a wrong value stops `portal`, `create_app` and gunicorn with a sentence
naming the variable, the value and what it should be. docs/configuration.md describes every
row (tests/test_docs.py) and `portal config` prints the values in effect.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from limits.strategies import STRATEGIES

from portal.configtypes import (
    Address,
    Choice,
    DatabaseUrl,
    Day,
    Flag,
    Rate,
    Seconds,
    Setting,
    Settings,
    Unusable,
    Whole,
)
from portal.layout import INDEX_DIR, STATE_DIR

KIB, MIB, GIB = 1024, 1024**2, 1024**3
ON = "true"
WEB = Address(("http", "https"), "https://clearwater.example.org")

# The one table of settings. docs/configuration.md must describe every row (tests/test_docs.py).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "PORTAL_DATABASE_URL",
        f"sqlite:///{STATE_DIR / 'clearwater.db'}",
        "SQLAlchemy URL of the records database. SQLite file under data/ by default; "
        "PostgreSQL as postgresql+psycopg://user@host:5432/name.",
        DatabaseUrl(),
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
        "Key that signs sessions and forms. Empty means a random key per process, fine for one "
        "process; gunicorn with more than one worker refuses to start without it.",
        secret=True,
    ),
    Setting(
        "PORTAL_BASE_URL",
        "",
        "Public address of the portal (https://example.org) used in links that leave the "
        "request, such as the CLI's output. Empty means links are relative to each request.",
        WEB,
    ),
    Setting(
        "PORTAL_PAGE_SIZE",
        "50",
        "Records per page of a listing when the request does not say.",
        Whole(1, 1000),
    ),
    Setting(
        "PORTAL_REDIS_URL",
        "",
        "Redis that keeps the rate-limit counters and the rendered listings and feeds, shared "
        "by every worker and node. Empty means counters and cache in each process's memory.",
        Address(("redis", "rediss"), "redis://127.0.0.1:6379/0"),
    ),
    Setting(
        "PORTAL_REDIS_TIMEOUT",
        "0.5",
        "Seconds to wait for Redis to connect or answer before the request goes on without it.",
        Seconds(0.01, 60),
    ),
    Setting(
        "PORTAL_REDIS_RETRY_AFTER",
        "30",
        "Seconds a Redis that failed is left alone: meanwhile each process counts rate limits "
        "and keeps rendered pages in its own memory, then asks Redis again.",
        Seconds(0.1, 3600),
    ),
    Setting(
        "PORTAL_MAX_BODY_BYTES",
        str(2 * MIB),
        "Largest body the write API reads (2 MiB holds an incident with 2,000 readings); a "
        "larger one is a 413. Publish large sets with `portal import`.",
        Whole(KIB, GIB),
    ),
    Setting(
        "PORTAL_MAX_QUESTION_BYTES",
        str(512 * KIB),
        "Largest body of POST /api/v1/ask (a question and 20 earlier turns of 4,000 characters "
        "fit even with every character escaped as \\uXXXX).",
        Whole(KIB, GIB),
    ),
    Setting(
        "PORTAL_MAX_FORM_BYTES",
        str(256 * KIB),
        "Largest form the pages accept (a tip, a question on /ask, a moderation decision), and "
        "the most any other address reads.",
        Whole(KIB, GIB),
    ),
    Setting(
        "PORTAL_MAX_FORM_PARTS",
        "50",
        "Most fields one multipart form may carry (the tip form has ten); more is a 413.",
        Whole(1, 10_000),
    ),
    Setting(
        "PORTAL_MODERATOR_SESSION_HOURS",
        "8",
        "Hours a moderator's sign-in lasts; signing out, or revoking or expiring the token, "
        "ends it at once on the server.",
        Whole(1, 720),
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
        "Domain in the tag URIs that identify feed entries; set it once and never change it. "
        "Empty means the host of PORTAL_BASE_URL, else localhost.",
    ),
    Setting(
        "PORTAL_SMTP_URL",
        "",
        "SMTP relay that email alerts go through: smtp://host:25 (plain), smtp+starttls://"
        "user:password@host:587 or smtps://user:password@host:465. Empty means no email alerts.",
        Address(("smtp", "smtp+starttls", "smtps"), "smtp+starttls://user:pass@mail.example:587"),
        secret=True,
    ),
    Setting(
        "PORTAL_ALERTS_FROM",
        "",
        "Sender of alert mails (alerts@example.org, or Clearwater <alerts@example.org>); "
        "required with PORTAL_SMTP_URL.",
    ),
    Setting(
        "PORTAL_ALERT_RATE_LIMIT",
        "3 per hour",
        "Alert requests (each mails a confirmation link) one email address may receive, and "
        "one client address may make; beyond it, 429.",
        Rate(),
    ),
    Setting(
        "PORTAL_ALERT_CONFIRM_HOURS",
        "48",
        "Hours a confirmation link lasts; an alert nobody confirmed is deleted, address and all.",
        Whole(1, 720),
    ),
    Setting(
        "PORTAL_ALERT_POLL_SECONDS",
        "60",
        "Seconds `portal alerts worker` waits between looks for new records when no publication "
        "wakes it (without Redis, or while Redis is away).",
        Seconds(1, 3600),
    ),
    Setting(
        "PORTAL_LLM_BASE_URL",
        "",
        "OpenAI-compatible server (Ollama, vLLM, llama.cpp) the /ask assistant writes its "
        "answers with. Empty means the offline mode: answers quote the records' sentences.",
        Address(("http", "https"), "http://127.0.0.1:11434/v1"),
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
        secret=True,
    ),
    Setting(
        "PORTAL_API_RATE_LIMIT",
        "300 per minute",
        "Requests one client address may make to /api/v1 and the feeds (one budget); beyond "
        "it, 429 with Retry-After.",
        Rate(),
    ),
    Setting(
        "PORTAL_API_DOWNLOAD_COST",
        "10",
        "Requests of that budget a whole-set download (CSV, NDJSON, Parquet) counts as at "
        "most: it costs one request, and one more for each PORTAL_API_DOWNLOAD_BYTES it sends.",
        Whole(1, 10_000),
    ),
    Setting(
        "PORTAL_API_DOWNLOAD_BYTES",
        "1048576",
        "Bytes of a download that count as one more request of the budget, up to "
        "PORTAL_API_DOWNLOAD_COST; a 304 or a HEAD sends none and costs one request.",
        Whole(1024, 1 << 40),
    ),
    Setting(
        "PORTAL_ASK_RATE_LIMIT",
        "",
        "Questions one client address may ask (/ask and /api/v1/ask together). Empty means the "
        "API's limit divided by 15: 20 a minute.",
        Rate(optional=True),
    ),
    Setting(
        "PORTAL_TIP_RATE_LIMIT",
        "5 per hour",
        "Tips one client address may send.",
        Rate(),
    ),
    Setting(
        "PORTAL_RATELIMIT_STRATEGY",
        "moving-window",
        "How the `limits` library counts a window; moving-window allows no burst at its edge.",
        Choice(tuple(sorted(STRATEGIES))),
    ),
    Setting(
        "PORTAL_RATELIMIT_KEY_PREFIX",
        "clearwater",
        "Prefix of the rate-limit counters' keys (two portals sharing one Redis need two).",
    ),
    Setting(
        "PORTAL_RATELIMIT_SWALLOW_ERRORS",
        ON,
        "A Redis that fails is counted around in memory (true), or its errors are 500s (false).",
        Flag(),
    ),
    Setting(
        "PORTAL_RATELIMIT_ENABLED",
        ON,
        "Whether the API's budget is counted; false lifts it (benchmarks, fuzzing).",
        Flag(),
    ),
    Setting(
        "PORTAL_RENDER_CACHE",
        ON,
        "Whether rendered listings and feeds are kept under the data's version for the next "
        "request; false renders every request afresh.",
        Flag(),
    ),
    Setting(
        "PORTAL_RENDER_CACHE_MAX_BYTES",
        str(512 * KIB),
        "Largest rendering kept (a listing with limit=1000 is not); with the threshold, this "
        "bounds each worker's cache whatever addresses a crawler invents.",
        Whole(0, GIB),
    ),
    Setting(
        "PORTAL_CACHE_THRESHOLD",
        "300",
        "Renderings each worker keeps in its own memory (without Redis, or while it is away).",
        Whole(1, 1_000_000),
    ),
    Setting(
        "PORTAL_CACHE_DEFAULT_TIMEOUT",
        "600",
        "Seconds a rendering is kept; a version key is never stale, this only frees room.",
        Whole(0, 30 * 86_400),
    ),
    Setting(
        "PORTAL_CACHE_KEY_PREFIX",
        "clearwater:",
        "Prefix of the rendered pages' keys in Redis (two portals sharing one Redis need two).",
    ),
    Setting(
        "PORTAL_API_KEEP_ANSWERS",
        ON,
        "Answer unchanged single records from memory before Flask (decision 0015); false "
        "leaves every request to Flask.",
        Flag(),
    ),
    Setting(
        "PORTAL_SEARCH_REBUILD_ON_START",
        ON,
        "Rebuild a missing or unreadable Whoosh index in the background at start; false "
        "leaves it to `portal reindex`.",
        Flag(),
    ),
    Setting(
        "PORTAL_OBLIGATIONS_TODAY",
        "",
        "The day disclosure obligations are judged on, to look back. Empty means today in China.",
        Day(),
    ),
    Setting("PORTAL_WORKERS", "2", "gunicorn's worker processes: one per core.", Whole(1, 256)),
    Setting(
        "PORTAL_THREADS",
        "4",
        "Threads per gunicorn worker (gthread): they overlap waits on the database and Redis.",
        Whole(1, 1000),
    ),
    Setting("PORTAL_WSGI_APP", "wsgi:app", "What gunicorn serves (module:variable)."),
    Setting(
        "PORTAL_ACCESS_LOG", "", "gunicorn's access log: a file, - for stdout, empty for none."
    ),
    Setting(
        "PORTAL_LOG_LEVEL",
        "info",
        "gunicorn's log level.",
        Choice(("debug", "info", "warning", "error", "critical")),
    ),
)


class ConfigError(ValueError):
    """A setting has a value the portal cannot use."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting from the environment (or the mapping given); an empty
    variable is the default. Every wrong value is named in one ConfigError."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    wrong: list[str] = []
    for setting in SETTINGS:
        text = env.get(setting.name, "") or setting.default
        try:
            values[setting.key.lower()] = setting.kind(text)
        except Unusable:
            shown = "(not shown)" if setting.secret else repr(text)
            wrong.append(f"{setting.name} must be {setting.kind.expects}, not {shown}.")
    if values.get("llm_base_url") and not values.get("llm_model"):
        wrong.append("PORTAL_LLM_MODEL must name the model when PORTAL_LLM_BASE_URL is set.")
    if values.get("smtp_url") and not values.get("alerts_from"):
        wrong.append("PORTAL_ALERTS_FROM must give the sender when PORTAL_SMTP_URL is set.")
    if wrong:
        raise ConfigError(" ".join(wrong))
    return Settings(**values)


KEY_COMMAND = 'python -c "import secrets; print(secrets.token_hex(32))"'


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse several worker processes without PORTAL_SECRET_KEY: each would sign with its own
    random key, so a form or sign-in made by one worker fails on the next."""
    if workers > 1 and not settings.secret_key:
        raise ConfigError(
            f"PORTAL_SECRET_KEY must be set when gunicorn runs {workers} workers: without it "
            "each worker signs forms and sign-ins with its own random key, and another worker "
            f"refuses them. Make one with `{KEY_COMMAND}` and give every worker and node the "
            "same value (export PORTAL_SECRET_KEY=...)."
        )
