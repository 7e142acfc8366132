"""Superlatives and rankings ("which enterprise was fined the most", "the latest incident on the X
river", "top five enterprises by violations") answered by the database's order over the whole
filtered set (portal.records.rankings, the listings' sort), never by the best of whatever the
search happened to return. Every condition of the question is a filter (conditions.py) or the
ranking is refused naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from portal import records
from portal.assistant import messages, refusals
from portal.assistant.answer import Answer, Citation
from portal.assistant.conditions import Plan, plan
from portal.assistant.counting import cite
from portal.assistant.question import Question
from portal.assistant.superlatives import RANK_WORDS, Ask, intent
from portal.assistant.superlatives import ranks as ranks
from portal.catalogue import words
from portal.records import rankings


def rank(session: Session, question: Question, *, base: str, standalone: str) -> Answer:
    """The ranking the question asks for, over the whole filtered set, with its records cited."""
    ask = intent(question)
    if ask is None:
        raise ValueError("not a ranking question: the chain routes here only when ranks() is true")
    lang = "zh" if question.lang == "zh" else "en"
    wanted = plan(question, ask.kind, allow=RANK_WORDS)
    violation = re.search(r"violation|违法|违规", question.text.lower())
    if ask.metric == "count" and not question.outcomes and ask.kind == "inspections" and violation:
        wanted.args["outcome"] = "violation"
    queries = wanted.queries(max(ask.top, 1))
    if wanted.missing or len(queries) != 1:
        link = wanted.link(base, lang)
        text = refusals.cannot_filter(ask.kind, wanted.missing or ["…"], link, lang)
        return _answer(question, standalone, text, [], lang, refusal=True)
    query = queries[0]
    if ask.metric in ("fine", "fine_total"):
        text, citations = _fines(session, query, wanted, ask, base, lang)
    elif ask.metric in ("newest", "oldest"):
        text, citations = _dated(session, query, wanted, ask, base, lang)
    else:
        text, citations = _counted(session, query, wanted, ask, base, lang)
    if not citations:
        return _answer(question, standalone, _nothing(wanted, lang), [], lang, refusal=False)
    return _answer(question, standalone, text, citations, lang, refusal=False, session=session)


TIES = 5  # places beyond the top asked for, to tell whether the last one is tied


def _with_ties(ranked: list[Any], top: int, value: Callable[[Any], int]) -> list[Any]:
    """The first `top`, and any after them equal to the last (a tie is not broken by id)."""
    if len(ranked) <= top:
        return ranked
    last = value(ranked[top - 1])
    return ranked[:top] + [r for r in ranked[top:] if value(r) == last]


def _where(wanted: Plan, lang: str) -> str:
    if not wanted.described:
        return words(lang).gettext("all records")
    return messages.separator(lang).join(wanted.described)


def _nothing(wanted: Plan, lang: str) -> str:
    return words(lang).gettext("No record matches %(where)s.", where=_where(wanted, lang))


def _shown(name: tuple[str, str | None], lang: str) -> str:
    zh, en = name
    return (en or zh) if lang == "en" else zh


def _yuan(amount: int) -> str:
    return f"{amount:,}"


def _fines(
    session: Session, query: Any, wanted: Plan, ask: Ask, base: str, lang: str
) -> tuple[str, list[Citation]]:
    total = ask.metric == "fine_total"
    by, other = ("total", "largest") if total else ("largest", "total")
    found = rankings.fined(session, query, ask.top + TIES, by=by)
    top = _with_ties(found, ask.top, (lambda f: f.total) if total else (lambda f: f.largest))
    if not top:
        return "", []
    rows = records.get_records(session, [f.inspection_id for f in top])
    citations = cite(session, [rows[f.inspection_id] for f in top], base, lang, "penalty_yuan")
    names = records.names(session, [f.enterprise_id for f in top])
    parts = [
        _fined(f, names.get(f.enterprise_id, (f.enterprise_id, None)), c, total, lang)
        for f, c in zip(top, citations, strict=False)
    ]
    say, where, ranked = words(lang), _where(wanted, lang), messages.separator(lang).join(parts)
    if total:
        text = say.gettext(
            "Ordered by the database over every inspection fine matching %(where)s, the largest "
            "total of fines: %(ranked)s.",
            where=where,
            ranked=ranked,
        )
    else:
        text = say.gettext(
            "Ordered by the database over every inspection fine matching %(where)s, the largest "
            "single fine: %(ranked)s.",
            where=where,
            ranked=ranked,
        )
    second = rankings.fined(session, query, 1, by=other)
    if second and second[0].enterprise_id != top[0].enterprise_id:
        t = second[0]
        name = _shown(
            records.names(session, [t.enterprise_id]).get(t.enterprise_id, (t.enterprise_id, None)),
            lang,
        )
        if total:
            text += " " + say.gettext(
                "The largest single fine went to %(name)s (¥%(amount)s).",
                name=name,
                amount=_yuan(t.largest),
            )
        else:
            text += " " + say.gettext(
                "By total fines, %(name)s comes first: ¥%(amount)s over %(fines)d fines.",
                name=name,
                amount=_yuan(t.total),
                fines=t.fines,
            )
    return text + _listing(wanted, base, lang), citations


def _fined(f: Any, name: tuple[str, str | None], c: Citation, total: bool, lang: str) -> str:
    """One enterprise's line of a ranking of fines."""
    day = c.date.isoformat() if c.date else ""
    if total:
        return words(lang).gettext(
            "%(name)s, ¥%(total)s over %(fines)d fines (the largest ¥%(largest)s, inspection of "
            "%(day)s) [%(n)s]",
            name=_shown(name, lang),
            total=_yuan(f.total),
            fines=f.fines,
            largest=_yuan(f.largest),
            day=day,
            n=c.n,
        )
    return words(lang).gettext(
        "%(name)s, a fine of ¥%(largest)s (inspection of %(day)s) [%(n)s]",
        name=_shown(name, lang),
        largest=_yuan(f.largest),
        day=day,
        n=c.n,
    )


