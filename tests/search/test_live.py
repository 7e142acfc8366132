"""Live indexing: what is published, corrected or withdrawn is found (or gone) at once, from any
process; the index can be checked against the database, rebuilt, and recovers when damaged."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from sqlmodel import Session
from whoosh import index as whoosh_index

from conftest import whoosh_only
from factories import inspection
from portal import create_app, records
from portal.db import dispose_engine, get_engine
from portal.search import SearchService, parse_search, service_of, start


def found(app: Flask, q: str, **filters: str) -> list[str]:
    result = service_of(app).search(parse_search({"q": q, **filters}))
    return [hit.id for hit in result.hits]


def publish_inspection(url: str, record_id: str, findings: str) -> None:
    with Session(get_engine(url)) as session:
        records.publish(
            session,
            records.KINDS["inspections"],
            inspection("ENT-0001", id=record_id, findings_zh=findings, publisher_id="DEP-MEE"),
            author_id="DEP-MEE",
        )
        session.commit()


def test_published_corrected_and_withdrawn_records_show_at_once(
    sample_app: Flask, sample_url: str
) -> None:
    publish_inspection(sample_url, "INS-LIVE-1", "排放口发现锑浓度异常，已采样送检。")
    assert found(sample_app, "锑 送检") == ["INS-LIVE-1"]
    assert "INS-LIVE-1" in found(sample_app, "锑", kind="inspections")
    with Session(get_engine(sample_url)) as session:
        records.correct(
            session,
            "INS-LIVE-1",
            {"findings_zh": "排放口铊浓度异常，已采样送检。"},
            reason="Pollutant misnamed",
            author_id="DEP-MEE",
        )
        session.commit()
    assert "INS-LIVE-1" not in found(sample_app, "锑", kind="inspections")
    assert found(sample_app, "铊 送检") == ["INS-LIVE-1"]
    with Session(get_engine(sample_url)) as session:
        records.withdraw(session, "INS-LIVE-1", reason="Published twice", author_id="DEP-MEE")
        session.commit()
    assert "INS-LIVE-1" not in found(sample_app, "铊 送检")
    assert service_of(sample_app).check().ok


def _writer(url: str, index_dir: str, worker: int, count: int) -> None:
    start(Path(index_dir), url, rebuild_if_missing=False)  # as each gunicorn worker does
    for n in range(count):
        publish_inspection(url, f"INS-MP{worker}-{n}", f"并发写入测试 worker{worker} 第{n}条")
    dispose_engine(url)


def test_several_processes_writing_at_once_lose_nothing(
    sample_app: Flask, sample_url: str, sample_index: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_writer, args=(sample_url, str(sample_index), w, 8))
        for w in range(3)
    ]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    service = service_of(sample_app)
    report = service.check()
    assert report.ok, report
    result = service.search(parse_search({"q": "并发写入测试", "limit": "50"}))
    assert result.total == 24


@whoosh_only
def test_check_finds_a_gap_and_reindex_mends_it(sample_portal, sample_index: Path) -> None:
    ix = whoosh_index.open_dir(str(sample_index))
    with ix.writer() as writer:
        writer.delete_by_term("id", "INC-2012-0001")
    ix.close()
    gap = sample_portal("check")
    assert gap.exit_code == 1
    assert "1 missing from the index: INC-2012-0001" in gap.output
    rebuilt = sample_portal("reindex", "--procs", "1")
    assert rebuilt.exit_code == 0 and "Indexed" in rebuilt.output
    assert sample_portal("check").exit_code == 0


@whoosh_only
def test_a_damaged_index_is_rebuilt_on_start(sample_url: str, sample_index: Path) -> None:
    for toc in sample_index.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not an index")
    app = create_app({"DATABASE_URL": sample_url, "INDEX_DIR": str(sample_index), "TESTING": True})
    service: SearchService = service_of(app)
    assert service.wait_ready(120)
    assert "INC-2012-0001" in found(app, "龙江 镉")
    assert app.test_client().get("/incidents").status_code == 200


def test_threads_searching_while_records_are_published_get_whole_answers(
    sample_app: Flask, sample_url: str
) -> None:
    """The threads of one worker share its searcher (one set of caches per process): searching
    from eight threads while another publishes and the index changes under them, every answer
    is the one a lone search gives, and what was published is found at the end."""
    queries = ["龙江 镉", "cadmium Hechi", "金河", "Longjiang", "砷 超标", "铅 超标"]  # < 50 hits
    alone = {q: sorted(found(sample_app, q, limit="50")) for q in queries}
    assert all(alone.values())

    def search_often(n: int) -> int:
        for round_ in range(6):
            q = queries[(n + round_) % len(queries)]
            assert sorted(found(sample_app, q, limit="50")) == alone[q], q
        return n

    def publish_some() -> None:
        for n in range(6):
            publish_inspection(sample_url, f"INS-THR-{n}", f"线程并发检索测试第{n}条")

    with ThreadPoolExecutor(max_workers=9) as pool:
        writer = pool.submit(publish_some)
        readers = [pool.submit(search_often, n) for n in range(8)]
        writer.result(timeout=120)
        assert sorted(r.result(timeout=120) for r in readers) == list(range(8))
    assert sorted(found(sample_app, "线程并发检索测试")) == [f"INS-THR-{n}" for n in range(6)]
