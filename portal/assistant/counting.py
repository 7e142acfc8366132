"""Counting questions ("how many inspections in Guangxi found violations in 2023?") answered by
the database through the listings' own RecordQuery, never estimated from retrieved text: every
condition becomes a filter (conditions.py), or the count is refused naming the one that cannot.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlencode

from sqlmodel import Session

from portal import records
from portal.assistant import messages, refusals
from portal.assistant.answer import Answer, Citation, CountResult
from portal.assistant.conditions import plan
from portal.assistant.facts import facts
from portal.assistant.passages import ids_named, place_words, view
from portal.assistant.question import Question
from portal.records import RecordQuery
from portal.records.read import freshness

EXAMPLES = 3
_TIMES = re.compile(r"\btimes\b|次")


def countable(question: Question) -> bool:
    """True when the question asks how many records of a kind there are."""
    return bool(question.wants_count and question.kind)


def count(session: Session, question: Question, *, base: str, standalone: str) -> Answer:
    """Count the records the question describes, with the listing that reproduces the count,
    or refuse naming the conditions no filter expresses."""
    kind = question.kind or ""
    if kind == "enterprises" and question.outcomes and _TIMES.search(question.text.lower()):
        kind = "inspections"  # "how many times were enterprises found in violation"
    lang: Literal["zh", "en"] = "zh" if question.lang == "zh" else "en"
    wanted = plan(question, kind)
    queries = wanted.queries(EXAMPLES)
    if wanted.missing or not queries:
        text = refusals.cannot_filter(kind, wanted.missing, wanted.link(base, lang), lang)
        return Answer(
            question=question.text, standalone=standalone, answer=text, citations=[],
            grounded=False, mode="count", refusal="cannot_filter", data_as_of=None, lang=lang,
        )  # fmt: skip
    results: list[CountResult] = []
    total = 0
    newest = None
    for query in queries:
        matched, last, _ = freshness(session, query)
        total += matched
        if last is not None and (newest is None or last > newest):
            newest = last
        filters = query.filters()
        results.append(
            CountResult(
                kind=kind,
                total=matched,
                filters=filters,
                listing=f"{base}/{kind}?{urlencode({**filters, 'lang': lang})}",
                api=f"{base}/api/v1/{kind}?{urlencode(filters)}",
            )
        )
    parts = [messages.count_sentence(kind, total, wanted.described, lang)]
    parts += [messages.listing_sentence(r.listing, lang) for r in results]
    citations = examples(session, queries, base, lang)
    if citations:
        listed = messages.separator(lang).join(f"{c.title} [{c.n}]" for c in citations)
        parts.append(messages.examples_sentence(listed, lang))
    answer = parts[0]
    for part in parts[1:]:
        answer = messages.sentences(answer, part, lang)
    return Answer(
        question=question.text,
        standalone=standalone,
        answer=answer,
        citations=citations,
        grounded=True,
        mode="count",
        data_as_of=newest,
        lang=lang,
        counts=results,
    )


def examples(session: Session, queries: list[RecordQuery], base: str, lang: str) -> list[Citation]:
    """The newest records of some listings, each cited by its opening sentence."""
    rows = []
    for query in queries:
        rows += records.list_records(session, query)[1]
    rows.sort(key=lambda r: r.updated_at, reverse=True)
    return cite(session, rows[:EXAMPLES], base, lang)


def cite(
    session: Session, rows: list[Any], base: str, lang: str, field: str | None = None
) -> list[Citation]:
    """Records in the order given, each cited by the fact of `field` (see facts.py) when it
    has one in the language, else by its opening sentence in the language where it has one."""
    named = {rid for r in rows for rid in ids_named(r)}
    names = records.names(session, sorted(named))
    enterprises = records.get_records(session, [i for i in named if i.startswith("ENT-")])
    places = {rid: place_words(e) for rid, e in enterprises.items()}
    out: list[Citation] = []
    for row in rows:
        record = view(row, names, places)
        stated = None
        mine = [f for f in facts(row, names) if f.lang == lang]
        if field is not None:
            stated = next((f for f in mine if f.field == field), None)
        first = next((s for s in record.sentences if s.lang == lang), None)
        first = first or (record.sentences[0] if record.sentences else None)
        if stated is None and first is None and mine:
            stated = mine[0]  # a record with no text of its own: a fact of its fields
        if stated is None and first is None:
            continue
        out.append(
            Citation(
                n=len(out) + 1,
                id=record.id,
                kind=record.kind,
                title=record.title(lang),
                url=f"{base}/api/v1/{record.kind}/{record.id}",
                html=f"{base}/{record.kind}/{record.id}",
                passage=stated.text if stated else first.words,  # type: ignore[union-attr]
                field=stated.field if stated else None,
                date=record.day,
                publisher=record.publisher_id,
            )
        )
    return out
