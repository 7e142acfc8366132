"""The refusals that name what stopped the answer: a name no record holds, or a condition of a
count or ranking that no listing filter can express."""

from __future__ import annotations

from collections.abc import Sequence

from portal.assistant.messages import KIND_UNITS, TEXTS


def _quoted(items: Sequence[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(f"“{i}”" for i in items)
    return ", ".join(f'"{i}"' for i in items)


def unknown_name(names: Sequence[str], lang: str) -> str:
    """The records hold nothing by these names."""
    return TEXTS["unknown_name"][lang].format(names=_quoted(names, lang))


def cannot_filter(kind: str, conditions: Sequence[str], link: str, lang: str) -> str:
    """A count (or ranking) whose conditions a listing cannot all express."""
    noun = KIND_UNITS[kind][2] if lang == "en" else KIND_UNITS[kind][0].lstrip("次起家份个")
    return TEXTS["cannot_filter"][lang].format(
        kind=noun, conditions=_quoted(conditions, lang), link=link
    )
