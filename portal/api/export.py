"""Whole filtered sets as CSV or NDJSON, streamed in keyset batches with flat memory.

No Flask here: the API's downloads and `portal snapshot` write the same bytes from the same code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from enum import StrEnum
from functools import cache
from typing import Any

from sqlmodel import Session

from portal.models.common import RecordPublic
from portal.records import KINDS, RecordQuery, run, to_public

BATCH = 1000
PARTS_BATCH = 200  # records with nested parts (an incident's readings) weigh more: fewer a batch
BOM = "\ufeff".encode()
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Column(StrEnum):
    """How a field becomes a CSV cell."""

    scalar = "scalar"  # text, number, boolean, date: as is
    joined = "joined"  # a list of codes: joined with ';'
    json = "json"  # nested parts (readings, sources): one JSON cell


def consistent_read(session: Session) -> None:
    """Read the whole set from one snapshot of the database (PostgreSQL: REPEATABLE READ).

    SQLite's WAL reader already sees one snapshot for the length of its transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def batches(
    session: Session, query: RecordQuery, size: int | None = None
) -> Iterator[list[RecordPublic]]:
    """The query's whole set in order, a batch of public models at a time (keyset batches)."""
    kind = KINDS[query.kind]
    size = size or (PARTS_BATCH if kind.parts else BATCH)
    page_query = replace(query, cursor=None, limit=size)
    while True:
        page = run(session, page_query, with_total=False)
        yield to_public(session, kind, page.rows)
        session.expunge_all()  # keep the identity map from growing with the set
        if page.next_cursor is None:
            return
        page_query = page_query.next_page(page.next_cursor)


@cache
def columns(kind_name: str) -> tuple[tuple[str, Column], ...]:
    """The CSV columns of a kind: its public model's fields in order, with how each is written."""
    schema = KINDS[kind_name].public.model_json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    out = []
    for name, prop in schema["properties"].items():
        options = [
            defs[o["$ref"].rsplit("/", 1)[1]] if "$ref" in o else o
            for o in prop.get("anyOf", [prop])
        ]
        arrays = [o for o in options if o.get("type") == "array"]
        if arrays and arrays[0].get("items", {}).get("type") == "string":
            out.append((name, Column.joined))
        elif arrays or any(o.get("type") == "object" for o in options):
            out.append((name, Column.json))
        else:
            out.append((name, Column.scalar))
    return tuple(out)


def neutralise(text: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running text as a formula.

    Some spreadsheets skip leading spaces before they look for a formula, so the test looks
    past them too (record text is stored stripped; other cells may not be)."""
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START):
        return "'" + text
    return text


def cell(value: Any, how: Column) -> str | int | float:
    """One CSV cell from a JSON-mode value."""
    if value is None:
        return ""
    if how is Column.joined:
        return neutralise(";".join(value))
    if how is Column.json:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return value  # int or float: numbers stay numbers


def csv_chunks(session: Session, query: RecordQuery, *, bom: bool = False) -> Iterator[bytes]:
    """The set as UTF-8 CSV with a header row, one chunk per batch."""
    cols = columns(query.kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in cols])
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    for items in batches(session, query):
        buffer.seek(0)
        buffer.truncate()
        for item in items:
            data = item.model_dump(mode="json")
            writer.writerow([cell(data[name], how) for name, how in cols])
        if items:
            yield buffer.getvalue().encode()


def ndjson_chunks(session: Session, query: RecordQuery) -> Iterator[bytes]:
    """The set as NDJSON: one record per line, the same fields as an API item without links."""
    for items in batches(session, query):
        if items:
            yield b"".join(item.model_dump_json().encode() + b"\n" for item in items)


def chunks(session: Session, query: RecordQuery, fmt: str, *, bom: bool = False) -> Iterator[bytes]:
    """CSV or NDJSON chunks of a query's whole set."""
    if fmt == "csv":
        return csv_chunks(session, query, bom=bom)
    return ndjson_chunks(session, query)
