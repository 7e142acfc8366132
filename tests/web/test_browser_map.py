"""The Longjiang incident's map in Chromium, in both languages, at a laptop's and a phone's width:
the rendered city names (as the browser lays them out, in its fonts) overlap neither each other,
the markers, the scale bar nor the locator; the map is photographed for a person to look at."""

from __future__ import annotations

import pytest
from browser_support import Site, Tab, browser, screenshot_dir, site, tab

__all__ = ["browser", "site", "tab"]

BOXES = """fig => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  const all = sel => [...fig.querySelectorAll(sel)].map(box);
  return {
    names: all('text.city'), dots: all('circle.city'), markers: all('g[class^="pin-"] circle'),
    scale: all('.scale-bar rect'), locator: all('g[transform] > rect[stroke="#4d5f6b"]'),
    texts: [...fig.querySelectorAll('text.city')].map(e => e.textContent),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1280, 375])
def test_city_names_clear_of_the_rest_in_chromium(
    site: Site, tab: Tab, lang: str, width: int
) -> None:
    tab.visit(site.address("/incidents/INC-2012-0001", lang), width=width)
    figure = tab.page.locator("figure.map").first
    found = figure.evaluate(BOXES)
    assert ("柳州" if lang == "zh" else "Liuzhou") in found["texts"], found["texts"]
    assert found["scale"] and found["markers"]
    names = found["names"]
    for i, name in enumerate(names):
        for other in [*names[i + 1 :], *found["dots"], *found["markers"]]:
            if other is not found["dots"][i]:
                assert not _overlap(name, other), (found["texts"][i], name, other)
        for other in [*found["scale"], *found["locator"]]:
            assert not _overlap(name, other), (found["texts"][i], name, other)
    figure.screenshot(path=str(screenshot_dir() / f"map-longjiang.{lang}.{width}.png"))
    assert not tab.problems, tab.problems
