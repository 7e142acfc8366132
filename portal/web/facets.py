"""Facet counts of a listing: how many of its records fall under each province, pollutant, sector
and outcome (or status, or category), counted over the listing's other filters, so a reader sees
what choosing each value would give.

Counted in SQL from the listing's own filtered query (the records layer's), one GROUP BY per
facet, and remembered per data version like the listing totals."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from cachetools import LRUCache
from sqlalchemy import distinct, func
from sqlmodel import Session, col

from portal.models.enterprise import Enterprise
from portal.models.incident import IncidentEnterprise
from portal.models.revision import RecordPollutant
from portal.records import RecordQuery, Sort
from portal.records.kinds import kind_named
from portal.records.listing import data_version, filtered

# The facets each listing shows, in order (only filters the kind takes).
ORDER = ("province", "pollutant", "sector", "outcome", "status", "category")
MEMORY = 512  # listings whose counts a process keeps
_lock = threading.Lock()  # cachetools' caches are not safe across threads
_memory: LRUCache[tuple[Any, ...], dict[str, list[tuple[str, int]]]] = LRUCache(maxsize=MEMORY)


def facets_of(kind: str) -> tuple[str, ...]:
    """The facets a listing of this kind shows."""
    filters = kind_named(kind).filters
    return tuple(name for name in ORDER if name in filters)


def _group(session: Session, query: RecordQuery, name: str) -> list[tuple[str, int]]:
    kind = kind_named(query.kind)
    table = kind.table
    stmt: Any = filtered(session, query, walk=False)
    counted: Any = func.count()
    value: Any
    if name == "pollutant":  # (record, pollutant) is the key of record_pollutant: no duplicates
        value = col(RecordPollutant.pollutant)
        stmt = stmt.join(RecordPollutant, col(RecordPollutant.record_id) == table.id)
    elif name == "sector" and kind.name == "incidents":  # two enterprises may share a sector
        value, counted = col(Enterprise.sector), func.count(distinct(table.id))
        stmt = stmt.join(IncidentEnterprise, col(IncidentEnterprise.incident_id) == table.id).join(
            Enterprise, col(Enterprise.id) == col(IncidentEnterprise.enterprise_id)
        )
    elif name in ("province", "sector") and kind.name in ("inspections", "disclosures"):
        value = getattr(Enterprise, name)
        stmt = stmt.join(Enterprise, col(Enterprise.id) == table.enterprise_id)
    else:
        value = getattr(table, name)
    rows = session.execute(stmt.with_only_columns(value, counted).group_by(value))
    pairs = [(str(v), int(n)) for v, n in rows if v is not None]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def facet_counts(session: Session, query: RecordQuery) -> dict[str, list[tuple[str, int]]]:
    """For each facet of the listing, (value, count) pairs, most first; each counted with every
    filter of the query but its own."""
    version, _ = data_version(session)
    plain = replace(query, cursor=None, limit=0, sort=Sort.newest)
    key = (str(session.get_bind().engine.url), version, plain)
    with _lock:
        known = _memory.get(key)
    if known is not None:
        return known
    out = {}
    for name in facets_of(query.kind):
        unfiltered: dict[str, Any] = {name: None}
        out[name] = _group(session, replace(plain, **unfiltered), name)
    with _lock:
        _memory[key] = out
    return out
