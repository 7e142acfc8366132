"""Read department files (CSV, JSON, NDJSON) as numbered rows, streaming, with plain-word errors."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from portal.jsondepth import MAX_DEPTH, too_deep

MAX_LINE_BYTES = 1 << 20  # one NDJSON row or CSV line: 1 MiB
MAX_JSON_BYTES = 50 << 20  # a JSON array is read whole; larger files should be NDJSON
FORMATS = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}


TOO_DEEP = (
    f"the JSON nests lists and objects more than {MAX_DEPTH} levels deep; a record nests at "
    "most four (see docs/data-formats.md)"
)


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Row:
    """One record's raw fields and the line of the file it starts on."""

    line: int
    data: dict[str, Any]


def file_format(path: Path) -> str:
    """csv, json or ndjson, from the file's extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise FileProblem(
            f"{path.name}: unknown file type {path.suffix or '(none)'}; "
            "use .csv, .json or .ndjson (.jsonl)"
        ) from None


def _decode(raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " It reads as GB18030/GBK: convert it with `iconv -f GB18030 -t UTF-8`."
        except UnicodeDecodeError:
            pass
        raise FileProblem(
            f"line {line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02X} at column "
            f"{exc.start + 1}).{hint}"
        ) from None


def _lines(handle: IO[bytes], progress: Callable[[int], None] | None) -> Iterator[str]:
    """Decoded lines, each at most MAX_LINE_BYTES, with a UTF-8 BOM removed from the first."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise FileProblem(f"line {number} is longer than 1 MiB; no record is that large")
        if progress:
            progress(len(raw))
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        yield _decode(raw, number)


def read_ndjson(handle: IO[bytes], progress: Callable[[int], None] | None = None) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped."""
    for number, text in enumerate(_lines(handle, progress), start=1):
        if not text.strip():
            continue
        if too_deep(text):
            raise FileProblem(f"line {number}: {TOO_DEEP}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            truncated = " (the file may be cut short)" if not text.endswith("\n") else ""
            raise FileProblem(f"line {number}: not valid JSON: {exc.msg}{truncated}") from None
        if not isinstance(data, dict):
            raise FileProblem(f"line {number}: each line must be one JSON object {{...}}")
        yield Row(number, data)


def read_json(handle: IO[bytes], progress: Callable[[int], None] | None = None) -> Iterator[Row]:
    """A top-level JSON array of objects (files up to 50 MB)."""
    raw = handle.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise FileProblem("JSON files over 50 MB are not read whole: write it as NDJSON")
    if progress:
        progress(len(raw))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for index, raw_line in enumerate(raw.split(b"\n")):
        _decode(raw_line, index + 1)  # names the first line that is not UTF-8
    if too_deep(raw, MAX_DEPTH + 1):  # the array of records is one level more
        raise FileProblem(TOO_DEEP)
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise FileProblem("a JSON file holds one array of records: [ {...}, {...} ]")
    pos = _skip_ws(text, pos + 1)
    line = 1 + text.count("\n", 0, pos)
    if pos < len(text) and text[pos] == "]":
        return
    counted = pos
    while True:
        try:
            data, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FileProblem(
                f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"
                + (" (the file may be cut short)" if exc.pos >= len(text.rstrip()) else "")
            ) from None
        line += text.count("\n", counted, pos)
        counted = pos
        if not isinstance(data, dict):
            raise FileProblem(f"line {line}: each item of the array must be an object {{...}}")
        yield Row(line, data)
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if _skip_ws(text, pos + 1) != len(text):
                raise FileProblem("there is text after the closing ] of the array")
            return
        raise FileProblem(
            f"line {1 + text.count(chr(10), 0, pos)}: expected ',' or ']' after a record"
            + (" (the file is cut short)" if pos >= len(text) else "")
        )


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def read_csv(
    handle: IO[bytes],
    progress: Callable[[int], None] | None = None,
    convert: Callable[[dict[str, str]], dict[str, Any]] | None = None,
    check_header: Callable[[list[str]], None] | None = None,
) -> Iterator[Row]:
    """A header row of field names, then one record per row; empty cells are absent fields."""
    reader = csv.reader(_lines(handle, progress), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem("the file is empty: a CSV file starts with a header row") from None
    except csv.Error as exc:
        raise FileProblem(f"line 1: {exc}") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise FileProblem("the header names a column twice")
    if check_header:
        check_header(header)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblem(
                f"line {start}: {exc} (a quote may be unclosed or the file cut short)"
            ) from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FileProblem(
                f"line {start}: {len(cells)} cells but the header has {len(header)} columns "
                "(the file may be cut short, or a cell holds an unquoted comma)"
            )
        data = {h: c for h, c in zip(header, cells, strict=True) if c.strip() != ""}
        yield Row(start, convert(data) if convert else data)


def open_rows(
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    convert: Callable[[dict[str, str]], dict[str, Any]] | None = None,
    check_header: Callable[[list[str]], None] | None = None,
) -> Generator[Row, None, None]:
    """Rows of a file of any supported format, opened and closed here."""
    fmt = file_format(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FileProblem(f"{path}: cannot open the file ({exc.strerror})") from None
    with handle:
        if fmt == "csv":
            yield from read_csv(handle, progress, convert, check_header)
        elif fmt == "json":
            yield from read_json(handle, progress)
        else:
            yield from read_ndjson(handle, progress)
