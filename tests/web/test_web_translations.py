"""The zh_Hans catalogue covers every interface string the portal asks for (pages, feeds and the
assistant: where babel.cfg says), and the committed .mo is compiled from the committed .po (a fresh
install serves Chinese with no build step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal.catalogue import words

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "portal" / "web" / "translations" / "zh_Hans" / "LC_MESSAGES"
# tools/translations.py's keywords: Babel's own (gettext, ngettext, pgettext, ...) and
# lazy_gettext; pgettext('button', 'Ask') gives a word that says two things its context.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}


def extracted() -> set[Any]:
    """Every (context, msgid or singular-plural pair) the portal asks for, found as
    tools/translations.py finds them (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        methods, options = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, methods, options, keywords=KEYWORDS
    ):
        found.add((context, message if isinstance(message, str) else tuple(message)))
    return found


def _key(value: Any) -> Any:
    return value if isinstance(value, str) else tuple(value)


def po() -> Any:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_string_is_translated() -> None:
    catalogue = po()
    missing = []
    for context, msgid in sorted(extracted(), key=str):
        message = catalogue.get(msgid if isinstance(msgid, str) else msgid[0], context=context)
        strings = (
            (message.string,)
            if message and isinstance(message.string, str)
            else (message.string if message else ())
        )
        if message is None or message.fuzzy or not all(strings):
            missing.append((context, msgid))
    assert not missing, (
        f"untranslated in zh_Hans (run tools/translations.py, then fill them): {missing}"
    )


def test_no_stale_strings() -> None:
    wanted = {(c, m if isinstance(m, str) else m[0]) for c, m in extracted()}
    stale = [
        (m.context, m.id)
        for m in po()
        if m.id and (m.context, m.id if isinstance(m.id, str) else m.id[0]) not in wanted
    ]
    assert not stale, f"no longer used (run tools/translations.py): {stale}"


def test_placeholders_match() -> None:
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po().check() if errors]
    assert not problems, problems


def test_translations_are_plain_text() -> None:
    # Jinja marks translations safe: markup or a straight quote would go into the page as is.
    unsafe = [
        m.id
        for m in po()
        if m.id
        for s in ((m.string,) if isinstance(m.string, str) else m.string)
        if any(c in s and c not in str(m.id) for c in '<>"')
    ]
    assert not unsafe, unsafe


def test_compiled_catalogue_is_current() -> None:
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    source = {_key(m.id): _key(m.string) for m in po() if m.id}
    assert compiled == source, "messages.mo is stale: run tools/translations.py"


def test_code_that_names_its_language_reads_the_same_catalogue(app: Any) -> None:
    # A feed or the assistant says in zh what a page in zh says, with no request behind it.
    from flask_babel import gettext, ngettext, pgettext

    zh, en = words("zh"), words("en")
    assert zh.gettext("Search") == "检索" and en.gettext("Search") == "Search"
    assert zh.pgettext("button", "Ask") == "提问" and zh.gettext("Ask") == "问答"
    assert zh.ngettext("%(num)d record", "%(num)d records", 1234) == "共 1234 条记录"
    assert en.ngettext("%(num)d record", "%(num)d records", 1) == "1 record"
    assert en.ngettext("%(num)d record", "%(num)d records", 2) == "2 records"
    assert zh.gettext("Update from %(who)s", who="龙江") == "龙江：进展更新"
    with app.test_request_context("/?lang=zh"):
        assert gettext("Search") == zh.gettext("Search")
        assert pgettext("button", "Ask") == zh.pgettext("button", "Ask")
        assert ngettext("%(num)d record", "%(num)d records", 3) == zh.ngettext(
            "%(num)d record", "%(num)d records", 3
        )


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'; the portal speaks zh, en"):
        words("fr")
