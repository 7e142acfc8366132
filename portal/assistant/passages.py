"""A record as the assistant reads it: its title, dates and facts in both languages, and its text
fields cut into sentences, each kept as a span of the field so a quote is the record's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal import catalogue
from portal.assistant.facets import date_words, facets_of, proper_names
from portal.assistant.facets import ids_named as ids_named  # imported from here by others
from portal.assistant.facets import place_words as place_words
from portal.assistant.facts import facts
from portal.assistant.injection import quotable
from portal.assistant.text import Span, en_stems, sentences
from portal.models.labels import label
from portal.models.times import shown_in
from portal.records.query import CHINA

# The text fields of each kind, by stem, in reading order; parts are lists of items with a field.
FIELDS: dict[str, tuple[str, ...]] = {
    "incidents": ("title", "summary"),
    "inspections": ("findings", "measures", "follow_up"),
    "disclosures": ("title", "text"),
    "enterprises": ("description",),
    "departments": ("description",),
}
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "incidents": (("responsible", "role"), ("updates", "text")),
}


@dataclass(frozen=True)
class Sentence:
    """One sentence of one field of a record, as a span of that field's text."""

    record_id: str
    field: str  # "summary_en", "updates.3.text_zh"
    lang: str
    text: str  # the whole field
    span: Span
    position: int  # order within the record (0 = first)

    @property
    def words(self) -> str:
        """The sentence itself."""
        return self.text[self.span.start : self.span.end]


@dataclass
class RecordView:
    """What the assistant knows of one record."""

    id: str
    kind: str
    title_zh: str
    title_en: str
    day: date | None
    updated_at: datetime
    publisher_id: str
    facets: str  # names, places, kind, outcome, pollutants and years, in both languages
    years: frozenset[int]
    sentences: list[Sentence] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # every text field by name
    languages: frozenset[str] = frozenset()  # the languages its sentences are written in
    # For a part's field ("responsible.0.role_en"): who it is about, shown before a quote of it,
    # and the words that say what the part is (a responsible party, an update of a day).
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The record's fields stated as sentences (facts.py), cited by field, not quoted.
    facts: list[Sentence] = field(default_factory=list)
    days: dict[str, date] = field(default_factory=dict)  # fields with a day of their own
    # The period a report covers: what "in 2024" means for it (not the day it was published).
    period: tuple[date, date] | None = None
    as_of: date | None = None  # the latest day the record's text speaks of (evidence_day)
    names: tuple[str, ...] = ()  # its proper names (facets.proper_names)

    def day_of(self, field_name: str) -> date | None:
        """The day a sentence of this field is evidence of: its own (a reading's, an
        update's), else the record's."""
        return self.days.get(field_name, self.as_of)

    def context(self, field_name: str) -> str:
        """The words a sentence of this field stands in (empty for the record's own fields)."""
        return self.labels.get(field_name, ("", ""))[1]

    def title(self, lang: str) -> str:
        """The title in a language, else the other one."""
        mine, other = (
            (self.title_en, self.title_zh) if lang == "en" else (self.title_zh, self.title_en)
        )
        return mine or other or self.id

    def has_language(self, lang: str) -> bool:
        """True when some text of the record is written in that language."""
        return lang in self.languages

    def haystack(self) -> str:
        """Every word of the record and its facets, for checking that a name is there."""
        return "\n".join([self.facets, *self.texts.values()])

    def contains(self, passage: str) -> bool:
        """True when the passage is the record's own words (within one field)."""
        return any(passage in text for text in self.texts.values())


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return shown_in(value, CHINA).date()
    return value if isinstance(value, date) else None


def _main_day(record: Any) -> date | None:
    for name in ("began_at", "found_at", "inspected_on", "published_at"):
        value = getattr(record, name, None)
        if value is not None:
            return _day(value)
    return None


def _text_fields(record: Any) -> Iterator[tuple[str, str, str]]:
    """(field name, language, text) of every text field worth quoting, in reading order."""
    for stem in FIELDS.get(record.kind, ()):
        for lang in ("zh", "en"):
            value = getattr(record, f"{stem}_{lang}", None)
            if value:
                yield f"{stem}_{lang}", lang, value
    for part, stem in PARTS.get(record.kind, ()):
        for i, item in enumerate(getattr(record, part, []) or []):
            for lang in ("zh", "en"):
                value = getattr(item, f"{stem}_{lang}", None)
                if value:
                    yield f"{part}.{i}.{stem}_{lang}", lang, value


FACT = "fact:"  # the field name of a fact sentence: fact:<record field>:<lang>


def fact_field(field_name: str) -> str | None:
    """The record's field a fact sentence states (None for a sentence of text)."""
    if not field_name.startswith(FACT):
        return None
    return field_name[len(FACT) :].rpartition(":")[0]


def evidence_day(record: Any) -> date | None:
    """The latest day a record's text speaks of: the last update or reading of an incident, the
    decision of an inspection, the publication of anything else (what "as of" quotes)."""
    days = [_main_day(record), _day(getattr(record, "found_at", None))]
    days += [_day(u.at) for u in getattr(record, "updates", []) or []]
    days += [_day(m.measured_at) for m in getattr(record, "readings", []) or []]
    days.append(_day(getattr(record, "decided_on", None)))
    if record.kind not in ("incidents", "inspections"):
        days.append(_day(record.published_at))
    known = [d for d in days if d is not None]
    return max(known) if known else None


