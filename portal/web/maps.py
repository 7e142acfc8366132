"""Maps drawn on the server as SVG: markers on the land outline of East Asia (Natural Earth via
world-atlas, vendored), rivers and city names (Natural Earth 10m, data/map-features.json), a
graticule, a scale bar and a locator. No tiles, no script: a map is
whole in the page, offline, and still says where things are in its legend when images are off."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from portal.layout import DATA_DIR

FEATURES = DATA_DIR / "map-features.json"
LABEL_SIZE = 11.0  # font size of a city's name, in map units
MAX_CITIES = 12
LAND = Path(__file__).resolve().parent / "static" / "vendor" / "land-east-asia.json"
WIDTH = 480.0
KM_PER_DEGREE = 111.32
CHINA = (73.0, 17.5, 135.5, 54.0)  # west, south, east, north of the locator
MIN_SPAN = 1.2  # degrees of latitude shown at least (about 130 km)
Point = tuple[float, float]


@dataclass(frozen=True)
class Place:
    """Something to mark: where, its number in the legend, what it is and its page."""

    lat: float
    lon: float
    number: int
    label: str
    kind: str  # incident, enterprise, site
    href: str | None = None


@dataclass(frozen=True)
class Marker:
    """A place where it lands on the map."""

    x: float
    y: float
    place: Place


@dataclass(frozen=True)
class Tick:
    """A graticule line and its label."""

    x1: float
    y1: float
    x2: float
    y2: float
    degrees: float
    axis: str  # "lat" or "lon"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in map units: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area (touching edges do not count)."""
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def within(self, width: float, height: float) -> bool:
        """Whether the box lies wholly inside a map of this size."""
        return (
            self.x >= 0 and self.y >= 0 and self.x + self.w <= width and self.y + self.h <= height
        )


@dataclass(frozen=True)
class CityLabel:
    """A city's dot and name: the text starts at (tx, ty) (its baseline) and fills `box`."""

    x: float
    y: float
    name: str
    tx: float
    ty: float
    box: Box


@dataclass
class MapFigure:
    """What a template needs to draw one map."""

    width: float
    height: float
    land: str  # SVG path data
    ticks: list[Tick]
    markers: list[Marker]
    scale_px: float
    scale_km: int
    locator: Locator | None = None
    places: list[Place] = field(default_factory=list)
    rivers: str = ""  # SVG path data of open lines
    cities: list[CityLabel] = field(default_factory=list)


@dataclass(frozen=True)
class Locator:
    """A small map of China in a corner, with the main map's extent on it."""

    x: float
    y: float
    width: float
    height: float
    land: str
    box: tuple[float, float, float, float]  # x, y, width, height within the locator


