"""Build a correction model (every field optional, plus a reason) from a record's base model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import create_model
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel
from sqlmodel.main import FieldInfoMetadata

from portal.models.common import Input, Reason


def _optional(info: FieldInfo) -> Any:
    """The field's type with its constraints and validators (which pydantic keeps apart from the
    type, in `metadata`), and None allowed; the table's column settings stay behind."""
    kept = [m for m in info.metadata if not isinstance(m, FieldInfoMetadata)]
    annotation: Any = Annotated[(info.annotation, *kept)] if kept else info.annotation
    return annotation | None


def correction_model(base: type[SQLModel], name: str, **extra: Any) -> type[Input]:
    """A model with every field of `base` optional and a required public `reason`.

    The fields keep their types and rules (a date's range, a text's length); the corrected
    record as a whole is validated again by the kind's create model, so cross-field rules hold
    after a correction too.
    """
    fields: dict[str, Any] = {
        field_name: (_optional(info), None) for field_name, info in base.model_fields.items()
    }
    fields.update(extra)
    fields["reason"] = (Reason, ...)
    model: type[Input] = create_model(name, __base__=Input, **fields)
    return model
