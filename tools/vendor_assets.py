"""Copy the npm-fetched assets the portal and its tests use into the tree (run by hand after
`npm install`; never at test or run time). See portal/web/static/vendor/README.md.

- tests/vendor/axe.min.js (+ LICENSE): axe-core, injected into pages by the browser tests.
- portal/web/static/vendor/land-east-asia.json: Natural Earth land polygons (via world-atlas),
  clipped to East Asia and simplified: the plain outline the maps draw their markers on.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
REGION = (68.0, 2.0, 150.0, 58.0)  # west, south, east, north: China with its neighbours' coasts
TOLERANCE = {"50m": 0.03, "110m": 0.08}  # degrees dropped by Douglas-Peucker


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode the quantized, delta-encoded arcs of a TopoJSON topology to lon/lat."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    arcs = _arcs(topo)
    rings = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for poly in polys:
            rings.extend(_ring(ring, arcs) for ring in poly)
    return rings


def _clip(ring: list[tuple[float, float]], box: tuple[float, ...]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a ring inside an axis-aligned box."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    ]
    out = ring
    for inside, cross in edges:
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
    return out


def _at_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iteratively (rings run to thousands of points). A closed ring is split
    at its point farthest from the start: a chord of length zero measures nothing."""
    if len(points) < 4:
        return points
    if points[0] == points[-1]:
        x0, y0 = points[0]
        far = max(
            range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2
        )
        return _simplify(points[: far + 1], tolerance)[:-1] + _simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            dist = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if dist > worst:
                worst, index = dist, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def land(scale: str) -> list[list[list[float]]]:
    """The land rings of world-atlas at a scale, clipped to REGION and simplified."""
    topo = json.loads((NODE / "world-atlas" / f"land-{scale}.json").read_text("utf-8"))
    out = []
    for ring in _polygons(topo):
        clipped = _simplify(_clip(ring, REGION), TOLERANCE[scale])
        if len(clipped) >= 4:
            out.append([[round(x, 3), round(y, 3)] for x, y in clipped])
    return out


def main() -> int:
    """Copy axe-core and write the land outline; say what was written."""
    if not NODE.is_dir():
        print("run `npm install` (or `npm ci`) at the top of the repository first", file=sys.stderr)
        return 1
    vendor_tests = ROOT / "tests" / "vendor"
    vendor_tests.mkdir(exist_ok=True)
    shutil.copyfile(NODE / "axe-core" / "axe.min.js", vendor_tests / "axe.min.js")
    shutil.copyfile(NODE / "axe-core" / "LICENSE", vendor_tests / "axe-core.LICENSE")
    static = ROOT / "portal" / "web" / "static" / "vendor"
    static.mkdir(exist_ok=True)
    meta = json.loads((NODE / "world-atlas" / "package.json").read_text("utf-8"))
    data = {
        "source": f"world-atlas {meta['version']} (ISC), Natural Earth land (public domain)",
        "region": REGION,
        "detailed": land("50m"),
        "overview": land("110m"),
    }
    target = static / "land-east-asia.json"
    target.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    for path in (vendor_tests / "axe.min.js", target):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