@lru_cache(maxsize=1)
def _land() -> dict[str, Any]:
    """The vendored outline: `region` (west, south, east, north), `detailed` and `overview`
    rings of [lon, lat] points."""
    data: dict[str, Any] = json.loads(LAND.read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def _features() -> dict[str, Any]:
    """Rivers (`lines` of [lon, lat]) and populated places (`name_en`, `name_zh`, `lon`, `lat`),
    made by tools/vendor_map_features.py; the most important first in each."""
    data: dict[str, Any] = json.loads(FEATURES.read_text("utf-8"))
    return data


def clip_line(
    line: Sequence[Sequence[float]], box: tuple[float, float, float, float]
) -> list[list[Point]]:
    """The pieces of an open line inside an axis-aligned box (Liang-Barsky on each segment)."""
    west, south, east, north = box
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in pairwise(line):
        (x1, y1), (x2, y2) = (a[0], a[1]), (b[0], b[1])
        dx, dy = x2 - x1, y2 - y1
        t0, t1 = 0.0, 1.0
        for p, q in ((-dx, x1 - west), (dx, east - x1), (-dy, y1 - south), (dy, north - y1)):
            if p == 0:
                if q < 0:
                    t0, t1 = 1.0, 0.0
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
        if t0 > t1:
            if current:
                pieces.append(current)
                current = []
            continue
        start = (x1 + t0 * dx, y1 + t0 * dy)
        end = (x1 + t1 * dx, y1 + t1 * dy)
        if not current:
            current = [start]
        current.append(end)
        if t1 < 1.0:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [p for p in pieces if len(p) >= 2]


def text_width(text: str, size: float) -> float:
    """How wide a label is drawn: a CJK character 1em, anything else about 0.6em."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def place_labels(
    cities: Sequence[tuple[float, float, str]],
    width: float,
    height: float,
    obstacles: Sequence[Box],
    size: float = LABEL_SIZE,
) -> list[CityLabel]:
    """Cities' dots and names, in the order given (most important first), each where neither
    its dot nor its name overlaps an obstacle, an earlier one or the map's edge; a city that
    fits nowhere (right, left, above or below its dot) is left out."""
    taken = list(obstacles)
    out: list[CityLabel] = []
    for x, y, name in cities:
        dot = Box(x - 2.5, y - 2.5, 5, 5)
        if not dot.within(width, height) or any(dot.overlaps(b) for b in taken):
            continue
        w = text_width(name, size)
        for left, top in (
            (x + 5, y - size / 2),
            (x - 5 - w, y - size / 2),
            (x - w / 2, y - 3 - size),
            (x - w / 2, y + 3),
        ):
            box = Box(left, top, w, size)
            if box.within(width, height) and not any(box.overlaps(b) for b in taken):
                out.append(CityLabel(x, y, name, left, top + size * 0.82, box))
                taken += [dot, box]
                break
    return out


def clip_ring(
    ring: Sequence[Sequence[float]], box: tuple[float, float, float, float]
) -> list[Point]:
    """Sutherland-Hodgman: the part of a polygon ring inside an axis-aligned box."""
    west, south, east, north = box
    out: list[Point] = [(p[0], p[1]) for p in ring]
    for axis, bound, keep_above in (
        (0, west, True),
        (0, east, False),
        (1, south, True),
        (1, north, False),
    ):
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for cur in points:
            cur_in = cur[axis] >= bound if keep_above else cur[axis] <= bound
            prev_in = prev[axis] >= bound if keep_above else prev[axis] <= bound
            if cur_in != prev_in:
                out.append(_cross(prev, cur, axis, bound))
            if cur_in:
                out.append(cur)
            prev = cur
    return out


def _cross(a: Point, b: Point, axis: int, bound: float) -> Point:
    share = (bound - a[axis]) / (b[axis] - a[axis])
    other = 1 - axis
    point = [0.0, 0.0]
    point[axis] = bound
    point[other] = a[other] + (b[other] - a[other]) * share
    return point[0], point[1]


class _Projection:
    """Equirectangular, true to scale along the middle latitude of the view."""

    def __init__(self, box: tuple[float, float, float, float], width: float) -> None:
        self.west, self.south, self.east, self.north = box
        self.k = math.cos(math.radians((self.south + self.north) / 2))
        self.scale = width / ((self.east - self.west) * self.k)
        self.width = width
        self.height = (self.north - self.south) * self.scale

    def __call__(self, lon: float, lat: float) -> Point:
        return (lon - self.west) * self.k * self.scale, (self.north - lat) * self.scale


def _path(rings: Sequence[Sequence[Point]], project: _Projection) -> str:
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        xy = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def _view(places: Sequence[Place]) -> tuple[float, float, float, float]:
    """The box to show: the places with a margin, at least MIN_SPAN high, not too narrow or tall."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    k = math.cos(math.radians(mid_lat))
    lat_span = max((max(lats) - min(lats)) * 1.3, MIN_SPAN)
    lon_span = max((max(lons) - min(lons)) * 1.3, MIN_SPAN / k)
    # Keep the map between 2:1 and 4:3 (width : height) on the ground; one place gets 2:1.
    lat_span = max(lat_span, lon_span * k * 0.5)
    lon_span = max(lon_span, lat_span / k / (0.5 if len(places) == 1 else 0.75))
    return (
        mid_lon - lon_span / 2,
        mid_lat - lat_span / 2,
        mid_lon + lon_span / 2,
        mid_lat + lat_span / 2,
    )


def _step(span: float) -> float:
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if span / step <= 6:
            return step
    return 20.0


def _ticks(project: _Projection) -> list[Tick]:
    ticks = []
    step = _step(max(project.east - project.west, project.north - project.south))
    lon = math.ceil(project.west / step) * step
    while lon < project.east:
        x, _ = project(lon, project.north)
        ticks.append(Tick(x, 0, x, project.height, lon, "lon"))
        lon += step
    lat = math.ceil(project.south / step) * step
    while lat < project.north:
        _, y = project(project.west, lat)
        ticks.append(Tick(0, y, project.width, y, lat, "lat"))
        lat += step
    return ticks


def _scale(project: _Projection) -> tuple[float, int]:
    km_per_px = KM_PER_DEGREE / project.scale
    target = project.width / 5 * km_per_px
    nice = max((n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n <= target), default=1)
    return nice / km_per_px, nice


def _spread(markers: list[Marker]) -> list[Marker]:
    """Move a marker that would sit on top of an earlier one aside, so both can be read."""
    out: list[Marker] = []
    for m in markers:
        x, y, turn = m.x, m.y, 0
        while any(math.hypot(x - o.x, y - o.y) < 18 for o in out) and turn < 12:
            turn += 1
            angle = turn * 2.4
            x, y = m.x + 20 * math.cos(angle), m.y + 20 * math.sin(angle)
        out.append(Marker(x, y, m.place))
    return out


def _locator(
    view: tuple[float, float, float, float],
    main: _Projection,
    markers: list[Marker],
    cities: Sequence[tuple[float, float, str]] = (),
) -> Locator | None:
    """A locator in a corner with no marker under it, clear of the scale bar, hiding the fewest
    of the first MAX_CITIES cities; none when the map already shows China."""
    if view[2] - view[0] > 25:
        return None
    project = _Projection(CHINA, 150)
    land = _path([clip_ring(r, CHINA) for r in _land()["overview"]], project)
    x1, y1 = project(max(view[0], CHINA[0]), min(view[3], CHINA[3]))
    x2, y2 = project(min(view[2], CHINA[2]), max(view[1], CHINA[1]))
    box = (x1, y1, max(x2 - x1, 4.0), max(y2 - y1, 4.0))
    pad = 8.0
    corners = [
        (main.width - project.width - pad, main.height - project.height - pad),
        (pad, main.height - project.height - pad),
        (main.width - project.width - pad, pad),
        (pad, pad),
    ]
    scale_bar = Box(8, main.height - 32, _scale(main)[0] + 60, 24)
    best: tuple[int, float, float] | None = None
    for cx, cy in corners:
        if cy < 0:
            break
        area = Box(cx - 12, cy - 12, project.width + 24, project.height + 24)
        clear = not area.overlaps(scale_bar) and all(
            not (area.x <= m.x <= area.x + area.w and area.y <= m.y <= area.y + area.h)
            for m in markers
        )
        if not clear:
            continue
        hidden = sum(
            area.x <= x <= area.x + area.w and area.y <= y <= area.y + area.h
            for x, y, _ in cities[:MAX_CITIES]
        )
        if best is None or hidden < best[0]:
            best = (hidden, cx, cy)
    if best is None:
        return None
    return Locator(best[1], best[2], project.width, project.height, land, box)


def obstacles(fig: MapFigure) -> list[Box]:
    """What a city's name must not cover: the scale bar, the locator, the markers and the
    graticule's labels (as the template draws them, 12 units high)."""
    out = [Box(8, fig.height - 32, fig.scale_px + 60, 24)]
    if fig.locator:
        loc = fig.locator
        out.append(Box(loc.x, loc.y, loc.width, loc.height))
    out += [Box(m.x - 13, m.y - 13, 26, 26) for m in fig.markers]
    for tk in fig.ticks:
        text = f"{tk.degrees:g}°E" if tk.axis == "lon" else f"{tk.degrees:g}°N"
        w = text_width(text, 12)
        out.append(Box(tk.x1 + 3, 2, w, 14) if tk.axis == "lon" else Box(4, tk.y1 - 15, w, 14))
    return out


def _rivers(view: tuple[float, float, float, float], project: _Projection) -> str:
    parts = []
    for river in _features()["rivers"]:
        for line in river["lines"]:
            for piece in clip_line(line, view):
                xy = [project(lon, lat) for lon, lat in piece]
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in xy))
    return "".join(parts)


