"""The one place that reads and writes records: queries, publish, correct, withdraw, revisions."""

from portal.records.kinds import KINDS, PUBLIC_KINDS, Kind, UnknownKind, kind_named, kind_of_id
from portal.records.listing import Page, run
from portal.records.query import Cursor, QueryError, RecordQuery, Sort, parse_query
from portal.records.read import (
    counts,
    empty,
    get_record,
    history,
    list_records,
    names,
    related_to,
    responses_to,
    to_public,
)
from portal.records.write import (
    Problem,
    RecordError,
    apply,
    correct,
    plan,
    publish,
    validate_item,
    validation_problems,
    withdraw,
)

__all__ = [
    "KINDS",
    "PUBLIC_KINDS",
    "Cursor",
    "Kind",
    "Page",
    "Problem",
    "QueryError",
    "RecordError",
    "RecordQuery",
    "Sort",
    "UnknownKind",
    "apply",
    "correct",
    "counts",
    "empty",
    "get_record",
    "history",
    "kind_named",
    "kind_of_id",
    "list_records",
    "names",
    "parse_query",
    "plan",
    "publish",
    "related_to",
    "responses_to",
    "run",
    "to_public",
    "validate_item",
    "validation_problems",
    "withdraw",
]
