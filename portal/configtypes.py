"""What a setting is: a row of portal/config.py's table, the kind of value it takes, and the
Settings record they resolve to. Each kind reads the text of a PORTAL_* variable into the value
the portal uses, or says what it expects, so that a wrong value stops the start with a sentence
instead of failing on some later request."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Protocol
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class Unusable(ValueError):
    """The text cannot be read as the setting's kind of value."""


class Reader(Protocol):
    """Reads a setting's text; `expects` says, in words, what it reads."""

    @property
    def expects(self) -> str: ...

    def __call__(self, text: str) -> Any: ...


@dataclass(frozen=True)
class Text:
    """Any text, kept as it is (a folder, a key, a prefix)."""

    expects: str = "any text"

    def __call__(self, text: str) -> str:
        return text


@dataclass(frozen=True)
class Whole:
    """A whole number within bounds (a size in bytes, a count)."""

    low: int
    high: int

    @property
    def expects(self) -> str:
        return f"a whole number from {self.low} to {self.high}"

    def __call__(self, text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise Unusable from None
        if not self.low <= value <= self.high:
            raise Unusable
        return value


@dataclass(frozen=True)
class Seconds:
    """A number of seconds within bounds, fractions allowed."""

    low: float
    high: float

    @property
    def expects(self) -> str:
        return f"a number of seconds from {self.low:g} to {self.high:g}"

    def __call__(self, text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise Unusable from None
        if not self.low <= value <= self.high:  # NaN fails here too
            raise Unusable
        return value


TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Flag:
    """On or off, as a shell writes it."""

    expects: str = "true or false (also 1/0, yes/no, on/off)"

    def __call__(self, text: str) -> bool:
        word = text.strip().casefold()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
        raise Unusable


@dataclass(frozen=True)
class Choice:
    """One of a few words."""

    options: tuple[str, ...]

    @property
    def expects(self) -> str:
        return "one of " + ", ".join(self.options)

    def __call__(self, text: str) -> str:
        word = text.strip().casefold()
        if word not in self.options:
            raise Unusable
        return word


@dataclass(frozen=True)
class Rate:
    """A rate limit as the `limits` library reads it ("300 per minute", "5/minute"), one only;
    empty when `optional` (then another setting decides)."""

    optional: bool = False

    @property
    def expects(self) -> str:
        also = ", or empty" if self.optional else ""
        return f"a rate such as 300/minute or 5 per hour (one rate, at least 1){also}"

    def __call__(self, text: str) -> str:
        text = text.strip()
        if not text and self.optional:
            return ""
        try:
            items = list(parse_many(text))
        except ValueError:
            raise Unusable from None
        if len(items) != 1 or items[0].amount < 1:
            raise Unusable
        return text


@dataclass(frozen=True)
class Day:
    """A day as YYYY-MM-DD, or empty for none."""

    expects: str = "a day as YYYY-MM-DD, or empty"

    def __call__(self, text: str) -> date | None:
        if not text.strip():
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise Unusable from None


@dataclass(frozen=True)
class Address:
    """An absolute URL with one of `schemes` and a host, or empty; kept without a trailing /."""

    schemes: tuple[str, ...]
    example: str

    @property
    def expects(self) -> str:
        return f"an address such as {self.example}, or empty"

    def __call__(self, text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        try:
            parts = urlsplit(text)
            port_ok = parts.port is None or parts.port > 0  # reading .port checks it
        except ValueError:
            raise Unusable from None
        if parts.scheme not in self.schemes or not parts.hostname or not port_ok:
            raise Unusable
        return text.rstrip("/") if parts.scheme.startswith("http") else text


@dataclass(frozen=True)
class DatabaseUrl:
    """A SQLAlchemy database URL."""

    expects: str = (
        "a SQLAlchemy URL such as sqlite:///data/clearwater.db or "
        "postgresql+psycopg://user@host:5432/name"
    )

    def __call__(self, text: str) -> str:
        try:
            url = make_url(text.strip())
        except (ArgumentError, ValueError):
            raise Unusable from None
        if not url.drivername:
            raise Unusable
        return text.strip()


@dataclass(frozen=True)
class Setting:
    """One configurable value: its environment name, default (as the environment would write
    it), help text and kind."""

    name: str
    default: str
    help: str
    kind: Reader = Text()
    secret: bool = False  # never printed, by `portal config` or anything else

    @property
    def key(self) -> str:
        """The app config key: the name without PORTAL_."""
        return self.name.removeprefix("PORTAL_")


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one portal process: a field per row of SETTINGS, named by its
    key in lower case (tests/test_docs.py keeps the two alike)."""

    database_url: str
    index_dir: str
    secret_key: str = field(repr=False)  # keys never show in a log line or traceback
    base_url: str
    page_size: int
    redis_url: str
    redis_timeout: float
    redis_retry_after: float
    max_body_bytes: int
    max_question_bytes: int
    max_form_bytes: int
    max_form_parts: int
    moderator_session_hours: int
    snapshot_dir: str
    feed_tag_authority: str
    smtp_url: str = field(repr=False)  # may hold the relay's password
    alerts_from: str
    alert_rate_limit: str
    alert_confirm_hours: int
    alert_poll_seconds: float
    llm_base_url: str
    llm_model: str
    llm_api_key: str = field(repr=False)
    api_rate_limit: str
    api_download_cost: int
    api_download_bytes: int
    ask_rate_limit: str
    tip_rate_limit: str
    ratelimit_strategy: str
    ratelimit_key_prefix: str
    ratelimit_swallow_errors: bool
    ratelimit_enabled: bool
    render_cache: bool
    render_cache_max_bytes: int
    cache_threshold: int
    cache_default_timeout: int
    cache_key_prefix: str
    api_keep_answers: bool
    search_rebuild_on_start: bool
    obligations_today: date | None
    workers: int
    threads: int
    wsgi_app: str
    access_log: str
    log_level: str

    def app_config(self) -> dict[str, Any]:
        """Every setting under its app config key (SECRET_KEY as set: possibly empty)."""
        return {f.name.upper(): getattr(self, f.name) for f in fields(self)}
