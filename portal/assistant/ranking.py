"""Superlatives and rankings ("which enterprise was fined the most", "the latest incident on the X
river", "top five enterprises by violations") answered by the database's order over the whole
filtered set (portal.records.rankings, the listings' sort), never by the best of whatever the
search happened to return. Every condition of the question is a filter (conditions.py) or the
ranking is refused naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from portal import records
from portal.assistant import messages, refusals
from portal.assistant.answer import Answer, Citation
from portal.assistant.conditions import Plan, plan
from portal.assistant.counting import cite
from portal.assistant.question import Question
from portal.assistant.text import words_of
from portal.records import rankings

MAX_TOP = 10
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
            "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}  # fmt: skip
_TOP = re.compile(
    r"\btop\s+(\d+|" + "|".join(list(_NUMBERS)[:10]) + r")\b|前\s*(\d+|[一二两三四五六七八九十])"
)
_MOST = re.compile(
    r"\b(most|highest|largest|biggest|greatest|heaviest|top)\b|最多|最高|最大|最重|排名|排行"
)
_FINE = re.compile(r"\b(fines?|fined|penalt(y|ies)|penali[sz]ed)\b|罚款|罚金|被罚|处罚金额")
# Fines added up, not the largest one: "in total", "add up", 累计, 总额.
_TOTAL = re.compile(
    r"\b(in total|total|add up|adds up|altogether|combined|overall|sum)\b"
    r"|累计|总额|总共|合计|加起来|总计"
)
_KINDS = r"(incidents?|inspections?|disclosures?|spills?|accidents?|reports?)"
_ZH_KINDS = r"(事件|事故|检查|披露|报告)"
_NEAR = r"(\s+\w+){0,2}?\s+"  # a kind within two words of the superlative
_ZH_NEAR = r"[^，。？?]{0,8}?"
_NEWEST = re.compile(
    rf"\b(latest|newest|most recent|last)\b{_NEAR}{_KINDS}\b"
    rf"|(最近|最新|最后|最晚){_ZH_NEAR}{_ZH_KINDS}"
)
_OLDEST = re.compile(
    rf"\b(earliest|first|oldest)\b{_NEAR}{_KINDS}\b|(最早|第一次|首次|第一起){_ZH_NEAR}{_ZH_KINDS}"
)
_BY_COUNT = re.compile(
    r"\b(most|by( the number of)?)(\s+\w+)?\s+(violations?|inspections?|incidents?|spills?)\b"
    r"|(违法|违规|检查|事件|不合格)[^，。？?]{0,6}最多|最多[^，。？?]{0,6}(违法|违规|检查|事件|不合格)"
)
_ENTERPRISE = re.compile(
    r"\b(enterprises?|compan(y|ies)|firms?|plants?|smelters?|who)\b|企业|公司|哪家"
)
# Words of a ranking question that its order already accounts for.
RANK_WORDS = frozenset(
    words_of(
        """
        most highest largest biggest greatest heaviest top latest newest recent last earliest
        first oldest fine fines fined penalty penalties penalised penalized amount single ever
        when date got get 最多 最高 最大 最重 排名 排行 最近 最新 最后 最晚 最早 第一次 首次
        罚款 罚金 被罚 金额 单笔 什么时候 哪天 日期 时间 是什么 发生 次数 数量 number count total
        add adds up altogether combined overall sum 累计 总额 总共 合计 加起来 总计 全部 whose
        numbers responsible held caused cause blamed 责任 负责 造成 导致 责任方
        """
    )
)


@dataclass(frozen=True)
class Ask:
    """What a ranking question orders by."""

    metric: str  # fine, newest, oldest, count
    kind: str
    top: int


def intent(question: Question) -> Ask | None:
    """The ranking a question asks for, or None when it asks for none."""
    text = question.text.lower()
    top = _top(text)
    if _FINE.search(text) and (_MOST.search(text) or top > 1):
        return Ask("fine_total" if _TOTAL.search(text) else "fine", "inspections", top)
    for metric, pattern in (("newest", _NEWEST), ("oldest", _OLDEST)):
        if pattern.search(text) and question.kind in ("incidents", "inspections", "disclosures"):
            return Ask(metric, question.kind, top)
    if _BY_COUNT.search(text) and _ENTERPRISE.search(text):
        incidents = re.search(r"incident|spill|事件|事故", text)
        return Ask("count", "incidents" if incidents else "inspections", top)
    return None


def _top(text: str) -> int:
    match = _TOP.search(text)
    if not match:
        return 1
    raw = match.group(1) or match.group(2)
    n = int(raw) if raw.isdigit() else _NUMBERS.get(raw, 1)
    return max(1, min(MAX_TOP, n))


def ranks(question: Question) -> bool:
    """True when the question asks for a superlative or a ranking the database can order."""
    return intent(question) is not None


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


def _names(session: Session, ids: list[str]) -> dict[str, str]:
    found = records.names(session, ids)
    return {rid: (pair[1] or pair[0]) for rid, pair in found.items()}


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
        text = f"按数据库对全部符合条件（{where}）的罚款排序，{order}最高的是：{'；'.join(parts)}。"
    else:
        order = "the largest total of fines" if total else "the largest single fine"
        text = f"Ordered by the database over every fine matching {where}, {order}: "
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
