"""What a record page shows beside the record: an enterprise's compliance summary and the timeline
of everything about it, a department's bureaus and output, an incident's map and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from flask import url_for
from sqlmodel import Session

from portal import records
from portal.records import RecordQuery, compliance
from portal.records.query import CHINA
from portal.web.charts import ReadingChart, reading_charts
from portal.web.i18n import pick
from portal.web.maps import MapFigure, Place, place_map

MANY = 1000  # records of one kind gathered for an enterprise page (the listing has the rest)


@dataclass(frozen=True)
class Event:
    """One entry of an enterprise's timeline."""

    when: date | datetime
    item: Any
    by: str | None  # who published it

    @property
    def sort_key(self) -> datetime:
        """The moment, dates taken as the start of their China day."""
        if isinstance(self.when, datetime):
            return self.when
        return datetime.combine(self.when, time.min, CHINA)


@dataclass
class Compliance:
    """An enterprise's record at a glance."""

    status: str
    inspections: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    penalties: int = 0  # from every source: inspections' fines, incidents' and its own
    fines: list[Any] = field(default_factory=list)  # totals per currency, never added together
    penalty_list: list[Any] = field(default_factory=list)
    open_orders: list[Any] = field(default_factory=list)
    overdue: list[Any] = field(default_factory=list)
    incidents: int = 0
    disclosures: int = 0
    latest_disclosure: Any = None
    responses: int = 0


def _all(session: Session, kind: str, **filters: Any) -> tuple[int, list[Any]]:
    page, items = records.list_records(session, RecordQuery(kind=kind, limit=MANY, **filters))
    return page.total, items


def _marked(item: Any, kind: str, lang: str) -> list[Place]:
    places: list[Place] = []
    _add(places, item, kind, None, lang)
    return places


def enterprise_page(session: Session, item: Any, today: date, lang: str) -> dict[str, Any]:
    """An enterprise's compliance summary, timeline and related records."""
    n_ins, inspections = _all(session, "inspections", enterprise=item.id)
    n_inc, incidents = _all(session, "incidents", enterprise=item.id)
    n_dis, disclosures = _all(session, "disclosures", enterprise=item.id)
    n_rsp, replies = _all(session, "responses", enterprise=item.id)
    summary = Compliance(status=item.status, inspections=n_ins, incidents=n_inc)
    for ins in inspections:
        summary.outcomes[ins.outcome] = summary.outcomes.get(ins.outcome, 0) + 1
        if ins.outcome == "rectification_ordered" and ins.deadline and not ins.follow_up_zh:
            (summary.overdue if ins.deadline < today else summary.open_orders).append(ins)
    summary.disclosures, summary.responses = n_dis, n_rsp
    row = compliance.for_enterprise(session, item.id)
    if row is not None:  # None: a withdrawn enterprise, which counts nothing
        summary.penalties, summary.fines = row.penalties, row.fines
        summary.penalty_list = compliance.penalties_of(session, item.id)
    summary.latest_disclosure = disclosures[0] if disclosures else None
    events = [Event(i.inspected_on, i, i.publisher_id) for i in inspections]
    # An incident of unknown start sits where its listing puts it: when found, or published.
    events += [
        Event(i.began_at or i.found_at or i.published_at, i, i.publisher_id) for i in incidents
    ]
    events += [Event(d.published_at, d, d.publisher_id) for d in disclosures]
    events += [Event(r.published_at, r, r.publisher_id) for r in replies]
    events.sort(key=lambda e: (e.sort_key, e.item.id), reverse=True)
    return {
        "compliance": summary,
        "timeline": events,
        "related": {"incidents": incidents[:20], "inspections": inspections[:20]},
        "map": place_map(_marked(item, "enterprise", lang), lang),
    }


def department_page(session: Session, item: Any) -> dict[str, Any]:
    """A department's bureaus and what it (with them) published."""
    _, subtree = _all(session, "departments", department=item.id)
    bureaus = [d for d in subtree if d.id != item.id and d.parent_id == item.id]
    inc_page, incidents = records.list_records(
        session, RecordQuery(kind="incidents", department=item.id, limit=10)
    )
    ins_page, inspections = records.list_records(
        session, RecordQuery(kind="inspections", department=item.id, limit=10)
    )
    return {
        "bureaus": bureaus,
        "totals": {"incidents": inc_page.total, "inspections": ins_page.total},
        "related": {"incidents": incidents, "inspections": inspections},
    }


def incident_page(session: Session, item: Any, lang: str) -> dict[str, Any]:
    """An incident's map (where it was, reading sites, responsible enterprises) and charts."""
    places: list[Place] = []
    _add(places, item, "incident", item, lang)
    sites: dict[tuple[float, float], Any] = {}
    for r in item.readings:
        if r.latitude is not None and r.longitude is not None:
            sites.setdefault((r.latitude, r.longitude), r)
    for r in sites.values():
        _add(places, r, "site", None, lang, stem="site")
    held = records.get_records(session, [r.enterprise_id for r in item.responsible])
    for r in item.responsible:
        if r.enterprise_id in held:
            _add(places, held[r.enterprise_id], "enterprise", held[r.enterprise_id], lang)
    return {"map": place_map(places, lang), "charts": reading_charts(item.readings)}


def figure_charts(item: Any) -> list[ReadingChart]:
    """A disclosure's figures against their limits."""
    return reading_charts(getattr(item, "figures", []))


def incidents_map(items: list[Any], lang: str) -> MapFigure | None:
    """The incidents of a page on one map, numbered as listed."""
    places: list[Place] = []
    for item in items:
        if item.kind == "incidents":
            _add(places, item, "incident", item, lang)
    return place_map(places, lang)


def _add(
    places: list[Place],
    record: Any,
    kind: str,
    target: Any,
    lang: str = "zh",
    stem: str | None = None,
) -> None:
    """Mark a record (or a reading's site) when it has coordinates, numbered in order."""
    if getattr(record, "latitude", None) is None or getattr(record, "longitude", None) is None:
        return
    if stem is None:
        stem = "title" if kind == "incident" else "name"
    text = pick(record, stem, lang)[0] or str(getattr(record, "id", ""))
    href = None
    if target is not None:
        href = url_for("web.record", kind=target.kind, record_id=target.id, lang=lang)
    places.append(Place(record.latitude, record.longitude, len(places) + 1, text, kind, href))


def today_in_china() -> date:
    """Today's date in China, for deadlines."""
    return datetime.now(UTC).astimezone(CHINA).date()
