"""Speed of the open-data API under gunicorn (2 workers) on a generated data set.

    python bench/api.py [--records 100000] [--requests 1000] [--clients 4]

Generates the data set once (bench/out/gen-N), imports it once into bench/out/api-N.db (each file
in name order with `portal import FILE --as-recorded`), serves it with gunicorn (2 workers of
2 threads, rate limit raised out of the way), and prints:

- for filtered listings, a record and a second page by cursor: requests/s with --clients
  concurrent clients, and p50/p99 latency of one client alone (the latency a user sees);
- for the full CSV, NDJSON and Parquet download of every kind (--formats): rows, bytes,
  seconds, rows/s, and the serving worker's resident memory before and at its peak (sampled
  every 10 ms from /proc); then each format's totals side by side.

Only 127.0.0.1 is contacted; every loop is bounded. Needs gunicorn (`pip install -e ".[dev]"`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

from _load import PeakMemory

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
PORTAL = str(BIN / "portal")
KINDS = ["departments", "incidents", "enterprises", "disclosures", "inspections"]
# The rate limit out of the way; no search index rebuild competing for the two cores.
APP = (
    "portal:create_app({'API_RATE_LIMIT': '1000000000 per minute', "
    "'SEARCH_REBUILD_ON_START': False})"
)


def database(records: int, url: str | None) -> str:
    """A database holding the generated set: imported once, then ANALYZEd for the planner.

    Default: a SQLite file, bench/out/api-N.db. With --database (PostgreSQL), an empty database
    is filled; one that already has inspections is used as it is.
    """
    if url is None:
        db = OUT / f"api-{records}.db"
        if db.exists():
            return f"sqlite:///{db}"
        partial = Path(f"{db}.partial")
        partial.unlink(missing_ok=True)
        _fill(f"sqlite:///{partial}", records)
        partial.rename(db)
        return f"sqlite:///{db}"
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.connect() as conn:
        has_table = inspect(conn).has_table("inspection")
        if has_table and conn.execute(text("SELECT count(*) FROM inspection")).scalar():
            return url
    engine.dispose()
    _fill(url, records)
    return url


def _fill(url: str, records: int) -> None:
    folder = OUT / f"gen-{records}"
    if not (folder / "05-disclosures.ndjson").exists():
        subprocess.run(
            [PORTAL, "generate", "--records", str(records), "--out", str(folder)], check=True
        )
    env = _env(url, records)
    subprocess.run([PORTAL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    for path in sorted(folder.glob("*.ndjson")):
        started = time.perf_counter()
        subprocess.run([PORTAL, "import", str(path), "--as-recorded"], env=env, check=True)
        print(f"imported {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    # Planner statistics, as PostgreSQL's autovacuum would gather them after a bulk load.
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _env(url: str, records: int) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_DATABASE_URL": url,
        "PORTAL_INDEX_DIR": str(OUT / f"api-index-{records}"),
        "PORTAL_SNAPSHOT_DIR": str(OUT / f"api-snapshots-{records}"),
    }


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with two threaded workers on 127.0.0.1."""

    def __init__(self, url: str, records: int) -> None:
        gunicorn = BIN / "gunicorn"
        if not gunicorn.exists():
            sys.exit('needs gunicorn: pip install -e ".[dev]"')
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                *(str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{self.port}"),
                # Threaded workers keep their heartbeat during a long download; a sync worker
                # is killed after --timeout (30 s) in the middle of streaming a large set.
                *("--worker-class", "gthread", "--threads", "2"),
                *("--log-level", "warning", "--limit-request-line", "8190", APP),
            ],
            env=_env(url, records),
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, "/api/v1")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)  # not listening yet
        self.stop()
        sys.exit("gunicorn did not answer within 60 s")

    def workers(self) -> list[int]:
        """Process ids of the workers."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()]

    def stop(self) -> None:
        """Stop gunicorn and wait for it."""
        self.process.terminate()
        self.process.wait(timeout=30)


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection, as most API clients make them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def timed(port: int, paths: list[str], clients: int) -> tuple[float, list[float]]:
    """Requests/s over all paths with `clients` threads, and each request's seconds."""

    def one(path: str) -> float:
        started = time.perf_counter()
        status, _ = get(port, path)
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = list(pool.map(one, paths))
    return len(paths) / (time.perf_counter() - started), latencies


