"""The incidents listing's page query dated by `began_at` alone (as before issue 21) and by
`coalesce(began_at, found_at, published_at)` (an incident whose start is unknown is dated by when
it was found, or published): the same filters, median of 7 runs, milliseconds.

    .venv/bin/python bench/incident_dates.py sqlite:////tmp/copy-of-api-100000.db

Run it on a copy (`sqlite3 bench/out/api-100000.db ".backup /tmp/copy.db"`), never on a file
another benchmark is writing. The figures are in docs/performance.md."""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from sqlmodel import Session

from portal.db import get_engine
from portal.records.kinds import kind_named
from portal.records.listing import filtered
from portal.records.query import RecordQuery


def median_ms(run: Any, times: int = 7) -> float:
    """The median wall time of `run()` in milliseconds."""
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000


def main(url: str) -> None:
    kind = kind_named("incidents")
    table = kind.table
    with Session(get_engine(url)) as session:
        connection = session.connection()
        for args in ({}, {"province": "45"}, {"status": "closed"}):
            stmt = filtered(session, RecordQuery(kind="incidents", **args))
            for name, key in (("began_at", table.began_at), ("coalesce", kind.date_key(table))):
                page = stmt.order_by(key.desc(), table.id.desc()).limit(51)
                spent = median_ms(lambda page=page: connection.execute(page).all())
                print(f"{args or 'all'!s:24} {name:9} {spent:7.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1])
