"""Sorting a question before any search: a greeting, an attempt to change the rules, off the
portal's topic, a count for the database, or a question for the records."""

from __future__ import annotations

import re

from portal.assistant import lexicon
from portal.assistant.counting import countable
from portal.assistant.question import Question
from portal.assistant.text import CJK, en_words, normalise, zh_words

_INJECTION = [re.compile(p, re.I) for p in lexicon.INJECTION_PATTERNS]
_TASK = [re.compile(p, re.I) for p in lexicon.TASK_PATTERNS]


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


def route(question: Question) -> str:
    """off_topic, count or retrieve, for a question that is neither a greeting nor an attack."""
    if any(p.search(question.text) for p in _TASK):
        return "off_topic"
    if not question.domain and not question.terms:
        return "off_topic"  # nothing the records could be searched for
    # Without a word of the domain the records are still searched (a name they hold, such as
    # "Zhenlong yard", may be one the vocabulary does not know); no evidence is then off topic.
    if countable(question):
        return "count"
    return "retrieve"
