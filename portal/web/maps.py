"""Maps drawn on the server as SVG: markers on the land outline of East Asia (Natural Earth via
world-atlas, vendored), a graticule, a scale bar and a locator. No tiles, no script: a map is
whole in the page, offline, and still says where things are in its legend when images are off."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    view: tuple[float, float, float, float], main: _Projection, markers: list[Marker]
) -> Locator | None:
    """A locator in the corner with no marker under it; none when the map already shows China."""
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
    for cx, cy in corners:
        if cy < 0:
            break
        clear = all(
            not (
                cx - 12 <= m.x <= cx + project.width + 12
                and cy - 12 <= m.y <= cy + project.height + 12
            )
            for m in markers
        )
        if clear:
            return Locator(cx, cy, project.width, project.height, land, box)
    return None


def place_map(places: Sequence[Place]) -> MapFigure | None:
    """A map of the places (those outside East Asia are left to the legend); None for no place."""
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
    return MapFigure(
        width=project.width,
        height=project.height,
        land=_path(rings, project),
        ticks=_ticks(project),
        markers=markers,
        scale_px=scale_px,
        scale_km=scale_km,
        locator=_locator(view, project, markers),
        places=list(places),
    )
