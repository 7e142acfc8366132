"""SQLModel tables and their input and public models, one module per record kind."""

from typing import Any

from sqlalchemy import Index

from portal.models.department import Department
from portal.models.disclosure import Disclosure, DisclosureFigure
from portal.models.enterprise import Enterprise
from portal.models.incident import Incident, IncidentEnterprise, IncidentReading, IncidentUpdate
from portal.models.inspection import Inspection
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

__all__ = [
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
    "RecordPollutant",
    "Response",
    "Revision",
    "Tip",
    "Token",
]
