"""The server-drawn figures: readings charted as multiples of their limit, maps that place every
marker inside the picture."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from portal.models.incident import ReadingPublic
from portal.web.charts import nice_ceiling, reading_charts
from portal.web.maps import Place, clip_ring, place_map

CST = timezone(timedelta(hours=8))


def reading(
    site: str, value: float, hour: int | None, pollutant: str = "Cd", **kw: object
) -> ReadingPublic:
    return ReadingPublic.judge(
        {
            "site_zh": site,
            "measured_at": datetime(2012, 1, 19, hour, tzinfo=CST) if hour is not None else None,
            "pollutant": pollutant,
            "value": value,
            "unit": kw.get("unit", "mg/L"),
            "standard": kw.get("standard", "GB 3838-2002"),
            "standard_class": kw.get("standard_class", "III"),
        }
    )


def test_a_site_measured_twice_gets_a_time_chart() -> None:
    (chart,) = reading_charts(
        [reading("拉浪", 0.0247, 9), reading("拉浪", 0.01, 17), reading("柳州", 0.004, 17)]
    )
    assert chart.style == "time" and chart.limit == 0.005 and chart.over == 2
    assert chart.peak.exceedance_factor == 4.94
    assert [len(s.points) for s in chart.series] == [2, 1]
    x0, y0, x1, y1 = chart.plot
    assert y0 < chart.limit_y < y1  # the limit line is inside the plot
    for series in chart.series:
        for point in series.points:
            assert x0 <= point.x <= x1 and y0 <= point.y <= y1


def test_one_reading_per_site_gets_bars_with_the_limit_marked() -> None:
    (chart,) = reading_charts([reading("罗东", 0.0247, 17), reading("交界", 0.0017, None)])
    assert chart.style == "bars"
    longest = max(chart.bars, key=lambda b: b.length)
    assert longest.length <= 100 and longest.reading.site_zh == "罗东"
    assert all(b.limit_at == pytest.approx(chart.bars[0].limit_at) for b in chart.bars)
    assert longest.length / longest.limit_at == pytest.approx(4.94)


def test_units_are_converted_and_readings_without_limit_left_out() -> None:
    charts = reading_charts(
        [
            reading("A", 24.7, 9, unit="µg/L"),
            reading("A", 0.01, 10),
            reading("B", 1.0, 9, pollutant="Tl"),  # thallium: no limit on file
            reading("C", 0.02, 9, standard="GB 5749-2006", standard_class=None),
        ]
    )
    assert [(c.pollutant, c.standard) for c in charts] == [
        ("Cd", "GB 3838-2002"),
        ("Cd", "GB 5749-2006"),
    ]
    assert charts[0].peak.exceedance_factor == 4.94  # 24.7 µg/L is 0.0247 mg/L


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0.3, 0.5), (1, 1), (4.94, 5), (12.6, 20), (82, 100)]
)
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == ceiling


def test_markers_fall_inside_the_map() -> None:
    places = [
        Place(24.7, 108.12, 1, "龙江", "incident"),
        Place(25.79, 113.04, 2, "郴州", "incident"),
        Place(34.3, 117.2, 3, "徐州", "enterprise"),
    ]
    figure = place_map(places)
    assert figure is not None and figure.land  # the coast is drawn
    for marker in figure.markers:
        assert 0 < marker.x < figure.width and 0 < marker.y < figure.height
    assert figure.scale_km in (100, 200, 500)


def test_one_place_gets_a_locator_and_none_outside_asia_gets_a_map() -> None:
    alone = place_map([Place(24.7, 108.12, 1, "龙江", "incident")])
    assert alone is not None and alone.locator is not None
    assert alone.width / alone.height == pytest.approx(2, rel=0.05)
    assert place_map([Place(48.85, 2.35, 1, "Paris", "site")]) is None
    assert place_map([]) is None


def test_clipping_keeps_the_inside_of_a_ring() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip_ring(square, (5.0, 5.0, 20.0, 20.0))
    xs, ys = [p[0] for p in clipped], [p[1] for p in clipped]
    assert min(xs) == 5 and max(xs) == 10 and min(ys) == 5 and max(ys) == 10
    assert clip_ring(square, (20.0, 20.0, 30.0, 30.0)) == []
