"""Time in answers: records are dated, so an answer says the day of its evidence ("As of
2019-07-03, ..."), and a question about now or the future ("is it safe now", "will it be fined",
"现在", "明年") gets the latest dated evidence and a plain note that records cannot tell the
present or the future."""

from __future__ import annotations

import re
from dataclasses import replace

from portal.assistant import lexicon
from portal.assistant.question import Question
from portal.assistant.text import CJK
from portal.catalogue import words


def has_cue(text: str, cues: tuple[str, ...]) -> bool:
    """True when the text holds one of the cues (Chinese anywhere, English as whole words)."""
    lowered = text.lower()
    for cue in cues:
        if CJK.search(cue):
            if cue in text:
                return True
        elif re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", lowered):
            return True
    return False


def asks_now_or_later(text: str) -> bool:
    """True when a question asks how things are now or will be ("is it safe now", "will it be
    fined", "现在", "明年"): dated records can only say how they were."""
    return has_cue(text, lexicon.NOW_OR_LATER_CUES)


def asks_where(text: str) -> bool:
    """True when a question asks where something is (哪个省, which county)."""
    return has_cue(text, lexicon.WHERE_CUES)


def timeless(question: Question) -> Question:
    """The question with its words of time ("next year", "now", "明年") made words no sentence
    can supply: they ask when, so a sentence must not be chosen for having "year" in it, yet
    they still count against how much of the question a record covers (a question about the
    price of something now is not answered by a record that mentions prices)."""
    if not asks_now_or_later(question.text):
        return question
    cues = {w for cue in lexicon.NOW_OR_LATER_CUES for w in cue.casefold().split()}
    cues |= {"year", "years", "month", "week", "年", "月"}
    terms = tuple(
        replace(t, variants=frozenset()) if t.text.casefold() in cues else t for t in question.terms
    )
    return replace(question, terms=terms)


def as_of(day: str, lang: str) -> str:
    """The date of a record's evidence, before what is quoted from it."""
    return words(lang).pgettext("before a quote", "As of %(day)s, ", day=day)


def now_or_later_note(day: str | None, lang: str) -> str:
    """Said after an answer to a question about now or the future: records are dated."""
    say = words(lang)
    if day:
        return say.gettext(
            "(The latest evidence above is dated %(day)s; the records tell what was so then, and "
            "cannot tell what is so now or what will happen.)",
            day=day,
        )
    # Lower case after the bracket, as it has always been written.
    return say.gettext(
        "(the records tell what was so then, and cannot tell what is so now or what will happen.)"
    )
