"""Flat tables (one row model, no nested parts) as CSV, NDJSON and Parquet: the readings.

The same cells as the record downloads (portal.api.export.cell: formulas neutralised, times as
the API writes them) and the same Parquet writer (portal.api.parquet.row_groups), from batches
of rows of one pydantic model, whose fields in order are the columns. No Flask here: the API and
`portal snapshot` write the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import pydantic_core
from pydantic import BaseModel

from portal.api.export import BOM, Column, _scalar_type, cell

Rows = Iterable[Sequence[BaseModel]]


def table_columns(model: type[BaseModel]) -> tuple[str, ...]:
    """The columns of a table of `model`'s rows: its fields, in order."""
    return tuple(model.model_fields)


def csv_table(model: type[BaseModel], batches: Rows, *, bom: bool = False) -> Iterator[bytes]:
    """Rows as UTF-8 CSV with a header row, one chunk per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table_columns(model))
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            [cell(v, Column.scalar) for v in row.model_dump(mode="json").values()] for row in rows
        )
        if rows:
            yield buffer.getvalue().encode()


def ndjson_table(batches: Rows) -> Iterator[bytes]:
    """Rows as NDJSON: one JSON object a line, the fields of the API's items."""
    for rows in batches:
        if rows:
            yield b"".join(pydantic_core.to_json(row) + b"\n" for row in rows)


def parquet_table(model: type[BaseModel], batches: Rows) -> Iterator[bytes]:
    """Rows as one Parquet file of typed columns, a row group at a time."""
    import pyarrow as pa  # imported at the first Parquet download, as the records' are

    from portal.api.parquet import row_groups, scalar_arrow_type

    typed = pa.schema(
        [
            pa.field(name, scalar_arrow_type(_scalar_type(field.annotation)))
            for name, field in model.model_fields.items()
        ]
    )
    names = typed.names

    def arrow(rows: Sequence[BaseModel]) -> Any:
        dumped = [row.model_dump() for row in rows]
        return pa.RecordBatch.from_arrays(
            [pa.array([d[n] for d in dumped], typed.field(n).type) for n in names], schema=typed
        )

    return row_groups(typed, (arrow(rows) for rows in batches if rows))


def table_chunks(
    model: type[BaseModel], batches: Rows, fmt: str, *, bom: bool = False
) -> Iterator[bytes]:
    """CSV, NDJSON or Parquet chunks of a table's rows."""
    if fmt == "csv":
        return csv_table(model, batches, bom=bom)
    if fmt == "parquet":
        return parquet_table(model, batches)
    return ndjson_table(batches)


def table_fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Table Schema fields of a table's columns (the same in every format: all are scalars)."""
    out = []
    for name, field in model.model_fields.items():
        python = _scalar_type(field.annotation)
        kind = (
            "boolean"
            if issubclass(python, bool)
            else "datetime"
            if issubclass(python, datetime)
            else "date"
            if issubclass(python, date)
            else "integer"
            if issubclass(python, int)
            else "number"
            if issubclass(python, float)
            else "string"
        )
        descriptor: dict[str, Any] = {"name": name, "type": kind}
        if field.description:
            descriptor["description"] = field.description
        out.append(descriptor)
    return out
