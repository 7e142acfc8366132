"""Dated, immutable snapshots of every download, with checksums and what changed since the last.

A snapshot is a folder named by its UTC date holding `<kind>.csv` and `<kind>.ndjson` for each
public kind, `readings.csv` and `readings.ndjson` (the readings as one table), `changes.csv`
(kind, id, change, revision), `CHANGES.md`, a `datapackage.json` describing it all with sizes
and hashes, and `SHA256SUMS`. No Flask here: `portal snapshot` writes them and the API lists
and serves them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlmodel import Session, col

from portal.api.datapackage import package
from portal.api.export import chunks, consistent_read
from portal.api.table import table_chunks
from portal.models.incident import ReadingRow
from portal.models.revision import Action, Revision
from portal.records import LISTED_KINDS, RecordQuery
from portal.records.readings import ReadingQuery, reading_batches

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHANGES = ("added", "changed", "withdrawn")
FORMATS = ("csv", "ndjson")  # the data package of a snapshot lists only these
SUMS = "SHA256SUMS"


class SnapshotExists(FileExistsError):
    """A snapshot of that date is already written; snapshots are never overwritten."""


@dataclass
class Written:
    """One file written into a snapshot: its size and SHA-256."""

    name: str
    bytes: int = 0
    sha256: str = ""
    rows: int = 0


@dataclass
class SnapshotInfo:
    """What the API shows of one snapshot."""

    date: str
    created: str
    previous: str | None
    counts: dict[str, int]
    changes: dict[str, dict[str, int]]
    files: list[Written] = field(default_factory=list)


def _write(path: Path, parts: Iterable[bytes]) -> Written:
    digest, size, lines = hashlib.sha256(), 0, 0
    with path.open("wb") as handle:
        for part in parts:
            handle.write(part)
            digest.update(part)
            size += len(part)
            lines += part.count(b"\n")
    return Written(path.name, size, digest.hexdigest(), lines)


def snapshot_dates(root: Path) -> list[str]:
    """Dates of the finished snapshots under root, newest first."""
    if not root.is_dir():
        return []
    return sorted((p.name for p in root.iterdir() if DATE_RE.match(p.name)), reverse=True)


def _created(root: Path, day: str) -> datetime:
    meta = json.loads((root / day / "datapackage.json").read_text("utf-8"))
    return datetime.fromisoformat(meta["created"])


def changes_since(
    session: Session, since: datetime | None, until: datetime
) -> Iterator[tuple[str, str, str, int]]:
    """(kind, id, change, revision) for every record revised in (since, until], by kind and id.

    A record withdrawn in the window counts as withdrawn; one first published in it as added;
    any other as changed. Read from the revisions, so it streams however many there are.
    """
    withdrawn = func.max(case((col(Revision.action) == Action.withdraw.value, 1), else_=0))
    stmt = (
        select(
            col(Revision.kind),
            col(Revision.record_id),
            func.min(col(Revision.number)),
            func.max(col(Revision.number)),
            withdrawn,
        )
        .where(col(Revision.kind).in_(LISTED_KINDS), col(Revision.at) <= until)
        .group_by(col(Revision.kind), col(Revision.record_id))
        .order_by(col(Revision.kind), col(Revision.record_id))
    )
    if since is not None:
        stmt = stmt.where(col(Revision.at) > since)
    for kind, record_id, first, last, was_withdrawn in session.execute(stmt):
        change = "withdrawn" if was_withdrawn else "added" if first == 1 else "changed"
        yield kind, record_id, change, int(last)


def _changes_csv(
    rows: Iterator[tuple[str, str, str, int]], tally: Counter[tuple[str, str]]
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["kind", "id", "change", "revision"])
    for row in rows:
        writer.writerow(row)
        tally[(row[0], row[2])] += 1
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _summary(
    day: str, created: str, previous: str | None, changes: dict[str, dict[str, int]]
) -> str:
    lines = [f"# Clearwater snapshot {day}", "", f"Taken at {created} (UTC)."]
    lines.append(
        f"Changes since the snapshot of {previous}:" if previous else "The first snapshot:"
    )
    lines.append("")
    lines += ["| kind | added | changed | withdrawn |", "|---|---|---|---|"]
    for kind in LISTED_KINDS:
        c = changes[kind]
        lines.append(f"| {kind} | {c['added']} | {c['changed']} | {c['withdrawn']} |")
    lines += ["", "Every id, with its change and revision, is in changes.csv.", ""]
    return "\n".join(lines)


def write_snapshot(engine: Engine, root: Path, *, now: datetime | None = None) -> Path:
    """Write today's snapshot under root and return its folder; refuse if it exists."""
    taken = (now or datetime.now(UTC)).astimezone(UTC)
    day = taken.date().isoformat()
    final = root / day
    if final.exists():
        raise SnapshotExists(
            f"a snapshot for {day} already exists at {final}; snapshots are never overwritten"
        )
    dates = snapshot_dates(root)
    previous = dates[0] if dates else None
    since = _created(root, previous) if previous else None
    work = root / f".{day}.partial-{os.getpid()}"
    work.mkdir(parents=True)
    try:
        files: list[Written] = []
        counts: dict[str, int] = {}
        tally: Counter[tuple[str, str]] = Counter()
        with Session(engine) as session:
            consistent_read(session)
            for kind in LISTED_KINDS:
                query = RecordQuery(kind=kind)
                for fmt in FORMATS:
                    written = _write(work / f"{kind}.{fmt}", chunks(session, query, fmt))
                    files.append(written)
                counts[kind] = files[-1].rows
            for fmt in FORMATS:  # the readings' table, as /api/v1/readings.<fmt> gives it
                rows = reading_batches(session, ReadingQuery())
                written = _write(work / f"readings.{fmt}", table_chunks(ReadingRow, rows, fmt))
                files.append(written)
            files.append(
                _write(
                    work / "changes.csv", _changes_csv(changes_since(session, since, taken), tally)
                )
            )
        changes = {k: {c: tally[(k, c)] for c in CHANGES} for k in LISTED_KINDS}
        created = taken.isoformat()
        summary = _summary(day, created, previous, changes).encode()
        files.append(_write(work / "CHANGES.md", [summary]))
        described = {f.name: f for f in files}
        meta = package(
            formats=FORMATS,
            extra={
                "created": created,
                "clearwater:previous": previous,
                "clearwater:counts": counts,
                "clearwater:changes": changes,
            },
        )
        for res in meta["resources"]:
            res["bytes"] = described[res["path"]].bytes
            res["hash"] = f"sha256:{described[res['path']].sha256}"
        meta["resources"].append(_changes_resource(described["changes.csv"]))
        text = json.dumps(meta, ensure_ascii=False, indent=2).encode()
        files.append(_write(work / "datapackage.json", [text]))
        sums = "".join(f"{f.sha256}  {f.name}\n" for f in files).encode()
        _write(work / SUMS, [sums])
        for path in work.iterdir():
            path.chmod(0o444)
        work.rename(final)  # atomic: a snapshot is either whole or absent
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _changes_resource(written: Written) -> dict[str, Any]:
    return {
        "name": "changes-csv",
        "path": "changes.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "What changed since the previous snapshot",
        "bytes": written.bytes,
        "hash": f"sha256:{written.sha256}",
        "schema": {
            "fields": [
                {"name": "kind", "type": "string"},
                {"name": "id", "type": "string"},
                {"name": "change", "type": "string", "constraints": {"enum": list(CHANGES)}},
                {"name": "revision", "type": "integer"},
            ]
        },
    }


def read_snapshot(root: Path, day: str) -> SnapshotInfo:
    """The facts of one finished snapshot, from its data package and checksums."""
    folder = root / day
    meta = json.loads((folder / "datapackage.json").read_text("utf-8"))
    files = []
    for line in (folder / SUMS).read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        files.append(Written(name, (folder / name).stat().st_size, digest))
    files.append(Written(SUMS, (folder / SUMS).stat().st_size, _sha256(folder / SUMS)))
    return SnapshotInfo(
        date=day,
        created=meta["created"],
        previous=meta.get("clearwater:previous"),
        counts=meta.get("clearwater:counts", {}),
        changes=meta.get("clearwater:changes", {}),
        files=files,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
