"""Finding a fact in an answer: a name, a number or a date, in the forms either language writes.

A fact is a dict: `{"text": [alternatives]}` (any one, case-insensitive; an alternative that
begins or ends with a Latin letter or digit must not touch another there, so a credit code is not
found inside a permit number), `{"number": 480000}`, or `{"date": "2024-05-02"}` (or a list of
dates, any one). With `"rivals": [facts]`, the fact must also come before each rival the answer
states (the latest incident named before the older ones).

Numbers: 480000, 480,000, 48万 and 4.8 million are one number; a Chinese numeral before a counter
(三次, 两家) and English number words (three) count too. A decimal truth is met by a stated number
with at least one decimal that equals it at that precision (2.4 for 2.43). Dates, citation
markers, ids, codes, times and link paths are taken out before numbers are read, so 3 is not
found in 2023-05-03 nor in [3]. Dates: 2024-05-02, 2024/5/2, 2024年5月2日, 2 May 2024, May 2, 2024.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from portal.assistant.text import normalise

_MONTH_NAMES = "january february march april may june july august september october november "
_MONTH_NAMES += "december"
MONTHS = _MONTH_NAMES.split()
# Full names first: a regular expression takes the first alternative that matches.
_MONTH = "(" + "|".join([*MONTHS, "sept", *(m[:3] for m in MONTHS)]) + r")\.?"
DATES = (
    (re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "ymd"),
    (re.compile(r"(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})", re.IGNORECASE), "dmy"),
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE), "mdy"),
)
# Taken out before numbers are read: citation markers ([2]), ids (INS-W7-03), codes mixing
# letters and digits (credit codes, permit numbers), times of day, and link paths
# (/inspections?province=45).
_NOT_NUMBERS = re.compile(
    r"\[\d+\]"
    r"|[A-Z]{3}(?:-[A-Z0-9]+)+"
    r"|(?<![A-Za-z0-9.])(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}(?![A-Za-z0-9])"
    r"|\d{1,2}:\d{2}"
    r"|(?:https?://|(?<![A-Za-z0-9])/)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.\-_/=])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万|亿|million|billion)?"
    r"(?![0-9])",
    re.IGNORECASE,
)
_SCALE = {"万": 10**4, "亿": 10**8, "million": 10**6, "billion": 10**9}
_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_NUMBER = re.compile(r"([零一二两三四五六七八九十]{1,3})\s*(?=[次起家项个份条宗处名批户])")
_WORD_TEXT = """
zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty
"""
_WORDS = _WORD_TEXT.split()
_EN_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


def clean(text: str) -> str:
    """Text as facts are looked for in it: compatibility forms folded, case-folded."""
    return normalise(text).casefold()


def _month(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name.lower().rstrip(".")[:3]))


def dates_in(text: str) -> list[tuple[int, date]]:
    """(position, date) of every date written in the text."""
    found = []
    for pattern, order in DATES:
        for m in pattern.finditer(text):
            a, b, c = m.groups()
            try:
                if order == "ymd":
                    day = date(int(a), int(b), int(c))
                elif order == "dmy":
                    day = date(int(c), _month(b), int(a))
                else:
                    day = date(int(c), _month(a), int(b))
            except ValueError:
                continue
            found.append((m.start(), day))
    return sorted(found)


def _zh_value(numeral: str) -> int | None:
    if "十" not in numeral:
        return _ZH_DIGITS.get(numeral) if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (
        _ZH_DIGITS.get(units, 0) if units else 0
    )


def numbers_in(text: str) -> list[tuple[int, float, int]]:
    """(position, value, decimals written) of every number stated in the text."""
    blank = _NOT_NUMBERS.sub(lambda m: " " * len(m.group()), text)
    for pattern, _ in DATES:
        blank = pattern.sub(lambda m: " " * len(m.group()), blank)
    found = []
    for m in _NUMBER.finditer(blank):
        whole, fraction, scale = m.groups()
        value = float(whole.replace(",", "") + (fraction or ""))
        decimals = len(fraction) - 1 if fraction else 0
        if scale:
            value *= _SCALE[scale.lower()]
            decimals = 0 if value.is_integer() else decimals
        found.append((m.start(), value, decimals))
    for m in _ZH_NUMBER.finditer(blank):
        zh = _zh_value(m.group(1))
        if zh is not None:
            found.append((m.start(), float(zh), 0))
    for m in _EN_NUMBER.finditer(blank):
        found.append((m.start(), float(_WORDS.index(m.group(1).lower())), 0))
    return sorted(found)


def _same(truth: float, stated: float, decimals: int) -> bool:
    if abs(truth - stated) < 1e-9 * max(1.0, abs(truth)):
        return True
    if float(truth).is_integer():
        return False
    return decimals >= 1 and abs(round(truth, decimals) - stated) < 10 ** (-decimals) / 2


def _bounded(alternative: str) -> re.Pattern[str]:
    head = r"(?<![a-z0-9])" if alternative[:1].isascii() and alternative[:1].isalnum() else ""
    tail = r"(?![a-z0-9])" if alternative[-1:].isascii() and alternative[-1:].isalnum() else ""
    return re.compile(head + re.escape(alternative) + tail)


def positions(fact: dict[str, Any], text: str) -> list[int]:
    """Where the fact is stated in (cleaned) text, first first; empty when it is not."""
    if "text" in fact:
        return sorted(
            m.start() for alt in fact["text"] for m in _bounded(clean(alt)).finditer(text)
        )
    if "number" in fact:
        return [p for p, v, d in numbers_in(text) if _same(float(fact["number"]), v, d)]
    if "date" in fact:
        days = fact["date"] if isinstance(fact["date"], list) else [fact["date"]]
        wanted = {date.fromisoformat(d) for d in days}
        return [p for p, day in dates_in(text) if day in wanted]
    raise ValueError(f"a fact is text, number or date: {fact}")


def stated(fact: dict[str, Any], text: str) -> bool:
    """True when the text states the fact, before any of its rivals."""
    cleaned = clean(text)
    where = positions(fact, cleaned)
    if not where:
        return False
    rivals = [p for rival in fact.get("rivals", []) for p in positions(rival, cleaned)]
    return not rivals or where[0] < min(rivals)


def describe(fact: dict[str, Any]) -> str:
    """The fact in a few words, for a failure message."""
    if "text" in fact:
        return " / ".join(fact["text"][:2])
    return str(fact.get("number", fact.get("date")))
