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
from portal.models import vocab
from portal.models.labels import label
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
    site = _own(m, "site", lang)
    value, unit = number(m.value), m.unit
    what = _pollutant(m.pollutant, lang)
    standard = " ".join(p for p in (m.standard or "", m.standard_class or "") if p)
    if lang == "en":
        noun = "concentration" if "/" in unit else "amount"  # mg/L, or t a year
        said = f"{prefix}the {what} {noun} measured at {site} was {value} {unit}"
        if m.exceedance_factor is None:
            return said + (f" (no limit of {standard} on file)." if standard else ".")
        side = "above" if m.exceeds else "within"
        return (
            f"{said}; the {standard} limit is {number(m.limit)} {m.limit_unit}, an exceedance "
            f"factor of {number(m.exceedance_factor)} ({side} the limit)."
        )
    said = f"{prefix}{site}{what}{'浓度' if '/' in unit else '量'}为{value} {unit}"
    if m.exceedance_factor is None:
        return said + (f"（{standard}无限值记录）。" if standard else "。")
    side = "超标" if m.exceeds else "未超标"
    return (
        f"{said}，{standard}限值为{number(m.limit)} {m.limit_unit}，"
        f"是限值的{number(m.exceedance_factor)}倍（{side}）。"
    )


def _counted(m: Any, lang: str, prefix: str) -> str:
    """A disclosed figure that is no pollutant (an investment, t CO2e, staff trained): no limit."""
    item = _own(m, "item", lang)
    unit = vocab.units().get(m.unit)
    shown = (unit.name_en if lang == "en" else unit.name_zh) if unit else m.unit
    site = _own(m, "site", lang)
    if lang == "en":
        at = f" at {site}" if site else ""
        return f"{prefix}{item}{at}: {number(m.value)} {shown}."
    return f"{prefix}{site}{item}为{number(m.value)}{shown}。"


def _enterprise(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    n = _own(r, "name", lang)
    en = lang == "en"
    if r.credit_code:
        yield (
            "credit_code",
            (
                f"The unified social credit code of {n} is {r.credit_code}."
                if en
                else f"{n}的统一社会信用代码为{r.credit_code}。"
            ),
        )
    if r.permit_number:
        yield (
            "permit_number",
            (
                f"The pollutant discharge permit number of {n} is {r.permit_number}."
                if en
                else f"{n}的排污许可证编号为{r.permit_number}。"
            ),
        )
    province, city, county = _province(r.province, lang), _own(r, "city", lang), ""
    county = _own(r, "county", lang)
    if en:
        where = ", ".join(p for p in (county, city, province) if p)
        yield "location", f"{n} is located in {where}."
    else:
        yield "location", f"{n}位于{province}{city}{county}。"
    park = _own(r, "park", lang)
    if park:
        yield (
            "park",
            (f"The industrial park of {n} is {park}." if en else f"{n}所在的工业园区为{park}。"),
        )
    sector, status = label(str(r.sector), lang), label(str(r.status), lang)
    yield "sector", f"The sector of {n} is {sector}." if en else f"{n}所属行业为{sector}。"
    yield "status", f"The status of {n} is: {status}." if en else f"{n}的状态为：{status}。"


def _incident(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    t = _own(r, "title", lang)
    en = lang == "en"
    river, place = _own(r, "river", lang), _own(r, "place", lang)
    city, province = _own(r, "city", lang), _province(r.province, lang)
    if en:
        where = ", ".join(p for p in (place, city, province) if p)
        yield "location", f"{t} took place in {where}" + (f", on the {river}." if river else ".")
    else:
        yield (
            "location",
            f"{t}发生在{province}{city}{place}" + (f"，涉及河流：{river}。" if river else "。"),
        )
    began, found = _day(r.began_at), _day(r.found_at)
    if began is None:  # not known (issue 21): said so, never a date guessed in its place
        if en:
            yield (
                "began_at",
                f"The start of {t} is unknown" + (f"; it was found on {found}." if found else "."),
            )
        else:
            yield "began_at", f"{t}的开始时间不详" + (f"，于{found}被发现。" if found else "。")
    elif en:
        yield (
            "began_at",
            f"{t} began on {began}" + (f" and was found on {found}." if found else "."),
        )
    else:
        yield "began_at", f"{t}始于{began}" + (f"，于{found}被发现。" if found else "。")
    status = label(str(r.status), lang)
    yield "status", f"The status of {t} is: {status}." if en else f"{t}的状态为：{status}。"
    for i, who in enumerate(r.responsible or []):
        e = _name(names, who.enterprise_id, lang)
        yield (
            f"responsible.{i}",
            (f"{e} was held responsible for {t}." if en else f"{e}被认定为{t}的责任方。"),
        )


def _inspection(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    e, d = _name(names, r.enterprise_id, lang), _name(names, r.publisher_id, lang)
    day, kind, outcome = (
        r.inspected_on,
        label(str(r.inspection_type), lang),
        label(str(r.outcome), lang),
    )
    en = lang == "en"
    yield (
        "outcome",
        (
            f"{d} inspected {e} on {day} ({kind}); the outcome: {outcome}."
            if en
            else f"{d}于{day}对{e}进行{kind}，结论：{outcome}。"
        ),
    )
    if r.penalty_yuan:
        amount = number(r.penalty_yuan)
        yield (
            "penalty_yuan",
            (
                f"{e} was fined {amount} yuan after the inspection of {day}."
                if en
                else f"{e}因{day}的检查被罚款{amount}元。"
            ),
        )
    if r.deadline:
        yield (
            "deadline",
            (
                f"The deadline set for {e} after the inspection of {day} is {r.deadline}."
                if en
                else f"{day}检查后为{e}规定的整改期限为{r.deadline}。"
            ),
        )


def _disclosure(r: Any, names: Names, lang: str) -> Iterator[tuple[str, str]]:
    e, t = _name(names, r.enterprise_id, lang), _own(r, "title", lang)
    period = (
        f"{r.period_start} to {r.period_end}"
        if lang == "en"
        else f"{r.period_start}至{r.period_end}"
    )
    category = label(str(r.category), lang)
    yield (
        "category",
        (
            f"{t} is the disclosure of {e} on {category} for {period}."
            if lang == "en"
            else f"{t}是{e}关于{category}的信息披露，期间为{period}。"
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
            when = "" if day is None else (f"On {day}, " if lang == "en" else f"{day}，")
            out.append(Fact(f"readings.{i}", lang, _measured(m, lang, when), day))
    elif record.kind == "disclosures":
        e = _name(names, record.enterprise_id, lang)
        end = record.period_end
        for i, m in enumerate((record.figures or [])[:MAX_MEASUREMENTS]):
            head = (
                f"{e} disclosed for the period ending {end}: "
                if lang == "en"
                else f"{e}披露（截至{end}）："
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
    return holds(record, records.names(session, sorted({i for i in ids if i})), field, passage)
