"""Whole filtered sets as CSV or NDJSON, streamed in keyset batches with flat memory.

Parquet is built from the same batches in portal.api.parquet.

No Flask here: the API's downloads and `portal snapshot` write the same bytes from the same code.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, get_args, get_origin

import pydantic_core
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import JSON, Row, Text, or_, select, type_coerce
from sqlmodel import Session, col

from portal.models.common import RecordPublic
from portal.models.revision import RecordPollutant
from portal.models.times import AS_STORED
from portal.models.vocab import provinces
from portal.records import KINDS, RecordQuery, Sort, run, to_public
from portal.records.listing import filtered
from portal.records.read import _PART_PUBLIC
from portal.records.read import names as record_names

Names = tuple[str | None, str | None]

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


# Names written beside codes in the downloads, so that a file reads on its own: the province's
# names beside its code, the enterprise's beside its id. (The API's items carry the codes and
# link to what they name; their JSON is kept per revision of the record, which a rename of the
# enterprise does not move, while a download's validators follow every change.)
NAMED = {
    "province": ("province_name_zh", "province_name_en"),
    "enterprise_id": ("enterprise_name_zh", "enterprise_name_en"),
}
NAME_COLUMNS = {name: code for code, pair in NAMED.items() for name in pair}


def names_for(session: Session, code: str, values: Iterable[str | None]) -> Mapping[str, Names]:
    """The (zh, en) names of each value of a code column: provinces from data/provinces.csv,
    enterprises from their records (one query)."""
    wanted = {v for v in values if v}
    if code == "province":
        known = provinces()
        return {v: (known[v].name_zh, known[v].name_en) for v in wanted if v in known}
    return record_names(session, sorted(wanted))


@cache
def columns(kind_name: str) -> tuple[tuple[str, Column], ...]:
    """The CSV columns of a kind: its public model's fields in order, with how each is written,
    and the names beside its codes (NAMED)."""
    return model_columns(KINDS[kind_name].public, named=True)


@cache
def model_columns(model: type[BaseModel], named: bool = False) -> tuple[tuple[str, Column], ...]:
    """The CSV columns of a model's rows: its fields in order, with how each is written (and,
    `named`, the names beside its codes)."""
    schema = model.model_json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    out = []
    for name, prop in schema["properties"].items():
        if named and name in NAMED:
            out += [(name, Column.scalar), *((n, Column.scalar) for n in NAMED[name])]
            continue
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


# The first character of a text cell that may make it a formula: the formula starts, and any
# whitespace a spreadsheet may skip before one (neutralise() makes the exact test).
_RISKY = frozenset(FORMULA_START) | frozenset(c for c in map(chr, range(0x10000)) if c.isspace())
_FLAG = {True: "true", False: "false"}


def _moment(value: datetime) -> str:
    """A time as the public models write it in JSON (UTC as `Z`)."""
    return str(pydantic_core.to_jsonable_python(value))


@dataclass(frozen=True)
class Plan:
    """How a kind's table rows become download rows, worked out once per kind (not per row).

    The rows are read as plain tuples of the public fields' columns, in the public model's
    order; `kind`, `pollutants` and nested parts are added after them and `order` puts every
    field in its place. Cells are converted by position, never by building a model per row:
    the stored values were validated when they were written (the parts are judged as the
    API's are, portal.records.read)."""

    kind_name: str
    names: tuple[str, ...]  # the public fields in order: the CSV header, the NDJSON keys
    selected: tuple[Any, ...]  # the table columns read, in the public fields' order
    tail: tuple[str, ...]  # fields added after the columns: kind, pollutants, parts
    defaults: dict[str, Any]  # JSON-form values of tail fields a record has none of
    order: tuple[int, ...] | None  # positions of `names` in columns + tail (None: as they are)
    id_at: int
    date_at: tuple[int, ...]  # the date field and its fallbacks (Kind.date_key), in order
    adapters: tuple[tuple[int, TypeAdapter[Any]], ...]  # stored JSON, normalised by its type
    parts: dict[str, TypeAdapter[Any]]  # each part's public type, for its JSON form
    named: tuple[tuple[str, int, int, int], ...]  # a code column and its names (NAMED): places
    text: tuple[int, ...]  # positions (in output order) by how the CSV writes them
    flags: tuple[int, ...]
    days: tuple[int, ...]
    moments: tuple[int, ...]
    joined: tuple[int, ...]
    dumped: tuple[int, ...]
    textual: bool  # times and dates read as the text SQLite keeps (see `plan`)


def _scalar_type(annotation: Any) -> type:
    """The Python type of a scalar field (`X | None` gives X)."""
    if get_origin(annotation) is Annotated:
        return _scalar_type(get_args(annotation)[0])
    if isinstance(annotation, type):
        return annotation
    options = [a for a in get_args(annotation) if a is not type(None)]
    if len(options) != 1:
        raise RuntimeError(f"no CSV form for {annotation!r}")
    return _scalar_type(options[0])


@cache
def plan(kind_name: str, textual: bool = False) -> Plan:
    """The download plan of a kind (see Plan).

    `textual` (SQLite): times and dates are read as the text SQLite keeps and rewritten as
    the JSON form by string slicing, not parsed into datetimes by SQLAlchemy and formatted
    back (a tenth of a download's CPU)."""
    kind = KINDS[kind_name]
    fields = kind.public.model_fields
    table = kind.table.__table__
    names = tuple(name for name, _ in columns(kind_name))
    how = dict(columns(kind_name))
    stored = tuple(n for n in names if n in table.c)
    named = tuple(n for n in names if n in NAME_COLUMNS)
    tail = tuple(n for n in names if n not in table.c and n not in NAME_COLUMNS)
    unknown = [n for n in tail if n not in ("kind", "pollutants", *(p.name for p in kind.parts))]
    if unknown:
        raise RuntimeError(f"{kind_name}: no column or part gives {', '.join(unknown)}")
    source = stored + tail + named
    order = tuple(source.index(n) for n in names)

    def adapter(name: str) -> TypeAdapter[Any]:
        field = fields[name]  # its type with its constraints, as the public model checks it
        typed: Any = field.annotation
        if field.metadata:
            typed = Annotated[(typed, *field.metadata)]
        return TypeAdapter(typed)

    defaults = {}
    for name in tail:
        if name != "kind":
            value = fields[name].get_default(call_default_factory=True)
            defaults[name] = adapter(name).dump_python(value, mode="json")
    at = {n: names.index(n) for n in names}
    by_type: dict[str, list[int]] = defaultdict(list)
    for name in names:
        if how[name] is Column.joined:
            by_type["joined"].append(at[name])
        elif how[name] is Column.json:
            by_type["dumped"].append(at[name])
        elif name in NAME_COLUMNS:
            by_type["text"].append(at[name])
        elif name in table.c:
            python = _scalar_type(fields[name].annotation)
            if issubclass(python, bool):
                by_type["flags"].append(at[name])
            elif issubclass(python, datetime):
                by_type["moments"].append(at[name])
            elif issubclass(python, date):
                by_type["days"].append(at[name])
            elif issubclass(python, str):
                by_type["text"].append(at[name])
            elif not issubclass(python, int | float):
                raise RuntimeError(f"{kind_name}.{name}: no CSV form for {python}")
    return Plan(
        kind_name=kind_name,
        names=names,
        selected=tuple(
            # Stored JSON is read as its text: most of it is "[]", and decoding it costs more
            # than the rest of the cell (a driver that decodes JSON itself gives lists).
            type_coerce(table.c[n], Text).label(n)
            if isinstance(table.c[n].type, JSON)
            or (textual and at[n] in (*by_type["moments"], *by_type["days"]))
            else table.c[n]
            for n in stored
        ),
        tail=tail,
        defaults=defaults,
        order=None if order == tuple(range(len(names))) else order,
        id_at=stored.index("id"),
        date_at=tuple(stored.index(n) for n in (kind.date_field, *kind.date_fallbacks)),
        adapters=tuple(
            (stored.index(n), adapter(n)) for n in stored if how[n] is not Column.scalar
        ),
        parts={p.name: adapter(p.name) for p in kind.parts},
        named=tuple(
            (code, at[code], at[zh], at[en]) for code, (zh, en) in NAMED.items() if zh in named
        ),
        **{k: tuple(by_type[k]) for k in ("text", "flags", "days", "moments", "joined", "dumped")},
        textual=textual,
    )


def _textual(session: Session) -> bool:
    """Whether the database keeps times as text (SQLite), for `plan`."""
    return session.get_bind().dialect.name == "sqlite"


def _moment_text(raw: str) -> str:
    """A time as SQLite keeps it (UTC, `YYYY-MM-DD HH:MM:SS.ffffff`) as the public models write
    it in JSON (`YYYY-MM-DDTHH:MM:SSZ`, with the microseconds only when there are some)."""
    if len(raw) == 26 and raw[10] == " " and raw[19] == ".":
        fraction = raw[20:]
        return f"{raw[:10]}T{raw[11:19]}{'' if fraction == '000000' else '.' + fraction}Z"
    moment = datetime.fromisoformat(raw)  # another spelling: parsed, as SQLAlchemy would
    return _moment(moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC))


