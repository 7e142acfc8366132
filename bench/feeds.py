"""Speed of the feeds on a generated data set.

    python bench/feeds.py [--records 100000] [--repeat 20] [--database URL]

Uses the same database as bench/api.py (bench/out/api-N.db, generated and imported once), and
asks the app in-process (Flask's test client: no HTTP or network time) for 200-entry feeds:

- cold: the first request of a fresh process (imports, caches and the database's pages cold);
- warm build: p50 / p95 of full builds of the same feed (no validator sent);
- 304: p50 / p95 of a revalidation with the ETag of the last build.

for the feed of everything, one kind filtered by province and pollutant, one enterprise, one
department, in Atom and RSS.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import OUT, database

FEEDS = [
    "/feeds/all.atom?limit=200",
    "/feeds/all.rss?limit=200",
    "/feeds/incidents.atom?limit=200&province=45&pollutant=Cd",
    "/feeds/inspections.atom?limit=200&outcome=violation",
    "/feeds/enterprises/{enterprise}.atom?limit=200",
    "/feeds/departments/{department}.atom?limit=200",
]


def ms(values: list[float]) -> str:
    """p50 / p95 in milliseconds."""
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"p50 {statistics.median(values) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    """Print cold, warm and 304 timings of 200-entry feeds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL instead of the SQLite file")
    args = parser.parse_args()
    url = database(args.records, args.database)

    started = time.perf_counter()
    from portal import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "INDEX_DIR": str(OUT / f"api-index-{args.records}"),
            "SEARCH_REBUILD_ON_START": False,
            "API_RATE_LIMIT": "1000000000 per minute",
        }
    )
    client = app.test_client()
    enterprise = client.get("/api/v1/inspections?limit=1").get_json()["items"][0]["enterprise_id"]
    department = client.get("/api/v1/inspections?limit=1").get_json()["items"][0]["publisher_id"]
    print(f"app ready in {time.perf_counter() - started:.2f} s ({args.records:,} records, {url})")
    for template in FEEDS:
        path = template.format(enterprise=enterprise, department=department)
        started = time.perf_counter()
        first = client.get(path)
        cold = time.perf_counter() - started
        assert first.status_code == 200, (path, first.status_code, first.data[:200])
        builds, revalidations = [], []
        etag = first.headers["ETag"]
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            builds.append(time.perf_counter() - started)
            etag = response.headers["ETag"]
            started = time.perf_counter()
            cached = client.get(path, headers={"If-None-Match": etag})
            revalidations.append(time.perf_counter() - started)
            assert cached.status_code == 304
        entries = first.data.count(b"<entry>") or first.data.count(b"<item>")
        print(
            f"{path:60} {entries:4d} entries {len(first.data) / 1024:7.0f} KiB  "
            f"cold {cold * 1000:7.1f} ms | build {ms(builds)} | 304 {ms(revalidations)}"
        )


if __name__ == "__main__":
    main()
