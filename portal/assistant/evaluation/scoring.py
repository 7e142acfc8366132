"""Scoring the assistant against the fixed questions over the sample (tests/assistant/eval.jsonl).

Each line is one case: `answer` (the answer must cite at least one of the ids in `cite`),
`count` (the answer must be a database count of `kind` with exactly `filters`, and its total
must equal the listing's), or `refuse` (no grounded answer). A `history` may precede it.
Citation validity is checked against the records themselves: every quoted passage must be
the record's own words, in some text of its public form.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from portal import records
from portal.assistant.answer import Answer
from portal.assistant.facts import holds_in
from portal.assistant.inputs import Turn

if TYPE_CHECKING:  # the chain loads LangChain (a second and more) for a type
    from portal.assistant.chain import Assistant


@dataclass
class Outcome:
    """How the assistant did on one case."""

    case: dict[str, Any]
    answer: Answer
    correct: bool
    valid_citations: bool
    seconds: float
    cpu_seconds: float
    why: str = ""


@dataclass
class Report:
    """The figures of one run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _share(self, kinds: tuple[str, ...]) -> float:
        chosen = [o for o in self.outcomes if o.case["type"] in kinds]
        return sum(o.correct for o in chosen) / len(chosen) if chosen else 1.0

    @property
    def accuracy(self) -> float:
        """Share of answerable questions answered with a required citation (or the right count)."""
        return self._share(("answer", "count"))

    @property
    def refusals(self) -> float:
        """Share of off-topic or unanswerable questions refused."""
        return self._share(("refuse",))

    @property
    def citation_validity(self) -> float:
        """Share of answers whose every citation quotes its record's own words."""
        cited = [o for o in self.outcomes if o.answer.citations]
        return sum(o.valid_citations for o in cited) / len(cited) if cited else 1.0

    def failures(self) -> list[Outcome]:
        """The cases the assistant got wrong, or cited wrongly."""
        return [o for o in self.outcomes if not (o.correct and o.valid_citations)]


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of an evaluation file (JSON Lines)."""
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def citations_valid(session: Session, answer: Answer) -> bool:
    """True when every citation names a record whose text contains the quoted passage, or,
    for a fact stated from a field, whose field renders as that sentence (facts.holds)."""
    for citation in answer.citations:
        record = records.get_record(session, citation.id)
        if record is None or not citation.passage:
            return False
        if citation.field:  # a field stated as a sentence: it must be that field's rendering
            if not holds_in(session, record, citation.field, citation.passage):
                return False
        elif not any(citation.passage in text for text in _strings(record.model_dump())):
            return False
    return True


def _judge(session: Session, case: dict[str, Any], answer: Answer) -> tuple[bool, str]:
    kind = case["type"]
    if kind == "refuse":
        return (not answer.grounded, "answered a question it should have refused")
    if kind == "count":
        if answer.mode != "count" or not answer.counts:
            return False, "did not count"
        made = answer.counts[0]
        if made.kind != case["kind"] or {**made.filters, "outcome": ""} != {
            **case["filters"],
            "outcome": "",
        }:
            return False, f"counted {made.kind} with {made.filters}"
        for result in answer.counts:
            query = records.parse_query(result.kind, result.filters)
            listed = records.run(session, query, with_total=True).total
            if listed != result.total:
                return False, f"said {result.total}, the listing has {listed}"
        wanted = case["filters"].get("outcome")
        if wanted and wanted not in {r.filters.get("outcome") for r in answer.counts}:
            return False, f"outcome {wanted} not counted"
        return True, ""
    cited = {c.id for c in answer.citations}
    if not answer.grounded:
        return False, f"refused ({answer.refusal})"
    if answer.mode == "count":
        return False, "counted records instead of answering"
    return (bool(cited & set(case["cite"])), f"cited {sorted(cited)}")


def run(assistant: Assistant, session: Session, cases: list[dict[str, Any]]) -> Report:
    """Ask every case's question and judge the answers."""
    report = Report()
    for case in cases:
        history = [Turn(**t) for t in case.get("history", [])]
        wall, cpu = time.perf_counter(), time.process_time()
        answer = assistant.ask(case["question"], history)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        correct, why = _judge(session, case, answer)
        valid = citations_valid(session, answer)
        report.outcomes.append(
            Outcome(case, answer, correct, valid, wall, cpu, "" if correct else why)
        )
    return report


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0
