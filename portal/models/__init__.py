"""SQLModel tables and their input and public models, one module per record kind."""

from typing import Any

from sqlalchemy import Index, and_, func

from portal.models.alert import AlertLink, AlertSent, AlertSubscription
from portal.models.department import Department
from portal.models.disclosure import Disclosure, DisclosureFigure
from portal.models.enterprise import Enterprise
from portal.models.incident import Incident, IncidentEnterprise, IncidentReading, IncidentUpdate
from portal.models.inspection import Inspection
from portal.models.moderator import ModeratorSession
from portal.models.penalty import Penalty
from portal.models.response import Response
from portal.models.revision import RecordPollutant, Revision
from portal.models.tip import Tip
from portal.models.token import AuditEntry, IdempotentAnswer, Token

# Feeds and mirrors read records newest change first: (updated_at, id) is one index walk even
# when an import gave thousands of records the same updated_at.
_TABLES: tuple[Any, ...] = (Department, Disclosure, Enterprise, Incident, Inspection, Response)
for _table in _TABLES:
    Index(
        f"ix_{_table.__tablename__}_updated_at_id",
        _table.__table__.c.updated_at,
        _table.__table__.c.id,
    )
    # Feeds list what the portal recorded last, then what changed last (decision 0029).
    Index(
        f"ix_{_table.__tablename__}_recorded_updated_id",
        _table.__table__.c.recorded_at,
        _table.__table__.c.updated_at,
        _table.__table__.c.id,
    )

# Listings filter on one value and show the newest first (ORDER BY date DESC, id DESC LIMIT n):
# (filter, date, id) walks the matching rows already in order and stops after a page, where an
# index on the filter alone finds every match and sorts them all (inspections?outcome=violation:
# 11,341 rows, 30 ms a page, against 0.3 ms). Each replaces the index on the filter alone, which
# it serves as well (counts, facets). Filters on the enterprise of an inspection or disclosure
# (province, sector) walk the date index and probe the enterprise; department takes a list of
# bureaus, which no index returns in date order. EXPLAIN before and after: docs/performance.md.
_LISTING_INDEXES: tuple[tuple[Any, str, str], ...] = (
    (Inspection, "outcome", "inspected_on"),
    (Disclosure, "category", "published_at"),
    (Enterprise, "province", "published_at"),
    (Enterprise, "sector", "published_at"),
)
for _table, _filter, _date in _LISTING_INDEXES:
    _c = _table.__table__.c
    Index(f"ix_{_table.__tablename__}_{_filter}_{_date}_id", _c[_filter], _c[_date], _c.id)

# An incident is dated by its start, else when it was found, else published (records/kinds.py:
# Kind.date_key): listings sort and filter on that expression, so their indexes hold it (migration
# 0011). Without them a page of incidents sorted every match (1,000 at 100,000 records: 12 to 35
# ms a page, against under 1 ms).
_i = Incident.__table__.c  # type: ignore[attr-defined]
INCIDENT_DATE = func.coalesce(_i.began_at, _i.found_at, _i.published_at)
Index("ix_incident_dated_id", INCIDENT_DATE, _i.id)
Index("ix_incident_province_dated_id", _i.province, INCIDENT_DATE, _i.id)
Index("ix_incident_status_dated_id", _i.status, INCIDENT_DATE, _i.id)

# The compliance table (records/compliance.py) counts each enterprise's inspections, violations,
# last inspection and fines from this index alone (an inspection's row holds its findings:
# reading them all took 0.7 s a page at 100,000 records, the index 0.1 s), and its open
# rectification orders from the partial index (migration 0012).
_s = Inspection.__table__.c  # type: ignore[attr-defined]
Index(
    "ix_inspection_compliance",
    _s.enterprise_id,
    _s.withdrawn_at,
    _s.outcome,
    _s.inspected_on,
    _s.penalty_yuan,
)
OPEN_ORDER = (
    _s.withdrawn_at.is_(None),
    _s.outcome == "rectification_ordered",
    _s.follow_up_zh.is_(None),
    _s.follow_up_en.is_(None),
)
Index(
    "ix_inspection_open_order",
    _s.enterprise_id,
    sqlite_where=and_(*OPEN_ORDER),
    postgresql_where=and_(*OPEN_ORDER),
)

__all__ = [
    "OPEN_ORDER",
    "AlertLink",
    "AlertSent",
    "AlertSubscription",
    "AuditEntry",
    "Department",
    "Disclosure",
    "DisclosureFigure",
    "Enterprise",
    "IdempotentAnswer",
    "Incident",
    "IncidentEnterprise",
    "IncidentReading",
    "IncidentUpdate",
    "Inspection",
    "ModeratorSession",
    "Penalty",
    "RecordPollutant",
    "Response",
    "Revision",
    "Tip",
    "Token",
]
