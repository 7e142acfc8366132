"""Generate large, deterministic, obviously fictitious sample records as NDJSON for load tests.

`generate(out_dir, records, seed)` writes five files in load order (departments, enterprises,
incidents, inspections, disclosures). Every row matches its kind's `*Create` model and is marked
`sample: true`; ids carry a `-G-` part so they never meet the hand-made sample's ids. Rows are
built as plain dicts from templates and word lists (data/*.toml, read by tables.py) and encoded
with the json module: no pydantic in the loop, one `random.Random(seed)`, and nothing held beyond
a few bytes per enterprise.

It ships with the source checkout, not in the portal's wheel: `portal generate` runs it from a
checkout (docs/decisions/0023-generator-beside-the-benchmarks.md). A module per record kind fills
its sentence pools (`fill`) and draws its rows (`rows`); run.py holds what they share. The same
seed writes the same bytes: the pools are filled, and the rows drawn, in one fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.generator import departments, disclosures, enterprises, incidents, inspections
from bench.generator.run import Run, counts

FILES = (
    "01-departments.ndjson",
    "02-enterprises.ndjson",
    "03-incidents.ndjson",
    "04-inspections.ndjson",
    "05-disclosures.ndjson",
)
FLUSH_LINES = 500


def _write(path: Path, rows: Iterable[dict[str, Any]], encode: Callable[[Any], str]) -> int:
    """Write rows as NDJSON in chunks; return how many."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        chunk: list[str] = []
        for row in rows:
            chunk.append(encode(row))
            count += 1
            if len(chunk) >= FLUSH_LINES:
                chunk.append("")
                out.write("\n".join(chunk))
                chunk = []
        if chunk:
            chunk.append("")
            out.write("\n".join(chunk))
    return count


def generate(out_dir: Path, records: int, seed: int = 2012) -> dict[str, int]:
    """Write `records` fictitious sample rows as five NDJSON files; return the count per file."""
    run = Run(seed, counts(records))
    # The pools draw from the run's random source: this order is part of what a seed means.
    inspection_text = inspections.fill(run)
    disclosure_text = disclosures.fill(run)
    incident_text = incidents.fill(run)
    enterprise_text = enterprises.fill(run)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    makers = (
        departments.rows(run),
        enterprises.rows(run, enterprise_text),
        incidents.rows(run, incident_text),
        inspections.rows(run, inspection_text),
        disclosures.rows(run, disclosure_text),
    )
    return {
        name: _write(out_dir / name, rows, run.encode)
        for name, rows in zip(FILES, makers, strict=True)
    }
