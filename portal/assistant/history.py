"""Follow-up questions made standalone from the conversation, without a language model.

"Which enterprise caused it?" after "What happened in the Longjiang cadmium incident?" becomes
"Which enterprise caused it? (Longjiang, cadmium)": the names the conversation was about carry
over. "And in 2024?" after a question about 2023 becomes that question with 2024 in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from portal.assistant.gazetteer import Gazetteer
from portal.assistant.inputs import Turn
from portal.assistant.question import Anchor, Question, analyse
from portal.assistant.text import Term, words_of

READ_TURNS = 6  # the user's last turns that are read


def _swap(previous: Question, current: Question) -> str:
    """The previous question with the current one's names put in place of the same kind."""
    text = previous.text
    for anchor in current.anchors:
        same = [a for a in previous.anchors if (a.kind, a.field) == (anchor.kind, anchor.field)]
        if len(same) == 1 and same[0].surface:
            text = re.sub(re.escape(same[0].surface), anchor.surface, text, count=1, flags=re.I)
        else:
            text = f"{text} {anchor.surface}"
    return text


_PLACE_ENDINGS = ("河", "江", "溪", "沟", "涌", "港", "湖", "库", "站", "矿", "厂", "公司")


def _name_like(term: Term, text: str) -> bool:
    """A word of the earlier question that names something: an enterprise, a river (青溪河),
    a capitalised English word (Baiyang)."""
    if term.is_name or term.text.endswith(_PLACE_ENDINGS):
        return True
    if term.text.isdigit() or term.text.lower() in MONTHS:
        return False  # a day of a date, not a name ("22 November": the year is an anchor)
    return (
        term.text.isascii()
        and re.search(rf"\b{re.escape(term.text.capitalize())}\b", text) is not None
    )


MONTHS = frozenset(words_of(
    "january february march april may june july august september october november december"
))  # fmt: skip


def _context(previous: Question, current: Question) -> list[str]:
    """What the earlier question was about that this one leaves out: its anchors (of kinds this
    one does not name) and the names among its words."""
    kinds = {a.kind for a in current.anchors}
    carried: list[Anchor] = [a for a in previous.anchors if a.kind not in kinds]
    words = [_written(a) for a in carried]
    words += [t.text for t in previous.terms if _name_like(t, previous.text)]
    return list(dict.fromkeys(words))


def _written(anchor: Anchor) -> str:
    """An anchor as the standalone question carries it: a month or a day as an ISO date (the
    inspection "on 19 November 2023", not any of 2023's), anything else as it was written."""
    if anchor.days:
        first, last = anchor.days
        return first.isoformat() if first == last else first.isoformat()[:7]
    return anchor.surface


_ELLIPSIS = re.compile(
    r"^(and|what about|how about|also|then|same for|and what about)\b|^(那|还有|同样)|呢[?？]?$",
    re.I,
)


def _elliptical(question: Question) -> bool:
    """True for "And in 2024?", "What about Hunan?", "那2024年呢？": only new names, the rest
    left to the earlier question."""
    if _ELLIPSIS.search(question.text):
        return True
    rest = question.text
    for anchor in question.anchors:
        rest = rest.replace(anchor.surface, " ")
    return not re.search(r"[A-Za-z]{4,}|[\u4e00-\u9fff]{2,}", rest)


def standalone(question: str, history: Sequence[Turn], gazetteer: Gazetteer | None = None) -> str:
    """The question as it would be asked without the conversation (names grounded with the
    database's gazetteer when given, so "And on the Tangjiang?" swaps one river for another).
    Only the user's turns are read: an answer the client edited changes nothing."""
    asked = [t.content for t in history if t.role == "user"][-READ_TURNS:]
    if not asked:
        return question
    previous = analyse(asked[0], gazetteer)
    context = asked[0]
    for earlier in asked[1:]:
        context = _rewrite(earlier, previous, context, gazetteer)
        previous = analyse(context, gazetteer)
    return _rewrite(question, previous, context, gazetteer)


def _rewrite(
    question: str, previous: Question, previous_text: str, gazetteer: Gazetteer | None
) -> str:
    current = analyse(question, gazetteer)
    if not (previous.anchors or previous.terms):
        return question
    named = {a.surface for a in current.anchors}
    own = [t for t in current.terms if t.text not in named]  # words beyond the names
    if current.anchors and _elliptical(current) and not own:
        return _swap(previous, current)  # "And in 2024?", "What about Hunan?", "那2019年呢？"
    if current.anchors and not current.follow_up:
        return question  # a question of its own
    if not current.anchors and not own:
        return previous_text  # "Tell me more."
    words = _context(previous, current)
    if not words:
        return question
    if current.lang == "zh":
        return f"{question}（{'、'.join(words)}）"
    return f"{question} ({', '.join(words)})"
