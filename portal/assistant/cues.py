"""The cues of a question that are not names: which kind of record it is about, the inspection
outcome and incident status it asks for, and whether it asks how many records there are or for
a figure a record holds ("how many tonnes")."""

from __future__ import annotations

import re

from portal.assistant import lexicon
from portal.assistant.text import CJK, en_words


def has(text: str, lowered: str, cue: str) -> bool:
    """True when a cue is in the text: Chinese as written, English as a whole word."""
    if CJK.search(cue):
        return cue in text
    return re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", lowered) is not None


def kind_of(text: str, lowered: str) -> str | None:
    """The kind of record the question is about, by the first of its words that names one."""
    for kind, cues in lexicon.KIND_CUES:
        if any(has(text, lowered, cue) for cue in cues):
            return kind
    return None


def outcomes_of(text: str, lowered: str) -> tuple[str, ...]:
    """The inspection outcomes the question asks about."""
    working, low = text, lowered
    for outcomes, cues in lexicon.OUTCOME_CUES:
        for cue in cues:
            if has(working, low, cue):
                return outcomes
    return ()


def status_of(text: str, lowered: str) -> str | None:
    """The incident status the question asks about."""
    for status, cues in lexicon.STATUS_CUES:
        if any(has(text, lowered, cue) for cue in cues):
            return status
    return None


QUANTITY_WORDS = (
    "tonne", "tonnes", "ton", "tons", "km", "kilometres", "kilometers", "people", "persons",
    "officials", "managers", "times", "yuan", "mg", "metres", "meters", "years", "days",
    "吨", "公里", "千米", "人", "名", "倍", "元", "毫克", "米", "年", "天",
)  # fmt: skip


def quantity(text: str, lowered: str) -> bool:
    """True for "how many tonnes / people / times": a figure in a record, not a count of them
    ("how many times was it inspected" counts inspections)."""
    for cue in ("how many", "how much"):
        at = lowered.find(cue)
        if at >= 0:
            after = en_words(lowered[at + len(cue) :])[:2]
            if after and after[0] == "times" and _names_kind(text, lowered):
                return False
            return bool(after) and (after[0] in QUANTITY_WORDS or after[0] == "of")
    match = re.search(r"(多少|几)(\S{0,2})", text)
    return bool(
        match and any(match.group(2).startswith(w) for w in QUANTITY_WORDS if CJK.search(w))
    )


def _kind_cues() -> list[str]:
    return [c for _, group in lexicon.KIND_CUES for c in group]


def _names_kind(text: str, lowered: str) -> bool:
    return any(has(text, lowered, c) for c in _kind_cues())


# "几家", "多少次" ending the clause: a count of the kind named before it ("企业有几家",
# "被检查过多少次"); "抽测了几个排放口" and "多少废水" are figures.
_COUNTER = re.compile(r"(多少|几)\s*[次起家个项份条]\s*(?=[?？。，,!！呢吗]|$)")
# "Count the inspections", "how often was it inspected": counting asked without "how many".
_EN_COUNT = re.compile(r"^\s*(please\s+)?count\b|\bhow often\b|\btotal number of\b")


def counts_records(text: str, lowered: str) -> bool:
    """True for "how many inspections", "多少次检查", "几家企业", "企业有几家", "被检查过多少次",
    "count the incidents": a count cue close to the name of a kind of record (not "多少废水", a
    figure in a record)."""
    cues = _kind_cues()
    zh_cues = [c for c in cues if CJK.search(c)]
    for match in _COUNTER.finditer(text):
        around = text[max(0, match.start() - 8) : match.end() + 12]
        if any(c in around for c in zh_cues):
            return True
    for cue in lexicon.COUNT_CUES:
        if CJK.search(cue):
            for match in re.finditer(re.escape(cue), text):
                following = text[match.end() : match.end() + 12]
                if any(c in following for c in zh_cues):
                    return True
        else:
            for match in re.finditer(rf"\b{re.escape(cue)}\b", lowered):
                after = en_words(lowered[match.end() :])[:4]
                following = text[match.end() : match.end() + 8]  # "how many 检查" (mixed)
                if any(w in cues for w in after) or any(c in following for c in zh_cues):
                    return True
                if after[:1] == ["times"] and _names_kind(text, lowered):
                    return True
    return bool(_EN_COUNT.search(lowered)) and _names_kind(text, lowered)
