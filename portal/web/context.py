"""What every template can use: the language, record text picking, names of kinds, places and
pollutants, labels of enumeration values, and the date and number filters."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Blueprint, request, url_for
from flask_babel import get_translations, gettext, lazy_gettext
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from portal.models import vocab
from portal.models.labels import label
from portal.models.penalty import money
from portal.models.times import shown_in
from portal.records import PUBLIC_KINDS
from portal.records.query import CHINA
from portal.web.charts import marker_path
from portal.web.i18n import current_lang, pick

KIND_LABELS = {
    "enterprises": lazy_gettext("Enterprises"),
    "incidents": lazy_gettext("Incidents"),
    "inspections": lazy_gettext("Inspections"),
    "disclosures": lazy_gettext("Disclosures"),
    "departments": lazy_gettext("Departments"),
    "responses": lazy_gettext("Responses"),
}
# One record of a kind, for sentences such as "an incident".
KIND_SINGULAR = {
    "enterprises": lazy_gettext("Enterprise"),
    "incidents": lazy_gettext("Incident"),
    "inspections": lazy_gettext("Inspection"),
    "disclosures": lazy_gettext("Disclosure"),
    "departments": lazy_gettext("Department"),
    "responses": lazy_gettext("Response"),
}


# Field names as the history page shows them; a _zh or _en field adds its language.
FIELD_LABELS = {
    "title": lazy_gettext("Title"),
    "name": lazy_gettext("Name"),
    "summary": lazy_gettext("Summary"),
    "description": lazy_gettext("Description"),
    "findings": lazy_gettext("Findings"),
    "measures": lazy_gettext("What was ordered"),
    "follow_up": lazy_gettext("Follow-up"),
    "text": lazy_gettext("Text"),
    "penalty_yuan": lazy_gettext("Fine (yuan)"),
    "outcome": lazy_gettext("Outcome"),
    "status": lazy_gettext("Status"),
    "deadline": lazy_gettext("Deadline"),
    "readings": lazy_gettext("Readings"),
    "figures": lazy_gettext("Figures"),
    "responsible": lazy_gettext("Held responsible"),
    "updates": lazy_gettext("Updates from departments"),
    "pollutants": lazy_gettext("Pollutants"),
    "sector": lazy_gettext("Sector"),
    "province": lazy_gettext("Province"),
    "city": lazy_gettext("City"),
    "county": lazy_gettext("County"),
    "latitude": lazy_gettext("Latitude"),
    "longitude": lazy_gettext("Longitude"),
    "permit_number": lazy_gettext("Discharge permit"),
    "credit_code": lazy_gettext("Unified social credit code"),
    "began_at": lazy_gettext("Began"),
    "found_at": lazy_gettext("Found"),
    "inspected_on": lazy_gettext("Date"),
    "category": lazy_gettext("Category"),
    "period_start": lazy_gettext("Period start"),
    "period_end": lazy_gettext("Period end"),
    "sources": lazy_gettext("Sources"),
    "river": lazy_gettext("River"),
    "place": lazy_gettext("Place"),
}


def field_label(name: str) -> str:
    """A field's name for readers: "Findings (Chinese)" for findings_zh."""
    stem, _, suffix = name.rpartition("_")
    if suffix in ("zh", "en") and stem in FIELD_LABELS:
        language = gettext("Chinese") if suffix == "zh" else gettext("English")
        return gettext("%(field)s (%(language)s)", field=FIELD_LABELS[stem], language=language)
    return str(FIELD_LABELS.get(name, name))


def change_value(value: Any) -> tuple[str, bool]:
    """A changed value as text, and True when it is a structure (shown folded)."""
    if value is None or value == "":
        return "—", False
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1), True
    return str(value), False


def kind_label(kind: str) -> str:
    """The name of a kind of record in the page language."""
    return str(KIND_LABELS[kind])


