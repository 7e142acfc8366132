"""What a client may send the assistant, checked with a sentence for each thing wrong.

The API's request schema is `AskRequest`; the checks are written out by hand so that every
refusal names the field and says what to change (a pydantic error list would not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from portal.assistant.text import normalise, tidy
from portal.models.common import READABLE_PATTERN, TextPattern

MAX_QUESTION = 500  # characters: a question, not a document
MAX_TURNS = 20  # earlier turns a client may send; only the last few are read
MAX_TURN = 4000  # characters of one earlier turn (an answer with its quotes fits)
ROLES = ("user", "assistant")


class Turn(BaseModel):
    """One earlier turn of the conversation."""

    model_config = ConfigDict(extra="forbid")  # as check() refuses any other field

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN)


class AskRequest(BaseModel):
    """A question, with the conversation so far when it follows up on it."""

    # What check() accepts, stated for the API document; check() does the checking.
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, TextPattern(READABLE_PATTERN)] = Field(
        min_length=1,
        max_length=MAX_QUESTION,
        description="In Chinese or English.",
        examples=["Which enterprises were held responsible for the Longjiang cadmium spill?"],
    )
    # null reads as no history: a client that serialises an empty optional as null means that.
    history: list[Turn] | None = Field(
        default_factory=list,
        max_length=MAX_TURNS,
        description="Earlier turns, oldest first, so that a follow-up such as 'Which "
        "enterprise caused it?' is read in context; null or left out: none.",
    )


class BadQuestion(ValueError):
    """A request the assistant cannot read; `problems` says each thing wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Asked:
    """A checked request."""

    question: str
    history: list[Turn]


def _question(value: Any, problems: list[str]) -> str:
    if not isinstance(value, str):
        problems.append("'question' must be a string of text.")
        return ""
    text = tidy(value)
    if not normalise(text):
        problems.append("'question' is empty: write a question.")
    elif max(len(value), len(normalise(text))) > MAX_QUESTION:
        problems.append(
            f"'question' has {len(value):,} characters; ask in at most {MAX_QUESTION} "
            "(one question at a time)."
        )
    return text


def _history(value: Any, problems: list[str]) -> list[Turn]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(
            "'history' must be a list of turns such as "
            '[{"role": "user", "content": "..."}], oldest first.'
        )
        return []
    if len(value) > MAX_TURNS:
        problems.append(f"'history' has {len(value):,} turns; send at most the last {MAX_TURNS}.")
        return []
    turns = []
    for i, item in enumerate(value):
        where = f"'history[{i}]'"
        if not isinstance(item, dict) or set(item) - {"role", "content"}:
            problems.append(f"{where} must be an object with just 'role' and 'content'.")
            continue
        role, content = item.get("role"), item.get("content")
        if role not in ROLES:
            problems.append(f"{where}.role must be 'user' or 'assistant'.")
        if not isinstance(content, str):
            problems.append(f"{where}.content must be a string of text.")
        elif len(content) > MAX_TURN:
            problems.append(f"{where}.content has {len(content):,} characters; at most {MAX_TURN}.")
        elif role in ROLES:
            turns.append(Turn(role=role, content=tidy(content)))
    return turns


def check(payload: Any) -> Asked:
    """Check a decoded request body, or raise BadQuestion with every problem."""
    if not isinstance(payload, dict):
        raise BadQuestion(
            ['The body must be a JSON object such as {"question": "...", "history": []}.']
        )
    problems: list[str] = []
    unknown = sorted(set(payload) - {"question", "history"})
    if unknown:
        names = ", ".join(repr(n[:40]) for n in unknown[:5])
        problems.append(f"Unknown field {names}; the body takes 'question' and 'history'.")
    if "question" not in payload:
        problems.append('\'question\' is missing: send {"question": "..."}.')
        question = ""
    else:
        question = _question(payload["question"], problems)
    history = _history(payload.get("history"), problems)
    if problems:
        raise BadQuestion(problems)
    return Asked(question, history)
