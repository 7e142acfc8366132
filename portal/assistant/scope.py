"""Which records belong to what a question names: a passage may be cited only when its record is
of, or names, the enterprise, department, city, county, park or river the question grounded
(checked with the listings' own filters, so "belongs" means what the listing means)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from portal import records
from portal.assistant.passages import ids_named
from portal.assistant.question import Anchor, Question
from portal.records import QueryError, parse_query
from portal.records.listing import filtered

SCOPING = ("enterprise", "department")
PLACES = ("city", "county", "park", "river")


def scoping(question: Question) -> list[Anchor]:
    """The anchors that decide which records a passage may come from."""
    return [
        a
        for a in question.anchors
        if a.entities and (a.kind in SCOPING or (a.kind == "place" and a.field in PLACES))
    ]


def _filter(anchor: Anchor) -> str:
    return anchor.kind if anchor.kind in SCOPING else anchor.field


def _values(anchor: Anchor) -> list[str]:
    return list(dict.fromkeys(e.filter_value for e in anchor.entities))


def belonging(session: Session, question: Question, ids: Iterable[str]) -> set[str] | None:
    """The ids (of `ids`) whose records belong to every thing the question names; None when it
    names nothing that scopes records."""
    anchors = scoping(question)
    if not anchors:
        return None
    by_kind: dict[str, list[str]] = {}
    for rid in dict.fromkeys(ids):
        try:
            by_kind.setdefault(records.kind_of_id(rid).name, []).append(rid)
        except records.UnknownKind:
            continue
    keep: set[str] = set()
    for kind, kind_ids in by_kind.items():
        allowed = records.KINDS[kind].filters
        left = set(kind_ids)
        for anchor in anchors:
            values = _values(anchor)
            itself = {rid for rid in left if rid in values}  # the enterprise's own record
            name = _filter(anchor)
            if name not in allowed:
                left = itself
                continue
            matched = set(itself)
            for value in values:
                matched |= _matching(session, kind, name, value, left)
            left = matched
        keep |= left
    return keep | _named_by(session, keep, by_kind)


def _named_by(session: Session, keep: set[str], by_kind: dict[str, list[str]]) -> set[str]:
    """The enterprises and departments among the candidates that a kept record names (those
    held responsible for the river's incident belong to what the question is about)."""
    parties = [
        rid
        for kind in ("enterprises", "departments")
        for rid in by_kind.get(kind, [])
        if rid not in keep
    ]
    if not parties or not keep:
        return set()
    named = {n for r in records.get_records(session, sorted(keep)).values() for n in ids_named(r)}
    return {rid for rid in parties if rid in named}


def _matching(session: Session, kind: str, name: str, value: str, ids: set[str]) -> set[str]:
    """Those of `ids` that the kind's listing filtered by name=value holds."""
    if not ids:
        return set()
    try:
        query = parse_query(kind, {name: value})
    except QueryError:
        return set()
    table = records.KINDS[kind].table
    stmt = filtered(session, query, walk=False).where(table.id.in_(sorted(ids)))
    return set(session.scalars(stmt.with_only_columns(table.id)))
