"""A record that cannot be indexed is left out, logged and named by `portal check`; the records
beside it are indexed all the same, by the catch-up after a commit and by `portal reindex`.

The poison is a time no reader accepts (the year 10000) in a row's `updated_at`, written with
SQL as a clock gone wrong or a hand edit could leave it: the models refuse such values at the
door now, and the document builder shows any value Python can hold, so only a row that cannot
be read is left to break it."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session

from conftest import Portal
from factories import inspection
from portal import records
from portal.db import get_engine
from portal.search import parse_search, service_of

IDS = ["INS-2024-9001", "INS-2024-9002", "INS-2024-9003"]
BAD = "INS-2024-9002"


def _publish_with_a_poisoned_row(url: str) -> None:
    """Three inspections in one transaction (so one catch-up batch); one row gets a time no
    reader accepts before the commit."""
    with Session(get_engine(url)) as session:
        for record_id in IDS:
            records.publish(
                session,
                records.KINDS["inspections"],
                inspection(
                    "ENT-GX-JINHE",
                    id=record_id,
                    publisher_id="DEP-MEE",
                    findings_zh=f"毒值跳过测试 {record_id}",
                ),
                author_id="DEP-MEE",
            )
        session.execute(
            text("UPDATE inspection SET updated_at = '10000-01-01 00:00:00+00:00' WHERE id = :id"),
            {"id": BAD},
        )
        session.commit()


def _found(app: Flask, words: str) -> list[str]:
    result = service_of(app).search(parse_search({"q": words, "limit": "50"}))
    return sorted(hit.id for hit in result.hits)


def test_the_catch_up_leaves_out_only_the_record_it_cannot_index(
    sample_app: Flask, sample_url: str, sample_portal: Portal, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="portal.search"):
        _publish_with_a_poisoned_row(sample_url)
    assert _found(sample_app, "毒值跳过测试") == [IDS[0], IDS[2]]
    assert any(f"{BAD} cannot be indexed" in r.getMessage() for r in caplog.records), [
        r.getMessage() for r in caplog.records
    ]
    assert not [r for r in caplog.records if "indexing after commit failed" in r.getMessage()]

    check = sample_portal("check")
    assert check.exit_code == 1
    assert f"1 missing from the index: {BAD}\n" in check.output
    assert f"{BAD} cannot be indexed (" in check.output
    assert "not yet absorbed" not in check.output  # the catch-up went past it

    # What is published next is indexed as ever.
    with Session(get_engine(sample_url)) as session:
        records.publish(
            session,
            records.KINDS["inspections"],
            inspection(
                "ENT-GX-JINHE",
                id="INS-2024-9004",
                publisher_id="DEP-MEE",
                findings_zh="毒值跳过测试 之后",
            ),
            author_id="DEP-MEE",
        )
        session.commit()
    assert "INS-2024-9004" in _found(sample_app, "毒值跳过测试")


def test_reindex_indexes_every_record_but_the_one_it_cannot(
    sample_url: str, sample_portal: Portal, sample_index: object
) -> None:
    _publish_with_a_poisoned_row(sample_url)
    rebuilt = sample_portal("reindex", "--procs", "2")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "1 record(s) could not be indexed and were left out" in rebuilt.output
    check = sample_portal("check")
    assert check.exit_code == 1
    assert f"1 missing from the index: {BAD}\n" in check.output
    assert f"{BAD} cannot be indexed (" in check.output
    assert "stale" not in check.output and "not yet absorbed" not in check.output
