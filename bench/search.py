"""Search at scale: index build rate and size, query latency by kind of query, and requests/s.

    python bench/search.py [--records 100000] [--procs 2] [--rounds 5] [--clients 4]
                           [--database postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                           [--out /tmp/clearwater-bench] [--no-rebuild]

Generates N records and imports them once (kept for the next run) into a SQLite database under
--out, or with --database into a database of its own on that PostgreSQL server
(`clearwater_bench_N`). Then, for each engine the data allows (SQLite: Whoosh; PostgreSQL: its
own full text, and Whoosh beside it on the same records), rebuilds the index with the engine's
`rebuild` and times queries through the portal's own search path. Prints the rebuild's wall time,
its CPU time (this process and its children, user + sys; PostgreSQL's own work is not in it) and
records/s of each, the index size, p50/p99 latency of term, phrase, filtered and faceted queries
one at a time, and requests/s with p50/p99 of the four mixed, sent by --clients processes at
once. The machine may be busy: records per CPU-second is the figure that tells what a quiet
machine with `--procs` free cores would do.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PORTAL = str(Path(sys.executable).with_name("portal"))

TERM = ["镉", "cadmium", "铅", "lead", "砷 超标", "copper zinc", "再生铜", "Hechi", "废水", "slag"]
PHRASE = ['"heavy metals"', '"重金属"', '"secondary lead"', '"排放口"', '"above the limit"']
FILTERED = [
    {"q": "镉", "kind": "inspections", "province": "45"},
    {"q": "lead", "kind": "disclosures", "sector": "secondary_lead"},
    {"q": "超标", "outcome": "violation"},
    {"q": "copper", "from": "2020-01-01", "to": "2022-12-31"},
    {"q": "废水", "pollutant": "Pb"},
]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def database(records: int, out: Path, server: str | None) -> str:
    """The URL of a database with `records` generated records: a SQLite file under `out`, or a
    database of its own on the PostgreSQL `server`; made once (a marker file under `out`)."""
    if server:
        from sqlalchemy.engine import make_url

        name = f"clearwater_bench_{records}"
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        done = out / f"{name}.done"
    else:
        db = out / f"import-{records}.db"
        url, done = f"sqlite:///{db}", db.with_suffix(".done")
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": url,
        "PORTAL_INDEX_DIR": str(out / "no-index"),  # nothing indexes during the import
    }
    if done.exists():  # brought up to the current schema
        subprocess.run([PORTAL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        return url
    folder = out / f"gen-{records}"
    if not (folder / "05-disclosures.ndjson").exists():
        subprocess.run(
            [PORTAL, "generate", "--records", str(records), "--out", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if server:
        import psycopg

        with psycopg.connect(
            server.replace("postgresql+psycopg", "postgresql"), autocommit=True
        ) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run([PORTAL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    for path in sorted(folder.glob("*.ndjson")):
        print(f"importing {path.name}", flush=True)
        subprocess.run(
            [PORTAL, "import", str(path), "--as-recorded"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    done.touch()
    return url


GROUPS = {
    "term": [({"q": q}, False) for q in TERM],
    "phrase": [({"q": q}, False) for q in PHRASE],
    "filtered": [(f, False) for f in FILTERED],
    "faceted": [({"q": q}, True) for q in TERM],
}
MIX = [query for queries in GROUPS.values() for query in queries]


def run(service: Any, query_args: dict[str, str], facets: bool) -> int:
    """One search through the portal's path: its total, or -1 when refused as too slow."""
    from portal.search import SearchTooSlow, parse_search

    try:
        return int(service.search(parse_search(query_args), with_facets=facets).total)
    except SearchTooSlow:
        return -1


def rebuild(service: Any, procs: int) -> None:
    """Rebuild the engine's index and print its rates."""
    cpu, started = cpu_seconds(), time.perf_counter()
    count = service.rebuild(procs=procs)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    print(
        f"rebuild: {count:,} records, {procs} process(es): wall {seconds:.1f} s = "
        f"{count / seconds:,.0f} records/s; CPU {cpu:.1f} s = {count / cpu:,.0f} records "
        f"per CPU-second"
    )


