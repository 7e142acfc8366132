"""CPU profile of one request path, in-process, on the benchmark's data set (docs/performance.md).

    python bench/cpu_profile.py PATH [--requests 1000] [--records 100000] [--top 40] [--config JSON]

Builds the app as bench/compare.py serves it (rate limit raised but evaluated), asks PATH once
per distinct form and then `--requests` times through Flask's test client under cProfile,
timing CPU (time.process_time), which a busy machine disturbs less than wall time. Prints CPU
ms per request and the functions by cumulative time. `--config '{"RATELIMIT_ENABLED": false}'`
shows what a setting costs. PATH may contain {id}: it is filled with inspection ids in turn.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import prepare


def main() -> None:
    """Profile and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--config", default="{}", help="app config overrides, as JSON")
    args = parser.parse_args()
    db, index = prepare(args.records)
    os.environ["PORTAL_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["PORTAL_INDEX_DIR"] = str(index)
    from portal import create_app

    app = create_app(
        {
            "API_RATE_LIMIT": "1000000000 per minute",
            "SEARCH_REBUILD_ON_START": False,
            **json.loads(args.config),
        }
    )
    client = app.test_client()
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM inspection LIMIT 300")]
    paths = [args.path.format(id=i) for i in ids] if "{id}" in args.path else [args.path]
    for path in paths:  # every form once: caches warm
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path}: {status}")
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for n in range(args.requests):
        client.get(paths[n % len(paths)])
    profiler.disable()
    cpu = time.process_time() - started
    print(f"{args.path}: {cpu / args.requests * 1000:.2f} ms CPU a request under the profiler")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
