"""A page of incidents comes from an index in order, not from sorting every match.

Incidents are dated by `coalesce(began_at, found_at, published_at)` since their start may be
unknown (migration 0009); with indexes only on `began_at` every page sorted all the matches (12 to
35 ms a page at 100,000 records). Migration 0011 indexes the expression itself. SQLAlchemy cannot
reflect such an index on SQLite and Alembic's batch mode would drop it, so this test reads the
plans: it fails when a page needs a sort again."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from portal import records
from portal.records.listing import page_statement


def _plan(session: Session, filters: dict[str, str]) -> str:
    query = records.parse_query("incidents", filters)
    sql = str(
        page_statement(session, query).compile(
            session.get_bind(), compile_kwargs={"literal_binds": True}
        )
    )
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
        return "\n".join(str(row[-1]) for row in rows)
    # A small table is cheaper to sort than to walk by index: ask whether the index can give the
    # order at all, as it will once the table is large.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_sort = off"))
    return "\n".join(row[0] for row in session.execute(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "ix_incident_dated_id"),
        ({"province": "45"}, "ix_incident_province_dated_id"),
        ({"status": "closed"}, "ix_incident_status_dated_id"),
        ({"sort": "oldest"}, "ix_incident_dated_id"),
    ],
)
def test_a_page_of_incidents_walks_a_date_index(
    sample_session: Session, filters: dict[str, str], index: str
) -> None:
    plan = _plan(sample_session, filters)
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan.split("\n")[0], plan
