"""Fields and types shared by every record kind."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from portal.models.times import Day, PastInstant

ID_RE = re.compile(r"^[A-Z]{3}(?:-[A-Z0-9]{1,12}){1,5}$")
ID_MAX = 40


# Control characters (Unicode category Cc) other than tab and newlines, lone surrogates, and the
# two noncharacters that XML and most tools refuse.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _clean_text(value: str) -> str:
    """Refuse control characters (tab and newline aside) that no reader can see or print."""
    found = INVISIBLE.search(value)
    if found:
        raise ValueError(
            f"character {found.start() + 1} is an invisible control character "
            f"(U+{ord(found.group()):04X}); remove it"
        )
    return value


# Text kinds, each with its cap. Caps keep one record readable and one row bounded.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_clean_text),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_clean_text),
]
Body = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    AfterValidator(_clean_text),
]
Short = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_clean_text),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=2_000),
    AfterValidator(_clean_text),
]


def _check_id(value: str) -> str:
    if len(value) > ID_MAX or not ID_RE.match(value):
        raise ValueError(
            "an id is a three-letter prefix and up to five parts of capital letters and digits "
            "joined by '-', for example INC-2012-0001"
        )
    return value


def requested_id(text: str) -> str | None:
    """The record id an address or a form names, in capitals; None when it cannot be one.

    Ids are ASCII. `str.upper()` turns the dotless ı into I and the long ſ into S, so without
    this check "ınc-2019-0001" would open INC-2019-0001 under a second name."""
    if not text.isascii() or len(text) > ID_MAX:
        return None
    wanted = text.upper()
    return wanted if ID_RE.match(wanted) else None


RecordId = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=ID_MAX), AfterValidator(_check_id)
]


class Source(BaseModel):
    """Where a fact comes from: a publication's title, its address and date."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    url: Annotated[str, StringConstraints(max_length=1000, pattern=r"^https?://\S+$")] | None = None
    published_on: Day | None = None


class Input(SQLModel):
    """Base of every input model: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class PublishedFields(Input):
    """What every publish request may carry beside the kind's own fields."""

    id: RecordId | None = None
    publisher_id: RecordId
    published_at: PastInstant | None = None
    sample: bool = False
    sources: list[Source] = Field(default_factory=list, max_length=50)


class RecordColumns(SQLModel):
    """Columns every record table has: identity, publisher, dates, revision and tombstone."""

    id: str = Field(primary_key=True, max_length=ID_MAX)
    publisher_id: str = Field(index=True, max_length=ID_MAX)
    published_at: datetime = Field(index=True)
    updated_at: datetime = Field(index=True)
    revision: int = 1
    sample: bool = False
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = Field(default=None, max_length=ID_MAX)
    withdrawal_reason: str | None = Field(default=None, sa_type=String(2000))


class RecordPublic(SQLModel):
    """What every record shows the public beside its own fields."""

    id: str
    kind: str
    publisher_id: str
    published_at: datetime
    updated_at: datetime
    revision: int
    sample: bool
    sources: list[dict[str, Any]]
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None


def enum_column(length: int = 32) -> Any:
    """Store an enum as plain text so that adding a value never needs a database type change."""
    return String(length)
