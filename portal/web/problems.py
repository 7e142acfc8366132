"""The problems of an address (a listing's or a search's filters) in the page language.

The records and search layers say what is wrong with a query in English sentences built with
the parameter and the value given (`'outcome' must be one of compliant, violation, …`). They
know nothing of the page language, so the web layer recognises each known sentence by its shape
and says it again through the catalogue, with the same parameter and value. A sentence this
module does not know is shown as it came, in English: better than nothing, and a test lists the
shapes (tests/web/test_web_problems.py) so a new sentence is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from re import Match

from flask_babel import gettext

from portal.web.i18n import current_lang

Say = Callable[[Match[str]], str]


def _kind(name: str) -> str:
    # Imported here: context imports the blueprint's helpers, this module stays a leaf.
    from portal.web.context import kind_label

    if name in ("search", "obligations"):
        return {"search": gettext("search"), "obligations": gettext("obligations")}[name]
    return str(kind_label(name)) if name else name


def _list(text: str) -> str:
    """A list of values as Chinese writes it: 、 between, no final “and”."""
    return "、".join(part.strip() for part in re.split(r",| and ", text) if part.strip())


# (shape of the English sentence, the same sentence through the catalogue). Shapes are matched
# whole; a parameter name is a word, a value given in the address may be anything.
_SHAPES: list[tuple[str, Say]] = [
    (
        r"The filter '(?P<name>\w+)' does not apply to (?P<kind>\w+)\.",
        lambda m: gettext(
            "The filter '%(name)s' does not apply to %(kind)s.",
            name=m["name"],
            kind=_kind(m["kind"]),
        ),
    ),
    (
        r"Unknown parameter '(?P<name>.*)'; (?P<kind>\w+) takes? (?P<usable>.+)\.",
        lambda m: gettext(
            "Unknown parameter '%(name)s'; %(kind)s take %(usable)s.",
            name=m["name"],
            kind=_kind(m["kind"]),
            usable=_list(m["usable"]),
        ),
    ),
    (
        r"'from' is after 'to': give the earlier date first\.",
        lambda m: gettext("'from' is after 'to': give the earlier date first."),
    ),
    (
        r"'(?P<name>\w+)' is longer than (?P<n>\d+) characters(?P<search>; shorten the search)?\.",
        lambda m: gettext("'%(name)s' is longer than %(n)s characters.", name=m["name"], n=m["n"]),
    ),
    (
        r"'(?P<name>\w+)' holds an invisible control character; remove it\.",
        lambda m: gettext(
            "'%(name)s' holds an invisible control character; remove it.", name=m["name"]
        ),
    ),
    (
        r"'(?P<name>\w+)' takes a record id such as DEP-MEE or ENT-0001\.",
        lambda m: gettext(
            "'%(name)s' takes a record id such as DEP-MEE or ENT-0001.", name=m["name"]
        ),
    ),
    (
        r"Unknown province '(?P<raw>.*)'; use a name \(广西, Guangxi\) or code \(45\)\.",
        lambda m: gettext(
            "Unknown province '%(value)s'; use a name (广西, Guangxi) or code (45).",
            value=m["raw"],
        ),
    ),
    (
        r"Unknown pollutant '(?P<raw>.*)'; use a name or symbol such as cadmium, 镉 or Cd "
        r"\(known: (?P<known>[^()]+)\)\.",
        lambda m: gettext(
            "Unknown pollutant '%(value)s'; use a name or symbol such as cadmium, 镉 or Cd "
            "(known: %(known)s).",
            value=m["raw"],
            known=_list(m["known"]),
        ),
    ),
    (
        r"'(?P<name>\w+)' must be one of (?P<choices>[^']+)\.",
        lambda m: gettext(
            "'%(name)s' must be one of %(choices)s.",
            name=m["name"],
            choices=_list(m["choices"]),
        ),
    ),
    (
        r"'(?P<name>\w+)' must be a date as YYYY-MM-DD, not '(?P<raw>.*)'\.",
        lambda m: gettext(
            "'%(name)s' must be a date as YYYY-MM-DD, not '%(value)s'.",
            name=m["name"],
            value=m["raw"],
        ),
    ),
    (
        r"'(?P<name>\w+)' must be between (?P<low>[\d-]+) and (?P<high>[\d-]+), "
        r"not (?P<day>[\d-]+)\.",
        lambda m: gettext(
            "'%(name)s' must be between %(low)s and %(high)s, not %(value)s.",
            name=m["name"],
            low=m["low"],
            high=m["high"],
            value=m["day"],
        ),
    ),
    (
        r"'updated_since' must be a date or time in ISO 8601, e\.g\. 2024-03-01T00:00:00Z\.",
        lambda m: gettext(
            "'updated_since' must be a date or time in ISO 8601, e.g. 2024-03-01T00:00:00Z."
        ),
    ),
    (
        r"'sample' must be true \(illustrative records only\) or false \(real ones\)\.",
        lambda m: gettext(
            "'sample' must be true (illustrative records only) or false (real ones)."
        ),
    ),
    (
        r"'cursor' is not one this portal made; follow the 'next' link as given\.",
        lambda m: gettext("'cursor' is not one this portal made; follow the 'next' link as given."),
    ),
    (
        r"'(?P<name>\w+)' must be a whole number from (?P<low>\d+) to (?P<high>[\d,]+)\.",
        lambda m: gettext(
            "'%(name)s' must be a whole number from %(low)s to %(high)s.",
            name=m["name"],
            low=m["low"],
            high=m["high"],
        ),
    ),
    (
        r"'(?P<name>\w+)' must be from (?P<low>\d+) to (?P<high>[\d,]+), not (?P<value>-?\d+)\.",
        lambda m: gettext(
            "'%(name)s' must be from %(low)s to %(high)s, not %(value)s.",
            name=m["name"],
            low=m["low"],
            high=m["high"],
            value=m["value"],
        ),
    ),
    # A form's fields (the tip form), as the records layer and pydantic say them.
    (r"is required", lambda m: gettext("is required")),
    (
        r"String should have at most (?P<n>[\d,]+) characters?",
        lambda m: gettext("String should have at most %(n)s characters", n=m["n"]),
    ),
    (
        r"String should have at least (?P<n>[\d,]+) characters?",
        lambda m: gettext("String should have at least %(n)s characters", n=m["n"]),
    ),
    (
        r"Input should be (?P<choices>.+)",
        lambda m: gettext(
            "Input should be %(choices)s", choices=_list(m["choices"].replace(" or ", ", "))
        ),
    ),
    (
        r"an id is a three-letter prefix and up to five parts of capital letters and digits "
        r"joined by '-', for example INC-2012-0001",
        lambda m: gettext(
            "an id is a three-letter prefix and up to five parts of capital letters and digits "
            "joined by '-', for example INC-2012-0001"
        ),
    ),
    (
        r"unknown province '(?P<raw>.*)'; use a name such as 广西 or Guangxi, or its code \(45\)",
        lambda m: gettext(
            "unknown province '%(value)s'; use a name such as 广西 or Guangxi, or its code (45)",
            value=m["raw"],
        ),
    ),
    (
        r"character (?P<n>\d+) is an invisible control character \((?P<code>U\+[0-9A-F]+)\); "
        r"remove it",
        lambda m: gettext(
            "character %(n)s is an invisible control character (%(code)s); remove it",
            n=m["n"],
            code=m["code"],
        ),
    ),
    (
        r"there is no record (?P<id>\S+)",
        lambda m: gettext("there is no record %(id)s", id=m["id"]),
    ),
    (
        r"Results go (?P<n>[\d,]+) deep at most; narrow the search instead\.",
        lambda m: gettext("Results go %(n)s deep at most; narrow the search instead.", n=m["n"]),
    ),
    # The compliance table's own (portal/records/compliance.py).
    (
        r"Unknown parameter '(?P<name>.*)'; the compliance table takes (?P<usable>.+)\.",
        lambda m: gettext(
            "Unknown parameter '%(name)s'; the compliance table takes %(usable)s.",
            name=m["name"],
            usable=_list(m["usable"]),
        ),
    ),
    (
        r"'(?P<name>\w+)' must be a whole number from (?P<low>[\d,]+) to (?P<high>[\d,]+)\.",
        lambda m: gettext(
            "'%(name)s' must be a whole number from %(low)s to %(high)s.",
            name=m["name"],
            low=m["low"],
            high=m["high"],
        ),
    ),
    (
        r"'order' must be asc \(smallest first\) or desc \(largest first\)\.",
        lambda m: gettext("'order' must be asc (smallest first) or desc (largest first)."),
    ),
    (
        r"Page (?P<page>[\d,]+) is past the last page \((?P<pages>[\d,]+)\) of (?P<total>[\d,]+) "
        r"enterprises at (?P<limit>[\d,]+) a page\.",
        lambda m: gettext(
            "Page %(page)s is past the last page (%(pages)s) of %(total)s enterprises at "
            "%(limit)s a page.",
            page=m["page"],
            pages=m["pages"],
            total=m["total"],
            limit=m["limit"],
        ),
    ),
]
SHAPES = [(re.compile(shape, re.S), say) for shape, say in _SHAPES]


def in_page_language(problems: Iterable[str]) -> list[str]:
    """Each problem in the page language where it is a known sentence, else as it came."""
    if current_lang() == "en":
        return list(problems)
    out = []
    for problem in problems:
        for shape, say in SHAPES:
            found = shape.fullmatch(problem)
            if found is not None:
                out.append(say(found))
                break
        else:
            out.append(problem)
    return out
