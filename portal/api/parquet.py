"""Whole filtered sets as Parquet, streamed a row group at a time with flat memory.

Parquet keeps its footer (the schema and where each row group starts) at the end of the file,
so the file can be sent as it is written: each row group goes out as soon as it is made and
the footer last. The rows come from the same keyset batches as the CSV and NDJSON downloads
(portal.api.export), so the three agree on the set, its order and its values.

Columns are typed: times are timestamps in UTC (microseconds), dates are dates, integers,
numbers and booleans are themselves, lists of codes (pollutants) are Parquet lists of strings,
and nested parts (readings, sources, the timeline) are JSON text, as in the CSV, so every
reader (pandas, DuckDB, R's arrow) sees the same flat table.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel
from sqlmodel import Session

from portal.api.export import NAME_COLUMNS, Column, _records, _scalar_type, model_columns
from portal.records import KINDS, RecordQuery

# A row group ends at GROUP_ROWS rows or GROUP_BYTES of Arrow data, whichever comes first: big
# enough for readers, small enough to hold (20,000 disclosures with their figures as JSON text
# are some 80 MiB, which the writer copies once more while it encodes them).
GROUP_ROWS = 20_000
GROUP_BYTES = 16 << 20
UTC_TIME = pa.timestamp("us", tz="UTC")


def _arrow_type(model: type[BaseModel], name: str, how: Column) -> pa.DataType:
    """The Parquet column type of one field of a public model."""
    if how is Column.joined:
        return pa.list_(pa.string())
    if how is Column.json:
        return pa.string()
    if name == "kind" or name in NAME_COLUMNS:
        return pa.string()
    return scalar_arrow_type(_scalar_type(model.model_fields[name].annotation))


def scalar_arrow_type(python: type) -> pa.DataType:
    """The Parquet column type of a scalar field's Python type."""
    if issubclass(python, bool):
        return pa.bool_()
    if issubclass(python, datetime):
        return UTC_TIME
    if issubclass(python, date):
        return pa.date32()
    if issubclass(python, int):
        return pa.int64()
    if issubclass(python, float):
        return pa.float64()
    return pa.string()  # text and enumerations (their values)


@cache
def schema(kind_name: str) -> pa.Schema:
    """The Parquet schema of a kind's download: the public model's fields in order, with the
    names beside its codes."""
    return model_schema(KINDS[kind_name].public, named=True)


@cache
def model_schema(model: type[BaseModel], named: bool = False) -> pa.Schema:
    """The Parquet schema of a model's rows: its fields in order."""
    return pa.schema(
        [pa.field(name, _arrow_type(model, name, how)) for name, how in model_columns(model, named)]
    )


class _Sink(io.RawIOBase):
    """A write-only file whose bytes are taken out as they come (the response's body)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        block = bytes(data)
        self._parts.append(block)
        self._written += len(block)
        return len(block)

    def tell(self) -> int:
        return self._written

    def take(self) -> bytes:
        """The bytes written since the last take."""
        out, self._parts = b"".join(self._parts), []
        return out


def _column(values: list[Any], typed: pa.DataType) -> pa.Array:
    """One column of a batch. SQLite's times and dates come as text (see export.plan): cast."""
    if typed in (UTC_TIME, pa.date32()) and any(isinstance(v, str) for v in values):
        return pa.array(values, pa.string()).cast(typed)
    if typed == pa.string() and any(isinstance(v, list | dict) for v in values):
        dumps = json.dumps
        values = [
            None if v is None else dumps(v, ensure_ascii=False, separators=(",", ":"))
            for v in values
        ]
    return pa.array(values, typed)


def _batch(typed: pa.Schema, rows: Sequence[Sequence[Any]]) -> pa.RecordBatch:
    arrays = [_column([row[at] for row in rows], typed.field(at).type) for at in range(len(typed))]
    return pa.RecordBatch.from_arrays(arrays, schema=typed)


def parquet_chunks(session: Session, query: RecordQuery) -> Iterator[bytes]:
    """The set as one Parquet file: a chunk per row group (GROUP_ROWS, GROUP_BYTES), then the
    footer. Only one row group is held at a time, as Arrow columns."""
    typed = schema(query.kind)
    batches = (_batch(typed, rows) for _steps, rows in _records(session, query) if rows)
    return row_groups(typed, batches)


def model_parquet_chunks(
    model: type[BaseModel], batches: Iterable[Sequence[BaseModel]]
) -> Iterator[bytes]:
    """A derived table (rows of `model`, a batch at a time) as one Parquet file, as above."""
    typed = model_schema(model)
    names = [name for name, _ in model_columns(model)]
    return row_groups(
        typed,
        (
            _batch(typed, [[r.model_dump(mode="json")[n] for n in names] for r in rows])
            for rows in batches
            if rows
        ),
    )


def row_groups(typed: pa.Schema, batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """Arrow batches of one schema as one Parquet file, a chunk per row group (GROUP_ROWS,
    GROUP_BYTES), then the footer; one row group is held at a time."""
    sink = _Sink()
    writer = pq.ParquetWriter(sink, typed, compression="zstd")
    held: list[pa.RecordBatch] = []
    count = size = 0
    try:
        for batch in batches:
            held.append(batch)
            count += batch.num_rows
            size += batch.nbytes
            if count >= GROUP_ROWS or size >= GROUP_BYTES:
                writer.write_table(pa.Table.from_batches(held), row_group_size=count)
                held, count, size = [], 0, 0
                yield sink.take()
        if held:
            writer.write_table(pa.Table.from_batches(held), row_group_size=count)
    finally:
        writer.close()  # the footer: an empty set is still a valid file with its schema
    yield sink.take()
