"""What a model accepts, its column holds: a whole number a record may carry fits the column it is
stored in on PostgreSQL, so no valid write fails at INSERT (a fine of ¥10^12 was accepted and
then answered 500 there: `integer out of range`)."""

from __future__ import annotations

from typing import Any

from annotated_types import Le
from sqlalchemy import BigInteger, Integer

from portal.records.kinds import KINDS

INTEGER_MAX = 2**31 - 1  # PostgreSQL's INTEGER


def _upper_bound(field: Any) -> int | None:
    bounds = [m.le for m in field.metadata if isinstance(m, Le)]
    return min(bounds) if bounds else None


def test_every_whole_number_a_model_accepts_fits_its_column() -> None:
    checked = []
    for kind in KINDS.values():
        for name, column in kind.table.__table__.columns.items():
            if not isinstance(column.type, Integer) or isinstance(column.type, BigInteger):
                continue
            field = kind.create.model_fields.get(name)
            if field is None:
                continue  # set by the portal (revision), not taken from a writer
            bound = _upper_bound(field)
            assert bound is not None and bound <= INTEGER_MAX, (kind.name, name, bound)
            checked.append(name)
    assert "penalty_yuan" in checked
