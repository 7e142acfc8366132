"""A month or a day the question names with its year ("in June 2019", "2019年6月", "on 2 January
2024", "2024年1月3日", "2024-01-03"): the span of days it means.

A year alone is the years anchor's business. Without the month, "the incident on the river in
June 2019" was answered with the river's October incident, and "how many inspections in March
2021" could only be refused: the month is a condition like any other, a listing filter (`from`,
`to`) for a count and the record's own day for a passage.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from portal.assistant.text import words_of

_MONTHS = words_of(
    "january february march april may june july august september october november december"
)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"((?:19[5-9]|20\d)\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_PATTERNS = (
    # 2019年6月, 2024年1月3日 (号)
    (re.compile(_YEAR + r"\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"), "ymd"),
    # 2024-01-03, 2024/1/3, 2019-06 (never 2019-2021: a month has one or two digits)
    (re.compile(r"(?<!\d)" + _YEAR + r"[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)"), "ymd"),
    # 2 January 2024, 2nd of January 2024
    (re.compile(rf"(?<![\w]){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\d)", re.I), "dmy"),
    # January 2, 2024; June 2019; in March of 2021
    (re.compile(rf"(?<![\w]){_MONTH}\s+(?:{_DAY},?\s+)?(?:of\s+)?{_YEAR}(?!\d)", re.I), "mdy"),
)


def _month_number(word: str) -> int:
    low = word.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(low[:3]))


def _span(year: int, month: int, day: int | None) -> tuple[date, date] | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, last)
    if not 1 <= day <= last:
        return None
    return date(year, month, day), date(year, month, day)


def find_span(text: str) -> tuple[tuple[date, date], str] | None:
    """The days of the one month or day the text names with its year, and the words that name
    it (to be blanked, so "June" is not read as a word to find); None when it names none, or
    more than one (a range of months is not read: the year stays the condition)."""
    found: list[tuple[tuple[date, date], str]] = []
    rest = text
    for pattern, order in _PATTERNS:
        for match in pattern.finditer(rest):
            groups = match.groups()
            if order == "ymd":
                year, month, day = int(groups[0]), int(groups[1]), groups[2]
            elif order == "dmy":
                day, month, year = groups[0], _month_number(groups[1]), int(groups[2])
            else:
                month, day, year = _month_number(groups[0]), groups[1], int(groups[2])
            span = _span(year, month, int(day) if day else None)
            if span is not None:
                found.append((span, match.group()))
        rest = pattern.sub(" ", rest)
    if len({span for span, _ in found}) != 1:
        return None
    return found[0]


def blank_dates(text: str) -> str:
    """The text without the months and days it names with a year."""
    for pattern, _ in _PATTERNS:
        text = pattern.sub(" ", text)
    return text
