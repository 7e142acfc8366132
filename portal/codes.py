"""Error codes: what is wrong, as a stable name and its parameters, beside the English sentence.

The records and search layers say each problem as an `Issue`: a code from `CODES`, the values
the sentence was built from, and the sentence itself. The pages translate from the code (the
catalogue holds one sentence per code, portal/web/problems.py); the API sends the code and its
parameters in problem+json, so no reader parses a sentence. docs/api.md lists every code, and
tests/api/test_api_codes.py keeps that list and `CODES` equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

Param = str | int | float | list[str]

# code: (what it means, its parameters). A problem with a query string, a form field or a
# record's field carries one of these; its parameters are always those named here.
CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    # A query string: listings, search, obligations, feeds.
    "unknown_parameter": (
        "the address names a parameter this surface does not take",
        ("name", "kind", "usable"),
    ),
    "filter_not_applicable": (
        "a listing filter given to a kind without that field",
        ("name", "kind"),
    ),
    "filter_fixed": ("the address already fixes this filter; remove it", ("name",)),
    "order_fixed": ("feeds always list the latest change first; remove the parameter", ("name",)),
    "no_kind_takes_all": ("no kind of record in the feed takes every filter given", ()),
    "dates_reversed": ("'from' is after 'to'", ()),
    "value_too_long": ("a value is longer than the parameter allows", ("name", "max")),
    "control_character": ("a value holds an invisible control character", ("name",)),
    "not_a_record_id": ("the value is not a record id such as ENT-0001", ("name",)),
    "not_a_reply_subject": ("the value is not the id of an incident or inspection", ("name",)),
    "unknown_province": ("no province has this name or code", ("value",)),
    "unknown_pollutant": ("no pollutant has this name or symbol", ("value", "known")),
    "not_one_of": ("the value is not one of the choices", ("name", "choices")),
    "not_a_date": ("the value is not a date as YYYY-MM-DD", ("name", "value")),
    "not_a_time": ("the value is not a date or time in ISO 8601", ("name",)),
    "not_a_boolean": ("the value is not true or false", ("name",)),
    "bad_cursor": ("the cursor was not made by this portal", ("name",)),
    "cursor_and_before": ("both 'cursor' and 'before' are given", ()),
    "not_a_whole_number": ("the value is not a whole number", ("name", "low", "high")),
    "out_of_range": ("the number is outside the range", ("name", "low", "high", "value")),
    "page_past_last": (
        "a page past the last page of the compliance table",
        ("page", "pages", "total", "limit"),
    ),
    "not_a_year": ("the value is not a year", ("name", "value", "example")),
    "year_not_known": ("obligations of a year not yet known", ("year", "first", "last")),
    "before_rules": (
        "a year before the disclosure rules asked for reports",
        ("year", "in_force", "first", "due"),
    ),
    "too_deep": ("the page asked for lies deeper than results go", ("max",)),
    "search_too_slow": ("the search would take too long; narrow it", ("seconds",)),
    # A record's field, as its model validates it (pydantic's error types and ours).
    "missing": ("a required field is missing", ()),
    "extra_forbidden": ("not a field of this kind of record", ()),
    "string_type": ("the field takes text", ()),
    "string_too_short": ("the text is shorter than the field allows", ("min_length",)),
    "string_too_long": ("the text is longer than the field allows", ("max_length",)),
    "string_pattern_mismatch": ("the text does not have the field's form", ("pattern",)),
    "enum": ("the value is not one of the choices", ("expected", "choices")),
    "literal_error": ("the value is not one of the choices", ("expected", "choices")),
    "int_parsing": ("the field takes a whole number", ()),
    "int_type": ("the field takes a whole number", ()),
    "int_from_float": ("the field takes a whole number, not a fraction", ()),
    "float_parsing": ("the field takes a number", ()),
    "float_type": ("the field takes a number", ()),
    "finite_number": ("the number is infinite or not a number", ()),
    "bool_parsing": ("the field takes true or false", ()),
    "bool_type": ("the field takes true or false", ()),
    "number_not_boolean": ("true or false where a number belongs", ("value",)),
    "greater_than": ("the number is too small", ("gt",)),
    "greater_than_equal": ("the number is too small", ("ge",)),
    "less_than": ("the number is too large", ("lt",)),
    "less_than_equal": ("the number is too large", ("le",)),
    "list_type": ("the field takes a list", ()),
    "too_short": ("the list has too few entries", ("min_length",)),
    "too_long": ("the list has too many entries", ("max_length",)),
    "model_type": ("the field takes an object", ()),
    "dict_type": ("the field takes an object", ()),
    "date_format": ("the value is not a date as 2012-01-15", ("value",)),
    "date_type": ("the field takes a date as text", ()),
    "date_range": ("the date is outside those the portal keeps", ("value", "earliest", "latest")),
    "time_format": ("the value is not a time with its UTC offset", ("value",)),
    "time_type": ("the field takes a time as text", ()),
    "time_offset": ("the time has no UTC offset", ()),
    "time_offset_range": ("the UTC offset is out of range", ("offset",)),
    "time_future": ("a publication time in the future", ("value", "now", "minutes")),
    "record_id_format": ("the value is not a record id such as INC-2012-0001", ()),
    "control_character_at": (
        "the text holds an invisible control character",
        ("position", "character"),
    ),
    "invalid_value": ("the value breaks a rule the sentence states", ()),
    # A write as a whole, or the records it names.
    "id_prefix": ("the id does not start with the kind's prefix", ("prefix",)),
    "no_such_record": ("there is no record with this id", ("id",)),
    "no_such_tip": ("there is no tip with this id", ("id",)),
    "missing_reference": (
        "a department or enterprise the record names is not published",
        ("what", "id"),
    ),
    "not_a_publisher": ("the publisher is neither a department nor an enterprise", ("id",)),
    "inspection_publisher": ("an inspection is published by a department", ()),
    "subject_not_naming": (
        "the incident or inspection replied to does not name the enterprise",
        ("subject", "enterprise"),
    ),
    "credit_code_taken": (
        "the credit code belongs to another enterprise",
        ("credit_code", "owner"),
    ),
    "credit_outside_bounds": (
        "the record credits a department the writer does not speak for",
        ("department", "writer"),
    ),
    "credit_kept": (
        "another department's entry may not be removed or changed",
        ("department", "writer"),
    ),
    "placement_outside_bounds": ("a department placed outside the writer's", ("parent", "writer")),
    "placement_move": ("a department moved from outside the writer's", ("id", "parent", "writer")),
    "not_own_record": ("the record is not the writer's to correct", ("id", "owner", "writer")),
    "publisher_change": ("a correction may not change who published a record", ("id", "owner")),
    "withdrawn": ("the record was withdrawn and cannot change", ("id",)),
    "already_withdrawn": ("the record is already withdrawn", ("id",)),
    "already_published": ("the record is already published as sent", ("id",)),
    "exists_different": (
        "the record exists with other values; a correction needs a reason",
        ("id", "fields"),
    ),
    "tip_changed": ("a tip was received with other content", ("id",)),
    "unchanged": ("the correction changes nothing", ()),
    "revision_conflict": (
        "the record is at another revision than the one named",
        ("id", "revision", "expected"),
    ),
    "status_transition": ("the tip cannot move to this status", ("id", "status", "wanted")),
    "reason_required": ("the change needs a reason, which is public", ()),
    "linked_record_required": ("an accepted tip names the record it led to", ()),
}

# A problem+json answer's own `code`: what kind of refusal it is. A specific one where the API
# says more than its status; otherwise the status's name.
PROBLEM_CODES: dict[str, str] = {
    "invalid_query": "the query string breaks the rules each entry of errors states",
    "invalid_record": "the record was not written: each entry of errors names a field to fix",
    "database_busy": "another write held the records database; nothing changed, try again",
    "database_unavailable": "the records database cannot be reached just now",
    "bad_request": "400: the request cannot be read as sent (the detail says why)",
    "unauthorized": "401: no token, or one the portal does not know",
    "forbidden": "403: the token may not do this",
    "not_found": "404: nothing at this address",
    "method_not_allowed": "405: this address answers other methods (the Allow header)",
    "not_acceptable": "406: the address cannot answer in the format asked for",
    "conflict": "409: the record changed or exists; read it again",
    "gone": "410: the record was withdrawn; its tombstone says why",
    "precondition_failed": "412: a condition of the request does not hold",
    "content_too_large": "413: the body is larger than the portal takes",
    "uri_too_long": "414: the address is longer than the portal takes",
    "unsupported_media_type": "415: the body is not in a type the portal takes",
    "unprocessable_content": "422: the body was read, but breaks a rule",
    "too_many_requests": "429: wait for the time in Retry-After",
    "request_header_fields_too_large": "431: the headers are larger than the portal takes",
    "internal_error": "500: a bug, logged",
    "service_unavailable": "503: a service the answer needs is down; try again later",
    "http_error": "any other status: the status and the detail say what happened",
}

_STATUS_NAMES = {
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "content_too_large",
    HTTPStatus.REQUEST_URI_TOO_LONG: "uri_too_long",
    HTTPStatus.UNPROCESSABLE_ENTITY: "unprocessable_content",
    HTTPStatus.INTERNAL_SERVER_ERROR: "internal_error",
}


def status_code(status: int) -> str:
    """The problem code a status has when nothing more specific is known."""
    try:
        known = HTTPStatus(status)
    except ValueError:
        return "http_error"
    name = _STATUS_NAMES.get(known, known.name.lower())
    return name if name in PROBLEM_CODES else "http_error"


@dataclass(frozen=True)
class Issue:
    """One problem: its code, the values its sentence names, and the sentence in English."""

    code: str
    message: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wanted = CODES.get(self.code)
        if wanted is None or set(self.params) != set(wanted[1]):
            raise ValueError(f"issue {self.code!r} with {sorted(self.params)}: not as CODES says")

    def __str__(self) -> str:
        return self.message


def json_safe(params: Mapping[str, Any]) -> dict[str, Param]:
    """Parameters as JSON holds them: numbers and text as they are, anything else as text."""
    out: dict[str, Param] = {}
    for name, value in params.items():
        if isinstance(value, bool):
            out[name] = str(value).lower()
        elif isinstance(value, int | float | str):
            out[name] = value
        elif isinstance(value, list | tuple):
            out[name] = [str(v) for v in value]
        else:
            out[name] = str(value)
    return out
