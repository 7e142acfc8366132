"""Peak memory of a Parquet download, in-process: the Arrow pool's peak and the process's RSS.

    python bench/parquet_memory.py [--database URL] [KIND ...]

Default database: bench/out/api-100000.db, which `bench/api.py` builds. The Arrow pool's peak
should stop growing once a row group is full (portal.api.parquet.GROUP_ROWS, GROUP_BYTES),
whatever the download's size.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import pyarrow as pa
from sqlmodel import Session

from portal.api.parquet import parquet_chunks
from portal.db import get_engine
from portal.records import RecordQuery

DEFAULT = Path(__file__).resolve().parent / "out" / "api-100000.db"


def main() -> None:
    """Stream each kind's whole Parquet download and print its size, time and peaks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT}")
    parser.add_argument("kinds", nargs="*", default=["enterprises", "inspections", "disclosures"])
    args = parser.parse_args()
    engine = get_engine(args.database)
    pool = pa.default_memory_pool()
    for kind in args.kinds:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        started = time.perf_counter()
        size = chunks = 0
        with Session(engine) as session:
            for chunk in parquet_chunks(session, RecordQuery(kind=kind)):
                size += len(chunk)
                chunks += 1
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"{kind}: {size / 2**20:.1f} MiB in {chunks} chunks, "
            f"{time.perf_counter() - started:.1f} s, Arrow pool peak so far "
            f"{pool.max_memory() / 2**20:.1f} MiB ({pool.backend_name}), "
            f"max RSS {before} -> {after} MiB"
        )


if __name__ == "__main__":
    main()
