"""The page language: chosen by ?lang=, then Accept-Language, then Chinese; interface text through
Flask-Babel catalogues (English msgids, a zh_Hans catalogue in portal/web/translations, which
portal.catalogue reads for code that names its language)."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import Babel

# The languages, their catalogues and where they are: the same for pages and for the code that
# names its language (feeds, the assistant).
from portal.catalogue import LANGS, LOCALES, TRANSLATIONS


def current_lang() -> str:
    """The page language: ?lang=, then the browser's Accept-Language, then Chinese."""
    if not has_request_context():
        return "zh"
    chosen: str | None = g.get("page_lang")
    if chosen is None:
        asked = request.args.get("lang", "")
        chosen = asked if asked in LANGS else request.accept_languages.best_match(LANGS)
        g.page_lang = chosen = chosen or "zh"
    return chosen


def select_locale() -> str:
    """Flask-Babel's locale selector: the catalogue of the page language."""
    return LOCALES[current_lang()]


def init_app(app: Flask) -> None:
    """Give the app Flask-Babel with the portal's catalogues (once per app)."""
    if "babel" in app.extensions:
        return
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale, default_locale="zh_Hans", default_timezone="UTC")


def pick(record: Any, stem: str, lang: str) -> tuple[str | None, bool]:
    """A record's text in the page language, else the other one; True when it fell back."""
    other = "en" if lang == "zh" else "zh"
    mine = getattr(record, f"{stem}_{lang}", None)
    if mine:
        return mine, False
    theirs = getattr(record, f"{stem}_{other}", None)
    return theirs, bool(theirs)
