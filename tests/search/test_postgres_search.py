"""Search on PostgreSQL's own full text: rows commit with their records, so any node finds a record
the moment it is published; nothing a user types can break or stretch a query; `portal reindex`
rewrites the rows and `portal check` compares them with the records.

These run against a PostgreSQL server (PORTAL_TEST_DATABASE_URL's, or the local one) even when the
rest of the suite runs on SQLite, as the commit-order tests do."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from conftest import Portal, _app, fuzz_settings, pg_database
from factories import inspection, publishing_token
from portal import records
from portal.cli import main as portal_cli
from portal.db import dispose_engine, get_engine, upgrade
from portal.search import SearchTooSlow, open_search, parse_search, service_of
from portal.search.pg import PostgresSearch, vectors, writing
from portal.search.pg.tables import NAME, TABLES, metadata, search_document, search_word
from portal.search.pg.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database holding the sample records, made once for this module; its name."""
    with pg_database("cwt_pgsearch") as url:
        upgrade(url)
        loaded = CliRunner().invoke(portal_cli, ["load-sample"], env={"PORTAL_DATABASE_URL": url})
        assert loaded.exit_code == 0, loaded.output
        dispose_engine(url)
        yield str(make_url(url).database)


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """This test's own copy of the sample database."""
    with pg_database("cw_pgsearch", template=pg_template) as url:
        yield url


def _found(app: Flask, words: str, **args: str) -> tuple[list[str], dict[str, Any]]:
    response = app.test_client().get(
        "/api/v1/search", query_string={"q": words, "limit": "50", **args}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    return [item["id"] for item in body["items"]], body


def _rows(url: str, record_id: str) -> list[tuple[Any, ...]]:
    with get_engine(url).connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(search_document.c.revision, search_document.c.live).where(
                    search_document.c.record_id == record_id
                )
            )
        ]


def _publish(url: str, record_id: str, findings: str, *, commit: bool = True) -> Session:
    session = Session(get_engine(url))
    records.publish(
        session,
        records.KINDS["inspections"],
        inspection("ENT-GX-JINHE", id=record_id, findings_zh=findings, publisher_id="DEP-MEE"),
        author_id="DEP-MEE",
    )
    if commit:
        session.commit()
        session.close()
    return session


def test_the_engine_is_chosen_by_the_database(pg_url: str, tmp_path: Path) -> None:
    assert isinstance(open_search(tmp_path, pg_url), PostgresSearch)
    assert isinstance(service_of(_app(pg_url, tmp_path / "index")), PostgresSearch)
    assert not (tmp_path / "index").exists()  # no index folder, nothing built at start


