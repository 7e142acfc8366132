"""The enterprise compliance table (issue 22) on a generated data set: one page of it, sorted by
each column both ways and under filters, and the whole table as CSV; median of 7 runs, in ms.

    .venv/bin/python bench/compliance.py [--records 100000] [--database URL]

Builds (once) or reuses the generated set of bench/api.py (bench/out/api-N.db), copies it, and
gives one incident in ten a court's fine in USD and one enterprise in twenty a customs penalty
in CNY (the generator writes none), so the penalty union has rows to add. Every figure is
computed in SQL per request (records/compliance.py); the overdue obligations are passed in as
the portal's cache would hold them (their computation is measured once, on its own line).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import OUT, database
from sqlalchemy import func, insert, select
from sqlmodel import Session, col

from portal.api.export import table_chunks
from portal.db import get_engine
from portal.models import Enterprise, Incident, IncidentEnterprise, Penalty
from portal.records import compliance as cp
from portal.records import obligations


def median_ms(run: Callable[[], Any], times: int = 7) -> tuple[float, float]:
    """The median wall time and CPU time of `run()` in milliseconds. SQLite runs in this
    process, so the CPU time is the query's cost without the waits of a busy machine."""
    wall, cpu = [], []
    for _ in range(times):
        start, used = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def _with_penalties(url: str) -> None:
    """Penalties outside inspections, so that the union of every source has rows."""
    with Session(get_engine(url)) as session:
        if session.execute(select(func.count()).select_from(Penalty)).scalar_one():
            return
        named = session.execute(
            select(col(IncidentEnterprise.incident_id), col(IncidentEnterprise.enterprise_id))
            .join(Incident, col(Incident.id) == col(IncidentEnterprise.incident_id))
            .order_by(col(IncidentEnterprise.incident_id))
        ).all()
        rows = [
            {
                "record_id": i,
                "enterprise_id": e,
                "amount": 162000,
                "currency": "USD",
                "approximate": True,
                "authority_zh": "法院（基准测试）",
            }
            for n, (i, e) in enumerate(named)
            if n % 10 == 0
        ]
        ents = session.scalars(select(col(Enterprise.id)).order_by(col(Enterprise.id))).all()
        rows += [
            {
                "record_id": e,
                "enterprise_id": e,
                "amount": 80000,
                "currency": "CNY",
                "approximate": False,
                "authority_zh": "海关（基准测试）",
            }
            for n, e in enumerate(ents)
            if n % 20 == 0
        ]
        session.execute(insert(Penalty), rows)
        session.commit()
        print(f"added {len(rows):,} penalties ({len(ents):,} enterprises)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite copy)")
    args = parser.parse_args()
    url = database(args.records, args.database)
    if args.database is None:  # a copy: never write into the file other benchmarks read
        copy = OUT / f"compliance-{args.records}.db"
        if not copy.exists():
            shutil.copy(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    _with_penalties(url)
    with Session(get_engine(url)) as session:
        day = date(2025, 6, 30)
        started = time.perf_counter()
        every = obligations.compute(session, day)
        overdue: dict[str, int] = {}
        for o in every:
            if o.status == obligations.Status.overdue:
                overdue[o.enterprise_id] = overdue.get(o.enterprise_id, 0) + 1
        spent = (time.perf_counter() - started) * 1000
        print(
            f"obligations computed once (kept by the cache): {spent:,.0f} ms, "
            f"{len(overdue):,} enterprises with overdue ones"
        )
        total = cp.compliance_page(session, cp.ComplianceQuery(), overdue).total
        print(f"{total:,} enterprises in the table")
        cases: list[dict[str, Any]] = [
            {"sort": s, "order": o} for s in cp.SORTS for o in (cp.Order.asc, cp.Order.desc)
        ]
        cases += [
            {"province": "45"},
            {"sector": "secondary_lead", "sort": "fines_cny", "order": cp.Order.desc},
            {"page": 20},
        ]
        walls, cpus = [], []
        for case in cases:
            query = cp.ComplianceQuery(**case)
            wall, cpu = median_ms(lambda q=query: cp.compliance_page(session, q, overdue))
            walls.append(wall)
            cpus.append(cpu)
            print(f"page of 50 {case!s:60} {wall:8.1f} ms wall {cpu:8.1f} ms CPU")
        print(
            f"a page: median {statistics.median(walls):.1f} ms wall "
            f"({statistics.median(cpus):.1f} ms CPU), worst {max(walls):.1f} ms wall "
            f"({max(cpus):.1f} ms CPU)"
        )

        def download() -> int:
            rows = cp.all_rows(session, cp.ComplianceQuery(sort="penalties"), overdue)
            return sum(len(c) for c in table_chunks(cp.ComplianceRow, rows, "csv"))

        started, used = time.perf_counter(), time.process_time()
        size = download()
        spent, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000
        print(f"the whole table as CSV: {size:,} bytes in {spent:,.0f} ms ({cpu:,.0f} ms CPU)")


if __name__ == "__main__":
    main()
