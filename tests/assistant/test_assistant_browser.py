"""/ask in Chromium: with JavaScript the answer joins the conversation without a reload, without it
the same form posts and the server renders the conversation; either way no console error, no
Content-Security-Policy breach, no serious axe-core violation, and it fits a phone's screen."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The browser fixtures of tests/web (one server and one Chromium per test process), shared.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser_support import AXE, Site, Tab, browser, site, tab

__all__ = ["browser", "site", "tab"]


def _serious(page: Any) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def test_the_chat_answers_in_place(tab: Tab, site: Site) -> None:
    url = f"{site.base}/ask?lang=en"
    response = tab.visit(url)
    page = tab.page
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert page.locator("h1").count() == 1 and not _serious(page)
    page.fill("#question", "What happened in the Longjiang cadmium incident?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#turn-1 .sources li")
    page.fill("#question", "Which enterprise caused it?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#turn-2 .sources li")
    assert page.url == url  # no reload: the page is still the one first opened
    assert "Longjiang" in page.inner_text("#turn-2")
    assert page.locator("#turn-2 a.cite").count() >= 1
    assert len(json.loads(page.input_value("#transcript"))) == 2
    assert not _serious(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not tab.problems, tab.problems


def test_the_chat_without_javascript(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site.base}/ask?lang=zh")
        page.fill("#question", "龙江镉污染事件的责任企业是哪些？")
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#turn-1 .sources li")
        assert "/ask" in page.url and "出处" in page.inner_text("#turn-1")
        page.fill("#question", "应急响应何时终止？")
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#turn-2")
        assert page.locator(".turn").count() == 2
    finally:
        context.close()