def test_a_record_published_on_one_node_is_found_on_another_at_commit(
    pg_url: str, tmp_path: Path
) -> None:
    one, other = _app(pg_url, tmp_path / "one"), _app(pg_url, tmp_path / "two")
    token = publishing_token(one, "DEP-MEE")
    body = inspection("ENT-GX-JINHE", id="INS-2024-7001", findings_zh="两个节点即时检索的锑")
    body.pop("publisher_id")
    published = one.test_client().post(
        "/api/v1/inspections", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert published.status_code == 201, published.get_data(as_text=True)
    # No sync, no catch-up: the other node's first search finds it.
    assert _found(other, "即时检索 锑")[0] == ["INS-2024-7001"]
    assert _found(other, "锑", kind="inspections")[0] == ["INS-2024-7001"]


def test_the_row_commits_with_the_record_and_rolls_back_with_it(
    pg_url: str, tmp_path: Path
) -> None:
    app = _app(pg_url, tmp_path / "index")
    session = _publish(pg_url, "INS-2024-7002", "同一事务写入的铊", commit=False)
    session.flush()
    assert "INS-2024-7002" not in _found(app, "同一事务写入的铊")[0]  # nobody sees it yet
    session.rollback()
    session.close()
    assert _rows(pg_url, "INS-2024-7002") == []
    _publish(pg_url, "INS-2024-7002", "同一事务写入的铊")
    assert _rows(pg_url, "INS-2024-7002") == [(1, True)]
    assert _found(app, "同一事务写入的铊")[0] == ["INS-2024-7002"]


def test_corrected_and_withdrawn_records_change_their_rows_at_once(
    pg_url: str, tmp_path: Path
) -> None:
    app = _app(pg_url, tmp_path / "index")
    _publish(pg_url, "INS-2024-7003", "雨水排放口锑浓度异常，复核编号甲")
    with Session(get_engine(pg_url)) as session:
        records.correct(
            session,
            "INS-2024-7003",
            {"findings_zh": "雨水排放口铊浓度异常，复核编号乙"},
            reason="Pollutant misnamed",
            author_id="DEP-MEE",
        )
        session.commit()
    assert _found(app, "复核编号甲")[1]["any_word"]  # no record has all of it any more
    assert _found(app, "复核编号乙")[0] == ["INS-2024-7003"]
    with Session(get_engine(pg_url)) as session:
        records.withdraw(session, "INS-2024-7003", reason="Published twice", author_id="DEP-MEE")
        session.commit()
    assert _found(app, "复核编号乙")[1]["any_word"]
    assert _rows(pg_url, "INS-2024-7003") == [(3, False)]  # kept, so no reindex brings it back
    assert service_of(app).check().ok


def test_a_name_taught_on_one_node_is_read_by_every_node(pg_url: str) -> None:
    _publish(pg_url, "INS-2024-7004", "澄湖金属再生有限公司堆场")
    name = "澄湖金属再生有限公司"
    with Session(get_engine(pg_url)) as session:
        records.correct(
            session,
            "ENT-GX-JINHE",
            {"name_zh": name},
            reason="Renamed",
            author_id="DEP-GX-HC-EEB",
        )
        session.commit()
    fresh = Vocabulary()  # as a node that has read nothing yet
    with get_engine(pg_url).connect() as conn:
        fresh.refresh(conn)
        again = fresh.version
        fresh.refresh(conn)
        names = conn.execute(select(search_word.c.word).where(search_word.c.role == NAME))
        assert name in set(names.scalars())
    assert name in fresh.known[NAME] and fresh.version == again


@pytest.mark.parametrize(
    "words",
    [
        "'",
        "''",
        "\\",
        "镉 & | ! <-> ( ) : * '",
        "'; DROP TABLE search_document; --",
        "a:* & !b | c <2> d",
        '"unclosed phrase',
        '"" - -- ---',
        "-镉",
        "-\"龙江 镉\" -'x'",
        "镉" * 40 + " " + "cadmium " * 32,
        "E'\\x00'",
    ],
)
def test_what_a_user_types_cannot_change_the_query(pg_url: str, tmp_path: Path, words: str) -> None:
    app = _app(pg_url, tmp_path / "index")
    _found(app, words)  # 200, whatever the words
    assert _rows(pg_url, "INC-2012-0001") == [(1, True)]


@given(words=st.text(max_size=60))
@fuzz_settings(60)
def test_any_text_searches_without_an_error(pg_url: str, words: str) -> None:
    result = PostgresSearch(pg_url).search(parse_search({"q": words}))
    assert result.total >= len(result.hits)


def test_a_search_past_its_time_is_a_problem_not_a_5xx(pg_url: str, tmp_path: Path) -> None:
    app = _app(pg_url, tmp_path / "index")
    app.extensions["search"] = PostgresSearch(pg_url, timeout_ms=300)
    held = threading.Event()
    release = threading.Event()

    def hold_the_table() -> None:
        # A search waits for the lock until its time is up, as it would on a query too costly.
        with get_engine(pg_url).connect() as conn:
            conn.execute(text("LOCK TABLE search_document IN ACCESS EXCLUSIVE MODE"))
            held.set()
            release.wait(30)
            conn.rollback()

    holder = threading.Thread(target=hold_the_table)
    holder.start()
    try:
        assert held.wait(30)
        response = app.test_client().get("/api/v1/search?q=镉")
        page = app.test_client().get("/search?q=镉")
        feed = app.test_client().get("/feeds/search.atom?q=镉")
        with pytest.raises(SearchTooSlow):
            service_of(app).search(parse_search({"q": "镉"}))
    finally:
        release.set()
        holder.join(30)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "longer than 0.3 seconds" in response.get_json()["detail"]
    assert page.status_code == 400 and feed.status_code == 400
    assert _found(app, "镉")[1]["total"] > 0  # the lock gone, the same search answers


def test_rows_missing_after_an_upgrade_make_search_wait_for_reindex(
    pg_url: str, tmp_path: Path
) -> None:
    """A database upgraded from before migration 0008 has records but no rows yet."""
    with get_engine(pg_url).begin() as conn:
        conn.execute(text("DELETE FROM search_document"))
        conn.execute(text("DELETE FROM search_word"))
    app = _app(pg_url, tmp_path / "index")
    response = app.test_client().get("/api/v1/search?q=镉")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "run `portal reindex`" in response.get_json()["detail"]
    assert app.test_client().get("/api/v1/status").get_json()["status"] == "degraded"
    portal = Portal(pg_url, tmp_path / "index")
    assert portal("reindex", "--if-missing").exit_code == 0
    assert "INC-2012-0001" in _found(app, "龙江 镉")[0][:3]
    assert portal("check").exit_code == 0


def test_check_finds_missing_stale_and_extra_rows_and_reindex_mends_them(
    pg_url: str, tmp_path: Path
) -> None:
    with get_engine(pg_url).begin() as conn:
        conn.execute(text("DELETE FROM search_document WHERE record_id = 'INC-2012-0001'"))
        conn.execute(text("UPDATE search_document SET analysis = 0 WHERE record_id = 'DEP-MEE'"))
        conn.execute(text("UPDATE search_document SET revision = 0 WHERE record_id = 'ENT-0001'"))
        conn.execute(text("UPDATE inspection SET withdrawn_at = now() WHERE id = 'INS-2019-0001'"))
    portal = Portal(pg_url, tmp_path / "index")
    gap = portal("check")
    assert gap.exit_code == 1
    assert "1 missing from the index: INC-2012-0001\n" in gap.output
    assert "2 stale in the index: ENT-0001, DEP-MEE\n" in gap.output
    assert "1 in the index but not published: INS-2019-0001\n" in gap.output
    rebuilt = portal("reindex", "--procs", "2")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "in the database (search_document" in rebuilt.output
    mended = portal("check")
    assert mended.exit_code == 0, mended.output
    assert _rows(pg_url, "INS-2019-0001") == [(1, False)]


def test_reindex_never_takes_a_row_back_to_an_older_revision(pg_url: str) -> None:
    """A reindex batch that read a record before it was corrected writes after the correction:
    the correction's row stays."""
    with Session(get_engine(pg_url)) as session:
        records.correct(
            session,
            "INC-2012-0001",
            {"summary_zh": "更正后的摘要 镓"},
            reason="Summary rewritten",
            author_id="DEP-GX-HC-EEB",
        )
        session.commit()
    with Session(get_engine(pg_url)) as session:
        stale = vectors.row(
            {"id": "INC-2012-0001", "kind": "incidents", "revision": 1, "text_zh": "旧的"}
        )
        writing._upsert(session.connection(), [stale])
        session.commit()
    assert _rows(pg_url, "INC-2012-0001") == [(2, True)]
    assert open_search("", pg_url).check().ok


def _search_tables(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    if type_ == "schema":
        return True
    table = name if type_ == "table" else parents.get("table_name")
    return table in TABLES


def test_the_search_tables_are_what_the_engine_describes(pg_url: str) -> None:
    engine = get_engine(pg_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _search_tables}
        )
        assert compare_metadata(context, metadata) == []
        words = conn.execute(select(func.count()).select_from(search_word)).scalar_one()
    assert words > 0


def test_sqlite_has_no_search_tables(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the suite runs on PostgreSQL")
    with get_engine(database_url).connect() as conn:
        tables = set(
            conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
        )
    assert "search_document" not in tables and "change_counter" in tables


def test_a_reindex_with_nothing_new_rewrites_no_row(pg_url: str, tmp_path: Path) -> None:
    """Rows written again unchanged would leave dead copies: a reindex of a million records
    would double the table. Only what changed (here, an older analysis) is written."""

    def versions() -> dict[str, str]:
        with get_engine(pg_url).connect() as conn:
            rows = conn.execute(text("SELECT record_id, xmin::text FROM search_document"))
            return {str(rid): str(xmin) for rid, xmin in rows}

    portal = Portal(pg_url, tmp_path / "index")
    # A first reindex writes the rows as this process cuts the text: jieba's dictionary is the
    # process's, and other tests in it may have taught names that the template's rows lack.
    assert portal("reindex").exit_code == 0
    with get_engine(pg_url).begin() as conn:
        conn.execute(text("UPDATE search_document SET analysis = 0 WHERE record_id = 'DEP-MEE'"))
    before = versions()
    rebuilt = portal("reindex")
    assert rebuilt.exit_code == 0, rebuilt.output
    after = versions()
    assert {rid for rid in before if after[rid] != before[rid]} == {"DEP-MEE"}


def test_a_search_with_no_english_words_to_correct_from_answers(
    pg_url: str, tmp_path: Path
) -> None:
    """Whoosh's ListCorrector raises IndexError on an empty word list: a database with no English
    text yet (a new portal) turned every search with no hits into a 500."""
    with get_engine(pg_url).begin() as conn:
        conn.execute(text("DELETE FROM search_word WHERE role = 'S'"))
    words, body = _found(_app(pg_url, tmp_path / "index"), "longjiangg")
    assert words == [] and body["total"] == 0 and body.get("suggestion") is None
