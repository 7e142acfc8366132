"""Import rate and peak memory of `portal import` on generated files.

    python bench/import_rate.py --records 100000 [--database URL] [--skip disclosures]

Generates the data set once (bench/out/gen-N), migrates a fresh database, imports each file
in load order with `portal import FILE --as-recorded` under /usr/bin/time -v, and prints rows,
seconds, rows/s and peak resident memory for each file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PORTAL = str(Path(sys.executable).with_name("portal"))


def generated(records: int) -> Path:
    """The generated files for this size, made once."""
    folder = OUT / f"gen-{records}"
    if not (folder / "05-disclosures.ndjson").exists():
        started = time.perf_counter()
        subprocess.run(
            [PORTAL, "generate", "--records", str(records), "--out", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"generated {records:,} records in {time.perf_counter() - started:.1f} s")
    return folder


def timed_import(path: Path, env: dict[str, str]) -> tuple[int, float, float]:
    """Rows imported, wall seconds and peak RSS in MiB of one import."""
    started = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", PORTAL, "import", str(path), "--as-recorded"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"import of {path.name} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    rows = int(re.search(r"Imported (\d+) row", proc.stdout).group(1))  # type: ignore[union-attr]
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))  # type: ignore[union-attr]
    return rows, seconds, rss_kb / 1024


def main() -> None:
    """Parse arguments, run the imports, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--skip", default="", help="kinds not to import: incidents,disclosures")
    args = parser.parse_args()
    if not shutil.which("/usr/bin/time"):
        sys.exit("needs /usr/bin/time (Debian package 'time')")
    folder = generated(args.records)
    url = args.database
    if url is None:
        db = OUT / f"import-{args.records}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    env = {**os.environ, "PORTAL_DATABASE_URL": url}
    subprocess.run([PORTAL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"{'file':<24}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MiB':>10}")
    total_rows, total_seconds = 0, 0.0
    skipped = {k.strip() for k in args.skip.split(",") if k.strip()}
    for path in sorted(folder.glob("*.ndjson")):
        if path.stem.split("-", 1)[1] in skipped:
            continue
        rows, seconds, peak = timed_import(path, env)
        total_rows += rows
        total_seconds += seconds
        size = path.stat().st_size / 2**20
        print(
            f"{path.name:<24}{rows:>10,}{seconds:>10.1f}{rows / seconds:>10,.0f}{peak:>10.0f}"
            f"   ({size:,.0f} MiB file)"
        )
    print(f"{'all':<24}{total_rows:>10,}{total_seconds:>10.1f}{total_rows / total_seconds:>10,.0f}")


if __name__ == "__main__":
    main()
