"""What the assistant answers: the text with [n] markers, the citations, and how it was made.

These models are also the API's response schema (POST /api/v1/ask), so a field is defined once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["extractive", "llm", "count"]
Refusal = Literal[
    "greeting", "off_topic", "injection", "no_evidence", "unknown_name", "cannot_filter"
]


class Citation(BaseModel):
    """A record an answer quotes, with the passage quoted (the record's own words)."""

    n: int = Field(description="The marker in the answer: [1] is the citation with n = 1.")
    id: str
    kind: str
    title: str = Field(description="In the question's language where the record has it.")
    url: str = Field(description="The record as JSON.")
    html: str = Field(description="The record's page.")
    passage: str = Field(
        description="The words quoted, exactly as the record has them; or, when `field` is "
        "set, that field of the record stated as a sentence."
    )
    field: str | None = Field(
        default=None,
        description="For a fact stated from a record's field rather than quoted from its text "
        "(credit_code, readings.0, penalty_yuan): the field. The passage is then the portal's "
        "rendering of that field, checked against the record's values.",
    )
    date: dt.date | None = Field(description="The record's date (began, inspected, published).")
    publisher: str = Field(description="The id of the department or enterprise behind it.")


class CountResult(BaseModel):
    """A count made by the database, with the listing that reproduces it."""

    kind: str
    total: int
    filters: dict[str, str] = Field(description="The listing filters the question became.")
    listing: str = Field(description="The listing page with these filters.")
    api: str = Field(description="The same listing as JSON.")


class Answer(BaseModel):
    """An answer built only from Clearwater's records, or a refusal that says why not."""

    question: str = Field(description="The question, as read (whitespace and forms normalised).")
    standalone: str = Field(
        description="The question answered: a follow-up rewritten with what the conversation "
        "was about."
    )
    answer: str = Field(description="The answer, with [n] markers pointing at `citations`.")
    citations: list[Citation]
    grounded: bool = Field(description="True when the answer rests on cited records or a count.")
    mode: Mode = Field(
        description="extractive: sentences chosen from the records (the default, offline); "
        "llm: written by the configured language model from numbered sources; "
        "count: counted or ranked by the database (a superlative: the largest fine, the "
        "latest incident)."
    )
    refusal: Refusal | None = Field(
        default=None,
        description="Why there is no answer: greeting, off_topic, injection, no_evidence; "
        "unknown_name (the question names something no record holds: the answer says which); "
        "cannot_filter (a count or ranking with a condition no listing filter expresses: the "
        "answer names it).",
    )
    data_as_of: dt.datetime | None = Field(
        description="The newest `updated_at` among the records the answer used."
    )
    lang: Literal["zh", "en"]
    counts: list[CountResult] = Field(
        default_factory=list,
        description="For a counting question: each count the database made (one per outcome "
        "asked about), with its filters and listing.",
    )
