"""The portal served over HTTP for browser and HTML-checker tests: one server and one Chromium
per test process, on a copy of the sample data with a correction, a withdrawal and a record
full of hostile text added. Tests import the fixtures from here (pytest finds them by name)."""

from __future__ import annotations

import os
import re
import shutil
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlmodel import Session
from werkzeug.serving import make_server

from conftest import Databases, _app, need
from portal import records
from portal.cli import main as portal_cli
from portal.db import dispose_engine, get_engine
from portal.records.tips import file_tip
from portal.records.tokens import create_token

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SHOTS = Path(os.environ.get("PORTAL_SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
HOSTILE = "INC-2099-0666"
CORRECTED = "INS-2019-0001"
WITHDRAWN = "INS-2019-0002"

# Every kind of page a reader meets, as (name, path): each is checked in both languages.
PAGES = [
    ("home", "/"),
    ("incidents", "/incidents"),
    ("incidents-filtered", "/incidents?province=45&pollutant=Cd"),
    ("enterprises", "/enterprises"),
    ("inspections", "/inspections?outcome=violation"),
    ("disclosures", "/disclosures"),
    ("departments", "/departments"),
    ("incident", "/incidents/INC-2012-0001"),
    ("incident-chart", "/incidents/INC-2019-0001"),
    ("enterprise", "/enterprises/ENT-0028"),
    ("inspection", f"/inspections/{CORRECTED}"),
    ("inspection-withdrawn", f"/inspections/{WITHDRAWN}"),
    ("disclosure", "/disclosures/DIS-2022-0018"),
    ("department", "/departments/DEP-MEE"),
    ("history", f"/inspections/{CORRECTED}/history"),
    ("history-withdrawn", f"/inspections/{WITHDRAWN}/history"),
    ("hostile", f"/incidents/{HOSTILE}"),
    ("search", "/search?q=镉"),
    ("standards", "/standards"),
    ("data", "/data"),
    ("about", "/about"),
    ("not-found", "/incidents/INC-0000-0000"),
    ("bad-filter", "/inspections?outcome=guilty"),
    ("tip-new", "/tips/new"),
    ("tip-new-about", "/tips/new?about=INC-2012-0001"),
    ("tip", "/tips/{tip}"),
    ("moderate-login", "/moderate"),
    ("moderate", "/moderate"),
    ("obligations", "/obligations"),
    ("compliance", "/enterprises/compliance?sort=penalties&order=desc"),
    ("ask", "/ask"),
]
# Pages seen signed in as a moderator (the harness signs in through the form first).
SIGNED_IN = {"moderate"}
# The only scripts a page may load: the assistant's page enhances its form with its own file.
SCRIPTS = {"ask": ["/static/ask.js"]}
# A tip filed through the form's own code path, as a citizen would: its page is in PAGES.
FILED_TIP = {
    "kind": "record_error",
    "about_id": "INC-2012-0001",
    "text": "The timeline gives 2012-01-15 for the first alarm; the county says 2012-01-13.",
    "place": "Lalang hydropower station, Hechi",
    "province": "45",
    "contact": "reader@example.org",
}
MODERATOR = "DEP-MEE"

HOSTILE_TEXT = '<script>alert("title")</script><img src=x onerror=alert(1)>'


def _prepare(url: str) -> tuple[str, str]:
    """The sample data plus what only a changed record shows: a correction, a withdrawal, and
    a record whose every text field is hostile markup; a tip filed as the form files one, and a
    moderator's token. Returns the tip's id and the token's secret."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        records.correct(
            session,
            CORRECTED,
            {"penalty_yuan": 80000, "measures_en": "Ordered to complete the signs within 30 days."},
            reason="The fine was mistyped in the first publication.",
            author_id="DEP-HN-CZ-EEB",
        )
        records.withdraw(
            session,
            WITHDRAWN,
            reason="Published against the wrong enterprise.",
            author_id="DEP-MEE",
        )
        records.publish(
            session,
            records.kind_named("incidents"),
            {
                "id": HOSTILE,
                "publisher_id": "DEP-MEE",
                "sample": True,
                "title_zh": HOSTILE_TEXT + " 测试事件",
                "title_en": '<a href="javascript:alert(2)">click</a> test incident',
                "summary_zh": '"><svg onload=alert(3)> 摘要 {{ 7*7 }}',
                "summary_en": "javascript:alert(4) <style>body{display:none}</style>",
                "began_at": "2024-01-01T08:00:00+08:00",
                "province": "45",
                "status": "reported",
                "river_zh": "<b onmouseover=alert(5)>河</b>",
                "sources": [
                    {"title": "<script>alert(6)</script>", "url": "https://example.org/?q=<x>"}
                ],
            },
            author_id="DEP-MEE",
        )
        tip_id = file_tip(session, dict(FILED_TIP), client="127.0.0.1")
        secret, _ = create_token(session, MODERATOR, scopes=["tips"], label="browser tests")
        session.commit()
    dispose_engine(url)
    return tip_id, secret


@dataclass
class Site:
    """The served portal: its address and the database behind it."""

    base: str
    database_url: str
    tip_id: str
    moderator_token: str

    def address(self, path: str, lang: str) -> str:
        """The absolute address of a page of PAGES in a language."""
        path = path.format(tip=self.tip_id)
        return f"{self.base}{path}{'&' if '?' in path else '?'}lang={lang}"


_state: dict[str, Any] = {}
_lock = threading.Lock()


def _load_sample(url: str) -> None:
    result = CliRunner().invoke(portal_cli, ["load-sample"], env={"PORTAL_DATABASE_URL": url})
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def site(
    databases: Databases, sample_index_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The portal on the prepared sample data, served by werkzeug on 127.0.0.1 in a thread."""
    with _lock:
        if "site" not in _state:
            root = tmp_path_factory.mktemp("served")
            url = databases.fresh(databases.template("sample", _load_sample), root)
            shutil.copytree(sample_index_template, root / "index")
            tip_id, secret = _prepare(url)
            app = _app(url, root / "index")
            # The pages show the "Get email alerts" form when a relay is set; nothing here
            # mails (nothing listens on port 1), but every page is checked with the form on.
            app.config.update(SMTP_URL="smtp://127.0.0.1:1", ALERTS_FROM="alerts@example.org")
            server = make_server("127.0.0.1", 0, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_port}"
            _state["site"] = Site(base, url, tip_id, secret)
            _state["server"] = server
    yield _state["site"]
    with _lock:  # every session fixture ends with the session: the first to end stops it
        server = _state.pop("server", None)
        if server is not None:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, headless (never a downloaded browser)."""
    if not CHROMIUM.exists():
        need("chromium", f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("chromium", "the playwright package is not installed (pip install -e '.[test]')")
    with _lock:
        if "browser" not in _state:
            driver = sync_playwright().start()
            _state["playwright"] = driver
            _state["browser"] = driver.chromium.launch(executable_path=str(CHROMIUM))
    yield _state["browser"]
    with _lock:
        if "playwright" in _state:
            _state.pop("browser").close()
            _state.pop("playwright").stop()


class Tab:
    """One browser page a test process reuses, and what went wrong on it since the last visit."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.expected: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        # The browser reports a 404 or 400 page's own status; the test expected it.
        if message.location.get("url") in self.expected and "status of 4" in message.text:
            return
        self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"a dialog opened: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str, width: int = 1280, status: int = 200) -> Any:
        """Open an address at a width; the response, after the page has loaded."""
        self.problems.clear()
        self.expected = {url} if status != 200 else set()
        self.page.set_viewport_size({"width": width, "height": 900})
        response = self.page.goto(url)
        assert response is not None and response.status == status, (
            url,
            response and response.status,
        )
        return response


@pytest.fixture(scope="session")
def tab(browser: Any) -> Iterator[Tab]:
    """The page this test process drives."""
    with _lock:
        if "tab" not in _state:
            _state["tab"] = Tab(browser)
    yield _state["tab"]
    with _lock:
        if "tab" in _state:
            _state.pop("tab").context.close()


@pytest.fixture(scope="session")
def moderator_tab(browser: Any, site: Site) -> Iterator[Tab]:
    """A second page, in its own browser context, signed in as a moderator through the form."""
    with _lock:
        if "moderator_tab" not in _state:
            moderator = Tab(browser)
            moderator.visit(f"{site.base}/moderate?lang=en")
            moderator.page.get_by_label("Token").fill(site.moderator_token)
            moderator.page.get_by_role("button", name="Sign in").click()
            moderator.page.wait_for_url(re.compile(r"/moderate\?lang=en$"))
            assert moderator.page.get_by_role("button", name="Sign out").is_visible()
            _state["moderator_tab"] = moderator
    yield _state["moderator_tab"]
    with _lock:
        moderator = _state.pop("moderator_tab", None)
        # Each test module has its own copy of these fixtures: when another module's `browser`
        # ended first, the browser and this context went with it.
        if moderator is not None and "browser" in _state:
            moderator.context.close()


def signed_in_opener(site: Site) -> urllib.request.OpenerDirector:
    """An HTTP client (for the HTML checker) with a moderator's session cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{site.base}/moderate?lang=en", timeout=30) as response:
        form = response.read().decode("utf-8")
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found, form[:500]
    data = urllib.parse.urlencode({"csrf": found.group(1), "token": site.moderator_token})
    with opener.open(f"{site.base}/moderate/login?lang=en", data.encode(), timeout=30) as response:
        assert "Sign out" in response.read().decode("utf-8")
    return opener


def screenshot_dir() -> Path:
    """Where the tests write their screenshots (PORTAL_SCREENSHOT_DIR, else build/screenshots)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
