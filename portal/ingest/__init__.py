"""Import department files: validate every row, write all or nothing, idempotent by id."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel import Session

from portal.ingest.cells import CsvCells, Unparsed
from portal.ingest.readers import FileProblem, Row, open_rows
from portal.models.common import ID_MAX, ID_RE, Input
from portal.models.department import Department
from portal.models.enterprise import Enterprise
from portal.models.tip import TipCreate
from portal.records import KINDS, Kind, Problem, UnknownKind, apply, kind_of_id, plan
from portal.records.checks import Writer, publishers_of, writer_of
from portal.records.tips import TIP_PREFIX, receive_tips
from portal.records.write import now_utc, validation_problems

CHUNK = 1000
KEEP_PROBLEMS = 200  # kept in the result; every problem is still passed to on_problem


@dataclass(frozen=True)
class LineProblem:
    """One problem of an import: the line, the field and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class ImportResult:
    """What an import found and did (or, with problems or --dry-run, would have done)."""

    kind: str | None = None
    rows: int = 0
    new: int = 0
    corrected: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be written as a whole."""
        return self.problem_count == 0


def _detect_kind(path: Path, first: Row | None, named: str | None) -> Kind | None:
    """The kind of the file's records; None for a file of citizen tips."""
    if named:
        try:
            return KINDS[named]
        except KeyError:
            raise FileProblem(f"unknown kind {named!r}; the kinds are {', '.join(KINDS)}") from None
    if first is None:
        raise FileProblem(f"{path.name} holds no records")
    record_id = first.data.get("id")
    if not isinstance(record_id, str):
        raise FileProblem(f"line {first.line}: the first record has no id, so its kind is unknown")
    if record_id.startswith(TIP_PREFIX + "-"):
        return None
    try:
        return kind_of_id(record_id)
    except UnknownKind as exc:
        raise FileProblem(f"line {first.line}: {exc}") from None


def _peek_kind(path: Path, named: str | None) -> Kind | None:
    if named:
        return _detect_kind(path, None, named)
    rows = open_rows(path)
    try:
        return _detect_kind(path, next(rows, None), None)
    finally:
        rows.close()


class _SeenIds:
    """Ids already read in this import, kept in a temporary table so memory stays flat."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.name = f"import_seen_{uuid.uuid4().hex[:12]}"
        session.connection().execute(
            text(f"CREATE TEMPORARY TABLE {self.name} (id VARCHAR(40) PRIMARY KEY, line INTEGER)")
        )

    def add(self, pairs: list[tuple[str, int]]) -> dict[str, int]:
        """Record ids; return those seen before with the line they were first on."""
        conn = self.session.connection()
        ids = [p[0] for p in pairs]
        found: dict[str, int] = dict(
            conn.execute(
                text(f"SELECT id, line FROM {self.name} WHERE id IN :ids").bindparams(  # noqa: S608  # nosec B608  # the table name is our own uuid
                    _expanding("ids")
                ),
                {"ids": ids},
            ).all()
        )
        first_lines: dict[str, int] = {}
        for record_id, line in pairs:
            first_lines.setdefault(record_id, line)
        fresh = [{"id": i, "line": n} for i, n in first_lines.items() if i not in found]
        if fresh:
            conn.execute(text(f"INSERT INTO {self.name} (id, line) VALUES (:id, :line)"), fresh)  # noqa: S608  # nosec B608  # the table name is our own uuid
        return found

    def drop(self) -> None:
        """Remove the table (it would also vanish with the connection)."""
        self.session.connection().execute(text(f"DROP TABLE IF EXISTS {self.name}"))


def _expanding(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def _check_publisher(session: Session, as_publisher: str, kind: Kind) -> Writer:
    """The writer a file is imported as: the publishers it may publish, correct and credit for."""
    table: Any = Department if as_publisher.startswith("DEP-") else Enterprise
    # A new department may publish its own record in the file that creates it.
    bootstrap = kind.name == "departments" and as_publisher.startswith("DEP-")
    known = as_publisher.startswith(("DEP-", "ENT-")) and (
        bootstrap or session.get(table, as_publisher) is not None
    )
    if not known:
        raise FileProblem(
            f"--as {as_publisher}: no department or enterprise has that id "
            "(see the departments listing, or publish the enterprise first)"
        )
    return writer_of(session, as_publisher)


def import_file(
    session: Session,
    path: Path,
    *,
    as_publisher: str | None,
    kind_name: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
    on_problem: Callable[[LineProblem], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and write a file in the session's transaction; the caller commits only if ok.

    `as_publisher` fills rows without a publisher and bounds those with one (a ministry may
    publish for its bureaus); None trusts each row's publisher (sample loading).
    """
    moment = now or now_utc()
    result = ImportResult()
    batch = f"import:{path.name}:{moment.isoformat()}"[:64]

    def report(problem: LineProblem) -> None:
        result.problem_count += 1
        if len(result.problems) < KEEP_PROBLEMS:
            result.problems.append(problem)
        if on_problem:
            on_problem(problem)

    try:
        kind = _peek_kind(path, kind_name)
        if kind is None:
            _import_tips(session, path, moment, result, report)
            return result
        result.kind = kind.name
        writer = _check_publisher(session, as_publisher, kind) if as_publisher else None
        cells = CsvCells(kind)
        rows = open_rows(
            path, progress=progress, convert=cells.convert, check_header=cells.check_header
        )
        seen = _SeenIds(session)
        for chunk in _chunks(rows):
            _import_chunk(
                session,
                kind,
                chunk,
                seen,
                writer,
                reason,
                moment,
                batch,
                result,
                report,
            )
        seen.drop()
    except FileProblem as exc:
        text_ = str(exc)
        line = 0
        if text_.startswith("line "):
            head, _, rest = text_.partition(": ")
            digits = head.removeprefix("line ").split(",")[0]
            line, text_ = (int(digits), rest) if digits.isdigit() else (0, text_)
        report(LineProblem(line, "", text_))
    return result