RESPONSIBLE_WORDS = "responsible source enterprise 责任方 责任 污染源 企业"
_HEADING = re.compile(r"^[^。！？.!?；;：:，,]{1,24}$")


def _name(names: Mapping[str, tuple[str, str | None]], rid: str, lang: str) -> str:
    zh, en = names.get(rid, (rid, None))
    return (en or zh) if lang == "en" else zh


def _label(record: Any, field_name: str, lang: str, names: Any) -> tuple[str, str] | None:
    """Who a part's text is about, and what the part is, for a field like updates.3.text_en."""
    part, _, rest = field_name.partition(".")
    if not rest:
        return None
    item = getattr(record, part)[int(rest.split(".")[0])]
    if part == "responsible":
        name = _name(names, item.enterprise_id, lang)
        return name, f"{name} {RESPONSIBLE_WORDS}"
    day = _day(item.at)
    name = _name(names, item.department_id, lang)
    shown = catalogue.words(lang).pgettext(
        "who updated an incident, and when", "%(name)s, %(day)s", name=name, day=day
    )
    return shown, " ".join([name, *date_words(day)])


# What a field of a record's own is, in words a question uses for it: "检查发现了什么？" is
# answered by the findings, whose sentences ("雨水排口铅浓度超标") do not say 发现.
FIELD_WORDS = {"findings": "发现 查出 查明 问题 found findings"}


def _field_words(field_name: str) -> tuple[str, str] | None:
    words = FIELD_WORDS.get(field_name.rsplit("_", 1)[0])
    return ("", words) if words else None


def _years(record: Any, day: date | None) -> frozenset[int]:
    years = {day.year} if day else set()
    for name in ("found_at", "period_start", "period_end", "deadline"):
        value = _day(getattr(record, name, None))
        if value:
            years.add(value.year)
    return frozenset(years)


def _period(record: Any) -> tuple[date, date] | None:
    first = _day(getattr(record, "period_start", None))
    last = _day(getattr(record, "period_end", None))
    return (first, last) if first and last else None


def inspection_title(record: Any, names: Mapping[str, tuple[str, str | None]], lang: str) -> str:
    """An inspection has no title of its own: the enterprise, the day and the outcome."""
    return catalogue.words(lang).gettext(
        "%(enterprise)s: inspection of %(day)s (%(outcome)s)",
        enterprise=_name(names, record.enterprise_id, lang),
        day=record.inspected_on.isoformat(),
        outcome=label(str(record.outcome), lang),
    )


def view(
    record: Any,
    names: Mapping[str, tuple[str, str | None]],
    places: Mapping[str, list[str]] | None = None,
) -> RecordView:
    """The assistant's view of a public record. `names` gives the display names (zh, en) of the
    enterprises and departments it names, `places` the words of where those enterprises are."""
    if record.kind == "inspections":
        title_zh, title_en = (inspection_title(record, names, lang) for lang in ("zh", "en"))
    else:
        title_zh = getattr(record, "title_zh", None) or getattr(record, "name_zh", None) or ""
        title_en = getattr(record, "title_en", None) or getattr(record, "name_en", None) or ""
    day = _main_day(record)
    out = RecordView(
        id=record.id,
        kind=record.kind,
        title_zh=title_zh,
        title_en=title_en,
        day=day,
        updated_at=record.updated_at,
        publisher_id=record.publisher_id,
        facets=facets_of(record, day, names, places or {}),
        years=_years(record, day),
        as_of=evidence_day(record),
        names=tuple(proper_names(record, names)),
        period=_period(record),
    )
    position = 0
    for name, lang, text in _text_fields(record):
        out.texts[name] = text
        if name.startswith("title_"):
            continue  # shown as the title; quoting it would say nothing more
        label = _label(record, name, lang, names) or _field_words(name)
        if label:
            out.labels[name] = label
        if name.startswith("updates."):
            update_day = _day(record.updates[int(name.split(".")[1])].at)
            if update_day is not None:
                out.days[name] = update_day
        for span in sentences(text):
            if _HEADING.match(text[span.start : span.end]) and "." not in name:
                continue  # "三、环境社会责任": a heading, not a statement
            if not quotable(text[span.start : span.end]):
                position += 1  # an instruction or a link: never quoted, and no window spans it
                continue
            out.sentences.append(Sentence(record.id, name, lang, text, span, position))
            position += 1
    out.languages = frozenset(s.lang for s in out.sentences)
    for fact in facts(record, names):
        name = f"{FACT}{fact.field}:{fact.lang}"
        out.texts[name] = fact.text
        span = Span(0, len(fact.text))
        out.facts.append(Sentence(record.id, name, fact.lang, fact.text, span, position))
        if fact.day is not None:
            out.days[name] = fact.day
        position += 1
    en_stems(out.facets)  # warm the cache: every sentence of this record is checked against it
    return out
