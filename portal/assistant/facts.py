"""Facts that live in a record's fields (a credit code, a permit, where it is, a reading and its
exceedance, a penalty, a disclosed figure), stated as sentences in both languages so that a
question about them is answered and cited like a sentence of text.

A fact sentence is not the record's words: it is the rendering of one field, made here from the
field's values and nothing else. Its citation carries the field's name (`Citation.field`), and
the check re-renders that field from the record as published and requires the same sentence
(`holds`), so a stated fact is as checkable as a quote (docs/decisions/0019).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from portal import records
from portal.catalogue import words
from portal.models import vocab
from portal.models.labels import label
from portal.models.penalty import money
from portal.models.times import shown_in
from portal.records.query import CHINA

Names = Mapping[str, tuple[str, str | None]]
MAX_MEASUREMENTS = 60  # readings or figures stated per record (the record page has them all)


@dataclass(frozen=True)
class Fact:
    """One field of a record stated as a sentence in one language."""

    field: str  # credit_code, readings.2, penalty_yuan
    lang: str
    text: str
    day: date | None = None  # the day the fact is of, when it has its own (a reading's)


def number(value: float | int | Decimal) -> str:
    """A number as the records give it: no exponent, no trailing zeros, no separators."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return shown_in(value, CHINA).date()
    return value if isinstance(value, date) else None


def _name(names: Names, rid: str | None, lang: str) -> str:
    zh, en = names.get(rid or "", (rid or "", None))
    return (en or zh) if lang == "en" else zh


def _own(record: Any, stem: str, lang: str) -> str:
    zh = getattr(record, f"{stem}_zh", None) or ""
    en = getattr(record, f"{stem}_en", None) or ""
    return (en or zh) if lang == "en" else zh


def _pollutant(code: str, lang: str) -> str:
    known = vocab.pollutants().get(code)
    if known is None:
        return code
    return f"{known.name_en} ({code})" if lang == "en" else known.name_zh


def _province(code: str | None, lang: str) -> str:
    known = vocab.provinces().get(code or "")
    if known is None:
        return ""
    return known.name_en if lang == "en" else known.name_zh


def _measured(m: Any, lang: str, prefix: str) -> str:
    """A reading or figure with its limit and exceedance factor (computed, never typed in)."""
    say = words(lang)
    site = _own(m, "site", lang)
    value, unit = number(m.value), m.unit
    what = _pollutant(m.pollutant, lang)
    standard = " ".join(p for p in (m.standard or "", m.standard_class or "") if p)
    measured = {"prefix": prefix, "what": what, "site": site, "value": value, "unit": unit}
    if "/" in unit:  # mg/L, or t a year
        said = say.gettext(
            "%(prefix)sthe %(what)s concentration measured at %(site)s was %(value)s %(unit)s",
            **measured,
        )
    else:
        said = say.gettext(
            "%(prefix)sthe %(what)s amount measured at %(site)s was %(value)s %(unit)s",
            **measured,
        )
    if m.exceedance_factor is None:
        if standard:
            return say.gettext(
                "%(said)s (no limit of %(standard)s on file).", said=said, standard=standard
            )
        return say.pgettext("end of a sentence", "%(said)s.", said=said)
    limit = {
        "said": said,
        "standard": standard,
        "limit": number(m.limit),
        "unit": m.limit_unit,
        "factor": number(m.exceedance_factor),
    }
    if m.exceeds:
        return say.gettext(
            "%(said)s; the %(standard)s limit is %(limit)s %(unit)s, an exceedance factor of "
            "%(factor)s (above the limit).",
            **limit,
        )
    return say.gettext(
        "%(said)s; the %(standard)s limit is %(limit)s %(unit)s, an exceedance factor of "
        "%(factor)s (within the limit).",
        **limit,
    )


def _address(smallest_first: tuple[str, ...], lang: str) -> str:
    """Where something is: "Jinchuan, Longjiang, Guangxi" in English; Chinese writes the largest
    place first with nothing between (an order, not a word: the catalogue cannot hold it)."""
    if lang == "en":
        return ", ".join(p for p in smallest_first if p)
    return "".join(reversed(smallest_first))


