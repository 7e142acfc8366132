"""Fields and types shared by every record kind."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from portal.models.times import Day, PastInstant

ID_RE = re.compile(r"^[A-Z]{3}(?:-[A-Z0-9]{1,12}){1,5}$")
ID_MAX = 40


# Control characters (Unicode category Cc) other than tab and newlines, lone surrogates, and the
# two noncharacters that XML and most tools refuse.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# The same rules as patterns for the API document (ECMA-262 regular expressions, as OpenAPI reads
# them). Lone surrogates are left out: no client can send one in UTF-8, and the schema validators
# cannot hold one. tests/models/test_text_patterns.py keeps these and INVISIBLE in step.
_CONTROL_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff"
# What pydantic's strip_whitespace takes off the ends (Unicode White_Space), controls aside.
_SPACE_CLASS = r"\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_CONTROL_PATTERN = f"^[^{_CONTROL_CLASS}]*$"
# Text with no control character and something to read once the spaces around it are gone.
TEXT_PATTERN = f"^[{_SPACE_CLASS}]*[^{_SPACE_CLASS}{_CONTROL_CLASS}][^{_CONTROL_CLASS}]*$"
# Text with something to read once spaces and control characters are set aside (a search or a
# question, whose controls are read as spaces).
READABLE_PATTERN = f"^[{_SPACE_CLASS}{_CONTROL_CLASS}]*[^{_SPACE_CLASS}{_CONTROL_CLASS}]"


def with_pattern(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    """A string's schema with a pattern, as the document states it: each rule of the text in an
    allOf of its own. (Schema tools fold a length beside a pattern into the pattern: a bound of
    20,000 makes a regular expression that takes seconds to compile, and text of the right
    length that takes seconds to find, for every value generated or checked.)"""
    rules = [{key: schema[key]} for key in ("maxLength", "minLength") if key in schema]
    rest = {key: value for key, value in schema.items() if key not in ("maxLength", "minLength")}
    return {**rest, "allOf": [*rules, {"pattern": pattern}]}


class TextPattern:
    """Annotated metadata: the pattern the API document states for a text (with_pattern); a
    validator of ours checks the same rule, with a sentence."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        """The schema pydantic makes, with the pattern."""
        return with_pattern(handler(core_schema), self.pattern)


class SchemaExtra:
    """Annotated metadata: keywords the API document states about a value (a pattern, an enum)
    that a validator of ours checks, with a sentence; pydantic itself does not apply them. A
    keyword given as None is taken out (a column's length that holds the code, not the name)."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        """The schema pydantic makes, with these keywords added (or taken out)."""
        schema = handler(core_schema)
        for keyword, value in self.keywords.items():
            if value is None:
                schema.pop(keyword, None)
            else:
                schema[keyword] = value
        return schema


def _unencodable(text: str) -> bool:
    """True for text with a lone surrogate, which no UTF-8 can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _as_sent(max_length: int) -> BeforeValidator:
    """Check text as it was sent, before the spaces around it are stripped, as the document's
    maxLength and TEXT_PATTERN count it: its length, and control characters (tab and newline
    aside) that no reader can see or print, a vertical tab or U+0085 at an end included."""

    def check(value: Any) -> Any:
        if not isinstance(value, str) or _unencodable(value):
            return value  # not text (a lone surrogate): the str validation that follows says so
        if len(value) > max_length:  # pydantic's own words for it
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        found = INVISIBLE.search(value)
        if found:
            raise PydanticCustomError(
                "control_character_at",
                "character {position} is an invisible control character ({character}); remove it",
                {"position": found.start() + 1, "character": f"U+{ord(found.group()):04X}"},
            )
        return value

    return BeforeValidator(check)


# Text kinds, each with its cap. Caps keep one record readable and one row bounded.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _as_sent(200),
    TextPattern(TEXT_PATTERN),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    _as_sent(300),
    TextPattern(TEXT_PATTERN),
]
Body = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    _as_sent(20_000),
    TextPattern(TEXT_PATTERN),
]
Short = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    _as_sent(100),
    TextPattern(TEXT_PATTERN),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=2_000),
    _as_sent(2_000),
    TextPattern(TEXT_PATTERN),
]


def _check_id(value: str) -> str:
    if len(value) > ID_MAX or not ID_RE.match(value):
        raise PydanticCustomError(
            "record_id_format",
            "an id is a three-letter prefix and up to five parts of capital letters and digits "
            "joined by '-', for example INC-2012-0001",
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
    str,
    StringConstraints(strip_whitespace=True, max_length=ID_MAX),
    AfterValidator(_check_id),
    SchemaExtra(pattern=ID_RE.pattern),
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


class EnteredBy(StrEnum):
    """Who entered a record into this portal (decision 0029)."""

    publisher = "publisher"  # a clerk of its publisher: the department or enterprise itself
    editor = "editor"  # an editor, compiling it from the public sources the record names


class PublishedFields(Input):
    """What every publish request may carry beside the kind's own fields.

    `published_at` is when the record was first published, and `first_published_by_zh` / `_en`
    who published it first when that was not its publisher (a news agency, say)."""

    id: RecordId | None = None
    publisher_id: RecordId
    published_at: PastInstant | None = None
    first_published_by_zh: Name | None = None
    first_published_by_en: Name | None = None
    entered_by: EnteredBy = EnteredBy.publisher
    sample: bool = False
    sources: list[Source] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _provenance(self) -> Self:
        if self.first_published_by_en is not None and self.first_published_by_zh is None:
            raise ValueError("first_published_by_en translates first_published_by_zh: give both")
        if self.entered_by == EnteredBy.editor and not self.sources:
            raise ValueError(
                "a record compiled by an editor names the public sources it was compiled from: "
                "give them in sources"
            )
        return self


class RecordColumns(SQLModel):
    """Columns every record table has: identity, publisher, dates, revision and tombstone."""

    id: str = Field(primary_key=True, max_length=ID_MAX)
    publisher_id: str = Field(index=True, max_length=ID_MAX)
    published_at: datetime = Field(index=True)
    # When the record last really changed: its first publication, or its last correction or
    # withdrawal. `recorded_at` is when this portal wrote that (an import of old records, say).
    updated_at: datetime = Field(index=True)
    recorded_at: datetime = Field()  # indexed with updated_at and id (models/__init__.py)
    first_published_by_zh: str | None = Field(default=None, sa_type=String(200))
    first_published_by_en: str | None = Field(default=None, sa_type=String(200))
    entered_by: str = Field(default="publisher", sa_type=String(16))
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
    recorded_at: datetime
    first_published_by_zh: str | None = None
    first_published_by_en: str | None = None
    entered_by: EnteredBy = EnteredBy.publisher
    revision: int
    sample: bool
    sources: list[dict[str, Any]]
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None


def enum_column(length: int = 32) -> Any:
    """Store an enum as plain text so that adding a value never needs a database type change."""
    return String(length)
