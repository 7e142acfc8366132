"""Grounding a question: every name in it linked to what the records hold, or reported unknown.

A name is linked as the records write it, in traditional characters, without its legal form or
unit, by its trade name, in pinyin, by a credit code or permit number, or one edit away. A phrase
shaped like a name ("the Qingshan Smelting Company", "某某冶炼厂", "Zhangmu") that links to
nothing is unknown, and the answer is a refusal that names it: answering it with another
enterprise's records would be a confident wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from portal.assistant.folding import fold, latin_key, pinyin_keys, within_one
from portal.assistant.gazetteer import (
    EN_INDUSTRY,
    EN_ORG,
    PLACE_KINDS,
    ZH_INDUSTRY,
    ZH_ORG,
    Entity,
    Gazetteer,
)  # fmt: skip
from portal.assistant.shapes import Unlinked, chinese_phrases, english_phrases
from portal.assistant.text import language

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z][0-9A-Za-z-]{6,}[0-9A-Za-z](?![0-9A-Za-z])")
_NEXT_WORD = re.compile(r"[\s,.]{0,3}([A-Za-z]+)\.?")
_REGIONS = ("city", "county", "province")


@dataclass(frozen=True)
class Link:
    """A name of the question and what it names."""

    start: int
    end: int
    surface: str  # as the question wrote it
    entities: tuple[Entity, ...]
    how: str  # recorded, short, pinyin, code, fuzzy, homophone


@dataclass(frozen=True)
class Grounding:
    """The names of a question, linked or not, and the question with the records' spellings."""

    text: str
    links: tuple[Link, ...]
    unlinked: tuple[Unlinked, ...]
    canonical: str

    def entities(self, *kinds: str) -> list[Entity]:
        """The entities linked, of some kinds (all when none given)."""
        out = [e for link in self.links for e in link.entities if not kinds or e.kind in kinds]
        return list(dict.fromkeys(out))


def _matches(
    gaz: Gazetteer, folded: str, text: str
) -> list[tuple[int, int, int, set[Entity], str]]:
    """Every (start, end, priority, entities, how) where a form of a name occurs."""
    found = []
    for m in _CODE.finditer(text):
        entity = gaz.codes.get(m.group().upper())
        if entity is not None:
            found.append((m.start(), m.end(), 5, {entity}, "code"))
    for run in _CJK_RUN.finditer(folded):
        chars, base = run.group(), run.start()
        for i in range(len(chars)):
            for size in range(min(gaz.longest, len(chars) - i), 1, -1):
                key = chars[i : i + size]
                for table, priority in ((gaz.full, 4), (gaz.short, 3)):
                    if key in table:
                        how = "recorded" if text[base + i : base + i + size] == key else "folded"
                        found.append((base + i, base + i + size, priority, table[key], how))
    tokens = [(m.start(), m.end(), m.group()) for m in _LATIN.finditer(folded)]
    for i in range(len(tokens)):
        for n in range(1, min(6, len(tokens) - i) + 1):
            part = tokens[i : i + n]
            start, end = part[0][0], part[-1][1]
            key = " ".join(t[2] for t in part)
            for table, priority in ((gaz.full, 4), (gaz.short, 3)):
                if key in table:
                    found.append((start, end, priority, table[key], "recorded"))
            joined = key.replace(" ", "")
            if n <= 4 and len(joined) >= 5 and joined in gaz.pinyin:
                found.append((start, end, 2, gaz.pinyin[joined], "pinyin"))
    return found


def _choose(found: list[tuple[int, int, int, set[Entity], str]], text: str) -> list[Link]:
    """The longest names first, then the surer forms; a name inside another is not one."""
    taken: list[Link] = []
    for start, end, _p, entities, how in sorted(found, key=lambda f: (f[0] - f[1], -f[2], f[0])):
        if any(start < link.end and link.start < end for link in taken):
            continue
        ordered = tuple(sorted(entities, key=lambda e: (e.kind, e.key)))
        taken.append(Link(start, end, text[start:end], ordered, how))
    return sorted(taken, key=lambda link: link.start)


def _masked(text: str, links: Iterable[Link]) -> str:
    chars = list(text)
    for link in links:
        chars[link.start : link.end] = " " * (link.end - link.start)
    return "".join(chars)