def _row_batches(session: Session, query: RecordQuery, size: int) -> Iterator[Sequence[Row[Any]]]:
    """The query's whole set as tuples of the plan's columns, in keyset batches (as `run`)."""
    kind = KINDS[query.kind]
    table = kind.table
    columns_ = plan(query.kind, _textual(session))
    date_col = kind.date_key(table)
    # The batch's last date comes back as text when the plan reads text: compared as text,
    # which is how SQLite compares the stored values (the same SQL, the same index).
    date_key = type_coerce(date_col, Text) if columns_.textual else date_col
    newest = query.sort == Sort.newest
    order = (date_col.desc(), table.id.desc()) if newest else (date_col.asc(), table.id.asc())
    query = replace(query, cursor=None)
    connection = session.connection()  # plain rows: no ORM objects, no identity map
    last: tuple[Any, str] | None = None
    while True:
        stmt = filtered(session, query).with_only_columns(*columns_.selected)
        if last is not None:
            value, ident = last  # written so the date index seeks to the batch (listing.run)
            if newest:
                stmt = stmt.where(date_key <= value, or_(date_key < value, table.id < ident))
            else:
                stmt = stmt.where(date_key >= value, or_(date_key > value, table.id > ident))
        rows = connection.execute(stmt.order_by(*order).limit(size + 1)).all()
        if len(rows) <= size:
            yield rows
            return
        rows = rows[:size]
        yield rows
        dated = (rows[-1][i] for i in columns_.date_at)
        last = (next(v for v in dated if v is not None), rows[-1][columns_.id_at])


