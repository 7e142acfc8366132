"""Search at scale: index build rate and size, and query latency by kind of query.

    python bench/search.py [--records 100000] [--procs 2] [--rounds 5] [--out /tmp/clearwater-bench]

Generates N records and imports them into a SQLite database under --out once (kept for the next
run), then rebuilds the index there with `SearchService.rebuild` and times queries through the
portal's own search path. Prints the rebuild's wall time, its CPU time (this process and its
children, user + sys) and records/s of each, the index size, and p50/p99 latency of term,
phrase, filtered and faceted queries. The machine may be busy: records per CPU-second is the
figure that tells what a quiet machine with `--procs` free cores would do.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def database(records: int, out: Path) -> Path:
    """A SQLite database with `records` generated records under `out`, made once."""
    db = out / f"import-{records}.db"
    done = db.with_suffix(".done")
    if done.exists():  # brought up to the current schema
        env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{db}"}
        subprocess.run([PORTAL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        return db
    folder = out / f"gen-{records}"
    if not (folder / "05-disclosures.ndjson").exists():
        subprocess.run(
            [PORTAL, "generate", "--records", str(records), "--out", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": f"sqlite:///{db}",
        "PORTAL_INDEX_DIR": str(out / "no-index"),  # nothing indexes during the import
    }
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
    return db


def main() -> None:
    """Build the index, time the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("/tmp/clearwater-bench"))
    parser.add_argument("--no-rebuild", action="store_true", help="time queries on the index there")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = database(args.records, args.out)
    sys.path.insert(0, str(ROOT))
    from portal.search import SearchService, parse_search

    url = f"sqlite:///{db}"
    service = SearchService(args.out / f"index-{args.records}", url)
    if not args.no_rebuild:
        cpu, started = cpu_seconds(), time.perf_counter()
        count = service.rebuild(procs=args.procs)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        print(
            f"rebuild: {count:,} records, {args.procs} process(es): wall {seconds:.1f} s = "
            f"{count / seconds:,.0f} records/s; CPU {cpu:.1f} s = {count / cpu:,.0f} records "
            f"per CPU-second"
        )
    size = sum(p.stat().st_size for p in service.path.iterdir() if p.is_file()) / 2**20
    print(f"index: {size:,.0f} MiB")
    print(f"(a reference Python loop ran at {calibration():.0f} ns per step on this machine)")
    groups = {
        "term": [({"q": q}, False) for q in TERM],
        "phrase": [({"q": q}, False) for q in PHRASE],
        "filtered": [(f, False) for f in FILTERED],
        "faceted": [({"q": q}, True) for q in TERM],
    }
    # Cold: each query on a searcher opened for it (as after every change to the index), its
    # terms read from disk; the first also builds the per-segment arrays (lengths, facets,
    # dates), which the others reuse.
    cold, cold_cpu = [], []
    for query_args, facets in groups["faceted"]:
        service.close()
        t, c = time.perf_counter(), time.process_time()
        service.search(parse_search(query_args), with_facets=facets)
        cold.append((time.perf_counter() - t) * 1000)
        cold_cpu.append((time.process_time() - c) * 1000)
    for args_list in groups.values():  # then warm the caches once, as before
        for query_args, facets in args_list:
            service.search(parse_search(query_args), with_facets=facets)
    print(
        f"{'query':<12}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'CPU p50':>10}{'CPU p99':>10}"
        f"{'mean hits':>12}"
    )
    print(
        f"{'cold+facets':<12}{len(cold):>6}{percentile(cold, 0.5):>10.1f}{max(cold):>10.1f}"
        f"{percentile(cold_cpu, 0.5):>10.1f}{max(cold_cpu):>10.1f}"
    )
    for name, args_list in groups.items():
        times, cpus, hits = [], [], []
        for _ in range(args.rounds):
            for query_args, facets in args_list:
                t, c = time.perf_counter(), time.process_time()
                result = service.search(parse_search(query_args), with_facets=facets)
                times.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - c) * 1000)
                hits.append(result.total)
        print(
            f"{name:<12}{len(times):>6}{percentile(times, 0.5):>10.1f}"
            f"{percentile(times, 0.99):>10.1f}{percentile(cpus, 0.5):>10.1f}"
            f"{percentile(cpus, 0.99):>10.1f}{statistics.mean(hits):>12,.0f}"
        )
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
