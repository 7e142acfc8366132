"""SQLModel tables and their input and public models, one module per record kind."""

from portal.models.department import Department
from portal.models.disclosure import Disclosure, DisclosureFigure
from portal.models.enterprise import Enterprise
from portal.models.incident import Incident, IncidentEnterprise, IncidentReading, IncidentUpdate
from portal.models.inspection import Inspection
from portal.models.response import Response
from portal.models.revision import RecordPollutant, Revision
from portal.models.tip import Tip
from portal.models.token import AuditEntry, IdempotentAnswer, Token

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