def _tails(session: Session, steps: Plan, ids: list[str]) -> list[tuple[dict[str, Any], Any]]:
    """The tail fields (kind, pollutants, parts in JSON form) of a batch's records, one query
    per part: for each field, its values by record id and the value of a record without any."""
    kind = KINDS[steps.kind_name]
    connection = session.connection()
    found: dict[str, dict[str, Any]] = {"kind": {}}
    if "pollutants" in steps.tail:
        codes: dict[str, list[str]] = {}
        found["pollutants"] = codes
        for record_id, code in connection.execute(
            select(col(RecordPollutant.record_id), col(RecordPollutant.pollutant))
            .where(col(RecordPollutant.record_id).in_(ids))
            .order_by(RecordPollutant.pollutant)
        ):
            if record_id in codes:
                codes[record_id].append(code)
            else:
                codes[record_id] = [code]
    for part in kind.parts:
        table: Any = part.table.__table__  # type: ignore[attr-defined]
        fk = table.c[part.fk]
        judged = _PART_PUBLIC[part.name]
        result = connection.execute(select(table).where(fk.in_(ids)).order_by(*part.order()))
        keys = tuple(result.keys())
        items: dict[str, list[Any]] = defaultdict(list)
        for values in result:
            child = dict(zip(keys, values, strict=True))
            items[child[part.fk]].append(judged(child))
        dump = steps.parts[part.name].dump_python
        found[part.name] = {rid: dump(its, mode="json") for rid, its in items.items()}
    return [
        (found[name], steps.kind_name if name == "kind" else steps.defaults[name])
        for name in steps.tail
    ]


