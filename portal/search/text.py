"""A user's search words: plain words, "quoted phrases" and -exclusions; never Whoosh syntax.

Anything else (brackets, colons, operators, unbalanced quotes) is read as plain words, so no
query can fail to parse.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from portal.layout import DATA_DIR
from portal.models import vocab

_PIECE = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
MAX_WORDS = 32


@dataclass(frozen=True)
class UserText:
    """What the user asked for, split by role."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing positive is asked for."""
        return not (self.words or self.phrases)


def split_user_text(text: str) -> UserText:
    """Split a query as typed into words, phrases and exclusions."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    for match in _PIECE.finditer(text):
        minus_phrase, phrase, minus_word, word = match.groups()
        if phrase is not None:
            target = excluded if minus_phrase else phrases
            if phrase.strip():
                target.append(phrase.strip())
            continue
        word = word.replace('"', "")
        if not word or word == "-":
            continue
        (excluded if minus_word and len(word) > 0 else words).append(word)
    return UserText(words[:MAX_WORDS], phrases[:MAX_WORDS], excluded[:MAX_WORDS])


@lru_cache(maxsize=1)
def synonyms() -> dict[str, frozenset[str]]:
    """Each known name (case-folded) and the names it is equivalent to, across languages."""
    groups: list[list[str]] = []
    with (DATA_DIR / "synonyms.csv").open(encoding="utf-8", newline="") as handle:
        groups += [row["terms"].split(";") for row in csv.DictReader(handle)]
    for p in vocab.pollutants().values():
        # "As" (arsenic) would turn every English "as" into arsenic: match it by name only.
        code = [] if p.code == "As" else [p.code]
        groups.append([*code, p.name_zh, p.name_en])
    for province in vocab.provinces().values():
        groups.append([province.short_zh, province.name_zh, province.name_en])
    table: dict[str, set[str]] = {}
    for group in groups:
        names = {g.strip() for g in group if g.strip()}
        for name in names:
            table.setdefault(name.casefold(), set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


def equivalents(word: str) -> frozenset[str]:
    """The word and its synonyms."""
    return synonyms().get(word.casefold(), frozenset()) | {word}
