"""Readings against the standard's limit, as figures the templates draw in SVG (no script).

Values are charted as multiples of their limit (the exceedance factor the records layer computed
from data/standards.csv), so readings in µg/L and mg/L share one axis and the limit is the line
at 1×. One figure per pollutant and standard: a time chart when a site was measured more than
once (a line shows its course), else one bar per reading."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Okabe-Ito colours (distinguishable with colour-blindness), each with its own marker shape.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#56b4e9", "#e69f00")
SHAPES = ("circle", "square", "triangle", "diamond")
WIDTH, HEIGHT = 480.0, 260.0
LEFT, RIGHT, TOP, BOTTOM = 52.0, 28.0, 16.0, 48.0


@dataclass(frozen=True)
class Point:
    """One reading on a time chart."""

    x: float
    y: float
    reading: Any


@dataclass
class Series:
    """The readings of one site, in time order."""

    site: Any  # a reading carrying the site's names (for the text macro)
    colour: str
    shape: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The SVG path joining the points."""
        return "M" + "L".join(f"{p.x:.1f} {p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Bar:
    """One reading as a bar: its length and the limit's place, in percent of the scale."""

    reading: Any
    length: float
    limit_at: float


@dataclass
class ReadingChart:
    """The figure of one pollutant against one standard (and class)."""

    pollutant: str
    standard: str
    standard_class: str | None
    limit: float
    limit_unit: str
    readings: list[Any]
    peak: Any
    over: int
    style: str = "bars"  # or "time"
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, datetime]] = field(default_factory=list)
    limit_y: float = 0.0
    untimed: int = 0
    width: float = WIDTH
    height: float = HEIGHT
    plot: tuple[float, float, float, float] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power


def _scale_top(peak: float) -> float:
    """The top of the value axis: a whole number of tick steps above the peak (and the limit)."""
    value = max(1.0, peak) * 1.05
    step = nice_ceiling(value / 5)
    return step * math.ceil(value / step - 1e-9)


def _y_ticks(top: float) -> list[float]:
    step = nice_ceiling(top / 5.0001)
    count = math.floor(top / step + 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def _spaced(ticks: list[tuple[float, datetime]], gap: float) -> list[tuple[float, datetime]]:
    """Time labels at least `gap` apart, the last one always kept."""
    kept: list[tuple[float, datetime]] = []
    for tick in reversed(ticks):
        if not kept or kept[-1][0] - tick[0] >= gap:
            kept.append(tick)
    return kept[::-1]


def factor_label(value: float) -> str:
    """A multiple of the limit as the axis shows it: 0.5×, 1×, 20×."""
    return f"{value:g}×"


def reading_charts(readings: Iterable[Any]) -> list[ReadingChart]:
    """Figures for the readings that have a limit on file, grouped by pollutant and standard."""
    groups: dict[tuple[str, str, str | None], list[Any]] = defaultdict(list)
    for r in readings:
        if r.limit is not None and r.exceedance_factor is not None:
            groups[(r.pollutant, r.standard, r.standard_class)].append(r)
    charts = []
    for (pollutant, standard, klass), rows in groups.items():
        peak = max(rows, key=lambda r: r.exceedance_factor)
        chart = ReadingChart(
            pollutant=pollutant,
            standard=standard,
            standard_class=klass,
            limit=peak.limit,
            limit_unit=peak.limit_unit,
            readings=rows,
            peak=peak,
            over=sum(1 for r in rows if r.exceeds),
        )
        if _followed(rows):
            _time_chart(chart, rows)
        else:
            _bars(chart, rows)
        charts.append(chart)
    return charts


def _followed(rows: Sequence[Any]) -> bool:
    """True when some site was measured at two or more times: a line then shows its course."""
    times: dict[tuple[str, str | None], set[datetime]] = defaultdict(set)
    for r in rows:
        if r.measured_at is not None:
            times[(r.site_zh, r.site_en)].add(r.measured_at)
    return any(len(moments) >= 2 for moments in times.values())


def _bars(chart: ReadingChart, rows: Sequence[Any]) -> None:
    top = _scale_top(max(r.exceedance_factor for r in rows))
    chart.style = "bars"
    chart.bars = [Bar(r, 100 * r.exceedance_factor / top, 100 / top) for r in rows]
    chart.y_ticks = [(100 * v / top, factor_label(v)) for v in _y_ticks(top)]


def _time_chart(chart: ReadingChart, rows: Sequence[Any]) -> None:
    timed = sorted((r for r in rows if r.measured_at is not None), key=lambda r: r.measured_at)
    chart.style = "time"
    chart.untimed = len(rows) - len(timed)
    x0, y0, x1, y1 = chart.plot
    first, last = timed[0].measured_at, timed[-1].measured_at
    span = (last - first).total_seconds() or 1.0
    top = _scale_top(max(r.exceedance_factor for r in timed))

    def x_of(moment: datetime) -> float:
        return x0 + (x1 - x0) * (moment - first).total_seconds() / span

    def y_of(value: float) -> float:
        return y1 - (y1 - y0) * value / top

    by_site: dict[tuple[str, str | None], Series] = {}
    for r in timed:
        key = (r.site_zh, r.site_en)
        if key not in by_site:
            n = len(by_site)
            by_site[key] = Series(r, PALETTE[n % len(PALETTE)], SHAPES[n % len(SHAPES)])
        by_site[key].points.append(Point(x_of(r.measured_at), y_of(r.exceedance_factor), r))
    chart.series = list(by_site.values())
    chart.y_ticks = [(y_of(v), factor_label(v)) for v in _y_ticks(top)]
    chart.limit_y = y_of(1.0)
    moments = sorted({r.measured_at for r in timed})
    if len(moments) > 5:  # five evenly spaced labels, each at a reading's time
        moments = [moments[round(i * (len(moments) - 1) / 4)] for i in range(5)]
    chart.x_ticks = _spaced([(x_of(m), m) for m in moments], gap=58.0)


def marker_path(shape: str, x: float, y: float, size: float = 5.0) -> str:
    """SVG path data of a marker shape centred on (x, y)."""
    s = size
    if shape == "square":
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "triangle":
        corners = [(x, y - s * 1.2), (x + s * 1.1, y + s), (x - s * 1.1, y + s)]
        return "M" + "L".join(f"{cx:.1f} {cy:.1f}" for cx, cy in corners) + "Z"
    if shape == "diamond":
        corners = [(x, y - s * 1.3), (x + s * 1.1, y), (x, y + s * 1.3), (x - s * 1.1, y)]
        return "M" + "L".join(f"{cx:.1f} {cy:.1f}" for cx, cy in corners) + "Z"
    return (
        f"M{x - s:.1f} {y:.1f}a{s:.1f} {s:.1f} 0 1 0 {2 * s:.1f} 0"
        f"a{s:.1f} {s:.1f} 0 1 0 {-2 * s:.1f} 0Z"
    )
