"""Sorting a question before any search: a greeting, an attempt to change the rules, off the
portal's topic, a count for the database, or a question for the records."""

from __future__ import annotations

import re

from portal.assistant import lexicon
from portal.assistant.counting import countable
from portal.assistant.question import Question
from portal.assistant.text import CJK, en_words, normalise, stem, zh_words

_INJECTION = [re.compile(p, re.I) for p in lexicon.INJECTION_PATTERNS]
_TASK = [re.compile(p, re.I) for p in lexicon.TASK_PATTERNS]
_ELSEWHERE = [re.compile(p, re.I) for p in lexicon.ELSEWHERE_PATTERNS]


def is_injection(text: str) -> bool:
    """True when the question tries to change the assistant's rules or reveal its prompt."""
    flat = normalise(text)
    return any(p.search(flat) for p in _INJECTION)


def is_greeting(text: str) -> bool:
    """True for hello, thanks, or "what can you do" with nothing else asked."""
    flat = normalise(text).lower()
    if any(cue in flat for cue in lexicon.ABOUT_CUES) and len(flat) <= 40:
        return True
    words = zh_words(flat) if CJK.search(flat) else [w.split("'")[0] for w in en_words(flat)]
    if not words:
        return False
    rest = [
        w
        for w in words
        if w not in lexicon.GREETINGS
        and w not in lexicon.EN_STOP
        and w not in lexicon.ZH_STOP
        and w not in ("good", "there", "bot", "assistant", "助手", "们")
    ]
    return not rest and any(w in lexicon.GREETINGS for w in words)


def is_thanks(text: str) -> bool:
    """True when a greeting is a thank-you (or goodbye)."""
    flat = normalise(text).lower()
    return any(w in flat for w in ("thank", "thx", "cheers", "bye", "谢谢", "多谢", "感谢", "再见"))


def aside(question: Question) -> bool:
    """True for a request off the portal's topic whatever names it carries: a task (a poem
    about a river) or a subject no record holds (the weather in a city the records name,
    tomorrow's forecast, hotels), unless the question also asks about something the records
    hold ("did the rain cause the spill?", "did rain wash cadmium into it?"). Names of places
    and parties do not count as that: the city of a weather question is in the records, its
    weather is not; a pollutant or a record id does."""
    if any(p.search(question.text) for p in _TASK):
        return True
    if any(a.kind in ("pollutant", "id") for a in question.anchors):
        return False
    rest = question.text
    for anchor in sorted(question.anchors, key=lambda a: -len(a.surface)):
        if anchor.surface:
            rest = re.sub(re.escape(anchor.surface), " ", rest, flags=re.I)
    elsewhere = False
    for pattern in _ELSEWHERE:
        rest, found = pattern.subn(" ", rest)
        elsewhere = elsewhere or found > 0
    return elsewhere and not _topical(rest)


def _topical(text: str) -> bool:
    """True when the text holds a word of the portal's domain (names aside)."""
    lowered = text.lower()
    if any(w in lexicon.DOMAIN_WORDS or stem(w) in lexicon.DOMAIN_WORDS for w in en_words(lowered)):
        return True
    return any(w in text for w in lexicon.ZH_DOMAIN)


def route(question: Question) -> str:
    """off_topic, count or retrieve, for a question that is neither a greeting nor an attack."""
    if aside(question):
        return "off_topic"
    if not question.domain and not question.terms:
        return "off_topic"  # nothing the records could be searched for
    # Without a word of the domain the records are still searched (a name they hold, such as
    # "Zhenlong yard", may be one the vocabulary does not know); no evidence is then off topic.
    if countable(question):
        return "count"
    return "retrieve"
