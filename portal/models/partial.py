"""Build a correction model (every field optional, plus a reason) from a record's base model."""

from __future__ import annotations

from typing import Any

from pydantic import create_model
from sqlmodel import SQLModel

from portal.models.common import Input, Reason


def correction_model(base: type[SQLModel], name: str, **extra: Any) -> type[Input]:
    """A model with every field of `base` optional and a required public `reason`.

    The fields keep their types; the corrected record as a whole is validated again by the
    kind's create model, so cross-field rules hold after a correction too.
    """
    fields: dict[str, Any] = {
        field_name: (info.annotation | None, None)  # type: ignore[operator]
        for field_name, info in base.model_fields.items()
    }
    fields.update(extra)
    fields["reason"] = (Reason, ...)
    model: type[Input] = create_model(name, __base__=Input, **fields)
    return model
