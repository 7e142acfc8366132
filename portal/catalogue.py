"""Interface text in a language the caller names: the feeds (their `?lang=`), the assistant (the
question's language) and any code without a request, the CLI's included.

One catalogue serves the whole portal: portal/web/translations, English msgids and a zh_Hans
translation. Pages read it through Flask-Babel, which picks the language per request; the code
here says which language it writes in, so it reads the same compiled catalogue with Babel
directly, loaded once per process. Calls look like the pages' so that `pybabel extract` (and
tools/translations.py) finds them with its default keywords:

    say = words(lang)
    say.gettext("Fine: ¥%(amount)s", amount=f"{yuan:,}")
    say.ngettext("%(num)d inspection", "%(num)d inspections", total)
    say.pgettext("feed title", "Search")

Named values are substituted as Flask-Babel does (`%` only when values are given; ngettext
gives `num`). See docs/decisions/0021-one-catalogue.md.
"""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.support import Translations

LANGS = ("zh", "en")
# The catalogue each language reads: msgids are English, so English needs none.
LOCALES = {"zh": "zh_Hans", "en": "en"}
TRANSLATIONS = Path(__file__).resolve().parent / "web" / "translations"


class Words:
    """The catalogue of one language, with Flask-Babel's way of filling named values."""

    def __init__(self, translations: NullTranslations) -> None:
        self._translations = translations

    def gettext(self, msgid: str, /, **values: Any) -> str:
        """The text of `msgid` in this language, its %(name)s filled from `values`."""
        text = self._translations.gettext(msgid)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, num: int, /, **values: Any) -> str:
        """The form for `num` (given as %(num)d unless `values` names it otherwise)."""
        values.setdefault("num", num)
        return self._translations.ngettext(singular, plural, num) % values

    def pgettext(self, context: str, msgid: str, /, **values: Any) -> str:
        """`gettext` of a msgid that says different things in different places."""
        text = self._translations.pgettext(context, msgid)
        return text % values if values else text


@cache
def words(lang: str) -> Words:
    """The interface text of a language of the portal ("zh" or "en"), loaded once."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; the portal speaks {', '.join(LANGS)}")
    if lang == "en":
        return Words(NullTranslations())
    found = Translations.load(str(TRANSLATIONS), [LOCALES[lang]])
    if not isinstance(found, Translations):  # Babel falls back to no translation silently
        raise FileNotFoundError(f"no compiled {LOCALES[lang]} catalogue under {TRANSLATIONS}")
    return Words(found)