def _records(session: Session, query: RecordQuery) -> Iterator[tuple[Plan, list[list[Any]]]]:
    """Each batch as lists of the public fields' values in order, in JSON form except for
    scalars (times, dates, booleans stay Python values)."""
    steps = plan(query.kind, _textual(session))
    kind = KINDS[query.kind]
    size = PARTS_BATCH if kind.parts else BATCH
    moments = steps.moments if steps.textual else ()
    id_at, adapters, order, loads = steps.id_at, steps.adapters, steps.order, json.loads
    unnamed = [None] * 2 * len(steps.named)
    for rows in _row_batches(session, query, size):
        tails = _tails(session, steps, [row[id_at] for row in rows])
        out = []
        for row in rows:
            record_id = row[id_at]
            values = [*row, *[values.get(record_id, none) for values, none in tails], *unnamed]
            for at, adapter in adapters:
                value = values[at]
                if type(value) is str:  # stored JSON, read as text (see Plan.selected)
                    value = [] if value == "[]" else loads(value)
                if value:  # an empty list stays as it is
                    # As stored: a row from before a rule (a date's range) is shown, not refused.
                    value = adapter.validate_python(value, context=AS_STORED)
                    value = adapter.dump_python(value, mode="json")
                values[at] = value
            if order is not None:
                values = [values[i] for i in order]
            for at in moments:  # text: the JSON form now; dates are already theirs
                if values[at] is not None:
                    values[at] = _moment_text(values[at])
            out.append(values)
        for code, code_at, zh_at, en_at in steps.named:
            found = names_for(session, code, (values[code_at] for values in out))
            for values in out:
                values[zh_at], values[en_at] = found.get(values[code_at], (None, None))
        yield steps, out


def csv_chunks(session: Session, query: RecordQuery, *, bom: bool = False) -> Iterator[bytes]:
    """The set as UTF-8 CSV with a header row, one chunk per batch.

    Cells are the same as `cell()` gives for the public model's JSON form, built straight
    from the table rows (see Plan)."""
    steps = plan(query.kind, _textual(session))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(steps.names)
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    risky, flag, dumps = _RISKY, _FLAG, _json_cell
    for steps, rows in _records(session, query):
        text, flags, days, moments, joined, dumped = (
            steps.text,
            steps.flags,
            steps.days,
            steps.moments,
            steps.joined,
            steps.dumped,
        )
        buffer.seek(0)
        buffer.truncate()
        for values in rows:
            for at in text:
                value = values[at]
                if value and value[0] in risky:
                    values[at] = neutralise(value)
            for at in flags:
                value = values[at]
                if value is not None:
                    values[at] = flag[value]
            if not steps.textual:  # else already the JSON form's text
                for at in days:
                    value = values[at]
                    if value is not None:
                        values[at] = value.isoformat()
                for at in moments:
                    value = values[at]
                    if value is not None:
                        values[at] = _moment(value)
            for at in joined:
                value = values[at]
                values[at] = "" if value is None else neutralise(";".join(value))
            for at in dumped:
                value = values[at]
                values[at] = "" if value is None else dumps(value)
        writer.writerows(rows)  # None is an empty cell
        if rows:
            yield buffer.getvalue().encode()


def _json_cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def ndjson_chunks(session: Session, query: RecordQuery) -> Iterator[bytes]:
    """The set as NDJSON: one record per line, the same fields as an API item without links."""
    to_json = pydantic_core.to_json
    for steps, rows in _records(session, query):
        names = steps.names
        if rows:
            yield b"".join(
                to_json(dict(zip(names, values, strict=True))) + b"\n" for values in rows
            )


def table_chunks(
    model: type[BaseModel], batches: Iterable[Sequence[BaseModel]], fmt: str, *, bom: bool = False
) -> Iterator[bytes]:
    """CSV, NDJSON or Parquet chunks of a derived table (rows of `model`, a batch at a time,
    such as the compliance table): the same cells, lines and column types as the records'."""
    if fmt == "parquet":
        from portal.api.parquet import model_parquet_chunks  # it builds on this module

        return model_parquet_chunks(model, batches)
    if fmt == "csv":
        return _model_csv(model, batches, bom)
    return (b"".join(pydantic_core.to_json(row) + b"\n" for row in rows) for rows in batches)


def _model_csv(
    model: type[BaseModel], batches: Iterable[Sequence[BaseModel]], bom: bool
) -> Iterator[bytes]:
    how = model_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in how])
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            values = row.model_dump(mode="json")
            writer.writerow([cell(values[name], column) for name, column in how])
        yield buffer.getvalue().encode()


def chunks(session: Session, query: RecordQuery, fmt: str, *, bom: bool = False) -> Iterator[bytes]:
    """CSV, NDJSON or Parquet chunks of a query's whole set."""
    if fmt == "csv":
        return csv_chunks(session, query, bom=bom)
    if fmt == "parquet":
        from portal.api.parquet import parquet_chunks  # it builds on this module

        return parquet_chunks(session, query)
    return ndjson_chunks(session, query)