def _china(value: date | datetime | None, fmt: str) -> str:
    """Show a time in China Standard Time (the records' own time zone); dates as they are."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return shown_in(value, CHINA).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def province_name(code: str | None, lang: str) -> str:
    """A province's short Chinese or English name."""
    p = vocab.provinces().get(code or "")
    return (p.name_en if lang == "en" else p.short_zh) if p else (code or "")


def pollutant_name(code: str, lang: str) -> str:
    """A pollutant's name in the page language (its code when unknown)."""
    p = vocab.pollutants().get(code)
    return (p.name_en if lang == "en" else p.name_zh) if p else code


def unit_name(code: str, lang: str) -> str:
    """A unit of data/units.csv as the page's language writes it (毫克/升, mg/L); as stored when
    unknown (a figure stored before the vocabulary)."""
    unit = vocab.units().get(code)
    return (unit.name_zh if lang == "zh" else unit.code) if unit else code


def number(value: float | int | None) -> str:
    """A number as people read it: thousands separated, no float noise (0.0247, 1,200,000)."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.6g}"


def iso(value: date | datetime) -> str:
    """A date or time for a datetime attribute: whole seconds (HTML allows at most three
    decimals)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def href(url: str) -> str:
    """An address as an attribute value HTML accepts: characters a URL may not hold (spaces,
    angle brackets, quotes) percent-encoded, the rest as published."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese(text: object) -> bool:
    """Whether a text holds Chinese characters: a source's title on an English page is then marked
    as Chinese (lang and a note), since the portal cannot translate what a publisher typed."""
    return isinstance(text, str) and _HAN.search(text) is not None


def install(bp: Blueprint) -> None:
    """Register the filters and the context processor on the HTML blueprint."""
    bp.add_app_template_filter(lambda v: _china(v, "%Y-%m-%d"), "day")
    bp.add_app_template_filter(lambda v: _china(v, "%Y-%m-%d %H:%M"), "minute")
    bp.add_app_template_filter(lambda v: _china(v, "%H:%M"), "clock")
    bp.add_app_template_filter(number, "number")
    bp.add_app_template_filter(iso, "iso")
    bp.add_app_template_filter(href, "href")
    bp.add_app_template_test(chinese, "chinese")
    bp.app_context_processor(page_helpers)


def lang_url(code: str) -> str:
    """This page in another language (its arguments kept)."""
    args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
    args["lang"] = code
    return url_for(request.endpoint or "web.home", **args)


def page_helpers() -> dict[str, Any]:
    """Helpers every template can call: language, text picking, labels, names."""
    lang = current_lang()
    separator = "、" if lang == "zh" else ", "
    # The page's catalogue, looked up once: Flask-Babel's own `_` looks it up again for every
    # string (about a tenth of the search page's CPU). The same wrapping as Jinja's i18n (newstyle).
    translations = get_translations()
    return {
        "gettext": _make_new_gettext(translations.ugettext),
        "ngettext": _make_new_ngettext(translations.ungettext),
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-CN",
        "other_lang": "en" if lang == "zh" else "zh",
        "pick": lambda rec, stem: pick(rec, stem, lang),
        "kind_label": kind_label,
        "kind_singular": lambda k: str(KIND_SINGULAR[k]),
        "kinds": PUBLIC_KINDS,
        "lang_url": lang_url,
        "province_name": lambda code: province_name(code, lang),
        "pollutant_name": lambda code: pollutant_name(code, lang),
        "unit_name": lambda code: unit_name(code, lang),
        "label": lambda value: label(value, lang),
        "pollutant_list": lambda codes: separator.join(pollutant_name(c, lang) for c in codes),
        "join_list": lambda items: separator.join(str(i) for i in items),
        "marker_path": marker_path,
        "field_label": field_label,
        "change_value": change_value,
        "class_name": lambda klass: gettext("class %(name)s", name=klass) if klass else "",
        "money": lambda amount, currency, about=False: money(amount, currency, lang, about),
    }
