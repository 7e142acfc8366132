"""Language choice and bilingual text picking for pages (zh by default, en on request)."""

from __future__ import annotations

from typing import Any

from flask import request

LANGS = ("zh", "en")


def current_lang() -> str:
    """The page language: ?lang=, then the browser's Accept-Language, then Chinese."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    best = request.accept_languages.best_match(LANGS)
    return best or "zh"


def pick(record: Any, stem: str, lang: str) -> tuple[str | None, bool]:
    """A record's text in the page language, else the other one; True when it fell back."""
    other = "en" if lang == "zh" else "zh"
    mine = getattr(record, f"{stem}_{lang}", None)
    if mine:
        return mine, False
    theirs = getattr(record, f"{stem}_{other}", None)
    return theirs, bool(theirs)


def t(zh: str, en: str, lang: str) -> str:
    """Interface text in the page language."""
    return en if lang == "en" else zh
