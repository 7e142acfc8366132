"""The names a question anchors on: record ids, years, provinces and pollutants read from the
vocabularies, and the names of the records the gazetteer grounds (enterprises, departments,
cities, counties, parks, rivers, sites); without a gazetteer, the search synonyms stand in."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from portal.assistant import lexicon
from portal.assistant.cues import has
from portal.assistant.dates import blank_dates, find_span
from portal.assistant.gazetteer import Entity
from portal.assistant.grounding import Grounding
from portal.assistant.text import CJK
from portal.models import vocab
from portal.records.kinds import BY_PREFIX

# A record id starts with a kind's prefix (INC-2012-0001, ent-gx-jinhe): any three letters and a
# hyphen would make "run-of-mine ore" or "a two-way valve" an id no record has, and a refusal.
ID_PATTERN = re.compile(
    rf"\b(?:{'|'.join(sorted(BY_PREFIX))})(?:-[A-Z0-9]{{1,12}}){{1,5}}\b(?!-)", re.I
)
YEAR = r"(?<!\d)((?:19[5-9]|20\d)\d)(?!\d)"
FIRST_YEAR, LAST_YEAR = 1950, 2099


@dataclass(frozen=True)
class Anchor:
    """A name the answer must be about: every record used must mention it (or its synonyms)."""

    kind: str  # pollutant, province, place, years, id, enterprise, department
    value: str  # the code, canonical name, "2019-2021", the id, or a place's filter value
    surface: str  # as the question wrote it
    variants: frozenset[str] = frozenset()
    years: tuple[int, int] = (0, 0)
    field: str = ""  # for a place the records name: city, county, park, river or site
    entities: tuple[Entity, ...] = ()  # what the gazetteer linked it to (several: ambiguous)
    days: tuple[date, date] | None = None  # a year's anchor narrowed to a month or a day

    @property
    def city(self) -> str | None:
        """The English city name when this place is a city (the listings' `city` filter)."""
        if self.field:
            return self.value if self.field == "city" else None
        if self.kind != "place" or not any(v.endswith("市") for v in self.variants):
            return None
        english = sorted(v for v in self.variants if v[:1].isupper() and v.isascii())
        return english[0] if english else None


def _find_years(text: str) -> Anchor | None:
    years = [int(y) for y in re.findall(YEAR, text)]
    if not years:
        return None
    lo, hi = min(years), max(years)
    lowered = text.lower()
    if len(years) == 1:
        if re.search(r"(since|after|from)\s+" + str(lo), lowered) or re.search(
            str(lo) + r"\s*年?\s*(以来|以后|之后|起)", text
        ):
            hi = LAST_YEAR
        elif re.search(r"(before|until|prior to)\s+" + str(lo), lowered) or re.search(
            str(lo) + r"\s*年?\s*(以前|之前)", text
        ):
            lo, hi = FIRST_YEAR, lo - (1 if re.search(r"before|以前|之前", text) else 0)
    value = str(lo) if lo == hi else f"{lo}-{hi}"
    return Anchor("years", value, str(years[0]), years=(lo, hi))


@lru_cache(maxsize=1)
def _province_names() -> list[tuple[str, str]]:
    names = []
    for p in vocab.provinces().values():
        names += [(p.name_zh, p.code), (p.short_zh, p.code), (p.name_en, p.code)]
    return sorted(names, key=lambda n: -len(n[0]))


def _take(text: str, surface: str) -> str:
    """The text with a found name blanked out, so its words are not read twice."""
    return re.sub(re.escape(surface), " ", text, flags=re.I)


def anchors_of(text: str, places: bool = True) -> tuple[list[Anchor], str]:
    """The anchors of a question, and the question with them blanked out (`places`: also the
    names of the search synonyms, when no gazetteer of the database grounds them)."""
    found: list[Anchor] = []
    rest = text
    for named in ID_PATTERN.finditer(text):
        found.append(Anchor("id", named.group().upper(), named.group()))
        rest = _take(rest, named.group())
    years = _find_years(rest)
    span = find_span(rest)
    if years and span and years.years == (span[0][0].year,) * 2:
        years = replace(years, days=span[0])  # "in June 2019": the month is the condition
        rest = blank_dates(rest)
    if years:
        found.append(years)
        rest = re.sub(YEAR + r"\s*年?(度)?", " ", rest)
    for name, code in _province_names():
        if has(rest, rest.lower(), name.lower() if name.isascii() else name):
            p = vocab.provinces()[code]
            variants = frozenset({p.short_zh, p.name_zh, p.name_en})
            found.append(Anchor("province", code, name, variants))
            rest = _take(rest, name)
    for group in lexicon.place_groups() if places else ():
        for name in sorted(group, key=len, reverse=True):
            if has(rest, rest.lower(), name.lower() if name.isascii() else name):
                found.append(Anchor("place", sorted(group)[0], name, group))
                for other in group:
                    rest = _take(rest, other)
                break
    aliases = lexicon.pollutant_aliases()
    for alias in sorted(aliases, key=len, reverse=True):
        code = aliases[alias]
        match: re.Match[str] | None
        if not alias.isascii():
            match = re.search(re.escape(alias), rest)
        elif len(alias) <= 2:  # a symbol (Cd, Pb) only as written, never the word "cd" or "as"
            match = re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", rest)
        else:
            match = re.search(rf"(?<![A-Za-z]){re.escape(alias)}(?![A-Za-z])", rest, re.I)
        if match is None:
            continue
        rest = rest[: match.start()] + " " + rest[match.end() :]
        if not any(a.kind == "pollutant" and a.value == code for a in found):
            pollutant = vocab.pollutants()[code]
            names = {pollutant.name_zh, pollutant.name_en}
            variants = frozenset(names | ({code} if code != "As" else set()))
            found.append(Anchor("pollutant", code, match.group(), variants))
    return found, rest


_LINKED = ("enterprise", "department", *("city", "county", "park", "river", "site"))


def linked(grounding: Grounding) -> list[Anchor]:
    """Anchors for the names the gazetteer linked (provinces and pollutants are read from the
    vocabularies as before); one anchor per name, with every entity it may mean."""
    out = []
    for link in grounding.links:
        entities = tuple(e for e in link.entities if e.kind in _LINKED)
        if not entities:
            continue
        first = entities[0]
        variants = frozenset(n for e in entities for n in e.names) | {link.surface}
        if first.kind in ("enterprise", "department"):
            out.append(Anchor(first.kind, first.key, link.surface, variants, entities=entities))
        else:
            out.append(
                Anchor("place", first.filter_value, link.surface, variants, field=first.kind,
                       entities=entities)
            )  # fmt: skip
    return out


def without_linked(text: str, grounding: Grounding) -> str:
    """The text with the linked names blanked out (same length)."""
    for link in grounding.links:
        if any(e.kind in _LINKED for e in link.entities):
            text = text[: link.start] + " " * (link.end - link.start) + text[link.end :]
    return text


def blank_vocab(rest: str, anchors: list[Anchor]) -> str:
    """Chinese text less the province and pollutant names found (jieba would cut 广西壮族自治区
    into words that are not names)."""
    for anchor in anchors:
        if anchor.kind in ("province", "pollutant") and CJK.search(anchor.surface):
            rest = rest.replace(anchor.surface, " ")
    return rest
