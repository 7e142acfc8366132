"""The query parameters of the listings, downloads and search, documented once.

Each kind's listing takes the subset of the filters its Kind.filters names; a search takes the
filters that make sense across kinds. What a value may be is stated as the parser reads it
(records/query.py parse_value): an enum or a pattern, so that what the document calls valid is
what the portal answers. The models here only make the OpenAPI document; parse_query validates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from portal.models.common import ID_MAX, TEXT_PATTERN, TextPattern
from portal.models.disclosure import DisclosureCategory
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import Outcome
from portal.models.vocab import pollutant_spellings, province_spellings
from portal.records import KINDS, Sort
from portal.records.query import MAX_LIMIT, MAX_TEXT

ID_PATTERN = r"^[A-Za-z]{3}(-[A-Za-z0-9]{1,12}){1,5}$"  # ID_RE, either case
SUBJECT_PATTERN = r"^[Ii][Nn][CcSs](-[A-Za-z0-9]{1,12}){1,5}$"  # an incident's or inspection's

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
    "subject": (
        "subject",
        str,
        "The id of the incident or inspection a response replies to.",
        "INC-2012-0001",
    ),
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


# What a filter's value may be beyond its type, as parse_value reads it (records/query.py): an
# enum or a pattern, so that what the document calls valid is what the parser accepts.
_UPDATED_SINCE = [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]
_KEYWORDS: dict[str, dict[str, Any]] = {
    "department": {"pattern": ID_PATTERN, "maxLength": ID_MAX},
    "enterprise": {"pattern": ID_PATTERN, "maxLength": ID_MAX},
    "subject": {"pattern": SUBJECT_PATTERN, "maxLength": ID_MAX},
    "province": {"enum": list(province_spellings())},
    "pollutant": {"enum": list(pollutant_spellings())},
}
_SAID: dict[str, str] = {  # in words: rules across parameters (no schema states them), forms
    "from": " Not after `to` (400).",
    "to": " Not before `from` (400).",
    "updated_since": " A time with its UTC offset, or a day (from its midnight, UTC).",
}


def _filter_field(param: str) -> tuple[str, Any, Any]:
    """One listing filter as a model field: its name, type and documentation."""
    name, annotation, description, example = _FILTERS[param]
    extra: dict[str, Any] = {"examples": [example]} if example else {}
    keywords = _KEYWORDS.get(param)
    if annotation is str and keywords is None:  # free text: something to read, no controls
        annotation = Annotated[str, TextPattern(TEXT_PATTERN)]
        extra["max_length"] = MAX_TEXT
    if param == "updated_since":
        keywords = {"anyOf": _UPDATED_SINCE, "type": None, "format": None}
    if keywords:
        extra["json_schema_extra"] = _keywords(keywords)
    info = Field(None, alias=param, description=description + _SAID.get(param, ""), **extra)
    return name, annotation, info


def _keywords(keywords: dict[str, Any]) -> Any:
    """json_schema_extra that sets these keywords (None: takes one out)."""

    def apply(schema: dict[str, Any]) -> None:
        for keyword, value in keywords.items():
            if value is None:
                schema.pop(keyword, None)
            else:
                schema[keyword] = value

    return apply


def filter_model(kind: str, surface: str) -> type[BaseModel]:
    """The query parameters a kind's JSON page, CSV or NDJSON download takes, as a model."""
    fields: dict[str, Any] = {}
    for param in _FILTERS:
        if param in KINDS[kind].filters:
            name, annotation, info = _filter_field(param)
            fields[name] = (annotation, info)
    if "status" in KINDS[kind].filters:
        fields["status"] = (_STATUS[kind], Field(None, description="Where the record stands."))
    fields["sort"] = (Sort, Field(Sort.newest, description="Order by the kind's date."))
    if surface == "page":
        fields["limit"] = (
            int,
            Field(50, ge=1, le=MAX_LIMIT, description=f"Records per page, 1 to {MAX_LIMIT}."),
        )
        fields["cursor"] = (str, Field(None, **CURSOR))
    elif surface == "csv":
        fields["bom"] = (
            bool,
            Field(False, description="CSV only: start with a UTF-8 byte-order mark for Excel."),
        )
    name = f"{kind[:-1].capitalize()}{surface.capitalize()}Filters"
    return create_model(name, **fields)


# A cursor is opaque: only one the portal made (in a `next` link) is read; its alphabet is
# base64url's, so anything else is plainly not one.
CURSOR: dict[str, Any] = {
    "description": "Where the page starts: take it from the `next` link as given; a cursor "
    "the portal did not make is a 400.",
    "max_length": MAX_TEXT,
    "pattern": r"^[A-Za-z0-9_-]+$",
}


def search_filter_parameters(params: Iterable[str], statuses: list[str]) -> list[dict[str, Any]]:
    """The listing filters a search takes, documented as the listings document them; `status`
    takes the statuses of every kind (a search may span kinds)."""
    fields: dict[str, Any] = {}
    for param in params:
        if param in _FILTERS:
            name, annotation, info = _filter_field(param)
            fields[name] = (annotation, info)
        elif param == "status":
            described = "Where the record stands (a status of the kind searched)."
            fields["status"] = (
                str,
                Field(None, description=described, json_schema_extra=_keywords({"enum": statuses})),
            )
    return query_parameters(create_model("SearchFilters", **fields))


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
