"""Instructions per request, which a shared machine's wandering speed does not move.

    python bench/instructions.py [--requests 300] [--records 100000]

Runs a kept record's JSON (`/api/v1/inspections/<id>`, over 100 ids, each asked once first) and a
bare Flask "hello" in-process through Flask's test client under `valgrind --tool=callgrind`,
each twice: with N and with 2N requests after the warm-up. The difference of the two totals,
divided by N, is the cost of one request without start-up (imports, the app, the warm-up). Both
go through the same test client, so the difference between them is the portal's own work around
the view. About two minutes per figure (valgrind runs Python some 40 times slower); needs
valgrind (Debian's package) and the data set of bench/compare.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import prepare


def serve(which: str, count: int) -> None:
    """The measured program: warm up, then `count` requests (run under valgrind)."""
    from flask import Flask

    if which == "hello":
        app = Flask("hello")
        app.get("/")(lambda: "hello")
        paths = ["/"]
    else:
        from portal import create_app

        app = create_app(
            {"API_RATE_LIMIT": "1000000000 per minute", "SEARCH_REBUILD_ON_START": False}
        )
        db = os.environ["PORTAL_DATABASE_URL"].split("///", 1)[1]
        with sqlite3.connect(db) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM inspection ORDER BY id LIMIT 100")]
        paths = [f"/api/v1/inspections/{i}" for i in ids]
    client = app.test_client()
    for path in paths:
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path}: not 200")
    for n in range(count):
        client.get(paths[n % len(paths)])


def instructions(which: str, count: int, env: dict[str, str]) -> int:
    """Instructions callgrind counted for the whole program."""
    with tempfile.TemporaryDirectory() as folder:
        argv = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={folder}/out",
            sys.executable,
            __file__,
            "--serve",
            which,
            "--requests",
            str(count),
        ]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no count from valgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    """Measure both, print instructions per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--serve", choices=("hello", "record"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.requests)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    db, index = prepare(args.records)
    env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{db}", "PORTAL_INDEX_DIR": str(index)}
    n = args.requests
    runs = [(which, count) for which in ("hello", "record") for count in (n, 2 * n)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each valgrind runs on one core
        totals = dict(
            zip(runs, pool.map(lambda r: instructions(r[0], r[1], env), runs), strict=True)
        )
    per = {w: (totals[(w, 2 * n)] - totals[(w, n)]) / n for w in ("hello", "record")}
    print(f"instructions per request ({n} and {2 * n} requests, in-process, Flask's test client)")
    print(f"  bare Flask hello        {per['hello'] / 1e6:6.2f} M")
    print(f"  kept record JSON        {per['record'] / 1e6:6.2f} M")
    print(f"  record / hello          {per['record'] / per['hello']:6.2f}x")


if __name__ == "__main__":
    main()
