"""The refusals that name what stopped the answer: a name no record holds, or a condition of a
count or ranking that no listing filter can express."""

from __future__ import annotations

from collections.abc import Sequence

from portal.assistant.messages import kind_noun, text
from portal.catalogue import words


def _quoted(items: Sequence[str], lang: str) -> str:
    say = words(lang)
    return say.pgettext("list of quoted names", ", ").join(
        say.pgettext("quoted name", '"%(name)s"', name=i) for i in items
    )


def unknown_name(names: Sequence[str], lang: str) -> str:
    """The records hold nothing by these names."""
    return text("unknown_name", lang).format(names=_quoted(names, lang))


def cannot_filter(kind: str, conditions: Sequence[str], link: str, lang: str) -> str:
    """A count (or ranking) whose conditions a listing cannot all express."""
    return text("cannot_filter", lang).format(
        kind=kind_noun(kind, lang), conditions=_quoted(conditions, lang), link=link
    )
