"""What a reader does, by clicking and typing in Chromium: search, filter, page through, switch
language, move by keyboard; hostile record text stays text, and the map and chart need neither
tiles nor JavaScript."""

from __future__ import annotations

import re
from typing import Any

from browser_support import CORRECTED, HOSTILE, HOSTILE_TEXT, Site, Tab, browser, site, tab

__all__ = ["browser", "site", "tab"]


def test_search_from_the_header_by_typing(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/?lang=en")
    page = tab.page
    page.get_by_label("Search all records").fill("cadmium Longjiang")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator("#result-count").inner_text().endswith("results")
    first = page.locator("ol.hits li a.title").first
    assert "Longjiang" in first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/incidents/INC-2012-0001"))
    assert "Longjiang river cadmium pollution" in page.locator("h1").inner_text()
    assert not tab.problems, tab.problems


def test_filters_are_a_form(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/incidents?lang=en")
    page = tab.page
    everything = page.locator("#result-count").inner_text()
    page.get_by_label("Province").select_option("45")
    page.get_by_label("Pollutant").select_option("Cd")
    page.get_by_role("button", name="Show records").click()
    page.wait_for_url(re.compile(r"province=45"))
    assert "pollutant=Cd" in page.url
    narrowed = page.locator("#result-count").inner_text()
    assert narrowed != everything and "match these filters" in narrowed
    metas = page.locator("ul.items li.item .meta").all_inner_texts()
    assert metas and all("Guangxi" in m and "cadmium" in m for m in metas)
    # The province's option says how many records choosing it gives.
    assert re.search(r"Guangxi \(\d+\)", page.get_by_label("Province").inner_text())
    # Removing the province chip keeps the pollutant.
    page.locator("ul.chips li", has_text="Province").get_by_role("link").click()
    page.wait_for_url(lambda url: "province=" not in url)
    assert "pollutant=Cd" in page.url
    assert not tab.problems, tab.problems


def test_facet_counts_narrow_the_listing(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/inspections?lang=en")
    page = tab.page
    link = page.locator("section.facets li", has_text="violation").get_by_role("link")
    count = int(
        page.locator("section.facets li", has_text="violation").locator(".count").inner_text()
    )
    link.click()
    page.wait_for_url(re.compile(r"outcome=violation"))
    assert page.locator("#result-count").inner_text().startswith(f"{count} record")


def test_pages_forward_and_back(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/inspections?limit=20&lang=en")
    page = tab.page
    first_page = page.locator("ul.items li.item .id").all_inner_texts()
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"cursor="))
    second_page = page.locator("ul.items li.item .id").all_inner_texts()
    assert len(second_page) == 20 and not set(first_page) & set(second_page)
    page.get_by_role("link", name="Previous page").click()
    page.wait_for_url(re.compile(r"before="))
    assert page.locator("ul.items li.item .id").all_inner_texts() == first_page
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"cursor="))
    assert page.locator("ul.items li.item .id").all_inner_texts() == second_page
    assert not tab.problems, tab.problems


def test_language_switch_keeps_the_page(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/incidents/INC-2012-0001?lang=zh")
    page = tab.page
    assert page.locator("h1").inner_text().startswith("广西龙江河镉污染事件")
    page.locator("header a.lang").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Longjiang river cadmium pollution" in page.locator("h1").inner_text()
    assert (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Incidents")
        .is_visible()
    )
    page.locator("header a.lang").click()
    page.wait_for_url(re.compile(r"lang=zh"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_browser_language_is_the_default(browser: Any, site: Site) -> None:
    for locale, lang, heading in (("en-GB", "en", "Incidents"), ("zh-CN", "zh-CN", "污染事件")):
        context = browser.new_context(locale=locale)
        try:
            page = context.new_page()
            page.goto(f"{site.base}/incidents")
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("h1").inner_text() == heading
        finally:
            context.close()


def test_keyboard_reaches_the_content_first(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/incidents/INC-2012-0001?lang=en")
    page = tab.page
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown when focused
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "the next Tab after the skip link lands in the page's content"


def test_hostile_text_stays_text(tab: Tab, site: Site) -> None:
    for lang in ("zh", "en"):
        tab.visit(f"{site.base}/incidents/{HOSTILE}?lang={lang}")
        page = tab.page
        assert (
            HOSTILE_TEXT in page.locator("h1").inner_text()
            or "javascript:alert(2)" in page.locator("h1").inner_text()
        )
        assert page.locator("main img, main svg[onload], main b, main style").count() == 0
        links = page.locator("main a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert not [h for h in links if h and h.strip().lower().startswith("javascript:")]
        assert page.locator("body").is_visible()  # no injected style hid the page
        assert not tab.problems, tab.problems  # no dialog opened, no CSP report


def test_map_and_chart_need_no_tiles_and_no_script(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        page.goto(f"{site.base}/incidents/INC-2019-0001?lang=en")
        assert page.locator("figure.map svg circle").first.is_visible()
        assert page.locator("figure.map ol.map-legend li").count() >= 1
        assert page.locator("figure.chart svg path").count() > 3
        assert "times the limit" in page.locator("figure.chart figcaption").first.inner_text()
        assert page.locator("table.readings tbody tr").count() > 10
        assert all(url.startswith(site.base) for url in asked), [
            u for u in asked if not u.startswith(site.base)
        ]
    finally:
        context.close()


def test_history_shows_what_changed(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/inspections/{CORRECTED}?lang=en")
    page = tab.page
    page.get_by_role("link", name=re.compile(r"history \(revision 2\)")).click()
    page.wait_for_url(re.compile(r"/history"))
    revision = page.locator("li.revision").first
    assert "Revision 2" in revision.locator("h2").inner_text()
    assert "The fine was mistyped" in revision.inner_text()
    row = revision.locator("tr", has_text="penalty_yuan")
    assert "80000" in row.locator("td.new").inner_text()


def test_report_an_error_from_a_record(tab: Tab, site: Site) -> None:
    tab.visit(f"{site.base}/incidents/INC-2012-0001?lang=en")
    page = tab.page
    page.get_by_role("link", name="Report an error", exact=True).first.click()
    page.wait_for_url(re.compile(r"/tips/new\?about=INC-2012-0001"))
    assert page.get_by_label("Id of the record concerned (if any)").input_value() == (
        "INC-2012-0001"
    )
    assert page.get_by_label("An error in a published record").is_checked()
    assert "Longjiang river cadmium pollution" in page.locator("#about-record").inner_text()
    page.get_by_label("What did you see, when and where?").fill(
        "The summary gives the wrong day for the first sample at Lalang."
    )
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/tips/TIP-\d{4}-[A-Z0-9]{10}\?"))
    assert "Your tip was received" in page.locator("main").inner_text()
    about = page.locator("dl.facts").get_by_role("link", name="INC-2012-0001")
    assert about.get_attribute("href") == "/incidents/INC-2012-0001?lang=en"
    assert not tab.problems, tab.problems
