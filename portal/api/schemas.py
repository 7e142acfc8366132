"""The API's models: pages and items built on the records' public models, problems, paths.

One definition of a field: an item is the kind's *Public model plus `links`; the OpenAPI document,
the JSON and the downloads are all derived from these models.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, JsonValue, create_model

from portal.api.parameters import ID_PATTERN
from portal.codes import CODES, PROBLEM_CODES
from portal.models.common import ID_MAX
from portal.models.revision import RevisionPublic
from portal.records import KINDS, LISTED_KINDS


class Links(BaseModel):
    """Where to read a record as JSON, as a page, its history and a feed that follows it."""

    model_config = ConfigDict(populate_by_name=True)

    self_: str = Field(alias="self", description="This record in the API.")
    html: str = Field(description="The record's page for people.")
    history: str = Field(description="Every revision of the record, with reasons.")
    feed: str = Field(description="An Atom feed that follows this record or its kind.")
    publisher: str = Field(description="The department or enterprise that publishes it.")


class ProblemError(BaseModel):
    """One problem with the request, as a program reads it: a code, its parameters, and where."""

    code: str = Field(
        description="What is wrong, as a stable name (the error codes in docs/api.md).",
        json_schema_extra={"enum": list[JsonValue](sorted(CODES))},
    )
    params: dict[str, str | int | float | list[str]] = Field(
        default_factory=dict,
        description="The values the sentence names, by the names the code's row lists.",
    )
    field: str | None = Field(
        default=None, description="The record's field, as a dotted path (a write's problems)."
    )
    detail: str = Field(description="The same problem in an English sentence.")


class Problem(BaseModel):
    """An error as RFC 9457 problem details: what went wrong, in sentences a person can act on."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status phrase, such as Bad Request.")
    status: int = Field(description="The HTTP status code.")
    code: str = Field(
        description="What kind of refusal this is, as a stable name (docs/api.md lists them); "
        "match this, not the sentences.",
        json_schema_extra={"enum": list[JsonValue](sorted(PROBLEM_CODES))},
    )
    detail: str = Field(description="What went wrong and what to do about it.")
    problems: list[str] = Field(default_factory=list, description="Each problem in a sentence.")
    errors: list[ProblemError] = Field(
        default_factory=list,
        description="Each problem with its code and parameters, in the order of `problems` "
        "(given for a query's or a record's problems).",
    )


class Tombstone(BaseModel):
    """What is left of a withdrawn record: who withdrew it, when, and why."""

    id: str
    kind: str
    revision: int
    withdrawn_at: datetime
    withdrawn_by: str
    withdrawal_reason: str
    history: str = Field(description="The record's revisions, still public.")


class Gone(Problem):
    """410: the record was withdrawn; its tombstone says who withdrew it, when and why."""

    tombstone: Tombstone


class History(BaseModel):
    """Every revision of a record, oldest first (withdrawn records keep their history)."""

    items: list[RevisionPublic]
    total: int
    next: str | None = None


class SnapshotFile(BaseModel):
    """One file of a dated snapshot, with its size and SHA-256 checksum."""

    name: str
    bytes: int
    sha256: str
    url: str


class Snapshot(BaseModel):
    """A dated, immutable set of downloads with checksums and what changed since the previous."""

    date: str
    created: str
    previous: str | None
    counts: dict[str, int] = Field(description="Records per kind in the snapshot.")
    changes: dict[str, dict[str, int]] = Field(
        description="Per kind, how many records were added, changed and withdrawn."
    )
    files: list[SnapshotFile]


class Snapshots(BaseModel):
    """Every snapshot, newest first."""

    items: list[Snapshot]
    total: int
    next: str | None = None


class RecordPath(BaseModel):
    """A record id in the path."""

    # What can name a record (models.common.requested_id; anything else is a 404, as an unknown
    # id is); the document's, not checked here.
    record_id: str = Field(
        description="The record's id, such as INC-2012-0001.",
        json_schema_extra={"pattern": ID_PATTERN, "maxLength": ID_MAX},
    )


class SnapshotPath(BaseModel):
    """A snapshot's date (or `latest`) and one of its files."""

    # The patterns say what can name a snapshot and a file (anything else is a 404, as an
    # unknown one is); they are the document's, not checked here.
    date: str = Field(
        description="YYYY-MM-DD, or latest.",
        json_schema_extra={
            "example": "latest",
            "pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|latest)$",
        },
    )
    name: str = Field(
        description="A file name from the snapshot list.",
        json_schema_extra={
            "example": "SHA256SUMS",
            "pattern": r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$",
        },
    )


def _title(kind: str) -> str:
    return kind[:-1].capitalize()


ITEMS: dict[str, type[BaseModel]] = {
    kind: create_model(
        f"{_title(kind)}Item",
        __base__=KINDS[kind].public,
        __doc__=f"One of the {kind}: its public fields and links.",
        links=(Links, ...),
    )
    for kind in LISTED_KINDS
}

PAGES: dict[str, type[BaseModel]] = {
    kind: create_model(
        f"{_title(kind)}Page",
        __doc__=f"A page of {kind}: the items, how many match in all, and the next page.",
        items=(list[ITEMS[kind]], ...),  # type: ignore[valid-type]
        total=(int, Field(description="Records matching the filters, across all pages.")),
        next=(str | None, Field(description="URL of the next page; null on the last page.")),
    )
    for kind in LISTED_KINDS
}
