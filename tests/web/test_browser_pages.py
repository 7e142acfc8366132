"""Every page in Chromium, in both languages, at a laptop's and a phone's width: it loads with no
console error, breaks no Content-Security-Policy, passes axe-core with no serious or critical
violation, fits a 375 px screen without sideways scrolling, and is photographed."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    AXE,
    PAGES,
    SCRIPTS,
    SIGNED_IN,
    Site,
    Tab,
    browser,
    moderator_tab,
    screenshot_dir,
    site,
    tab,
)

__all__ = ["browser", "moderator_tab", "site", "tab"]
STATUS = {"not-found": 404, "bad-filter": 400}


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (injected from the vendored file;
    evaluated by the browser's debugger, so the page's CSP does not apply to it)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [n["target"] for n in v["nodes"]][:5],
        }
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_in_chromium(
    request: pytest.FixtureRequest, site: Site, name: str, path: str, lang: str
) -> None:
    url = site.address(path, lang)
    tab: Tab = request.getfixturevalue("moderator_tab" if name in SIGNED_IN else "tab")
    shots = screenshot_dir()
    response = tab.visit(url, status=STATUS.get(name, 200))
    page = tab.page
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.locator("html").get_attribute("lang") == ("en" if lang == "en" else "zh-CN")
    assert page.locator("h1").count() == 1
    # No page needs JavaScript to show itself; the assistant's page loads its own file only.
    scripts = page.locator("script").evaluate_all("s => s.map(e => e.getAttribute('src'))")
    assert [s.split("?")[0] if s else s for s in scripts] == SCRIPTS.get(name, []), scripts
    signed_in = page.get_by_role("button", name="退出" if lang == "zh" else "Sign out")
    assert signed_in.count() == (1 if name in SIGNED_IN else 0)
    page.screenshot(path=str(shots / f"{name}.{lang}.1280.png"), full_page=True)
    assert not (violations := serious_violations(page)), violations
    page.set_viewport_size({"width": 375, "height": 800})
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"{url} scrolls sideways by {sideways} px on a 375 px screen"
    page.screenshot(path=str(shots / f"{name}.{lang}.375.png"), full_page=True)
    assert not tab.problems, tab.problems
    print(f"screenshots of {name} ({lang}) in {shots}")
