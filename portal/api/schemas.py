"""The API's models: pages and items built on the records' public models, filters, problems.

One definition of a field: an item is the kind's *Public model plus `links`; the OpenAPI document,
the JSON and the downloads are all derived from these models.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from portal.models.disclosure import DisclosureCategory
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import Outcome
from portal.models.revision import RevisionPublic
from portal.records import KINDS, PUBLIC_KINDS, Sort
from portal.records.query import MAX_LIMIT, MAX_TEXT


class Links(BaseModel):
    """Where to read a record as JSON, as a page, its history and a feed that follows it."""

    model_config = ConfigDict(populate_by_name=True)

    self_: str = Field(alias="self", description="This record in the API.")
    html: str = Field(description="The record's page for people.")
    history: str = Field(description="Every revision of the record, with reasons.")
    feed: str = Field(description="An Atom feed that follows this record or its kind.")
    publisher: str = Field(description="The department or enterprise that publishes it.")


class Problem(BaseModel):
    """An error as RFC 9457 problem details: what went wrong, in sentences a person can act on."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status phrase, such as Bad Request.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong and what to do about it.")
    problems: list[str] = Field(default_factory=list, description="Each problem in a sentence.")


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

    record_id: str = Field(description="The record's id, such as INC-2012-0001.")


class SnapshotPath(BaseModel):
    """A snapshot's date (or `latest`) and one of its files."""

    date: str = Field(description="YYYY-MM-DD, or latest.", json_schema_extra={"example": "latest"})
    name: str = Field(
        description="A file name from the snapshot list.",
        json_schema_extra={"example": "SHA256SUMS"},
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
    for kind in (*PUBLIC_KINDS, "responses")
}

PAGES: dict[str, type[BaseModel]] = {
    kind: create_model(
        f"{_title(kind)}Page",
        __doc__=f"A page of {kind}: the items, how many match in all, and the next page.",
        items=(list[ITEMS[kind]], ...),  # type: ignore[valid-type]
        total=(int, Field(description="Records matching the filters, across all pages.")),
        next=(str | None, Field(description="URL of the next page; null on the last page.")),
    )
    for kind in PUBLIC_KINDS
}

ID_PATTERN = r"^[A-Za-z]{3}(-[A-Za-z0-9]{1,12}){1,5}$"  # ID_RE, either case
_STATUS: dict[str, type[StrEnum]] = {"incidents": IncidentStatus, "enterprises": EnterpriseStatus}

# Every listing filter, documented once; each kind takes the subset its Kind.filters names.
_FILTERS: dict[str, tuple[str, Any, str, Any]] = {
    # parameter: (field name, type, description, example)
    "department": (
        "department",
        str,
        "A department id; includes its bureaus (for incidents also departments on the timeline).",
        "DEP-MEE",
    ),
    "enterprise": ("enterprise", str, "An enterprise id.", "ENT-0001"),
    "province": ("province", str, "A province by name (广西, Guangxi) or code (45).", "45"),
    "city": ("city", str, "A city by its Chinese or English name.", "Hechi"),
    "county": (
        "county",
        str,
        "A county by its Chinese or English name, as the enterprise records it (for incidents, "
        "the county of an enterprise held responsible).",
        None,
    ),
    "park": (
        "park",
        str,
        "An industrial park by its Chinese or English name, as the enterprise records it (for "
        "incidents, the park of an enterprise held responsible).",
        None,
    ),
    "river": ("river", str, "The river of an incident, by its Chinese or English name.", None),
    "enterprise_name": (
        "enterprise_name",
        str,
        "Words that must all appear in the enterprise's Chinese or English name (for incidents, "
        "an enterprise held responsible).",
        None,
    ),
    "pollutant": ("pollutant", str, "A pollutant by code or name: Cd, 镉, cadmium.", "Cd"),
    "sector": ("sector", Sector, "The enterprise's sector.", None),
    "outcome": ("outcome", Outcome, "What the inspection concluded.", None),
    "category": ("category", DisclosureCategory, "The disclosure's category.", None),
    "from": ("date_from", date, "On or after this day (China time) on the kind's date.", None),
    "to": ("date_to", date, "On or before this day (China time) on the kind's date.", None),
    "updated_since": (
        "updated_since",
        datetime,
        "The changes feed for mirrors: records published, corrected or withdrawn after this "
        "time, withdrawn ones included (with withdrawn_at, withdrawn_by, withdrawal_reason).",
        None,
    ),
    "text": ("text", str, "Words that must all appear in the names or titles.", None),
    "sample": ("sample", bool, "true: illustrative records only; false: real ones only.", None),
}


def filter_model(kind: str, surface: str) -> type[BaseModel]:
    """The query parameters a kind's JSON page, CSV or NDJSON download takes, as a model."""
    fields: dict[str, Any] = {}
    for param, (name, annotation, description, example) in _FILTERS.items():
        if param not in KINDS[kind].filters:
            continue
        extra: dict[str, Any] = {"examples": [example]} if example else {}
        if annotation is str:
            extra["max_length"] = MAX_TEXT
        if param in ("department", "enterprise"):
            extra["pattern"] = ID_PATTERN
        fields[name] = (annotation, Field(None, alias=param, description=description, **extra))
    if "status" in KINDS[kind].filters:
        fields["status"] = (_STATUS[kind], Field(None, description="Where the record stands."))
    fields["sort"] = (Sort, Field(Sort.newest, description="Order by the kind's date."))
    if surface == "page":
        fields["limit"] = (
            int,
            Field(50, ge=1, le=MAX_LIMIT, description=f"Records per page, 1 to {MAX_LIMIT}."),
        )
        fields["cursor"] = (
            str,
            Field(None, description="Where the page starts: take it from the `next` link."),
        )
    elif surface == "csv":
        fields["bom"] = (
            bool,
            Field(False, description="CSV only: start with a UTF-8 byte-order mark for Excel."),
        )
    name = f"{_title(kind)}{surface.capitalize()}Filters"
    return create_model(name, **fields)


def _inline(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Replace a $ref to the model's own $defs by the definition (enums, for query parameters)."""
    ref = schema.get("$ref")
    if ref:
        schema = {**defs[ref.rsplit("/", 1)[1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return {k: v for k, v in schema.items() if k != "title" and not (k == "default" and v is None)}


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI query parameters from a model's fields (all optional; parse_query validates)."""
    schema = model.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    out = []
    for name, prop in schema["properties"].items():
        prop = _inline(prop, defs)
        param: dict[str, Any] = {"name": name, "in": "query", "required": False}
        if "description" in prop:
            param["description"] = prop.pop("description")
        if "examples" in prop:
            param["example"] = prop.pop("examples")[0]
        param["schema"] = prop
        out.append(param)
    return out
