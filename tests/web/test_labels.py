"""Every enumeration value a page shows has a Chinese and an English label."""

from enum import StrEnum

import pytest

from portal.models.department import DepartmentFunction, DepartmentLevel
from portal.models.disclosure import DisclosureCategory, ReportType
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import InspectionKind, Outcome
from portal.models.labels import LABELS, label

ENUMS = [
    DepartmentFunction,
    DepartmentLevel,
    DisclosureCategory,
    ReportType,
    EnterpriseStatus,
    Sector,
    IncidentStatus,
    InspectionKind,
    Outcome,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_value_has_both_labels(enum: type[StrEnum]) -> None:
    for member in enum:
        zh, en = LABELS[member.value]
        assert zh and en and zh != en


def test_label_follows_the_language() -> None:
    assert label("rectification_ordered", "zh") == "责令整改"
    assert label("rectification_ordered", "en") == "rectification ordered"
    assert label("not-a-value", "en") == "not-a-value"
