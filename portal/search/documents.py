"""How records become index documents, a batch at a time, and what to do with one that cannot.

Rows are read as plain mappings (no ORM objects, no public models), with a fixed number of
queries per kind of record however many ids; `schema.document` makes each one a document.

A record whose row cannot be read or made into a document (a value no reader accepts, in a row
written before the models refused it, or by hand) is left out and logged, never a stop for the
others (`documents_or_skip`); only errors of the record's own values are taken as that
(RECORD_ERRORS). Anything else, a database gone or a full disk, is raised, so that the catch-up
never steps over records for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlmodel import Session, col

from portal import records
from portal.models import Enterprise, RecordPollutant
from portal.records.kinds import KINDS, Kind, kind_of_id
from portal.search.schema import SEARCHED_KINDS, document

log = logging.getLogger(__name__)
BATCH = 500
# What a record's own values can raise while it is read or made into a document.
RECORD_ERRORS = (ValueError, OverflowError, TypeError, KeyError, AttributeError, DataError)


def names_to_teach(docs: Iterable[dict[str, Any]]) -> set[str]:
    """Chinese names worth teaching jieba: titles of enterprises, departments, and places."""
    out: set[str] = set()
    for doc in docs:
        if doc["kind"] in ("enterprises", "departments"):
            out.add(doc.get("title_zh", ""))
        out.update(line for line in doc.get("names", "").splitlines() if not line.isascii())
    return out


def documents_for(session: Session, ids: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Index documents of the given record ids; and the ids to remove (withdrawn or gone).

    Reads table rows as plain mappings (no ORM objects, no public models): a fixed number of
    queries per kind of record, however many ids."""
    docs: list[dict[str, Any]] = []
    gone: list[str] = []
    by_kind: dict[str, list[str]] = {}
    for record_id in ids:
        by_kind.setdefault(kind_of_id(record_id).name, []).append(record_id)
    for kind_name, kind_ids in by_kind.items():
        if kind_name not in SEARCHED_KINDS:
            continue
        kind = KINDS[kind_name]
        table = kind.table.__table__
        rows = [
            {**row._mapping, "kind": kind_name}
            for row in session.execute(select(table).where(table.c.id.in_(kind_ids)))
        ]
        found = {r["id"] for r in rows}
        gone += [i for i in kind_ids if i not in found]
        live = [r for r in rows if r["withdrawn_at"] is None]
        gone += [r["id"] for r in rows if r["withdrawn_at"] is not None]
        _add_parts(session, kind, live)
        mentioned = {
            i
            for r in live
            for i in [
                r["publisher_id"],
                r.get("enterprise_id"),
                *(p["enterprise_id"] for p in r.get("responsible", ())),
                *(p["department_id"] for p in r.get("updates", ())),
            ]
            if i
        }
        names = records.names(session, sorted(mentioned))
        places = _enterprise_places(session, sorted(i for i in mentioned if i.startswith("ENT-")))
        docs += [document(r, names, places) for r in live]
    return docs, gone


def documents_or_skip(
    session: Session, ids: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str], dict[str, str]]:
    """`documents_for`, and the records it could not make a document of, with the reason.

    When a batch fails, its records are tried one by one and only the failing ones are left
    out (logged); an error that is not a record's own (RECORD_ERRORS) is raised."""
    try:
        docs, gone = documents_for(session, ids)
        return docs, gone, {}
    except RECORD_ERRORS:
        session.rollback()  # a failed read may have ended the transaction (PostgreSQL)
    docs, gone, failed = documents_one_by_one(session, ids)
    for record_id, why in failed.items():
        log.error("search: %s cannot be indexed, left out: %s", record_id, why)
    return docs, gone, failed


def documents_one_by_one(
    session: Session, ids: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str], dict[str, str]]:
    """`documents_for` of each record alone; those that fail, with why, instead of an error."""
    docs: list[dict[str, Any]] = []
    gone: list[str] = []
    failed: dict[str, str] = {}
    for record_id in ids:
        try:
            one, one_gone = documents_for(session, [record_id])
        except RECORD_ERRORS as exc:
            session.rollback()
            failed[record_id] = _why(exc)
            continue
        docs += one
        gone += one_gone
    return docs, gone, failed


def _why(exc: BaseException) -> str:
    """The first line of an error, short enough for a report."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:200]


# The columns of each part that a document uses.
_PART_COLUMNS = {
    "readings": ("site_zh", "site_en"),
    "figures": ("site_zh", "site_en"),
    "responsible": ("enterprise_id",),
    "updates": ("department_id", "text_zh", "text_en"),
    "penalties": ("enterprise_id",),
}


def _add_parts(session: Session, kind: Kind, rows: list[dict[str, Any]]) -> None:
    """Give each row its pollutants and parts, one query each for all the rows."""
    if not rows:
        return
    by_id = {r["id"]: r for r in rows}
    ids = list(by_id)
    if kind.has_pollutants or kind.pollutant_parts:
        for row in rows:
            row["pollutants"] = []
        for record_id, code in session.execute(
            select(col(RecordPollutant.record_id), col(RecordPollutant.pollutant))
            .where(col(RecordPollutant.record_id).in_(ids))
            .order_by(col(RecordPollutant.pollutant))
        ):
            by_id[record_id]["pollutants"].append(code)
    for part in kind.parts:
        table: Any = part.table.__table__  # type: ignore[attr-defined]
        fk = table.c[part.fk]
        for row in rows:
            row[part.name] = []
        columns = [fk, *(table.c[c] for c in _PART_COLUMNS[part.name])]
        for child in session.execute(select(*columns).where(fk.in_(ids)).order_by(*part.order())):
            by_id[child[0]][part.name].append(child._mapping)


def _enterprise_places(session: Session, ids: list[str]) -> dict[str, dict[str, str]]:
    """Sector, province and city of enterprises, which their inspections and disclosures share."""
    out: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), BATCH):
        rows = session.execute(
            select(
                col(Enterprise.id),
                col(Enterprise.sector),
                col(Enterprise.province),
                col(Enterprise.city_zh),
                col(Enterprise.city_en),
            ).where(col(Enterprise.id).in_(ids[start : start + BATCH]))
        )
        for rid, sector, province, city_zh, city_en in rows:
            out[rid] = {
                "sector": sector,
                "province": province,
                "city_zh": city_zh or "",
                "city_en": city_en or "",
            }
    return out
