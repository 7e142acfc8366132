"""Text that comes back to the reader: what a visitor typed, shown again without the invisible
control characters the write path refuses (portal.models.common.INVISIBLE), on every HTML page.

Two places, because a page echoes a value in two ways:

- on the way in, the search words `q` of an HTML page (/search, /ask) lose their controls before
  anything reads them, so the page searches for, and shows, what was typed minus the controls
  (a NUL pasted from a terminal is not a 400, and `<title>` and `<textarea>` never hold one);
- on the way out, every value a template writes passes Jinja's `finalize`, which drops the same
  characters: an id in a 404 sentence, an unknown parameter's name in a 400 sentence, a record
  id given to /tips/new, a question refused by /ask. HTML has no way to show a C0 or C1 control
  (they are parse errors), and an XML reader of a saved page stops at one.

The same goes for direction: text from a publisher or a visitor may hold a right-to-left override
(U+202E) or be Hebrew or Arabic, and would reorder the sentence around it. Templates put such text
in a `<bdi>` or an element with `dir="auto"`; where no element can go (`<title>`, an attribute,
SVG text) the `isolate` filter wraps it in U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL
ISOLATE, the same isolation in characters (docs/security.md).

The API and the feeds keep refusing such values with a sentence (portal/api/http.py): a client
that sends a NUL has a bug to be told about; a person who pasted one wants their search.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict

from portal.api.problems import is_api_request
from portal.models.common import INVISIBLE

# Query parameters holding words a person typed, cleaned on the way in on HTML pages.
TYPED = ("q",)


def visible(text: str) -> str:
    """The text without invisible control characters, noncharacters or lone surrogates."""
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def finalize(value: Any) -> Any:
    """Jinja's finalize: every written value without invisible characters (markup stays
    markup: the characters removed are never part of a tag)."""
    if isinstance(value, str) and INVISIBLE.search(value):
        cleaned = INVISIBLE.sub("", value)
        # Markup with characters taken out, none added: as safe as it was.
        return Markup(cleaned) if isinstance(value, Markup) else cleaned  # noqa: S704  # nosec B704
    return value


def isolate(value: str) -> str:
    """Jinja filter: text isolated from its surroundings by U+2068 ... U+2069, for the places
    that cannot hold a `<bdi>` (markup stays markup)."""
    if not value:
        return value
    if isinstance(value, Markup):
        return Markup("\u2068") + value + Markup("\u2069")
    return f"\u2068{value}\u2069"


def clean_typed_words() -> None:
    """Before an HTML page's view: its `q` values without invisible characters."""
    if is_api_request():
        return
    args = request.args
    if not any(INVISIBLE.search(v) for name in TYPED for v in args.getlist(name)):
        return
    items = [(k, visible(v) if k in TYPED else v) for k, v in args.items(multi=True)]
    # Request.args is a werkzeug cached_property, which may be set.
    request.args = ImmutableMultiDict(items)


def init_app(app: Flask) -> None:
    """Clean typed words before every view and every value templates write; the `isolate`
    filter."""
    app.before_request(clean_typed_words)
    app.jinja_env.finalize = finalize
    app.add_template_filter(isolate, "isolate")