def scenarios(port: int, requests: int) -> dict[str, list[str]]:
    """The paths each scenario requests."""
    guangxi = quote("广西")
    _, body = get(port, "/api/v1/inspections?limit=1000")
    ids = [item["id"] for item in json.loads(body)["items"]]
    _, first = get(port, "/api/v1/disclosures?limit=50")
    second = _path(json.loads(first)["next"])
    return {
        "filtered enterprises": ["/api/v1/enterprises?sector=secondary_lead&limit=50"] * requests,
        "filtered incidents": [f"/api/v1/incidents?province={guangxi}&limit=50"] * requests,
        "filtered inspections": [
            f"/api/v1/inspections?province={guangxi}&outcome=violation&limit=50"
        ]
        * requests,
        "one record": [f"/api/v1/inspections/{ids[i % len(ids)]}" for i in range(requests)],
        "second page (cursor)": [second] * requests,
    }


def download(server: Server, path: str) -> tuple[int, int, float, float, float]:
    """Rows, bytes, seconds, and the busiest worker's RSS before and at its peak."""
    memory = PeakMemory(server.workers())
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    lines = size = 0
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        rows = int(response.getheader("X-Total-Count", "0"))
        while block := response.read(1 << 16):
            lines += block.count(b"\n")
            size += len(block)
    finally:
        conn.close()
        seconds = time.perf_counter() - started
        memory.stop()
    if path.endswith(".ndjson") and lines != rows:
        raise RuntimeError(f"{path}: {lines} lines, but X-Total-Count said {rows}")
    return rows, size, seconds, *memory.busiest()


def main() -> None:
    """Serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument(
        "--only", choices=["requests", "downloads"], help="measure one half (default: both)"
    )
    parser.add_argument(
        "--formats", default="csv,ndjson,parquet", help="downloads to measure, comma-separated"
    )
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        sys.exit("needs Linux /proc for memory figures")
    OUT.mkdir(parents=True, exist_ok=True)
    url = database(args.records, args.database)
    shutil.rmtree(OUT / f"api-index-{args.records}", ignore_errors=True)
    server = Server(url, args.records)
    try:
        where = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        served = "gunicorn -w 2 --threads 2"
        print(f"\n{args.records:,} records on {where}, {served}, {args.clients} clients\n")
        print(f"{'scenario':<24}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
        chosen = scenarios(server.port, args.requests) if args.only != "downloads" else {}
        for name, paths in chosen.items():
            timed(server.port, paths[:50], 1)  # warm both workers
            rate, _ = timed(server.port, paths, args.clients)
            _, alone = timed(server.port, paths[: max(200, args.requests // 2)], 1)
            p50 = statistics.median(alone) * 1000
            p99 = statistics.quantiles(alone, n=100)[98] * 1000
            print(f"{name:<24}{rate:>8,.0f}{p50:>9.1f}{p99:>9.1f}")
        print(f"\n{'download':<28}{'rows':>9}{'MiB':>8}{'s':>7}{'rows/s':>9}{'RSS MiB':>15}")
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        totals = {fmt: [0, 0.0, 0] for fmt in formats}
        for kind in KINDS if args.only != "requests" else []:
            for fmt in formats:
                rows, size, seconds, before, peak = download(server, f"/api/v1/{kind}.{fmt}")
                totals[fmt][0] += rows
                totals[fmt][1] += seconds
                totals[fmt][2] += size
                print(
                    f"{kind + '.' + fmt:<28}{rows:>9,}{size / 2**20:>8.1f}{seconds:>7.1f}"
                    f"{rows / seconds:>9,.0f}{before:>7.0f} -> {peak:.0f}"
                )
        for fmt, (rows, seconds, size) in totals.items():
            if not rows:
                continue
            line = (
                f"all kinds, {fmt}: {rows:,} rows, {size / 2**20:,.1f} MiB in {seconds:.1f} s "
                f"({rows / seconds:,.0f}/s)"
            )
            if rows < 1_000_000:
                line += f"; 1,000,000 rows at this rate: ~{1_000_000 * seconds / rows:.0f} s"
            print(line)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
