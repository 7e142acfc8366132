"""Index drift on PostgreSQL after interleaved writes from several processes (issue 20).

    python bench/drift.py [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                          [--workers 4] [--writes 250]

The issue's figure: 4 processes x 250 committed writes (publications, corrections naming the
revision they read, withdrawals; most corrections on 16 inspections every process shares, a
refused write read again and retried), then `portal check` and a record-by-record comparison.
The writers, checks and database are those of tests/search/test_postgres_drift.py, which runs
4 x 100 in the suite. Prints the writes and refusals of each process, how the writers met on
the shared records, the wall time, `portal check`'s answer and the drift (0 is the target).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "search")]

from click.testing import CliRunner  # noqa: E402
from test_postgres_drift import (  # noqa: E402
    SERVER,
    drift,
    drop_database,
    interleaving,
    make_database,
    run_writers,
)

from portal.cli import main as portal_cli  # noqa: E402


def main() -> int:
    """Write, check, print; exit 1 when there is drift."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=SERVER, help="a PostgreSQL URL to make a database on")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=250, help="committed writes per process")
    args = parser.parse_args()
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    url = make_database(args.server)
    try:
        started = time.perf_counter()
        done = run_writers(url, args.workers, args.writes)
        seconds = time.perf_counter() - started
        for worker, counts in sorted(done.items()):
            print(f"process {worker}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        writes = sum(n for c in done.values() for k, n in c.items() if "refused" not in k)
        alone, switches = interleaving(url)
        print(
            f"{writes:,} writes from {args.workers} processes in {seconds:.1f} s; shared records "
            f"changed by one process only: {alone}; changes of process in commit order: "
            f"{switches}"
        )
        check = CliRunner().invoke(portal_cli, ["check"], env={"PORTAL_DATABASE_URL": url})
        print(f"portal check (exit {check.exit_code}): {check.output.strip()}")
        wrong = drift(url)
        print(f"drift: {len(wrong)}" + "".join(f"\n  {line}" for line in wrong[:20]))
    finally:
        drop_database(url, args.server)
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 1 if wrong or check.exit_code else 0


if __name__ == "__main__":
    sys.exit(main())
