"""CSV cells to field values: `a;b` for lists of words, JSON arrays for nested parts."""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from portal.ingest.readers import TOO_DEEP, FileProblem
from portal.jsondepth import too_deep
from portal.records import Kind


def _bare(annotation: Any) -> Any:
    """A type without its Annotated[...] wrapper."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _list_fields(model: type[BaseModel]) -> tuple[set[str], set[str]]:
    """Names of list fields holding plain strings, and of those holding objects."""
    plain: set[str] = set()
    objects: set[str] = set()
    for name, info in model.model_fields.items():
        annotation = _bare(info.annotation)
        for candidate in (annotation, *typing.get_args(annotation)):
            candidate = _bare(candidate)
            if typing.get_origin(candidate) is list:
                (item,) = typing.get_args(candidate) or (str,)
                item = _bare(item)
                # Words (str, or an enumeration of words such as sanctions) go as `a;b`.
                words = isinstance(item, type) and issubclass(item, str)
                (plain if words else objects).add(name)
    return plain, objects


class CsvCells:
    """Turns CSV cells into field values: `a;b` lists and JSON arrays for nested parts."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.plain, self.objects = _list_fields(kind.create)
        self.fields = set(kind.create.model_fields)

    def check_header(self, header: list[str]) -> None:
        """Refuse unknown columns, naming the ones this kind has."""
        unknown = [h for h in header if h not in self.fields]
        if unknown:
            raise FileProblem(
                f"unknown column(s) {', '.join(unknown)} for {self.kind.name}; the columns are "
                f"{', '.join(sorted(self.fields))}"
            )
        if "id" not in header:
            raise FileProblem("the header has no 'id' column; every record needs its id")

    def convert(self, cells: dict[str, str]) -> dict[str, Any]:
        """Field values from one row's non-empty cells."""
        out: dict[str, Any] = {}
        for name, cell in cells.items():
            if name in self.plain:
                out[name] = [p.strip() for p in cell.split(";") if p.strip()]
            elif name in self.objects:
                try:
                    out[name] = TooDeep(cell) if too_deep(cell) else json.loads(cell)
                except json.JSONDecodeError:
                    out[name] = Unparsed(cell)
            else:
                out[name] = cell
        return out


class Unparsed(str):
    """A CSV cell that should have held a JSON array but did not parse."""

    problem = "the cell must hold a JSON array, e.g. [{...}]"


class TooDeep(Unparsed):
    """A CSV cell whose JSON nests deeper than any record does: not parsed at all."""

    problem = TOO_DEEP
