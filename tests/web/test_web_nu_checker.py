"""Every page's HTML, in both languages, passes the Nu HTML checker (vnu.jar from npm's vnu-jar,
run with Java) with no error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from browser_support import PAGES, ROOT, SIGNED_IN, Site, signed_in_opener, site

from conftest import need

__all__ = ["site"]
VNU = Path(
    os.environ.get("PORTAL_VNU_JAR")
    or ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def _fetch(url: str, opener: urllib.request.OpenerDirector | None = None) -> str:
    try:
        with (opener or urllib.request.build_opener()).open(
            quote(url, safe=":/?&="), timeout=30
        ) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the 404 and 400 pages are pages too
        return error.read().decode("utf-8")


def test_every_page_is_valid_html(site: Site, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        need("vnu", "Java is not installed (apt-get install default-jre-headless)")
    if not VNU.is_file():
        need("vnu", f"the Nu HTML checker is not at {VNU} (run `npm ci` at the top of the repo)")
    files = []
    moderator = signed_in_opener(site)
    for name, path in PAGES:
        for lang in ("zh", "en"):
            target = tmp_path / f"{name}.{lang}.html"
            html = _fetch(site.address(path, lang), moderator if name in SIGNED_IN else None)
            target.write_text(html, "utf-8")
            files.append(str(target))
    run = subprocess.run(
        [
            str(java),
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '')}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
