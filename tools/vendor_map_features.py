"""Write data/map-features.json: Natural Earth 10m rivers and populated places, clipped to the
region of the land outline and simplified, for the rivers and city names on the maps (run by
hand; never at test or run time). See data/README-map-features.md.

Reads the two 7-Zip files of a checkout of github.com/martynafford/natural-earth-geojson (Natural
Earth as GeoJSON): 10m/physical/ne_10m_rivers_lake_centerlines.7z and
10m/cultural/ne_10m_populated_places.7z. Needs py7zr (pip install py7zr), a tool-only need.

    python tools/vendor_map_features.py NATURAL_EARTH_GEOJSON_CHECKOUT
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.vendor_assets import REGION, _simplify

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "data" / "map-features.json"
TOLERANCE = 0.01  # degrees dropped by Douglas-Peucker (about 1 km)
RIVER_RANK = 8  # Natural Earth scalerank: 8 keeps the Liu; 9 and up are minor streams
CITY_RANK = 7  # scalerank of populated places kept (0 most important)
# Natural Earth's NAME_ZH for these is wrong (Bose is 百色 in Guangxi; 白城 is Baicheng, Jilin).
ZH_FIXES: dict[tuple[str, str | None], str] = {("Bose", "白城"): "百色"}


def _read_7z(path: Path) -> dict[str, Any]:
    import py7zr  # a tool-only dependency

    with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(path) as archive:
        archive.extractall(tmp)
        (inner,) = Path(tmp).iterdir()
        loaded: dict[str, Any] = json.loads(inner.read_text("utf-8"))
    return loaded


def _inside(lon: float, lat: float) -> bool:
    return REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]


def rivers(geojson: dict[str, Any]) -> list[dict[str, Any]]:
    """Rivers (no lake centre lines) of rank RIVER_RANK or better that touch the region."""
    out = []
    for f in geojson["features"]:
        p, g = f["properties"], f["geometry"]
        if not g or p.get("featurecla") != "River" or (p.get("scalerank") or 99) > RIVER_RANK:
            continue
        lines = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
        kept = []
        for line in lines:
            points = [(x, y) for x, y, *_ in line]
            if not any(_inside(x, y) for x, y in points):
                continue
            simple = _simplify(points, TOLERANCE)
            if len(simple) >= 2:
                kept.append([[round(x, 3), round(y, 3)] for x, y in simple])
        if kept:
            out.append(
                {
                    "name_en": p.get("name_en") or p.get("name"),
                    "rank": int(p["scalerank"]),
                    "lines": kept,
                }
            )
    out.sort(key=lambda r: (r["rank"], r["name_en"] or ""))
    return out


def places(geojson: dict[str, Any]) -> list[dict[str, Any]]:
    """Populated places of rank CITY_RANK or better in the region, most important first."""
    out = []
    for f in geojson["features"]:
        p, g = f["properties"], f["geometry"]
        if not g or p["SCALERANK"] > CITY_RANK:
            continue
        lon, lat = g["coordinates"][:2]
        if not _inside(lon, lat):
            continue
        name_en = p.get("NAME_EN") or p["NAME"]
        name_zh = p.get("NAME_ZH") or None
        name_zh = ZH_FIXES.get((name_en, name_zh), name_zh)
        out.append(
            {
                "name_en": name_en,
                "name_zh": name_zh,
                "rank": int(p["SCALERANK"]),
                "population": int(p.get("POP_MAX") or 0),
                "lon": round(lon, 3),
                "lat": round(lat, 3),
            }
        )
    out.sort(key=lambda c: (c["rank"], -c["population"], c["name_en"]))
    return out


def main(argv: list[str]) -> int:
    """Write the file from a checkout of natural-earth-geojson; say what was written."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checkout = Path(argv[1])
    data = {
        "source": "Natural Earth 10m rivers_lake_centerlines and populated_places (public "
        "domain), via github.com/martynafford/natural-earth-geojson",
        "region": REGION,
        "rivers": rivers(_read_7z(checkout / "10m/physical/ne_10m_rivers_lake_centerlines.7z")),
        "places": places(_read_7z(checkout / "10m/cultural/ne_10m_populated_places.7z")),
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(
        f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size:,} bytes, "
        f"{len(data['rivers'])} rivers, {len(data['places'])} places"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
