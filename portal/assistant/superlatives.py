"""What a superlative or ranking question asks the database to order by: the largest fine (or
the largest total of fines), the latest or earliest record of a kind, or the enterprises with the
most records of a kind, and how many places ("top five"). Read from general language: the
superlative, the thing ordered, and what it is ordered over."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.assistant.question import Question
from portal.assistant.text import words_of

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
