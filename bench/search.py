"""Search at scale: index build rate and size, and query latency by kind of query.

    python bench/search.py [--records 100000] [--procs 2] [--rounds 5]

Uses the database bench/import_rate.py leaves (bench/out/import-N.db), importing it first if
missing. Prints records/s for a full rebuild, the index size, and p50/p99 latency for term,
phrase, filtered and faceted queries through the portal's own search path.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

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


def main() -> None:
    """Build the index, time the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    db = OUT / f"import-{args.records}.db"
    if not db.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "import_rate.py"),
                "--records",
                str(args.records),
            ],
            check=True,
        )
    sys.path.insert(0, str(ROOT))
    from portal.search import SearchService, parse_search

    url = f"sqlite:///{db}"
    service = SearchService(OUT / f"index-{args.records}", url)
    started = time.perf_counter()
    count = service.rebuild(procs=args.procs)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in service.path.iterdir() if p.is_file()) / 2**20
    print(
        f"rebuild: {count:,} records in {seconds:.1f} s = {count / seconds:,.0f} records/s "
        f"({args.procs} processes), index {size:,.0f} MiB"
    )
    groups = {
        "term": [({"q": q}, False) for q in TERM],
        "phrase": [({"q": q}, False) for q in PHRASE],
        "filtered": [(f, False) for f in FILTERED],
        "faceted": [({"q": q}, True) for q in TERM],
    }
    for args_list in groups.values():  # warm the caches once
        for query_args, facets in args_list:
            service.search(parse_search(query_args), with_facets=facets)
    print(f"{'query':<10}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'mean hits':>12}")
    for name, args_list in groups.items():
        times, hits = [], []
        for _ in range(args.rounds):
            for query_args, facets in args_list:
                t = time.perf_counter()
                result = service.search(parse_search(query_args), with_facets=facets)
                times.append((time.perf_counter() - t) * 1000)
                hits.append(result.total)
        print(
            f"{name:<10}{len(times):>6}{percentile(times, 0.5):>10.1f}"
            f"{percentile(times, 0.99):>10.1f}{statistics.mean(hits):>12,.0f}"
        )


if __name__ == "__main__":
    main()
