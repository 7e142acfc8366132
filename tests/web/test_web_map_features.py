"""Rivers and city names on the server-drawn maps (issue 22): lines clipped to the view, and city
names placed so that none covers another, a marker and its number, the scale bar, the locator or
the graticule's labels; the Longjiang incident's map shows its rivers and Liuzhou."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.web.maps import (
    Box,
    Place,
    clip_line,
    obstacles,
    place_labels,
    place_map,
    text_width,
)

VIEW = (107.0, 24.0, 110.0, 25.5)


def test_text_width_counts_cjk_as_one_em_and_latin_as_six_tenths() -> None:
    assert text_width("柳州", 10) == 20
    assert text_width("Liuzhou", 10) == 42


def test_clipped_lines_stay_in_the_view() -> None:
    line = [[106.0, 24.2], [108.0, 24.8], [111.0, 25.0], [111.5, 26.0]]
    pieces = clip_line(line, VIEW)
    assert len(pieces) == 1
    for x, y in pieces[0]:
        assert VIEW[0] - 1e-9 <= x <= VIEW[2] + 1e-9 and VIEW[1] - 1e-9 <= y <= VIEW[3] + 1e-9
    assert pieces[0][0][0] == VIEW[0] and pieces[0][-1][0] == VIEW[2]
    # A line that leaves and comes back is two pieces; one wholly outside is none.
    out_and_in = [[108.0, 24.5], [108.0, 26.0], [109.0, 26.0], [109.0, 24.5]]
    assert len(clip_line(out_and_in, VIEW)) == 2
    assert clip_line([[100.0, 30.0], [101.0, 31.0]], VIEW) == []


def test_a_name_is_never_drawn_over_the_scale_bar() -> None:
    scale_bar = Box(8, 208, 150, 24)
    # Right of the dot would run into the bar; the name goes where the bar is not.
    near = place_labels([(60.0, 200.0, "Liuzhou")], 480, 240, [scale_bar])
    assert len(near) == 1 and not near[0].box.overlaps(scale_bar)
    # A dot on the bar itself is left out rather than drawn under it.
    assert place_labels([(60.0, 220.0, "柳州")], 480, 240, [scale_bar]) == []


def test_names_do_not_overlap_each_other() -> None:
    cities = [(100.0 + i * 3, 100.0 + i * 2, f"City {i}") for i in range(10)]
    placed = place_labels(cities, 480, 240, [])
    assert 1 < len(placed) < 10  # some fit, the crowded rest are left out
    boxes = [p.box for p in placed] + [Box(p.x - 2.5, p.y - 2.5, 5, 5) for p in placed]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :])


places = st.lists(
    st.tuples(st.floats(18.5, 52.0), st.floats(75.0, 134.0)), min_size=1, max_size=5
).map(
    lambda pts: [
        Place(lat, lon, i + 1, f"P{i + 1}", "incident") for i, (lat, lon) in enumerate(pts)
    ]
)
near_places = st.lists(
    st.tuples(st.floats(22.0, 27.0), st.floats(106.0, 112.0)), min_size=1, max_size=4
).map(lambda pts: [Place(lat, lon, i + 1, f"P{i + 1}", "site") for i, (lat, lon) in enumerate(pts)])


@settings(max_examples=60, deadline=None)
@given(st.one_of(places, near_places), st.sampled_from(["zh", "en"]))
def test_city_names_never_overlap_anything_on_any_map(found: list[Place], lang: str) -> None:
    fig = place_map(found, lang)
    assert fig is not None
    blocked = obstacles(fig)  # the scale bar, the locator, markers, graticule labels
    scale_bar = blocked[0]
    if fig.locator:
        loc = fig.locator
        assert not Box(loc.x, loc.y, loc.width, loc.height).overlaps(scale_bar)
    drawn: list[Box] = []
    for c in fig.cities:
        dot = Box(c.x - 2.5, c.y - 2.5, 5, 5)
        assert c.box.within(fig.width, fig.height) and dot.within(fig.width, fig.height)
        assert c.box.w == text_width(c.name, 11)
        for box in (dot, c.box):
            assert not any(box.overlaps(b) for b in blocked), (c, blocked)
            assert not any(box.overlaps(b) for b in drawn), c
        drawn += [dot, c.box]
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", c.name), c.name


def test_the_longjiang_map_shows_its_rivers_and_liuzhou(sample_client: FlaskClient) -> None:
    for lang, city in (("zh", "柳州"), ("en", "Liuzhou")):
        page = sample_client.get(f"/incidents/INC-2012-0001?lang={lang}").get_data(as_text=True)
        rivers = re.search(r'<path class="rivers" d="([^"]+)"', page)
        assert rivers and rivers[1].count("M") >= 2, "the Longjiang area has several rivers"
        names = re.findall(r'<text class="city"[^>]*>([^<]+)</text>', page)
        assert city in names, names
        assert "Natural Earth" in page