def _cities(
    view: tuple[float, float, float, float], project: _Projection, lang: str
) -> list[tuple[float, float, str]]:
    key = "name_zh" if lang == "zh" else "name_en"
    out = []
    for city in _features()["places"]:
        name = city.get(key)
        if name and view[0] <= city["lon"] <= view[2] and view[1] <= city["lat"] <= view[3]:
            out.append((*project(city["lon"], city["lat"]), name))
    return out


def place_map(places: Sequence[Place], lang: str = "en") -> MapFigure | None:
    """A map of the places (those outside East Asia are left to the legend); None for no place.
    City names are in the page language (`zh` or `en`)."""
    region = tuple(_land()["region"])
    shown = [
        p for p in places if region[0] <= p.lon <= region[2] and region[1] <= p.lat <= region[3]
    ]
    if not shown:
        return None
    view = _view(shown)
    project = _Projection(view, WIDTH)
    scale = "detailed" if view[2] - view[0] < 40 else "overview"
    rings = [clip_ring(r, view) for r in _land()[scale]]
    markers = _spread([Marker(*project(p.lon, p.lat), p) for p in shown])
    scale_px, scale_km = _scale(project)
    fig = MapFigure(
        width=project.width,
        height=project.height,
        land=_path(rings, project),
        ticks=_ticks(project),
        markers=markers,
        scale_px=scale_px,
        scale_km=scale_km,
        places=list(places),
        rivers=_rivers(view, project),
    )
    cities = _cities(view, project, lang)
    fig.locator = _locator(view, project, markers, cities)
    labels = place_labels(cities, fig.width, fig.height, obstacles(fig))
    fig.cities = labels[:MAX_CITIES]
    return fig
