"""The downloads build rows straight from table rows: the same bytes as the public models give.

The reference below is how a download was written before (a public model per record, its JSON
form, `cell()` per cell): it is the documented shape (docs/api.md, the data package's columns),
and the streamed CSV and NDJSON must stay byte for byte the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pydantic_core
import pytest
from sqlmodel import Session

from factories import basics, enterprise, incident, inspection, publish
from portal import records
from portal.api import export
from portal.records import PUBLIC_KINDS, RecordQuery, Sort

SINCE = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every download cross many keyset batches even on small sets."""
    monkeypatch.setattr(export, "BATCH", 7)
    monkeypatch.setattr(export, "PARTS_BATCH", 5)


def reference_rows(session: Session, query: RecordQuery) -> Iterator[dict[str, Any]]:
    """Each record through its public model (JSON form), with the names beside its codes, in
    the order of the columns."""
    for items in export.batches(session, query):
        for item in items:
            data = item.model_dump(mode="json")
            for code, (zh, en) in export.NAMED.items():
                if code in data:
                    found = export.names_for(session, code, [data[code]])
                    data[zh], data[en] = found.get(data[code], (None, None))
            yield {name: data[name] for name, _ in export.columns(query.kind)}


def reference_csv(session: Session, query: RecordQuery) -> bytes:
    """The CSV through the public models: one model per record, `cell()` per value."""
    cols = export.columns(query.kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in cols])
    for data in reference_rows(session, query):
        writer.writerow([export.cell(data[name], how) for name, how in cols])
    return buffer.getvalue().encode()


def reference_ndjson(session: Session, query: RecordQuery) -> bytes:
    """The NDJSON through the public models."""
    return b"".join(pydantic_core.to_json(data) + b"\n" for data in reference_rows(session, query))


def joined(chunks: Iterator[bytes]) -> bytes:
    return b"".join(chunks)


def test_every_kind_is_written_as_the_public_models_write_it(
    sample_session: Session, small_batches: None, subtests: pytest.Subtests
) -> None:
    queries = [
        *(RecordQuery(kind=kind) for kind in PUBLIC_KINDS),
        *(RecordQuery(kind=kind, sort=Sort.oldest) for kind in PUBLIC_KINDS),
        # withdrawn records too: a mirror's first copy carries their tombstones
        *(
            RecordQuery(kind=kind, updated_since=SINCE, include_withdrawn=True)
            for kind in PUBLIC_KINDS
        ),
        RecordQuery(kind="incidents", province="45", pollutant="Cd"),
    ]
    for query in queries:
        with subtests.test(repr(query)):
            fast = joined(export.csv_chunks(sample_session, query))
            assert fast == reference_csv(sample_session, query)
            header = next(csv.reader(io.StringIO(fast.decode())))
            assert header == [name for name, _ in export.columns(query.kind)]
            assert len(fast.splitlines()) > 2
            fast_lines = joined(export.ndjson_chunks(sample_session, query))
            assert fast_lines == reference_ndjson(sample_session, query)
            marked = joined(export.csv_chunks(sample_session, query, bom=True))
            assert marked == export.BOM + fast


def test_unusual_values_are_written_as_the_public_models_write_them(
    session: Session, small_batches: None
) -> None:
    ids = basics(session)
    designation = {
        "kind": "key_discharger",
        "from_year": 2022,
        "department_id": "DEP-GX-EEB",
        "source": {"title": "=重点排污单位名录", "published_on": "2022-03-01"},
    }
    publish(
        session,
        enterprise(
            name_zh="@SUM(A1)",
            name_en="-2 works",
            park_en="+ park",
            latitude=24.7,
            longitude=108.1,
            listed_company=True,
            designations=[designation],
            sources=[{"title": "-来源", "url": "https://example.org/a"}],
        ),
    )
    publish(
        session,
        inspection(
            ids["enterprise"],
            findings_zh="=1+2",
            findings_en="\u3000=HYPERLINK()",  # stored stripped: "=HYPERLINK()"
            sanctions=["production_limit", "daily_penalty"],
            pollutants=["Pb", "Cd"],
            decided_on="2023-05-20",
        ),
    )
    publish(session, incident(title_en="=cmd|' /C calc'!A0", pollutants=["Cd"]))
    gone = publish(session, incident(title_zh="撤回的事件"))
    records.withdraw(session, gone, reason="Published twice by mistake", author_id="DEP-GX-EEB")
    session.commit()
    for kind in PUBLIC_KINDS:
        for query in (
            RecordQuery(kind=kind),
            RecordQuery(kind=kind, updated_since=SINCE, include_withdrawn=True),
        ):
            fast = joined(export.csv_chunks(session, query))
            assert fast == reference_csv(session, query), kind
            assert joined(export.ndjson_chunks(session, query)) == reference_ndjson(session, query)
    text = joined(export.csv_chunks(session, RecordQuery(kind="inspections"))).decode()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["findings_zh"] == "'=1+2" and row["findings_en"] == "'=HYPERLINK()"
    assert row["sanctions"] == "daily_penalty;production_limit" and row["pollutants"] == "Cd;Pb"


def test_the_quick_look_at_a_cell_never_skips_one_that_needs_neutralising() -> None:
    # The download looks at a text cell's first character before it calls neutralise().
    for code in range(0x10000):
        for text in (chr(code) + "=1", chr(code)):
            if export.neutralise(text) != text:
                assert text[0] in export._RISKY, hex(code)


@pytest.mark.parametrize(
    ("kept", "written"),
    [
        ("2012-01-15 01:00:00.000000", "2012-01-15T01:00:00Z"),
        ("2026-11-29 16:54:49.999893", "2026-11-29T16:54:49.999893Z"),
        ("2026-11-29 16:54:49.000005", "2026-11-29T16:54:49.000005Z"),
        # spellings SQLAlchemy does not write but would read: parsed, then written alike
        ("2012-01-15 01:00:00", "2012-01-15T01:00:00Z"),
        ("2012-01-15T09:00:00+08:00", "2012-01-15T01:00:00Z"),
    ],
)
def test_a_time_kept_as_sqlite_text_is_written_as_the_models_write_it(
    kept: str, written: str
) -> None:
    assert export._moment_text(kept) == written
    assert export._moment(datetime.fromisoformat(written.replace("Z", "+00:00"))) == written