def _fuzzy(gaz: Gazetteer, phrase: Unlinked) -> tuple[set[Entity], str] | None:
    """The one entity a phrase names with one letter or character wrong, or a homophone."""
    cjk = _CJK_RUN.fullmatch(phrase.core) is not None
    key = fold(phrase.core) if cjk else latin_key(phrase.core)
    found: set[Entity] = set()
    how = "fuzzy"
    heard = [r for r in pinyin_keys(key) if r in gaz.pinyin] if cjk else []
    if heard:
        found, how = {e for r in heard for e in gaz.pinyin[r]}, "homophone"
    elif len(key) >= (4 if cjk else 5):
        for table in (gaz.full, gaz.short):
            for form, entities in table.items():
                if abs(len(form) - len(key)) <= 1 and within_one(key, form):
                    found |= entities
        if not cjk:
            for form, entities in gaz.pinyin.items():
                if abs(len(form) - len(key)) <= 2 and within_one(key.replace(" ", ""), form):
                    found |= entities
    found = {e for e in found if e.kind in phrase.kinds}
    return (found, how) if len({e.key for e in found}) == 1 else None


def ground(text: str, gaz: Gazetteer) -> Grounding:
    """Link the names of a (normalised) question to the gazetteer's entities."""
    folded = fold(text)
    links = _choose(_matches(gaz, folded, text), text)
    # A pollutant inside a name is part of it (锌 in 舸洺锌业有限公司): only other names are
    # masked before looking for the shapes of names.
    masked = _masked(text, [k for k in links if any(e.kind != "pollutant" for e in k.entities)])
    unlinked = []
    phrases = sorted(english_phrases(masked) + chinese_phrases(masked), key=lambda p: p[0])
    for start, end, phrase in phrases:
        if any(start < link.end and link.start < end for link in links):
            continue
        matched = _fuzzy(gaz, phrase)
        if matched is None:
            unlinked.append(_with_region(text, links, start, phrase))
            continue
        entities, how = matched
        ordered = tuple(sorted(entities, key=lambda e: e.key))
        links.append(Link(start, end, text[start:end], ordered, how))
    links = _extended(text, sorted(links, key=lambda link: link.start))
    return Grounding(folded_cjk(text), tuple(links), tuple(unlinked), _canonical(text, links))


def _with_region(text: str, links: list[Link], start: int, phrase: Unlinked) -> Unlinked:
    """An unknown name with the region written before it (箐棱 + 淇杼再生资源有限公司): the
    region is linked on its own, but the name the refusal quotes is the whole of it."""
    for link in links:
        gap = text[link.end : start]
        if all(e.kind in _REGIONS for e in link.entities) and len(gap) <= 1 and not gap.strip():
            return replace(phrase, surface=text[link.start : start] + phrase.surface)
    return phrase


def _extended(text: str, links: list[Link]) -> list[Link]:
    """An enterprise's link grown over the words of its name around it: the region before a
    trade name and the industry and legal form after it ("Lanyu" + "Chengling" + "Secondary
    Lead Co."), so they are not read again as a city, a pollutant or a sector."""
    out: list[Link] = []
    for link in links:
        if len(link.entities) != 1 or link.entities[0].kind != "enterprise":
            out.append(link)
            continue
        entity = link.entities[0]
        words = set(latin_key(entity.en).split()) if entity.en else set()
        start, end = link.start, link.end
        while True:
            m = _NEXT_WORD.match(text, end)
            word = m.group(1) if m else ""
            # Its own words, or a capitalised industry word (a name with no English form)
            own = word.lower() in words or word[:1].isupper()
            if m is not None and word.lower() in _EXTENDING and own:
                end = m.end()
                continue
            at = end + len(text[end:]) - len(text[end:].lstrip(" "))  # "Chengling 再生铅"
            tail = next((w for w in _ZH_EXTENDING if text.startswith(w, at) and w in entity.zh), "")
            if not tail:
                break
            end = at + len(tail)
        before = out[-1] if out else None
        if (
            before is not None
            and all(e.kind in _REGIONS for e in before.entities)
            and not text[before.end : start].strip(" ,")
            and (before.surface.lower() in words or before.surface in entity.zh)
        ):
            out.pop()
            start = before.start
        out.append(Link(start, end, text[start:end], link.entities, link.how))
    return out


_EXTENDING = EN_INDUSTRY | set(EN_ORG) | {"co", "ltd"}
_ZH_EXTENDING = sorted((*ZH_INDUSTRY, *ZH_ORG), key=len, reverse=True)


def folded_cjk(text: str) -> str:
    """The text with its Chinese in simplified characters, the rest as written."""
    folded = fold(text)
    return "".join(f if _CJK_RUN.match(c) else c for c, f in zip(text, folded, strict=True))


def _canonical(text: str, links: list[Link]) -> str:
    """The question with the records' spellings for names written otherwise."""
    lang = language(text)
    out = folded_cjk(text)
    for link in sorted(links, key=lambda x: -x.start):
        if link.how in ("pinyin", "fuzzy", "homophone") and len(link.entities) == 1:
            entity = link.entities[0]
            name = entity.name(lang)
            if link.how == "pinyin" and entity.kind in PLACE_KINDS and lang == "en":
                name = entity.en or entity.zh
            out = out[: link.start] + name + out[link.end :]
    return out
