"""Interface text: extract the English msgids from portal/web, merge them into the zh_Hans
catalogue and compile it (the .mo is committed: a fresh `pip install -e .` needs no step).

    .venv/bin/python tools/translations.py

Then fill in the new msgstr lines of portal/web/translations/zh_Hans/LC_MESSAGES/messages.po and
run it again; tests/web/test_web_translations.py fails while any is empty or the .mo is stale.
See docs/web.md, "Adding or changing interface text".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "portal" / "web" / "translations"
TEMPLATE = CATALOGUES / "messages.pot"
BABEL = [sys.executable, "-m", "babel.messages.frontend"]
WIDTH = "--width=100"


def run(*args: str) -> None:
    """Run a pybabel command from the top of the repository."""
    subprocess.run([*BABEL, *args], cwd=ROOT, check=True)  # noqa: S603 (our own arguments)


def main() -> int:
    """Extract, update and compile."""
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "lazy_gettext",
        "-o",
        str(TEMPLATE),
        "--project=clearwater-portal",
        "--msgid-bugs-address=",
        "--no-location",
        "--sort-output",
        WIDTH,
        ".",
    )
    run(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(CATALOGUES),
        "-l",
        "zh_Hans",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--ignore-pot-creation-date",
        WIDTH,
    )
    run("compile", "-d", str(CATALOGUES), "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
