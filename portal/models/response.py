"""Responses: an enterprise's reply to an incident or inspection that names it (right of reply)."""

from __future__ import annotations

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from portal.models.common import Body, PublishedFields, RecordColumns, RecordPublic
from portal.models.partial import correction_model


class ResponseBase(SQLModel):
    """The reply and what it answers."""

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=40)
    subject_id: str = Field(index=True, max_length=40)
    text_zh: Body = Field(sa_type=String(20000))
    text_en: Body | None = Field(default=None, sa_type=String(20000))


class ResponseCreate(ResponseBase, PublishedFields):
    """A response as its enterprise files it."""

    @model_validator(mode="after")
    def _coherent(self) -> ResponseCreate:
        if not self.subject_id.startswith(("INC-", "INS-")):
            raise ValueError(
                "subject_id must name an incident (INC-...) or an inspection (INS-...)"
            )
        if self.publisher_id != self.enterprise_id:
            raise ValueError("a response is published by its own enterprise")
        return self


ResponseCorrection = correction_model(ResponseBase, "ResponseCorrection")


class Response(ResponseBase, RecordColumns, table=True):
    """The response table."""


class ResponsePublic(ResponseBase, RecordPublic):
    """A response as the public sees it."""
