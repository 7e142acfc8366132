"""Numbers in records: a JSON `true` or `false` where a number belongs is refused, never read as
1 or 0 (pydantic's lax mode would: `"penalty_yuan": true` was stored as a fine of 1 yuan)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _not_true_or_false(value: Any) -> Any:
    """Refuse a boolean before the number's own validation can turn it into 1 or 0."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "number_not_boolean",
            "{value} is true or false, not a number: write the number itself",
            {"value": str(value).lower()},
        )
    return value


# Not pydantic's strict types: those refuse "150000" too, and a CSV cell is always text.
Whole = Annotated[int, BeforeValidator(_not_true_or_false)]  # a fine in yuan, a year
Real = Annotated[float, BeforeValidator(_not_true_or_false)]  # a reading, a coordinate
