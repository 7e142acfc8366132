"""The problems of an address (a listing's, a search's, the obligations' filters) or of a form, in
the page language.

The records and search layers give each problem as an Issue: a code (portal/codes.py), the values
it names, and an English sentence. An English page shows the sentence; a Chinese page says the
code's sentence through the catalogue with the same values. A code without a sentence here (one
no page can meet, such as a write's) is shown as it came, in English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_babel import gettext

from portal.codes import Issue, Param
from portal.web.i18n import current_lang

Say = Callable[[Mapping[str, Any]], str]


def _kind(name: Param) -> str:
    # Imported here: context imports the blueprint's helpers, this module stays a leaf.
    from portal.web.context import kind_label

    if name == "search":
        return gettext("search")
    if name == "obligations":
        return gettext("obligations")
    if name == "compliance":
        return gettext("the compliance table")
    return kind_label(str(name))


def _list(values: Param) -> str:
    """A list of values as Chinese writes it: 、 between, no final “and”."""
    return "、".join(values) if isinstance(values, list) else str(values)


def _cursor(p: Mapping[str, Any]) -> str:
    if p["name"] == "before":
        return gettext("'before' is not one this portal made; follow the page links as given.")
    return gettext("'cursor' is not one this portal made; follow the 'next' link as given.")


# code: its sentence through the catalogue, from the issue's parameters (portal/codes.py).
SAY: dict[str, Say] = {
    # A query string.
    "filter_not_applicable": lambda p: gettext(
        "The filter '%(name)s' does not apply to %(kind)s.", name=p["name"], kind=_kind(p["kind"])
    ),
    "unknown_parameter": lambda p: gettext(
        "Unknown parameter '%(name)s'; %(kind)s take %(usable)s.",
        name=p["name"],
        kind=_kind(p["kind"]),
        usable=_list(p["usable"]),
    ),
    "dates_reversed": lambda p: gettext("'from' is after 'to': give the earlier date first."),
    "value_too_long": lambda p: gettext(
        "'%(name)s' is longer than %(n)s characters.", name=p["name"], n=p["max"]
    ),
    "control_character": lambda p: gettext(
        "'%(name)s' holds an invisible control character; remove it.", name=p["name"]
    ),
    "not_a_record_id": lambda p: gettext(
        "'%(name)s' takes a record id such as DEP-MEE or ENT-0001.", name=p["name"]
    ),
    "unknown_province": lambda p: gettext(
        "Unknown province '%(value)s'; use a name (广西, Guangxi) or code (45).", value=p["value"]
    ),
    "unknown_pollutant": lambda p: gettext(
        "Unknown pollutant '%(value)s'; use a name or symbol such as cadmium, 镉 or Cd "
        "(known: %(known)s).",
        value=p["value"],
        known=_list(p["known"]),
    ),
    "not_one_of": lambda p: gettext(
        "'%(name)s' must be one of %(choices)s.", name=p["name"], choices=_list(p["choices"])
    ),
    "not_a_date": lambda p: gettext(
        "'%(name)s' must be a date as YYYY-MM-DD, not '%(value)s'.",
        name=p["name"],
        value=p["value"],
    ),
    "not_a_time": lambda p: gettext(
        "'updated_since' must be a date or time in ISO 8601, e.g. 2024-03-01T00:00:00Z."
    ),
    "not_a_boolean": lambda p: gettext(
        "'sample' must be true (illustrative records only) or false (real ones)."
    ),
    "bad_cursor": _cursor,
    "cursor_and_before": lambda p: gettext(
        "Give 'cursor' or 'before', not both: follow the page links as given."
    ),
    "not_a_whole_number": lambda p: gettext(
        "'%(name)s' must be a whole number from %(low)s to %(high)s.",
        name=p["name"],
        low=p["low"],
        high=p["high"],
    ),
    "page_past_last": lambda p: gettext(
        "Page %(page)s is past the last page (%(pages)s) of %(total)s enterprises at "
        "%(limit)s a page.",
        page=f"{p['page']:,}",
        pages=f"{p['pages']:,}",
        total=f"{p['total']:,}",
        limit=f"{p['limit']:,}",
    ),
    "out_of_range": lambda p: gettext(
        "'%(name)s' must be from %(low)s to %(high)s, not %(value)s.",
        name=p["name"],
        low=p["low"],
        high=p["high"],
        value=p["value"],
    ),
    "not_a_year": lambda p: gettext(
        "'%(name)s' must be a year such as %(example)s, not '%(value)s'.",
        name=p["name"],
        example=p["example"],
        value=p["value"],
    ),
    "year_not_known": lambda p: gettext(
        "Obligations for %(year)s are not known yet: the portal shows the years %(first)s to "
        "%(last)s.",
        year=p["year"],
        first=p["first"],
        last=p["last"],
    ),
    "before_rules": lambda p: gettext(
        "There are no disclosure obligations for %(year)s: the rules (Measures for the "
        "Administration of Legal Disclosure of Enterprise Environmental Information, MEE Order "
        "No. 24) are in force from %(in_force)s, and the first year they ask a report for is "
        "%(first)s (due by 15 March %(due)s). Ask for a year from %(first)s on.",
        year=p["year"],
        in_force=p["in_force"],
        first=p["first"],
        due=p["due"],
    ),
    "too_deep": lambda p: gettext(
        "Results go %(n)s deep at most; narrow the search instead.", n=f"{p['max']:,}"
    ),
    "search_too_slow": lambda p: gettext(
        "This search would take longer than %(seconds)s seconds to answer; use fewer or more "
        "specific words, or add a filter (kind, province, from, to).",
        seconds=f"{p['seconds']:g}",
    ),
    # A form's fields (the tip form, the moderation form), as the records layer says them.
    "missing": lambda p: gettext("is required"),
    "string_too_long": lambda p: gettext(
        "String should have at most %(n)s characters", n=p["max_length"]
    ),
    "enum": lambda p: gettext(
        "Input should be %(choices)s", choices=_list([f"'{c}'" for c in p["choices"]])
    ),
    "record_id_format": lambda p: gettext(
        "an id is a three-letter prefix and up to five parts of capital letters and digits "
        "joined by '-', for example INC-2012-0001"
    ),
    "control_character_at": lambda p: gettext(
        "character %(n)s is an invisible control character (%(code)s); remove it",
        n=p["position"],
        code=p["character"],
    ),
    "no_such_record": lambda p: gettext("there is no record %(id)s", id=p["id"]),
    "no_such_tip": lambda p: gettext("There is no such tip."),
    "status_transition": lambda p: gettext(
        "%(id)s is %(status)s; it cannot become %(wanted)s",
        id=p["id"],
        status=p["status"],
        wanted=p["wanted"],
    ),
    "reason_required": lambda p: gettext("say why the tip is rejected; it is public"),
    "linked_record_required": lambda p: gettext("name the published record the tip led to"),
}
# A form says a few codes in its own words (a field's value, not an address's parameter).
SAY_IN_FORM: dict[str, Say] = {
    "unknown_province": lambda p: gettext(
        "unknown province '%(value)s'; use a name such as 广西 or Guangxi, or its code (45)",
        value=p["value"],
    ),
}


def in_page_language(issues: Iterable[Issue], *, form: bool = False) -> list[str]:
    """Each problem in the page language: its code's sentence, else the sentence as it came.

    `form` for a form's fields, whose sentences say a value rather than a parameter."""
    if current_lang() == "en":
        return [issue.message for issue in issues]
    out = []
    for issue in issues:
        say = (SAY_IN_FORM.get(issue.code) if form else None) or SAY.get(issue.code)
        out.append(say(issue.params) if say is not None else issue.message)
    return out
