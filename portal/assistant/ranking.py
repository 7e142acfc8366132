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
        return "全部记录" if lang == "zh" else "all records"
    return ("；" if lang == "zh" else "; ").join(wanted.described)


def _nothing(wanted: Plan, lang: str) -> str:
    if lang == "zh":
        return f"记录中没有符合条件（{_where(wanted, lang)}）的记录。"
    return f"No record matches {_where(wanted, lang)}."


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
    where = _where(wanted, lang)
    if lang == "zh":
        order = "罚款总额" if total else "单笔罚款金额"
        text = f"按数据库对全部符合条件（{where}）的检查罚款排序，"
        text += f"{order}最高的是：{'；'.join(parts)}。"
    else:
        order = "the largest total of fines" if total else "the largest single fine"
        text = f"Ordered by the database over every inspection fine matching {where}, {order}: "
        text += "; ".join(parts) + "."
    second = rankings.fined(session, query, 1, by=other)
    if second and second[0].enterprise_id != top[0].enterprise_id:
        t = second[0]
        zh, en = records.names(session, [t.enterprise_id]).get(
            t.enterprise_id, (t.enterprise_id, None)
        )
        if lang == "zh":
            text += (
                f" 单笔罚款最高的是 {zh}（{t.largest:,} 元）。"
                if total
                else f" 按罚款总额，{zh} 最多：{t.fines} 笔共 {t.total:,} 元。"
            )
        else:
            text += (
                f" The largest single fine went to {en or zh} (¥{t.largest:,})."
                if total
                else f" By total fines, {en or zh} comes first: ¥{t.total:,} over {t.fines} fines."
            )
    return text + _listing(wanted, base, lang), citations


def _fined(f: Any, name: tuple[str, str | None], c: Citation, total: bool, lang: str) -> str:
    """One enterprise's line of a ranking of fines."""
    zh, en = name
    day = c.date.isoformat() if c.date else ""
    if total and lang == "zh":
        return (
            f"{zh}，{f.fines} 笔共 {f.total:,} 元（最大一笔 {f.largest:,} 元，{day} 检查）[{c.n}]"
        )
    if total:
        return (
            f"{en or zh}, ¥{f.total:,} over {f.fines} fines (the largest ¥{f.largest:,}, "
            f"inspection of {day}) [{c.n}]"
        )
    if lang == "zh":
        return f"{zh}，单笔罚款 {f.largest:,} 元（{day} 检查）[{c.n}]"
    return f"{en or zh}, a fine of ¥{f.largest:,} (inspection of {day}) [{c.n}]"


def _dated(
    session: Session, query: Any, wanted: Plan, ask: Ask, base: str, lang: str
) -> tuple[str, list[Citation]]:
    newest = ask.metric == "newest"
    ordered = replace(query, sort=records.Sort.newest if newest else records.Sort.oldest)
    items = records.list_records(session, ordered)[1]
    if not items:
        return "", []
    citations = cite(session, items, base, lang)
    parts = [
        f"{c.title}（{c.date}）[{c.n}]" if lang == "zh" else f"{c.title} ({c.date}) [{c.n}]"
        for c in citations
    ]
    if lang == "zh":
        word = "最近" if newest else "最早"
        text = (
            f"按日期排序，符合条件（{_where(wanted, lang)}）的{word}一条是："
            + "；".join(parts)
            + "。"
        )
    else:
        word = "latest" if newest else "earliest"
        text = f"By date, the {word} matching {_where(wanted, lang)}: " + "; ".join(parts) + "."
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
    zh_unit, one, many = messages.KIND_UNITS[ask.kind]
    parts = []
    for c, counted in zip(citations, top, strict=False):
        if lang == "zh":
            parts.append(f"{c.title}：{counted.records} {zh_unit} [{c.n}]")
        else:
            noun = one if counted.records == 1 else many
            parts.append(f"{c.title}: {counted.records} {noun} [{c.n}]")
    if lang == "zh":
        text = (
            f"按数据库对全部符合条件（{_where(wanted, lang)}）的记录计数排序："
            + "；".join(parts)
            + "。"
        )
    else:
        text = (
            f"Counted by the database over every record matching {_where(wanted, lang)}: "
            + "; ".join(parts)
            + "."
        )
    return text + _listing(wanted, base, lang), citations


def _listing(wanted: Plan, base: str, lang: str) -> str:
    link = wanted.link(base, lang)
    return f" 可核对的列表：{link}" if lang == "zh" else f" The listing to check it: {link}"


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