def one_at_a_time(service: Any, rounds: int) -> None:
    """p50/p99 latency of each kind of query, one query at a time, after a first run."""

    # Cold: each query on a searcher opened for it (Whoosh, as after every change to the
    # index), its terms read from disk; the first also builds the per-segment arrays.
    cold, cold_cpu = [], []
    for query_args, facets in GROUPS["faceted"]:
        service.close()
        t, c = time.perf_counter(), time.process_time()
        run(service, query_args, facets)
        cold.append((time.perf_counter() - t) * 1000)
        cold_cpu.append((time.process_time() - c) * 1000)
    for query_args, facets in MIX:  # then warm the caches once, as before
        run(service, query_args, facets)
    print(
        f"{'query':<12}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'CPU p50':>10}{'CPU p99':>10}"
        f"{'mean hits':>12}"
    )
    print(
        f"{'cold+facets':<12}{len(cold):>6}{percentile(cold, 0.5):>10.1f}{max(cold):>10.1f}"
        f"{percentile(cold_cpu, 0.5):>10.1f}{max(cold_cpu):>10.1f}"
    )
    for name, args_list in GROUPS.items():
        times, cpus, hits, refused = [], [], [], 0
        for _ in range(rounds):
            for query_args, facets in args_list:
                t, c = time.perf_counter(), time.process_time()
                total = run(service, query_args, facets)
                times.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - c) * 1000)
                refused += total < 0
                hits.append(max(total, 0))
        print(
            f"{name:<12}{len(times):>6}{percentile(times, 0.5):>10.1f}"
            f"{percentile(times, 0.99):>10.1f}{percentile(cpus, 0.5):>10.1f}"
            f"{percentile(cpus, 0.99):>10.1f}{statistics.mean(hits):>12,.0f}"
            + (f"  ({refused} refused as too slow)" if refused else "")
        )


def _client(engine: str, index: str, url: str, rounds: int, offset: int) -> tuple[list[float], int]:
    """One searching process: the mix `rounds` times (after one unmeasured), in its own order."""
    sys.path.insert(0, str(ROOT))
    from portal.search import SearchService, open_search

    service = SearchService(Path(index), url) if engine == "whoosh" else open_search(index, url)
    for query_args, facets in MIX:
        run(service, query_args, facets)
    times, refused = [], 0
    mix = MIX[offset % len(MIX) :] + MIX[: offset % len(MIX)]
    for _ in range(rounds):
        for query_args, facets in mix:
            t = time.perf_counter()
            refused += run(service, query_args, facets) < 0
            times.append((time.perf_counter() - t) * 1000)
    return times, refused


def throughput(engine: str, index: Path, url: str, clients: int, rounds: int) -> None:
    """Requests/s and p50/p99 of the mix with `clients` processes searching at once."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        work = [(engine, str(index), url, rounds, n * 7) for n in range(clients)]
        started = time.perf_counter()
        results = pool.starmap(_client, work)
        wall = time.perf_counter() - started
    times = [t for found, _ in results for t in found]
    refused = sum(n for _, n in results)
    # The wall time includes each client's start and unmeasured first round: requests/s is
    # counted over the longest time a client spent in its measured searches.
    busy = max(sum(found) for found, _ in results) / 1000
    print(
        f"mixed, {clients} clients: {len(times) / busy:,.1f} requests/s; p50 "
        f"{percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f} ms "
        f"({len(times):,} requests, {refused} refused as too slow; {wall:.0f} s with start-up)"
    )


def main() -> None:
    """Build each engine's index, time the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", help="a PostgreSQL server URL (postgresql+psycopg://...)")
    parser.add_argument("--engine", choices=["postgresql", "whoosh"], help="time only this one")
    parser.add_argument("--out", type=Path, default=Path("/tmp/clearwater-bench"))
    parser.add_argument("--no-rebuild", action="store_true", help="time queries on the index there")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url = database(args.records, args.out, args.database)
    sys.path.insert(0, str(ROOT))
    from portal.search import SearchService, open_search

    suffix = "-pg" if args.database else ""
    index = args.out / f"index{suffix}-{args.records}"
    engines = ["postgresql", "whoosh"] if args.database else ["whoosh"]
    print(f"(a reference Python loop ran at {calibration():.0f} ns per step on this machine)")
    for engine in [e for e in engines if args.engine in (None, e)]:
        print(f"== {engine}, {args.records:,} records")
        service = SearchService(index, url) if engine == "whoosh" else open_search(index, url)
        if not args.no_rebuild:
            rebuild(service, args.procs)
        print(f"index: {service.where()}")
        one_at_a_time(service, args.rounds)
        throughput(engine, index, url, args.clients, args.rounds)
    print(f"(a reference Python loop ran at {calibration():.0f} ns per step on this machine)")


def calibration() -> float:
    """ns per step of a plain dict-lookup loop: a gauge of how fast (or busy) the machine is."""
    table = {str(i): i for i in range(1000)}
    keys = [str(i % 1000) for i in range(1_000_000)]
    started = time.process_time()
    for key in keys:
        table.get(key)
    return (time.process_time() - started) * 1000


if __name__ == "__main__":
    main()