def _dated(
    session: Session, query: Any, wanted: Plan, ask: Ask, base: str, lang: str
) -> tuple[str, list[Citation]]:
    newest = ask.metric == "newest"
    ordered = replace(query, sort=records.Sort.newest if newest else records.Sort.oldest)
    items = records.list_records(session, ordered)[1]
    if not items:
        return "", []
    citations = cite(session, items, base, lang)
    say = words(lang)
    parts = [
        say.pgettext(
            "a record in an answer", "%(title)s (%(day)s) [%(n)s]", title=c.title, day=c.date, n=c.n
        )
        for c in citations
    ]
    where, ranked = _where(wanted, lang), messages.separator(lang).join(parts)
    if newest:
        text = say.gettext(
            "By date, the latest matching %(where)s: %(ranked)s.", where=where, ranked=ranked
        )
    else:
        text = say.gettext(
            "By date, the earliest matching %(where)s: %(ranked)s.", where=where, ranked=ranked
        )
    wanted.args["sort"] = "newest" if newest else "oldest"
    return text + _listing(wanted, base, lang), citations


def _counted(
    session: Session, query: Any, wanted: Plan, ask: Ask, base: str, lang: str
) -> tuple[str, list[Citation]]:
    found = rankings.by_enterprise(session, query, ask.top + TIES)
    top = _with_ties(found, ask.top, lambda c: c.records)
    if not top:
        return "", []
    enterprises = records.get_records(session, [c.enterprise_id for c in top])
    citations = cite(
        session,
        [enterprises[c.enterprise_id] for c in top if c.enterprise_id in enterprises],
        base,
        lang,
    )
    say = words(lang)
    parts = [
        say.pgettext(
            "a record in an answer",
            "%(title)s: %(counted)s [%(n)s]",
            title=c.title,
            counted=messages.counted(ask.kind, counted.records, lang),
            n=c.n,
        )
        for c, counted in zip(citations, top, strict=False)
    ]
    text = say.gettext(
        "Counted by the database over every record matching %(where)s: %(ranked)s.",
        where=_where(wanted, lang),
        ranked=messages.separator(lang).join(parts),
    )
    return text + _listing(wanted, base, lang), citations


def _listing(wanted: Plan, base: str, lang: str) -> str:
    link = wanted.link(base, lang)
    return " " + words(lang).gettext("The listing to check it: %(link)s", link=link)


def _answer(
    question: Question,
    standalone: str,
    text: str,
    citations: list[Citation],
    lang: str,
    *,
    refusal: bool,
    session: Session | None = None,
) -> Answer:
    newest = None
    if session is not None and citations:
        cited = records.get_records(session, [c.id for c in citations])
        newest = max((r.updated_at for r in cited.values()), default=None)
    return Answer(
        question=question.text,
        standalone=standalone,
        answer=text,
        citations=citations,
        grounded=bool(citations),
        mode="count",
        refusal="cannot_filter" if refusal else (None if citations else "no_evidence"),
        data_as_of=newest,
        lang="zh" if lang == "zh" else "en",
    )