def _import_tips(
    session: Session,
    path: Path,
    moment: datetime,
    result: ImportResult,
    report: Callable[[LineProblem], None],
) -> None:
    """Tips have no publisher and no revisions: they are received, then moderated."""
    result.kind = "tips"
    items, lines = [], []
    for row in open_rows(path):
        result.rows += 1
        try:
            items.append(TipCreate.model_validate(row.data))
            lines.append(row.line)
        except ValidationError as exc:
            for p in validation_problems(row.line, exc, TipCreate):
                report(LineProblem(row.line, p.field, p.message))
    if result.problem_count:
        return
    new, unchanged, problems = receive_tips(session, items, now=moment)
    for problem in problems:
        report(_at_line(problem, lines))
    result.new, result.unchanged = new, unchanged


def _chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _import_chunk(
    session: Session,
    kind: Kind,
    chunk: list[Row],
    seen: _SeenIds,
    writer: Writer | None,
    reason: str | None,
    moment: datetime,
    batch: str,
    result: ImportResult,
    report: Callable[[LineProblem], None],
) -> None:
    items: list[Input] = []
    lines: list[int] = []
    ids: list[tuple[str, int]] = []
    # A row without a publisher keeps the record's own (a correction never changes it); only a
    # new record takes the importer's.
    owners = publishers_of(session, kind, _row_ids(chunk)) if writer else {}
    for row in chunk:
        result.rows += 1
        data = row.data
        bad_cells = [k for k, v in data.items() if isinstance(v, Unparsed)]
        for name in bad_cells:
            report(LineProblem(row.line, name, data[name].problem))
        if bad_cells:
            continue
        record_id = data.get("id")
        if isinstance(record_id, str) and not record_id.startswith(kind.prefix + "-"):
            report(
                LineProblem(
                    row.line,
                    "id",
                    f"{record_id} is not a {kind.name[:-1]} id "
                    f"({kind.prefix}-...); a file holds one kind of record",
                )
            )
            continue
        if writer is not None:
            named = data.get("publisher_id")
            if named is None:
                owner = owners.get(record_id.strip()) if isinstance(record_id, str) else None
                data = {**data, "publisher_id": owner or writer.publisher_id}
            elif named not in writer.bounds:
                report(
                    LineProblem(
                        row.line,
                        "publisher_id",
                        f"{named} is not {writer.publisher_id} "
                        "or one of its bureaus; import each publisher's rows as it",
                    )
                )
                continue
        try:
            item = kind.create.model_validate(data)
        except ValidationError as exc:
            for p in validation_problems(row.line, exc, kind.create):
                report(LineProblem(row.line, p.field, p.message))
            continue
        items.append(item)
        lines.append(row.line)
        ids.append((item.id, row.line))  # type: ignore[attr-defined]
    duplicates = seen.add(ids) if ids else {}
    local: dict[str, int] = {}
    keep_items, keep_lines = [], []
    for item, line in zip(items, lines, strict=True):
        rid = item.id  # type: ignore[attr-defined]
        first = duplicates.get(rid) or local.get(rid)
        if first is not None and first != line:
            report(LineProblem(line, "id", f"{rid} appears again (first on line {first})"))
            continue
        local[rid] = line
        keep_items.append(item)
        keep_lines.append(line)
    planned, problems = plan(
        session, kind, keep_items, now=moment, allow_corrections=reason is not None, writer=writer
    )
    for problem in problems:
        report(_at_line(problem, keep_lines))
    if result.problem_count:
        return  # keep reading to report every problem, but write nothing more
    result.new += sum(1 for p in planned if p.action and p.action.value == "publish")
    result.corrected += sum(1 for p in planned if p.action and p.action.value == "correct")
    result.unchanged += sum(1 for p in planned if p.action is None)
    author = writer.publisher_id if writer else None
    apply(session, kind, planned, author_id=author, now=moment, reason=reason, batch=batch)


def _row_ids(chunk: list[Row]) -> list[str]:
    """The well-formed ids a chunk's rows name (a bad one is refused later, with its line; it
    is never sent to the database, which may refuse a NUL in it)."""
    texts = (i.strip() for i in (row.data.get("id") for row in chunk) if isinstance(i, str))
    return [i for i in texts if len(i) <= ID_MAX and ID_RE.match(i)]


def _at_line(problem: Problem, lines: list[int]) -> LineProblem:
    return LineProblem(lines[problem.index], problem.field, problem.message)
