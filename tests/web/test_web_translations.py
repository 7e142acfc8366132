"""The zh_Hans catalogue covers every interface string of portal/web and of the alert mails
(portal/alerts), and the committed .mo is compiled from the committed .po (a fresh install serves
Chinese with no build step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "portal" / "web" / "translations" / "zh_Hans" / "LC_MESSAGES"
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
ROOTS = (ROOT / "portal" / "web", ROOT / "portal" / "alerts")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),  # a word that says two things: pgettext('button', 'Ask')
}


def extracted() -> set[Any]:
    """Every (context, msgid or singular-plural pair) the web package asks for."""
    found = set()
    for root in ROOTS:
        for _file, _line, message, _comments, context in extract_from_dir(
            root, METHODS, keywords=KEYWORDS
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