def _counted(m: Any, lang: str, prefix: str) -> str:
    """A disclosed figure that is no pollutant (an investment, t CO2e, staff trained): no limit."""
    item = _own(m, "item", lang)
    unit = vocab.units().get(m.unit)
    shown = (unit.name_en if lang == "en" else unit.name_zh) if unit else m.unit
    site = _own(m, "site", lang)
    say, value = words(lang), number(m.value)
    if site:
        return say.gettext(
            "%(prefix)s%(item)s at %(site)s: %(value)s %(unit)s.",
            prefix=prefix,
            item=item,
            site=site,
            value=value,
            unit=shown,
        )
    return say.gettext(
        "%(prefix)s%(item)s: %(value)s %(unit)s.", prefix=prefix, item=item, value=value, unit=shown
    )


def _enterprise(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    say, n = words(lang), _own(r, "name", lang)
    if r.credit_code:
        yield (
            "credit_code",
            say.gettext(
                "The unified social credit code of %(name)s is %(code)s.",
                name=n,
                code=r.credit_code,
            ),
        )
    if r.permit_number:
        yield (
            "permit_number",
            say.gettext(
                "The pollutant discharge permit number of %(name)s is %(number)s.",
                name=n,
                number=r.permit_number,
            ),
        )
    where = _address(
        (_own(r, "county", lang), _own(r, "city", lang), _province(r.province, lang)), lang
    )
    yield "location", say.gettext("%(name)s is located in %(where)s.", name=n, where=where)
    park = _own(r, "park", lang)
    if park:
        yield (
            "park",
            say.gettext("The industrial park of %(name)s is %(park)s.", name=n, park=park),
        )
    sector, status = label(str(r.sector), lang), label(str(r.status), lang)
    yield "sector", say.gettext("The sector of %(name)s is %(sector)s.", name=n, sector=sector)
    yield "status", say.gettext("The status of %(name)s is: %(status)s.", name=n, status=status)
    yield from _penalties(r, names, lang, None)


def _penalties(r: Any, names: Names, lang: str, over: str | None) -> Iterator[tuple[str, str]]:
    """Each penalty a record lists (outside inspections: a court's fine, a customs penalty)."""
    say, en = words(lang), lang == "en"
    for i, p in enumerate(getattr(r, "penalties", None) or []):
        e = (
            _own(r, "name", lang)
            if r.kind == "enterprises"
            else _name(names, p.enterprise_id, lang)
        )
        by = (p.authority_en or p.authority_zh) if en else p.authority_zh
        when = "" if p.decided_on is None else say.gettext(" on %(day)s", day=str(p.decided_on))
        if p.amount is None:
            what = say.pgettext("penalty", "penalised")
        else:
            amount = money(p.amount, p.currency, lang, p.approximate)
            what = say.gettext("fined %(amount)s", amount=amount)
        if over:
            said = say.gettext(
                "%(enterprise)s was %(what)s by %(authority)s%(when)s over %(over)s.",
                enterprise=e,
                what=what,
                authority=by,
                when=when,
                over=over,
            )
        else:
            said = say.gettext(
                "%(enterprise)s was %(what)s by %(authority)s%(when)s.",
                enterprise=e,
                what=what,
                authority=by,
                when=when,
            )
        yield f"penalties.{i}", said


def _incident(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    say, t = words(lang), _own(r, "title", lang)
    river = _own(r, "river", lang)
    where = _address(
        (_own(r, "place", lang), _own(r, "city", lang), _province(r.province, lang)), lang
    )
    if river:
        yield (
            "location",
            say.gettext(
                "%(title)s took place in %(where)s, on the %(river)s.",
                title=t,
                where=where,
                river=river,
            ),
        )
    else:
        yield "location", say.gettext("%(title)s took place in %(where)s.", title=t, where=where)
    began, found = _day(r.began_at), _day(r.found_at)
    if began is None:  # not known (issue 21): said so, never a date guessed in its place
        said = (
            say.gettext(
                "The start of %(title)s is unknown; it was found on %(found)s.",
                title=t,
                found=found,
            )
            if found
            else say.gettext("The start of %(title)s is unknown.", title=t)
        )
    elif found:
        said = say.gettext(
            "%(title)s began on %(began)s and was found on %(found)s.",
            title=t,
            began=began,
            found=found,
        )
    else:
        said = say.gettext("%(title)s began on %(began)s.", title=t, began=began)
    yield "began_at", said
    status = label(str(r.status), lang)
    yield "status", say.gettext("The status of %(name)s is: %(status)s.", name=t, status=status)
    for i, who in enumerate(r.responsible or []):
        e = _name(names, who.enterprise_id, lang)
        yield (
            f"responsible.{i}",
            say.gettext(
                "%(enterprise)s was held responsible for %(title)s.", enterprise=e, title=t
            ),
        )
    yield from _penalties(r, names, lang, t)


def _inspection(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    say = words(lang)
    e, d = _name(names, r.enterprise_id, lang), _name(names, r.publisher_id, lang)
    day, kind, outcome = (
        r.inspected_on,
        label(str(r.inspection_type), lang),
        label(str(r.outcome), lang),
    )
    yield (
        "outcome",
        say.gettext(
            "%(department)s inspected %(enterprise)s on %(day)s (%(kind)s); the outcome: "
            "%(outcome)s.",
            department=d,
            enterprise=e,
            day=day,
            kind=kind,
            outcome=outcome,
        ),
    )
    if r.penalty_yuan:
        yield (
            "penalty_yuan",
            say.gettext(
                "%(enterprise)s was fined %(amount)s yuan after the inspection of %(day)s.",
                enterprise=e,
                amount=number(r.penalty_yuan),
                day=day,
            ),
        )
    if r.deadline:
        yield (
            "deadline",
            say.gettext(
                "The deadline set for %(enterprise)s after the inspection of %(day)s is "
                "%(deadline)s.",
                enterprise=e,
                day=day,
                deadline=r.deadline,
            ),
        )


def _disclosure(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    say = words(lang)
    e, t = _name(names, r.enterprise_id, lang), _own(r, "title", lang)
    period = say.pgettext(
        "period of a disclosure", "%(start)s to %(end)s", start=r.period_start, end=r.period_end
    )
    yield (
        "category",
        say.gettext(
            "%(title)s is the disclosure of %(enterprise)s on %(category)s for %(period)s.",
            title=t,
            enterprise=e,
            category=label(str(r.category), lang),
            period=period,
        ),
    )


KINDS: dict[str, Callable[[Any, Names, str], Iterator[tuple[str, str]]]] = {
    "enterprises": _enterprise,
    "incidents": _incident,
    "inspections": _inspection,
    "disclosures": _disclosure,
}


def facts(record: Any, names: Names) -> list[Fact]:
    """The record's fields as sentences, in Chinese and English; `names` gives the display names
    (zh, en) of the enterprises and departments it names."""
    out: list[Fact] = []
    render = KINDS.get(record.kind)
    for lang in ("zh", "en"):
        if render is not None:
            out += [Fact(field, lang, text) for field, text in render(record, names, lang)]
        out += _measurements(record, names, lang)
    return out


def _measurements(record: Any, names: Names, lang: str) -> list[Fact]:
    out = []
    if record.kind == "incidents":
        for i, m in enumerate((record.readings or [])[:MAX_MEASUREMENTS]):
            day = _day(m.measured_at)
            when = "" if day is None else words(lang).pgettext("a reading", "On %(day)s, ", day=day)
            out.append(Fact(f"readings.{i}", lang, _measured(m, lang, when), day))
    elif record.kind == "disclosures":
        e = _name(names, record.enterprise_id, lang)
        end = record.period_end
        for i, m in enumerate((record.figures or [])[:MAX_MEASUREMENTS]):
            head = words(lang).gettext(
                "%(enterprise)s disclosed for the period ending %(end)s: ", enterprise=e, end=end
            )
            said = _measured(m, lang, head) if m.pollutant else _counted(m, lang, head)
            out.append(Fact(f"figures.{i}", lang, said, _day(m.measured_at)))
    return out


def holds(record: Any, names: Names, field: str, passage: str) -> bool:
    """True when the passage is the rendering of that field of the record as it stands."""
    return any(f.field == field and f.text == passage for f in facts(record, names))


def holds_in(session: Session, record: Any, field: str, passage: str) -> bool:
    """`holds`, with the display names of what the record names read from the database."""
    ids = [record.publisher_id, getattr(record, "enterprise_id", None)]
    ids += [r.enterprise_id for r in getattr(record, "responsible", []) or []]
    ids += [p.enterprise_id for p in getattr(record, "penalties", []) or []]
    return holds(record, records.names(session, sorted({i for i in ids if i})), field, passage)
