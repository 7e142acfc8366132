"""Whether a sentence fits what a question asks beyond sharing its words: a fact the question
asks about (not one that merely names the same record), where something is, a figure."""

from __future__ import annotations

import re

from portal.assistant.passages import fact_field
from portal.assistant.question import Question
from portal.assistant.scoring import GENERAL, Scored
from portal.assistant.text import found
from portal.assistant.timing import asks_where

LOCATION_FACTS = ("location", "park")


def is_location(question: Question, s: Scored) -> bool:
    """True for a fact of where a record is (or took place), in the question's language."""
    return s.sentence.lang == question.lang and fact_field(s.sentence.field) in LOCATION_FACTS


def asked_about(question: Question, s: Scored) -> bool:
    """True when a fact sentence holds a word the question asks about outside the names it
    shares with every fact of its record (a credit code is no answer to "how much ...")."""
    words = s.sentence.words
    for name in (s.record.title_zh, s.record.title_en):
        if name:
            words = words.replace(name, " ")
    if fact_field(s.sentence.field) in LOCATION_FACTS and asks_where(question.text):
        return True
    for anchor in question.anchors:  # a site is named only by the readings taken there
        if anchor.field == "site" and any(v in words for v in (*anchor.variants, anchor.surface)):
            return True
    names = {v.casefold() for a in question.anchors for v in (*a.variants, a.surface)}
    asked = [
        t
        for t in question.terms
        if not t.is_name and t.text.lower() not in GENERAL and t.text.casefold() not in names
    ]
    return any(found(t, words) for t in asked)


def has_figure(question: Question, s: Scored) -> bool:
    """True when a sentence holds a number besides the years the question names ("how many
    tonnes in 2024?" is not answered by "the 2024 figures were reported")."""
    years = {str(y) for a in question.anchors if a.kind == "years" for y in a.years}
    return any(n not in years for n in re.findall(r"\d+(?:[.,]\d+)*", s.sentence.words))
