"""How well a record and each of its sentences answer a question.

A record may be used only when it mentions every name the question anchors on (the place, the
pollutant, the province, the year). A sentence is worth quoting by the question's other words it
contains; the words a record's facts supply (its kind, outcome, enterprise, city) count half.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from portal.assistant.passages import RecordView, Sentence
from portal.assistant.question import YEAR, Anchor, Question
from portal.assistant.text import Term, en_stems, found
from portal.assistant.text import words_of as _words

# Words so general that finding them says little (they still count, at half weight).
GENERAL = frozenset(
    _words(
        """
        enterprise enterprises company companies incident incidents inspection inspections
        pollution record disclosure disclosures department departments plant factory firm 企业 公司
        事件 检查 污染 记录 披露 部门 工厂
        """
    )
)
MIN_COVERAGE = 0.5
OTHER_LANGUAGE = 0.85  # a sentence in the other language, when the record has the question's


def weight(term: Term) -> float:
    """How much finding a word of the question matters (a name as written, most)."""
    if term.is_name:
        return 1.5
    return 0.5 if term.text.lower() in GENERAL else 1.0


def relevance(question: Question, text: str, rare: Mapping[str, float]) -> float:
    """Share of the question's words, weighted by how rare they are among the candidates, that
    a record's text contains: 1.0 when it has them all."""
    stems = en_stems(text)
    total = have = 0.0
    for term in question.terms:
        w = weight(term) * rare.get(term.text, 1.0)
        total += w
        if found(term, text, stems):
            have += w
    return have / total if total else 1.0


_DIGIT = re.compile(r"\d")


def _mentions(anchor: Anchor, text: str) -> bool:
    lo, hi = anchor.years
    return any(lo <= y <= hi for y in _years_in(text))


@lru_cache(maxsize=4096)
def _years_in(text: str) -> frozenset[int]:
    return frozenset(int(y) for y in re.findall(YEAR, text))


def anchor_in(anchor: Anchor, record: RecordView, haystack: str) -> bool:
    """True when the record is about the anchored name (or year, or is the record named)."""
    if anchor.kind == "id":
        return record.id == anchor.value
    if anchor.kind == "years":
        lo, hi = anchor.years
        if record.period is not None:  # a report of 2023, published in 2024, is of 2023
            first, last = anchor.days or (date(lo, 1, 1), date(hi, 12, 31))
            return first <= record.period[1] and record.period[0] <= last
        if anchor.days and record.day is not None:  # "in June 2019": the record's own day
            return anchor.days[0] <= record.day <= anchor.days[1]
        return any(lo <= y <= hi for y in record.years | _years_in(haystack))
    term = Term(anchor.surface, anchor.variants | {anchor.surface})
    return found(term, haystack, en_stems(haystack))


def usable(question: Question, record: RecordView) -> bool:
    """True when the record mentions every anchor of the question."""
    haystack = record.haystack()
    return all(anchor_in(a, record, haystack) for a in question.anchors)


@dataclass(frozen=True)
class Scored:
    """A sentence with how well it answers the question."""

    sentence: Sentence
    record: RecordView
    score: float
    coverage: float  # share of the question's words found in the sentence or the record's facts
    direct: float  # weight of the question's words found in the sentence itself


def rarity(question: Question, records: Sequence[RecordView]) -> dict[str, float]:
    """How much each word of the question tells the candidate records apart: a word every one of
    them contains (the enterprise's "Recycled Aluminium") counts less than one few contain."""
    texts = [(r.haystack(), en_stems(r.haystack())) for r in records]
    out = {}
    for term in question.terms:
        df = sum(1 for text, stems in texts if found(term, text, stems))
        out[term.text] = 1 + math.log((len(texts) + 1) / (df + 1))
    return out


def score(
    question: Question,
    record: RecordView,
    sentence: Sentence,
    prior: float,
    rare: Mapping[str, float] | None = None,
) -> Scored:
    """Score one sentence of a usable record (`rare`: the words' weights from `rarity`)."""
    rare = rare or {}
    words = sentence.words
    context = record.context(sentence.field)
    matched = f"{context}\n{words}" if context else words
    stems = en_stems(matched)
    facet_stems = en_stems(record.facets)
    total = direct = indirect = 0.0
    gain = 0.0
    for term in question.terms:
        w = weight(term)
        total += w
        if found(term, matched, stems):
            direct += w
            gain += 2 * w * rare.get(term.text, 1.0)
        elif found(term, record.facets, facet_stems):
            indirect += w
            gain += w * rare.get(term.text, 1.0)
    coverage = (direct + indirect) / total if total else 1.0
    named = sum(
        1
        for a in question.anchors
        if a.kind not in ("years", "id")
        and found(Term(a.surface, a.variants | {a.surface}), matched, stems)
    )
    value = gain + 0.4 * named + prior
    if question.figure and _DIGIT.search(words):
        value += 0.6  # "how much", "when": a sentence with a figure or a date
    # A sentence of the year asked about, within a record of several years; a month or a day
    # was already the record's own day (usable), and a sentence repeating it answers no more.
    value += 0.4 * sum(
        1 for a in question.anchors if a.kind == "years" and not a.days and _mentions(a, words)
    )
    if question.kind == record.kind:
        value += 0.8
    if question.who and (sentence.field.startswith("responsible.") or record.kind == "enterprises"):
        value += 1.5  # "which enterprise ...": the parties held responsible answer it
    value += 0.6 / (1 + sentence.position)  # a record's opening sentences say what it is about
    if sentence.lang != question.lang and record.has_language(question.lang):
        value *= OTHER_LANGUAGE
    return Scored(sentence, record, value, coverage, direct)


def answers(question: Question, best: Scored) -> bool:
    """True when the best sentence is evidence enough to answer at all."""
    if best.coverage < MIN_COVERAGE:
        return False
    if question.terms and best.direct == 0 and best.coverage < 1.0:
        return False
    return bool(question.terms or question.anchors)
